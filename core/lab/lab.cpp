// The lab parser: front matter by lines, the rest with md4c (markdown.h), then
// each lab block's fields (fields.h). Every problem becomes one Diagnostic and
// the parse goes on, so a file with five mistakes gets five messages.
#include "lab/lab.h"

#include <algorithm>
#include <set>

#include "experiments/experiment.h"
#include "lab/fields.h"
#include "lab/markdown.h"
#include "scenario/lab_progress.h"
#include "session/file_table.h"

namespace trapeze::lab {

std::string Diagnostic::format() const {
  std::string r = file + ":" + std::to_string(line) + ": ";
  if (!field.empty()) r += field + ": ";
  return r + message;
}

int Lab::max_points() const {
  int n = 0;
  for (const Step& s : steps)
    for (const Check& c : s.checks) n += c.points;
  return n;
}

namespace {

constexpr int kMaxPoints = 1000;

struct KindName {
  Check::Kind kind;
  std::string_view name;
};
constexpr KindName kKinds[] = {
    {Check::Kind::ConsoleContains, "console-contains"}, {Check::Kind::ConsoleEquals, "console-equals"},
    {Check::Kind::ConsoleBareMetal, "console-bare-metal"}, {Check::Kind::Counter, "counter"},
    {Check::Kind::Accounting, "accounting"},            {Check::Kind::Halted, "halted"},
    {Check::Kind::NotCrashed, "not-crashed"},           {Check::Kind::Experiment, "experiment"},
};

std::string kind_list() {
  std::string r;
  for (const KindName& k : kKinds) r += (r.empty() ? "" : ", ") + std::string(k.name);
  return r;
}

// CRLF and lone CR as LF.
std::string lf_lines(const std::string& text) {
  std::string out;
  out.reserve(text.size());
  for (size_t i = 0; i < text.size(); ++i) {
    if (text[i] != '\r') out += text[i];
    else if (i + 1 >= text.size() || text[i + 1] != '\n') out += '\n';
  }
  return out;
}

std::string in_quotes(std::string_view s) { return "\"" + std::string(s) + "\""; }

// The folder of `file` with a trailing '/', or "".
std::string folder_of(const std::string& file) {
  const size_t slash = file.rfind('/');
  return slash == std::string::npos ? "" : file.substr(0, slash + 1);
}

bool valid_id(std::string_view id) { return scenario::lab::is_prediction_id(id); }

// The lab blocks of one step, as md4c found them.
struct RawBlock {
  std::string keyword;  // scenario, starter, predict, check
  std::string args;     // the rest of the info string
  std::string body;
  int line = 0;         // the opening fence's line
};

struct RawStep {
  Step step;
  std::vector<RawBlock> blocks;
};

class Parser {
 public:
  Parser(const std::string& file, const scenario::FileReader& read) : file_(file), read_(read) {}

  ParseResult run(std::string_view input) {
    std::string text(input.substr(0, kMaxLabBytes));
    if (input.size() > kMaxLabBytes)
      error(1, "", "the file is larger than " + std::to_string(kMaxLabBytes >> 10) + " KiB");
    // CRLF and lone CR end lines as LF does (as in the assembler); line numbers
    // are counted in lines either way.
    text = lf_lines(text);
    lab_.file = file_;
    lab_.name = file_.substr(file_.rfind('/') == std::string::npos ? 0 : file_.rfind('/') + 1);
    if (lab_.name.size() > 3 && lab_.name.compare(lab_.name.size() - 3, 3, ".md") == 0)
      lab_.name.resize(lab_.name.size() - 3);

    const auto [body, body_line] = front_matter(text);
    split(body, body_line);
    if (raw_.empty()) error(body_line, "step", "the lab has no steps (each starts with a '## Title' heading)");
    for (size_t i = 0; i < raw_.size(); ++i) lab_.steps.push_back(finish_step(raw_[i], i));

    ParseResult r;
    // In file order (field syntax is checked before meaning, block by block).
    std::stable_sort(errors_.begin(), errors_.end(),
                     [](const Diagnostic& a, const Diagnostic& b) { return a.line < b.line; });
    r.errors = std::move(errors_);
    if (r.errors.empty()) r.lab = std::move(lab_);
    return r;
  }

 private:
  void error(int line, const std::string& field, std::string message) {
    errors_.push_back({file_, line, field, std::move(message)});
  }

  // ---- front matter ------------------------------------------------------------------
  std::pair<std::string_view, int> front_matter(std::string_view text) {
    const std::string_view opening = "---\n";
    if (text.substr(0, opening.size()) != opening && text != "---") {
      error(1, "front-matter",
            "a lab starts with a front matter block: a line '---', then 'title: ...', then a line '---'");
      return {text, 1};
    }
    // The closing line.
    size_t pos = opening.size();
    int line = 2;
    while (pos <= text.size()) {
      size_t end = text.find('\n', pos);
      if (end == std::string_view::npos) end = text.size();
      if (trim(text.substr(pos, end - pos)) == "---") break;
      pos = end + 1;
      ++line;
    }
    if (pos > text.size()) {
      error(1, "front-matter", "no closing '---' line after the front matter");
      return {text.substr(std::min(text.size(), opening.size())), 2};
    }
    const std::string_view inside = text.substr(opening.size(), pos - opening.size());
    for (const Field& f : parse_fields(inside, 2, "front-matter", file_, errors_)) {
      const std::string field = "front-matter." + f.name;
      if (f.name == "title") {
        lab_.title = f.value;
      } else if (f.name == "summary") {
        lab_.summary = f.value;
      } else if (f.name == "minutes") {
        const auto v = parse_number(f.value);
        if (!v || *v < 1 || *v > 600 || *v != double(int(*v)))
          error(f.line, field, "expected a whole number of minutes (1 to 600), got " + in_quotes(f.value));
        else
          lab_.minutes = int(*v);
      } else {
        error(f.line, field, "unknown field (expected title, summary, minutes)");
      }
    }
    if (trim(lab_.title).empty()) error(1, "front-matter.title", "missing: every lab has a title");
    const size_t after = std::min(text.size(), text.find('\n', pos) == std::string_view::npos
                                                   ? text.size()
                                                   : text.find('\n', pos) + 1);
    return {text.substr(after), line + 1};
  }

  // ---- steps -------------------------------------------------------------------------
  static bool is_keyword(std::string_view w) {
    return w == "scenario" || w == "starter" || w == "predict" || w == "check";
  }

  void split(std::string_view body, int first_line) {
    for (SourcedBlock& b : markdown_blocks(body, first_line)) {
      if (b.top_level && b.block.kind == Block::Kind::Heading && b.block.level == 2) {
        RawStep s;
        s.step.title = trim(plain_text(b.block.spans));
        s.step.line = b.line;
        if (s.step.title.empty()) error(b.line, "step", "a step's heading has no title");
        if (raw_.size() == size_t(scenario::lab::kMaxSteps)) {  // the progress keeps no more
          error(b.line, "step", "a lab has at most " + std::to_string(scenario::lab::kMaxSteps) + " steps");
          return;
        }
        raw_.push_back(std::move(s));
        continue;
      }
      if (b.block.kind == Block::Kind::Code) {
        const std::string info = trim(b.info);
        const size_t sp = info.find_first_of(" \t");
        const std::string word = info.substr(0, sp);
        if (is_keyword(word)) {
          if (!b.top_level) {
            error(b.line, word, "a '" + word + "' block must not be inside a list or a quote");
            continue;
          }
          if (raw_.empty()) {
            error(b.line, word, "a '" + word + "' block belongs to a step: put it after a '## Title' heading");
            continue;
          }
          raw_.back().blocks.push_back(
              {word, sp == std::string::npos ? "" : trim(std::string_view(info).substr(sp)), b.block.code, b.line});
          continue;
        }
      }
      (raw_.empty() ? lab_.intro : raw_.back().step.text).push_back(std::move(b.block));
    }
  }

  Step finish_step(RawStep& raw, size_t index) {
    Step& step = raw.step;
    const std::string where = "step " + std::to_string(index + 1) + " (" + in_quotes(step.title) + ")";
    // The scenario first: the other blocks name its guests.
    int scenarios = 0;
    bool scenario_ok = false;
    for (const RawBlock& b : raw.blocks)
      if (b.keyword == "scenario" && ++scenarios == 1) scenario_ok = load_scenario(b, step);
      else if (b.keyword == "scenario")
        error(b.line, "scenario", where + " has more than one scenario block");
    if (scenarios == 0) error(step.line, "scenario", where + " has no scenario block");
    for (const RawBlock& b : raw.blocks) {
      if (b.keyword == "starter") starter(b, step, scenario_ok);
      else if (b.keyword == "predict") predict(b, step, scenario_ok);
      else if (b.keyword == "check") check(b, step, index, scenario_ok);
    }
    return std::move(step);
  }

  text::FileText read(const std::string& path) {
    if (!read_) return text::FileText();
    return read_(path);
  }

  bool load_scenario(const RawBlock& b, Step& step) {
    const std::string body = trim(b.body);
    if (!b.args.empty()) error(b.line, "scenario", "nothing goes after 'scenario' on the fence line");
    if (!body.empty() && body[0] == '{') {
      step.scenario_json = b.body;
      step.scenario_path = file_;
    } else {
      const std::vector<Field> fields = parse_fields(b.body, b.line + 1, "scenario", file_, errors_);
      const Field* source = nullptr;
      for (const Field& f : fields) {
        if (f.name != "preset" && f.name != "file") {
          error(f.line, "scenario." + f.name, "unknown field (expected preset or file, or an inline JSON scenario)");
          continue;
        }
        if (source) {
          error(f.line, "scenario." + f.name, "a scenario is either a preset or a file, not both");
          continue;
        }
        source = &f;
      }
      if (!source) {
        if (fields.empty()) error(b.line, "scenario", "empty: give 'preset: NAME', 'file: PATH' or the scenario's JSON");
        return false;
      }
      const std::string field = "scenario." + source->name;
      if (source->name == "preset") {
        if (!valid_id(source->value) || source->value.find('.') != std::string::npos) {
          error(source->line, field, "bad preset name " + in_quotes(source->value));
          return false;
        }
        step.scenario_path = "scenarios/" + source->value + ".json";
      } else {
        step.scenario_path = session::normalize_path(folder_of(file_) + source->value);
      }
      const auto text = read(step.scenario_path);
      if (!text) {
        error(source->line, field,
              source->name == "preset" ? "no preset named " + in_quotes(source->value)
                                       : "cannot read " + in_quotes(step.scenario_path) + ": " + text.error());
        return false;
      }
      step.scenario_json = *text;
    }
    std::string e;
    auto s = scenario::parse(step.scenario_json, &e);
    if (!s) {
      error(b.line, "scenario", e);
      return false;
    }
    if (s->guests.empty()) {
      error(b.line, "scenario", "the scenario has no guests");
      return false;
    }
    step.scenario = std::move(*s);
    return true;
  }

  // Guest `name` of the step's scenario exists (an error names the field otherwise).
  bool guest_exists(const Step& step, const std::string& name, int line, const std::string& field) {
    for (const scenario::GuestSpec& g : step.scenario.guests)
      if (g.name == name) return true;
    std::string names;
    for (const scenario::GuestSpec& g : step.scenario.guests) names += (names.empty() ? "" : ", ") + in_quotes(g.name);
    error(line, field, "no guest named " + in_quotes(name) + " in the step's scenario (its guests: " + names + ")");
    return false;
  }

  void starter(const RawBlock& b, Step& step, bool scenario_ok) {
    Starter s;
    s.line = b.line;
    std::string args = b.args;
    const size_t file_at = args.find(" file=");
    if (file_at != std::string::npos) {
      s.file = session::normalize_path(folder_of(file_) + trim(std::string_view(args).substr(file_at + 6)));
      args = trim(std::string_view(args).substr(0, file_at));
    } else if (args.rfind("file=", 0) == 0) {
      error(b.line, "starter", "name the guest first: 'starter GUEST file=PATH'");
      return;
    }
    s.guest = args;
    if (s.guest.size() >= 2 && s.guest.front() == '"' && s.guest.back() == '"')
      s.guest = s.guest.substr(1, s.guest.size() - 2);
    if (s.guest.empty()) {
      error(b.line, "starter", "name the guest whose source this is: 'starter GUEST'");
      return;
    }
    if (scenario_ok && !guest_exists(step, s.guest, b.line, "starter")) return;
    for (const Starter& o : step.starters)
      if (o.guest == s.guest) {
        error(b.line, "starter", "a second starter for guest " + in_quotes(s.guest));
        return;
      }
    if (!s.file.empty()) {
      if (!trim(b.body).empty()) error(b.line, "starter", "a starter read from a file has an empty body");
      const auto text = read(s.file);
      if (!text) {
        error(b.line, "starter.file", "cannot read " + in_quotes(s.file) + ": " + text.error());
        return;
      }
      s.source = *text;
    } else {
      s.source = b.body;
    }
    step.starters.push_back(std::move(s));
  }

  bool counter_known(const std::string& name, int line, const std::string& field) {
    const auto& names = counter_names();
    if (std::find(names.begin(), names.end(), name) != names.end()) return true;
    error(line, field,
          "unknown counter " + in_quotes(name) +
              " (counters are named as in `trapeze run --json`: machine.cycles, vmm.emulated, "
              "machine.traps.PRIV_INSN, accounting.vmm... ; docs/labs.md lists them)");
    return false;
  }

  bool unique_id(const std::string& id, int line, const std::string& field) {
    if (!valid_id(id)) {
      error(line, field, "bad id " + in_quotes(id) + " (letters, digits, '-', '_', '.'; at most " + std::to_string(scenario::lab::kMaxLabNameChars) + ")");
      return false;
    }
    if (!ids_.insert(id).second) {
      error(line, field, "id " + in_quotes(id) + " is used twice in the lab");
      return false;
    }
    return true;
  }

  void predict(const RawBlock& b, Step& step, bool scenario_ok) {
    if (!b.args.empty()) error(b.line, "predict", "nothing goes after 'predict' on the fence line");
    Prediction p;
    p.line = b.line;
    const Field *guest = nullptr, *options = nullptr, *pick = nullptr, *tolerance = nullptr;
    bool has_id = false, has_question = false, has_measure = false;
    // Kept for the pointers above, which the checks after the loop read.
    const std::vector<Field> fields = parse_fields(b.body, b.line + 1, "predict", file_, errors_);
    for (const Field& f : fields) {
      const std::string field = "predict." + f.name;
      if (f.name == "id") {
        has_id = true;
        p.id = f.value;
        unique_id(p.id, f.line, field);
      } else if (f.name == "question") {
        has_question = !trim(f.value).empty();
        const RichText q = markdown_to_rich_text(f.value);
        if (!q.empty()) p.question = q.front().spans;
      } else if (f.name == "measure") {
        has_measure = true;
        p.measure = f.value;
        counter_known(p.measure, f.line, field);
      } else if (f.name == "guest") {
        guest = &f;
        p.guest = f.value;
        if (scenario_ok) guest_exists(step, p.guest, f.line, field);
      } else if (f.name == "tolerance") {
        tolerance = &f;
        std::string e;
        if (const auto t = parse_tolerance(f.value, &e)) {
          p.tolerance = t->value;
          p.relative = t->relative;
        } else {
          error(f.line, field, e);
        }
      } else if (f.name == "options") {
        options = &f;
        std::string_view rest = f.value;
        while (true) {
          const size_t bar = rest.find('|');
          const std::string o = trim(rest.substr(0, bar));
          if (!o.empty()) p.options.push_back(o);
          if (bar == std::string_view::npos) break;
          rest = rest.substr(bar + 1);
        }
        if (p.options.size() < 2) error(f.line, field, "a choice needs two options or more: 'a | b'");
        if (scenario_ok)
          for (const std::string& o : p.options) guest_exists(step, o, f.line, field);
      } else if (f.name == "pick") {
        pick = &f;
        if (f.value == "largest" || f.value == "smallest") p.pick_largest = f.value == "largest";
        else error(f.line, field, "expected largest or smallest, got " + in_quotes(f.value));
      } else {
        error(f.line, field, "unknown field (expected id, question, guest, measure, tolerance, options, pick)");
      }
    }
    if (!has_id) error(b.line, "predict.id", "missing: every prediction has an id");
    if (!has_question) error(b.line, "predict.question", "missing: what does the student predict?");
    if (!has_measure) error(b.line, "predict.measure", "missing: the counter the answer is compared with");
    p.kind = options ? Prediction::Kind::Choice : Prediction::Kind::Number;
    if (options) {
      if (guest) error(guest->line, "predict.guest", "a choice compares its options' guests: no 'guest'");
      if (tolerance) error(tolerance->line, "predict.tolerance", "a choice has no tolerance");
      if (!pick) error(options->line, "predict.pick", "missing: largest or smallest");
    } else {
      if (!guest) error(b.line, "predict.guest", "missing: whose value is predicted (or 'options' for a choice)");
      if (pick) error(pick->line, "predict.pick", "'pick' goes with 'options'");
    }
    step.predictions.push_back(std::move(p));
  }

  void check(const RawBlock& b, Step& step, size_t step_index, bool scenario_ok) {
    if (!b.args.empty()) error(b.line, "check", "nothing goes after 'check' on the fence line");
    Check c;
    c.line = b.line;
    const std::vector<Field> fields = parse_fields(b.body, b.line + 1, "check", file_, errors_);
    auto find = [&](std::string_view name) -> const Field* {
      for (const Field& f : fields)
        if (f.name == name) return &f;
      return nullptr;
    };
    // The kind decides which fields apply.
    const Field* kind = find("kind");
    bool kind_ok = false;
    if (!kind) {
      error(b.line, "check.kind", "missing (one of " + kind_list() + ")");
    } else {
      for (const KindName& k : kKinds)
        if (k.name == kind->value) {
          c.kind = k.kind;
          kind_ok = true;
        }
      if (!kind_ok) error(kind->line, "check.kind", "unknown kind " + in_quotes(kind->value) + " (expected " + kind_list() + ")");
    }
    using K = Check::Kind;
    const bool console = c.kind == K::ConsoleContains || c.kind == K::ConsoleEquals;
    const bool compares = c.kind == K::Counter || c.kind == K::Accounting || c.kind == K::Experiment;
    auto applies = [&](const std::string& name) {
      if (name == "name" || name == "kind" || name == "id" || name == "points" || name == "task") return true;
      if (!kind_ok) return true;  // unknown kind: no second message per field
      if (name == "guest") return c.kind != K::Experiment;
      if (name == "text") return console;
      if (name == "counter") return c.kind == K::Counter;
      if (name == "part") return c.kind == K::Accounting;
      if (name == "expect") return compares;
      return c.kind == K::Experiment && (name == "experiment" || name == "row" || name == "column");
    };
    static const std::set<std::string> kFields = {"name", "kind", "id", "points", "task", "guest", "text", "counter",
                                                  "part", "expect", "experiment", "row", "column"};
    for (const Field& f : fields) {
      const std::string field = "check." + f.name;
      if (!kFields.count(f.name)) {
        error(f.line, field, "unknown field (expected name, kind, id, points, task, guest, text, counter, part, "
                             "expect, experiment, row, column)");
        continue;
      }
      if (!applies(f.name)) {
        error(f.line, field, "does not apply to a check of kind " + in_quotes(kind->value));
        continue;
      }
      if (f.name == "name") {
        c.name = f.value;
      } else if (f.name == "id") {
        c.id = f.value;
        unique_id(c.id, f.line, field);
      } else if (f.name == "points") {
        const auto v = parse_number(f.value);
        if (!v || *v < 0 || *v > kMaxPoints || *v != double(int(*v)))
          error(f.line, field, "expected a whole number from 0 to " + std::to_string(kMaxPoints) + ", got " + in_quotes(f.value));
        else
          c.points = int(*v);
      } else if (f.name == "task") {
        if (f.value == "yes" || f.value == "true") c.task = true;
        else if (f.value == "no" || f.value == "false") c.task = false;
        else error(f.line, field, "expected yes or no, got " + in_quotes(f.value));
      } else if (f.name == "guest") {
        c.guest = f.value;
        if (scenario_ok) guest_exists(step, c.guest, f.line, field);
      } else if (f.name == "text") {
        c.text = f.value;
        if (c.text.empty()) error(f.line, field, "empty");
      } else if (f.name == "counter") {
        c.counter = f.value;
        counter_known(c.counter, f.line, field);
      } else if (f.name == "part") {
        c.counter = "accounting." + f.value;
        const auto& names = counter_names();
        if (std::find(names.begin(), names.end(), c.counter) == names.end())
          error(f.line, field, "unknown part " + in_quotes(f.value) + " (expected guest, transitions, vmm, total)");
      } else if (f.name == "expect") {
        std::string e;
        if (auto x = parse_expectation(f.value, &e)) {
          c.expect = std::move(*x);
          if (c.expect.against == Expectation::Against::Column && c.kind != K::Experiment)
            error(f.line, field, "'column NAME' compares within an experiment's row; use a number or 'guest NAME'");
          else if (c.expect.against == Expectation::Against::Guest && c.kind == K::Experiment)
            error(f.line, field, "an experiment's row is compared with a number or 'column NAME'");
          else if (c.expect.against == Expectation::Against::Guest && scenario_ok)
            guest_exists(step, c.expect.name, f.line, field);
        } else {
          error(f.line, field, e);
        }
      } else if (f.name == "experiment") {
        c.experiment = f.value;
        bool known = false;
        std::string names;
        for (const experiments::ExperimentInfo& x : experiments::experiment_list()) {
          known |= x.name == f.value;
          names += (names.empty() ? "" : ", ") + std::string(x.name);
        }
        if (!known) error(f.line, field, "unknown experiment " + in_quotes(f.value) + " (expected " + names + ")");
      } else if (f.name == "row") {
        std::string_view rest = f.value;
        while (true) {
          const size_t comma = rest.find(',');
          const std::string part = trim(rest.substr(0, comma));
          const size_t eq = part.find('=');
          if (eq == std::string::npos || trim(part.substr(0, eq)).empty())
            error(f.line, field, "expected 'column=value, column=value', got " + in_quotes(part));
          else
            c.row.emplace_back(trim(part.substr(0, eq)), trim(part.substr(eq + 1)));
          if (comma == std::string_view::npos) break;
          rest = rest.substr(comma + 1);
        }
      } else if (f.name == "column") {
        c.column = f.value;
      }
    }
    if (trim(c.name).empty()) error(b.line, "check.name", "missing: say what is checked (the student reads it)");
    if (kind_ok) {
      auto need = [&](const char* name, const char* why) {
        if (!find(name)) error(b.line, std::string("check.") + name, std::string("missing: ") + why);
      };
      if (c.kind != K::Experiment) need("guest", "the guest checked");
      if (console) need("text", "the text looked for");
      if (c.kind == K::Counter) need("counter", "the counter compared");
      if (c.kind == K::Accounting) need("part", "guest, transitions, vmm or total");
      if (compares) need("expect", "the comparison, such as '< 100' or '~ guest pv ± 10%'");
      if (c.kind == K::Experiment) {
        need("experiment", "which experiment");
        need("row", "which row: 'column=value, ...'");
        need("column", "which column is compared");
      }
    }
    if (c.id.empty()) {
      c.id = "s" + std::to_string(step_index + 1) + ".c" + std::to_string(step.checks.size() + 1);
      if (!ids_.insert(c.id).second) error(b.line, "check.id", "the default id " + in_quotes(c.id) + " is already used");
    }
    step.checks.push_back(std::move(c));
  }

  std::string file_;
  const scenario::FileReader& read_;
  std::vector<Diagnostic> errors_;
  Lab lab_;
  std::vector<RawStep> raw_;
  std::set<std::string> ids_;
};

}  // namespace

ParseResult parse(std::string_view text, const std::string& file, const scenario::FileReader& read_file) {
  return Parser(file, read_file).run(text);
}

std::string_view kind_name(Check::Kind kind) {
  for (const KindName& k : kKinds)
    if (k.kind == kind) return k.name;
  return "";
}

}  // namespace trapeze::lab
