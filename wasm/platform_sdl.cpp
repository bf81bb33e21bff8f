// The platform layer: an SDL2 window with an OpenGL (desktop) or WebGL2
// (browser) context, Dear ImGui's backends, the font and the frame loop. The
// browser drives frames through emscripten_set_main_loop; the desktop loops itself.
//
// Desktop flags (for tests and measurements under Xvfb):
//   --scenario FILE   load this scenario (a bundled preset path or a file)
//   --run             start every guest
//   --all-panels      open every panel
//   --frames N        draw N frames and exit (0 if all went well)
//   --switch I:NAME   halfway through the frames, switch guest I to strategy NAME
//   --step I          at the end, pause and step guest I by one instruction
//   --theme dark|light  the colour theme (the browser remembers the View menu's choice)
//   --scale PERCENT   the UI scale, 75-200 (default: from the display's DPI)
//   --stats           print frame statistics and each guest's strategy, state and
//                     instructions at exit (one line of JSON)
#include <SDL.h>
#include <imgui.h>
#include <imgui_impl_opengl3.h>
#include <imgui_impl_sdl.h>

#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <nlohmann/json.hpp>
#include <string>

#include "app.h"
#include "appearance.h"
#include "clipboard.h"
#include "js_api.h"
#include "keyboard_nav.h"

#ifdef __EMSCRIPTEN__
#include <SDL_opengles2.h>
#include <emscripten.h>
#else
#include <SDL_opengl.h>
#endif

namespace {

struct Platform {
  SDL_Window* window = nullptr;
  SDL_GLContext gl = nullptr;
  trapeze::ui::App* app = nullptr;
  bool quit = false;
  uint64_t frame_limit = 0;  // 0 = run until closed
  uint64_t last_counter = 0;
};

Platform g;

float pixel_ratio();

void frame() {
  SDL_Event event;
  while (SDL_PollEvent(&event)) {
    ImGui_ImplSDL2_ProcessEvent(&event);
    if (event.type == SDL_QUIT) g.quit = true;
    if (event.type == SDL_KEYDOWN) {  // the app's shortcuts count presses (App::key_down)
      const SDL_Keysym& k = event.key.keysym;
      g.app->key_down(k.scancode, (k.mod & KMOD_SHIFT) != 0, event.key.repeat != 0);
    }
  }
  const uint64_t now = SDL_GetPerformanceCounter();
  const double dt = g.last_counter ? double(now - g.last_counter) / double(SDL_GetPerformanceFrequency())
                                   : 1.0 / 60;
  g.last_counter = now;

  // A new theme, scale or pixel ratio: style and font atlas rebuilt, texture re-uploaded.
  // The menu bar's height changes with the font: the panels are laid out again.
  if (trapeze::ui::apply_pending(pixel_ratio())) {
    ImGui_ImplOpenGL3_DestroyFontsTexture();
    ImGui_ImplOpenGL3_CreateFontsTexture();
    g.app->context().apply_layout = 2;
  }
  ImGui_ImplOpenGL3_NewFrame();
  ImGui_ImplSDL2_NewFrame();
  trapeze::ui::clipboard::before_new_frame();
  // Two frames can share a timestamp (headless browsers with virtual time);
  // ImGui asserts on a zero delta.
  ImGuiIO& io = ImGui::GetIO();
  if (io.DeltaTime <= 0) io.DeltaTime = 1.0f / 60;
  // ImGui's clock runs at most 0.1 s a frame: with slow frames (software GL) a key
  // held across two frames would otherwise pass the 0.275 s repeat delay, and one
  // press of an arrow would move the keyboard focus twice. (The simulation uses dt;
  // F5 and F10 do not use ImGui's key state at all: App::key_down.)
  io.DeltaTime = std::min(io.DeltaTime, 0.1f);
  ImGui::NewFrame();
  trapeze::ui::keyboard_navigation();
  g.app->frame(dt);
  ImGui::Render();

  glViewport(0, 0, int(io.DisplaySize.x * io.DisplayFramebufferScale.x),
             int(io.DisplaySize.y * io.DisplayFramebufferScale.y));
  const float* clear = trapeze::ui::palette().clear;
  glClearColor(clear[0], clear[1], clear[2], 1.0f);
  glClear(GL_COLOR_BUFFER_BIT);
  ImGui_ImplOpenGL3_RenderDrawData(ImGui::GetDrawData());
  SDL_GL_SwapWindow(g.window);

  if (g.frame_limit && g.app->frames() >= g.frame_limit) g.quit = true;
}

// How much larger than 96 dpi the display is (1 on ordinary screens and in the
// browser, whose CSS pixels already account for it): the default UI scale.
float display_scale() {
#ifndef __EMSCRIPTEN__
  float ddpi = 0;
  if (SDL_GetDisplayDPI(0, &ddpi, nullptr, nullptr) == 0 && ddpi > 110) return std::min(ddpi / 96.0f, 3.0f);
#endif
  return 1.0f;
}

// How many framebuffer pixels a window point has (2 on "retina" screens and
// zoomed pages): the font atlas is rasterized at that density. Read every frame:
// zooming the page changes it.
float pixel_ratio() {
  int ww = 0, wh = 0, dw = 0, dh = 0;
  SDL_GetWindowSize(g.window, &ww, &wh);
  SDL_GL_GetDrawableSize(g.window, &dw, &dh);
  float ratio = ww > 0 && dw > ww ? float(dw) / float(ww) : 1.0f;
#ifdef __EMSCRIPTEN__
  ratio = std::max(ratio, float(EM_ASM_DOUBLE({ return window.devicePixelRatio || 1; })));
#endif
  return std::clamp(ratio, 1.0f, 4.0f);
}

bool init(int width, int height) {
  if (SDL_Init(SDL_INIT_VIDEO | SDL_INIT_TIMER) != 0) {
    std::fprintf(stderr, "SDL_Init failed: %s\n", SDL_GetError());
    return false;
  }
#ifdef __EMSCRIPTEN__
  const char* glsl_version = "#version 300 es";
  SDL_GL_SetAttribute(SDL_GL_CONTEXT_PROFILE_MASK, SDL_GL_CONTEXT_PROFILE_ES);
  SDL_GL_SetAttribute(SDL_GL_CONTEXT_MAJOR_VERSION, 3);
  SDL_GL_SetAttribute(SDL_GL_CONTEXT_MINOR_VERSION, 0);
#else
  const char* glsl_version = "#version 130";
  SDL_GL_SetAttribute(SDL_GL_CONTEXT_PROFILE_MASK, SDL_GL_CONTEXT_PROFILE_CORE);
  SDL_GL_SetAttribute(SDL_GL_CONTEXT_MAJOR_VERSION, 3);
  SDL_GL_SetAttribute(SDL_GL_CONTEXT_MINOR_VERSION, 0);
#endif
  SDL_GL_SetAttribute(SDL_GL_DOUBLEBUFFER, 1);
  const auto flags = SDL_WindowFlags(SDL_WINDOW_OPENGL | SDL_WINDOW_RESIZABLE | SDL_WINDOW_ALLOW_HIGHDPI);
  g.window = SDL_CreateWindow("Trapeze", SDL_WINDOWPOS_CENTERED, SDL_WINDOWPOS_CENTERED, width, height, flags);
  if (!g.window) {
    std::fprintf(stderr, "SDL_CreateWindow failed: %s\n", SDL_GetError());
    return false;
  }
  g.gl = SDL_GL_CreateContext(g.window);
  if (!g.gl) {
    std::fprintf(stderr, "SDL_GL_CreateContext failed: %s\n", SDL_GetError());
    return false;
  }
  SDL_GL_MakeCurrent(g.window, g.gl);
  SDL_GL_SetSwapInterval(1);

  IMGUI_CHECKVERSION();
  ImGui::CreateContext();
  ImGuiIO& io = ImGui::GetIO();
  io.IniFilename = nullptr;  // layout persistence is the app's job, not a file's
  // Every control is reachable from the keyboard: arrows move, Space activates,
  // Enter edits, Escape leaves, Alt enters the menu bar, Ctrl+Tab switches panels.
  io.ConfigFlags |= ImGuiConfigFlags_NavEnableKeyboard;
  trapeze::ui::set_default_scale_percent(trapeze::ui::scale_for_display(display_scale()));
  trapeze::ui::apply_pending(pixel_ratio());  // style and fonts; the renderer uploads them in Init
  ImGui_ImplSDL2_InitForOpenGL(g.window, g.gl);
  trapeze::ui::clipboard::install();  // the browser's system clipboard (SDL's is the desktop's)
  ImGui_ImplOpenGL3_Init(glsl_version);
  return true;
}

int usage(const char* argv0) {
  std::fprintf(stderr, "usage: %s [--scenario FILE] [--run] [--all-panels] [--ui JSON] [--theme dark|light] [--scale PERCENT] [--frames N] [--stats]\n", argv0);
  return 2;
}

}  // namespace

int main(int argc, char** argv) {
  std::string scenario;
  bool run = false, all_panels = false, stats = false;
  int switch_guest = -1, step_guest = -1;
  std::string switch_to, ui;
  nlohmann::json appearance_json = nlohmann::json::object();
  for (int i = 1; i < argc; ++i) {
    if (std::strcmp(argv[i], "--frames") == 0 && i + 1 < argc) {
      g.frame_limit = std::strtoull(argv[++i], nullptr, 10);
    } else if (std::strcmp(argv[i], "--scenario") == 0 && i + 1 < argc) {
      scenario = argv[++i];
    } else if (std::strcmp(argv[i], "--run") == 0) {
      run = true;
    } else if (std::strcmp(argv[i], "--all-panels") == 0) {
      all_panels = true;
    } else if (std::strcmp(argv[i], "--ui") == 0 && i + 1 < argc) {
      ui = argv[++i];  // as trapeze.setUi takes it: {"panels": [...], "compact": ...}
    } else if (std::strcmp(argv[i], "--switch") == 0 && i + 1 < argc && std::strchr(argv[i + 1], ':')) {
      switch_guest = std::atoi(argv[++i]);
      switch_to = std::strchr(argv[i], ':') + 1;
    } else if (std::strcmp(argv[i], "--step") == 0 && i + 1 < argc) {
      step_guest = std::atoi(argv[++i]);
    } else if (std::strcmp(argv[i], "--theme") == 0 && i + 1 < argc) {
      appearance_json["theme"] = argv[++i];
    } else if (std::strcmp(argv[i], "--scale") == 0 && i + 1 < argc) {
      appearance_json["scale"] = std::atof(argv[++i]);
    } else if (std::strcmp(argv[i], "--stats") == 0) {
      stats = true;
    } else {
      return usage(argv[0]);
    }
  }
  if (std::string error; !appearance_json.empty() && !trapeze::ui::set_appearance_json(appearance_json.dump(), &error)) {
    std::fprintf(stderr, "--theme/--scale: %s\n", error.c_str());
    return usage(argv[0]);
  }
  if (!init(1280, 800)) return 1;
  static trapeze::ui::App app;
  g.app = &app;
  app.set_keys(SDL_SCANCODE_F5, SDL_SCANCODE_F10);
  if (!scenario.empty()) {
    std::string error;
    if (!app.load_scenario_file(scenario, &error)) {
      std::fprintf(stderr, "%s: %s\n", scenario.c_str(), error.c_str());
      return 1;
    }
  }
  if (all_panels) app.open_all_panels();
  if (std::string error; !ui.empty() && !app.set_ui(ui, &error)) {
    std::fprintf(stderr, "--ui: %s\n", error.c_str());
    return 1;
  }
  if (run) app.session().set_all_running(true);
  trapeze::ui::set_api_app(&app);
#ifdef __EMSCRIPTEN__
  (void)stats, (void)switch_guest, (void)step_guest;  // desktop test flags; the browser has the JS API
  emscripten_set_main_loop(frame, 0, 1);
#else
  bool switched = false;
  while (!g.quit) {
    frame();
    if (!switched && switch_guest >= 0 && app.frames() * 2 >= g.frame_limit) {
      switched = true;
      std::string error;
      const auto kind = trapeze::vmm::parse_strategy(switch_to);
      if (!kind || !app.session().set_strategy(size_t(switch_guest), *kind, &error)) {
        std::fprintf(stderr, "--switch %d:%s: %s\n", switch_guest, switch_to.c_str(),
                     kind ? error.c_str() : "unknown strategy");
        return 1;
      }
    }
  }
  if (step_guest >= 0 && !app.session().step(size_t(step_guest))) {
    std::fprintf(stderr, "--step %d: the guest cannot run\n", step_guest);
    return 1;
  }
  if (stats) {
    const trapeze::ui::FrameSummary f = app.context().stats.summary();
    const auto& s = app.session();
    std::string guests;
    for (size_t i = 0; s.loaded() && i < s.guest_count(); ++i) {
      const trapeze::vmm::Guest& vg = s.vmm()->guest(i);
      char one[200];
      std::snprintf(one, sizeof one, "%s{\"strategy\":\"%s\",\"state\":\"%s\",\"instructions\":%llu}", i ? "," : "",
                    std::string(trapeze::vmm::strategy_name(vg.strategy_kind())).c_str(),
                    std::string(trapeze::vmm::guest_state_name(vg.state)).c_str(),
                    static_cast<unsigned long long>(vg.counters.machine.instructions()));
      guests += one;
    }
    std::printf("{\"frames\":%llu,\"meanMs\":%.3f,\"p95Ms\":%.3f,\"maxMs\":%.3f,\"workMeanMs\":%.3f,"
                "\"workP95Ms\":%.3f,\"simMeanMs\":%.3f,\"hostCycles\":%llu,\"guests\":[%s]}\n",
                static_cast<unsigned long long>(f.frames), f.mean_ms, f.p95_ms, f.max_ms, f.work_mean_ms,
                f.work_p95_ms, f.sim_mean_ms,
                static_cast<unsigned long long>(s.loaded() ? s.vmm()->host_cycles() : 0), guests.c_str());
  }
  ImGui_ImplOpenGL3_Shutdown();
  ImGui_ImplSDL2_Shutdown();
  ImGui::DestroyContext();
  SDL_GL_DeleteContext(g.gl);
  SDL_DestroyWindow(g.window);
  SDL_Quit();
#endif
  return 0;
}
