// What every panel draws from: the session, the UI's own state (which guest is
// selected, which panels are open, per-guest editors, view positions) and the
// frame statistics. Panels are views over the session; the only state they own
// is here.
#pragma once

#include <array>
#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "editor/code_editor.h"
#include "experiment_runner.h"
#include "frame_stats.h"
#include "lab_state.h"
#include "layout/layout_state.h"
#include "machine/cpu_state.h"
#include "panel_list.h"
#include "session/session.h"
#include "vmm/vmm_counters.h"

namespace trapeze::ui {

// The editor of one guest, and the session source revision it shows.
struct EditorSlot {
  CodeEditor editor;
  uint64_t revision = 0;
  std::string errors_shown;  // the errors last handed to the editor, formatted
};

// Registers as they were, to highlight what changed.
struct RegisterHistory {
  machine::CpuState last, before_last;
  uint64_t clock = ~uint64_t(0);
};

// Counters a second ago, for per-second rates of every counter.
struct CounterSnapshot {
  vmm::GuestCounters counters;
  double time = -1;
  vmm::GuestCounters rate_base;
  double rate_dt = 0;
};

// The console panel's rendering of one guest's output: escaped (non-printable
// bytes as \xNN) and cut into rows of `columns` characters, remade only when
// the output or the width changes.
struct ConsoleText {
  std::string raw;  // the output it was made from
  int columns = 0;  // characters per row
  std::string text;  // every line escaped, one after the other
  struct Row {
    uint32_t line, begin, end;  // a piece of line `line`: text[begin, end)
  };
  std::vector<Row> rows;
  std::vector<uint32_t> line_begin;  // where each line starts in `text`
  bool follow = true;  // keep the newest output in view
  uint64_t difference_shown = 0;  // 1 + the differing byte last scrolled into view (0: none)
};

// The experiments panel: the experiment run (shared with the JS API) and what is plotted.
struct ExperimentView {
  ExperimentRunner runner;
  uint64_t axes_generation = 0;  // the run the axes below were picked for
  bool log_x = false, log_x_chosen = false;  // chosen: ticked by hand, no longer automatic
  int x = 0;                 // column
  std::vector<bool> y[2];    // columns of the left and right plots
};

struct AppContext {
  explicit AppContext(session::Session& s) : session(s) {}
  session::Session& session;

  int selected = 0;  // the guest the editor and machine views show
  std::array<bool, kPanelCount> open{};
  bool compact = false;    // embed mode: no menu bar, the open panels tiled
  bool read_only = false;  // embed mode: nothing can be edited
  int apply_layout = 1;  // > 0: replace the layout by the default tiling (View > Reset layout, setUi)
  LayoutState layout;
  int key_f5 = -1, key_f10 = -1;  // the platform's key indices (ImGui 1.86 has no F-keys)

  std::vector<std::unique_ptr<EditorSlot>> editors;  // per guest
  std::vector<RegisterHistory> registers;            // per guest
  std::vector<CounterSnapshot> counter_snapshots;    // per guest

  // Views' positions.
  uint32_t memory_address = 0;
  bool memory_virtual = false;
  uint32_t walk_address = 0;
  bool walk_follows_pc = true;
  bool walk_nested = false;  // the page-tables panel shows nested paging's two-dimensional walk
  bool tlb_this_guest_only = true;
  int plot_metric = 0;
  uint64_t tc_block = 0;  // the translation panel's selected block (its id)
  bool tc_hot_first = false;
  bool tc_follow_pc = true;
  bool counters_hide_zero = true;
  int counters_bars_open = -1;  // the counters panel's cycle bars: -1 as room allows, else 0/1 as chosen
  std::array<bool, 32> event_kinds_shown{};  // by EventKind, set at start
  int event_guest = -1;                      // -1: all
  bool event_follow = true;
  char event_text[64] = {};

  std::vector<ConsoleText> consoles;  // per guest
  bool raise_welcome = true;  // bring the welcome panel to the front once

  ExperimentView experiment;
  LabState lab;  // the open lab and the student's progress (lab_state.h)
  std::unique_ptr<session::Session> comparison;  // the compare view's own session
  int comparison_guest = -1;

  // Loads a bundled preset (the welcome panel's links); set by the App.
  std::function<bool(const std::string& path, std::string* error)> load_preset;

  std::string notice;  // the last refusal (a strategy not allowed, a guest that does not fit...)
  FrameStats stats;
  double last_sim_ms = 0;
  session::FrameWork last_work;

  bool is_open(PanelId p) const { return open[size_t(p)]; }
  // The selected guest, clamped to the session's guests (-1 if none).
  int guest() const {
    if (!session.loaded() || session.guest_count() == 0) return -1;
    return selected < int(session.guest_count()) ? selected : int(session.guest_count()) - 1;
  }
  EditorSlot& editor_for(size_t guest);
};

}  // namespace trapeze::ui
