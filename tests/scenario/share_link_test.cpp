// Share links and saved documents: fragments round-trip, documents round-trip a
// scenario byte for byte, and every kind of bad input is refused with a message
// naming the problem (versions, sizes, characters, fields).
#include "scenario/share_link.h"

#include <gtest/gtest.h>

namespace trapeze::scenario::share {
namespace {

// Two guests with different strategies and defines, as the frontend writes them.
std::string two_guests() {
  Scenario s;
  s.name = "two guests";
  s.description = "caf\xc3\xa9 \"quoted\"\nnew line";
  s.quantum = 12345;
  GuestSpec a;
  a.name = "a";
  a.source = "  li r1, 'a'\n  out PORT_CONSOLE, r1\n  halt\n";
  a.strategy = vmm::StrategyKind::NATIVE;
  GuestSpec b = a;
  b.name = "b";
  b.defines = {{"PV", 1}, {"LOOPS", -3}};
  b.strategy = vmm::StrategyKind::PV;
  s.guests = {a, b};
  return to_json(s);
}

std::string fragment_error(std::string_view text) {
  std::string error;
  EXPECT_FALSE(parse_fragment(text, &error)) << text;
  return error;
}

std::string document_error(std::string_view text, bool bare = false) {
  std::string error;
  EXPECT_FALSE(decode_document(text, bare, &error)) << text;
  return error;
}

TEST(ShareLink, FragmentRoundTrips) {
  Fragment f;
  f.data = "eJy-_09AZaz";
  f.panels = std::vector<std::string>{"editor", "page_tables", "event-log"};
  f.read_only = true;
  const std::string text = format_fragment(f);
  EXPECT_EQ(text, "s=1.eJy-_09AZaz&panels=editor,page_tables,event-log&ro=1");
  std::string error;
  auto back = parse_fragment("#" + text, &error);
  ASSERT_TRUE(back) << error;
  EXPECT_EQ(*back, f);
}

TEST(ShareLink, FragmentPartsAreOptionalAndInAnyOrder) {
  auto f = parse_fragment("ro=1&s=1.AAAA", nullptr);
  ASSERT_TRUE(f);
  EXPECT_EQ(f->data, "AAAA");
  EXPECT_TRUE(f->read_only);
  EXPECT_FALSE(f->panels);
  auto empty = parse_fragment("#", nullptr);
  ASSERT_TRUE(empty);
  EXPECT_TRUE(empty->data.empty());
  auto only_panels = parse_fragment("panels=editor", nullptr);
  ASSERT_TRUE(only_panels);
  EXPECT_TRUE(only_panels->data.empty());
  EXPECT_EQ(only_panels->panels, std::vector<std::string>{"editor"});
  EXPECT_FALSE(only_panels->theme);
}

TEST(ShareLink, FragmentCarriesTheTheme) {
  auto light = parse_fragment("#s=1.AAAA&theme=light", nullptr);
  ASSERT_TRUE(light);
  EXPECT_EQ(light->theme, std::optional<std::string>("light"));
  Fragment f;
  f.data = "AAAA";
  f.theme = "dark";
  EXPECT_EQ(format_fragment(f), "s=1.AAAA&theme=dark");
  EXPECT_EQ(parse_fragment(format_fragment(f), nullptr), f);
}

TEST(ShareLink, FragmentFromANewerOrOlderTrapezeSaysSo) {
  EXPECT_EQ(fragment_error("s=2.AAAA"),
            "link format 2 comes from a newer Trapeze (this one reads 1 to 1): open it with the "
            "newer version");
  EXPECT_EQ(fragment_error("s=0.AAAA"),
            "link format 0 is no longer supported (this Trapeze reads 1 to 1)");
}

TEST(ShareLink, MalformedFragmentsNameTheProblem) {
  EXPECT_EQ(fragment_error("s=AAAA"), "s: expected FORMAT.DATA (such as s=1.eJy...), got \"AAAA\"");
  EXPECT_EQ(fragment_error("s=x.AAAA"),
            "s: expected FORMAT.DATA (such as s=1.eJy...), got \"x.AAAA\"");
  EXPECT_EQ(fragment_error("s=1."), "s: the scenario data is empty (was the link cut short?)");
  EXPECT_EQ(fragment_error("s=1.AAAAA"),
            "s: the data has an impossible length (was the link cut short?)");
  EXPECT_EQ(fragment_error("s=1.AA<script>"),
            "s: character 3 of the data, \"<\", is not base64url (A-Z a-z 0-9 - _)");
  EXPECT_EQ(fragment_error("s=1.AA%3D"),
            "s: character 3 of the data, \"%\", is not base64url (A-Z a-z 0-9 - _)");
  EXPECT_EQ(fragment_error("s=1.AAAA&s=1.BBBB"), "s: given twice");
  EXPECT_EQ(fragment_error("x=1"), "\"x\": unknown part of the link (expected s, panels, ro, theme, lab or step)");
  // Letters beyond ASCII are quoted as typed; control characters escaped.
  EXPECT_EQ(fragment_error("theme=caf\xC3\xA9 \xE2\x9C\x93"), "theme: expected dark or light, got \"caf\xC3\xA9 \xE2\x9C\x93\"");
  EXPECT_EQ(fragment_error("theme=a\x1B[2Jb"), "theme: expected dark or light, got \"a\\x1B[2Jb\"");
  EXPECT_EQ(fragment_error("hello"), "\"hello\": expected KEY=VALUE (s, panels, ro, theme, lab or step)");
  EXPECT_EQ(fragment_error("ro=yes"), "ro: expected 0 or 1, got \"yes\"");
  EXPECT_EQ(fragment_error("theme=blue"), "theme: expected dark or light, got \"blue\"");
  EXPECT_EQ(fragment_error("theme=light&theme=dark"), "theme: given twice");
  EXPECT_EQ(fragment_error("panels=Editor"),
            "panels: \"Editor\" is not a panel name (a-z, 0-9, _ or -, at most 32 characters)");
  EXPECT_EQ(fragment_error("panels=a,,b"),
            "panels: \"\" is not a panel name (a-z, 0-9, _ or -, at most 32 characters)");
  EXPECT_EQ(fragment_error("panels=a,b,a"), "panels: \"a\" is named twice");
  EXPECT_EQ(fragment_error("s=1.AAAA&panels="),
            "panels: empty (name the panels to show, e.g. panels=guests,counters)");
  std::string many = "panels=p0";
  for (int i = 1; i <= 16; ++i) many += ",p" + std::to_string(i);
  EXPECT_EQ(fragment_error(many), "panels: more than 16 panels");
}

TEST(ShareLink, OversizedFragmentDataIsRefusedBeforeDecoding) {
  const std::string data(kMaxDataChars + 4, 'A');
  EXPECT_EQ(fragment_error("s=1." + data), "s: " + std::to_string(data.size()) +
                                               " characters of data (at most " +
                                               std::to_string(kMaxDataChars) + ")");
  const std::string huge(kMaxDataChars + 8192, 'A');
  EXPECT_NE(fragment_error("s=1." + huge).find("the link is"), std::string::npos);
  // Exactly at the cap is accepted.
  EXPECT_TRUE(parse_fragment("s=1." + std::string(kMaxDataChars / 4 * 4, 'A'), nullptr));
}

TEST(ShareLink, DocumentRoundTripsTheScenarioExactly) {
  const std::string scenario = two_guests();
  std::string error;
  auto doc = encode_document(scenario, Layout{{"editor", "counters"}}, &error);
  ASSERT_TRUE(doc) << error;
  auto back = decode_document(*doc, false, &error);
  ASSERT_TRUE(back) << error;
  EXPECT_EQ(back->scenario_json, scenario);
  EXPECT_EQ(back->layout, (Layout{{"editor", "counters"}}));
  // And it is still the same scenario.
  EXPECT_EQ(parse(back->scenario_json, &error), parse(scenario, &error));
}

TEST(ShareLink, DocumentWithoutLayoutHasTheDefaultLayout) {
  auto doc = encode_document(two_guests(), Layout{}, nullptr);
  ASSERT_TRUE(doc);
  EXPECT_EQ(doc->find("layout"), std::string::npos);
  auto back = decode_document(*doc, false, nullptr);
  ASSERT_TRUE(back);
  EXPECT_TRUE(back->layout.panels.empty());
}

TEST(ShareLink, BareScenarioFilesAreReadOnlyWhenAsked) {
  const std::string scenario = two_guests();
  EXPECT_EQ(document_error(scenario), "not a Trapeze document (no \"trapeze\" format field)");
  std::string error;
  auto doc = decode_document(scenario, true, &error);
  ASSERT_TRUE(doc) << error;
  EXPECT_EQ(doc->scenario_json, scenario);
  // A bare file's errors are the scenario loader's own.
  EXPECT_EQ(document_error(R"({"version": 1, "guests": [{"name": "a", "source": "halt",
            "strategy": "warp"}]})", true),
            "guests[0].strategy: unknown strategy \"warp\" (expected native, trap, pv, bt, hw, "
            "hw-nested)");
}

TEST(ShareLink, DocumentFromANewerOrOlderTrapezeSaysSo) {
  const std::string scenario = two_guests();
  EXPECT_EQ(document_error(R"({"trapeze": 2, "scenario": )" + scenario + "}"),
            "format 2 comes from a newer Trapeze (this one reads 1 to 1): open it with the newer "
            "version");
  EXPECT_EQ(document_error(R"({"trapeze": 0, "scenario": )" + scenario + "}"),
            "format 0 is no longer supported (this Trapeze reads 1 to 1)");
  EXPECT_EQ(document_error(R"({"trapeze": "1", "scenario": {}})"),
            "trapeze: expected the format number, got \"\"1\"\"");
}

TEST(ShareLink, MalformedDocumentsNameTheProblem) {
  const std::string scenario = two_guests();
  // A syntax error says where it is (a hand-edited file: line and column).
  const std::string cut = document_error("{\"trapeze\": 1,\n");
  EXPECT_EQ(cut.rfind("not valid JSON: parse error at line 2, column 1: ", 0), 0u) << cut;
  EXPECT_EQ(document_error("[1]"), "expected a JSON object");
  EXPECT_EQ(document_error(R"({"trapeze": 1})"), "scenario: missing");
  EXPECT_EQ(document_error(R"({"trapeze": 1, "scenario": []})"), "scenario: expected an object");
  EXPECT_EQ(document_error(R"({"trapeze": 1, "scenario": )" + scenario + R"(, "extra": 1})"),
            "extra: unknown key (expected trapeze, scenario, layout, lab)");
  EXPECT_EQ(document_error(R"({"trapeze": 1, "trapeze": 1, "scenario": {}})"),
            "the key \"trapeze\" appears twice in one object");
  // The scenario's own errors come from the scenario loader, naming its field.
  EXPECT_EQ(document_error(R"({"trapeze": 1, "scenario": {"version": 1, "guests": [{"name": "a",
            "source": "halt", "strategy": "warp"}]}})"),
            "scenario: guests[0].strategy: unknown strategy \"warp\" (expected native, trap, pv, "
            "bt, hw, hw-nested)");
  EXPECT_EQ(document_error(R"({"trapeze": 1, "scenario": )" + scenario +
                           R"(, "layout": {"panels": ["ok", 3]}})"),
            "layout.panels: \"3\" is not a panel name");
  EXPECT_EQ(document_error(R"({"trapeze": 1, "scenario": )" + scenario +
                           R"(, "layout": {"panels": ["a,b"]}})"),
            "layout.panels: \"a,b\" is not a panel name (a-z, 0-9, _ or -, at most 32 characters)");
  EXPECT_EQ(document_error(R"({"trapeze": 1, "scenario": )" + scenario +
                           R"(, "layout": {"size": 3}})"),
            "layout.size: unknown key (expected panels)");
}

TEST(ShareLink, DeepNestingAndOversizedDocumentsAreRefused) {
  EXPECT_EQ(document_error(std::string(100000, '[')), "nested deeper than 32 levels");
  // Brackets inside strings do not count.
  const std::string brackets(100, '[');
  EXPECT_EQ(document_error(R"({"trapeze": 1, "x": ")" + brackets + "\"}"),
            "x: unknown key (expected trapeze, scenario, layout, lab)");
  const std::string big(kMaxDocumentBytes + 1, ' ');
  EXPECT_EQ(document_error(big), std::to_string(big.size()) + " bytes (at most " +
                                     std::to_string(kMaxDocumentBytes) + ")");
}

// Guests of up to 256 KiB each can add up past the 1 MiB a scenario may hold: saving
// (autosave, a link) is refused once, with the limit and what to do, no prefix twice.
TEST(ShareLink, EncodingAScenarioOverItsLimitSaysWhichLimitAndWhatToDo) {
  Scenario s;
  for (int i = 0; i < 5; ++i) {
    GuestSpec g;
    g.name = "g" + std::to_string(i);
    g.source = "; " + std::string(250 * 1024, 'x') + "\nhalt\n";
    s.guests.push_back(g);
  }
  std::string error;
  EXPECT_FALSE(encode_document(to_json(s), Layout{}, &error));
  EXPECT_EQ(error.rfind("the scenario is ", 0), 0u) << error;
  EXPECT_NE(error.find("more than the 1048576 bytes (1 MiB) a scenario may hold: "
                       "make a guest's source shorter or remove a guest"), std::string::npos) << error;
  EXPECT_EQ(error.find("scenario: "), std::string::npos) << error;
}

TEST(ShareLink, EncodingRefusesWhatCouldNotBeOpened) {
  std::string error;
  EXPECT_FALSE(encode_document("{", Layout{}, &error));
  EXPECT_EQ(error.rfind("scenario: not valid JSON: parse error at line 1, column 2: ", 0), 0u) << error;
  EXPECT_FALSE(encode_document(two_guests(), Layout{{"Bad Name"}}, &error));
  EXPECT_EQ(error,
            "layout.panels: \"Bad Name\" is not a panel name (a-z, 0-9, _ or -, at most "
            "32 characters)");
  EXPECT_FALSE(encode_document(R"({"version": 1, "guests": []})", Layout{}, &error));
  EXPECT_EQ(error.rfind("scenario: ", 0), 0u) << error;
}

TEST(ShareLink, InvalidUtf8IsRefusedNotPassedOn) {
  const std::string error = document_error("{\"trapeze\": 1, \"scenario\": {\"name\": \"\xff\"}}");
  EXPECT_EQ(error.rfind("not valid JSON: parse error at line 1, column ", 0), 0u) << error;
  EXPECT_EQ(error.find('\xff'), std::string::npos) << "the byte itself is not passed on";
}

}  // namespace
}  // namespace trapeze::scenario::share
