// Reading input files: the one way every file a person hands Trapeze is read —
// the CLI's programs and scenarios, a scenario's "file" guests, .include, the
// desktop frontend's own files — with one size limit. Only regular files are
// read: a directory, FIFO, device or socket is refused before any byte is read,
// and nothing blocks (a FIFO is opened non-blocking, then refused).
#pragma once

#include <cstddef>
#include <optional>
#include <string>
#include <utility>

namespace trapeze::text {

// The largest input file read, in bytes (the browser's Import uses it too).
inline constexpr size_t kMaxInputFileBytes = 1u << 20;

// A file's text, or why there is none: missing (not found: a search may go on to
// the next place) or failed (found but refused or unreadable; error() says why).
class FileText {
 public:
  FileText() = default;  // missing
  FileText(std::nullopt_t) {}
  FileText(std::string text) : text_(std::move(text)) {}
  FileText(std::optional<std::string> text) : text_(std::move(text)) {}
  static FileText failed(std::string why) {
    FileText f;
    f.error_ = std::move(why);
    return f;
  }

  explicit operator bool() const { return text_.has_value(); }
  const std::string& operator*() const { return *text_; }
  std::string& operator*() { return *text_; }
  const std::string* operator->() const { return &*text_; }
  bool missing() const { return !text_ && error_.empty(); }
  // Why it could not be read: "is a directory (...)", "has N bytes (...)"; "not
  // found" when missing; "" when it was read.
  std::string error() const { return text_ ? "" : error_.empty() ? "not found" : error_; }

 private:
  std::optional<std::string> text_;
  std::string error_;
};

// The rule every input file meets, for error messages.
std::string input_file_rule(size_t limit = kMaxInputFileBytes);

// The whole of regular file `path` if it has at most `limit` bytes.
FileText read_input_file(const std::string& path, size_t limit = kMaxInputFileBytes);

}  // namespace trapeze::text
