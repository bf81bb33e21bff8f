// The Trapeze user interface: everything drawn each frame. It owns the Session
// (the simulation) and draws the panels of panel_list.h over it; it never
// touches the platform (window, GL, browser): platform_sdl.cpp calls frame()
// once per displayed frame, js_api.cpp calls the accessors.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include "app_context.h"
#include "session/session.h"

namespace trapeze::ui {

class App {
 public:
  App();
  // Runs the simulation's share of the frame and builds the ImGui draw lists.
  // `dt_seconds` is the time since the previous frame.
  void frame(double dt_seconds);
  uint64_t frames() const { return frames_; }

  session::Session& session() { return session_; }
  AppContext& context() { return ctx_; }
  // Loads a bundled preset or any scenario file the session's reader finds.
  bool load_scenario_file(const std::string& path, std::string* error);
  void open_all_panels();
  // Embed mode: {"compact":bool,"panels":[names],"readOnly":bool}. False on bad
  // JSON, or with unknown panel names (the known ones are shown).
  bool set_ui(std::string_view json, std::string* error);
  void set_keys(int f5, int f10) { ctx_.key_f5 = f5, ctx_.key_f10 = f10; }
  // Every key-down event the platform gets (`repeat`: the system's auto-repeat),
  // before the frame that follows it.
  void key_down(int key, bool shift, bool repeat);

 private:
  void shortcuts();

  // F5 and F10 presses since the last frame: shortcuts() acts on each once.
  struct KeyPresses {
    int steps = 0, steps_back = 0;
    bool f5 = false, f5_shift = false;
  };
  KeyPresses presses_;

  session::Session session_;
  AppContext ctx_;
  uint64_t frames_ = 0;
};

}  // namespace trapeze::ui
