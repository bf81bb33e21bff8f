// Reading a guest's memory for the views: guest-physical, or guest-virtual through
// the guest's own page table (vmm/inspect.h), never changing anything.
#pragma once

#include <cstdint>
#include <optional>

#include "vmm/vmm.h"

namespace trapeze::ui {

// The guest-physical address of guest-virtual `va` (identity when its paging is off).
std::optional<uint32_t> guest_physical(const vmm::Vmm& v, size_t guest, uint32_t va);
// A 32-bit word at a guest-physical or guest-virtual address.
std::optional<uint32_t> read_word(const vmm::Vmm& v, size_t guest, uint32_t address, bool is_virtual);

}  // namespace trapeze::ui
