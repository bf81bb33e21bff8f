#include "bundle/file_blob.h"

#include <charconv>

namespace trapeze::bundle {

std::vector<session::BundledFile> parse_blob(std::string_view blob) {
  std::vector<session::BundledFile> files;
  while (!blob.empty()) {
    const size_t path_end = blob.find('\n');
    if (path_end == std::string_view::npos) break;
    const size_t size_end = blob.find('\n', path_end + 1);
    if (size_end == std::string_view::npos) break;
    size_t size = 0;
    const char* first = blob.data() + path_end + 1;
    const char* last = blob.data() + size_end;
    const auto [end, ec] = std::from_chars(first, last, size);
    if (ec != std::errc() || end != last || size > blob.size() - size_end - 1) break;
    files.push_back({blob.substr(0, path_end), blob.substr(size_end + 1, size)});
    blob.remove_prefix(size_end + 1 + size);
  }
  return files;
}

}  // namespace trapeze::bundle
