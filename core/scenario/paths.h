// Paths as scenarios name files: joined and normalized as text, the same way in
// the browser (a table of bundled files) and on disk, so a guest's file and its
// includes get the same names everywhere.
#pragma once

#include <string>
#include <string_view>

namespace trapeze::scenario {

// "scenarios/../guests/a.s" -> "guests/a.s"; "./a//b" -> "a/b". ".." above the
// root is kept ("../x"), so it never matches a bundled file.
std::string normalize_path(std::string_view path);

// "dir/x.json" -> "dir/"; "x.json" -> "".
std::string directory_of(const std::string& path);

}  // namespace trapeze::scenario
