#include "appearance.h"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <cstring>
#include <nlohmann/json.hpp>

#ifdef __EMSCRIPTEN__
#include <emscripten.h>
#endif

namespace trapeze::ui {
namespace {

constexpr ImU32 rgb(int r, int g, int b, int a = 255) { return IM_COL32(r, g, b, a); }

Palette dark_palette() {
  Palette p{};
  p.accent = ImVec4(0.55f, 0.80f, 1.00f, 1);
  p.good = ImVec4(0.50f, 0.90f, 0.50f, 1);
  p.bad = ImVec4(1.00f, 0.50f, 0.40f, 1);
  p.changed = ImVec4(1.00f, 0.78f, 0.35f, 1);
  p.dim = ImVec4(0.60f, 0.60f, 0.65f, 1);
  p.current = ImVec4(1.00f, 0.85f, 0.30f, 1);
  p.state_ready = ImVec4(0.45f, 0.85f, 0.45f, 1);
  p.state_halted = ImVec4(0.65f, 0.65f, 0.70f, 1);
  p.state_crashed = ImVec4(1.00f, 0.40f, 0.35f, 1);
  p.state_stopped = ImVec4(0.95f, 0.75f, 0.30f, 1);
  p.plot_background = rgb(20, 22, 27);
  p.plot_frame = rgb(90, 90, 100);
  p.plot_text = rgb(200, 200, 210);
  p.plot_axis = rgb(160, 160, 170);
  p.plot_text_strong = rgb(225, 225, 230);
  p.row_current = rgb(70, 90, 150, 140);
  const ImU32 guests[8] = {rgb(92, 170, 255), rgb(255, 160, 70), rgb(110, 210, 120), rgb(235, 100, 130),
                           rgb(190, 140, 255), rgb(240, 220, 90), rgb(90, 220, 220), rgb(200, 200, 200)};
  std::copy(guests, guests + 8, p.guest);
  p.clear[0] = 0.11f, p.clear[1] = 0.12f, p.clear[2] = 0.14f;
  return p;
}

// Darker, more saturated versions: light backgrounds need contrast, not glow.
Palette light_palette() {
  Palette p{};
  p.accent = ImVec4(0.05f, 0.33f, 0.68f, 1);
  p.good = ImVec4(0.05f, 0.45f, 0.12f, 1);
  p.bad = ImVec4(0.78f, 0.10f, 0.08f, 1);
  p.changed = ImVec4(0.68f, 0.36f, 0.00f, 1);
  p.dim = ImVec4(0.38f, 0.38f, 0.43f, 1);
  p.current = ImVec4(0.62f, 0.32f, 0.00f, 1);
  p.state_ready = ImVec4(0.05f, 0.50f, 0.12f, 1);
  p.state_halted = ImVec4(0.38f, 0.38f, 0.43f, 1);
  p.state_crashed = ImVec4(0.80f, 0.10f, 0.08f, 1);
  p.state_stopped = ImVec4(0.66f, 0.40f, 0.00f, 1);
  p.plot_background = rgb(252, 252, 253);
  p.plot_frame = rgb(150, 150, 160);
  p.plot_text = rgb(45, 45, 52);
  p.plot_axis = rgb(95, 95, 105);
  p.plot_text_strong = rgb(20, 20, 25);
  p.row_current = rgb(110, 150, 230, 110);
  const ImU32 guests[8] = {rgb(25, 105, 215), rgb(215, 105, 0), rgb(25, 140, 45), rgb(195, 35, 85),
                           rgb(125, 65, 205), rgb(160, 130, 0), rgb(0, 140, 140), rgb(85, 85, 90)};
  std::copy(guests, guests + 8, p.guest);
  p.clear[0] = 0.84f, p.clear[1] = 0.85f, p.clear[2] = 0.87f;
  return p;
}

EditorPalette light_editor_palette() {
  using editor::TokenKind;
  EditorPalette p = EditorPalette::dark();
  auto set = [&](TokenKind k, ImU32 c) { p.token[size_t(k)] = c; };
  set(TokenKind::Plain, rgb(30, 30, 35));
  set(TokenKind::Instruction, rgb(0, 85, 190));
  set(TokenKind::Privileged, rgb(190, 80, 0));
  set(TokenKind::VirtHole, rgb(190, 0, 140));
  set(TokenKind::Pseudo, rgb(0, 125, 110));
  set(TokenKind::Directive, rgb(120, 50, 200));
  set(TokenKind::Label, rgb(140, 95, 0));
  set(TokenKind::Register, rgb(60, 60, 150));
  set(TokenKind::ControlReg, rgb(165, 70, 30));
  set(TokenKind::Number, rgb(40, 120, 20));
  set(TokenKind::String, rgb(140, 80, 30));
  set(TokenKind::Comment, rgb(110, 115, 125));
  set(TokenKind::Symbol, rgb(25, 25, 30));
  set(TokenKind::Punct, rgb(90, 90, 95));
  p.background = rgb(253, 253, 253);
  p.gutter = rgb(238, 239, 242);
  p.gutter_border = rgb(200, 202, 210);
  p.line_number = rgb(130, 135, 145);
  p.line_number_current = rgb(30, 30, 40);
  p.cursor = rgb(20, 20, 20);
  p.cursor_line = rgb(0, 0, 0, 14);
  p.selection = rgb(120, 165, 240, 120);
  p.find_match = rgb(240, 190, 30, 90);
  p.find_current = rgb(230, 150, 0, 200);
  p.pc_line = rgb(240, 200, 40, 80);
  p.pc_arrow = rgb(200, 130, 0);
  p.pc_hint = rgb(150, 100, 20);
  p.breakpoint = rgb(210, 40, 40);
  p.breakpoint_hover = rgb(210, 40, 40, 90);
  p.error = rgb(200, 20, 20);
  p.read_only_tag = rgb(110, 110, 115, 220);
  return p;
}

struct State {
  Appearance current;           // what the style and fonts show
  Appearance wanted;            // what the next frame applies
  bool chosen = false;          // someone set it (the display default no longer applies)
  bool applied = false;         // fonts built at least once
  float pixel_ratio = 0;        // the atlas's
  Palette palettes[2] = {dark_palette(), light_palette()};
  EditorPalette editor[2] = {EditorPalette::dark(), light_editor_palette()};
};

State& state() {
  static State s;
  return s;
}

// The style for a theme at a scale, from ImGui's own theme so every colour is set.
void build_style(const Appearance& a) {
  ImGuiStyle style;
  if (a.theme == Theme::light) {
    ImGui::StyleColorsLight(&style);
  } else {
    ImGui::StyleColorsDark(&style);
  }
  style.WindowRounding = 3;
  style.FrameRounding = 2;
  style.Colors[ImGuiCol_WindowBg].w = 1.0f;  // overlapping panels stay readable
  if (a.theme == Theme::light) {
    style.FrameBorderSize = 1;  // fields and buttons need an edge on a light background
    style.Colors[ImGuiCol_Border] = ImVec4(0, 0, 0, 0.22f);
  }
  // The keyboard focus must stand out on both backgrounds.
  style.Colors[ImGuiCol_NavHighlight] = a.theme == Theme::light ? ImVec4(0.85f, 0.35f, 0.0f, 1)
                                                                 : ImVec4(1.0f, 0.75f, 0.2f, 1);
  style.ScaleAllSizes(float(a.scale_percent) / 100.0f);
  ImGui::GetStyle() = style;
}

// The UI font (Debian's DejaVu Sans Mono when built in), read once.
const std::string& font_file() {
  static const std::string bytes = [] {
#ifdef TRAPEZE_UI_FONT
    // stdio, not <fstream>: iostreams and locales cost trapeze.wasm ~50 KB.
    std::string out;
    if (std::FILE* f = std::fopen(TRAPEZE_UI_FONT, "rb")) {
      char buf[16384];
      for (size_t n; (n = std::fread(buf, 1, sizeof buf, f)) > 0;) out.append(buf, n);
      std::fclose(f);
    }
    return out;
#else
    return std::string();
#endif
  }();
  return bytes;
}

// Rasterizes the font at scale x pixel ratio device pixels, shown at 1/pixel
// ratio: sharp at every scale on every screen (FontGlobalScale alone would blur).
void build_fonts(const Appearance& a, float pixel_ratio) {
  ImGuiIO& io = ImGui::GetIO();
  io.Fonts->Clear();
  const float scale = float(a.scale_percent) / 100.0f;
  const std::string& ttf = font_file();
  bool loaded = false;
  if (!ttf.empty()) {
    void* copy = IM_ALLOC(ttf.size());  // the atlas owns and frees it
    std::memcpy(copy, ttf.data(), ttf.size());
    // Latin-1, and the punctuation, arrows and operators labs and presets write
    // (dashes, quotes, "≤", "→"); the atlas keeps a pointer to this list.
    static const ImWchar kRanges[] = {0x0020, 0x00FF, 0x2010, 0x205E, 0x2190, 0x21FF, 0x2200, 0x22FF, 0};
    loaded = io.Fonts->AddFontFromMemoryTTF(copy, int(ttf.size()), std::round(15.0f * scale * pixel_ratio), nullptr,
                                            kRanges) != nullptr;
  }
  if (!loaded) {
    ImFontConfig config;
    config.SizePixels = std::round(13.0f * scale * pixel_ratio);
    io.Fonts->AddFontDefault(&config);
  }
  io.Fonts->Build();
  io.FontGlobalScale = 1.0f / pixel_ratio;
}

void notify_page(const Appearance& a) {
#ifdef __EMSCRIPTEN__
  const std::string json = nlohmann::json{{"theme", theme_name(a.theme)}, {"scale", a.scale_percent}}.dump();
  EM_ASM({ if (Module.onTrapezeAppearance) Module.onTrapezeAppearance(UTF8ToString($0)); }, json.c_str());
#else
  (void)a;
#endif
}

}  // namespace

const char* theme_name(Theme t) { return t == Theme::light ? "light" : "dark"; }

std::optional<Theme> parse_theme(std::string_view name) {
  if (name == "dark") return Theme::dark;
  if (name == "light") return Theme::light;
  return std::nullopt;
}

int scale_for_display(double factor) {
  if (!std::isfinite(factor)) factor = 1;
  const int steps = int(std::lround(factor * 100.0 / kScaleStepPercent));
  return std::clamp(steps * kScaleStepPercent, kMinScalePercent, kMaxScalePercent);
}

Appearance appearance() { return state().wanted; }
const Palette& palette() { return state().palettes[state().current.theme == Theme::light ? 1 : 0]; }
const EditorPalette& editor_palette() { return state().editor[state().current.theme == Theme::light ? 1 : 0]; }

void set_appearance(const Appearance& a, bool by_user) {
  State& s = state();
  s.wanted = a;
  s.wanted.scale_percent = std::clamp(a.scale_percent, kMinScalePercent, kMaxScalePercent);
  s.chosen = true;
  if (by_user) notify_page(s.wanted);
}

void set_default_scale_percent(int percent) {
  if (!state().chosen) state().wanted.scale_percent = std::clamp(percent, kMinScalePercent, kMaxScalePercent);
}

std::string appearance_json() {
  const Appearance a = appearance();
  return nlohmann::json{{"theme", theme_name(a.theme)}, {"scale", a.scale_percent}}.dump();
}

bool set_appearance_json(std::string_view text, std::string* error) {
  const auto j = nlohmann::json::parse(text, nullptr, false);
  if (j.is_discarded() || !j.is_object()) {
    *error = "expected a JSON object like {\"theme\": \"light\", \"scale\": 150}";
    return false;
  }
  Appearance a = appearance();
  for (const auto& [key, value] : j.items()) {
    if (key == "theme") {
      const auto t = value.is_string() ? parse_theme(value.get<std::string>()) : std::nullopt;
      if (!t) {
        *error = "theme: expected \"dark\" or \"light\", got " + value.dump();
        return false;
      }
      a.theme = *t;
    } else if (key == "scale") {
      if (!value.is_number() || !(value.get<double>() >= kMinScalePercent && value.get<double>() <= kMaxScalePercent)) {
        *error = "scale: expected a percentage from " + std::to_string(kMinScalePercent) + " to " +
                 std::to_string(kMaxScalePercent) + ", got " + value.dump();
        return false;
      }
      a.scale_percent = int(std::lround(value.get<double>()));
    } else {
      *error = key + ": unknown key (expected theme, scale)";
      return false;
    }
  }
  set_appearance(a, false);
  return true;
}

bool apply_pending(float pixel_ratio) {
  State& s = state();
  if (!(pixel_ratio > 0)) pixel_ratio = 1;
  const bool style_changed = !s.applied || !(s.current == s.wanted);
  const bool fonts_changed = !s.applied || s.current.scale_percent != s.wanted.scale_percent ||
                             s.pixel_ratio != pixel_ratio;
  if (style_changed) build_style(s.wanted);
  if (fonts_changed) build_fonts(s.wanted, pixel_ratio);
  s.current = s.wanted;
  s.pixel_ratio = pixel_ratio;
  s.applied = true;
  return fonts_changed;
}

void draw_appearance_menu() {
  const Appearance a = appearance();
  if (ImGui::BeginMenu("Theme")) {
    for (Theme t : {Theme::dark, Theme::light}) {
      const char* label = t == Theme::dark ? "Dark" : "Light";
      if (ImGui::MenuItem(label, nullptr, a.theme == t) && a.theme != t) set_appearance({t, a.scale_percent}, true);
    }
    ImGui::EndMenu();
  }
  if (ImGui::BeginMenu("UI scale")) {
    for (int p = kMinScalePercent; p <= kMaxScalePercent; p += kScaleStepPercent) {
      char label[16];
      std::snprintf(label, sizeof label, "%d%%", p);
      if (ImGui::MenuItem(label, nullptr, a.scale_percent == p) && a.scale_percent != p)
        set_appearance({a.theme, p}, true);
    }
    ImGui::EndMenu();
  }
}

}  // namespace trapeze::ui
