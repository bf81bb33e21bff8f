// The bundled presets as a student meets them: by name, in teaching order (the
// U/K-bit problem first: "start here"), each with the lecture idea it shows. The
// Scenario menu and the welcome panel list them from here.
#pragma once

#include <string>
#include <vector>

namespace trapeze::ui {

struct Preset {
  std::string path;         // "scenarios/uk-bit-problem.json"
  std::string name;         // its "name" ("The U/K-bit problem"), else the path
  std::string idea;         // the lecture idea it shows, one line
};

// Every bundled scenario, the ones with a lecture idea first in teaching order,
// then any other by path. Read once.
const std::vector<Preset>& presets();

}  // namespace trapeze::ui
