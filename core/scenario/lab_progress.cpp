// Lab progress in and out of JSON. Parsed without exceptions, dumped with
// replacement of bad UTF-8, so hostile input from a link or storage cannot
// abort the WebAssembly build.
#include "scenario/lab_progress.h"

#include <algorithm>
#include <nlohmann/json.hpp>

#include "scenario/share_link.h"
#include "text/escape.h"

namespace trapeze::scenario::lab {

namespace {

using json = nlohmann::ordered_json;

bool fail(std::string* error, const std::string& where, const std::string& what) {
  *error = where + ": " + what;
  return false;
}

// {"name": "text", ...} with names by `name_ok` and texts of at most `max` bytes.
bool read_strings(const json& v, const std::string& where, size_t max, bool (*name_ok)(std::string_view),
                  std::map<std::string, std::string>* out, std::string* error) {
  if (!v.is_object()) return fail(error, where, "expected an object");
  for (auto it = v.begin(); it != v.end(); ++it) {
    if (!name_ok(it.key())) return fail(error, where, text::quoted(it.key()) + " is not a valid name");
    if (!it->is_string()) return fail(error, where + "." + it.key(), "expected text");
    if (it->get_ref<const std::string&>().size() > max)
      return fail(error, where + "." + it.key(), "longer than " + std::to_string(max) + " characters");
    (*out)[it.key()] = it->get<std::string>();
  }
  return true;
}

// Guest names are the scenario's (any printable text); only their length is bounded here.
bool is_guest_name(std::string_view s) {
  return !s.empty() && s.size() <= 64 && std::none_of(s.begin(), s.end(), [](char c) { return c >= 0 && c < 0x20; });
}

bool read_step(const json& v, const std::string& where, StepProgress* s, std::string* error) {
  if (!v.is_object()) return fail(error, where, "expected an object");
  for (auto it = v.begin(); it != v.end(); ++it) {
    const std::string at = where + "." + it.key();
    if (it.key() == "answers") {
      if (!read_strings(*it, at, kMaxAnswerChars, is_prediction_id, &s->answers, error)) return false;
    } else if (it.key() == "checked") {
      if (!it->is_boolean()) return fail(error, at, "expected true or false");
      s->checked = it->get<bool>();
    } else if (it.key() == "sources") {
      if (!read_strings(*it, at, share::kMaxDocumentBytes, is_guest_name, &s->sources, error)) return false;
    } else if (it.key() == "results") {
      if (!it->is_object()) return fail(error, at, "expected an object");
      s->results_json = text::json_text(*it);
    } else {
      return fail(error, at, "unknown key (expected answers, checked, sources, results)");
    }
  }
  return true;
}

bool read_lab(const json& v, const std::string& where, LabProgress* lab, std::string* error) {
  if (!v.is_object()) return fail(error, where, "expected an object");
  for (auto it = v.begin(); it != v.end(); ++it) {
    const std::string at = where + "." + it.key();
    if (it.key() == "step") {
      if (!it->is_number_integer() || it->get<int64_t>() < 1 || it->get<int64_t>() > kMaxSteps)
        return fail(error, at, "expected a step number from 1 to " + std::to_string(kMaxSteps));
      lab->step = int(it->get<int64_t>());
    } else if (it.key() == "steps") {
      if (!it->is_array()) return fail(error, at, "expected a list of steps");
      if (it->size() > size_t(kMaxSteps)) return fail(error, at, "more than " + std::to_string(kMaxSteps) + " steps");
      for (size_t i = 0; i < it->size(); ++i) {
        lab->steps.emplace_back();
        if (!read_step((*it)[i], at + "[" + std::to_string(i) + "]", &lab->steps.back(), error)) return false;
      }
    } else {
      return fail(error, at, "unknown key (expected step, steps)");
    }
  }
  return true;
}

json step_json(const StepProgress& s) {
  json j = json::object();
  if (!s.answers.empty()) j["answers"] = s.answers;
  if (s.checked) j["checked"] = true;
  if (!s.sources.empty()) j["sources"] = s.sources;
  if (!s.results_json.empty()) {
    json r = json::parse(s.results_json, nullptr, false);
    if (r.is_object()) j["results"] = std::move(r);
  }
  return j;
}

}  // namespace

StepProgress& LabProgress::at(int n) {
  const size_t i = size_t(std::clamp(n, 1, kMaxSteps) - 1);
  if (steps.size() <= i) steps.resize(i + 1);
  return steps[i];
}

namespace {
bool name_char(char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_' || c == '-';
}
}  // namespace

bool is_lab_name(std::string_view name) {
  return !name.empty() && name.size() <= kMaxLabNameChars && std::all_of(name.begin(), name.end(), name_char);
}

bool is_prediction_id(std::string_view id) {
  return !id.empty() && id.size() <= kMaxLabNameChars &&
         std::all_of(id.begin(), id.end(), [](char c) { return name_char(c) || c == '.'; });
}

std::string to_json(const Progress& p, const std::string& only) {
  json j = json::object();
  j["open"] = p.open;
  j["labs"] = json::object();
  for (const auto& [name, lab] : p.labs) {
    if (!only.empty() && name != only) continue;
    json l = json::object();
    l["step"] = lab.step;
    l["steps"] = json::array();
    // Trailing steps with nothing in them are left out.
    size_t used = lab.steps.size();
    while (used > 0 && lab.steps[used - 1] == StepProgress{}) --used;
    for (size_t i = 0; i < used; ++i) l["steps"].push_back(step_json(lab.steps[i]));
    j["labs"][name] = std::move(l);
  }
  return text::json_text(j);
}

std::optional<Progress> parse(std::string_view text, std::string* error) {
  std::string scratch;
  if (!error) error = &scratch;
  if (text.size() > share::kMaxDocumentBytes) {
    fail(error, "lab", "larger than " + std::to_string(share::kMaxDocumentBytes) + " bytes");
    return std::nullopt;
  }
  if (!share::nesting_within_limit(text)) {
    fail(error, "lab", "nested too deeply");
    return std::nullopt;
  }
  const json j = json::parse(text.begin(), text.end(), nullptr, false);
  if (j.is_discarded() || !j.is_object()) {
    fail(error, "lab", "expected a JSON object");
    return std::nullopt;
  }
  Progress p;
  for (auto it = j.begin(); it != j.end(); ++it) {
    const std::string at = "lab." + it.key();
    if (it.key() == "open") {
      if (!it->is_string() || !(it->get_ref<const std::string&>().empty() || is_lab_name(it->get<std::string>()))) {
        fail(error, at, "expected a lab name (letters, digits, _ or -)");
        return std::nullopt;
      }
      p.open = it->get<std::string>();
    } else if (it.key() == "labs") {
      if (!it->is_object()) {
        fail(error, at, "expected an object of labs by name");
        return std::nullopt;
      }
      if (it->size() > kMaxLabs) {
        fail(error, at, "more than " + std::to_string(kMaxLabs) + " labs");
        return std::nullopt;
      }
      for (auto l = it->begin(); l != it->end(); ++l) {
        if (!is_lab_name(l.key())) {
          fail(error, at, text::quoted(l.key()) + " is not a lab name (letters, digits, _ or -)");
          return std::nullopt;
        }
        if (!read_lab(*l, at + "." + l.key(), &p.labs[l.key()], error)) return std::nullopt;
      }
    } else {
      fail(error, at, "unknown key (expected open, labs)");
      return std::nullopt;
    }
  }
  return p;
}

}  // namespace trapeze::scenario::lab
