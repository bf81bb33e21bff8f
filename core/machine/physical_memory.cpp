#include "machine/physical_memory.h"

#include <algorithm>

namespace trapeze::machine {

PhysicalMemory::PhysicalMemory(uint32_t bytes)
    : size_(bytes), bytes_(bytes, 0), code_(bytes >> isa::kPageShift), code_flag_(bytes >> isa::kPageShift, 0) {}

bool PhysicalMemory::read(uint32_t pa, std::span<uint8_t> dst) const {
  if (!contains(pa, uint32_t(dst.size()))) return false;
  if (!dst.empty()) std::memcpy(dst.data(), bytes_.data() + pa, dst.size());
  return true;
}

bool PhysicalMemory::write(uint32_t pa, std::span<const uint8_t> src) {
  if (!contains(pa, uint32_t(src.size()))) return false;
  if (src.empty()) return true;
  std::memcpy(bytes_.data() + pa, src.data(), src.size());
  note_write(pa, uint32_t(src.size()));
  return true;
}

bool PhysicalMemory::write32(uint32_t pa, uint32_t value) {
  if (!contains(pa, 4)) return false;
  store_le32(bytes_.data() + pa, value);
  note_write(pa, 4);
  return true;
}

const isa::Decoded* PhysicalMemory::decoded_page(uint32_t pfn, bool* created) {
  std::unique_ptr<isa::Decoded[]>& page = code_[pfn];
  *created = false;
  if (!page) {
    page = std::make_unique<isa::Decoded[]>(kWordsPerPage + 1);
    const uint8_t* base = frame(pfn);
    for (uint32_t i = 0; i < kWordsPerPage; ++i) page[i] = isa::decode(load_le32(base + 4 * i));
    page[kWordsPerPage].op = kPageEndOp;
    code_flag_[pfn] = 1;
    *created = true;
  }
  return page.get();
}

bool PhysicalMemory::note_write(uint32_t pa, uint32_t len) {
  bool any = false;
  const uint32_t end = pa + len;  // callers checked contains(), so no overflow past size_
  for (uint32_t pfn = pa >> isa::kPageShift; pfn <= (end - 1) >> isa::kPageShift; ++pfn) {
    isa::Decoded* page = code_[pfn].get();
    if (!page) continue;
    any = true;
    const uint32_t lo = std::max(pa, pfn << isa::kPageShift) & ~3u;
    const uint32_t hi = std::min(end, (pfn + 1) << isa::kPageShift);
    for (uint32_t a = lo; a < hi; a += 4)
      page[(a & (isa::kPageSize - 1)) >> 2] = isa::decode(load_le32(bytes_.data() + a));
  }
  return any;
}

void PhysicalMemory::clear() {
  std::fill(bytes_.begin(), bytes_.end(), 0);
  for (auto& p : code_) p.reset();
  std::fill(code_flag_.begin(), code_flag_.end(), 0);
}

}  // namespace trapeze::machine
