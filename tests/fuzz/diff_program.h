// Differential testing of the strategies (diff_fuzz.cpp, tests/vmm/differential_test.cpp):
// a random guest program — a small kernel skeleton with a trap vector and page
// tables, then a body of random instructions chosen by the input bytes — runs on
// bare metal and under every other strategy of the strategy table, and
// every run must end in the same guest-visible result: the same guest state
// (halted, crashed, stopped), console output and state hash (registers, PSW, PTR,
// control registers, all of its memory).
//
// The documented exception (docs/vmm.md): pure trap-and-emulate cannot see the
// sensitive-but-unprivileged instructions (rdpsw, wrpsw, sptr), so a run in which
// the strategy counted one (vmm.sensitive_unprivileged > 0) may diverge; that
// comparison is skipped, and counted.
//
// The body keeps to what makes a result independent of TLB size and replacement,
// which the ISA leaves to the implementation: a page-table edit is followed by
// `invlpg` of that page, an address-space switch by `tlbflush`, and device DMA
// goes to data frames only.
//
// Some programs end, at their final brk, in a triple fault with a block read still
// in flight (the DMA must land as on bare metal under every strategy).
//
// A divergence is delta-debugged down to a minimal body (minimise()) and printed
// as a program `trapeze run` accepts (reproducer()).
#pragma once

#include <algorithm>
#include <cstdint>
#include <functional>
#include <span>
#include <sstream>
#include <string>
#include <vector>

#include "asm/assembler.h"
#include "vmm/vmm.h"

namespace trapeze::difftest {

// Reads choices from the input bytes (zeros once they run out).
class Choices {
 public:
  explicit Choices(std::span<const uint8_t> bytes) : bytes_(bytes) {}
  bool empty() const { return at_ >= bytes_.size(); }
  uint32_t byte() { return at_ < bytes_.size() ? bytes_[at_++] : 0; }
  uint32_t below(uint32_t n) { return n <= 256 ? byte() % n : (byte() | byte() << 8) % n; }
  uint32_t word() { return byte() | byte() << 8 | byte() << 16 | byte() << 24; }

 private:
  std::span<const uint8_t> bytes_;
  size_t at_ = 0;
};

struct Program {
  bool paging = true;     // the body runs with paging on
  bool user = false;      // the body runs in the guest's user mode
  uint32_t timer = 0;     // timer period (0: off)
  uint64_t quantum = 0;   // the VMM's quantum for this run
  std::vector<uint32_t> registers;  // r1..r10 at the start of the body
  std::vector<std::string> body;    // items: one or a few lines of assembly each
  // "" or what the handler does at the final brk instead of halting: a block read
  // still in flight when it makes its trap vector unusable and faults (a triple
  // fault: bare metal spins there and the DMA lands all the same, docs/vmm.md).
  std::string ending;
};

inline constexpr uint32_t kMemory = 64u << 10;
inline constexpr uint64_t kMaxInstructions = 100'000;
inline constexpr size_t kMaxItems = 400;  // the body must fit in pages 4..7

// Memory map (64 KiB, VA = PA with paging on as off, except the data window):
//   0x0000 kernel code, 0x1000 trap handler, 0x2000 the L2 table (VA pages 0..15),
//   0x4000..0x7FFF the body (user-executable), 0x8000..0xBFFF the data window
//   (user read-write; its PTEs are what the body edits; the stack starts in its
//   middle, and 400 pushes or pops cannot leave it), 0xC000 and 0xD000 two L1
//   roots sharing the L2 table, 0xE000..0xFFFF spare data frames.
inline std::string item(Choices& c, int n) {
  // (Appending: GCC 12's -Wrestrict misfires on "literal" + std::to_string() at -O3.)
  auto reg = [&] {
    std::string r = "r";
    r += std::to_string(1 + c.below(10));
    return r;
  };
  auto label = [&](const char* prefix) {
    std::string l = prefix;
    l += std::to_string(n);
    return l;
  };
  static const char* alu[] = {"add", "sub", "and", "or",  "xor", "shl",
                              "shr", "sar", "mul", "slt", "sltu"};
  static const char* alui[] = {"addi", "andi", "ori", "xori", "shli", "shri", "muli", "slti"};
  static const char* branch[] = {"beq", "bne", "blt", "bltu", "bge", "bgeu"};
  std::ostringstream s;
  switch (c.below(34)) {
    case 0: case 1: case 2: case 3: case 4:
      s << alu[c.below(11)] << " " << reg() << ", " << reg() << ", " << reg();
      break;
    case 5: case 6: case 7: {  // signed, logical (unsigned 16-bit) and shift immediates
      const uint32_t k = c.below(8);
      const int64_t imm = k == 0 || k >= 6 ? int64_t(c.below(128)) - 64
                          : k <= 3         ? int64_t(c.below(2) ? c.below(64) : c.below(65536))
                                           : int64_t(c.below(32));
      s << alui[k] << " " << reg() << ", " << reg() << ", " << imm;
      break;
    }
    case 8: case 9: {  // the data window, sometimes misaligned
      const uint32_t off = c.below(0x1000) * 4 + (c.below(8) == 0 ? 2 : 0);
      s << (c.below(2) ? "ldw " : "stw ") << reg() << ", " << off << "(r11)";
      break;
    }
    case 10: s << (c.below(2) ? "ldb " : "stb ") << reg() << ", " << c.below(0x4000) << "(r11)"; break;
    case 11: {  // an unmapped page (paging on), past its memory; a load from the L2 table
      static const char* where[] = {"0x100000", "0x7FFF0", "0x10000", "0xFFFFFFFC", "0x2000"};
      const uint32_t w = c.below(5);
      s << "li r13, " << where[w] << "\n" << (w == 4 || c.below(2) ? "ldw " : "stw ") << reg()
        << ", 0(r13)";
      break;
    }
    case 12: {  // edit a data-window PTE, then invlpg it (as a correct kernel does)
      static const char* flags[] = {"PTE_P | PTE_W | PTE_U", "PTE_P | PTE_U", "0", "PTE_P | PTE_W",
                                    "PTE_P | PTE_W | PTE_U | PTE_A | PTE_D"};
      static const int frames[] = {8, 9, 10, 11, 14, 15};
      const int slot = 8 + int(c.below(4));
      s << "li r13, " << (frames[c.below(6)] << 12) << " | " << flags[c.below(5)] << "\n"
        << "stw r13, " << (0x2000 + 4 * slot) << "(r0)\n"
        << "li r13, " << (slot << 12) << "\ninvlpg r13";
      break;
    }
    case 13: {  // switch address space or paging off/on, flushing as a kernel must
      static const char* roots[] = {"0xC000", "0xD000", "0"};
      s << "li r13, " << roots[c.below(3)] << "\nldptr r13\ntlbflush";
      break;
    }
    case 14: s << (c.below(2) ? "div " : "remu ") << reg() << ", " << reg() << ", " << reg(); break;
    case 15: s << "syscall"; break;
    case 16: s << (c.below(2) ? "ei" : "di"); break;
    case 17: s << "mtcr scratch0, " << reg() << "\nmfcr " << reg() << ", scratch0"; break;
    case 18: {  // a register's low byte, or a byte a terminal or JSON writer must not take raw
      static const char* hostile[] = {"0xA6", "0x1B", "0x9B", "0xC0", "0xFF", "0", "0x7F", "0xE2"};
      const std::string r = reg();
      if (c.below(2)) s << "li " << r << ", " << hostile[c.below(8)] << "\n";
      s << "out PORT_CONSOLE, " << r;
      break;
    }
    case 19: s << "in " << reg() << ", PORT_BLK_STATUS"; break;
    case 20: case 21:
      s << branch[c.below(6)] << " " << reg() << ", " << reg() << ", " << label("skip") << "\naddi "
        << reg() << ", " << reg() << ", 1\n" << label("skip") << ":";
      break;
    case 22:  // a short loop
      s << "li r13, " << 1 + c.below(40) << "\n" << label("loop") << ": addi " << reg() << ", "
        << reg() << ", 3\naddi r13, r13, -1\nbnez r13, " << label("loop");
      break;
    case 23: s << ".word " << (c.below(2) ? 0u : c.word() | 0xFF000000u); break;  // illegal
    case 24: s << "mfcr " << reg() << ", " << (c.below(2) ? "epc" : "cause"); break;
    case 25: s << (c.below(2) ? "push " : "pop ") << reg(); break;  // sp stays in the window
    case 26: s << "li r13, " << 200 + c.below(4000) << "\nldtimer r13"; break;
    case 27: {  // a block-device request into (or from) the data frames: DMA
      s << "li r13, " << c.below(16) << "\nout PORT_BLK_SECTOR, r13\n"
        << "li r13, " << 0x8000 + c.below(24) * 512 << "\nout PORT_BLK_ADDR, r13\n"
        << "li r13, " << 1 + c.below(8) << "\nout PORT_BLK_COUNT, r13\n"
        << "li r13, " << 1 + c.below(2) << "\nout PORT_BLK_CMD, r13";
      break;
    }
    case 28:  // the sensitive-but-unprivileged instructions (rare: they void the comparison)
      if (c.below(16) == 0) {
        static const char* hole[] = {"rdpsw", "wrpsw", "sptr"};
        s << hole[c.below(3)] << " " << reg();
      } else {
        s << "li " << reg() << ", " << c.word();
      }
      break;
    case 29: s << "li " << reg() << ", " << c.word(); break;
    case 30: s << "ldw " << reg() << ", " << 4 * c.below(0x1000) << "(r0)"; break;  // code, tables
    case 31: {  // address-space churn: a spare frame becomes a clean root (it may also
                // be mapped writable in the window: its writes are then revoked), and
                // the kernel switches among the roots, touching the window in each,
                // and ends on one of the skeleton's roots
      const int spare = 0xE000 + 0x1000 * int(c.below(2));
      const int roots[] = {0xC000, 0xD000, spare};  // (never a frame not made a root)
      s << "li r13, 0xC000\nldptr r13\ntlbflush\nli r10, " << spare << "\nli r13, 1024\n"
        << label("zero") << ": stw r0, 0(r10)\naddi r10, r10, 4\naddi r13, r13, -1\nbnez r13, "
        << label("zero") << "\nli r10, " << spare
        << "\nli r13, 0x2000 | PTE_P | PTE_W | PTE_U\nstw r13, 0(r10)\n";
      for (uint32_t k = 0, switches = 2 + c.below(6); k < switches; ++k)
        s << "li r13, " << roots[c.below(3)] << "\nldptr r13\ntlbflush\nldw r13, "
          << 4 * c.below(0x1000) << "(r11)\n";
      s << "li r13, " << roots[c.below(2)] << "\nldptr r13\ntlbflush";
      break;
    }
    case 32: {  // a large batch of page-table writes (the window's entries, rewritten
                // again and again while the roots' shadows hold entries built from
                // them), then one flush
      static const int frames[] = {8, 9, 10, 11, 14, 15};
      s << "li r10, " << 8 + c.below(120) << "\n" << label("batch") << ":\n";
      for (int slot = 8; slot < 12; ++slot)
        s << "li r13, " << (frames[c.below(6)] << 12) << " | PTE_P | PTE_W | PTE_U\nstw r13, "
          << (0x2000 + 4 * slot) << "(r0)\n";
      s << "addi r10, r10, -1\nbnez r10, " << label("batch") << "\ntlbflush";
      break;
    }
    default:  // rarely: end the body early (brk, or halt in the guest's kernel mode)
      s << (c.below(8) == 0 ? (c.below(2) ? "brk" : "halt") : "nop");
      break;
  }
  return s.str();
}

// A block read into the data frames, then a trap vector nothing maps (past its
// memory, or a page the tables leave out) and an illegal instruction.
inline std::string triple_fault_ending(Choices& c) {
  static const char* vectors[] = {"0x7FFFF000", "0x10000", "0x100000", "0xFFFFF000"};
  std::ostringstream s;
  s << "li r13, " << c.below(8) << "\nout PORT_BLK_SECTOR, r13\n"
    << "li r13, " << 0x8000 + c.below(24) * 512 << "\nout PORT_BLK_ADDR, r13\n"
    << "li r13, " << 1 + c.below(8) << "\nout PORT_BLK_COUNT, r13\n"
    << "li r13, 1\nout PORT_BLK_CMD, r13\n"
    << "li r13, " << vectors[c.below(4)] << "\nldtvec r13\n.word 0";
  return s.str();
}

inline Program generate(std::span<const uint8_t> bytes) {
  Choices c(bytes);
  Program p;
  const uint32_t mode = c.byte();
  p.paging = (mode & 3) != 0;
  p.user = (mode & 4) != 0;
  p.timer = (mode & 8) ? 300 + c.below(5000) : 0;
  p.quantum = 500 + c.below(256) * 100;
  for (int r = 1; r <= 10; ++r) p.registers.push_back(c.below(8) ? c.below(2000) - 1000 : c.word());
  if ((mode & 0x30) == 0x30) p.ending = triple_fault_ending(c);
  for (int n = 0; !c.empty() && p.body.size() < kMaxItems; ++n) p.body.push_back(item(c, n));
  return p;
}

// The kernel skeleton every random program starts from (also the random-program
// test's, tests/vmm/random_program_test.cpp). Memory: pages 0..3 kernel code and the
// handler, 4..7 the body (user-executable), 8..11 data frames (user read-write);
// an L2 table at 0x2000 maps VA page n to frame n, and two L1 roots at 0xC000 and
// 0xD000 share it.
inline constexpr const char* kSkeletonTables = R"(        la      r13, handler
        ldtvec  r13
        li      r5, 0                   ; the L2 table: VA page n -> frame n
        li      r4, 0x2000
map:    shli    r3, r5, 12
        ori     r3, r3, PTE_P | PTE_W
        li      r6, 4
        blt     r5, r6, store
        ori     r3, r3, PTE_U
store:  stw     r3, 0(r4)
        addi    r4, r4, 4
        addi    r5, r5, 1
        li      r6, 16
        blt     r5, r6, map
        li      r3, 0x2000 | PTE_P | PTE_W | PTE_U
        li      r4, 0xC000
        stw     r3, 0(r4)
        li      r4, 0xD000
        stw     r3, 0(r4)
)";
// The handler at 0x1000: r12 sums every CAUSE; a breakpoint halts; syscalls and
// interrupts return; a fault skips its instruction. r13 (the body's scratch) waits
// in scratch1.
inline constexpr const char* kSkeletonHandler = R"(        .org 0x1000
handler:
        mtcr    scratch1, r13
        mfcr    r13, cause
        add     r12, r12, r13
        andi    r13, r13, 0xFF
        addi    r13, r13, -CAUSE_BREAKPOINT
        beqz    r13, finish
        mfcr    r13, cause
        andi    r13, r13, 0xFF
        addi    r13, r13, -CAUSE_SYSCALL
        beqz    r13, resume
        mfcr    r13, cause
        andi    r13, r13, 0x10          ; TIMER, DEVICE
        bnez    r13, resume
        mfcr    r13, epc
        addi    r13, r13, 4
        mtcr    epc, r13
resume: mfcr    r13, scratch1
        rti
finish: halt
)";

// The whole program as assembly.
inline std::string source(const Program& p) {
  std::ostringstream s;
  s << kSkeletonTables;
  if (p.paging) s << "        li r1, 0xC000\n        ldptr r1\n        tlbflush\n";
  if (p.timer) s << "        li r1, " << p.timer << "\n        ldtimer r1\n";
  for (size_t r = 0; r < p.registers.size(); ++r)
    s << "        li r" << r + 1 << ", " << p.registers[r] << "\n";
  s << "        li r11, 0x8000\n        li r12, 0\n        li sp, 0xA000\n";
  if (p.user)
    s << "        la r13, body\n        mtcr epc, r13\n        li r13, PSW_U | PSW_IE\n"
         "        mtcr epsw, r13\n        rti\n";
  else
    s << "        ei\n        b body\n";
  std::string handler = kSkeletonHandler;
  if (!p.ending.empty()) {  // in place of the handler's final halt, kernel mode either way
    std::string lines;
    std::istringstream ending(p.ending);
    for (std::string line; std::getline(ending, line);) lines += "        " + line + "\n";
    handler.replace(handler.rfind("halt"), 4, "\n" + lines + "        halt");
  }
  s << handler << "        .org 0x4000\nbody:\n";
  for (const std::string& it : p.body) {
    std::istringstream lines(it);
    for (std::string line; std::getline(lines, line);)
      s << (line.back() == ':' ? "" : "        ") << line << "\n";
  }
  s << "        brk\n";
  return s.str();
}

// The strategies to compare with bare metal: every one but native.
inline std::vector<vmm::StrategyKind> strategies_under_test() {
  std::vector<vmm::StrategyKind> out;
  for (const vmm::StrategyInfo& s : vmm::kStrategies)
    if (s.kind != vmm::StrategyKind::NATIVE) out.push_back(s.kind);
  return out;
}

enum class Verdict { Same, Skipped, Differs };
struct Comparison {
  vmm::StrategyKind strategy;
  Verdict verdict = Verdict::Same;
  std::string detail;  // what differs
  vmm::GuestCounters counters;  // the strategy's, for coverage statistics
};

inline std::string hex(uint64_t v) {
  std::ostringstream s;
  s << "0x" << std::hex << v;
  return s.str();
}

inline std::string differences(const vmm::Guest& a, const vmm::Guest& b) {
  std::ostringstream s;
  if (a.state != b.state)
    s << " state " << vmm::guest_state_name(a.state) << " / " << vmm::guest_state_name(b.state)
      << " (" << a.reason << " / " << b.reason << ")";
  if (a.console() != b.console()) s << " console \"" << a.console() << "\" / \"" << b.console() << "\"";
  const machine::CpuState &x = a.vcpu.cpu, &y = b.vcpu.cpu;
  if (x.pc != y.pc) s << " pc " << hex(x.pc) << " / " << hex(y.pc);
  if (x.psw != y.psw) s << " psw " << hex(x.psw) << " / " << hex(y.psw);
  if (x.ptr != y.ptr) s << " ptr " << hex(x.ptr) << " / " << hex(y.ptr);
  for (int r = 0; r < isa::kNumRegs; ++r)
    if (x.r[r] != y.r[r]) s << " r" << r << " " << hex(x.r[r]) << " / " << hex(y.r[r]);
  for (int r = 0; r < isa::kNumControlRegs; ++r)
    if (x.cr[r] != y.cr[r]) s << " cr" << r << " " << hex(x.cr[r]) << " / " << hex(y.cr[r]);
  if (a.state_hash() != b.state_hash() && s.str().empty()) s << " memory";
  if (a.executed != b.executed) s << " (executed " << a.executed << " / " << b.executed << ")";
  return s.str();
}

// Every guest's console output in the last compare() (bare metal's first), for the
// checks of the writers that show it (console_output.h).
inline std::vector<std::string>& last_consoles() {
  static std::vector<std::string> consoles;
  return consoles;
}

// Runs `p` on bare metal and under each strategy in `which`, all in one Vmm.
// Empty if the program does not assemble (a generator bug: the caller reports it).
inline std::vector<Comparison> compare(const Program& p,
                                       const std::vector<vmm::StrategyKind>& which,
                                       std::string* error = nullptr) {
  const assembler::Result a = assembler::assemble(source(p), {});
  if (!a.ok()) {
    if (error) *error = a.errors.front().format();
    return {};
  }
  vmm::VmmConfig c;
  c.quantum = p.quantum;
  auto guest = [&](vmm::StrategyKind s) {
    vmm::GuestConfig g;
    g.name = std::string(vmm::strategy_name(s));
    g.strategy = s;
    g.memory_bytes = kMemory;
    g.disk_sectors = 16;
    g.image = a.program.segments;
    g.entry = a.program.entry;
    g.max_instructions = kMaxInstructions;
    return g;
  };
  c.guests.push_back(guest(vmm::StrategyKind::NATIVE));
  for (vmm::StrategyKind s : which) c.guests.push_back(guest(s));
  auto v = vmm::Vmm::create(c, error);
  if (!v) return {};
  for (int i = 0; i < 1000 && !v->finished(); ++i) v->run(5'000'000);
  std::vector<Comparison> out;
  last_consoles().clear();
  for (size_t i = 0; i < v->guest_count(); ++i) last_consoles().push_back(v->guest(i).console());
  const vmm::Guest& native = v->guest(0);
  for (size_t i = 1; i < v->guest_count(); ++i) {
    const vmm::Guest& g = v->guest(i);
    Comparison r{which[i - 1], Verdict::Same, "", g.counters};
    const bool same = g.state == native.state && g.console() == native.console() &&
                      g.state_hash() == native.state_hash() && v->finished();
    if (!same) {
      r.verdict = g.counters.vmm.sensitive_unprivileged ? Verdict::Skipped : Verdict::Differs;
      r.detail = v->finished() ? differences(native, g) : " did not finish";
    }
    out.push_back(r);
  }
  return out;
}

inline bool differs(const Program& p, vmm::StrategyKind s) {
  const std::vector<Comparison> r = compare(p, {s});
  return !r.empty() && r[0].verdict == Verdict::Differs;
}

// Delta debugging (Zeller's ddmin, complements only): the smallest program found,
// within `max_tries` runs, for which `fails` still holds.
inline Program minimise(Program p, const std::function<bool(const Program&)>& fails,
                        int max_tries = 3000) {
  size_t parts = 2;
  int tries = 0;
  while (p.body.size() > 1 && tries < max_tries) {
    const size_t n = p.body.size();
    const size_t chunk = (n + parts - 1) / parts;
    bool reduced = false;
    for (size_t start = 0; start < n && tries < max_tries; start += chunk) {
      Program q = p;
      q.body.erase(q.body.begin() + long(start), q.body.begin() + long(std::min(n, start + chunk)));
      ++tries;
      if (fails(q)) {
        p = std::move(q);
        parts = std::max<size_t>(parts - 1, 2);
        reduced = true;
        break;
      }
    }
    if (!reduced) {
      if (parts >= n) break;
      parts = std::min(n, parts * 2);
    }
  }
  // Then the skeleton's own choices, one at a time.
  for (int k = 0; k < 4 && tries < max_tries; ++k, ++tries) {
    Program q = p;
    if (k == 0) q.timer = 0;
    if (k == 1) q.user = false;
    if (k == 2) std::fill(q.registers.begin(), q.registers.end(), 0);
    if (k == 3) q.ending.clear();
    if (fails(q)) p = std::move(q);
  }
  return p;
}

// The smallest program found that still diverges under `s`.
inline Program minimise(const Program& p, vmm::StrategyKind s) {
  return minimise(p, [s](const Program& q) { return differs(q, s); });
}

// A divergence as a reproducer: the program (`trapeze run repro.s --mem 64K` runs it
// on bare metal) and a scenario that runs it side by side with the strategy.
inline std::string reproducer(const Program& p, vmm::StrategyKind s) {
  const std::vector<Comparison> r = compare(p, {s});
  std::ostringstream out;
  out << "; differential reproducer: bare metal and " << vmm::strategy_name(s) << " differ:"
      << (r.empty() ? std::string(" (does not assemble)") : r[0].detail) << "\n"
      << "; save as repro.s;  trapeze run repro.s --mem 64K --max-instr " << kMaxInstructions
      << "   (bare metal)\n"
      << "; side by side:  trapeze run repro.json   with repro.json =\n"
      << ";   {\"version\": 1, \"quantum\": " << p.quantum
      << ", \"limits\": {\"max_instructions\": " << kMaxInstructions << "}, \"guests\": ["
      << "{\"name\": \"native\", \"file\": \"repro.s\", \"memory\": \"64K\", \"disk\": \"8K\", "
         "\"strategy\": \"native\"}, "
      << "{\"name\": \"" << vmm::strategy_name(s) << "\", \"file\": \"repro.s\", \"memory\": "
      << "\"64K\", \"disk\": \"8K\", \"strategy\": \"" << vmm::strategy_name(s) << "\"}]}\n"
      << source(p);
  return out.str();
}

}  // namespace trapeze::difftest
