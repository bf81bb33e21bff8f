// Share links and saved documents: the envelope around a scenario that travels in
// a URL fragment, in the browser's local storage or in a downloaded file.
//
//   index.html#s=1.DATA                  a share link
//   embed.html#s=1.DATA&panels=editor,page_tables&ro=1   the same, embedded: only those
//                                        panels, read-only editor
//   ...&theme=light                      the light theme (for white course pages)
//   index.html#lab=uk-bit&step=3         lab "uk-bit" at step 3 (with s=..., the
//                                        student's progress and sources come along)
//
// DATA is the document below, compressed (raw deflate) and base64url-encoded. The
// page does the compression with the browser's CompressionStream; everything else
// (the fragment's syntax, versions, size caps, the document's fields) is checked
// here, so it is fuzzed and tested like the scenario loader. The document:
//
//   {"trapeze": 1, "scenario": {...a scenario...}, "layout": {"panels": ["editor"]},
//    "lab": {...lab progress (lab_progress.h), optional...}}
//
// "trapeze" is the format version. A link or save from a newer Trapeze is refused
// with a message saying so; formats older than kOldestFormat would be converted here
// (there are none yet). Nothing here throws or crashes, whatever the input.
#pragma once

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "scenario/scenario.h"

namespace trapeze::scenario::share {

inline constexpr int kFormat = 1;        // what this build writes
inline constexpr int kOldestFormat = 1;  // the oldest it still reads
// The document after decompression: checked by the page while it decompresses
// (it stops at this many bytes) and again here.
inline constexpr size_t kMaxDocumentBytes = kMaxScenarioBytes;
// DATA in a fragment, in characters (deflate rarely grows text; base64 adds 4/3).
inline constexpr size_t kMaxDataChars = kMaxDocumentBytes / 3 * 4 + 1024;
inline constexpr size_t kMaxPanels = 16;
inline constexpr size_t kMaxPanelNameChars = 32;

// Which panels the frontend shows; empty: its own default.
struct Layout {
  std::vector<std::string> panels;
  bool operator==(const Layout&) const = default;
};

// What a URL fragment asks for.
struct Fragment {
  int format = kFormat;
  std::string data;                                // base64url; empty: no scenario in it
  std::optional<std::vector<std::string>> panels;  // "panels=a,b"
  bool read_only = false;                          // "ro=1"
  std::optional<std::string> theme;                // "theme=dark" or "theme=light"
  std::optional<std::string> lab;                  // "lab=NAME" (lab_progress.h's names)
  std::optional<int> step;                         // "step=N", 1-based; only with lab
  bool operator==(const Fragment&) const = default;
};

// Parses "s=1.DATA&panels=a,b&ro=1&theme=light" (a leading '#' is skipped; every part is
// optional, in any order; an empty fragment is a Fragment without data). On error
// returns nullopt and sets *error to one line naming the part.
std::optional<Fragment> parse_fragment(std::string_view text, std::string* error);

// The fragment text (without '#'), in a fixed order; parse_fragment(format(f)) == f.
std::string format_fragment(const Fragment& f);

struct Document {
  std::string scenario_json;  // as scenario::to_json writes it, when it came from there
  Layout layout;
  std::string lab_json;  // lab progress as lab::to_json writes it ("" if none), checked
};

// The document's JSON text (to be compressed). The scenario must parse; its key
// order is kept, so decode(encode(to_json(s))) gives back exactly to_json(s).
std::optional<std::string> encode_document(std::string_view scenario_json, const Layout& layout,
                                           std::string* error, std::string_view lab_json = "");

// Reads a document. With `accept_bare_scenario`, a plain scenario file (no
// "trapeze" field; what the CLI runs) is read too, with the default layout.
std::optional<Document> decode_document(std::string_view text, bool accept_bare_scenario,
                                        std::string* error);

// Every '{' and '[' outside strings at most scenario::kMaxDepth deep (checked
// before nlohmann builds anything).
bool nesting_within_limit(std::string_view text);

// A panel name (the frontend's panel ids): 1 to kMaxPanelNameChars of a-z, 0-9, '_', '-'.
bool is_panel_name(std::string_view name);

}  // namespace trapeze::scenario::share
