// The labs that come with Trapeze (labs/*.md, compiled in by core/bundle): what
// the app lists and opens by name (#lab=NAME) and `trapeze check NAME` runs.
#pragma once

#include <string>
#include <vector>

#include "lab/lab.h"

namespace trapeze::lab {

struct LabInfo {
  std::string name;     // "lab1-trap-and-emulate"
  std::string path;     // "labs/lab1-trap-and-emulate.md"
  std::string title;    // from its front matter ("" if it does not parse)
  std::string summary;
  int minutes = 0;
};

// Every bundled lab, by name.
std::vector<LabInfo> bundled_labs();

// "labs/NAME.md" for a bundled lab's name, "" if there is none (names are
// letters, digits, '-', '_' only: nothing else reaches the file table).
std::string bundled_lab_path(const std::string& name);

// Parses bundled lab `name` with the bundled files; an unknown name is one error.
ParseResult open_bundled_lab(const std::string& name);

}  // namespace trapeze::lab
