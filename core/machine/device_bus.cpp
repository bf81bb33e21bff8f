#include "machine/device_bus.h"

#include <algorithm>

namespace trapeze::machine {

using isa::Cause;
using isa::Port;

void DeviceBus::reset() {
  console_.clear();
  disk_.reset();
  blk_.reset();
  ring_.reset();
  stats_ = DeviceStats{.record = stats_.record};
  timer_deadline_ = kNever;
  pending_ = 0;
  irq_blk_ = irq_ring_ = false;
}

uint32_t DeviceBus::in(uint16_t port, Counters& c) {
  ++c.port_in;
  switch (Port(port)) {
    case Port::BLK_SECTOR:
    case Port::BLK_ADDR:
    case Port::BLK_COUNT:
    case Port::BLK_CMD:
    case Port::BLK_STATUS: return blk_.in(Port(port));
    case Port::RING_BASE:
    case Port::RING_STATUS: return ring_.in(Port(port));
    default: return 0;
  }
}

void DeviceBus::out(uint16_t port, uint32_t value, uint64_t now, const CostModel& cost,
                    const MemoryRegion& mem, Counters& c) {
  ++c.port_out;
  switch (Port(port)) {
    case Port::CONSOLE: console_.put(uint8_t(value), c); break;
    case Port::BLK_STATUS:
      blk_.out(Port(port), value, now, cost, c, stats_);
      irq_blk_ = false;  // acknowledged
      if (!irq_ring_) pending_ &= ~line(Cause::DEVICE);
      break;
    case Port::BLK_SECTOR:
    case Port::BLK_ADDR:
    case Port::BLK_COUNT:
    case Port::BLK_CMD:
      if (blk_.out(Port(port), value, now, cost, c, stats_)) {
        irq_blk_ = true;
        pending_ |= line(Cause::DEVICE);
      }
      break;
    case Port::RING_BASE:
    case Port::RING_KICK: ring_.out(Port(port), value, now, cost, mem, c, stats_); break;
    default: break;
  }
}

uint64_t DeviceBus::next_event(uint32_t timer_period) const {
  uint64_t t = std::min(blk_.next_event(), ring_.next_event());
  if (timer_period) t = std::min(t, timer_deadline_);
  return t;
}

void DeviceBus::process_events(uint64_t now, uint32_t timer_period, const MemoryRegion& mem,
                               Counters& c, uint64_t host_now) {
  stats_.now = now;
  stats_.host_now = host_now;
  if (timer_period && timer_deadline_ <= now) {
    if (stats_.record && !(pending_ & line(Cause::TIMER))) {  // a new interrupt, not a merged period
      stats_.timer_raises.push_back(timer_deadline_);
      stats_.timer_raises_host.push_back(stats_.host_time_of(timer_deadline_));
    }
    // Periodic: the next deadline keeps the phase; periods missed while the
    // interrupt was pending merge into one interrupt (each is counted).
    const uint64_t missed = (now - timer_deadline_) / timer_period + 1;
    c.timer_expiries += missed;
    timer_deadline_ += missed * timer_period;
    pending_ |= line(Cause::TIMER);
  }
  if (blk_.next_event() <= now && blk_.complete(disk_, mem, c, stats_)) {
    irq_blk_ = true;
    pending_ |= line(Cause::DEVICE);
  }
  while (ring_.next_event() <= now) {
    if (ring_.complete(disk_, mem, c, stats_)) {
      irq_ring_ = true;
      pending_ |= line(Cause::DEVICE);
    }
  }
}

void DeviceBus::take(Cause c) {
  pending_ &= ~line(c);
  if (c == Cause::DEVICE) irq_blk_ = irq_ring_ = false;
}

}  // namespace trapeze::machine
