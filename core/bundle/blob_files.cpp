// files() for the browser build (TRAPEZE_BUNDLE_BLOB, set by bundle.cmake): the
// bundled files come from the data file the page fetched beside trapeze.wasm
// and wrote into the in-memory filesystem before main() (web/trapeze-boot.js).
// Other builds compile the files in (bundled_files_data.cpp, generated).
#ifdef TRAPEZE_BUNDLE_BLOB

#include <cstdio>
#include <string>
#include <vector>

#include "bundle/bundled_files.h"
#include "bundle/file_blob.h"

namespace trapeze::bundle {
namespace {

std::string read_blob() {
  std::string bytes;
  if (std::FILE* f = std::fopen(TRAPEZE_BUNDLE_BLOB, "rb")) {
    char buf[16384];
    for (size_t n; (n = std::fread(buf, 1, sizeof buf, f)) > 0;) bytes.append(buf, n);
    std::fclose(f);
  }
  return bytes;
}

}  // namespace

std::span<const session::BundledFile> files() {
  static const std::string blob = read_blob();
  static const std::vector<session::BundledFile> table = parse_blob(blob);
  return table;
}

}  // namespace trapeze::bundle

#endif  // TRAPEZE_BUNDLE_BLOB
