// Output: bytes go into regions (a new one at each .org), and each assembled
// line's bytes into the listing; at the end, regions become the Program's
// segments, with overlapping regions reported.
#include <algorithm>
#include <cstdio>

#include "asm/assembly.h"

namespace trapeze::assembler {
namespace {

constexpr uint64_t kMemoryEnd = uint64_t(1) << 32;

std::string hex32(uint64_t v) {
  char buf[24];
  std::snprintf(buf, sizeof buf, "0x%08llx", static_cast<unsigned long long>(v));
  return buf;
}

}  // namespace

bool Assembly::reserve(const Line& line, int col, uint64_t n) {
  if (n > kMemoryEnd - address_) {
    error(line, col, "output runs past the end of memory (0xffffffff)");
    return false;
  }
  if (n > options_.max_output_bytes - std::min<uint64_t>(emitted_, options_.max_output_bytes)) {
    error(line, col,
          "output too large: more than " + std::to_string(options_.max_output_bytes) + " bytes");
    return false;
  }
  return true;
}

void Assembly::emit(const Line& line, std::span<const uint8_t> bytes) {
  if (pass_ == 2) {
    if (!region_open_) {
      regions_.push_back(
          {uint32_t(address_), {}, line.file, line.number, statement_col_, line.seq});
      region_open_ = true;
    }
    regions_.back().bytes.insert(regions_.back().bytes.end(), bytes.begin(), bytes.end());
    if (listing_open_)
      listing_.back().bytes.insert(listing_.back().bytes.end(), bytes.begin(), bytes.end());
  }
  address_ += bytes.size();
  emitted_ += bytes.size();
}

void Assembly::emit_fill(const Line& line, uint64_t n, uint8_t fill) {
  // In chunks, so that a large .space never needs a second buffer of its size.
  if (pass_ == 1) {  // pass 1 only counts
    address_ += n;
    emitted_ += n;
    return;
  }
  uint8_t chunk[4096];
  std::fill_n(chunk, std::min<uint64_t>(n, sizeof chunk), fill);
  while (n > 0) {
    const uint64_t k = std::min<uint64_t>(n, sizeof chunk);
    emit(line, {chunk, size_t(k)});
    n -= k;
  }
}

void Assembly::emit_word(const Line& line, uint32_t word) {
  const uint8_t bytes[4] = {uint8_t(word), uint8_t(word >> 8), uint8_t(word >> 16),
                            uint8_t(word >> 24)};
  emit(line, bytes);
}

void Assembly::set_address(uint32_t address) {
  address_ = address;
  region_open_ = false;
}

void Assembly::begin_listing(const Line& line) {
  if (pass_ != 2) return;
  listing_.push_back({uint32_t(address_), {}, *line.file, line.number, line.text, line.main_line});
  listing_open_ = true;
}

void Assembly::end_listing() {
  if (!listing_open_) return;
  // A line without bytes shows the address after it (so `.org 0x100` shows 0x100).
  if (listing_.back().bytes.empty()) listing_.back().address = uint32_t(address_);
  listing_open_ = false;
}

void Assembly::finish(Program& program) {
  std::vector<const Region*> sorted;
  for (const Region& r : regions_) sorted.push_back(&r);
  std::stable_sort(sorted.begin(), sorted.end(),
                   [](const Region* a, const Region* b) { return a->base < b->base; });

  // Overlaps: each region against the one reaching furthest so far; the error goes
  // to whichever of the two comes later in the source.
  const Region* furthest = nullptr;
  auto end_of = [](const Region* r) { return uint64_t(r->base) + r->bytes.size(); };
  for (const Region* r : sorted) {
    if (furthest && r->base < end_of(furthest)) {
      const Region* later = r->seq > furthest->seq ? r : furthest;
      const Region* other = later == r ? furthest : r;
      const uint64_t overlap_end = std::min(end_of(r), end_of(furthest));
      report(later->file, later->line, later->col,
             "overlapping output at " + hex32(r->base) + ".." + hex32(overlap_end - 1) +
                 " (also written by " + *other->file + ":" + std::to_string(other->line) + ")",
             later->seq);
    }
    if (!furthest || end_of(r) > end_of(furthest)) furthest = r;
  }

  for (const Region* r : sorted) {
    Segment* last = program.segments.empty() ? nullptr : &program.segments.back();
    if (last && uint64_t(last->base) + last->bytes.size() == r->base)
      last->bytes.insert(last->bytes.end(), r->bytes.begin(), r->bytes.end());
    else
      program.segments.push_back({r->base, r->bytes});
  }

  for (const auto& [name, def] : symbols_)
    if (def.known)
      program.symbols.push_back({name, uint32_t(def.value), def.is_label, *def.file, def.line});

  const auto start = symbols_.find("_start");
  if (start != symbols_.end() && start->second.known)
    program.entry = uint32_t(start->second.value);
  else if (!program.segments.empty())
    program.entry = program.segments.front().base;

  program.listing = std::move(listing_);
}

}  // namespace trapeze::assembler
