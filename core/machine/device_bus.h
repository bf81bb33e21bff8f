// Everything outside the processor that one machine has: the timer, the console,
// the disk with its block device and request ring, the port map that reaches them,
// and the two interrupt lines they assert. Time is the architectural clock
// (Counters::arch_cycles).
//
// The bare Machine owns one bus for its physical memory. The VMM owns one per
// guest, with the DMA pointed at the guest's region of host memory and the clock
// being the guest's virtual clock: the guest's virtual devices are then the same
// models, with the same timing, as on bare metal.
#pragma once

#include <algorithm>
#include <cstdint>

#include "isa/isa.h"
#include "machine/cost_model.h"
#include "machine/counters.h"
#include "machine/devices.h"
#include "machine/physical_memory.h"

namespace trapeze::machine {

class DeviceBus {
 public:
  static constexpr uint64_t kNever = ~uint64_t(0);
  static constexpr uint32_t line(isa::Cause c) { return 1u << unsigned(c); }

  DeviceBus(uint32_t disk_sectors, uint32_t console_limit, const BlockDeviceConfig& block = {})
      : console_(console_limit), disk_(disk_sectors), blk_(block), ring_(block.service) {
    stats_.record = block.record_latencies;
  }
  void reset();

  // ---- ports (isa/ports.h); unassigned ports read 0 and ignore writes ----------
  // Both count the access (port_in / port_out). `now`: after the instruction's own cost.
  uint32_t in(uint16_t port, Counters& c);
  void out(uint16_t port, uint32_t value, uint64_t now, const CostModel& cost,
           const MemoryRegion& mem, Counters& c);

  // ---- the timer: periodic, `period` from the processor's timer register ------
  // First expiry `period` cycles after `now` (ldtimer), then every period; 0 stops it.
  void set_timer(uint32_t period, uint64_t now) {
    timer_deadline_ = period ? now + period : kNever;
  }
  uint64_t timer_deadline() const { return timer_deadline_; }

  // The earliest time something is due (timer expiry, a device completion).
  uint64_t next_event(uint32_t timer_period) const;
  // The earliest device completion (block request, ring batch), kNever if no device
  // work is in flight: the only events that change memory.
  uint64_t next_completion() const { return std::min(blk_.next_event(), ring_.next_event()); }
  // Everything due at or before `now`: timer expiries (periods missed while the
  // interrupt was pending merge into one interrupt, each counted), device
  // completions with their DMA. Sets the interrupt lines.
  // `host_now`: the owner's host time now, for the stats' host times (the machine's
  // own: c.cycles; the VMM passes the host cycles the guest has consumed).
  void process_events(uint64_t now, uint32_t timer_period, const MemoryRegion& mem, Counters& c) {
    process_events(now, timer_period, mem, c, c.cycles);
  }
  void process_events(uint64_t now, uint32_t timer_period, const MemoryRegion& mem, Counters& c,
                      uint64_t host_now);

  // ---- interrupt lines (line(TIMER), line(DEVICE)) ---------------------------------
  uint32_t pending() const { return pending_; }
  void post(isa::Cause c) {
    if (isa::is_interrupt(c)) pending_ |= line(c);
  }
  // Taking an interrupt clears its line (DEVICE: both devices' parts).
  void take(isa::Cause c);

  // ---- the device models -------------------------------------------------------
  const std::string& console() const { return console_.output(); }
  // A byte for the console from a para-virtual console write (no port access).
  void console_put(uint8_t byte, Counters& c) { console_.put(byte, c); }
  void console_write(std::span<const uint8_t> bytes, Counters& c) { console_.write(bytes, c); }
  Disk& disk() { return disk_; }
  const Disk& disk() const { return disk_; }
  BlockStatus block_status() const { return blk_.status(); }
  // The block device's and the ring's requests, for experiments.
  const DeviceStats& stats() const { return stats_; }

 private:
  friend struct StateAccess;  // saving and loading its state (machine_state.h)
  Console console_;
  Disk disk_;
  BlockDevice blk_;
  PvRing ring_;
  DeviceStats stats_;
  uint64_t timer_deadline_ = kNever;
  uint32_t pending_ = 0;                     // interrupt lines asserted
  bool irq_blk_ = false, irq_ring_ = false;  // which devices assert DEVICE
};

}  // namespace trapeze::machine
