#include "text/input_file.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstdint>
#include <cstring>

namespace trapeze::text {
namespace {

// What a file that is not a regular one is, for "is a directory".
const char* kind_of(mode_t mode) {
  if (S_ISDIR(mode)) return "a directory";
  if (S_ISFIFO(mode)) return "a FIFO";
  if (S_ISCHR(mode)) return "a character device";
  if (S_ISBLK(mode)) return "a block device";
  if (S_ISSOCK(mode)) return "a socket";
  return "not a regular file";  // a symbolic link's loop, a door, ...
}

class Fd {
 public:
  explicit Fd(int fd) : fd_(fd) {}
  ~Fd() {
    if (fd_ >= 0) close(fd_);
  }
  Fd(const Fd&) = delete;
  Fd& operator=(const Fd&) = delete;
  int get() const { return fd_; }

 private:
  int fd_;
};

}  // namespace

std::string input_file_rule(size_t limit) {
  return "input files must be regular files of at most " + std::to_string(limit) + " bytes";
}

FileText read_input_file(const std::string& path, size_t limit) {
  // O_NONBLOCK: opening a FIFO with no writer must not wait; O_NOCTTY: a terminal
  // named by mistake does not become ours.
  const Fd fd(open(path.c_str(), O_RDONLY | O_NONBLOCK | O_NOCTTY | O_CLOEXEC));
  if (fd.get() < 0) {
    if (errno == ENOENT || errno == ENOTDIR) return {};
    return FileText::failed(std::strerror(errno));
  }
  struct stat st {};
  if (fstat(fd.get(), &st) != 0) return FileText::failed(std::strerror(errno));
  if (!S_ISREG(st.st_mode))
    return FileText::failed(std::string("is ") + kind_of(st.st_mode) +
                            " (" + input_file_rule(limit) + ")");
  if (uint64_t(st.st_size) > limit)
    return FileText::failed("has " + std::to_string(uint64_t(st.st_size)) + " bytes (" +
                            input_file_rule(limit) + ")");
  // The size may change while it is read: never read more than limit + 1 bytes.
  std::string text(size_t(st.st_size) + 1, '\0');
  size_t got = 0;
  while (got < text.size()) {
    const ssize_t n = read(fd.get(), text.data() + got, text.size() - got);
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) return FileText::failed(std::strerror(errno));
    if (n == 0) break;
    got += size_t(n);
    if (got == text.size() && got <= limit) text.resize(std::min(limit + 1, text.size() * 2));
  }
  if (got > limit)
    return FileText::failed("has more than " + std::to_string(limit) + " bytes (" +
                            input_file_rule(limit) + ")");
  text.resize(got);
  return FileText(std::move(text));
}

}  // namespace trapeze::text
