#include "app.h"

#include <imgui.h>

#include <algorithm>

#include "isa/isa.h"

namespace trapeze::ui {
namespace {

constexpr const char* kWelcomeSource =
    "; Trapeze guest kernel: edit me.\n"
    "; Ctrl+F finds; click the gutter for a breakpoint.\n"
    "_start:\n"
    "    li   r1, 'H'\n"
    "    out  PORT_CONSOLE, r1\n"
    "    rdpsw r2          ; sensitive but not privileged\n"
    "    halt\n";

}  // namespace

App::App() { editor_.set_text(kWelcomeSource); }

void App::frame(double dt_seconds) {
  ++frames_;
  const double ms = dt_seconds * 1000.0;
  frame_ms_avg_ = frames_ == 1 ? ms : frame_ms_avg_ * 0.95 + ms * 0.05;
  draw_main_window();
}

void App::draw_main_window() {
  const ImGuiViewport* vp = ImGui::GetMainViewport();
  ImGui::SetNextWindowPos(ImVec2(vp->WorkPos.x + 16, vp->WorkPos.y + 16), ImGuiCond_FirstUseEver);
  ImGui::SetNextWindowSize(ImVec2(640, 480), ImGuiCond_FirstUseEver);
  ImGui::Begin("Trapeze - hypervisor playground");
  ImGui::TextUnformatted("Guest kernels, a VMM, and four ways to virtualize them.");
  ImGui::Text("ISA: %zu instructions", isa::kInstructionCount);
  ImGui::Separator();
  ImGui::TextUnformatted("guest.s");
  // The editor takes the window's height, leaving room for the lines below it.
  const float below =
      ImGui::GetTextLineHeightWithSpacing() * 2 + ImGui::GetStyle().ItemSpacing.y * 2;
  editor_.draw("guest.s", ImVec2(-1, std::max(ImGui::GetContentRegionAvail().y - below,
                                              ImGui::GetTextLineHeight() * 8)));
  ImGui::Text("Ln %d, Col %d   %zu breakpoint%s   %s", editor_.cursor_line(), editor_.cursor_col(),
              editor_.breakpoints().size(), editor_.breakpoints().size() == 1 ? "" : "s",
              editor_.read_only() ? "read-only" : "");
  ImGui::Separator();
  ImGui::Text("frame time %.2f ms (%.0f fps), %llu frames", frame_ms_avg_,
              frame_ms_avg_ > 0 ? 1000.0 / frame_ms_avg_ : 0.0,
              static_cast<unsigned long long>(frames_));
  ImGui::End();
}

}  // namespace trapeze::ui
