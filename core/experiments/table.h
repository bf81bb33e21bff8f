// An experiment's results: a table of named columns and rows of values, with the
// three printers every experiment shares (JSON, CSV, Markdown). A cell is empty
// (null) where there is no number: a run that was not correct.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <variant>
#include <vector>

#include <nlohmann/json.hpp>

namespace trapeze::experiments {

using Value = std::variant<std::monostate, int64_t, double, std::string>;

struct Column {
  std::string name;  // the JSON key and CSV header: "offered_load"
  std::string doc;   // what it is, with its unit
};

struct Table {
  std::vector<Column> columns;
  std::vector<std::vector<Value>> rows;  // each as long as `columns`

  // {"columns": [...names], "rows": [{name: value, ...}, ...]}; null for empty cells.
  nlohmann::ordered_json rows_json() const;
  // Header line, then one line per row; empty cells empty; numbers as in JSON.
  std::string csv() const;
  // A GitHub-flavoured Markdown table; empty cells "—".
  std::string markdown() const;
};

// A number rounded for printing (trailing zeros dropped): integers stay integers, others keep 1 decimal
// (cycles per operation) or 3 significant decimals below 10.
std::string format_number(double v);
nlohmann::ordered_json to_json(const Value& v);

}  // namespace trapeze::experiments
