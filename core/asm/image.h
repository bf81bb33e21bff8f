// The Trapeze image file (`trapeze asm -o`): an assembled program's segments and
// entry point, nothing else. All fields are 32-bit little-endian:
//
//   "TRPZ"   magic (4 bytes)
//   version  1
//   entry    entry-point address
//   count    number of segments
//   count times: base address, size in bytes, then `size` bytes
//
// Segments are sorted by base and do not overlap. Symbols and the listing are not
// part of the image: tools that want them assemble the .s file directly.
#pragma once

#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <vector>

#include "asm/assembler.h"

namespace trapeze::assembler {

inline constexpr uint32_t kImageVersion = 1;

std::vector<uint8_t> write_image(const Program& program);

// The segments and entry point of an image; nullopt with `error` set if the
// bytes are not a well-formed image.
std::optional<Program> read_image(std::span<const uint8_t> bytes, std::string& error);

}  // namespace trapeze::assembler
