#include "vmm/consistency.h"

#include <algorithm>
#include <array>
#include <cmath>
#include <cstdio>
#include <cstring>
#include <span>
#include <numeric>

namespace trapeze::vmm {

namespace pte = isa::pte;
using isa::kPageSize;

namespace {

std::string hex(uint64_t v) {
  char buf[24];
  std::snprintf(buf, sizeof buf, "0x%llx", static_cast<unsigned long long>(v));
  return buf;
}

std::string at(size_t guest) { return "guest " + std::to_string(guest) + ": "; }


// Where a virtualized guest's memory and its VMM-area pages sit.
bool in_region(const GuestPlacement& p, uint64_t frame_addr) {
  return frame_addr >= p.region_base && frame_addr < uint64_t(p.region_base) + p.region_size;
}

std::string check_placements(const Vmm& vmm) {
  const uint32_t host_size = vmm.host().memory_size();
  uint64_t vmm_area_end = kPageSize;  // page 0: the VMM's own
  std::vector<const GuestPlacement*> placed;
  for (size_t i = 0; i < vmm.guest_count(); ++i) {
    const GuestPlacement* p = vmm.placement(i);
    const Guest& g = vmm.guest(i);
    if (!p) {
      if (g.strategy->uses_host())
        return at(i) + "runs on the host but has no placement";
      continue;
    }
    if (p->region_size != g.config.memory_bytes)
      return at(i) + "region size " + hex(p->region_size) + " is not its memory size";
    if (p->region_base % kPageSize || uint64_t(p->region_base) + p->region_size > host_size)
      return at(i) + "region " + hex(p->region_base) + " is not inside host memory";
    if (g.memory.mem != &vmm.host().memory() || g.memory.base != p->region_base ||
        g.memory.size != p->region_size)
      return at(i) + "its memory view is not its region";
    if (p->physmap_pages != physical_map_pages(p->region_size))
      return at(i) + "physical map of the wrong size";
    vmm_area_end = std::max<uint64_t>(vmm_area_end, uint64_t(p->control_block) + kPageSize);
    placed.push_back(p);
  }
  for (size_t a = 0; a < placed.size(); ++a) {
    if (placed[a]->region_base < vmm_area_end)
      return "a guest region at " + hex(placed[a]->region_base) + " overlaps the VMM area";
    for (size_t b = a + 1; b < placed.size(); ++b) {
      const uint64_t a0 = placed[a]->region_base, a1 = a0 + placed[a]->region_size;
      const uint64_t b0 = placed[b]->region_base, b1 = b0 + placed[b]->region_size;
      if (a0 < b1 && b0 < a1) return "guest regions at " + hex(a0) + " and " + hex(b0) + " overlap";
    }
  }
  return "";
}

// The physical map maps guest page n to region_base + n * 4 KiB and nothing else.
// (Read straight from host memory: the fuzzers run this after every slice.)
std::string check_physical_map(const Vmm& vmm, size_t i, const GuestPlacement& p) {
  static const std::array<uint8_t, kPageSize> kZero{};
  const uint8_t* mem = vmm.host().memory().data();
  auto word = [&](uint32_t addr) { return machine::load_le32(mem + addr); };
  const uint32_t pages = p.region_size / kPageSize;
  const uint32_t tables = p.physmap_pages - 1;
  if (std::memcmp(mem + p.physmap_base + 4 * tables, kZero.data(), kPageSize - 4 * tables))
    return at(i) + "physical map has L1 entries past its own L2 tables";
  for (uint32_t t = 0; t < tables; ++t) {
    const uint32_t l1 = word(p.physmap_base + 4 * t);
    const uint32_t l2 = p.physmap_base + (1 + t) * kPageSize;
    if (!(l1 & pte::P) || (l1 & pte::FRAME) != l2)
      return at(i) + "physical map L1[" + std::to_string(t) + "] = " + hex(l1) +
             " is not its own L2 table";
    const uint32_t here = std::min<uint32_t>(1024, pages - t * 1024);
    for (uint32_t k = 0; k < here; ++k) {
      const uint32_t n = t * 1024 + k;
      const uint32_t e = word(l2 + 4 * k);
      if (!(e & pte::P) || (e & pte::FRAME) != p.region_base + n * kPageSize)
        return at(i) + "physical map: guest page " + hex(n) + " -> " + hex(e) +
               ", not its own frame";
    }
    if (std::memcmp(mem + l2 + 4 * here, kZero.data(), kPageSize - 4 * here))
      return at(i) + "physical map maps guest pages past its memory";
  }
  return "";
}

// Every TLB entry tagged with one of a guest's tags maps into that guest's region.
// (Tags no guest owns are each strategy's business: Strategy::check.)
std::string check_tlb(const Vmm& vmm) {
  for (const machine::TlbEntry& e : vmm.host().tlb_entries()) {
    if (!e.valid) continue;
    for (size_t i = 0; i < vmm.guest_count(); ++i) {
      const GuestPlacement* p = vmm.placement(i);
      if (!p || e.tag < p->tag_base || e.tag >= p->tag_base + kTagsPerGuest) continue;
      if (!in_region(*p, uint64_t(e.pfn) << isa::kPageShift))
        return at(i) + "TLB entry (tag " + std::to_string(e.tag) + ", page " +
               hex(uint64_t(e.vpn) << isa::kPageShift) + ") maps host frame " +
               hex(uint64_t(e.pfn) << isa::kPageShift) + " outside its region";
    }
  }
  return "";
}

std::string check_counters(const Vmm& vmm) {
  uint64_t charged = 0;
  double share = 0;
  bool any_virtualized = false;
  for (size_t i = 0; i < vmm.guest_count(); ++i) {
    const Guest& g = vmm.guest(i);
    const VmmCounters& v = g.counters.vmm;
    const machine::Counters& m = g.counters.machine;
    if (v.vmm_cycles > m.cycles) return at(i) + "VMM cycles exceed its cycles";
    if (g.counters.accounting.total() != m.cycles)
      return at(i) + "its cycle accounting adds up to " +
             std::to_string(g.counters.accounting.total()) + ", not its " +
             std::to_string(m.cycles) + " cycles";
    if (std::accumulate(v.reflected_by_cause.begin(), v.reflected_by_cause.end(), uint64_t(0)) !=
        v.reflected)
      return at(i) + "reflected_by_cause does not add up to reflected";
    if (std::accumulate(v.emulated_by_op.begin(), v.emulated_by_op.end(), uint64_t(0)) !=
        v.emulated)
      return at(i) + "emulated_by_op does not add up to emulated";
    const uint64_t interrupts = v.reflected_by_cause[size_t(isa::Cause::TIMER)] +
                                v.reflected_by_cause[size_t(isa::Cause::DEVICE)];
    if (v.virtual_interrupts != interrupts)
      return at(i) + "virtual_interrupts is not the TIMER and DEVICE reflections";
    if (v.reflected_faults > v.reflected_by_cause[size_t(isa::Cause::PAGE_FAULT)])
      return at(i) + "more reflected faults than reflected page faults";
    const uint64_t by_number = v.hc_console_write + v.hc_get_psw + v.hc_set_psw + v.hc_set_ptr +
                               v.hc_mmu_update + v.hc_set_tvec + v.hc_iret + v.hc_set_timer +
                               v.hc_tlb_flush + v.hc_io_kick + v.hc_yield + v.hc_halt +
                               v.hc_unknown;
    if (by_number != v.hypercalls) return at(i) + "the hc_* counters do not add up to hypercalls";
    if (g.state == GuestState::Ready ? !g.reason.empty()
                                     : g.state != GuestState::Halted && g.reason.empty())
      return at(i) + "state " + std::string(guest_state_name(g.state)) + " with reason \"" +
             g.reason + "\"";
    if (!g.strategy->uses_host()) continue;
    any_virtualized = true;
    charged += m.cycles;
    const double u = vmm.utilization(i);
    if (!(u >= 0.0 && u <= 1.0)) return at(i) + "utilization outside [0, 1]";
    share += u;
  }
  // Every host cycle is charged to exactly one guest.
  if (charged != vmm.host_cycles())
    return "the guests were charged " + std::to_string(charged) + " cycles, the host ran " +
           std::to_string(vmm.host_cycles());
  if (any_virtualized && vmm.host_cycles() > 0 && std::fabs(share - 1.0) > 1e-6)
    return "utilizations sum to " + std::to_string(share) + ", not 1";
  if (vmm.events().size() > vmm.events().capacity()) return "the event log outgrew its capacity";
  return "";
}

}  // namespace

std::string check_consistency(const Vmm& vmm) {
  if (std::string e = check_placements(vmm); !e.empty()) return e;
  for (size_t i = 0; i < vmm.guest_count(); ++i)
    if (const GuestPlacement* p = vmm.placement(i))
      if (std::string e = check_physical_map(vmm, i, *p); !e.empty()) return e;
  if (std::string e = check_tlb(vmm); !e.empty()) return e;
  if (std::string e = check_counters(vmm); !e.empty()) return e;
  if (vmm.current() >= 0 && !vmm.guest(size_t(vmm.current())).strategy->uses_host())
    return "the host CPU holds a guest that does not run on it";
  for (size_t i = 0; i < vmm.guest_count(); ++i)
    if (std::string e = vmm.guest(i).strategy->check(); !e.empty()) return at(i) + e;
  return "";
}

namespace {

std::span<const uint8_t> host_bytes(const Vmm& vmm, uint32_t base, uint32_t size) {
  return {vmm.host().memory().data() + base, size};
}

// A virtualized guest's VMM-area pages (physical map, shadow pool, control block:
// contiguous) and its region.
std::span<const uint8_t> vmm_area(const Vmm& vmm, const GuestPlacement& p) {
  return host_bytes(vmm, p.physmap_base, p.control_block + kPageSize - p.physmap_base);
}
std::span<const uint8_t> region(const Vmm& vmm, const GuestPlacement& p) {
  return host_bytes(vmm, p.region_base, p.region_size);
}

bool equal(std::span<const uint8_t> a, std::span<const uint8_t> b) {
  return a.size() == b.size() && std::memcmp(a.data(), b.data(), a.size()) == 0;
}

}  // namespace

ConsistencyChecker::ConsistencyChecker(const Vmm& vmm) : frozen_(vmm.guest_count()) {
  const auto page = host_bytes(vmm, 0, kPageSize);
  vmm_page_.assign(page.begin(), page.end());
}

std::string ConsistencyChecker::check(const Vmm& vmm) {
  if (std::string e = check_consistency(vmm); !e.empty()) return e;
  if (!equal(host_bytes(vmm, 0, kPageSize), vmm_page_)) return "the VMM's own page was written";
  for (size_t i = 0; i < vmm.guest_count(); ++i) {
    const GuestPlacement* p = vmm.placement(i);
    if (!p || vmm.guest(i).ready()) continue;
    const auto area = vmm_area(vmm, *p), mem = region(vmm, *p);
    std::vector<uint8_t>& f = frozen_[i];
    if (f.empty()) {  // it has just stopped
      f.assign(area.begin(), area.end());
      f.insert(f.end(), mem.begin(), mem.end());
    } else if (!equal(area, std::span(f).first(area.size())) ||
               !equal(mem, std::span(f).subspan(area.size()))) {
      return at(i) + "its memory changed after it stopped running";
    }
  }
  return "";
}

}  // namespace trapeze::vmm
