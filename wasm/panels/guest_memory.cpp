#include "guest_memory.h"

#include <array>

#include "vmm/inspect.h"

namespace trapeze::ui {

std::optional<uint32_t> guest_physical(const vmm::Vmm& v, size_t guest, uint32_t va) {
  const vmm::Guest& g = v.guest(guest);
  if (g.vcpu.cpu.ptr == 0) return va;
  const vmm::TableWalk w = vmm::walk_table(g.memory, g.vcpu.cpu.ptr, va);
  if (!w.ok) return std::nullopt;
  return w.output;
}

std::optional<uint32_t> read_word(const vmm::Vmm& v, size_t guest, uint32_t address, bool is_virtual) {
  std::optional<uint32_t> pa = is_virtual ? guest_physical(v, guest, address) : address;
  if (!pa) return std::nullopt;
  std::array<uint8_t, 4> b{};
  if (!v.read_guest_physical(guest, *pa, b)) return std::nullopt;
  return uint32_t(b[0]) | uint32_t(b[1]) << 8 | uint32_t(b[2]) << 16 | uint32_t(b[3]) << 24;
}

}  // namespace trapeze::ui
