// Devices: timer preemption, the block device (DMA, completion interrupt, status,
// acknowledge), the para-virtual ring (one interrupt per batch), the console bound.
#include "machine/machine_state.h"
#include "machine/test_machine.h"

namespace trapeze::machine::testing {
namespace {

using isa::Cause;
using isa::Port;
namespace psw = isa::psw;

constexpr int P(Port p) { return int(p); }

class MachineDevices : public MachineTest {
 protected:
  // A handler at kHandler that counts interrupts in r10, records CAUSE in r11 and
  // EPC in r12, acknowledges the block device, and returns.
  void install_counting_handler() {
    ProgramBuilder h(kHandler);
    h.op(Op::ADDI, 10, 10, 0, 1);
    h.op(Op::MFCR, 11, int(isa::ControlReg::CAUSE));
    h.op(Op::MFCR, 12, int(isa::ControlReg::EPC));
    h.op(Op::MFCR, 8, int(isa::ControlReg::EPSW));
    h.op(Op::RDPSW, 7);
    h.op(Op::IN, 9, 0, 0, P(Port::BLK_STATUS));
    h.op(Op::OUT, 0, 0, 0, P(Port::BLK_STATUS));
    h.op(Op::RTI);
    h.load(m);
  }
  // With interrupts off: the timer expires many times while a loop spins, then
  // stops (r4 = interrupts taken by then, 0). An interrupt is left pending.
  static void expire_timer_masked(ProgramBuilder& p) {
    p.li(10, 0).li(3, 100).op(Op::LDTIMER, 3);
    p.li(1, 500).label("spin").op(Op::ADDI, 1, 1, 0, -1).br(Op::BNE, 1, 0, "spin");
    p.op(Op::ADD, 4, 10, 0);
    p.li(3, 0).op(Op::LDTIMER, 3);
  }
};

TEST_F(MachineDevices, TimerPreemptsALoopPeriodically) {
  install_counting_handler();
  ProgramBuilder p(kCode);
  p.li(10, 0).li(1, 0).li(2, 5);
  p.li(3, 10000).op(Op::LDTIMER, 3).op(Op::EI);
  p.label("spin").op(Op::ADDI, 1, 1, 0, 1).br(Op::BLT, 10, 2, "spin");  // until 5 interrupts
  p.op(Op::DI).op(Op::HALT);
  const RunResult r = run(p, false, 10'000'000);
  EXPECT_EQ(r.reason, StopReason::Halted);
  EXPECT_EQ(reg(10), 5u);
  EXPECT_EQ(Cause(reg(11) & 0xFF), Cause::TIMER);
  EXPECT_EQ(reg(8), psw::IE) << "EPSW: kernel mode, interrupts were on";
  EXPECT_EQ(reg(7), 0u) << "PSW in the handler: kernel, interrupts off";
  EXPECT_EQ(m.counters().trap_count(Cause::TIMER), 5u);
  EXPECT_EQ(m.counters().interrupts, 5u);
  // The interrupted instruction is in the loop and EPC points at it (not past it).
  EXPECT_TRUE(reg(12) == p.addr("spin") || reg(12) == p.addr("spin") + 4);
  // The first expiry is 10000 cycles after ldtimer, the next ones periodic.
  EXPECT_GE(m.counters().cycles, 50000u);
  EXPECT_LT(m.counters().cycles, 60000u);
  EXPECT_EQ(m.state().timer_period, 10000u);
}

TEST_F(MachineDevices, TimerInterruptWaitsForInterruptsEnabled) {
  install_counting_handler();
  ProgramBuilder p(kCode);
  expire_timer_masked(p);
  p.label("ei").op(Op::EI);  // the pending interrupt is taken right after ei
  p.label("after").op(Op::HALT);
  run(p);
  EXPECT_EQ(reg(4), 0u);
  EXPECT_EQ(reg(10), 1u) << "many expiries while masked merge into one interrupt";
  EXPECT_GT(m.counters().timer_expiries, 5u);
  EXPECT_EQ(reg(12), p.addr("after"));
}

// rti and wrpsw turn interrupts on: one already pending is taken before the next
// instruction (EPC is the first instruction after them).
TEST_F(MachineDevices, PendingInterruptIsTakenRightAfterRtiOrWrpsw) {
  for (const bool by_rti : {true, false}) {
    SCOPED_TRACE(by_rti ? "rti" : "wrpsw");
    m.reset();
    install_halting_handler();  // the vector
    install_counting_handler();
    ProgramBuilder p(kCode);
    expire_timer_masked(p);
    if (by_rti) {
      p.li(1, psw::IE).op(Op::MTCR, 1, int(isa::ControlReg::EPSW));
      p.la(1, "after").op(Op::MTCR, 1, int(isa::ControlReg::EPC));
      p.op(Op::RTI);
    } else {
      p.li(1, psw::IE).op(Op::WRPSW, 1);
    }
    p.label("after").op(Op::HALT);
    run(p);
    EXPECT_EQ(reg(4), 0u);
    EXPECT_EQ(reg(10), 1u);
    EXPECT_EQ(Cause(reg(11) & 0xFF), Cause::TIMER);
    EXPECT_EQ(reg(12), p.addr("after"));
  }
}

// With nothing pending at rti, an interrupt that falls due later in the code it
// returns to lands on the same instruction as when the machine stops and looks at
// every boundary (runs of one instruction).
TEST_F(MachineDevices, InterruptAfterRtiLandsAsWhenSteppedOneByOne) {
  auto program = [] {
    ProgramBuilder p(kCode);
    p.li(10, 0).li(3, 20000).op(Op::LDTIMER, 3);  // longer than the handler takes
    p.li(1, psw::IE).op(Op::MTCR, 1, int(isa::ControlReg::EPSW));
    p.la(1, "loop").op(Op::MTCR, 1, int(isa::ControlReg::EPC));
    p.op(Op::RTI);
    p.label("loop").op(Op::ADDI, 5, 5, 0, 1).op(Op::XORI, 6, 5, 0, 0x55);
    p.br(Op::BEQ, 10, 0, "loop");  // until the first interrupt
    p.op(Op::DI).op(Op::HALT);
    return p;
  };
  install_counting_handler();
  run(program());
  const uint32_t epc = reg(12), r5 = reg(5);
  const uint64_t cycles = m.counters().cycles;
  ASSERT_EQ(reg(10), 1u);

  m.reset();
  install_halting_handler();  // the vector
  install_counting_handler();
  const ProgramBuilder p = program();
  p.load(m);
  CpuState s = m.state();
  s.pc = p.origin();
  m.set_state(s);
  for (int i = 0; i < 100000 && !m.halted(); ++i) m.run(1);
  EXPECT_EQ(reg(10), 1u);
  EXPECT_EQ(reg(12), epc);
  EXPECT_EQ(reg(5), r5);
  EXPECT_EQ(m.counters().cycles, cycles);
}

TEST_F(MachineDevices, BlockDeviceReadsByDmaAndInterruptsOnCompletion) {
  install_counting_handler();
  ProgramBuilder p(kCode);
  p.li(10, 0).li(1, 3).op(Op::OUT, 1, 0, 0, P(Port::BLK_SECTOR));
  p.li(1, 0x9000).op(Op::OUT, 1, 0, 0, P(Port::BLK_ADDR));
  p.li(1, 2).op(Op::OUT, 1, 0, 0, P(Port::BLK_COUNT));
  p.li(1, 1).op(Op::OUT, 1, 0, 0, P(Port::BLK_CMD));
  p.op(Op::IN, 5, 0, 0, P(Port::BLK_STATUS));  // busy
  p.op(Op::EI);
  p.label("wait").br(Op::BEQ, 10, 0, "wait");
  p.op(Op::IN, 6, 0, 0, P(Port::BLK_STATUS));  // idle after the acknowledge
  p.op(Op::HALT);
  run(p);
  EXPECT_EQ(reg(5), uint32_t(BlockStatus::Busy));
  EXPECT_EQ(reg(9), uint32_t(BlockStatus::Done)) << "status seen by the handler";
  EXPECT_EQ(reg(6), uint32_t(BlockStatus::Idle));
  EXPECT_EQ(Cause(reg(11) & 0xFF), Cause::DEVICE);
  EXPECT_EQ(reg(10), 1u);
  // Disk content: sector s starts with s, then (s + k) & 0xFF.
  EXPECT_EQ(m.peek32(0x9000), 3u);
  EXPECT_EQ(m.peek32(0x9200), 4u);
  uint8_t b = 0;
  m.peek(0x9000 + 100, std::span<uint8_t>(&b, 1));
  EXPECT_EQ(b, uint8_t(3 + 100));
  EXPECT_EQ(m.counters().blk_requests, 1u);
  EXPECT_EQ(m.counters().blk_sectors_read, 2u);
  EXPECT_EQ(m.counters().trap_count(Cause::DEVICE), 1u);
  EXPECT_GT(m.counters().cycles, request_service_cycles(m.cost_model(), 2));
}

TEST_F(MachineDevices, BlockDeviceWritesAndPollingWorksWithInterruptsOff) {
  for (uint32_t i = 0; i < 128; ++i) m.poke32(0xA000 + 4 * i, 0xC0DE0000 + i);
  ProgramBuilder p(kCode);
  p.li(1, 7).op(Op::OUT, 1, 0, 0, P(Port::BLK_SECTOR));
  p.li(1, 0xA000).op(Op::OUT, 1, 0, 0, P(Port::BLK_ADDR));
  p.li(1, 1).op(Op::OUT, 1, 0, 0, P(Port::BLK_COUNT));
  p.li(1, 2).op(Op::OUT, 1, 0, 0, P(Port::BLK_CMD));
  p.li(2, uint32_t(BlockStatus::Busy));
  p.label("poll").op(Op::IN, 3, 0, 0, P(Port::BLK_STATUS)).br(Op::BEQ, 3, 2, "poll");
  p.op(Op::OUT, 0, 0, 0, P(Port::BLK_STATUS));
  p.op(Op::HALT);
  run(p);
  EXPECT_EQ(reg(3), uint32_t(BlockStatus::Done));
  const uint8_t* d = m.disk().bytes().data() + 7 * isa::kSectorSize;
  EXPECT_EQ(load_le32(d), 0xC0DE0000u);
  EXPECT_EQ(load_le32(d + 508), 0xC0DE0000u + 127);
  EXPECT_EQ(m.counters().blk_sectors_written, 1u);
  EXPECT_EQ(m.pending_interrupts(), 0u) << "the acknowledge withdrew the interrupt";
}

TEST_F(MachineDevices, MalformedBlockRequestsFail) {
  ProgramBuilder p(kCode);
  p.li(1, 9).op(Op::OUT, 1, 0, 0, P(Port::BLK_COUNT));  // > 8 sectors
  p.li(1, 1).op(Op::OUT, 1, 0, 0, P(Port::BLK_CMD));
  p.op(Op::IN, 3, 0, 0, P(Port::BLK_STATUS));
  p.op(Op::OUT, 0, 0, 0, P(Port::BLK_STATUS));
  // Out of the disk: fails at completion.
  p.li(1, 1).op(Op::OUT, 1, 0, 0, P(Port::BLK_COUNT));
  p.li(1, 5000).op(Op::OUT, 1, 0, 0, P(Port::BLK_SECTOR));
  p.li(1, 1).op(Op::OUT, 1, 0, 0, P(Port::BLK_CMD));
  p.li(2, uint32_t(BlockStatus::Busy));
  p.label("poll").op(Op::IN, 4, 0, 0, P(Port::BLK_STATUS)).br(Op::BEQ, 4, 2, "poll");
  p.op(Op::HALT);
  run(p);
  EXPECT_EQ(reg(3), uint32_t(BlockStatus::Error));
  EXPECT_EQ(reg(4), uint32_t(BlockStatus::Error));
  EXPECT_EQ(m.counters().blk_errors, 2u);
}

TEST_F(MachineDevices, RingProcessesABatchWithOneInterrupt) {
  install_counting_handler();
  constexpr uint32_t kRing = 0x20000;
  // Header: size 8, producer 3, consumer 0; three descriptors.
  m.poke32(kRing + 0, 8);
  m.poke32(kRing + 4, 3);
  m.poke32(kRing + 8, 0);
  const uint32_t descs[3][4] = {{1, 1, 0x9000, 1}, {1, 2, 0x9200, 2}, {2, 10, 0xA000, 1}};
  for (uint32_t i = 0; i < 3; ++i)
    for (uint32_t k = 0; k < 4; ++k) m.poke32(kRing + 16 + 20 * i + 4 * k, descs[i][k]);
  m.poke32(0xA000, 0xABCDEF01);
  ProgramBuilder p(kCode);
  p.li(10, 0).li(1, kRing).op(Op::OUT, 1, 0, 0, P(Port::RING_BASE));
  p.op(Op::OUT, 0, 0, 0, P(Port::RING_KICK));
  p.op(Op::EI);
  p.label("wait").br(Op::BEQ, 10, 0, "wait");
  p.op(Op::IN, 7, 0, 0, P(Port::RING_STATUS));
  p.op(Op::HALT);
  const RunResult r = run(p);
  EXPECT_EQ(r.reason, StopReason::Halted);
  EXPECT_EQ(reg(10), 1u);
  EXPECT_EQ(reg(7), 3u);
  EXPECT_EQ(m.peek32(kRing + 8), 3u) << "consumer index";
  for (uint32_t i = 0; i < 3; ++i)
    EXPECT_EQ(m.peek32(kRing + 16 + 20 * i + 16), uint32_t(BlockStatus::Done)) << i;
  EXPECT_EQ(m.peek32(0x9000), 1u);
  EXPECT_EQ(m.peek32(0x9200), 2u);
  EXPECT_EQ(m.peek32(0x9400), 3u);
  EXPECT_EQ(load_le32(m.disk().bytes().data() + 10 * isa::kSectorSize), 0xABCDEF01u);
  const Counters& c = m.counters();
  EXPECT_EQ(c.ring_kicks, 1u);
  EXPECT_EQ(c.ring_batches, 1u);
  EXPECT_EQ(c.ring_requests, 3u);
  EXPECT_EQ(c.trap_count(Cause::DEVICE), 1u);
  EXPECT_EQ(c.port_out, 2u + 1u);  // base, kick, and the handler's acknowledge
  // The batch takes the sum of its requests' service times.
  const CostModel& cm = m.cost_model();
  EXPECT_GT(c.cycles, request_service_cycles(cm, 1) * 2 + request_service_cycles(cm, 2));
}

TEST_F(MachineDevices, RingKickWithNothingNewOrABadRingDoesNothing) {
  ProgramBuilder p(kCode);
  p.li(1, 0x7FFFFFF0).op(Op::OUT, 1, 0, 0, P(Port::RING_BASE));  // outside memory
  p.op(Op::OUT, 0, 0, 0, P(Port::RING_KICK));
  p.li(1, 0x20000).op(Op::OUT, 1, 0, 0, P(Port::RING_BASE));     // size 0: malformed
  p.op(Op::OUT, 0, 0, 0, P(Port::RING_KICK));
  p.op(Op::HALT);
  run(p);
  EXPECT_EQ(m.counters().ring_errors, 2u);
  EXPECT_EQ(m.counters().ring_batches, 0u);
}

// Found while hardening: a kick took descriptors whatever was still in flight, so a
// driver kicking faster than the disk serves (or rewriting RING_BASE between
// kicks) grew the device's queue without bound — host memory a guest could
// exhaust. Now at most `size` descriptors are outstanding and 256 batches in
// flight; a kick beyond is a ring error, and every kick is accounted for.
TEST_F(MachineDevices, RingWorkInFlightIsBounded) {
  constexpr uint32_t kRing = 0x20000;
  m.poke32(kRing + 0, 4);  // size 4; one read descriptor in every slot
  for (uint32_t i = 0; i < 4; ++i) {
    m.poke32(kRing + 16 + 20 * i + 0, 1);
    m.poke32(kRing + 16 + 20 * i + 4, i);
    m.poke32(kRing + 16 + 20 * i + 8, 0x9000);
    m.poke32(kRing + 16 + 20 * i + 12, 1);
  }
  // 1000 times: a fresh ring (RING_BASE resets its indices), one descriptor, a kick.
  ProgramBuilder p(kCode);
  p.li(1, kRing).li(2, 1).li(5, 1000).li(6, kRing + 4);
  p.label("again").op(Op::STW, 2, 6, 0, 0);  // producer = 1
  p.op(Op::OUT, 1, 0, 0, P(Port::RING_BASE)).op(Op::OUT, 0, 0, 0, P(Port::RING_KICK));
  p.op(Op::ADDI, 5, 5, 0, -1).br(Op::BNE, 5, 0, "again");
  // Then on the last ring: producer 6 with 0 completed is more than its 4 slots.
  p.li(2, 6).op(Op::STW, 2, 6, 0, 0).op(Op::OUT, 0, 0, 0, P(Port::RING_KICK));
  // Wait for everything in flight (polling, interrupts off), then halt.
  p.li(7, 5'000'000).label("wait").op(Op::ADDI, 7, 7, 0, -1).br(Op::BNE, 7, 0, "wait");
  p.op(Op::HALT);
  ASSERT_EQ(run(p, false, 200'000'000).reason, StopReason::Halted);
  const Counters& c = m.counters();
  EXPECT_EQ(c.ring_kicks, 1001u);
  EXPECT_GT(c.ring_errors, 1u) << "the queue was never full";
  EXPECT_EQ(c.ring_batches + c.ring_errors, c.ring_kicks);
  EXPECT_EQ(c.ring_requests, c.ring_batches);
}

// Every byte of a fresh disk, past sector 255 where the header's high bytes and the
// ramp's wrap start to matter, and again after a reset over written data.
TEST(MachineDisk, InitialContentIsTheDocumentedPattern) {
  Disk d(1029);
  auto check = [&] {
    for (uint32_t s = 0; s < d.sectors(); ++s)
      for (uint32_t k = 0; k < isa::kSectorSize; ++k) {
        const uint8_t want = k < 4 ? uint8_t(s >> (8 * k)) : uint8_t((s + k) & 0xFF);
        ASSERT_EQ(d.bytes()[size_t(s) * isa::kSectorSize + k], want) << "sector " << s << " byte " << k;
      }
  };
  check();
  std::fill(d.bytes().begin(), d.bytes().end(), uint8_t(0xA5));
  d.reset();
  check();
}

// Saved state holds a disk's changed sectors only; it loads back to the same bytes,
// the older whole-disk layout still loads, and a damaged list is an error.
TEST(MachineDisk, SavedStateKeepsTheChangedSectors) {
  Disk d(300);
  d.bytes()[5 * isa::kSectorSize + 17] ^= 0xFF;
  d.bytes()[280 * isa::kSectorSize] ^= 1;  // a header byte
  EXPECT_FALSE(d.initial(5));
  EXPECT_FALSE(d.initial(280));
  EXPECT_TRUE(d.initial(6));
  StateArchive w = StateArchive::writer();
  StateAccess::disk(w, d);
  const std::vector<uint8_t> bytes = w.take();
  EXPECT_EQ(bytes.size(), 8u + 2 * (4 + isa::kSectorSize));  // a 64-bit count, then each

  Disk e(300);
  e.bytes()[9] ^= 1;  // loading replaces whatever was there
  StateArchive r = StateArchive::reader(bytes);
  StateAccess::disk(r, e);
  ASSERT_TRUE(r.finish()) << r.error();
  EXPECT_EQ(e.bytes(), d.bytes());

  StateArchive w1 = StateArchive::writer();  // layout 1: every byte
  w1.fixed_bytes(d.bytes());
  const std::vector<uint8_t> whole = w1.take();
  Disk f(300);
  StateArchive r1 = StateArchive::reader(whole, 1);
  StateAccess::disk(r1, f);
  ASSERT_TRUE(r1.finish()) << r1.error();
  EXPECT_EQ(f.bytes(), d.bytes());

  std::vector<uint8_t> swapped = bytes;  // sector 280 first, then 5
  std::swap_ranges(swapped.begin() + 8, swapped.begin() + 8 + 4 + isa::kSectorSize,
                   swapped.begin() + 8 + 4 + isa::kSectorSize);
  Disk g(300);
  StateArchive r2 = StateArchive::reader(swapped);
  StateAccess::disk(r2, g);
  EXPECT_FALSE(r2.finish());
  EXPECT_NE(r2.error().find("changed disk sector 5 out of order"), std::string::npos) << r2.error();
}

TEST(MachineConsole, OutputIsBoundedAndTruncationCounted) {
  MachineConfig c;
  c.console_limit = 100;
  Machine m(c);
  ProgramBuilder p(kCode);
  p.li(1, 250).li(2, 'A');
  p.label("l").op(Op::OUT, 2, 0, 0, P(Port::CONSOLE)).op(Op::ADDI, 1, 1, 0, -1).br(Op::BNE, 1, 0, "l");
  p.op(Op::IN, 3, 0, 0, P(Port::CONSOLE));
  p.op(Op::HALT);
  p.load(m);
  m.set_pc(kCode);
  ASSERT_EQ(m.run(100000).reason, StopReason::Halted);
  EXPECT_EQ(m.console(), std::string(100, 'A'));
  EXPECT_TRUE(m.console_truncated());
  EXPECT_EQ(m.counters().console_bytes, 250u);
  EXPECT_EQ(m.counters().console_dropped, 150u);
  EXPECT_EQ(m.counters().port_out, 250u);
  EXPECT_EQ(m.counters().port_in, 1u);
  EXPECT_EQ(m.state().r[3], 0u);
  // Port I/O is expensive (Adams & Agesen): 251 port accesses dominate the cycles.
  EXPECT_GE(m.counters().cycles, 251ull * m.cost_model()[CostEvent::PORT_IO]);
}

// write() (the para-virtual console's bulk path) is put() byte by byte: the same
// output and counters, across the bound.
TEST(MachineConsole, BulkWriteEqualsBytesOneByOne) {
  for (uint32_t first : {0u, 5u, 10u, 16u}) {
    Console bulk(16), bytes(16);
    Counters cb, cs;
    std::vector<uint8_t> text(first), more(9);
    for (size_t i = 0; i < text.size(); ++i) text[i] = uint8_t('a' + i);
    for (size_t i = 0; i < more.size(); ++i) more[i] = uint8_t('A' + i);
    for (const auto* chunk : {&text, &more}) {
      bulk.write(*chunk, cb);
      for (uint8_t b : *chunk) bytes.put(b, cs);
    }
    EXPECT_EQ(bulk.output(), bytes.output()) << first;
    EXPECT_EQ(cb, cs) << first;
    EXPECT_EQ(cb.console_bytes, first + 9);
    EXPECT_EQ(cb.console_dropped, first + 9 > 16 ? first + 9 - 16 : 0u);
  }
}

TEST(MachineConsole, HelloWorld) {
  Machine m;
  ProgramBuilder p(kCode);
  for (char ch : std::string("hello\n")) p.li(1, uint8_t(ch)).op(Op::OUT, 1, 0, 0, P(Port::CONSOLE));
  p.op(Op::HALT);
  p.load(m);
  m.set_pc(kCode);
  m.run(1000);
  EXPECT_EQ(m.console(), "hello\n");
  EXPECT_FALSE(m.console_truncated());
}

}  // namespace
}  // namespace trapeze::machine::testing
