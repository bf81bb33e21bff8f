// The guest kernels (guests/**/*.s, *.inc) and preset scenarios (scenarios/*.json)
// compiled into the app (wasm/make_bundle.cmake generates the table at build
// time), read through session::table_reader.
#pragma once

#include <span>

#include "session/file_table.h"

namespace trapeze::ui {

std::span<const session::BundledFile> bundled_files();

}  // namespace trapeze::ui
