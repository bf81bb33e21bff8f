#include "asm/predefined.h"

#include "isa/hypercalls.h"
#include "isa/isa.h"
#include "isa/ports.h"
#include "isa/vm_control_block.h"

namespace trapeze::assembler {
namespace {

std::vector<PredefinedSymbol> build() {
  using namespace isa;
  std::vector<PredefinedSymbol> s;
  auto add = [&](std::string name, int64_t value, const char* group) {
    s.push_back({std::move(name), value, group});
  };

  for (const PortInfo& p : kPorts) add("PORT_" + std::string(p.name), p.number, "I/O ports");
  add("SECTOR_SIZE", kSectorSize, "I/O ports");
  for (const HypercallInfo& h : kHypercalls)
    add("HC_" + std::string(h.name), h.number, "hypercalls (para-virtual interface)");

#define TRAPEZE_CAUSE_SYMBOL(NAME, code, text) add("CAUSE_" #NAME, code, "trap causes");
  TRAPEZE_CAUSES(TRAPEZE_CAUSE_SYMBOL)
#undef TRAPEZE_CAUSE_SYMBOL
  add("FAULT_WRITE", fault::WRITE, "trap causes");
  add("FAULT_EXEC", fault::EXEC, "trap causes");
  add("FAULT_PROTECTION", fault::PROTECTION, "trap causes");
  add("FAULT_USER", fault::USER, "trap causes");

  add("PSW_U", psw::U, "processor status word");
  add("PSW_IE", psw::IE, "processor status word");
  add("PSW_FLAGS", psw::FLAGS, "processor status word");

  add("PTE_P", pte::P, "paging");
  add("PTE_W", pte::W, "paging");
  add("PTE_U", pte::U, "paging");
  add("PTE_A", pte::A, "paging");
  add("PTE_D", pte::D, "paging");
  add("PTE_FRAME", pte::FRAME, "paging");
  add("PAGE_SIZE", kPageSize, "paging");
  add("PAGE_SHIFT", kPageShift, "paging");

  const char* vm = "hardware virtualization";
  add("VMCB_EXIT_CONTROLS", vmcb::EXIT_CONTROLS, vm);
  add("VMCB_EXIT_REASON", vmcb::EXIT_REASON, vm);
  add("VMCB_EXIT_QUAL", vmcb::EXIT_QUAL, vm);
  add("VMCB_FLAGS", vmcb::FLAGS, vm);
  add("VMCB_NESTED_ROOT", vmcb::NESTED_ROOT, vm);
  add("VMCB_GUEST_PC", vmcb::GUEST_PC, vm);
  add("VMCB_GUEST_PSW", vmcb::GUEST_PSW, vm);
  add("VMCB_GUEST_PTR", vmcb::GUEST_PTR, vm);
  add("VMCB_GUEST_TVEC", vmcb::GUEST_TVEC, vm);
  add("VMCB_GUEST_CR", vmcb::GUEST_CR, vm);
  add("VMCB_GUEST_TIMER", vmcb::GUEST_TIMER, vm);
  add("VMCB_GUEST_REGS", vmcb::GUEST_REGS, vm);
  add("VMCB_EXIT_INSN", vmcb::EXIT_INSN, vm);
  add("VMCB_EXIT_INFO", vmcb::EXIT_INFO, vm);
  add("VMCB_EXIT_ADDR", vmcb::EXIT_ADDR, vm);
  add("VMCB_EVENT_INJECT", vmcb::EVENT_INJECT, vm);
  add("VMCB_EVENT_BADADDR", vmcb::EVENT_BADADDR, vm);
  add("VMCB_ASID", vmcb::ASID, vm);
  add("VMCB_SIZE", vmcb::SIZE, vm);
  add("VMCB_EVENT_VALID", vmcb::EVENT_VALID, vm);
  add("VMCB_FLAG_NESTED", vmcb::FLAG_NESTED, vm);
  add("EXIT_ON_PRIV", vmcb::EXIT_ON_PRIV, vm);
  add("EXIT_ON_PSW", vmcb::EXIT_ON_PSW, vm);
  add("EXIT_ON_IO", vmcb::EXIT_ON_IO, vm);
  add("EXIT_ON_PTR", vmcb::EXIT_ON_PTR, vm);
  add("EXIT_ON_PAGE_FAULT", vmcb::EXIT_ON_PAGE_FAULT, vm);
  add("EXIT_ON_SYSCALL", vmcb::EXIT_ON_SYSCALL, vm);
  add("EXIT_ON_EXCEPTION", vmcb::EXIT_ON_EXCEPTION, vm);
  add("EXIT_ON_TIMER", vmcb::EXIT_ON_TIMER, vm);
  add("EXIT_ON_INTR_WINDOW", vmcb::EXIT_ON_INTR_WINDOW, vm);
#define TRAPEZE_EXIT_SYMBOL(NAME, code, text) add("VMEXIT_" #NAME, code, vm);
  TRAPEZE_EXIT_REASONS(TRAPEZE_EXIT_SYMBOL)
#undef TRAPEZE_EXIT_SYMBOL
  return s;
}

}  // namespace

const std::vector<PredefinedSymbol>& predefined_symbols() {
  static const std::vector<PredefinedSymbol> kSymbols = build();
  return kSymbols;
}

}  // namespace trapeze::assembler
