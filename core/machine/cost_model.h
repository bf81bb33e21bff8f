// The cycle cost model: how many simulated cycles each event costs.
//
// ONE table (below) names every event, its default cost, what it is and where the
// number comes from. Everything else (the CostModel struct, the names the CLI and
// the scenarios accept, docs/machine.md) is derived from it. The VMM's rows (world
// switch, emulation, reflection, shadow paging, hypercalls) are here too, and the
// hardware's VM exit and entry: add a row and nothing else.
//
// Defaults are chosen to reproduce the *shape* of published measurements
// (../shared/anchors/literature.md), not exact cycles of any one processor.
#pragma once

#include <array>
#include <cstdint>
#include <optional>
#include <string_view>

#include "isa/isa.h"

// clang-format off
#define TRAPEZE_COSTS(X) \
  /* instruction classes: every instruction costs exactly one of these when it retires */ \
  X(INSN_ALU,     1,     "ALU, compare and immediate instructions",                "one per cycle on a simple in-order pipeline") \
  X(INSN_MUL,     3,     "mul, muli",                                              "x86 IMUL r32 latency is 3 cycles (Agner Fog's tables)") \
  X(INSN_DIV,     20,    "div, divu, rem, remu",                                   "x86 32-bit DIV latency is roughly 20-26 cycles (Agner Fog's tables)") \
  X(INSN_MEM,     2,     "ldw, ldb, stw, stb, push, pop (TLB hit or paging off)",  "an L1-hit load-use latency is ~4 cycles, partly hidden by pipelining") \
  X(INSN_BRANCH,  1,     "branches, jumps, call, ret",                             "predicted branches cost about one cycle") \
  X(INSN_SYSTEM,  130,   "other privileged and sensitive instructions, syscall, hypercall, halt", "serializing control-register accesses: Adams & Agesen (ASPLOS 2006, Fig. 4) measured ~140 cycles natively for cr8wr, the interrupt-mask write") \
  X(PORT_IO,      3200,  "in, out (replaces INSN_SYSTEM)",                          "native x86 `in` measured at 3209 cycles (Adams & Agesen, ASPLOS 2006, Fig. 4)") \
  X(RTI,          150,   "rti (replaces INSN_SYSTEM)",                              "x86 IRET is microcoded and serializing, ~100-200 cycles; with TRAP_ENTRY it gives divzero's native 889-cycle round trip (Adams & Agesen)") \
  X(TLB_FLUSH,    100,   "tlbflush, invlpg (replaces INSN_SYSTEM); refills are charged as misses", "a CR3 reload or INVLPG costs ~100 cycles before the refills") \
  /* events */ \
  X(TRAP_ENTRY,   320,   "entering the trap vector (exceptions and interrupts)",   "x86 exception delivery costs a few hundred cycles: Adams & Agesen's native divzero round trip is 889 cycles and pgfault 1093, handler and IRET included") \
  X(WALK_REF,     20,    "one page-table memory reference by the walker (per level)", "a walk reference mostly hits the data caches; 2 levels ~40 cycles per TLB miss") \
  /* the hardware-virtualization extension (guest mode): memory-system-like timing, charged to Counters::cycles but not to the architectural clock, so a guest's timer lands on the same instruction however often it exits */ \
  X(VM_EXIT,      6000,  "VM exit: the hardware saves the guest state into the control block and loads the host's (vmrun's host context, or the owner's)", "Adams & Agesen (ASPLOS 2006), first-generation VT-x: an exit/entry round trip plus a small VMM handler costs ~10,000+ cycles (in: 15826 hw vs 3209 native; ptemod 12733; pgfault 11242 vs 1093)") \
  X(VM_ENTRY,     5000,  "VM entry (vmrun): load the guest state from the control block, save the host's, deliver an injected event", "Adams & Agesen (ASPLOS 2006): with VM_EXIT and a VMM handler of a few hundred cycles, a round trip lands near their 11,000-16,000-cycle hardware-assisted in/ptemod/pgfault") \
  X(BLK_REQUEST,  30000, "block device: fixed service time of one request",        "~10 us at 3 GHz, a fast SSD's access latency") \
  X(BLK_SECTOR,   1500,  "block device: transfer time per 512-byte sector",        "~1 GB/s at 3 GHz") \
  /* the VMM (core/vmm): charged to the guest on whose behalf it works, on top of the TRAP_ENTRY that brought the trap to the VMM; never to a guest's virtual clock */ \
  X(WORLD_SWITCH, 2000,  "VMM: switch the CPU from one guest to another (save and load registers, page-table root, TLB tag)", "a full VM context switch on x86 (registers, CR3, segment and FPU state) costs a few thousand cycles; tagged TLB entries avoid the refill") \
  X(VMM_EMULATE,  400,   "VMM: decode a trapped privileged instruction, emulate it on the virtual CPU, return to the guest", "Adams & Agesen (ASPLOS 2006): a software VMM's privileged-instruction paths cost hundreds of cycles beyond the trap") \
  X(VMM_REFLECT,  800,   "VMM: reflect an exception or interrupt into the guest's virtual trap vector", "Adams & Agesen: divzero 889 native vs 3223 under a software VMM, ~2300 extra for the whole round trip") \
  X(HIDDEN_FAULT, 1500,  "VMM: a hidden page fault (walk the guest's table in software, fill a shadow entry, set the guest's A/D bits)", "Adams & Agesen: pgfault 1093 native vs 3927 under a software VMM with shadow paging") \
  X(SHADOW_UPDATE, 300,  "VMM: one shadow entry dropped after a trapped guest page-table write, with its TLB invalidation", "Adams & Agesen: ptemod costs 391 cycles under binary translation, mostly the shadow update itself") \
  X(HYPERCALL,    250,   "VMM (para-virtual): enter the VMM by `hypercall` and dispatch on its number (no decode, no emulation of an instruction; replaces TRAP_ENTRY + VMM_EMULATE)", "Xen (Barham et al., SOSP 2003): a hypercall is a software trap into the hypervisor, like a system call; cheaper than a trap into a software VMM that must decode and emulate the faulting instruction") \
  X(MMU_UPDATE_ENTRY, 40, "VMM (para-virtual): validate and apply one {PTE address, value} pair of an HC_MMU_UPDATE batch (the guest word and the shadow, no write-protect trap)", "Xen (Barham et al., SOSP 2003): batched mmu_update amortizes one hypervisor entry over many page-table updates; each entry costs a validation and a store") \
  /* binary translation (core/vmm/binary_translation.h): charged instead of TRAP_ENTRY + VMM_EMULATE; the translated guest code itself runs at native cost */ \
  X(BT_TRANSLATE, 100,   "VMM (binary translation): translate one guest instruction into the translation cache (fetch through the guest's tables, decode, classify, emit)", "an estimate: a software translator spends on the order of 100 cycles per instruction; Adams & Agesen (ASPLOS 2006) note translation is amortized by the cache, so only warm-up and invalidations pay it") \
  X(BT_LOOKUP,    40,    "VMM (binary translation): the dispatcher looks a guest pc up in the translation cache (every indirect jump, return and rti; a direct jump only until it is chained)", "Adams & Agesen (ASPLOS 2006): call/ret costs 11 cycles native and 51 under binary translation, the return's lookup making the difference") \
  X(BT_CALLOUT,   150,   "VMM (binary translation): a privileged or sensitive instruction translated into a direct call into the VMM, which applies it to the virtual CPU (no trap, no decode)", "Adams & Agesen (ASPLOS 2006): `in` costs ~214 cycles under binary translation (3209 native), ptemod 391 with the shadow update") \
  X(BT_INLINE,    30,    "VMM (binary translation): a privileged or sensitive instruction whose whole effect is on a virtual-CPU register (ei, di, rdpsw, sptr, rdptr, mfcr, mtcr, ldtvec), translated into a few inline instructions on the virtual CPU", "Adams & Agesen (ASPLOS 2006): cr8wr (an interrupt-mask write) costs 35 cycles under binary translation")
// clang-format on

namespace trapeze::machine {

enum class CostEvent : uint8_t {
#define TRAPEZE_COST_ENUM(NAME, cycles, doc, source) NAME,
  TRAPEZE_COSTS(TRAPEZE_COST_ENUM)
#undef TRAPEZE_COST_ENUM
};

struct CostEventInfo {
  CostEvent event;
  std::string_view name;    // "TRAP_ENTRY"
  uint32_t default_cycles;
  std::string_view doc;
  std::string_view source;
};

inline constexpr CostEventInfo kCostEvents[] = {
#define TRAPEZE_COST_INFO(NAME, cycles, doc, source) \
  CostEventInfo{CostEvent::NAME, #NAME, cycles, doc, source},
    TRAPEZE_COSTS(TRAPEZE_COST_INFO)
#undef TRAPEZE_COST_INFO
};
inline constexpr size_t kNumCostEvents = std::size(kCostEvents);

// One machine's cost model: a plain array indexed by CostEvent, changeable at run
// time through Machine::set_cost_model (which re-derives the per-opcode costs).
struct CostModel {
  std::array<uint32_t, kNumCostEvents> cycles;

  CostModel() {
    for (const CostEventInfo& e : kCostEvents) cycles[size_t(e.event)] = e.default_cycles;
  }
  uint32_t operator[](CostEvent e) const { return cycles[size_t(e)]; }
  uint32_t& operator[](CostEvent e) { return cycles[size_t(e)]; }
  bool operator==(const CostModel&) const = default;
};

// The row that prices an instruction of cost class `c` (the ISA table's `cost` column).
constexpr CostEvent cost_event(isa::CostClass c) {
  switch (c) {
    case isa::CostClass::ALU: return CostEvent::INSN_ALU;
    case isa::CostClass::MUL: return CostEvent::INSN_MUL;
    case isa::CostClass::DIV: return CostEvent::INSN_DIV;
    case isa::CostClass::MEM: return CostEvent::INSN_MEM;
    case isa::CostClass::BRANCH: return CostEvent::INSN_BRANCH;
    case isa::CostClass::SYSTEM: return CostEvent::INSN_SYSTEM;
    case isa::CostClass::PORT_IO: return CostEvent::PORT_IO;
    case isa::CostClass::RTI: return CostEvent::RTI;
    case isa::CostClass::TLB_FLUSH: return CostEvent::TLB_FLUSH;
  }
  return CostEvent::INSN_SYSTEM;
}

// "TRAP_ENTRY" (case-insensitive) -> event.
std::optional<CostEvent> parse_cost_event(std::string_view name);
inline std::string_view cost_event_name(CostEvent e) { return kCostEvents[size_t(e)].name; }

}  // namespace trapeze::machine
