// The app's side of labs: the bundled labs (labs/*.md, parsed once), the lab open
// now and the student's progress (scenario/lab_progress.h: the step, answers,
// sources and check results per step, kept in the autosave and share links).
//
// Opening a step loads its scenario and starter sources into the session, then
// the student's own sources for that step if they were there before; leaving a
// step first keeps the sources the student typed. Check runs the step headless
// (lab::check_step) on the editor's sources and the predictions made, and keeps
// the results (lab::results_to_json, the JSON `trapeze check --json` prints).
// The Lab panel, the welcome panel, the menu and the JS API all go through here.
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "lab/check.h"
#include "lab/lab.h"
#include "scenario/lab_progress.h"

namespace trapeze::ui {

struct AppContext;

struct LabEntry {
  std::string name;  // "lab1-trap-and-emulate"
  std::string path;  // "labs/lab1-trap-and-emulate.md"
  std::optional<lab::Lab> lab;  // none when it has errors
  std::string errors;           // one per line, file:line: field: message
  std::string title() const { return lab ? lab->title : name; }
};

// Every bundled lab, in file-name order.
const std::vector<LabEntry>& lab_catalog();
const LabEntry* find_lab(std::string_view name);

struct LabState {
  scenario::lab::Progress progress;
  uint64_t changes = 0;     // increases with every change of the progress (autosave)
  int loaded_step = 0;      // the step whose scenario the session holds (1-based; 0: none)
  std::vector<std::string> base_sources;  // per guest, as that step starts (its starters)
  std::string notice;       // shown at the top of the Lab panel (a lab that did not open...)
  // The Check button's run, a slice per frame (the page keeps drawing), and the
  // lab and step (1-based) it checks.
  std::unique_ptr<lab::StepChecker> checker;
  std::string checker_lab;
  int checker_step = 0;
  struct Control {
    std::string name;  // "check", "previous", "next", "answer:ID", "answer:ID=OPTION"
    int x, y;          // its centre, as drawn in the last frame (for tests that click it)
  };
  std::vector<Control> controls;
  float footer_height = 0;         // the panel's foot (predictions, Check) as measured last frame
  bool scroll_to_results = false;  // a check just ran: bring its results into view
};

// The open lab (null if none or it no longer exists).
const lab::Lab* open_lab(const AppContext& ctx);
// Opens lab `name` at `step` (1-based; 0: where the student left it), loading the
// step; false with *error naming the labs there are when there is no such lab.
bool open_lab(AppContext& ctx, std::string_view name, int step, std::string* error);
// The session still holds the current step's scenario (the student may have
// opened a preset since).
bool lab_step_loaded(const AppContext& ctx);
// Moves to step `step` of the open lab (keeping what was typed in this one).
bool go_to_step(AppContext& ctx, int step, std::string* error);
// The student's prediction `id` of the current step; false when it is locked or unknown.
bool set_answer(AppContext& ctx, const std::string& id, const std::string& value, std::string* error);
// Checks the current step now: the results JSON of that step, or nullopt + *error.
std::optional<std::string> check_lab_step(AppContext& ctx, std::string* error);
// The same in slices: start_check() begins (false + *error when no lab is
// open), advance_check() runs about `budget` cycles of it and keeps the results
// once it is done; a check of a step the student has left is dropped.
bool start_check(AppContext& ctx, std::string* error);
void advance_check(AppContext& ctx, uint64_t budget);
// What advance_check runs each frame: App::frame calls it whether or not the Lab
// panel is drawn (a collapsed window, another tab of a small layout).
constexpr uint64_t kCheckCyclesPerFrame = 4'000'000;
bool checking(const AppContext& ctx);

// The progress as JSON (lab_progress.h) with the current step's sources taken
// from the editor first; `open_only`: only the open lab's (share links).
std::string lab_progress_json(AppContext& ctx, bool open_only);
// Takes progress from a saved document or link: its labs replace those of the
// same name, and its open lab opens at its step (the step's scenario with the
// student's sources from the progress) — unless the session holds another
// scenario (the student had opened a preset): that stays, and the Lab panel
// offers to load the step.
bool restore_lab_progress(AppContext& ctx, std::string_view json, std::string* error);
// For trapeze.lab(): {"open": name or null, "title", "step", "steps", "stepTitle",
// "answers", "checked", "results", "sources", "labs": [...], "notice", "controls"}.
std::string lab_summary_json(AppContext& ctx);

}  // namespace trapeze::ui
