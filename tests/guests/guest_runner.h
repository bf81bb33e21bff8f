// Running the guest kernels of guests/ in tests: assemble a guest (with -D
// defines), load it the way `trapeze run` does, run it on the bare machine, or
// run its para-virtual build under ParaVirtShim, a minimal stand-in for the PV
// VMM that gives the hypercalls of core/isa/hypercalls.h their meaning.
//
// The shim exists so that the PV variants' code paths (batched page-table
// updates, deferred invalidations, one console write per line, the ring kick)
// are exercised before the real para-virtual VMM lands. It runs the guest
// kernel in real kernel mode and emulates each intercepted hypercall on the
// machine's state; it is not a VMM (no isolation, no shadow tables).
#pragma once

#include <algorithm>
#include <cstdint>
#include <fstream>
#include <map>
#include <optional>
#include <sstream>
#include <string>

#include "asm/assembler.h"
#include "isa/hypercalls.h"
#include "isa/ports.h"
#include "machine/machine.h"

namespace trapeze::guests_test {

using Defines = std::map<std::string, int64_t>;

inline std::string source_dir() { return TRAPEZE_SOURCE_DIR; }

inline std::optional<std::string> read_text(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return std::nullopt;
  std::ostringstream s;
  s << in.rdbuf();
  return s.str();
}

// Assembles guests/<rel_path> as `trapeze run` does: .include paths are relative
// to the including file.
inline assembler::Result assemble_guest(const std::string& rel_path, const Defines& defines = {}) {
  const std::string path = source_dir() + "/guests/" + rel_path;
  assembler::Options options;
  options.file_name = "guests/" + rel_path;
  options.defines = defines;
  // Included names arrive relative to the including file ("guests/lib/...").
  options.include = [](const std::string& p) {
    return read_text(!p.empty() && p[0] == '/' ? p : source_dir() + "/" + p);
  };
  const auto text = read_text(path);
  if (!text) {
    assembler::Result r;
    r.errors.push_back({options.file_name, 0, 0, "cannot read " + path});
    return r;
  }
  return assembler::assemble(*text, options);
}

inline std::string format_errors(const assembler::Result& r) {
  std::string s;
  for (const auto& e : r.errors) s += e.format() + "\n";
  return s;
}

// Pokes every segment and sets pc to the entry, as `trapeze run` does.
inline bool load(machine::Machine& m, const assembler::Program& p) {
  for (const auto& s : p.segments)
    if (!m.poke(s.base, s.bytes)) return false;
  m.set_pc(p.entry);
  return true;
}

struct RunOutcome {
  bool halted = false;
  std::string console;  // the machine's console, plus the shim's for PV runs
  uint64_t state_hash = 0;
  machine::Counters counters;
  std::map<isa::Hypercall, uint64_t> hypercalls;  // PV runs: how many of each
  std::string failure;                            // the shim's complaint, if any
};

// Runs on the bare machine until halt or `max_instructions`.
inline RunOutcome run_bare(const assembler::Program& p, uint64_t max_instructions) {
  machine::Machine m;
  RunOutcome o;
  if (!load(m, p)) {
    o.failure = "the program does not fit in memory";
    return o;
  }
  const machine::RunResult r = m.run(max_instructions);
  o.halted = r.reason == machine::StopReason::Halted;
  o.console = m.console();
  o.state_hash = m.state_hash();
  o.counters = m.counters();
  return o;
}

// The hypercalls, emulated on the machine the guest kernel runs on.
class ParaVirtShim {
 public:
  // `ring_base`: where the guest keeps its I/O ring (a real VMM learns it from
  // the guest's write to RING_BASE; the shim is told, from the guest's symbols).
  ParaVirtShim(machine::Machine& m, uint32_t ring_base) : m_(m), ring_base_(ring_base) {}

  // Runs until HC_HALT, a halt, or the budget; fills `o`.
  void run(uint64_t max_instructions, RunOutcome& o) {
    m_.set_intercept(machine::Machine::cause_bit(isa::Cause::HYPERCALL));
    uint64_t left = max_instructions;
    while (left && o.failure.empty()) {
      const machine::RunResult r = m_.run(left);
      left -= std::min(left, r.instructions + r.faulted);
      if (r.reason == machine::StopReason::Halted) {
        o.halted = true;
        break;
      }
      if (r.reason != machine::StopReason::Trap) break;
      ++o.hypercalls[isa::Hypercall(r.trap.detail)];
      if (!hypercall(r.trap, o)) break;
    }
    o.console = m_.console() + console_;
    o.state_hash = m_.state_hash();
    o.counters = m_.counters();
  }

 private:
  // Emulates one hypercall; false when the guest is done (HC_HALT) or wrong.
  bool hypercall(const machine::TrapEvent& t, RunOutcome& o) {
    machine::CpuState s = m_.state();
    const uint32_t a1 = s.r[1], a2 = s.r[2];
    s.pc = t.epc;
    switch (isa::Hypercall(t.detail)) {
      case isa::Hypercall::CONSOLE_WRITE:
        for (uint32_t i = 0; i < a2; ++i) {
          const auto b = read_virtual8(a1 + i);
          if (!b) return fail(o, "CONSOLE_WRITE from an unmapped address");
          console_ += char(*b);
        }
        s.r[1] = a2;
        break;
      case isa::Hypercall::GET_PSW: s.r[1] = s.psw; break;
      case isa::Hypercall::SET_PSW: s.psw = a1; break;
      case isa::Hypercall::SET_PTR:
        s.ptr = a1;
        m_.flush_tlb();
        break;
      case isa::Hypercall::MMU_UPDATE:
        for (uint32_t i = 0; i < a2; ++i) {
          const auto pte = read_virtual32(a1 + 8 * i), value = read_virtual32(a1 + 8 * i + 4);
          if (!pte || !value || !m_.poke32(*pte, *value))
            return fail(o, "MMU_UPDATE with a bad pair");
        }
        break;
      case isa::Hypercall::SET_TVEC: s.tvec = a1; break;
      case isa::Hypercall::IRET:
        s.pc = s.epc();
        s.psw = s.epsw();
        break;
      case isa::Hypercall::SET_TIMER: s.timer_period = a1; break;
      case isa::Hypercall::TLB_FLUSH:
        if (a1 == ~0u)
          m_.flush_tlb();
        else
          m_.invalidate_tlb_page(a1, m_.address_space());
        break;
      case isa::Hypercall::IO_KICK:
        if (!kick_ring()) return fail(o, "IO_KICK with a bad ring");
        break;
      case isa::Hypercall::YIELD: break;
      case isa::Hypercall::HALT:
        o.halted = true;
        m_.set_state(s);
        return false;
      default: return fail(o, "unknown hypercall " + std::to_string(t.detail));
    }
    m_.set_state(s);
    return true;
  }

  bool fail(RunOutcome& o, const std::string& why) {
    o.failure = why;
    return false;
  }

  std::optional<uint32_t> physical(uint32_t va) const {
    const auto t = m_.translate(va, machine::Access::Read, false);
    if (!t.ok) return std::nullopt;
    return t.pa;
  }
  std::optional<uint8_t> read_virtual8(uint32_t va) const {
    const auto pa = physical(va);
    uint8_t b = 0;
    if (!pa || !m_.peek(*pa, {&b, 1})) return std::nullopt;
    return b;
  }
  std::optional<uint32_t> read_virtual32(uint32_t va) const {
    const auto pa = physical(va);
    if (!pa) return std::nullopt;
    return m_.peek32(*pa);
  }

  // The ring protocol of docs/machine.md, serviced at once: every descriptor
  // since the last kick is transferred, its status set, the consumer index
  // advanced, and one DEVICE interrupt posted for the batch.
  bool kick_ring() {
    const auto size = m_.peek32(ring_base_), producer = m_.peek32(ring_base_ + 4);
    if (!size || !producer || *size == 0 || *size > 256) return false;
    auto& disk = m_.disk().bytes();
    for (; taken_ != *producer; ++taken_) {
      const uint32_t d = ring_base_ + 16 + (taken_ % *size) * 20;
      const uint32_t op = *m_.peek32(d), sector = *m_.peek32(d + 4), addr = *m_.peek32(d + 8),
                     count = *m_.peek32(d + 12);
      const uint64_t offset = uint64_t(sector) * isa::kSectorSize;
      const uint32_t bytes = count * isa::kSectorSize;
      bool ok = count >= 1 && count <= 8 && offset + bytes <= disk.size() &&
                uint64_t(addr) + bytes <= m_.memory_size();
      if (ok && op == 1)
        ok = m_.poke(addr, {disk.data() + offset, bytes});
      else if (ok && op == 2)
        ok = m_.peek(addr, {disk.data() + offset, bytes});
      else
        ok = false;
      m_.poke32(d + 16, ok ? 2 : 3);
    }
    m_.poke32(ring_base_ + 8, *producer);
    m_.post_interrupt(isa::Cause::DEVICE);
    return true;
  }

  machine::Machine& m_;
  uint32_t ring_base_;
  uint32_t taken_ = 0;
  std::string console_;
};

inline RunOutcome run_paravirt(const assembler::Program& p, uint64_t max_instructions) {
  machine::Machine m;
  RunOutcome o;
  if (!load(m, p)) {
    o.failure = "the program does not fit in memory";
    return o;
  }
  ParaVirtShim shim(m, p.symbol("RING_ADDR").value_or(0));
  shim.run(max_instructions, o);
  return o;
}

}  // namespace trapeze::guests_test
