#include "app.h"

#include <imgui.h>

#include "isa/isa.h"

namespace trapeze::ui {
namespace {

constexpr const char* kWelcomeSource =
    "; Trapeze guest kernel: edit me.\n"
    "; (The editor is a placeholder until the frontend lands.)\n"
    "_start:\n"
    "    li   r1, 'H'\n"
    "    out  PORT_CONSOLE, r1\n"
    "    rdpsw r2          ; sensitive but not privileged\n"
    "    halt\n";

// ImGui's InputTextMultiline resizes a std::string through this callback.
int resize_string(ImGuiInputTextCallbackData* data) {
  if (data->EventFlag == ImGuiInputTextFlags_CallbackResize) {
    auto* s = static_cast<std::string*>(data->UserData);
    s->resize(size_t(data->BufTextLen));
    data->Buf = s->data();
  }
  return 0;
}

}  // namespace

App::App() : editor_text_(kWelcomeSource) {}

void App::frame(double dt_seconds) {
  ++frames_;
  const double ms = dt_seconds * 1000.0;
  frame_ms_avg_ = frames_ == 1 ? ms : frame_ms_avg_ * 0.95 + ms * 0.05;
  draw_main_window();
}

void App::draw_main_window() {
  const ImGuiViewport* vp = ImGui::GetMainViewport();
  ImGui::SetNextWindowPos(ImVec2(vp->WorkPos.x + 16, vp->WorkPos.y + 16), ImGuiCond_FirstUseEver);
  ImGui::SetNextWindowSize(ImVec2(560, 420), ImGuiCond_FirstUseEver);
  ImGui::Begin("Trapeze - hypervisor playground");
  ImGui::TextUnformatted("Guest kernels, a VMM, and four ways to virtualize them.");
  ImGui::Text("ISA: %zu instructions", isa::kInstructionCount);
  ImGui::Separator();
  ImGui::TextUnformatted("guest.s");
  ImGui::InputTextMultiline("##editor", editor_text_.data(), editor_text_.capacity() + 1,
                            ImVec2(-1, ImGui::GetTextLineHeight() * 12),
                            ImGuiInputTextFlags_AllowTabInput | ImGuiInputTextFlags_CallbackResize,
                            resize_string, &editor_text_);
  ImGui::Separator();
  ImGui::Text("frame time %.2f ms (%.0f fps), %llu frames", frame_ms_avg_,
              frame_ms_avg_ > 0 ? 1000.0 / frame_ms_avg_ : 0.0,
              static_cast<unsigned long long>(frames_));
  ImGui::End();
}

}  // namespace trapeze::ui
