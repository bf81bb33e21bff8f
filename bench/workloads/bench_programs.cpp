#include "workloads/bench_programs.h"

#include <map>
#include <string>
#include <vector>

namespace trapeze::machine::bench {
namespace {

using isa::Op;

// A minimal program writer (the workloads link only the machine, not the assembler).
class Code {
 public:
  explicit Code(uint32_t origin) : origin_(origin) {}
  uint32_t here() const { return origin_ + 4 * uint32_t(words_.size()); }
  Code& label(const std::string& l) {
    labels_[l] = here();
    return *this;
  }
  Code& op(Op o, int a = 0, int b = 0, int c = 0, int32_t imm = 0) {
    words_.push_back(isa::encode({o, uint8_t(a), uint8_t(b), uint8_t(c), imm}).value_or(0));
    return *this;
  }
  Code& li(int rd, uint32_t v) {
    op(Op::LUI, rd, 0, 0, int32_t(v >> 16));
    return op(Op::ORI, rd, rd, 0, int32_t(v & 0xFFFF));
  }
  Code& to(Op o, int a, int b, const std::string& l) {  // branch or jump to a label
    fix_.push_back({words_.size(), l});
    return op(o, a, b, 0, 0);
  }
  void load(Machine& m) {
    for (const auto& [index, l] : fix_) {
      isa::Decoded d = isa::decode(words_[index]);
      d.imm = int32_t(labels_.at(l) - (origin_ + 4 * uint32_t(index) + 4));
      words_[index] = isa::encode(d).value_or(0);
    }
    for (size_t i = 0; i < words_.size(); ++i) m.poke32(origin_ + 4 * uint32_t(i), words_[i]);
  }

 private:
  uint32_t origin_;
  std::vector<uint32_t> words_;
  std::map<std::string, uint32_t> labels_;
  std::vector<std::pair<size_t, std::string>> fix_;
};

constexpr uint32_t kCode = 0x1000, kHandler = 0x2000, kCounter = 0x3000;
constexpr uint32_t kData = 0x10000, kDataBytes = 64u << 10, kL1 = 0x80000;

// Identity map [from, to) with flags, L2 tables allocated from *next.
void identity(Machine& m, uint32_t from, uint32_t to, uint32_t flags, uint32_t* next) {
  for (uint32_t va = from; va < to; va += isa::kPageSize) {
    const uint32_t l1e_addr = kL1 + 4 * isa::l1_index(va);
    uint32_t l1e = m.peek32(l1e_addr).value_or(0);
    if (!(l1e & isa::pte::P)) {
      l1e = *next | isa::pte::P | isa::pte::W | isa::pte::U;
      *next += isa::kPageSize;
      m.poke32(l1e_addr, l1e);
    }
    m.poke32((l1e & isa::pte::FRAME) + 4 * isa::l2_index(va), va | flags);
  }
}

}  // namespace

void load_workload(Machine& m, Workload w) {
  m.reset();
  CpuState s;
  s.pc = kCode;
  switch (w) {
    case Workload::Alu: {
      Code c(kCode);
      c.li(1, 1).li(2, 0x9E3779B9).li(3, 0x7F4A7C15).li(4, 12345).li(5, 0x7FFFFFFF);
      c.label("loop");
      c.op(Op::ADD, 1, 1, 2).op(Op::XOR, 1, 1, 3).op(Op::SHLI, 1, 1, 0, 1).op(Op::SUB, 1, 1, 4);
      c.op(Op::ADDI, 5, 5, 0, -1).to(Op::BNE, 5, 0, "loop");
      c.to(Op::JMP, 0, 0, "loop");
      c.load(m);
      break;
    }
    case Workload::LoadStore: {
      uint32_t next = kL1 + isa::kPageSize;
      identity(m, 0, 0x10000, isa::pte::P | isa::pte::W, &next);
      identity(m, kData, kData + kDataBytes, isa::pte::P | isa::pte::W, &next);
      Code c(kCode);
      c.li(2, kData + kDataBytes);
      c.label("outer").li(1, kData);
      c.label("loop");
      c.op(Op::LDW, 3, 1, 0, 0).op(Op::ADDI, 3, 3, 0, 1).op(Op::STW, 3, 1, 0, 0);
      c.op(Op::ADDI, 1, 1, 0, 4).to(Op::BNE, 1, 2, "loop");
      c.to(Op::JMP, 0, 0, "outer");
      c.load(m);
      s.ptr = kL1;
      break;
    }
    case Workload::Syscall: {
      // Kernel pages (code, handler, counter) are kernel-only; the user page is U.
      uint32_t next = kL1 + isa::kPageSize;
      identity(m, 0, kCode, isa::pte::P | isa::pte::W, &next);
      identity(m, kCode, kCode + isa::kPageSize, isa::pte::P | isa::pte::U, &next);
      identity(m, kHandler, 0x10000, isa::pte::P | isa::pte::W, &next);
      Code k(kHandler);  // 11 instructions, the counter on its own data page
      k.op(Op::MTCR, 1, int(isa::ControlReg::SCRATCH0));
      k.op(Op::MFCR, 1, int(isa::ControlReg::CAUSE));
      k.op(Op::ANDI, 1, 1, 0, 0xFF);
      k.op(Op::ADDI, 1, 1, 0, -int32_t(isa::Cause::SYSCALL));
      k.to(Op::BNE, 1, 0, "other");
      k.op(Op::LDW, 1, 0, 0, int32_t(kCounter));
      k.op(Op::ADDI, 1, 1, 0, 1);
      k.op(Op::STW, 1, 0, 0, int32_t(kCounter));
      k.op(Op::MFCR, 1, int(isa::ControlReg::SCRATCH0));
      k.op(Op::ADDI, 0, 0, 0, 0);  // (a slot a real kernel would use to pick the call)
      k.op(Op::RTI);
      k.label("other").op(Op::HALT);
      k.load(m);
      Code u(kCode);  // user: syscall, count down, loop (3 instructions)
      u.li(5, 0x7FFFFFFF);
      u.label("loop").op(Op::SYSCALL).op(Op::ADDI, 5, 5, 0, -1).to(Op::BNE, 5, 0, "loop");
      u.to(Op::JMP, 0, 0, "loop");
      u.load(m);
      s.ptr = kL1;
      s.tvec = kHandler;
      s.psw = isa::psw::U;
      break;
    }
  }
  m.set_state(s);
}

}  // namespace trapeze::machine::bench
