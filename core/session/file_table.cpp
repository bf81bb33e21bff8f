#include "session/file_table.h"

#include <algorithm>

namespace trapeze::session {

scenario::FileReader table_reader(std::span<const BundledFile> files) {
  return [files](const std::string& path) -> std::optional<std::string> {
    const std::string want = normalize_path(path);
    for (const BundledFile& f : files)
      if (f.path == want) return std::string(f.text);
    return std::nullopt;
  };
}

scenario::FileReader disk_reader(std::string root) {
  return [root](const std::string& path) {
    return text::read_input_file(
        !path.empty() && path[0] == '/' ? path : (root.empty() ? path : root + "/" + path));
  };
}

std::vector<std::string> list_files(std::span<const BundledFile> files, std::string_view dir,
                                    std::string_view suffix) {
  std::vector<std::string> out;
  for (const BundledFile& f : files)
    if (f.path.starts_with(dir) && f.path.ends_with(suffix)) out.emplace_back(f.path);
  std::sort(out.begin(), out.end());
  return out;
}

}  // namespace trapeze::session
