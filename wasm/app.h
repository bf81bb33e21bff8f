// The Trapeze user interface: everything drawn each frame. It reads the core
// through its API and never touches the platform (window, GL, browser); the
// platform layer (platform_sdl.cpp) calls frame() once per displayed frame.
#pragma once

#include <cstdint>
#include <string>

#include "editor/code_editor.h"

namespace trapeze::ui {

class App {
 public:
  App();
  // Builds the ImGui draw lists for one frame. `dt_seconds` is the host frame time.
  void frame(double dt_seconds);
  uint64_t frames() const { return frames_; }

 private:
  void draw_main_window();

  uint64_t frames_ = 0;
  double frame_ms_avg_ = 0;  // smoothed, for the readout
  CodeEditor editor_;
};

}  // namespace trapeze::ui
