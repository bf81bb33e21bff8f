// The lab parser: a good lab becomes steps with scenarios, starters, predictions
// and checks; every mistake gives one message naming the file, line and field,
// and the parse goes on to find the others.
#include <gtest/gtest.h>

#include <map>

#include "bundle/bundled_files.h"
#include "lab/bundled_labs.h"
#include "lab/lab.h"

namespace trapeze::lab {
namespace {

// The bundled files, plus `extra` by path.
scenario::FileReader reader(std::map<std::string, std::string> extra = {}) {
  return [extra, bundled = bundle::reader()](const std::string& path) -> text::FileText {
    const auto it = extra.find(path);
    if (it != extra.end()) return it->second;
    return bundled(path);
  };
}

constexpr const char* kFront = "---\ntitle: T\n---\n";  // lines 1-3

ParseResult parse_text(const std::string& text, std::map<std::string, std::string> extra = {}) {
  return parse(text, "labs/t.md", reader(std::move(extra)));
}

// The one error of `text` (fails the test if there are not exactly `count`).
std::vector<Diagnostic> errors_of(const std::string& text, size_t count) {
  const ParseResult r = parse_text(text);
  EXPECT_FALSE(r.lab);
  EXPECT_EQ(r.errors.size(), count);
  for (const Diagnostic& d : r.errors) EXPECT_EQ(d.file, "labs/t.md");
  return r.errors;
}

TEST(LabParse, TheBundledLabOneParses) {
  const auto text = bundle::reader()("labs/lab1-trap-and-emulate.md");
  ASSERT_TRUE(text);
  const ParseResult r = parse(*text, "labs/lab1-trap-and-emulate.md", bundle::reader());
  for (const Diagnostic& d : r.errors) ADD_FAILURE() << d.format();
  ASSERT_TRUE(r.lab);
  const Lab& lab = *r.lab;
  EXPECT_EQ(lab.name, "lab1-trap-and-emulate");
  EXPECT_EQ(lab.title, "Lab 1: Trap-and-emulate");
  EXPECT_EQ(lab.minutes, 30);
  ASSERT_EQ(lab.steps.size(), 4u);
  EXPECT_FALSE(lab.intro.empty());
  EXPECT_EQ(lab.steps[0].scenario.guests.at(0).name, "mini-os");
  EXPECT_EQ(lab.steps[3].starters.at(0).guest, "kernel");
  EXPECT_NE(lab.steps[3].starters.at(0).source.find("di"), std::string::npos);
  int tasks = 0;
  for (const Check& c : lab.steps[3].checks) tasks += c.task;
  EXPECT_EQ(tasks, 2);
  EXPECT_EQ(lab.max_points(), 15);
  // The prose keeps its text but not the lab blocks.
  for (const Block& b : lab.steps[0].text) EXPECT_NE(b.language, "check");
}

TEST(LabParse, AStepWithEverything) {
  const std::string text = std::string(kFront) +
                           "Intro *text*.\n\n"
                           "## One\n\nDo this.\n\n"
                           "```scenario\npreset: uk-bit-problem\n```\n\n"
                           "```predict\nid: p\nquestion: How **many**?\nguest: trap-and-emulate\n"
                           "measure: vmm.emulated\ntolerance: 5%\n```\n\n"
                           "```check\nname: same output\nkind: console-bare-metal\nguest: para-virtual\n"
                           "points: 4\ntask: yes\n```\n\n"
                           "```check\nid: cmp\nname: fewer\nkind: counter\nguest: para-virtual\n"
                           "counter: vmm.emulated\nexpect: ~ guest \"trap-and-emulate\" +- 10%\n```\n";
  const ParseResult r = parse_text(text);
  for (const Diagnostic& d : r.errors) ADD_FAILURE() << d.format();
  ASSERT_TRUE(r.lab);
  const Step& s = r.lab->steps.at(0);
  EXPECT_EQ(s.title, "One");
  EXPECT_EQ(s.scenario_path, "scenarios/uk-bit-problem.json");
  ASSERT_EQ(s.predictions.size(), 1u);
  EXPECT_DOUBLE_EQ(s.predictions[0].tolerance, 0.05);
  EXPECT_TRUE(s.predictions[0].relative);
  EXPECT_EQ(plain_text(s.predictions[0].question), "How many?");
  ASSERT_EQ(s.checks.size(), 2u);
  EXPECT_EQ(s.checks[0].id, "s1.c1");
  EXPECT_EQ(s.checks[0].points, 4);
  EXPECT_TRUE(s.checks[0].task);
  EXPECT_EQ(s.checks[1].id, "cmp");
  EXPECT_EQ(s.checks[1].expect.op, Expectation::Op::About);
  EXPECT_EQ(s.checks[1].expect.against, Expectation::Against::Guest);
  EXPECT_EQ(s.checks[1].expect.name, "trap-and-emulate");
  EXPECT_DOUBLE_EQ(s.checks[1].expect.tolerance, 0.10);
}

TEST(LabParse, InlineAndFileScenariosAndStarterFiles) {
  const std::string text = std::string(kFront) +
                           "## A\n\n```scenario\n{\"version\": 1, \"guests\": [{\"name\": \"k\", \"file\": \"k.s\"}]}\n```\n"
                           "```starter k file=k.s\n```\n```check\nname: h\nkind: halted\nguest: k\n```\n"
                           "## B\n\n```scenario\nfile: sub/s.json\n```\n```starter k\nhalt\n```\n"
                           "```check\nname: h\nkind: not-crashed\nguest: k\n```\n";
  const ParseResult r = parse_text(text, {{"labs/k.s", "_start: halt\n"},
                                          {"labs/sub/s.json", R"({"version": 1, "guests": [{"name": "k", "source": "x"}]})"}});
  for (const Diagnostic& d : r.errors) ADD_FAILURE() << d.format();
  ASSERT_TRUE(r.lab);
  EXPECT_EQ(r.lab->steps[0].scenario_path, "labs/t.md");
  EXPECT_EQ(r.lab->steps[0].starters.at(0).source, "_start: halt\n");
  EXPECT_EQ(r.lab->steps[0].starters.at(0).file, "labs/k.s");
  EXPECT_EQ(r.lab->steps[1].scenario_path, "labs/sub/s.json");
  EXPECT_EQ(r.lab->steps[1].starters.at(0).source, "halt\n");
}

// A lone CR ends a line as LF does (as in the assembler): fields stay apart and
// line numbers count it.
TEST(LabParse, LoneCarriageReturnsEndLines) {
  const std::string text = "---\rtitle: T\r---\r## A\r\r```scenario\rpreset: uk-bit-problem\r```\r"
                           "```check\rname: h\rkind: halted\rguest: para-virtual\r```\r";
  const ParseResult r = parse_text(text);
  for (const Diagnostic& d : r.errors) ADD_FAILURE() << d.format();
  ASSERT_TRUE(r.lab);
  EXPECT_EQ(r.lab->title, "T");
  ASSERT_EQ(r.lab->steps.size(), 1u);
  EXPECT_EQ(r.lab->steps[0].line, 4);
  ASSERT_EQ(r.lab->steps[0].checks.size(), 1u);
  EXPECT_EQ(r.lab->steps[0].checks[0].guest, "para-virtual");
}

// ---- errors: one message each, with file, line and field ---------------------------

// Progress is kept for 99 steps: a lab with more is refused at the first one past.
TEST(LabErrors, TooManySteps) {
  std::string text = kFront;
  for (int i = 1; i <= 101; ++i)
    text += "## S" + std::to_string(i) + "\n```scenario\npreset: uk-bit-problem\n```\n";
  const auto e = errors_of(text, 1);
  ASSERT_EQ(e.size(), 1u);
  EXPECT_EQ(e[0].field, "step");
  EXPECT_EQ(e[0].line, 4 + 99 * 4);
  EXPECT_NE(e[0].message.find("at most 99 steps"), std::string::npos) << e[0].message;
}

TEST(LabErrors, NoFrontMatter) {
  const auto e = errors_of("## S\n```scenario\npreset: uk-bit-problem\n```\n", 1);
  EXPECT_EQ(e[0].line, 1);
  EXPECT_EQ(e[0].field, "front-matter");
}

TEST(LabErrors, BadFrontMatterFields) {
  const auto e = errors_of("---\ntitel: T\nminutes: soon\njust words\n---\n## S\n```scenario\npreset: uk-bit-problem\n```\n", 4);
  // In file order: the missing title is the front matter's (line 1).
  EXPECT_EQ(e[0].field, "front-matter.title");
  EXPECT_EQ(e[0].line, 1);
  EXPECT_EQ(e[1].field, "front-matter.titel");
  EXPECT_EQ(e[1].line, 2);
  EXPECT_EQ(e[2].field, "front-matter.minutes");
  EXPECT_EQ(e[2].line, 3);
  EXPECT_EQ(e[3].field, "front-matter");  // "just words"
  EXPECT_EQ(e[3].line, 4);
}

TEST(LabErrors, UnclosedFrontMatter) {
  const auto e = errors_of("---\ntitle: T\n", 2);
  EXPECT_EQ(e[0].field, "front-matter");
  EXPECT_NE(e[0].message.find("closing"), std::string::npos);
  EXPECT_EQ(e[1].field, "step");  // and no steps
}

TEST(LabErrors, AStepWithoutAScenario) {
  const auto e = errors_of(std::string(kFront) + "\n## Lonely\n\ntext\n", 1);
  EXPECT_EQ(e[0].line, 5);
  EXPECT_EQ(e[0].field, "scenario");
  EXPECT_NE(e[0].message.find("\"Lonely\""), std::string::npos);
}

TEST(LabErrors, UnknownPresetAndBadInlineScenario) {
  const auto e = errors_of(std::string(kFront) + "## A\n```scenario\npreset: no-such\n```\n## B\n```scenario\n{\"guests\": 3}\n```\n", 2);
  EXPECT_EQ(e[0].line, 6);
  EXPECT_EQ(e[0].field, "scenario.preset");
  EXPECT_EQ(e[1].line, 9);
  EXPECT_EQ(e[1].field, "scenario");
}

TEST(LabErrors, UnknownCounterKindGuestAndBadTolerance) {
  const std::string text = std::string(kFront) +
                           "## S\n```scenario\npreset: uk-bit-problem\n```\n"  // lines 4-7
                           "```check\nname: a\nkind: counter\nguest: para-virtual\ncounter: vmm.teleports\nexpect: > 1\n```\n"  // 8-14
                           "```check\nname: b\nkind: halted\nguest: nobody\n```\n"                   // 15-19
                           "```check\nname: c\nkind: console-has\nguest: para-virtual\n```\n"         // 20-24
                           "```predict\nid: p\nquestion: q\nguest: para-virtual\nmeasure: vmm.emulated\ntolerance: lots\n```\n";  // 25-31
  const auto e = errors_of(text, 4);
  EXPECT_EQ(e[0].line, 12);
  EXPECT_EQ(e[0].field, "check.counter");
  EXPECT_NE(e[0].message.find("vmm.teleports"), std::string::npos);
  EXPECT_EQ(e[1].line, 18);
  EXPECT_EQ(e[1].field, "check.guest");
  EXPECT_NE(e[1].message.find("\"nobody\""), std::string::npos);
  EXPECT_EQ(e[2].line, 22);
  EXPECT_EQ(e[2].field, "check.kind");
  EXPECT_EQ(e[3].line, 30);
  EXPECT_EQ(e[3].field, "predict.tolerance");
}

TEST(LabErrors, MissingAndMisplacedCheckFields) {
  const std::string text = std::string(kFront) + "## S\n```scenario\npreset: uk-bit-problem\n```\n"
                           "```check\nkind: counter\nguest: para-virtual\ntext: hi\n```\n";  // 8-12
  const auto e = errors_of(text, 4);
  // Missing fields at the block's line, then the misplaced one at its own.
  EXPECT_EQ(e[0].field, "check.name");
  EXPECT_EQ(e[1].field, "check.counter");
  EXPECT_EQ(e[2].field, "check.expect");
  for (size_t i = 0; i < 3; ++i) EXPECT_EQ(e[i].line, 8);
  EXPECT_EQ(e[3].field, "check.text");  // does not apply to a counter check
  EXPECT_EQ(e[3].line, 11);
}

TEST(LabErrors, BadExpectations) {
  const std::string body = std::string(kFront) + "## S\n```scenario\npreset: uk-bit-problem\n```\n";
  for (const char* expect : {"about 3", "~ 5", "< 5 +- 1", "== lots", "== column x", "== 5 +- ten"}) {
    const auto e = errors_of(body + "```check\nname: n\nkind: counter\nguest: para-virtual\ncounter: vmm.emulated\nexpect: " +
                                 expect + "\n```\n",
                             1);
    EXPECT_EQ(e[0].field, "check.expect") << expect;
    EXPECT_EQ(e[0].line, 13) << expect;
  }
}

TEST(LabErrors, BlocksOutsideStepsAndDuplicateIds) {
  const std::string text = std::string(kFront) + "```check\nname: early\n```\n"  // 4
                           "## S\n```scenario\npreset: uk-bit-problem\n```\n"
                           "```check\nid: x\nname: a\nkind: halted\nguest: para-virtual\n```\n"  // 11
                           "```predict\nid: x\nquestion: q\nguest: para-virtual\nmeasure: vmm.emulated\n```\n";  // 17
  const auto e = errors_of(text, 2);
  EXPECT_EQ(e[0].line, 4);
  EXPECT_EQ(e[0].field, "check");
  EXPECT_EQ(e[1].line, 18);
  EXPECT_EQ(e[1].field, "predict.id");
}

TEST(LabErrors, StarterForAMissingGuestAndChoiceWithoutPick) {
  const std::string text = std::string(kFront) + "## S\n```scenario\npreset: uk-bit-problem\n```\n"
                           "```starter ghost\nhalt\n```\n"  // 8
                           "```predict\nid: c\nquestion: which?\noptions: para-virtual | trap-and-emulate\nmeasure: machine.cycles\n```\n";  // 11
  const auto e = errors_of(text, 2);
  EXPECT_EQ(e[0].line, 8);
  EXPECT_EQ(e[0].field, "starter");
  EXPECT_EQ(e[1].field, "predict.pick");
  EXPECT_EQ(e[1].line, 14);
}

TEST(LabErrors, FormatNamesFileLineAndField) {
  EXPECT_EQ((Diagnostic{"labs/x.md", 14, "check.kind", "unknown kind"}).format(), "labs/x.md:14: check.kind: unknown kind");
}

TEST(LabParse, BundledLabsAreListedAndOpenByName) {
  const std::vector<LabInfo> labs = bundled_labs();
  const auto it = std::find_if(labs.begin(), labs.end(), [](const LabInfo& l) { return l.name == "lab1-trap-and-emulate"; });
  ASSERT_NE(it, labs.end());
  EXPECT_EQ(it->path, "labs/lab1-trap-and-emulate.md");
  EXPECT_EQ(it->title, "Lab 1: Trap-and-emulate");
  EXPECT_EQ(it->minutes, 30);
  for (const LabInfo& l : labs) EXPECT_FALSE(l.title.empty()) << l.name << " does not parse";
  EXPECT_TRUE(open_bundled_lab("lab1-trap-and-emulate").lab);
  const ParseResult none = open_bundled_lab("../scenarios/uk-bit-problem");
  EXPECT_FALSE(none.lab);
  ASSERT_EQ(none.errors.size(), 1u);
  EXPECT_EQ(bundled_lab_path("lab1-kernel"), "");  // a .s file is not a lab
}

TEST(LabParse, CounterNamesFollowTheRunJson) {
  const auto& n = counter_names();
  for (const char* name : {"machine.cycles", "machine.traps.PRIVILEGED", "vmm.emulated", "vmm.emulated_by_op.out",
                           "accounting.vmm", "accounting.total"})
    EXPECT_NE(std::find(n.begin(), n.end(), name), n.end()) << name;
}

}  // namespace
}  // namespace trapeze::lab
