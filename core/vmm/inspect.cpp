#include "vmm/inspect.h"

namespace trapeze::vmm {

namespace pte = isa::pte;

TableWalk walk_table(const machine::MemoryRegion& mem, uint32_t root, uint32_t address) {
  TableWalk w;
  w.exists = true;
  w.root = root & pte::FRAME;
  const uint32_t index[2] = {isa::l1_index(address), isa::l2_index(address)};
  uint32_t table = w.root, entry = 0, perms = pte::W | pte::U;
  for (int level = 0; level < 2; ++level) {
    const uint32_t at = table + 4 * index[level];
    if (!mem.contains(at, 4)) {
      w.note = "table outside memory: not present";
      return w;
    }
    entry = mem.read32(at);
    w.steps[level] = WalkStep{table, index[level], entry};
    w.levels = level + 1;
    if (!(entry & pte::P)) {
      w.note = level == 0 ? "L1 entry not present" : "L2 entry not present";
      return w;
    }
    perms &= entry;
    table = entry & pte::FRAME;
  }
  if (!mem.contains(table, isa::kPageSize)) {
    w.note = "frame outside memory: not present";
    return w;
  }
  w.ok = true;
  w.output = table | (address & (isa::kPageSize - 1));
  w.writable = perms & pte::W;
  w.user = perms & pte::U;
  return w;
}

ThreeTables walk_tables(const Vmm& vmm, size_t i, uint32_t va) {
  ThreeTables t;
  t.va = va;
  const Guest& g = vmm.guest(i);
  const machine::CpuState& cpu = g.vcpu.cpu;

  uint32_t gpa = va;
  if (cpu.ptr == 0) {
    t.guest.note = "guest paging off: guest-virtual = guest-physical";
    t.guest.ok = g.memory.contains(va, 1);
    t.guest.output = va;
    t.guest.writable = t.guest.user = t.guest.ok;
  } else {
    t.guest = walk_table(g.memory, cpu.ptr, va);
    gpa = t.guest.output;
  }

  const GuestPlacement* p = vmm.placement(i);
  if (!p) {
    t.physmap.note = t.shadow.note = "native: no VMM";
    return t;
  }
  const machine::MemoryRegion host = vmm.host().region();
  if (t.guest.ok)
    t.physmap = walk_table(host, p->physmap_base, gpa);
  else
    t.physmap.note = "the guest's table does not map it";

  const uint32_t root = g.strategy->hardware_table();
  if (g.strategy_kind() == StrategyKind::HW_NESTED) {
    t.shadow.note =
        "nested paging: no shadow; the MMU walks the guest's table through the physical map "
        "(walk_nested)";
  } else if (root == p->physmap_base) {
    t.shadow = t.physmap;
    t.shadow.note = "guest paging off: the hardware walks the physical map";
  } else if (root) {
    t.shadow = walk_table(host, root, va);
    if (!t.shadow.ok && t.guest.ok)
      t.shadow.note += " (filled on first access: a hidden page fault)";
    t.shadow.note = (cpu.psw & isa::psw::U ? "user view; " : "kernel view; ") + t.shadow.note;
  }
  return t;
}

NestedWalk walk_nested(const machine::MemoryRegion& host, uint32_t guest_root, uint32_t nested_root,
                       uint32_t va) {
  NestedWalk w;
  w.exists = true;
  w.va = va;
  w.guest_root = guest_root & pte::FRAME;
  w.nested_root = nested_root & pte::FRAME;
  // One step: translate `gpa` through the VMM's table; false if it does not map.
  const auto nested = [&](const char* what, uint32_t gpa) {
    NestedStep& st = w.steps[w.count++];
    st.what = what;
    st.gpa = gpa;
    st.nested = walk_table(host, w.nested_root, gpa);
    w.references += st.nested.levels;
    if (!st.nested.ok)
      w.note = std::string("the VMM's table does not map the ") + what + " (a VM exit)";
    return st.nested.ok;
  };
  uint32_t gpa = va, perms = pte::W | pte::U;
  if (guest_root) {
    static constexpr const char* kWhat[2] = {"guest L1 entry", "guest L2 entry"};
    const uint32_t index[2] = {isa::l1_index(va), isa::l2_index(va)};
    uint32_t table = w.guest_root;
    for (int level = 0; level < 2; ++level) {
      if (!nested(kWhat[level], table + 4 * index[level])) return w;
      NestedStep& st = w.steps[w.count - 1];
      st.read_entry = true;
      st.entry = host.read32(st.nested.output);
      ++w.references;
      if (!(st.entry & pte::P)) {
        w.note = std::string(kWhat[level]) + " not present: a guest page fault";
        return w;
      }
      perms &= st.entry;
      table = st.entry & pte::FRAME;
    }
    gpa = table | (va & (isa::kPageSize - 1));
  } else {
    w.note = "guest paging off: guest-virtual = guest-physical";
  }
  if (!nested("data", gpa)) return w;
  w.ok = true;
  w.output = w.steps[w.count - 1].nested.output;
  w.writable = perms & pte::W;
  w.user = perms & pte::U;
  return w;
}

NestedWalk walk_nested(const Vmm& vmm, size_t i, uint32_t va) {
  const GuestPlacement* p = vmm.placement(i);
  if (!p) {
    NestedWalk w;
    w.va = va;
    w.note = "native: no VMM, a one-dimensional walk";
    return w;
  }
  return walk_nested(vmm.host().region(), vmm.guest(i).vcpu.cpu.ptr, p->physmap_base, va);
}

}  // namespace trapeze::vmm
