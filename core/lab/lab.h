// A lab: a lecture as guided, self-checking exercises (docs/labs.md has the
// format). parse() turns the Markdown file course staff write into a Lab — steps,
// each with its scenario, starter sources, predictions and checks — and lists
// every error with file, line and field, going on after each to find the others.
// Like the scenario loader it never crashes or throws, whatever the input (it is
// fuzzed), and reaches files only through the caller's reader.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "lab/rich_text.h"
#include "scenario/scenario.h"
#include "text/input_file.h"

namespace trapeze::lab {

inline constexpr size_t kMaxLabBytes = text::kMaxInputFileBytes;  // as every input file

// One problem in a lab file.
struct Diagnostic {
  std::string file;
  int line = 0;        // 1-based
  std::string field;   // "front-matter.title", "check.kind", "scenario", ...
  std::string message;
  std::string format() const;  // "file:line: field: message"
};

// `OP VALUE [± TOLERANCE]` (docs/labs.md, "expect").
struct Expectation {
  enum class Op { Eq, Ne, Lt, Le, Gt, Ge, About };
  enum class Against { Number, Guest, Column };
  Op op = Op::Eq;
  Against against = Against::Number;
  double number = 0;       // Against::Number
  std::string name;        // Against::Guest: a guest; Against::Column: a column
  double tolerance = 0;    // 0: exact
  bool relative = false;   // tolerance is a fraction of the expected value
  std::string text;        // as written, for messages ("~ column mm1_latency ± 10%")
};

struct Check {
  enum class Kind {
    ConsoleContains,
    ConsoleEquals,
    ConsoleBareMetal,
    Counter,
    Accounting,
    Halted,
    NotCrashed,
    Experiment,
  };
  std::string id;    // unique in the lab
  std::string name;
  Kind kind = Kind::Halted;
  int points = 1;
  bool task = false;     // the starter fails it; the student's work makes it pass
  std::string guest;     // all kinds but Experiment
  std::string text;      // console kinds
  std::string counter;   // Counter: "vmm.emulated"; Accounting: "accounting.vmm"
  Expectation expect;    // Counter, Accounting, Experiment
  std::string experiment, column;
  std::vector<std::pair<std::string, std::string>> row;  // column = value
  int line = 0;          // where the block starts in the lab file
};

struct Prediction {
  enum class Kind { Number, Choice };
  std::string id;
  std::vector<Span> question;
  Kind kind = Kind::Number;
  std::string guest;    // Number
  std::string measure;  // a counter or accounting.PART
  double tolerance = 0;
  bool relative = false;
  std::vector<std::string> options;  // Choice: guest names
  bool pick_largest = true;          // Choice
  int line = 0;
};

struct Starter {
  std::string guest;
  std::string source;
  std::string file;  // where it was read from ("" if inline in the lab)
  int line = 0;
};

struct Step {
  std::string title;
  RichText text;              // the prose, lab blocks taken out
  std::string scenario_json;  // the scenario's JSON text
  std::string scenario_path;  // the scenario's path for its "file" guests
  scenario::Scenario scenario;
  std::vector<Starter> starters;
  std::vector<Prediction> predictions;
  std::vector<Check> checks;
  int line = 0;
};

struct Lab {
  std::string name;  // the file name without folder and ".md": "lab1-trap-and-emulate"
  std::string file;  // as given to parse()
  std::string title;
  std::string summary;
  int minutes = 0;
  RichText intro;
  std::vector<Step> steps;
  int max_points() const;
};

struct ParseResult {
  std::optional<Lab> lab;              // set only when there are no errors
  std::vector<Diagnostic> errors;
};

// Parses lab `text`, read from `file` (a path: "labs/lab1.md"); `read_file` reads
// what it references (presets as "scenarios/NAME.json", other files relative to
// `file`'s folder, paths normalized).
ParseResult parse(std::string_view text, const std::string& file, const scenario::FileReader& read_file);

// A check kind's name as a lab file writes it ("console-bare-metal").
std::string_view kind_name(Check::Kind kind);

// Every counter name a check or prediction may use ("machine.cycles", ...,
// "accounting.total"), in the order `trapeze run --json` prints them.
const std::vector<std::string>& counter_names();

}  // namespace trapeze::lab
