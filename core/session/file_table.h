// A read-only set of files in memory — the guest kernels and preset scenarios
// bundled into the frontend — and scenario::FileReaders over it or over the
// filesystem, so the Session loads presets the same way in the browser (no
// files) and on the desktop.
#pragma once

#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "scenario/paths.h"
#include "scenario/scenario.h"

namespace trapeze::session {

struct BundledFile {
  std::string_view path;  // relative to the repository root: "guests/mini-os/mini-os.s"
  std::string_view text;
};

using scenario::normalize_path;  // scenario/paths.h

// Reads from `files` (which must outlive the reader) by normalized path.
scenario::FileReader table_reader(std::span<const BundledFile> files);

// Reads from the filesystem below `root` ("" = the current directory), as every
// input file is read (text/input_file.h).
scenario::FileReader disk_reader(std::string root);

// The bundled paths under `dir` ending in `suffix` ("scenarios/", ".json"), sorted.
std::vector<std::string> list_files(std::span<const BundledFile> files, std::string_view dir,
                                    std::string_view suffix);

}  // namespace trapeze::session
