// The files the program needs at run time besides its code, compiled into the
// CLI and the frontend alike, so that neither depends on the current directory
// (or, in the browser, on a filesystem at all): the guest kernels and their
// includes (guests/**/*.s, *.inc), their golden outputs (guests/**/*.expected),
// the preset scenarios (scenarios/*.json) and the labs (labs/*.md and the .s
// and .json files they reference). Paths are relative to the
// repository root: "guests/nano/in.s". bundle.cmake generates the table at
// build time from the files themselves, so there is no second copy to forget.
#pragma once

#include <span>

#include "experiments/experiment.h"
#include "scenario/scenario.h"
#include "session/file_table.h"

namespace trapeze::bundle {

std::span<const session::BundledFile> files();

// Reads the bundled files by path (session::table_reader over files()).
scenario::FileReader reader();

// What the experiments run from: the bundled guests/ folder, goldens included.
experiments::Sources experiment_sources();

}  // namespace trapeze::bundle
