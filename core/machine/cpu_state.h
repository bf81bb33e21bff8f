// The architectural state of one processor: a plain struct, copied, compared and
// hashed freely. The Machine class (machine.h) is the engine that acts on it; a VMM
// keeps one CpuState per virtual CPU and swaps it in and out.
#pragma once

#include <cstdint>

#include "isa/isa.h"

namespace trapeze::machine {

struct CpuState {
  uint32_t r[isa::kNumRegs] = {};      // r0 always reads 0
  uint32_t pc = 0;
  uint32_t psw = 0;                    // isa::psw bits; reset: kernel mode, interrupts off
  uint32_t ptr = 0;                    // page-table register; 0 = paging off (reset)
  uint32_t tvec = 0;                   // trap vector (low two bits always 0)
  uint32_t cr[isa::kNumControlRegs] = {};  // epc, epsw, cause, badaddr, scratch0, scratch1
  uint32_t timer_period = 0;           // cycles; 0 = timer stopped

  uint32_t& epc() { return cr[int(isa::ControlReg::EPC)]; }
  uint32_t& epsw() { return cr[int(isa::ControlReg::EPSW)]; }
  uint32_t& cause() { return cr[int(isa::ControlReg::CAUSE)]; }
  uint32_t& badaddr() { return cr[int(isa::ControlReg::BADADDR)]; }
  uint32_t epc() const { return cr[int(isa::ControlReg::EPC)]; }
  uint32_t epsw() const { return cr[int(isa::ControlReg::EPSW)]; }
  uint32_t cause() const { return cr[int(isa::ControlReg::CAUSE)]; }
  uint32_t badaddr() const { return cr[int(isa::ControlReg::BADADDR)]; }
  bool user_mode() const { return psw & isa::psw::U; }
  bool operator==(const CpuState&) const = default;
};

}  // namespace trapeze::machine
