#include "machine/state_archive.h"

namespace trapeze::machine {

void StateArchive::fail(const std::string& message) {
  if (error_.empty()) error_ = message;
}

bool StateArchive::finish() {
  if (loading() && ok() && pos_ != in_.size())
    fail(std::to_string(in_.size() - pos_) + " unexpected bytes after the state at byte " +
         std::to_string(pos_));
  return ok();
}

void StateArchive::raw(void* p, size_t n) {
  if (n == 0) return;  // an empty span's data() may be null: no memcpy of it
  if (saving_) {  // one memcpy (a range insert copied a byte at a time in the browser build)
    const size_t at = out_.size();
    out_.resize(at + n);
    std::memcpy(out_.data() + at, p, n);
    return;
  }
  if (!ok() || n > in_.size() - pos_) {
    if (ok()) fail("truncated at byte " + std::to_string(in_.size()));
    std::memset(p, 0, n);
    return;
  }
  std::memcpy(p, in_.data() + pos_, n);
  pos_ += n;
}

void StateArchive::u16(uint16_t& v) {
  uint8_t b[2] = {uint8_t(v), uint8_t(v >> 8)};
  raw(b, 2);
  v = uint16_t(b[0] | b[1] << 8);
}

void StateArchive::u32(uint32_t& v) {
  uint8_t b[4];
  for (int i = 0; i < 4; ++i) b[i] = uint8_t(v >> (8 * i));
  raw(b, 4);
  v = 0;
  for (int i = 0; i < 4; ++i) v |= uint32_t(b[i]) << (8 * i);
}

void StateArchive::u64(uint64_t& v) {
  uint8_t b[8];
  for (int i = 0; i < 8; ++i) b[i] = uint8_t(v >> (8 * i));
  raw(b, 8);
  v = 0;
  for (int i = 0; i < 8; ++i) v |= uint64_t(b[i]) << (8 * i);
}

void StateArchive::flag(bool& v) {
  uint8_t b = v ? 1 : 0;
  raw(&b, 1);
  if (loading() && b > 1) fail("bad flag " + std::to_string(b) + " at byte " + std::to_string(pos_ - 1));
  v = b == 1;
}

void StateArchive::string(std::string& s, size_t max, const char* what) {
  const size_t n = count(s.size(), max, 1, what);
  if (loading()) s.assign(n, '\0');
  if (n) raw(s.data(), n);
}

void StateArchive::tag(const char (&name)[5]) {
  char got[4];
  std::memcpy(got, name, 4);
  const size_t at = position();
  raw(got, 4);
  if (loading() && ok() && std::memcmp(got, name, 4) != 0)
    fail(std::string("expected the '") + name + "' state at byte " + std::to_string(at));
}

void StateArchive::expect(uint64_t value, const char* what) {
  uint64_t v = value;
  u64(v);
  if (loading() && ok() && v != value)
    fail(std::string(what) + " " + std::to_string(v) + " in the state, " + std::to_string(value) +
         " in the document");
}

size_t StateArchive::count(size_t n, size_t max, size_t min_bytes, const char* what) {
  uint64_t v = n;
  u64(v);
  if (saving_ || !ok()) return saving_ ? n : 0;
  if (v > max) {
    fail(std::string("too many ") + what + " (" + std::to_string(v) + ", at most " +
         std::to_string(max) + ")");
    return 0;
  }
  if (min_bytes && v > (in_.size() - pos_) / min_bytes) {
    fail("truncated at byte " + std::to_string(in_.size()) + " (" + std::to_string(v) + " " + what +
         " announced)");
    return 0;
  }
  return size_t(v);
}

}  // namespace trapeze::machine
