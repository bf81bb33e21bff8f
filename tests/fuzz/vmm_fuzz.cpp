// Fuzz target: the VMM with a hostile guest. The input is a guest memory image
// (the machine_fuzz layout: 4 configuration bytes, then memory from address 0,
// entry 0) run under one strategy of the strategy table (the first byte picks
// it, so the corpus covers each; new strategies join when their row is added),
// in one Vmm next to a well-behaved guest (a timer, a
// loop, console output; itself under a strategy the first byte picks) and a
// sentinel that halts at once.
// Invariants, beyond "no crash, no undefined behaviour":
//   - the consistency checker (vmm/consistency.h) is clean after every slice;
//   - the hostile guest stops within its instruction limit (no stall of the VMM);
//   - the well-behaved guest halts with the console output and final state hash it
//     has when it runs alone: a hostile neighbour cannot change it (isolation);
//   - the sentinel's memory never changes (checked by ConsistencyChecker);
//   - every guest's console, whatever bytes it holds, goes through the JSON and
//     text writers safely (console_output.h).
// With the top bit of the fourth byte set, the hostile guest starts with a prologue
// (at 0xF000) that leaves a block read and a ring batch in flight and its trap vector
// unusable before jumping to the image: a triple fault with DMA in flight, which every
// strategy must spin out as bare metal does (docs/vmm.md) without breaking these.
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <map>
#include <string>
#include <vector>

#include "asm/assembler.h"
#include "console_output.h"
#include "vmm/consistency.h"
#include "vmm/vmm.h"

using namespace trapeze;
using vmm::GuestConfig;
using vmm::StrategyKind;

namespace {

void check(bool ok, const char* what, const std::string& detail = "") {
  if (!ok) {
    std::fprintf(stderr, "invariant violated: %s %s\n", what, detail.c_str());
    std::abort();
  }
}

constexpr uint32_t kHostileMemory = 64u << 10;
constexpr uint32_t kMaxImage = 16u << 10;
constexpr uint64_t kHostileInstructions = 30'000;

const char* kWellBehaved = R"(
        la      r13, tick
        ldtvec  r13
        li      r1, 1500
        ldtimer r1
        ei
        la      r2, msg
print:  ldb     r3, 0(r2)
        beqz    r3, work
        out     PORT_CONSOLE, r3
        addi    r2, r2, 1
        b       print
work:   li      r5, 0
        li      r6, 1000
loop:   addi    r5, r5, 1
        mul     r7, r5, r5
        la      r8, sum
        ldw     r9, 0(r8)
        add     r9, r9, r7
        stw     r9, 0(r8)
        blt     r5, r6, loop
        la      r8, ticks
        ldw     r3, 0(r8)
        andi    r3, r3, 15
        addi    r3, r3, 'a'
        out     PORT_CONSOLE, r3
        halt
tick:   la      r10, ticks
        ldw     r11, 0(r10)
        addi    r11, r11, 1
        stw     r11, 0(r10)
        rti
        .org 0x1000
ticks:  .word 0
sum:    .word 0
msg:    .asciz "well-behaved \xA6\x1B[2J\xC2\x9B "  ; bytes no output may show raw
)";

GuestConfig config_of(const std::vector<assembler::Segment>& image, StrategyKind s,
                      uint32_t memory, const char* name) {
  GuestConfig g;
  g.name = name;
  g.strategy = s;
  g.memory_bytes = memory;
  g.disk_sectors = 16;  // the default 1 MiB disk would dominate each run
  g.image = image;
  return g;
}

const std::vector<assembler::Segment>& well_behaved_image() {
  static const std::vector<assembler::Segment> image = [] {
    const assembler::Result r = assembler::assemble(kWellBehaved, {});
    check(r.ok(), "the well-behaved guest does not assemble");
    return r.program.segments;
  }();
  return image;
}

const std::vector<assembler::Segment>& sentinel_image() {
  static const std::vector<assembler::Segment> image = [] {
    const assembler::Result r =
        assembler::assemble("halt\n.org 0x400\n.word 0x5E171E1, 0x5E171E2\n", {});
    check(r.ok(), "the sentinel does not assemble");
    return r.program.segments;
  }();
  return image;
}

// The prologue's source: the block read, the ring batch and the vector from `d`.
std::string dma_prologue(const uint8_t* d) {
  static const char* vectors[] = {"0x7FFFF000", "0x10000", "0xFFFFF000", "0xE000"};
  char text[1200];
  std::snprintf(text, sizeof text, R"(
        .org 0xF000
        li      r1, %u
        out     PORT_BLK_SECTOR, r1
        li      r1, %u
        out     PORT_BLK_ADDR, r1
        li      r1, %u
        out     PORT_BLK_COUNT, r1
        li      r1, 1
        out     PORT_BLK_CMD, r1
        li      r5, 0xE800              ; a ring of one descriptor
        li      r1, 1
        stw     r1, 0(r5)
        stw     r1, 4(r5)
        stw     r1, 16(r5)
        li      r1, %u
        stw     r1, 20(r5)
        li      r1, %u
        stw     r1, 24(r5)
        li      r1, %u
        stw     r1, 28(r5)
        out     PORT_RING_BASE, r5
        out     PORT_RING_KICK, r0
        li      r1, %s
        ldtvec  r1
        jmp     0
)",
                d[4] % 16u, (d[5] % 28u) * 512u, 1u + d[6] % 8u, d[7] % 16u, (d[8] % 28u) * 512u,
                1u + d[9] % 8u, vectors[d[3] & 3]);
  return text;
}

// Every strategy of the table.
std::vector<StrategyKind> every_strategy() {
  std::vector<StrategyKind> out;
  for (const vmm::StrategyInfo& s : vmm::kStrategies) out.push_back(s.kind);
  return out;
}

struct Alone {
  std::string console;
  uint64_t hash = 0;
};

// The well-behaved guest alone under strategy s: what it must end with anywhere.
const Alone& alone(StrategyKind s) {
  static std::map<StrategyKind, Alone> cache;
  auto it = cache.find(s);
  if (it != cache.end()) return it->second;
  vmm::VmmConfig c;
  c.guests = {config_of(well_behaved_image(), s, 16u << 10, "alone")};
  std::string error;
  auto v = vmm::Vmm::create(c, &error);
  check(v != nullptr, "cannot create the reference VMM", error);
  for (int i = 0; i < 1000 && !v->finished(); ++i) v->run(1'000'000);
  check(v->guest(0).state == vmm::GuestState::Halted, "the well-behaved guest does not halt alone");
  return cache[s] = Alone{v->guest(0).console(), v->guest(0).state_hash()};
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  if (size < 4 || size > kMaxImage + 4) return 0;
  const std::vector<StrategyKind> strategies = every_strategy();
  std::vector<StrategyKind> on_host;  // for the well-behaved guest
  for (StrategyKind s : strategies)
    if (s != StrategyKind::NATIVE) on_host.push_back(s);
  check(!on_host.empty(), "no strategy runs on the host");

  const std::vector<assembler::Segment> hostile = {
      assembler::Segment{0, std::vector<uint8_t>(data + 4, data + size)}};
  const uint64_t quantum = 500 + uint64_t(data[1]) * 200;
  const uint64_t slice = 20'000 + uint64_t(data[2]) * 2'000;
  {
    const StrategyKind s = strategies[data[0] % strategies.size()];
    const StrategyKind good = on_host[(data[0] / strategies.size()) % on_host.size()];
    vmm::VmmConfig c;
    c.quantum = quantum;
    c.tlb.entries = 1u << (data[3] % 7);  // 1..64: small TLBs evict a lot
    c.guests = {config_of(well_behaved_image(), good, 16u << 10, "good"),
                config_of(hostile, s, kHostileMemory, "hostile"),
                config_of(sentinel_image(), StrategyKind::TRAP, 4u << 10, "sentinel")};
    c.guests[1].max_instructions = kHostileInstructions;
    if ((data[3] & 0x80) && size >= 10) {
      const assembler::Result r = assembler::assemble(dma_prologue(data), {});
      check(r.ok(), "the DMA prologue does not assemble");
      c.guests[1].image.insert(c.guests[1].image.end(), r.program.segments.begin(),
                               r.program.segments.end());
      c.guests[1].entry = 0xF000;
    }
    std::string error;
    auto v = vmm::Vmm::create(c, &error);
    check(v != nullptr, "cannot create the VMM", error);
    vmm::ConsistencyChecker checker(*v);
    int slices = 0;
    for (; slices < 20'000 && !v->finished(); ++slices) {
      v->run(slice);
      const std::string problem = checker.check(*v);
      check(problem.empty(), "inconsistent VMM:", problem);
    }
    if (!v->finished()) {
      std::string who;  // which guest is stuck, and where: for the reproducer
      for (size_t i = 0; i < v->guest_count(); ++i) {
        const vmm::Guest& g = v->guest(i);
        who += "\n  " + g.config.name + " (" + std::string(vmm::strategy_name(g.strategy_kind())) + "): " +
               std::string(vmm::guest_state_name(g.state)) + ", " + std::to_string(g.executed) + " executed, pc " +
               std::to_string(g.vcpu.cpu.pc);
      }
      check(false, "the guests did not finish (a stalled VMM)", who);
    }
    const vmm::Guest& g = v->guest(0);
    check(g.state == vmm::GuestState::Halted, "the well-behaved guest did not halt", g.reason);
    const Alone& ref = alone(good);
    check(g.console() == ref.console, "a hostile neighbour changed the console:", g.console());
    check(g.state_hash() == ref.hash, "a hostile neighbour changed the final state");
    check(v->guest(1).executed <= kHostileInstructions, "the hostile guest overran its limit");
    for (size_t i = 0; i < v->guest_count(); ++i) fuzz::check_console_output(v->guest(i).console());
  }
  return 0;
}
