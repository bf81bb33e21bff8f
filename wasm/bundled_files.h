// The app's files (guest kernels, goldens, preset scenarios) are the program's
// one bundle, core/bundle/bundled_files.h, which the CLI compiles in too.
#pragma once

#include "bundle/bundled_files.h"

namespace trapeze::ui {

inline std::span<const session::BundledFile> bundled_files() { return bundle::files(); }

}  // namespace trapeze::ui
