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

// The length of the UTF-8 sequence for a printable character (not a C0 or C1
// control, not DEL) at the start of `s`; 0 if there is none there.
size_t printable_char_length(std::string_view s);

// `raw` for a terminal: printable ASCII (backslash included, so paths and quoted
// source read as written) and printable UTF-8 characters as they are, every other
// byte through escape_byte (ESC, other controls, C1 controls such as U+009B, bytes
// that are not UTF-8); with `keep_newlines`, '\n' stays a line break.
std::string escaped(std::string_view raw, bool keep_newlines = false);

// The largest length <= n at which `s` can be cut without splitting a UTF-8
// character: back over at most 3 continuation bytes (a longer run is no character).
size_t utf8_cut(std::string_view s, size_t n);

// Text for messages: `s` in double quotes, at most `max_chars` bytes of it (then
// "...", never cutting a character in two), escaped as by `escaped` (printable
// UTF-8 as written; control characters and bytes that are not UTF-8 as "\\xNN").
std::string quoted(std::string_view s, size_t max_chars = 40);

// JSON text for `j`: strings holding bytes that are not UTF-8 get U+FFFD in their
// place instead of an exception. Every JSON the core, CLI and frontend print goes
// through here.
template <typename Json>
std::string json_text(const Json& j, int indent = -1) {
  return j.dump(indent, ' ', false, Json::error_handler_t::replace);
}

}  // namespace trapeze::text
