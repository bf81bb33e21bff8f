// A student's progress through labs, as it travels in the autosave and in share
// links (the "lab" part of a saved document, share_link.h): which lab is open, and
// per lab the step they are on and, per step, their predictions, their sources
// and the results of their last check.
//
//   {"open": "uk-bit",
//    "labs": {"uk-bit": {"step": 2,
//                        "steps": [{"answers": {"traps": "12"}, "checked": true,
//                                   "sources": {"guest": "...assembly..."},
//                                   "results": {...as results_to_json writes...}}]}}}
//
// Steps count from 1 ("step" is 1-based; steps[0] is step 1). Everything is
// checked on the way in (names, numbers, sizes, unknown keys) with a message that
// names the field; nothing here throws, whatever the input. A check's results are
// kept as the JSON object the check engine wrote, not interpreted here.
#pragma once

#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace trapeze::scenario::lab {

inline constexpr size_t kMaxLabNameChars = 64;
inline constexpr int kMaxSteps = 99;
inline constexpr size_t kMaxAnswerChars = 200;
inline constexpr size_t kMaxLabs = 32;

struct StepProgress {
  std::map<std::string, std::string> answers;  // prediction id -> what the student entered
  bool checked = false;                        // a check ran: the predictions are locked
  std::map<std::string, std::string> sources;  // guest name -> the student's source
  std::string results_json;                    // the last check's results ("" if none)
  bool operator==(const StepProgress&) const = default;
};

struct LabProgress {
  int step = 1;                     // the step shown, 1-based
  std::vector<StepProgress> steps;  // as far as the student went (may be shorter)
  StepProgress& at(int step);       // grows `steps` as needed
  bool operator==(const LabProgress&) const = default;
};

struct Progress {
  std::string open;                         // the lab open now ("" if none)
  std::map<std::string, LabProgress> labs;  // by lab name
  bool operator==(const Progress&) const = default;
};

// A lab name (its file is labs/NAME.md): 1 to kMaxLabNameChars of A-Z, a-z, 0-9,
// '_' and '-'. The one rule for bundled labs, links and saved progress.
bool is_lab_name(std::string_view name);
// A prediction's id in a lab file: the same characters and '.'. The one rule for
// the lab parser and saved answers.
bool is_prediction_id(std::string_view id);

// The JSON text above; `only` keeps just that lab (share links carry the open one).
std::string to_json(const Progress& p, const std::string& only = "");
// Reads it back; on error nullopt and one line naming the field ("lab.labs.x.step: ...").
std::optional<Progress> parse(std::string_view json_text, std::string* error);

}  // namespace trapeze::scenario::lab
