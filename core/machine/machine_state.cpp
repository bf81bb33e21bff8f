#include "machine/machine_state.h"

#include <algorithm>

namespace trapeze::machine {
namespace {

// Generous bounds for what a loaded count may be (the document bounds the rest).
constexpr size_t kMaxQueued = size_t(kMaxQueueDepth) + 1;
constexpr size_t kMaxLatencies = size_t(1) << 26;
constexpr size_t kMaxBreakpoints = 1u << 20;

void archive_stats(StateArchive& a, DeviceStats& s) {
  a.u64(s.completed);
  a.u64(s.total_time_in_system);
  a.u64(s.busy_cycles);
  a.u64(s.first_arrival);
  a.u64(s.last_arrival);
  a.u64(s.last_completion);
  auto u64s = [&](std::vector<uint64_t>& v, const char* what) {
    a.sequence(v, kMaxLatencies, 8, what, [](StateArchive& x, uint64_t& e) { x.u64(e); });
  };
  u64s(s.times_in_system, "recorded latencies");
  a.flag(s.record);
  u64s(s.timer_raises, "timer raises");
  u64s(s.timer_raises_host, "timer raises");
  u64s(s.completions, "completions");
  u64s(s.completions_host, "completions");
  a.u64(s.now);
  a.u64(s.host_now);
}

void archive_service(StateArchive& a, ServiceTime& t) {
  a.enumeration(t.kind, ServiceTime::Kind::Exponential, "service-time kind");
  a.u64(t.mean_cycles);
  a.u64(t.seed);
}

}  // namespace

void archive_state(StateArchive& a, CpuState& s) {
  for (uint32_t& r : s.r) a.u32(r);
  a.u32(s.pc);
  a.u32(s.psw);
  a.u32(s.ptr);
  a.u32(s.tvec);
  for (uint32_t& c : s.cr) a.u32(c);
  a.u32(s.timer_period);
}

void archive_state(StateArchive& a, Counters& c) {
#define TRAPEZE_COUNTER_ARCHIVE(name, doc) a.u64(c.name);
  TRAPEZE_MACHINE_COUNTERS(TRAPEZE_COUNTER_ARCHIVE)
#undef TRAPEZE_COUNTER_ARCHIVE
  for (uint64_t& t : c.traps) a.u64(t);
  for (uint64_t& t : c.vm_exits_by_reason) a.u64(t);
}

void archive_state(StateArchive& a, DeviceBus& bus) { StateAccess::bus(a, bus); }
void archive_state(StateArchive& a, Machine& m) { StateAccess::machine(a, m); }

void StateAccess::console(StateArchive& a, Console& c) {
  a.expect(c.limit_, "console limit");
  a.string(c.out_, c.limit_, "console bytes");
}

void StateAccess::sampler(StateArchive& a, ServiceSampler& s) {
  archive_service(a, s.t_);
  a.u64(s.state_);
}

void StateAccess::block(StateArchive& a, BlockDevice& d) {
  a.tag("BLKD");
  a.u32(d.config_.queue_depth);
  archive_service(a, d.config_.service);
  a.flag(d.config_.record_latencies);
  sampler(a, d.sampler_);
  a.u32(d.sector_);
  a.u32(d.addr_);
  a.u32(d.count_);
  a.u32(d.op_);
  a.enumeration(d.status_, BlockStatus::Error, "block-device status");
  auto request = [](StateArchive& x, BlockDevice::Request& r) {
    x.u32(r.sector);
    x.u32(r.addr);
    x.u32(r.count);
    x.u32(r.op);
    x.u64(r.arrival);
    x.u64(r.service);
  };
  request(a, d.current_);
  a.sequence(d.queue_, kMaxQueued, 32, "queued block requests", request);
  a.u64(d.done_at_);
}

void StateAccess::ring(StateArchive& a, PvRing& r) {
  a.tag("RING");
  archive_service(a, r.service_);
  sampler(a, r.sampler_);
  a.u32(r.base_);
  a.u32(r.generation_);
  a.u32(r.taken_);
  a.u32(r.completed_);
  a.sequence(r.batches_, PvRing::kMaxBatchesInFlight + 1, 32, "ring batches",
             [](StateArchive& x, PvRing::Batch& b) {
               x.u64(b.kicked_at);
               x.u64(b.done_at);
               x.u32(b.base);
               x.u32(b.size);
               x.u32(b.generation);
               x.u32(b.end_index);
               x.sequence(b.requests, PvRing::kMaxSize, 20, "ring requests",
                          [](StateArchive& y, PvRing::Request& q) {
                            y.u32(q.index);
                            y.u32(q.op);
                            y.u32(q.sector);
                            y.u32(q.addr);
                            y.u32(q.count);
                          });
             });
}

// Only the sectors a guest changed: most of a disk is never written, and every
// rewind checkpoint saves every disk (four guests' 1 MiB disks were most of a
// checkpoint's 9 MB). Layout 1 saved every byte.
void StateAccess::disk(StateArchive& a, Disk& d) {
  if (a.loading() && a.layout() < 2) {
    a.fixed_bytes(d.bytes());
    return;
  }
  uint32_t changed = 0;
  if (a.saving())
    for (uint32_t s = 0; s < d.sectors(); ++s) changed += d.initial(s) ? 0 : 1;
  changed = uint32_t(a.count(changed, d.sectors(), isa::kSectorSize + 4, "changed disk sectors"));
  if (!a.ok()) return;
  if (a.loading()) d.reset();
  uint32_t next = 0;  // saving: the sector to look at next; loading: the least allowed
  for (uint32_t i = 0; i < changed && a.ok(); ++i) {
    uint32_t s = next;
    if (a.saving())
      while (d.initial(s)) ++s;
    a.u32(s);
    if (a.loading() && (s < next || s >= d.sectors())) {
      a.fail("changed disk sector " + std::to_string(s) + " out of order or past the disk's " +
             std::to_string(d.sectors()));
      return;
    }
    a.fixed_bytes(std::span<uint8_t>(d.bytes().data() + size_t(s) * isa::kSectorSize, isa::kSectorSize));
    next = s + 1;
  }
}

void StateAccess::bus(StateArchive& a, DeviceBus& b) {
  a.tag("DEVS");
  console(a, b.console_);
  a.expect(b.disk_.sectors(), "disk sectors");
  disk(a, b.disk_);
  block(a, b.blk_);
  ring(a, b.ring_);
  archive_stats(a, b.stats_);
  a.u64(b.timer_deadline_);
  a.u32(b.pending_);
  a.flag(b.irq_blk_);
  a.flag(b.irq_ring_);
}

void StateAccess::tlb(StateArchive& a, Tlb& t, PhysicalMemory& mem) {
  a.tag("TLB ");
  a.expect(t.entries_.size(), "TLB entries");
  a.expect(t.ways_, "TLB ways");
  for (TlbEntry& e : t.entries_) {
    a.flag(e.valid);
    a.u16(e.tag);
    a.u32(e.vpn);
    a.u32(e.pfn);
    a.flag(e.writable);
    a.flag(e.user);
    a.flag(e.dirty);
  }
  for (uint32_t& f : t.fifo_) {
    a.u32(f);
    if (a.loading() && f >= t.ways_) a.fail("bad TLB victim way " + std::to_string(f));
  }
  // The fast slots: a cache of entries, but whether a lookup finds one there is
  // timing-free, so they are saved exactly rather than trusted to be rebuilt.
  for (uint32_t i = 0; i < Tlb::kFastSlots; ++i) {
    Tlb::FastSlot& s = t.fast_[i];
    for (uint32_t& k : s.read_key) a.u32(k);
    for (uint32_t& k : s.write_key) a.u32(k);
    a.u32(t.fast_pfn_[i]);
    if (a.loading()) s.host = t.fast_pfn_[i] < mem.pages() ? mem.frame(t.fast_pfn_[i]) : nullptr;
    if (a.loading() && !s.host &&
        (s.read_key[0] != Tlb::kInvalidKey || s.read_key[1] != Tlb::kInvalidKey ||
         s.write_key[0] != Tlb::kInvalidKey || s.write_key[1] != Tlb::kInvalidKey))
      a.fail("a TLB fast slot maps frame " + std::to_string(t.fast_pfn_[i]) + ", outside memory");
  }
}

void StateAccess::machine(StateArchive& a, Machine& m) {
  a.tag("MACH");
  archive_state(a, m.state_);
  // Physical memory, then the pages that hold decoded code: decoding them again
  // from the bytes gives what was cached, and keeps Counters::decoded_pages true.
  a.expect(m.mem_.size(), "memory bytes");
  std::vector<uint32_t> code;
  if (a.saving())
    for (uint32_t p = 0; p < m.mem_.pages(); ++p)
      if (m.mem_.has_code(p)) code.push_back(p);
  if (a.loading()) m.mem_.clear();
  a.fixed_bytes(std::span<uint8_t>(m.mem_.data(), m.mem_.size()));
  a.u32s(code, m.mem_.pages(), "decoded pages");
  if (a.loading() && a.ok())
    for (uint32_t p : code) {
      if (p >= m.mem_.pages()) return a.fail("decoded page " + std::to_string(p) + " outside memory");
      bool created = false;
      m.mem_.decoded_page(p, &created);
    }
  tlb(a, m.tlb_, m.mem_);
  archive_state(a, m.counters_);
  a.u64(m.vm_transition_cycles_);
  for (uint32_t& c : m.cost_.cycles) a.u32(c);
  if (a.loading()) m.recompute_op_costs();
  a.u32(m.intercept_);
  a.u32(m.tag_);
  if (a.loading() && m.tag_ > kMaxAddressSpaceTag) a.fail("bad TLB tag " + std::to_string(m.tag_));
  a.flag(m.halted_);
  a.flag(m.stop_at_fixed_point_);
  a.u32(m.root_window_.window);
  a.u32(m.root_window_.base);
  a.u32(m.root_window_.size);
  bus(a, m.bus_);
  // The fetch latch: which page execution is in. Kept, because entering another
  // page is an instruction-TLB lookup (counted).
  a.u64(m.fetch_page_);
  a.u32(m.fetch_pfn_);
  if (a.loading() && a.ok()) {
    if (m.fetch_page_ == Machine::kNoFetchPage) {
      m.fetch_slots_ = nullptr;
    } else if (m.fetch_page_ > 0xffffffffu || (m.fetch_page_ & (isa::kPageSize - 1)) != 0) {
      // The run loop steps through the latched page's slots from its start.
      return a.fail("the fetch latch names address " + std::to_string(m.fetch_page_) +
                    ", not the start of a page");
    } else if (m.fetch_pfn_ >= m.mem_.pages() || !m.mem_.has_code(m.fetch_pfn_)) {
      return a.fail("the fetch latch names frame " + std::to_string(m.fetch_pfn_) +
                    ", not decoded code");
    } else {
      bool created = false;
      m.fetch_slots_ = m.mem_.decoded_page(m.fetch_pfn_, &created);
    }
  }
  // Guest mode.
  a.flag(m.vm_.active);
  a.flag(m.vm_.by_insn);
  a.flag(m.vm_.nested);
  a.u32(m.vm_.vmcb);
  a.u32(m.vm_.controls);
  a.u32(m.vm_.nested_root);
  a.u32(m.vm_.asid);
  archive_state(a, m.vm_.host);
  a.u32(m.vm_.host_tag);
  a.u32(m.cr_slow_);
  a.u32(m.nested_fault_gpa_);
  a.u32s(m.breakpoints_, kMaxBreakpoints, "breakpoints");
  for (HoleRecord& h : m.holes_) {
    a.u64(h.seq);
    a.u32(h.pc);
    a.u32(h.word);
    a.u32(h.value);
  }
  if (a.loading()) m.recheck();
}

}  // namespace trapeze::machine
