// What a guest's devices do when it stops (docs/vmm.md, "Triple fault"): every
// strategy and every slicing of the run ends where bare metal ends.
//
// A triple fault is not a stop on bare metal: the processor spins at its unusable
// trap vector, and a block request or ring batch in flight still completes and its
// DMA lands (it may even map the vector, and the guest runs on). `halt` and the
// instruction limit do stop the machine's clock, so DMA still in flight then never
// lands. Each case runs under every strategy, alone in a VMM, in one
// slice and in many small ones, and is compared with the bare machine run for the
// same instruction limit (what `trapeze run --max-instr N` shows) and with native.
#include "vmm_test_util.h"

namespace trapeze::vmm::testing {
namespace {

struct Slicing {
  uint64_t budget;   // host cycles per Vmm::run()
  uint64_t quantum;  // the VMM's quantum
};
// One slice; slices of a VM exit or two; a few instructions; one host cycle at a time.
const Slicing kSlicings[] = {
    {1'000'000'000, 1'000'000'000}, {20'000, 50'000}, {97, 300}, {1, 50'000}};

struct Outcome {
  GuestState state;
  std::string reason;
  machine::CpuState cpu;
  uint64_t clock = 0, executed = 0, hash = 0;
  std::string console;
  std::vector<uint8_t> memory;
};

struct Case {
  std::string source;
  uint32_t memory = 256u << 10;
  uint64_t max_instructions = 1000;
  uint32_t queue_depth = 1;
};

Outcome run_guest(const Case& c, StrategyKind s, const Slicing& slicing) {
  GuestConfig g = guest_config(assemble(c.source), s, c.memory);
  g.max_instructions = c.max_instructions;
  g.block.queue_depth = c.queue_depth;
  auto vmm = make_vmm({g}, slicing.quantum);
  Outcome o{};
  if (!vmm) return o;
  for (int i = 0; i < 2'000'000 && !vmm->finished(); ++i) vmm->run(slicing.budget);
  EXPECT_TRUE(vmm->finished()) << dump_events(*vmm);
  const Guest& guest = vmm->guest(0);
  o = {guest.state, guest.reason, guest.vcpu.cpu, guest.vcpu.clock, guest.executed,
       guest.state_hash(), guest.console(), std::vector<uint8_t>(c.memory)};
  EXPECT_TRUE(vmm->read_guest_physical(0, 0, o.memory));
  return o;
}

// The bare machine, one run of the instruction limit (as `trapeze run` does):
// its state hash and console.
std::pair<uint64_t, std::string> bare_metal(const Case& c) {
  machine::MachineConfig mc;
  mc.memory_bytes = c.memory;
  mc.block.queue_depth = c.queue_depth;
  machine::Machine m(mc);
  const assembler::Program p = assemble(c.source);
  for (const assembler::Segment& seg : p.segments) EXPECT_TRUE(m.poke(seg.base, seg.bytes));
  m.set_pc(p.entry);
  m.run(c.max_instructions);
  return {m.state_hash(), m.console()};
}

// Runs `c` under every strategy and slicing; all must agree with each other and
// with bare metal's state hash. Returns the native one-slice outcome.
Outcome expect_everywhere_as_bare_metal(const Case& c) {
  const auto [bare_hash, bare_console] = bare_metal(c);
  const Outcome reference = run_guest(c, StrategyKind::NATIVE, kSlicings[0]);
  EXPECT_EQ(reference.hash, bare_hash) << "native differs from the bare machine";
  EXPECT_EQ(reference.console, bare_console);
  for (StrategyKind s : every_strategy()) {
    for (const Slicing& slicing : kSlicings) {
      SCOPED_TRACE(std::string(strategy_name(s)) + ", budget " + std::to_string(slicing.budget) +
                   ", quantum " + std::to_string(slicing.quantum));
      const Outcome o = run_guest(c, s, slicing);
      EXPECT_EQ(o.state, reference.state) << o.reason << " / " << reference.reason;
      EXPECT_EQ(o.reason, reference.reason);
      EXPECT_EQ(o.cpu, reference.cpu);
      EXPECT_EQ(o.clock, reference.clock) << "architectural clocks differ";
      EXPECT_EQ(o.executed, reference.executed);
      EXPECT_EQ(o.console, reference.console);
      EXPECT_EQ(o.memory, reference.memory) << "guest memory differs";
      EXPECT_EQ(o.hash, bare_hash) << "state hash differs from bare metal";
    }
  }
  return reference;
}

// Disk content (docs/machine.md): bytes 0..3 of sector s hold s, byte k >= 4 holds (s + k) & 0xFF.
bool holds_sector(const Outcome& o, uint32_t addr, uint32_t sector) {
  for (uint32_t k = 4; k < 512; ++k)
    if (o.memory[addr + k] != uint8_t((sector + k) & 0xFF)) return false;
  return o.memory[addr] == uint8_t(sector);
}

// The issue's reproducer: eight sectors read into 0x1000, then a trap vector past
// the end of memory and an illegal instruction.
constexpr const char* kDmaAtTripleFault = R"(
        li      r1, 0x1000
        out     PORT_BLK_ADDR, r1
        li      r1, 8
        out     PORT_BLK_COUNT, r1
        li      r1, 1
        out     PORT_BLK_CMD, r1
        li      r1, 0x7FFFF000
        ldtvec  r1
        .word   0
)";

TEST(StopEquivalence, DmaInFlightAtATripleFaultLands) {
  const Outcome o = expect_everywhere_as_bare_metal({kDmaAtTripleFault});
  EXPECT_EQ(o.state, GuestState::Crashed);
  EXPECT_NE(o.reason.find("triple fault"), std::string::npos) << o.reason;
  for (uint32_t s = 0; s < 8; ++s)
    EXPECT_TRUE(holds_sector(o, 0x1000 + 512 * s, s)) << "sector " << s;
  EXPECT_LT(o.executed, 1000u) << "stopped at the fixed point, not at the limit";
}

// The same with a timer pending all along (interrupts are off in the handler's
// fixed point, so it is never taken) and a queue of three requests.
TEST(StopEquivalence, AQueueOfRequestsAndAPendingTimerAtATripleFault) {
  Case c{R"(
        li      r1, 300
        ldtimer r1
        li      r2, 0
        li      r3, 0x1000
        li      r4, 3
next:   out     PORT_BLK_SECTOR, r2
        out     PORT_BLK_ADDR, r3
        li      r1, 2
        out     PORT_BLK_COUNT, r1
        li      r1, 1
        out     PORT_BLK_CMD, r1
        addi    r2, r2, 10
        addi    r3, r3, 0x1000
        addi    r4, r4, -1
        bnez    r4, next
        li      r1, 0x7FFFF000
        ldtvec  r1
        ei
        .word   0
)"};
  c.queue_depth = 4;
  const Outcome o = expect_everywhere_as_bare_metal(c);
  EXPECT_EQ(o.state, GuestState::Crashed);
  for (uint32_t i = 0; i < 3; ++i) {
    EXPECT_TRUE(holds_sector(o, 0x1000 * (i + 1), 10 * i)) << "request " << i;
    EXPECT_TRUE(holds_sector(o, 0x1000 * (i + 1) + 512, 10 * i + 1)) << "request " << i;
  }
}

// A ring batch of two descriptors kicked just before the triple fault: the sectors,
// the descriptors' statuses and the consumer index all land.
TEST(StopEquivalence, ARingBatchInFlightAtATripleFaultCompletes) {
  const Outcome o = expect_everywhere_as_bare_metal({R"(
        li      r5, 0x3000              ; the ring: size 4, producer 2, consumer 0
        li      r1, 4
        stw     r1, 0(r5)
        li      r1, 2
        stw     r1, 4(r5)
        li      r1, 1                   ; descriptor 0: read sector 5 (4 sectors) into 0x4000
        stw     r1, 16(r5)
        li      r1, 5
        stw     r1, 20(r5)
        li      r1, 0x4000
        stw     r1, 24(r5)
        li      r1, 4
        stw     r1, 28(r5)
        li      r1, 1                   ; descriptor 1: read sector 9 (8 sectors) into 0x6000
        stw     r1, 36(r5)
        li      r1, 9
        stw     r1, 40(r5)
        li      r1, 0x6000
        stw     r1, 44(r5)
        li      r1, 8
        stw     r1, 48(r5)
        out     PORT_RING_BASE, r5
        out     PORT_RING_KICK, r0
        li      r1, 0x7FFFF000
        ldtvec  r1
        .word   0
)"});
  EXPECT_EQ(o.state, GuestState::Crashed);
  EXPECT_TRUE(holds_sector(o, 0x4000, 5));
  EXPECT_TRUE(holds_sector(o, 0x6000 + 7 * 512, 16));
  auto word = [&](uint32_t a) {
    return uint32_t(o.memory[a]) | o.memory[a + 1] << 8 | o.memory[a + 2] << 16 |
           uint32_t(o.memory[a + 3]) << 24;
  };
  EXPECT_EQ(word(0x3008), 2u) << "consumer index";
  EXPECT_EQ(word(0x3000 + 16 + 16), 2u) << "descriptor 0 status DONE";
  EXPECT_EQ(word(0x3000 + 36 + 16), 2u) << "descriptor 1 status DONE";
}

// The DMA that lands while the processor spins rewrites the page table so that the
// trap vector becomes mapped: bare metal then runs the handler. (The sector is
// first written from a prepared copy of the table.)
TEST(StopEquivalence, DmaThatMapsTheVectorEndsTheTripleFault) {
  const Outcome o = expect_everywhere_as_bare_metal({R"(
        li      r4, 0x4000              ; the table to come: pages 0..3 and 5, at 0x4000
        li      r5, 0
copy:   shli    r3, r5, 12
        ori     r3, r3, PTE_P | PTE_W
        shli    r6, r5, 2
        add     r6, r6, r4
        stw     r3, 0(r6)
        addi    r5, r5, 1
        li      r7, 4
        blt     r5, r7, copy
        li      r3, 0x5000 | PTE_P | PTE_W
        stw     r3, 20(r4)
        out     PORT_BLK_ADDR, r4       ; written to sector 0
        li      r1, 1
        out     PORT_BLK_COUNT, r1
        li      r1, 2
        out     PORT_BLK_CMD, r1
wait:   in      r1, PORT_BLK_STATUS
        li      r2, 2
        bne     r1, r2, wait
        out     PORT_BLK_STATUS, r0
        li      r4, 0x2000              ; the table now: pages 0..3 only
        li      r5, 0
table:  shli    r3, r5, 12
        ori     r3, r3, PTE_P | PTE_W
        shli    r6, r5, 2
        add     r6, r6, r4
        stw     r3, 0(r6)
        addi    r5, r5, 1
        li      r7, 4
        blt     r5, r7, table
        li      r3, 0x2000 | PTE_P | PTE_W
        li      r1, 0x3000
        stw     r3, 0(r1)
        out     PORT_BLK_ADDR, r4       ; sector 0 read back over it: in flight
        li      r1, 1
        out     PORT_BLK_CMD, r1
        li      r1, 0x5000              ; the vector, not mapped yet
        ldtvec  r1
        li      r1, 0x3000
        ldptr   r1
        tlbflush
        .word   0
        .org    0x5000
handler:
        li      r1, 'E'
        out     PORT_CONSOLE, r1
        halt
)",
                                                     64u << 10, 100'000});
  EXPECT_EQ(o.state, GuestState::Halted) << o.reason;
  EXPECT_EQ(o.console, "E");
}

// The instruction limit falls while the processor spins: it stops there, before
// the request completes, as bare metal does.
TEST(StopEquivalence, TheLimitFallsWhileTheProcessorSpins) {
  Case c{kDmaAtTripleFault};
  c.max_instructions = 40;
  const Outcome o = expect_everywhere_as_bare_metal(c);
  EXPECT_EQ(o.state, GuestState::Stopped);
  EXPECT_EQ(o.executed, 40u);
  EXPECT_FALSE(holds_sector(o, 0x1000, 0)) << "the request had not completed yet";
}

// `halt` stops the machine's clock: a request in flight never completes.
TEST(StopEquivalence, AHaltWithDmaInFlightLeavesItInFlight) {
  const Outcome o = expect_everywhere_as_bare_metal({R"(
        li      r1, 0x1000
        out     PORT_BLK_ADDR, r1
        li      r1, 8
        out     PORT_BLK_COUNT, r1
        li      r1, 1
        out     PORT_BLK_CMD, r1
        halt
)"});
  EXPECT_EQ(o.state, GuestState::Halted);
  EXPECT_FALSE(holds_sector(o, 0x1000, 0));
}

// The instruction limit, likewise: before the completion nothing has landed; a
// limit after it, everything has.
TEST(StopEquivalence, TheInstructionLimitWithDmaInFlight) {
  const char* busy = R"(
        li      r1, 0x1000
        out     PORT_BLK_ADDR, r1
        li      r1, 2
        out     PORT_BLK_COUNT, r1
        li      r1, 1
        out     PORT_BLK_CMD, r1
loop:   addi    r2, r2, 1
        b       loop
)";
  Case early{busy};
  early.max_instructions = 2000;  // about 4000 cycles: the request needs 33000
  const Outcome a = expect_everywhere_as_bare_metal(early);
  EXPECT_EQ(a.state, GuestState::Stopped);
  EXPECT_FALSE(holds_sector(a, 0x1000, 0));
  Case late{busy};
  late.max_instructions = 40'000;
  const Outcome b = expect_everywhere_as_bare_metal(late);
  EXPECT_EQ(b.state, GuestState::Stopped);
  EXPECT_TRUE(holds_sector(b, 0x1000, 0));
  EXPECT_TRUE(holds_sector(b, 0x1200, 1));
}

}  // namespace
}  // namespace trapeze::vmm::testing
