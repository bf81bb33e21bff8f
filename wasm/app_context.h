// What every panel draws from: the session and what the panels share (which guest
// is selected, which panels are open and where, the per-guest editors, the
// experiment run, the frame statistics). Panels are views over the session; each
// keeps its own view state (scroll targets, filters, ticked boxes) in a struct of
// its own file, reached through view<T>(PanelId), as ImHex's views keep theirs.
#pragma once

#include <array>
#include <cstdint>
#include <cstdlib>
#include <functional>
#include <memory>
#include <string>
#include <typeinfo>
#include <vector>

#include "editor/code_editor.h"
#include "experiment_runner.h"
#include "frame_stats.h"
#include "lab_state.h"
#include "layout/layout_state.h"
#include "panel_list.h"
#include "session/session.h"

namespace trapeze::ui {

// The editor of one guest, and the session source revision it shows.
struct EditorSlot {
  CodeEditor editor;
  uint64_t revision = 0;
  std::string errors_shown;  // the errors last handed to the editor, formatted
  size_t refused_bytes = 0;  // the size of the last edit undone for being too long (0: none)
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

  bool raise_welcome = true;  // bring the welcome panel to the front once

  ExperimentRunner experiment_runner;  // the experiments panel's run, shared with the JS API
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

  // Panel p's own view state, a `View` made (value-initialised) on first use and
  // kept while the app runs. Only panel p's file names its View type; asking for
  // another type under the same id is a programming error and stops the app.
  template <class View>
  View& view(PanelId p) {
    PanelView& slot = views_[size_t(p)];
    if (!slot.state) slot = PanelView{std::make_shared<View>(), &typeid(View)};
    if (*slot.type != typeid(View)) std::abort();
    return *static_cast<View*>(slot.state.get());
  }

 private:
  struct PanelView {
    std::shared_ptr<void> state;  // owns a View (shared_ptr<void> keeps its destructor)
    const std::type_info* type = nullptr;
  };
  std::array<PanelView, kPanelCount> views_;
};

}  // namespace trapeze::ui
