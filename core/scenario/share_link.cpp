// Share links and saved documents: the fragment's syntax and the document's
// fields. No nlohmann call here can throw (parse without exceptions, dump with
// replacement), so hostile input cannot abort the WebAssembly build.
#include "scenario/share_link.h"
#include "text/escape.h"

#include "scenario/lab_progress.h"

#include <algorithm>
#include <charconv>
#include <nlohmann/json.hpp>
#include <set>

namespace trapeze::scenario::share {

namespace {

using json = nlohmann::ordered_json;

bool is_base64url(char c) {
  return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' ||
         c == '_';
}


std::string version_problem(int format) {
  if (format > kFormat)
    return "format " + std::to_string(format) + " comes from a newer Trapeze (this one reads " +
           std::to_string(kOldestFormat) + " to " + std::to_string(kFormat) +
           "): open it with the newer version";
  return "format " + std::to_string(format) + " is no longer supported (this Trapeze reads " +
         std::to_string(kOldestFormat) + " to " + std::to_string(kFormat) + ")";
}

// Each name well-formed, none twice, not too many.
bool check_panels(const std::vector<std::string>& panels, std::string* error) {
  if (panels.size() > kMaxPanels) {
    *error = "panels: more than " + std::to_string(kMaxPanels) + " panels";
    return false;
  }
  for (size_t i = 0; i < panels.size(); ++i) {
    if (!is_panel_name(panels[i])) {
      *error = "panels: " + text::quoted(panels[i]) + " is not a panel name (a-z, 0-9, _ or -, at most " +
               std::to_string(kMaxPanelNameChars) + " characters)";
      return false;
    }
    if (std::find(panels.begin(), panels.begin() + i, panels[i]) != panels.begin() + i) {
      *error = "panels: " + text::quoted(panels[i]) + " is named twice";
      return false;
    }
  }
  return true;
}

// "a,b" -> panels, checked. "panels=" with nothing would show an embed without a
// single panel: a mistake, said as one.
std::optional<std::vector<std::string>> split_panels(std::string_view text, std::string* error) {
  if (text.empty()) {
    *error = "panels: empty (name the panels to show, e.g. panels=guests,counters)";
    return std::nullopt;
  }
  std::vector<std::string> panels;
  for (size_t start = 0; !text.empty() && start <= text.size();) {
    const size_t comma = std::min(text.find(',', start), text.size());
    panels.emplace_back(text.substr(start, comma - start));
    if (panels.size() > kMaxPanels) break;  // check_panels says so
    start = comma + 1;
  }
  if (!check_panels(panels, error)) return std::nullopt;
  return panels;
}

// The "s" value: "VERSION.DATA".
bool parse_scenario_part(std::string_view value, Fragment* f, std::string* error) {
  const size_t dot = value.find('.');
  const std::string_view version = value.substr(0, dot);
  int format = 0;
  const auto [end, ec] = std::from_chars(version.data(), version.data() + version.size(), format);
  if (dot == std::string_view::npos || version.empty() || version.size() > 6 || ec != std::errc() ||
      end != version.data() + version.size()) {
    *error = "s: expected FORMAT.DATA (such as s=1.eJy...), got " + text::quoted(value);
    return false;
  }
  if (format < kOldestFormat || format > kFormat) {
    *error = "link " + version_problem(format);
    return false;
  }
  const std::string_view data = value.substr(dot + 1);
  if (data.empty()) {
    *error = "s: the scenario data is empty (was the link cut short?)";
    return false;
  }
  if (data.size() > kMaxDataChars) {
    *error = "s: " + std::to_string(data.size()) + " characters of data (at most " +
             std::to_string(kMaxDataChars) + ")";
    return false;
  }
  for (size_t i = 0; i < data.size(); ++i) {
    if (!is_base64url(data[i])) {
      *error = "s: character " + std::to_string(i + 1) + " of the data, " +
               text::quoted(data.substr(i, 1)) + ", is not base64url (A-Z a-z 0-9 - _)";
      return false;
    }
  }
  if (data.size() % 4 == 1) {
    *error = "s: the data has an impossible length (was the link cut short?)";
    return false;
  }
  f->format = format;
  f->data = std::string(data);
  return true;
}

// Parses JSON without exceptions; duplicate keys are errors (nlohmann would keep
// the last one silently).
std::optional<json> parse_json(std::string_view text, std::string* error) {
  if (!nesting_within_limit(text)) {
    *error = "nested deeper than " + std::to_string(kMaxDepth) + " levels";
    return std::nullopt;
  }
  std::vector<std::set<std::string>> keys;
  std::string duplicate;
  const json::parser_callback_t watch = [&](int, json::parse_event_t event, json& value) {
    if (event == json::parse_event_t::object_start) keys.emplace_back();
    if (event == json::parse_event_t::object_end && !keys.empty()) keys.pop_back();
    if (event == json::parse_event_t::key && !keys.empty() && value.is_string() &&
        !keys.back().insert(value.get_ref<const std::string&>()).second && duplicate.empty())
      duplicate = value.get_ref<const std::string&>();
    return true;
  };
  json j = json::parse(text.begin(), text.end(), watch, /*allow_exceptions=*/false);
  if (j.is_discarded()) {
    // The scenario reader says where the syntax breaks (line and column).
    std::string where;
    scenario::parse(text, &where);
    *error = where.rfind("not valid JSON: ", 0) == 0 ? where : "not valid JSON";
    return std::nullopt;
  }
  if (!duplicate.empty()) {
    *error = "the key " + text::quoted(duplicate) + " appears twice in one object";
    return std::nullopt;
  }
  return j;
}

std::string dump(const json& j, int indent) {
  return text::json_text(j, indent);
}

std::optional<Layout> read_layout(const json& v, std::string* error) {
  if (!v.is_object()) {
    *error = "layout: expected an object";
    return std::nullopt;
  }
  Layout layout;
  for (auto it = v.begin(); it != v.end(); ++it) {
    if (it.key() != "panels") {
      *error = "layout." + it.key() + ": unknown key (expected panels)";
      return std::nullopt;
    }
    if (!it->is_array()) {
      *error = "layout.panels: expected an array of panel names";
      return std::nullopt;
    }
    for (const json& p : *it) {
      if (!p.is_string()) {
        *error = "layout.panels: " + text::quoted(dump(p, -1)) + " is not a panel name";
        return std::nullopt;
      }
      layout.panels.push_back(p.get<std::string>());
    }
    if (!check_panels(layout.panels, error)) {
      error->insert(0, "layout.");
      return std::nullopt;
    }
  }
  return layout;
}

// The scenario as to_json writes it (two-space indent, a final newline), checked.
// `where` prefixes messages ("scenario: " inside a document, "" for a bare file).
std::optional<std::string> scenario_text(const json& v, std::string* error,
                                         const std::string& where = "scenario: ") {
  if (!v.is_object()) {
    *error = where + "expected an object";
    return std::nullopt;
  }
  std::string text = dump(v, 2) + "\n";
  if (text.size() > kMaxScenarioBytes) {  // the message names the scenario and its limit already
    *error = too_large_message(text.size());
    return std::nullopt;
  }
  std::string why;
  if (!parse(text, &why)) {
    *error = where + why;
    return std::nullopt;
  }
  return text;
}

}  // namespace

bool nesting_within_limit(std::string_view text) {
  int depth = 0;
  bool in_string = false;
  for (size_t i = 0; i < text.size(); ++i) {
    const char c = text[i];
    if (in_string) {
      if (c == '\\')
        ++i;
      else if (c == '"')
        in_string = false;
    } else if (c == '"') {
      in_string = true;
    } else if (c == '{' || c == '[') {
      if (++depth > kMaxDepth) return false;
    } else if (c == '}' || c == ']') {
      --depth;
    }
  }
  return true;
}

bool is_panel_name(std::string_view name) {
  if (name.empty() || name.size() > kMaxPanelNameChars) return false;
  return std::all_of(name.begin(), name.end(), [](char c) {
    return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_' || c == '-';
  });
}

std::optional<Fragment> parse_fragment(std::string_view text, std::string* error) {
  std::string scratch;
  if (!error) error = &scratch;
  if (!text.empty() && text.front() == '#') text.remove_prefix(1);
  if (text.size() > kMaxDataChars + 4096) {
    *error = "the link is " + std::to_string(text.size()) + " characters long (at most " +
             std::to_string(kMaxDataChars + 4096) + ")";
    return std::nullopt;
  }
  Fragment f;
  f.data.clear();
  std::set<std::string_view> seen;
  while (!text.empty()) {
    const size_t amp = text.find('&');
    const std::string_view part = text.substr(0, amp);
    text = amp == std::string_view::npos ? std::string_view() : text.substr(amp + 1);
    if (part.empty()) continue;
    const size_t eq = part.find('=');
    const std::string_view key = part.substr(0, eq);
    const std::string_view value = eq == std::string_view::npos ? "" : part.substr(eq + 1);
    if (eq == std::string_view::npos) {
      *error = text::quoted(part) + ": expected KEY=VALUE (s, panels, ro, theme, lab or step)";
      return std::nullopt;
    }
    if (!seen.insert(key).second) {
      *error = std::string(key) + ": given twice";
      return std::nullopt;
    }
    if (key == "s") {
      if (!parse_scenario_part(value, &f, error)) return std::nullopt;
    } else if (key == "panels") {
      f.panels = split_panels(value, error);
      if (!f.panels) return std::nullopt;
    } else if (key == "ro") {
      if (value != "0" && value != "1") {
        *error = "ro: expected 0 or 1, got " + text::quoted(value);
        return std::nullopt;
      }
      f.read_only = value == "1";
    } else if (key == "theme") {
      if (value != "dark" && value != "light") {
        *error = "theme: expected dark or light, got " + text::quoted(value);
        return std::nullopt;
      }
      f.theme = std::string(value);
    } else if (key == "lab") {
      if (!lab::is_lab_name(value)) {
        *error = "lab: " + text::quoted(value) + " is not a lab name (letters, digits, _ or -, at most " +
                 std::to_string(lab::kMaxLabNameChars) + " characters)";
        return std::nullopt;
      }
      f.lab = std::string(value);
    } else if (key == "step") {
      int n = 0;
      const auto [end, ec] = std::from_chars(value.data(), value.data() + value.size(), n);
      if (value.empty() || value.size() > 2 || ec != std::errc() || end != value.data() + value.size() ||
          n < 1 || n > lab::kMaxSteps) {
        *error = "step: expected a step number from 1 to " + std::to_string(lab::kMaxSteps) + ", got " +
                 text::quoted(value);
        return std::nullopt;
      }
      f.step = n;
    } else {
      *error = text::quoted(key) + ": unknown part of the link (expected s, panels, ro, theme, lab or step)";
      return std::nullopt;
    }
  }
  if (f.step && !f.lab) {
    *error = "step: a step needs a lab (lab=NAME&step=N)";
    return std::nullopt;
  }
  return f;
}

std::string format_fragment(const Fragment& f) {
  std::string out;
  auto add = [&](const std::string& part) { out += (out.empty() ? "" : "&") + part; };
  if (f.lab) add("lab=" + *f.lab);
  if (f.step) add("step=" + std::to_string(*f.step));
  if (!f.data.empty()) add("s=" + std::to_string(f.format) + "." + f.data);
  if (f.panels) {
    std::string csv;
    for (const std::string& p : *f.panels) csv += (csv.empty() ? "" : ",") + p;
    add("panels=" + csv);
  }
  if (f.read_only) add("ro=1");
  if (f.theme) add("theme=" + *f.theme);
  return out;
}

std::optional<std::string> encode_document(std::string_view scenario_json, const Layout& layout,
                                           std::string* error, std::string_view lab_json) {
  std::string scratch;
  if (!error) error = &scratch;
  auto scenario = parse_json(scenario_json, error);
  if (!scenario) {
    error->insert(0, "scenario: ");
    return std::nullopt;
  }
  if (!scenario_text(*scenario, error)) return std::nullopt;
  json doc;
  doc["trapeze"] = kFormat;
  doc["scenario"] = std::move(*scenario);
  if (!layout.panels.empty()) {
    if (!check_panels(layout.panels, error)) {
      error->insert(0, "layout.");
      return std::nullopt;
    }
    doc["layout"]["panels"] = layout.panels;
  }
  if (!lab_json.empty()) {
    auto progress = lab::parse(lab_json, error);
    if (!progress) return std::nullopt;
    doc["lab"] = json::parse(lab::to_json(*progress), nullptr, false);
  }
  std::string text = dump(doc, -1);
  if (text.size() > kMaxDocumentBytes) {
    *error = "the scenario is too large to share: " + std::to_string(text.size()) +
             " bytes (at most " + std::to_string(kMaxDocumentBytes) + ")";
    return std::nullopt;
  }
  return text;
}

std::optional<Document> decode_document(std::string_view text, bool accept_bare_scenario,
                                        std::string* error) {
  std::string scratch;
  if (!error) error = &scratch;
  if (text.size() > kMaxDocumentBytes) {
    *error = std::to_string(text.size()) + " bytes (at most " + std::to_string(kMaxDocumentBytes) +
             ")";
    return std::nullopt;
  }
  auto doc = parse_json(text, error);
  if (!doc) return std::nullopt;
  if (!doc->is_object()) {
    *error = "expected a JSON object";
    return std::nullopt;
  }
  if (!doc->contains("trapeze")) {
    if (!accept_bare_scenario) {
      *error = "not a Trapeze document (no \"trapeze\" format field)";
      return std::nullopt;
    }
    auto scenario = scenario_text(*doc, error, "");
    if (!scenario) return std::nullopt;
    return Document{std::move(*scenario), {}};
  }
  const json& format = (*doc)["trapeze"];
  if (!format.is_number_integer()) {
    *error = "trapeze: expected the format number, got " + text::quoted(dump(format, -1));
    return std::nullopt;
  }
  const int64_t f = format.get<int64_t>();
  if (f < kOldestFormat || f > kFormat) {
    *error = version_problem(int(std::clamp<int64_t>(f, -1, 1'000'000)));
    return std::nullopt;
  }
  Document result;
  bool has_scenario = false;
  for (auto it = doc->begin(); it != doc->end(); ++it) {
    if (it.key() == "trapeze") continue;
    if (it.key() == "scenario") {
      auto scenario = scenario_text(*it, error);
      if (!scenario) return std::nullopt;
      result.scenario_json = std::move(*scenario);
      has_scenario = true;
    } else if (it.key() == "layout") {
      auto layout = read_layout(*it, error);
      if (!layout) return std::nullopt;
      result.layout = std::move(*layout);
    } else if (it.key() == "lab") {
      auto progress = lab::parse(dump(*it, -1), error);
      if (!progress) return std::nullopt;
      result.lab_json = lab::to_json(*progress);
    } else {
      *error = it.key() + ": unknown key (expected trapeze, scenario, layout, lab)";
      return std::nullopt;
    }
  }
  if (!has_scenario) {
    *error = "scenario: missing";
    return std::nullopt;
  }
  return result;
}

}  // namespace trapeze::scenario::share
