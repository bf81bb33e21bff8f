// The C functions behind share links, autosave and scenario files
// (web/trapeze-share.js): the checks of core/scenario/share_link.h, answered as
// small JSON objects. They do not touch the running app. Strings come in as
// NUL-terminated UTF-8 and go out in one buffer valid until the next call.
#include <nlohmann/json.hpp>
#include <string>

#include "scenario/share_link.h"

#include "js_export.h"
#include "text/escape.h"
#include "text/input_file.h"

namespace {

namespace share = trapeze::scenario::share;
using json = nlohmann::json;

std::string g_answer;

const char* answer(const json& j) {
  g_answer = trapeze::text::json_text(j);
  return g_answer.c_str();
}

const char* failure(const std::string& error) { return answer({{"ok", false}, {"error", error}}); }

}  // namespace

// {"format": the link format this build writes, "maxDocumentBytes": the most a
// document may have after decompression, "maxInputFileBytes": the most an imported
// file may have (text/input_file.h: the same limit as every input file)}.
TRAPEZE_EXPORT const char* trapeze_share_limits() {
  return answer({{"format", share::kFormat},
                 {"maxDocumentBytes", share::kMaxDocumentBytes},
                 {"maxInputFileBytes", trapeze::text::kMaxInputFileBytes}});
}

// {"ok", "format", "data" ("" if none), "panels" (array or null), "readOnly", "theme", "lab", "step"
// (null if none)} or {"ok": false, "error"}.
TRAPEZE_EXPORT const char* trapeze_share_parse_fragment(const char* text) {
  std::string error;
  auto f = share::parse_fragment(text ? text : "", &error);
  if (!f) return failure(error);
  return answer({{"ok", true},
                 {"format", f->format},
                 {"data", f->data},
                 {"panels", f->panels ? json(*f->panels) : json(nullptr)},
                 {"readOnly", f->read_only},
                 {"theme", f->theme ? json(*f->theme) : json(nullptr)},
                 {"lab", f->lab ? json(*f->lab) : json(nullptr)},
                 {"step", f->step ? json(*f->step) : json(nullptr)}});
}

// The fragment (without '#') for `data` with the panels "a,b" ("" for none),
// read-only flag and lab ("" for none) at `step` (0 for none);
// {"ok", "fragment"} or {"ok": false, "error"}.
TRAPEZE_EXPORT const char* trapeze_share_make_fragment(const char* data, const char* panels_csv,
                                                       int read_only, const char* lab, int step) {
  share::Fragment f;
  f.data = data ? data : "";
  if (lab && *lab) f.lab = lab;
  if (lab && *lab && step > 0) f.step = step;
  const std::string csv = panels_csv ? panels_csv : "";
  if (!csv.empty()) {
    std::string error;
    auto parsed = share::parse_fragment("panels=" + csv, &error);
    if (!parsed) return failure(error);
    f.panels = parsed->panels;
  }
  f.read_only = read_only != 0;
  std::string error;
  const std::string text = share::format_fragment(f);
  if (!share::parse_fragment(text, &error)) return failure(error);  // e.g. data too long
  return answer({{"ok", true}, {"fragment", text}});
}

// The document to compress for `scenario_json`, layout panels "a,b" and lab
// progress (JSON text, "" for none): {"ok", "document"} or {"ok": false, "error"}.
TRAPEZE_EXPORT const char* trapeze_share_encode(const char* scenario_json, const char* panels_csv,
                                                const char* lab_json) {
  share::Layout layout;
  const std::string csv = panels_csv ? panels_csv : "";
  std::string error;
  if (!csv.empty()) {
    auto parsed = share::parse_fragment("panels=" + csv, &error);
    if (!parsed) return failure(error);
    layout.panels = *parsed->panels;
  }
  auto doc = share::encode_document(scenario_json ? scenario_json : "", layout, &error, lab_json ? lab_json : "");
  if (!doc) return failure(error);
  return answer({{"ok", true}, {"document", *doc}});
}

// Reads a document (accept_bare: a plain scenario file too):
// {"ok", "scenario" (JSON text), "panels" (array), "lab" (progress JSON text or null)} or
// {"ok": false, "error"}.
TRAPEZE_EXPORT const char* trapeze_share_decode(const char* text, int accept_bare) {
  std::string error;
  auto doc = share::decode_document(text ? text : "", accept_bare != 0, &error);
  if (!doc) return failure(error);
  return answer({{"ok", true},
                 {"scenario", doc->scenario_json},
                 {"panels", doc->layout.panels},
                 {"lab", doc->lab_json.empty() ? json(nullptr) : json(doc->lab_json)}});
}
