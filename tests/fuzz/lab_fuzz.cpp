// Fuzz target: the lab parser (core/lab) on arbitrary text, with the bundled
// presets and a tiny file world. Invariants: a rejected lab comes with errors,
// each naming the file and a line inside the input (1 .. lines + 1) and a
// message; an accepted lab has steps, each with a scenario that has guests, every
// check and prediction naming guests of that scenario, ids unique in the lab;
// parsing is deterministic; the rich-text conversion of any text never fails.
#include <algorithm>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <set>
#include <string>
#include <string_view>

#include "bundle/bundled_files.h"
#include "lab/lab.h"
#include "line_count.h"

namespace {
void check(bool ok, const char* what) {
  if (!ok) {
    std::fprintf(stderr, "invariant violated: %s\n", what);
    std::abort();
  }
}

bool has_guest(const trapeze::lab::Step& s, const std::string& name) {
  for (const auto& g : s.scenario.guests)
    if (g.name == name) return true;
  return false;
}
}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace trapeze::lab;
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  static const trapeze::scenario::FileReader bundled = trapeze::bundle::reader();
  const trapeze::scenario::FileReader read = [](const std::string& path) -> trapeze::text::FileText {
    if (auto t = bundled(path)) return t;
    if (path.size() % 3 == 0) return std::string("_start:\n  li r1, 'x'\n  out PORT_CONSOLE, r1\n  halt\n");
    return std::nullopt;
  };
  const ParseResult r = parse(text, "labs/fuzz.md", read);
  const int lines = line_count(text);
  if (!r.lab) {
    check(!r.errors.empty(), "a rejected lab without errors");
    for (const Diagnostic& d : r.errors) {
      check(d.file == "labs/fuzz.md", "an error without the file name");
      check(d.line >= 1 && d.line <= lines + 1, "an error's line outside the input");
      check(!d.message.empty(), "an error without a message");
    }
  } else {
    check(r.errors.empty(), "an accepted lab with errors");
    check(!r.lab->steps.empty(), "an accepted lab without steps");
    std::set<std::string> ids;
    for (const Step& s : r.lab->steps) {
      check(!s.scenario.guests.empty(), "a step whose scenario has no guests");
      for (const Check& c : s.checks) {
        check(ids.insert(c.id).second, "a check id used twice");
        check(c.kind == Check::Kind::Experiment || has_guest(s, c.guest), "a check on a guest not in the scenario");
      }
      for (const Prediction& p : s.predictions) {
        check(ids.insert(p.id).second, "a prediction id used twice");
        if (p.kind == Prediction::Kind::Number) check(has_guest(s, p.guest), "a prediction on a missing guest");
        for (const std::string& o : p.options) check(has_guest(s, o), "an option that is not a guest");
      }
      for (const Starter& st : s.starters) check(has_guest(s, st.guest), "a starter for a missing guest");
    }
  }
  const ParseResult again = parse(text, "labs/fuzz.md", read);
  check(again.errors.size() == r.errors.size() && bool(again.lab) == bool(r.lab), "parsing is not deterministic");
  (void)markdown_to_rich_text(text);
  return 0;
}
