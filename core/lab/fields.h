// The small line syntax of a lab's front matter and of its scenario, predict and
// check blocks: `field: value` lines, quoted values, `expect` comparisons and
// tolerances (docs/labs.md). Each function reports what is wrong as one line for
// a Diagnostic; the caller adds file, line and field.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "lab/lab.h"

namespace trapeze::lab {

struct Field {
  std::string name;
  std::string value;  // unquoted
  int line = 0;
};

// Splits `text` (starting on line `first_line`) into fields. Blank lines and
// lines starting with '#' are skipped. Problems (a line without ':', a bad quote,
// a field given twice) go to `errors` under `block` ("check", "front-matter").
std::vector<Field> parse_fields(std::string_view text, int first_line, const std::string& block,
                                const std::string& file, std::vector<Diagnostic>& errors);

std::string trim(std::string_view s);

// A finite number written in full ("42", "-1.5", "1e6"); nullopt otherwise.
std::optional<double> parse_number(std::string_view s);

// "10%" -> {0.10, relative}; "50" -> {50, absolute}. Sets *error otherwise.
struct Tolerance {
  double value = 0;
  bool relative = false;
};
std::optional<Tolerance> parse_tolerance(std::string_view s, std::string* error);

// `OP VALUE [± TOLERANCE]`. Sets *error otherwise.
std::optional<Expectation> parse_expectation(std::string_view s, std::string* error);

// Does `value` satisfy e against `target` (the number, other guest's or column's value)?
bool satisfies(double value, const Expectation& e, double target);

// " ± 10%", " ± 50", or "" for an exact one (and " ± 0" when `always`).
std::string tolerance_text(double tolerance, bool relative, bool always = false);

// "== 42", "~ 1200 ± 10%", "< guest pv (31)": the expectation with its target.
std::string describe(const Expectation& e, double target);

// 42 -> "42"; 0.4983 -> "0.498"; 1234.56 -> "1234.6".
std::string format_value(double v);

}  // namespace trapeze::lab
