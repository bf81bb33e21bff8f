#include "experiments/table.h"

#include <cmath>
#include <cstdio>
#include <cstring>

namespace trapeze::experiments {

std::string format_number(double v) {
  if (!std::isfinite(v)) return "";
  char buf[64];
  const double a = std::fabs(v);
  if (a >= 10 || v == std::round(v)) std::snprintf(buf, sizeof buf, "%.1f", v);
  else std::snprintf(buf, sizeof buf, "%.3f", v);
  // Trailing zeros say nothing ("0.500" -> "0.5", "1.000" -> "1"); both formats
  // print a '.', so the trimming stops there. (Trimmed in the buffer: GCC 12's
  // -Wrestrict misfires on the std::string version under the sanitizers.)
  size_t len = std::strlen(buf);
  while (len > 0 && buf[len - 1] == '0') --len;
  if (len > 0 && buf[len - 1] == '.') --len;
  if (len == 2 && buf[0] == '-' && buf[1] == '0') len = 1, buf[0] = '0';  // "-0" -> "0"
  return std::string(buf, len);
}

nlohmann::ordered_json to_json(const Value& v) {
  if (std::holds_alternative<int64_t>(v)) return std::get<int64_t>(v);
  if (std::holds_alternative<std::string>(v)) return std::get<std::string>(v);
  if (std::holds_alternative<double>(v)) {
    const double d = std::get<double>(v);
    if (!std::isfinite(d)) return nullptr;
    // Printed as the CSV prints it, so the two agree.
    return nlohmann::ordered_json::parse(format_number(d));
  }
  return nullptr;
}

namespace {
std::string cell_text(const Value& v) {
  if (std::holds_alternative<int64_t>(v)) return std::to_string(std::get<int64_t>(v));
  if (std::holds_alternative<double>(v)) return format_number(std::get<double>(v));
  if (std::holds_alternative<std::string>(v)) return std::get<std::string>(v);
  return "";
}
}  // namespace

nlohmann::ordered_json Table::rows_json() const {
  nlohmann::ordered_json out = nlohmann::ordered_json::array();
  for (const auto& row : rows) {
    nlohmann::ordered_json r = nlohmann::ordered_json::object();
    for (size_t c = 0; c < columns.size() && c < row.size(); ++c) r[columns[c].name] = to_json(row[c]);
    out.push_back(std::move(r));
  }
  return out;
}

std::string Table::csv() const {
  std::string s;
  for (size_t c = 0; c < columns.size(); ++c) {
    if (c) s += ',';
    s += columns[c].name;
  }
  s += '\n';
  for (const auto& row : rows) {
    for (size_t c = 0; c < columns.size(); ++c) {
      if (c) s += ',';
      if (c < row.size()) s += cell_text(row[c]);
    }
    s += '\n';
  }
  return s;
}

std::string Table::markdown() const {
  std::string s = "|";
  for (const Column& c : columns) {
    s += ' ';
    s += c.name;
    s += " |";
  }
  s += "\n|";
  for (size_t c = 0; c < columns.size(); ++c) s += c ? "---:|" : "---|";
  s += "\n";
  for (const auto& row : rows) {
    s += "|";
    for (size_t c = 0; c < columns.size(); ++c) {
      const std::string t = c < row.size() ? cell_text(row[c]) : "";
      s += ' ';
      s += t.empty() ? std::string("—") : t;
      s += " |";
    }
    s += "\n";
  }
  return s;
}

}  // namespace trapeze::experiments
