// The para-virtual interface: hypercall numbers a modified guest kernel uses
// instead of sensitive instructions (Xen, SOSP 2003). `hypercall N` with
// arguments in r1..r4; results come back in r1. One table, read by the VMM,
// the assembler (predefined as HC_<name>) and the reference page.
#pragma once

#include <cstdint>
#include <string_view>

// clang-format off
#define TRAPEZE_HYPERCALLS(X) \
  X(CONSOLE_WRITE, 1,  "write r2 bytes from guest-virtual address r1 to the console") \
  X(GET_PSW,       2,  "r1 = the virtual PSW (the guest's own U/K and IE bits)") \
  X(SET_PSW,       3,  "virtual PSW = r1 (U, IE and FLAGS)") \
  X(SET_PTR,       4,  "page-table root = guest-physical address r1 (0: paging off)") \
  X(MMU_UPDATE,    5,  "batch of r2 page-table writes: r1 = guest-virtual address of r2 pairs {guest-physical PTE address, new value}") \
  X(SET_TVEC,      6,  "trap vector = r1") \
  X(IRET,          7,  "return from trap: pc = virtual EPC, PSW = virtual EPSW") \
  X(SET_TIMER,     8,  "timer period = r1 cycles (0 stops it)") \
  X(TLB_FLUSH,     9,  "flush the TLB entry for virtual address r1, or all entries if r1 = -1") \
  X(IO_KICK,       10, "process the requests posted on the para-virtual block ring") \
  X(YIELD,         11, "give up the rest of this quantum") \
  X(HALT,          12, "stop this guest")
// clang-format on

namespace trapeze::isa {

enum class Hypercall : uint16_t {
#define TRAPEZE_HC_ENUM(NAME, num, text) NAME = (num),
  TRAPEZE_HYPERCALLS(TRAPEZE_HC_ENUM)
#undef TRAPEZE_HC_ENUM
};

struct HypercallInfo {
  std::string_view name;  // the assembler predefines HC_<name>
  uint16_t number;
  std::string_view summary;
};

inline constexpr HypercallInfo kHypercalls[] = {
#define TRAPEZE_HC_INFO(NAME, num, text) HypercallInfo{#NAME, num, text},
    TRAPEZE_HYPERCALLS(TRAPEZE_HC_INFO)
#undef TRAPEZE_HC_INFO
};

}  // namespace trapeze::isa
