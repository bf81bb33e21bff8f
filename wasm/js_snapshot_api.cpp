// Snapshots of the whole session through the JS API (web/trapeze-snapshot.js:
// snapshot, restore, the File download and upload). Bytes cross as a buffer in
// the module's memory; nothing in a snapshot is ever run as code (the session's
// reader checks every byte: session/snapshot_format.h).
#include <cstdint>
#include <span>
#include <string>
#include <vector>

#include "app.h"
#include "js_api.h"
#include "js_export.h"

namespace {
std::vector<uint8_t> g_saved;
std::string g_error;
}  // namespace

// Saves a snapshot of the session into a buffer: its address (0 if nothing is
// loaded); its size is trapeze_snapshot_size(). Valid until the next save.
TRAPEZE_EXPORT const uint8_t* trapeze_snapshot_save() {
  trapeze::ui::App* app = trapeze::ui::api_app();
  g_saved = app && app->session().loaded() ? app->session().save_snapshot() : std::vector<uint8_t>();
  return g_saved.empty() ? nullptr : g_saved.data();
}
TRAPEZE_EXPORT double trapeze_snapshot_size() { return double(g_saved.size()); }
// Frees the saved buffer once the page has copied it.
TRAPEZE_EXPORT void trapeze_snapshot_release() { std::vector<uint8_t>().swap(g_saved); }

// Replaces the session with the snapshot in [bytes, bytes + size): "" if done, else
// why not (the session is then unchanged).
TRAPEZE_EXPORT const char* trapeze_snapshot_restore(const uint8_t* bytes, double size) {
  g_error.clear();
  trapeze::ui::App* app = trapeze::ui::api_app();
  if (!app) return g_error = "not ready", g_error.c_str();
  if (!bytes || size < 0) return g_error = "no bytes", g_error.c_str();
  if (!app->session().restore_snapshot(std::span<const uint8_t>(bytes, size_t(size)), &g_error)) {
    if (g_error.empty()) g_error = "not a usable snapshot";
    return g_error.c_str();
  }
  app->context().selected = 0;
  app->context().comparison.reset();
  return "";
}
