// One function per piece of state, for saving and loading alike: a StateArchive is
// either a writer (it appends each field, little-endian) or a reader (it fills each
// field from bytes, bounds-checked). Writing `a.u32(x)` once in a piece's archive
// function saves and loads it the same way, so the two can never disagree.
//
//   StateArchive w = StateArchive::writer();  archive_state(w, machine);  bytes = w.take();
//   StateArchive r = StateArchive::reader(bytes);  archive_state(r, machine);
//   if (!r.finish()) error = r.error();   // "truncated at byte 1234", ...
//
// A reader never reads past its bytes and never allocates more than the bytes
// left could describe: a count is checked against its maximum and against what
// remains before anything is resized. After the first failure every read gives
// zeros and the object being loaded is garbage: load into a fresh object and
// throw it away on failure (the session does).
#pragma once

#include <cstdint>
#include <cstring>
#include <span>
#include <string>
#include <type_traits>
#include <vector>

namespace trapeze::machine {

class StateArchive {
 public:
  static StateArchive writer() { return StateArchive(true, {}); }
  // A writer into `buffer`, emptied first: its memory is reused (rewind's checkpoints).
  static StateArchive writer(std::vector<uint8_t> buffer) {
    StateArchive a(true, {});
    a.out_ = std::move(buffer);
    a.out_.clear();
    return a;
  }
  static StateArchive reader(std::span<const uint8_t> bytes) { return StateArchive(false, bytes); }

  bool saving() const { return saving_; }
  bool loading() const { return !saving_; }
  bool ok() const { return error_.empty(); }
  const std::string& error() const { return error_; }
  // Keeps the first failure only (the later ones follow from it).
  void fail(const std::string& message);
  // A reader: true if everything was read without a failure and nothing is left over.
  bool finish();
  size_t position() const { return saving_ ? out_.size() : pos_; }
  std::vector<uint8_t> take() { return std::move(out_); }

  void u8(uint8_t& v) { raw(&v, 1); }
  void u16(uint16_t& v);
  void u32(uint32_t& v);
  void u64(uint64_t& v);
  void i32(int32_t& v) {
    uint32_t u = uint32_t(v);
    u32(u);
    v = int32_t(u);
  }
  void flag(bool& v);
  // An enum stored as its underlying value; a loaded value above `max` fails.
  template <typename E>
  void enumeration(E& e, E max, const char* what) {
    static_assert(std::is_enum_v<E>);
    uint32_t v = uint32_t(e);
    u32(v);
    if (loading() && v > uint32_t(max)) fail(std::string("bad ") + what + " " + std::to_string(v));
    else e = E(v);
  }
  // Bytes whose length both sides know (a memory of a size fixed by the document).
  void fixed_bytes(std::span<uint8_t> bytes) { raw(bytes.data(), bytes.size()); }
  void string(std::string& s, size_t max, const char* what);
  // A section marker (4 characters): a reader that finds another says where it is lost.
  void tag(const char (&name)[5]);
  // A value the loaded object already has from the document (a memory size, a TLB
  // shape): saved, and on load compared (a mismatch fails, saying both).
  void expect(uint64_t value, const char* what);

  // A count of elements: saved as is; on load checked against `max` and against
  // the bytes left (each element takes at least `min_bytes`). 0 after a failure.
  size_t count(size_t n, size_t max, size_t min_bytes, const char* what);

  // A vector or deque whose elements `each(archive, element)` archives.
  template <typename C, typename F>
  void sequence(C& c, size_t max, size_t min_bytes, const char* what, F each) {
    const size_t n = count(c.size(), max, min_bytes, what);
    if (loading()) {
      c.clear();
      c.resize(n);
    }
    for (auto& e : c) {
      if (!ok()) break;
      each(*this, e);
    }
  }
  template <typename C>
  void u32s(C& c, size_t max, const char* what) {
    sequence(c, max, 4, what, [](StateArchive& a, auto& v) {
      uint32_t x = uint32_t(v);
      a.u32(x);
      v = std::remove_reference_t<decltype(v)>(x);
    });
  }

 private:
  StateArchive(bool saving, std::span<const uint8_t> in) : saving_(saving), in_(in) {}
  void raw(void* p, size_t n);

  bool saving_;
  std::vector<uint8_t> out_;
  std::span<const uint8_t> in_;
  size_t pos_ = 0;
  std::string error_;
};

}  // namespace trapeze::machine
