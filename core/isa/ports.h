// The I/O port map of the Trapeze machine: which device answers on which port.
// One table, read by the devices, the assembler (as predefined symbols, e.g.
// `out PORT_CONSOLE, r1`) and the reference page.
#pragma once

#include <cstdint>
#include <string_view>

// clang-format off
#define TRAPEZE_PORTS(X) \
  X(CONSOLE,     0x01, "out: write the low byte to the console; in: 0") \
  X(BLK_SECTOR,  0x10, "block device: first sector of the next request") \
  X(BLK_ADDR,    0x11, "block device: physical address of the request's buffer") \
  X(BLK_COUNT,   0x12, "block device: number of 512-byte sectors (1..8)") \
  X(BLK_CMD,     0x13, "block device: out 1 = read, 2 = write; starts the request") \
  X(BLK_STATUS,  0x14, "block device: in 0 idle, 1 busy, 2 done, 3 error; out: acknowledge (clears done/error and the interrupt)") \
  X(RING_BASE,   0x20, "para-virtual ring: physical address of the shared request ring") \
  X(RING_KICK,   0x21, "para-virtual ring: out: process every request posted since the last kick") \
  X(RING_STATUS, 0x22, "para-virtual ring: in: number of requests completed so far")
// clang-format on

namespace trapeze::isa {

enum class Port : uint16_t {
#define TRAPEZE_PORT_ENUM(NAME, num, text) NAME = (num),
  TRAPEZE_PORTS(TRAPEZE_PORT_ENUM)
#undef TRAPEZE_PORT_ENUM
};

struct PortInfo {
  std::string_view name;  // "CONSOLE"; the assembler predefines PORT_<name>
  uint16_t number;
  std::string_view summary;
};

inline constexpr PortInfo kPorts[] = {
#define TRAPEZE_PORT_INFO(NAME, num, text) PortInfo{#NAME, num, text},
    TRAPEZE_PORTS(TRAPEZE_PORT_INFO)
#undef TRAPEZE_PORT_INFO
};

inline constexpr uint32_t kSectorSize = 512;

}  // namespace trapeze::isa
