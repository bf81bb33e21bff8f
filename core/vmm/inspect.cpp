#include "vmm/inspect.h"

#include <algorithm>
#include <array>

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

std::optional<uint32_t> guest_physical(const Vmm& vmm, size_t i, uint32_t va) {
  const Guest& g = vmm.guest(i);
  if (g.vcpu.cpu.ptr == 0) return va;
  const TableWalk w = walk_table(g.memory, g.vcpu.cpu.ptr, va);
  if (!w.ok) return std::nullopt;
  return w.output;
}

bool read_guest(const Vmm& vmm, size_t i, uint32_t address, bool is_virtual, std::span<uint8_t> out) {
  if (!is_virtual) return vmm.read_guest_physical(i, address, out);
  // Page by page: neighbouring virtual pages need not be neighbours in memory.
  size_t done = 0;
  while (done < out.size()) {
    const uint32_t va = address + uint32_t(done);
    const size_t in_page = isa::kPageSize - (va & (isa::kPageSize - 1));
    const size_t n = std::min(in_page, out.size() - done);
    const std::optional<uint32_t> pa = guest_physical(vmm, i, va);
    if (!pa || !vmm.read_guest_physical(i, *pa, out.subspan(done, n))) return false;
    done += n;
  }
  return true;
}

std::optional<uint32_t> read_guest_word(const Vmm& vmm, size_t i, uint32_t address, bool is_virtual) {
  std::array<uint8_t, 4> b{};
  if (!read_guest(vmm, i, address, is_virtual, b)) return std::nullopt;
  return uint32_t(b[0]) | uint32_t(b[1]) << 8 | uint32_t(b[2]) << 16 | uint32_t(b[3]) << 24;
}

TlbContents tlb_contents(const Vmm& vmm, size_t i) {
  TlbContents c;
  const machine::Machine* own = vmm.guest(i).strategy->own_machine();
  c.own_machine = own != nullptr;
  const std::span<const machine::TlbEntry> entries = own ? own->tlb_entries() : vmm.host().tlb_entries();
  c.capacity = entries.size();
  for (size_t k = 0; k < entries.size(); ++k) {
    const machine::TlbEntry& e = entries[k];
    if (!e.valid) continue;
    int owner = own ? int(i) : -1;
    for (size_t j = 0; !own && j < vmm.guest_count(); ++j)
      if (const GuestPlacement* p = vmm.placement(j); p && e.tag >= p->tag_base && e.tag < p->tag_base + kTagsPerGuest)
        owner = int(j);
    c.valid.push_back(TlbRow{k, e, owner});
  }
  return c;
}

}  // namespace trapeze::vmm
