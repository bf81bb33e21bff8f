// The bundled files as one data file instead of compiled-in text: the browser
// build fetches it beside trapeze.wasm (in parallel), which keeps about 180 KB
// of guest sources, goldens, presets and labs out of the module the page must
// download and compile before it can start. make_bundle.cmake writes it.
//
// Format, for each file in path order: "<path>\n<size in bytes>\n<size bytes of text>".
#pragma once

#include <string_view>
#include <vector>

#include "session/file_table.h"

namespace trapeze::bundle {

// The files in `blob` (views into it, which must outlive them). Stops at the
// first malformed entry and returns what came before it.
std::vector<session::BundledFile> parse_blob(std::string_view blob);

}  // namespace trapeze::bundle
