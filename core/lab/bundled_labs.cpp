#include "lab/bundled_labs.h"

#include <algorithm>

#include "bundle/bundled_files.h"
#include "scenario/lab_progress.h"
#include "session/file_table.h"

namespace trapeze::lab {

namespace {
constexpr std::string_view kDir = "labs/";
constexpr std::string_view kSuffix = ".md";
}  // namespace

std::vector<LabInfo> bundled_labs() {
  std::vector<LabInfo> out;
  const scenario::FileReader read = bundle::reader();
  for (const std::string& path : session::list_files(bundle::files(), kDir, kSuffix)) {
    LabInfo info;
    info.path = path;
    info.name = path.substr(kDir.size(), path.size() - kDir.size() - kSuffix.size());
    if (const auto text = read(path)) {
      const ParseResult r = parse(*text, path, read);
      if (r.lab) {
        info.title = r.lab->title;
        info.summary = r.lab->summary;
        info.minutes = r.lab->minutes;
      }
    }
    out.push_back(std::move(info));
  }
  return out;
}

std::string bundled_lab_path(const std::string& name) {
  if (!scenario::lab::is_lab_name(name)) return "";
  const std::string path = std::string(kDir) + name + std::string(kSuffix);
  return bundle::reader()(path) ? path : "";
}

ParseResult open_bundled_lab(const std::string& name) {
  const std::string path = bundled_lab_path(name);
  const scenario::FileReader read = bundle::reader();
  const auto text = path.empty() ? std::nullopt : read(path);
  if (!text) {
    ParseResult r;
    r.errors.push_back({"labs/" + name + ".md", 0, "", "no bundled lab named \"" + name + "\""});
    return r;
  }
  return parse(*text, path, read);
}

}  // namespace trapeze::lab
