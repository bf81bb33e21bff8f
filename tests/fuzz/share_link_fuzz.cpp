// Fuzz target: share-link fragments, saved documents (scenario/share_link.h) and
// lab progress (scenario/lab_progress.h) on arbitrary text.
// Invariants: a rejection always comes with a message; an accepted fragment
// formats back to itself; an accepted document re-encodes and decodes to the same
// scenario text, layout and lab progress; accepted lab progress writes out as
// text that reads back to the same progress.
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <string>
#include <string_view>

#include "scenario/lab_progress.h"
#include "scenario/share_link.h"

namespace {
namespace share = trapeze::scenario::share;
namespace lab = trapeze::scenario::lab;

void check(bool ok, const char* what) {
  if (!ok) {
    std::fprintf(stderr, "invariant violated: %s\n", what);
    std::abort();
  }
}
}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string_view text(reinterpret_cast<const char*>(data), size);

  std::string error;
  if (auto f = share::parse_fragment(text, &error)) {
    auto again = share::parse_fragment(share::format_fragment(*f), &error);
    check(again && *again == *f, "a fragment that does not format back to itself");
  } else {
    check(!error.empty(), "a rejected fragment without an error message");
  }

  for (const bool bare : {false, true}) {
    error.clear();
    auto doc = share::decode_document(text, bare, &error);
    if (!doc) {
      check(!error.empty(), "a rejected document without an error message");
      continue;
    }
    auto encoded = share::encode_document(doc->scenario_json, doc->layout, &error, doc->lab_json);
    check(encoded.has_value(), "an accepted document that does not re-encode");
    auto back = share::decode_document(*encoded, false, &error);
    check(back && back->scenario_json == doc->scenario_json && back->layout == doc->layout &&
              back->lab_json == doc->lab_json,
          "a document that does not round-trip");
  }

  error.clear();
  if (auto progress = lab::parse(text, &error)) {
    const std::string written = lab::to_json(*progress);
    auto again = lab::parse(written, &error);
    check(again && lab::to_json(*again) == written, "lab progress that does not read back");
  } else {
    check(!error.empty(), "rejected lab progress without an error message");
  }
  return 0;
}
