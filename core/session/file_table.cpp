#include "session/file_table.h"

#include <algorithm>

namespace trapeze::session {

std::string normalize_path(std::string_view path) {
  std::vector<std::string_view> parts;
  const bool absolute = !path.empty() && path[0] == '/';
  size_t i = 0;
  while (i <= path.size()) {
    size_t j = path.find('/', i);
    if (j == std::string_view::npos) j = path.size();
    const std::string_view part = path.substr(i, j - i);
    if (part == "..") {
      if (!parts.empty() && parts.back() != "..")
        parts.pop_back();
      else
        parts.push_back(part);
    } else if (!part.empty() && part != ".") {
      parts.push_back(part);
    }
    i = j + 1;
  }
  std::string out = absolute ? "/" : "";
  for (size_t k = 0; k < parts.size(); ++k) {
    if (k) out += '/';
    out += parts[k];
  }
  return out;
}

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
