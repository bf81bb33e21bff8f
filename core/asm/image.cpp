#include "asm/image.h"

#include <algorithm>

namespace trapeze::assembler {
namespace {

constexpr uint8_t kMagic[4] = {'T', 'R', 'P', 'Z'};

void put32(std::vector<uint8_t>& out, uint32_t v) {
  for (int i = 0; i < 4; ++i) out.push_back(uint8_t(v >> (8 * i)));
}

}  // namespace

std::vector<uint8_t> write_image(const Program& program) {
  std::vector<uint8_t> out(std::begin(kMagic), std::end(kMagic));
  put32(out, kImageVersion);
  put32(out, program.entry);
  put32(out, uint32_t(program.segments.size()));
  for (const Segment& s : program.segments) {
    put32(out, s.base);
    put32(out, uint32_t(s.bytes.size()));
    out.insert(out.end(), s.bytes.begin(), s.bytes.end());
  }
  return out;
}

std::optional<Program> read_image(std::span<const uint8_t> bytes, std::string& error) {
  size_t pos = 0;
  auto get32 = [&](uint32_t& v) {
    if (bytes.size() - pos < 4) return false;
    v = uint32_t(bytes[pos]) | uint32_t(bytes[pos + 1]) << 8 | uint32_t(bytes[pos + 2]) << 16 |
        uint32_t(bytes[pos + 3]) << 24;
    pos += 4;
    return true;
  };
  if (bytes.size() < 4 || !std::equal(std::begin(kMagic), std::end(kMagic), bytes.begin())) {
    error = "not a Trapeze image (no TRPZ header)";
    return std::nullopt;
  }
  pos = 4;
  Program p;
  uint32_t version = 0, count = 0;
  if (!get32(version) || !get32(p.entry) || !get32(count)) {
    error = "truncated image header";
    return std::nullopt;
  }
  if (version != kImageVersion) {
    error = "unsupported image version " + std::to_string(version);
    return std::nullopt;
  }
  uint64_t previous_end = 0;
  for (uint32_t i = 0; i < count; ++i) {
    Segment s;
    uint32_t size = 0;
    if (!get32(s.base) || !get32(size) || bytes.size() - pos < size) {
      error = "truncated image: segment " + std::to_string(i) + " is incomplete";
      return std::nullopt;
    }
    if (s.base < previous_end || uint64_t(s.base) + size > (uint64_t(1) << 32)) {
      error =
          "bad image: segment " + std::to_string(i) + " overlaps another or runs past 0xffffffff";
      return std::nullopt;
    }
    s.bytes.assign(bytes.begin() + long(pos), bytes.begin() + long(pos + size));
    pos += size;
    previous_end = uint64_t(s.base) + size;
    p.segments.push_back(std::move(s));
  }
  if (pos != bytes.size()) {
    error = "bad image: " + std::to_string(bytes.size() - pos) + " bytes after the last segment";
    return std::nullopt;
  }
  return p;
}

}  // namespace trapeze::assembler
