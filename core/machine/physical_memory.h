// Simulated physical memory: one byte array, bounds-checked by every caller, plus
// the decoded-instruction cache that lives beside it (one array of isa::Decoded per
// physical page that has been executed from).
//
// The decoded cache is kept coherent by writing through: a store into a page that
// holds decoded code re-decodes the words it touched (Machine routes such stores
// here; ordinary stores never see this, because the TLB's fast write path is
// withheld from code pages).
#pragma once

#include <bit>
#include <cstdint>
#include <cstring>
#include <memory>
#include <span>
#include <vector>

#include "isa/isa.h"

namespace trapeze::machine {

inline constexpr uint32_t kMinMemoryBytes = isa::kPageSize;
inline constexpr uint32_t kMaxMemoryBytes = 256u << 20;  // 256 MiB (the wasm heap is 32-bit)
inline constexpr uint32_t kWordsPerPage = isa::kPageSize / 4;
// The op of the slot after a decoded page's last word: no instruction decodes to it,
// so the interpreter finds the end of the page by dispatching on it instead of
// comparing the pc with the page on every instruction.
inline constexpr isa::Op kPageEndOp = isa::Op(0xFF);

// Little-endian word access to host bytes (the ISA is little-endian whatever the host).
inline uint32_t load_le32(const uint8_t* p) {
  uint32_t v;
  std::memcpy(&v, p, 4);
  if constexpr (std::endian::native == std::endian::big) v = __builtin_bswap32(v);
  return v;
}
inline void store_le32(uint8_t* p, uint32_t v) {
  if constexpr (std::endian::native == std::endian::big) v = __builtin_bswap32(v);
  std::memcpy(p, &v, 4);
}

class PhysicalMemory {
 public:
  explicit PhysicalMemory(uint32_t bytes);

  uint32_t size() const { return size_; }
  uint32_t pages() const { return size_ >> isa::kPageShift; }
  bool contains(uint32_t pa, uint32_t len) const { return pa < size_ && len <= size_ - pa; }
  uint8_t* data() { return bytes_.data(); }
  const uint8_t* data() const { return bytes_.data(); }
  uint8_t* frame(uint32_t pfn) { return bytes_.data() + (size_t(pfn) << isa::kPageShift); }

  // Unchecked word access: the caller has checked contains(pa, 4).
  uint32_t read32(uint32_t pa) const { return load_le32(bytes_.data() + pa); }

  // Checked, coherent writes (re-decode code words): for slow paths, DMA, loaders.
  // Returns false (and writes nothing) if the range is outside memory.
  bool write(uint32_t pa, std::span<const uint8_t> src);
  bool write32(uint32_t pa, uint32_t value);
  bool read(uint32_t pa, std::span<uint8_t> dst) const;

  // Decoded-instruction cache.
  bool has_code(uint32_t pfn) const { return code_flag_[pfn] != 0; }
  // One byte per page, nonzero if the page holds decoded code (the store fast path
  // with paging off reads it).
  const uint8_t* code_flags() const { return code_flag_.data(); }
  // The page's decoded words, decoding the whole page on first use. `created` is
  // set when this call decoded it (the caller then withdraws fast writes to it).
  // Slot kWordsPerPage holds kPageEndOp.
  const isa::Decoded* decoded_page(uint32_t pfn, bool* created);
  // Re-decodes the words overlapping [pa, pa+len) if their page holds code.
  // Returns true if it did (a "code write").
  bool note_write(uint32_t pa, uint32_t len);

  // Zero all memory and drop all decoded pages.
  void clear();

 private:
  uint32_t size_;
  std::vector<uint8_t> bytes_;
  std::vector<std::unique_ptr<isa::Decoded[]>> code_;  // per physical page, null = no code
  std::vector<uint8_t> code_flag_;                     // per physical page: code_[p] != null
};

// A window [base, base + size) of physical memory, addressed from 0: the whole
// memory for a bare machine, or one guest's guest-physical memory inside the
// host's (the VMM points the page walker and the devices' DMA at it, so a guest
// can never reach past its own region). Shallow: copying it copies the view.
// Addresses are window offsets; every accessor checks them against `size`.
struct MemoryRegion {
  PhysicalMemory* mem = nullptr;
  uint32_t base = 0;  // page-aligned
  uint32_t size = 0;  // page multiple; base + size <= mem->size()
  // If set, write() and write32() append the window page number of every page they
  // change (so a VMM learns which of a guest's pages device DMA overwrote).
  std::vector<uint32_t>* written_pages = nullptr;

  static MemoryRegion all(PhysicalMemory& m) { return {&m, 0, m.size()}; }
  bool contains(uint32_t addr, uint32_t len) const { return addr < size && len <= size - addr; }
  // Unchecked: the caller has checked contains(addr, 4).
  uint32_t read32(uint32_t addr) const { return mem->read32(base + addr); }
  // Checked and coherent (decoded code is re-decoded), like PhysicalMemory's.
  bool write32(uint32_t addr, uint32_t value) const {
    if (!contains(addr, 4)) return false;
    note(addr, 4);
    return mem->write32(base + addr, value);
  }
  bool write(uint32_t addr, std::span<const uint8_t> src) const {
    if (!contains(addr, uint32_t(src.size()))) return false;
    note(addr, uint32_t(src.size()));
    return mem->write(base + addr, src);
  }
  void note(uint32_t addr, uint32_t len) const {
    if (!written_pages || len == 0) return;
    for (uint32_t p = addr >> isa::kPageShift; p <= (addr + len - 1) >> isa::kPageShift; ++p)
      written_pages->push_back(p);
  }
  bool read(uint32_t addr, std::span<uint8_t> dst) const {
    return contains(addr, uint32_t(dst.size())) && mem->read(base + addr, dst);
  }
  // Whether the page holding window address `addr` (< size) holds decoded code.
  bool has_code(uint32_t addr) const { return mem->has_code((base + addr) >> isa::kPageShift); }
};

}  // namespace trapeze::machine
