// trapeze check LAB: run every step of a lab (docs/labs.md) headless with the
// student's sources in place of the starters, and grade it: text, --json (the
// one results shape the browser's checkLab() also answers), Gradescope's
// results.json, JUnit XML.
#include <cstdio>
#include <fstream>
#include <map>
#include <string>
#include <string_view>

#include "bundle/bundled_files.h"
#include "check_reports.h"
#include "commands.h"
#include "files.h"
#include "lab/bundled_labs.h"
#include "lab/check.h"
#include "lab/lab.h"

namespace trapeze::cli {
namespace {

constexpr const char* kUsage =
    "usage: trapeze check LAB [--submission GUEST=FILE.s]... [--json] [--gradescope FILE] [--junit FILE]\n"
    "  runs every step of the lab (a .md file, or the name of a bundled lab such as\n"
    "  lab1-trap-and-emulate) with FILE.s in place of guest GUEST's starter, and checks it\n"
    "  --json             print the results as JSON (docs/labs.md, \"Results\")\n"
    "  --gradescope FILE  write Gradescope's results.json to FILE\n"
    "  --junit FILE       write JUnit XML to FILE\n"
    "exit 0: every check passed; 3: a check failed; 1: a bad lab or submission; 2: a bad command line\n";

constexpr int kExitChecksFailed = 3;

struct Options {
  std::string lab;
  std::map<std::string, std::string> submissions;  // guest -> file
  bool json = false;
  std::string gradescope, junit;
};

std::optional<std::string> parse_args(int argc, char** argv, Options& o) {
  for (int i = 1; i < argc; ++i) {
    const std::string_view arg = argv[i];
    auto value = [&]() -> std::optional<std::string> {
      if (i + 1 >= argc) return std::nullopt;
      return std::string(argv[++i]);
    };
    if (arg == "--json") {
      o.json = true;
    } else if (arg == "--submission") {
      const auto v = value();
      const size_t eq = v ? v->find('=') : std::string::npos;
      if (!v || eq == 0 || eq == std::string::npos || eq + 1 == v->size())
        return std::string("--submission needs GUEST=FILE.s");
      if (!o.submissions.emplace(v->substr(0, eq), v->substr(eq + 1)).second)
        return "two submissions for guest '" + v->substr(0, eq) + "'";
    } else if (arg == "--gradescope" || arg == "--junit") {
      const auto v = value();
      if (!v || v->empty()) return std::string(arg) + " needs a file name";
      (arg == "--junit" ? o.junit : o.gradescope) = *v;
    } else if (arg == "-h" || arg == "--help") {
      return std::string("help");
    } else if (!arg.empty() && arg[0] == '-') {
      return "unknown option '" + std::string(arg) + "'";
    } else if (o.lab.empty()) {
      o.lab = std::string(arg);
    } else {
      return std::string("more than one lab given");
    }
  }
  if (o.lab.empty()) return std::string("no lab given");
  return std::nullopt;
}

// Files on disk first (a course's own lab and its files), then the bundled ones
// (presets, guests, the labs that come with Trapeze).
scenario::FileReader disk_then_bundle() {
  return [bundled = bundle::reader()](const std::string& path) -> text::FileText {
    text::FileText text = text::read_input_file(path, lab::kMaxLabBytes);
    if (!text.missing()) return text;  // read, or found and refused: say why
    return bundled(path);
  };
}

// A result's text for the terminal: a guest's console bytes (in "measured") and a
// lab's own strings are escaped, never passed raw (text/escape.h).
std::string shown(const nlohmann::ordered_json& v) { return text::escaped(v.get<std::string>()); }

void print_text(const nlohmann::ordered_json& r) {
  std::printf("=== %s ===\n", shown(r["title"]).c_str());
  for (const auto& step : r["steps"]) {
    std::printf("Step %d: %s  [%d/%d]\n", step["step"].get<int>(), shown(step["title"]).c_str(),
                step["score"].get<int>(), step["max_score"].get<int>());
    if (!step["error"].get<std::string>().empty())
      std::printf("  could not run: %s\n", shown(step["error"]).c_str());
    for (const auto& c : step["checks"]) {
      const bool ok = c["passed"].get<bool>();
      std::printf("  %s %s  (%d/%d)\n", ok ? "PASS" : "FAIL", shown(c["name"]).c_str(),
                  c["points"].get<int>(), c["max_points"].get<int>());
      if (!ok)
        std::printf("       measured: %s\n       expected: %s\n", shown(c["measured"]).c_str(),
                    shown(c["expected"]).c_str());
    }
  }
  std::printf("score: %d of %d%s\n", r["score"].get<int>(), r["max_score"].get<int>(),
              r["passed"].get<bool>() ? " (all checks pass)" : "");
}

}  // namespace

int cmd_check(int argc, char** argv) {
  Options o;
  if (const auto error = parse_args(argc, argv, o)) {
    if (*error == "help") {
      std::fputs(kUsage, stdout);
      return 0;
    }
    std::fprintf(stderr, "trapeze check: %s\n%s", error->c_str(), kUsage);
    return kExitUsage;
  }
  const scenario::FileReader files = disk_then_bundle();
  // A path, or a bundled lab's name.
  std::string path = o.lab;
  text::FileText text = text::read_input_file(path, lab::kMaxLabBytes);
  if (text.missing() && !lab::bundled_lab_path(o.lab).empty()) {
    path = lab::bundled_lab_path(o.lab);
    text = bundle::reader()(path);
  }
  if (!text) {
    std::fprintf(stderr, "trapeze check: cannot read '%s' (a lab file, or a bundled lab's name): %s\n",
                 text::escaped(o.lab).c_str(), text.error().c_str());
    return kExitInputError;
  }
  const lab::ParseResult parsed = lab::parse(*text, path, files);
  if (!parsed.lab) {
    for (const lab::Diagnostic& d : parsed.errors) std::fprintf(stderr, "%s\n", text::escaped(d.format()).c_str());
    std::fprintf(stderr, "trapeze check: %zu error%s in the lab; nothing was run\n", parsed.errors.size(),
                 parsed.errors.size() == 1 ? "" : "s");
    return kExitInputError;
  }
  const lab::Lab& lab = *parsed.lab;

  // Every submission is read, and names a guest some step has a starter for.
  lab::Submission submission;
  bool bad = false;
  for (const auto& [guest, file] : o.submissions) {
    bool known = false;
    for (const lab::Step& s : lab.steps)
      for (const lab::Starter& st : s.starters) known |= st.guest == guest;
    if (!known) {
      std::string names;
      for (const lab::Step& s : lab.steps)
        for (const lab::Starter& st : s.starters)
          if (names.find("'" + st.guest + "'") == std::string::npos) names += (names.empty() ? "" : ", ") + ("'" + st.guest + "'");
      std::fprintf(stderr, "trapeze check: --submission %s: no step has a starter for guest '%s' (starters: %s)\n",
                   text::escaped(guest).c_str(), text::escaped(guest).c_str(), names.empty() ? "none" : text::escaped(names).c_str());
      bad = true;
      continue;
    }
    text::FileText source = text::read_input_file(file);
    if (!source || source->size() > scenario::kMaxSourceBytes) {
      const std::string why = source ? "larger than the " + std::to_string(scenario::kMaxSourceBytes >> 10) +
                                           " KiB a source may be"
                                     : "cannot read the file: " + source.error();
      std::fprintf(stderr, "trapeze check: --submission %s=%s: %s\n", text::escaped(guest).c_str(),
                   text::escaped(file).c_str(), why.c_str());
      bad = true;
      continue;
    }
    submission[guest] = std::move(*source);
  }
  if (bad) return kExitInputError;

  lab::Environment env = lab::default_environment();
  env.files = files;
  std::vector<lab::StepResult> results;
  for (size_t i = 0; i < lab.steps.size(); ++i) results.push_back(lab::check_step(lab, i, submission, {}, env));
  const nlohmann::ordered_json r = lab::results_to_json(lab, results);

  if (o.json) std::printf("%s\n", text::json_text(r, 2).c_str());
  else print_text(r);
  if (!o.gradescope.empty() &&
      !write_file(o.gradescope, text::json_text(gradescope_results(r), 2) + "\n")) {
    std::fprintf(stderr, "trapeze check: cannot write '%s'\n", o.gradescope.c_str());
    return kExitInputError;
  }
  if (!o.junit.empty() && !write_file(o.junit, junit_xml(r))) {
    std::fprintf(stderr, "trapeze check: cannot write '%s'\n", o.junit.c_str());
    return kExitInputError;
  }
  return r["passed"].get<bool>() ? 0 : kExitChecksFailed;
}

}  // namespace trapeze::cli
