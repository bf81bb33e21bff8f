// A tiny in-test program builder: appends words encoded with the ISA table's
// encoder and resolves labels, so the machine's tests do not depend on the
// assembler.
#pragma once

#include <gtest/gtest.h>

#include <cstdint>
#include <map>
#include <string>
#include <vector>

#include "isa/isa.h"
#include "machine/machine.h"

namespace trapeze::machine::testing {

using isa::Op;

class ProgramBuilder {
 public:
  explicit ProgramBuilder(uint32_t origin = 0x1000) : origin_(origin) {}

  uint32_t origin() const { return origin_; }
  uint32_t here() const { return origin_ + 4 * uint32_t(words_.size()); }

  ProgramBuilder& label(const std::string& name) {
    labels_[name] = here();
    return *this;
  }
  uint32_t addr(const std::string& name) const {
    auto it = labels_.find(name);
    EXPECT_NE(it, labels_.end()) << "no label " << name;
    return it == labels_.end() ? 0 : it->second;
  }

  // Any instruction, operands as in isa::Decoded (imm: for BR/J a byte offset from pc+4).
  ProgramBuilder& op(Op o, int a = 0, int b = 0, int c = 0, int32_t imm = 0) {
    const auto w = isa::encode({o, uint8_t(a), uint8_t(b), uint8_t(c), imm});
    EXPECT_TRUE(w.has_value()) << "cannot encode " << isa::info(o).mnemonic << " imm " << imm;
    words_.push_back(w.value_or(0));
    return *this;
  }
  ProgramBuilder& word(uint32_t w) {
    words_.push_back(w);
    return *this;
  }
  // rd = 32-bit value (lui + ori).
  ProgramBuilder& li(int rd, uint32_t value) {
    op(Op::LUI, rd, 0, 0, int32_t(value >> 16));
    return op(Op::ORI, rd, rd, 0, int32_t(value & 0xFFFF));
  }
  // rd = address of a label (resolved at build()).
  ProgramBuilder& la(int rd, const std::string& name) {
    fixups_.push_back({words_.size(), name, Fix::Abs});
    op(Op::LUI, rd, 0, 0, 0);
    return op(Op::ORI, rd, rd, 0, 0);
  }
  // Branch (BEQ..BGEU) to a label.
  ProgramBuilder& br(Op o, int rs1, int rs2, const std::string& target) {
    fixups_.push_back({words_.size(), target, Fix::Branch});
    return op(o, rs1, rs2, 0, 0);
  }
  // jmp / call to a label.
  ProgramBuilder& j(Op o, const std::string& target) {
    fixups_.push_back({words_.size(), target, Fix::Jump});
    return op(o, 0, 0, 0, 0);
  }

  std::vector<uint32_t> build() const {
    std::vector<uint32_t> out = words_;
    for (const Fixup& f : fixups_) {
      const uint32_t target = addr(f.label);
      const uint32_t at = origin_ + 4 * uint32_t(f.index);
      isa::Decoded d = isa::decode(out[f.index]);
      if (f.kind == Fix::Abs) {
        d.imm = int32_t(target >> 16);
        out[f.index] = isa::encode(d).value_or(0);
        isa::Decoded lo = isa::decode(out[f.index + 1]);
        lo.imm = int32_t(target & 0xFFFF);
        out[f.index + 1] = isa::encode(lo).value_or(0);
        continue;
      }
      d.imm = int32_t(target - (at + 4));
      const auto w = isa::encode(d);
      EXPECT_TRUE(w.has_value()) << "branch to " << f.label << " out of range";
      out[f.index] = w.value_or(0);
    }
    return out;
  }

  std::vector<uint8_t> bytes() const {
    std::vector<uint8_t> b;
    for (uint32_t w : build())
      for (int i = 0; i < 4; ++i) b.push_back(uint8_t(w >> (8 * i)));
    return b;
  }

  // Writes the program into physical memory at its origin.
  void load(Machine& m) const { ASSERT_TRUE(m.poke(origin_, bytes())); }

 private:
  enum class Fix { Branch, Jump, Abs };
  struct Fixup {
    size_t index;
    std::string label;
    Fix kind;
  };
  uint32_t origin_;
  std::vector<uint32_t> words_;
  std::map<std::string, uint32_t> labels_;
  std::vector<Fixup> fixups_;
};

// Page-table helpers for tests: tables live in physical memory at addresses the
// test chooses.
class PageTables {
 public:
  PageTables(Machine& m, uint32_t l1) : m_(m), l1_(l1), next_l2_(l1 + isa::kPageSize) {}
  uint32_t root() const { return l1_; }
  // Maps one virtual page to a frame with the given L2 flags (the L1 entry gets P|W|U
  // unless l1_flags says otherwise). Allocates L2 tables after the L1 table.
  void map(uint32_t va, uint32_t pa, uint32_t flags, uint32_t l1_flags = isa::pte::P | isa::pte::W | isa::pte::U) {
    const uint32_t l1e_addr = l1_ + 4 * isa::l1_index(va);
    uint32_t l1e = m_.peek32(l1e_addr).value_or(0);
    if (!(l1e & isa::pte::P)) {
      l1e = next_l2_;
      next_l2_ += isa::kPageSize;
    }
    l1e = (l1e & isa::pte::FRAME) | l1_flags;
    m_.poke32(l1e_addr, l1e);
    m_.poke32((l1e & isa::pte::FRAME) + 4 * isa::l2_index(va), (pa & isa::pte::FRAME) | flags);
  }
  // Identity-maps [from, to) with flags.
  void identity(uint32_t from, uint32_t to, uint32_t flags) {
    for (uint32_t a = from; a < to; a += isa::kPageSize) map(a, a, flags);
  }
  uint32_t l2e_addr(uint32_t va) const {
    const uint32_t l1e = m_.peek32(l1_ + 4 * isa::l1_index(va)).value_or(0);
    return (l1e & isa::pte::FRAME) + 4 * isa::l2_index(va);
  }
  uint32_t l1e(uint32_t va) const { return m_.peek32(l1_ + 4 * isa::l1_index(va)).value_or(0); }
  uint32_t l2e(uint32_t va) const { return m_.peek32(l2e_addr(va)).value_or(0); }

 private:
  Machine& m_;
  uint32_t l1_, next_l2_;
};

}  // namespace trapeze::machine::testing
