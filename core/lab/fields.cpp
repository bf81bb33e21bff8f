#include "lab/fields.h"

#include <cmath>
#include <cstdlib>
#include <set>

#include "experiments/table.h"

namespace trapeze::lab {

namespace {

constexpr std::string_view kPlusMinus = "\xC2\xB1";  // ±

// A quoted value: "..." with \n \t \" \\ escapes, nothing after the closing quote.
std::optional<std::string> unquote(std::string_view v, std::string* error) {
  std::string out;
  for (size_t i = 1; i < v.size(); ++i) {
    const char c = v[i];
    if (c == '"') {
      if (!trim(v.substr(i + 1)).empty()) {
        *error = "text after the closing quote";
        return std::nullopt;
      }
      return out;
    }
    if (c != '\\') {
      out += c;
      continue;
    }
    if (++i >= v.size()) break;
    switch (v[i]) {
      case 'n': out += '\n'; break;
      case 't': out += '\t'; break;
      case '"': out += '"'; break;
      case '\\': out += '\\'; break;
      default:
        *error = std::string("unknown escape \\") + v[i] + " (use \\n, \\t, \\\" or \\\\)";
        return std::nullopt;
    }
  }
  *error = "no closing quote";
  return std::nullopt;
}

}  // namespace

std::string trim(std::string_view s) {
  size_t a = 0, b = s.size();
  while (a < b && (s[a] == ' ' || s[a] == '\t' || s[a] == '\r')) ++a;
  while (b > a && (s[b - 1] == ' ' || s[b - 1] == '\t' || s[b - 1] == '\r')) --b;
  return std::string(s.substr(a, b - a));
}

std::vector<Field> parse_fields(std::string_view text, int first_line, const std::string& block,
                                const std::string& file, std::vector<Diagnostic>& errors) {
  std::vector<Field> out;
  std::set<std::string> seen;
  int line = first_line;
  for (size_t pos = 0; pos <= text.size(); ++line) {
    size_t end = text.find('\n', pos);
    if (end == std::string_view::npos) end = text.size();
    const std::string l = trim(text.substr(pos, end - pos));
    pos = end + 1;
    if (l.empty() || l[0] == '#') continue;
    const size_t colon = l.find(':');
    if (colon == std::string::npos || colon == 0) {
      errors.push_back({file, line, block, "expected 'field: value', got '" + l.substr(0, 60) + "'"});
      continue;
    }
    Field f;
    f.name = trim(std::string_view(l).substr(0, colon));
    f.line = line;
    std::string value = trim(std::string_view(l).substr(colon + 1));
    const std::string where = block + "." + f.name;
    if (f.name.find_first_of(" \t\"") != std::string::npos) {
      errors.push_back({file, line, block, "expected 'field: value', got '" + l.substr(0, 60) + "'"});
      continue;
    }
    if (!value.empty() && value[0] == '"') {
      std::string error;
      const auto v = unquote(value, &error);
      if (!v) {
        errors.push_back({file, line, where, error});
        continue;
      }
      value = *v;
    }
    f.value = std::move(value);
    if (!seen.insert(f.name).second) {
      errors.push_back({file, line, where, "given twice"});
      continue;
    }
    out.push_back(std::move(f));
  }
  return out;
}

std::optional<double> parse_number(std::string_view s) {
  const std::string t = trim(s);
  if (t.empty() || t.size() > 64) return std::nullopt;
  // strtod takes "inf", "nan" and hex: only a decimal number is a number here.
  for (char c : t)
    if (!((c >= '0' && c <= '9') || c == '.' || c == '-' || c == '+' || c == 'e' || c == 'E')) return std::nullopt;
  char* end = nullptr;
  const double v = std::strtod(t.c_str(), &end);
  if (end != t.c_str() + t.size() || !std::isfinite(v)) return std::nullopt;
  return v;
}

std::optional<Tolerance> parse_tolerance(std::string_view s, std::string* error) {
  std::string t = trim(s);
  Tolerance r;
  if (!t.empty() && t.back() == '%') {
    r.relative = true;
    t.pop_back();
  }
  const auto v = parse_number(t);
  if (!v || *v < 0 || (r.relative && *v > 1000)) {
    *error = "bad tolerance '" + trim(s) + "' (expected a percentage such as 10% or a number such as 50)";
    return std::nullopt;
  }
  r.value = r.relative ? *v / 100.0 : *v;
  return r;
}

std::optional<Expectation> parse_expectation(std::string_view s, std::string* error) {
  Expectation e;
  std::string t = trim(s);
  e.text = t;
  static constexpr std::pair<std::string_view, Expectation::Op> kOps[] = {
      {"==", Expectation::Op::Eq}, {"!=", Expectation::Op::Ne}, {"<=", Expectation::Op::Le},
      {">=", Expectation::Op::Ge}, {"<", Expectation::Op::Lt},  {">", Expectation::Op::Gt},
      {"~", Expectation::Op::About}};
  bool found = false;
  for (const auto& [text, op] : kOps)
    if (t.rfind(text, 0) == 0) {
      e.op = op;
      t = trim(std::string_view(t).substr(text.size()));
      found = true;
      break;
    }
  if (!found) {
    *error = "expected 'OP VALUE' with OP one of ==, !=, <, <=, >, >=, ~ (got '" + e.text + "')";
    return std::nullopt;
  }
  // The tolerance, after ± or +-.
  size_t pm = t.find(kPlusMinus);
  size_t pm_len = kPlusMinus.size();
  if (pm == std::string::npos) {
    pm = t.find("+-");
    pm_len = 2;
  }
  if (pm != std::string::npos) {
    const auto tol = parse_tolerance(std::string_view(t).substr(pm + pm_len), error);
    if (!tol) return std::nullopt;
    if (e.op != Expectation::Op::Eq && e.op != Expectation::Op::About) {
      *error = "a tolerance goes only with == or ~";
      return std::nullopt;
    }
    e.tolerance = tol->value;
    e.relative = tol->relative;
    t = trim(std::string_view(t).substr(0, pm));
  } else if (e.op == Expectation::Op::About) {
    *error = "~ needs a tolerance ('~ 100 ± 10%' or '~ 100 ± 5')";
    return std::nullopt;
  }
  auto named = [&](std::string_view word, Expectation::Against against) {
    if (t.rfind(word, 0) != 0 || t.size() <= word.size() || t[word.size()] != ' ') return false;
    std::string name = trim(std::string_view(t).substr(word.size()));
    if (name.size() >= 2 && name.front() == '"' && name.back() == '"') name = name.substr(1, name.size() - 2);
    e.against = against;
    e.name = name;
    return !name.empty();
  };
  if (named("guest", Expectation::Against::Guest) || named("column", Expectation::Against::Column)) return e;
  const auto v = parse_number(t);
  if (!v) {
    *error = "expected a number, 'guest NAME' or 'column NAME' after the operator (got '" + t + "')";
    return std::nullopt;
  }
  e.number = *v;
  return e;
}

bool satisfies(double value, const Expectation& e, double target) {
  const double slack = e.relative ? e.tolerance * std::fabs(target) : e.tolerance;
  switch (e.op) {
    case Expectation::Op::Eq:
    case Expectation::Op::About: return std::fabs(value - target) <= slack;
    case Expectation::Op::Ne: return value != target;
    case Expectation::Op::Lt: return value < target;
    case Expectation::Op::Le: return value <= target;
    case Expectation::Op::Gt: return value > target;
    case Expectation::Op::Ge: return value >= target;
  }
  return false;
}

std::string format_value(double v) { return experiments::format_number(v); }

std::string describe(const Expectation& e, double target) {
  static constexpr const char* kOp[] = {"==", "!=", "<", "<=", ">", ">=", "~"};
  std::string r = std::string(kOp[int(e.op)]) + " ";
  switch (e.against) {
    case Expectation::Against::Number: r += format_value(target); break;
    case Expectation::Against::Guest: r += "guest " + e.name + " (" + format_value(target) + ")"; break;
    case Expectation::Against::Column: r += e.name + " (" + format_value(target) + ")"; break;
  }
  return r + tolerance_text(e.tolerance, e.relative, e.op == Expectation::Op::About);
}

std::string tolerance_text(double tolerance, bool relative, bool always) {
  if (tolerance <= 0 && !always) return "";
  return " \xC2\xB1 " + (relative ? format_value(tolerance * 100) + "%" : format_value(tolerance));
}

}  // namespace trapeze::lab
