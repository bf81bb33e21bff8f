// Fuzz target: share-link fragments and saved documents (scenario/share_link.h)
// on arbitrary text.
// Invariants: a rejection always comes with a message; an accepted fragment
// formats back to itself; an accepted document re-encodes and decodes to the same
// scenario text and layout.
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <string>
#include <string_view>

#include "scenario/share_link.h"

namespace {
namespace share = trapeze::scenario::share;

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
    auto encoded = share::encode_document(doc->scenario_json, doc->layout, &error);
    check(encoded.has_value(), "an accepted document that does not re-encode");
    auto back = share::decode_document(*encoded, false, &error);
    check(back && back->scenario_json == doc->scenario_json && back->layout == doc->layout,
          "a document that does not round-trip");
  }
  return 0;
}
