// Text from a guest (its console) or from a file (names, paths) on its way to a
// terminal or into JSON: bytes that are not printable are escaped, so a guest's
// escape sequences never reach the terminal raw and bytes that are not UTF-8 never
// abort a JSON writer.
#pragma once

#include <string>
#include <string_view>

namespace trapeze::text {

// Printable ASCII as is; '\\' as "\\\\", tab as "\\t", CR as "\\r", any other byte
// as "\\xNN" (so every byte is visible and none is a control byte).
void escape_byte(unsigned char c, std::string& out);

// `raw` with every byte escaped; with `keep_newlines`, '\n' stays a line break.
std::string escaped(std::string_view raw, bool keep_newlines = false);

// JSON text for `j`: strings holding bytes that are not UTF-8 get U+FFFD in their
// place instead of an exception. Every JSON the core, CLI and frontend print goes
// through here.
template <typename Json>
std::string json_text(const Json& j, int indent = -1) {
  return j.dump(indent, ' ', false, Json::error_handler_t::replace);
}

}  // namespace trapeze::text
