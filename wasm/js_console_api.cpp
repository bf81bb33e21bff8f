// The console through the JavaScript API (docs/js-api.md): what a guest printed,
// and where it departs from its bare-metal reference (session/reference_run.h).
// Output goes out as a JSON string with one character per byte (bytes 0x80-0xFF
// as U+0080-U+00FF), so every byte survives, NUL included.
#include <nlohmann/json.hpp>
#include <string>

#include "app.h"
#include "js_api.h"

#include "js_export.h"
#include "text/escape.h"

namespace {

// Bytes as Latin-1 code points, encoded as UTF-8 (what JSON text must be).
std::string bytes_as_text(const std::string& bytes) {
  std::string out;
  out.reserve(bytes.size());
  for (unsigned char c : bytes) {
    if (c < 0x80) {
      out += char(c);
    } else {
      out += char(0xC0 | (c >> 6));
      out += char(0x80 | (c & 0x3F));
    }
  }
  return out;
}

const trapeze::session::Session* loaded_session() {
  trapeze::ui::App* app = trapeze::ui::api_app();
  return app && app->session().loaded() ? &app->session() : nullptr;
}

}  // namespace

// Guest `guest`'s console output as a JSON string, or "null" if there is no such guest.
TRAPEZE_EXPORT const char* trapeze_console(int guest) {
  static std::string out;
  const auto* s = loaded_session();
  if (!s || guest < 0 || size_t(guest) >= s->guest_count()) return "null";
  out = trapeze::text::json_text(nlohmann::json(bytes_as_text(s->vmm()->guest(size_t(guest)).console())));
  return out.c_str();
}

// {"status": "none" | "same-so-far" | "same" | "differs", "comparedWith": "same image" |
// "native build" | null, "referenceFinished", "byte", "line", "referenceLine"} ("null": no guest).
TRAPEZE_EXPORT const char* trapeze_console_diff(int guest) {
  static std::string out;
  const auto* s = loaded_session();
  if (!s || guest < 0 || size_t(guest) >= s->guest_count()) return "null";
  const auto d = s->references().diff(*s, size_t(guest));
  const trapeze::session::ReferenceRun* ref = s->references().reference(size_t(guest));
  nlohmann::json j;
  j["status"] = trapeze::session::console_diff_status_name(d.status);
  j["comparedWith"] = !ref || !ref->machine ? nlohmann::json(nullptr)
                                            : nlohmann::json(ref->without_pv ? "native build" : "same image");
  j["referenceFinished"] = ref && ref->finished();
  if (ref && !ref->error.empty()) j["referenceError"] = ref->error;
  if (d.status == trapeze::session::ConsoleDiff::Status::Differs) {
    j["byte"] = d.byte;
    j["line"] = d.line;
    j["referenceLine"] = bytes_as_text(d.reference_line);
  }
  out = trapeze::text::json_text(j);
  return out.c_str();
}
