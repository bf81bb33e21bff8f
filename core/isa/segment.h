// A memory image's piece: bytes to place at an address. The assembler produces
// them, image files carry them, the VMM loads them into a guest; a plain type
// here, below all three, so that loading an image needs no assembler.
#pragma once

#include <cstdint>
#include <vector>

namespace trapeze::isa {

struct Segment {
  uint32_t base = 0;
  std::vector<uint8_t> bytes;
  bool operator==(const Segment&) const = default;
};

}  // namespace trapeze::isa
