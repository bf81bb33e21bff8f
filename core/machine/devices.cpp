#include "machine/devices.h"

#include <algorithm>
#include <array>
#include <cstring>
#include <cmath>

namespace trapeze::machine {

using isa::Port;

// ---------------------------------------------------------------------------------
// Disk

Disk::Disk(uint32_t sectors) : sectors_(sectors), bytes_(size_t(sectors) * isa::kSectorSize) {
  reset();
}

uint8_t Disk::initial_byte(uint32_t sector, uint32_t k) {
  if (k < 4) return uint8_t(sector >> (8 * k));
  return uint8_t(sector + k);
}

// Byte k >= 4 of sector s is (s + k) & 0xFF: a slice of one ramp, copied a sector
// at a time (every Vmm and every test machine fills its disk: byte by byte it was
// most of a short run's set-up).
void Disk::reset() {
  std::array<uint8_t, 256 + isa::kSectorSize> ramp;
  for (size_t i = 0; i < ramp.size(); ++i) ramp[i] = uint8_t(i);
  for (uint32_t s = 0; s < sectors_; ++s) {
    uint8_t* sector = bytes_.data() + size_t(s) * isa::kSectorSize;
    for (uint32_t k = 0; k < 4; ++k) sector[k] = initial_byte(s, k);
    std::memcpy(sector + 4, ramp.data() + (s & 0xFF) + 4, isa::kSectorSize - 4);
  }
}

bool Disk::transfer(BlockOp op, uint32_t sector, uint32_t addr, uint32_t count,
                    const MemoryRegion& mem, Counters& c) {
  if (count == 0 || count > kMaxSectorsPerRequest) return false;
  if (sector >= sectors_ || count > sectors_ - sector) return false;
  const uint32_t len = count * isa::kSectorSize;
  if (!mem.contains(addr, len)) return false;
  uint8_t* disk = bytes_.data() + size_t(sector) * isa::kSectorSize;
  if (op == BlockOp::Read) {
    mem.write(addr, std::span<const uint8_t>(disk, len));
    if (mem.has_code(addr) || mem.has_code(addr + len - 1)) ++c.code_writes;
    c.blk_sectors_read += count;
  } else {
    mem.read(addr, std::span<uint8_t>(disk, len));
    c.blk_sectors_written += count;
  }
  return true;
}

// ---------------------------------------------------------------------------------
// Service times

uint64_t ServiceSampler::next(const CostModel& cost, uint32_t count) {
  const uint64_t fixed = request_service_cycles(cost, count);
  if (t_.kind == ServiceTime::Kind::Fixed) return fixed;
  // splitmix64, then the top 53 bits as u in [0, 1); -mean * ln(1 - u).
  uint64_t z = (state_ += 0x9e3779b97f4a7c15ull);
  z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ull;
  z = (z ^ (z >> 27)) * 0x94d049bb133111ebull;
  z ^= z >> 31;
  const double u = double(z >> 11) * 0x1.0p-53;
  const double mean = double(t_.mean_cycles ? t_.mean_cycles : fixed);
  return std::max<uint64_t>(1, uint64_t(std::llround(-mean * std::log1p(-u))));
}

// ---------------------------------------------------------------------------------
// Block device

uint32_t BlockDevice::in(Port port) const {
  switch (port) {
    case Port::BLK_SECTOR: return sector_;
    case Port::BLK_ADDR: return addr_;
    case Port::BLK_COUNT: return count_;
    case Port::BLK_CMD: return op_;
    case Port::BLK_STATUS: return uint32_t(status_);
    default: return 0;
  }
}

uint64_t BlockDevice::service(const CostModel& cost, uint32_t count) {
  return sampler_.next(cost, count <= kMaxSectorsPerRequest ? count : 0);
}

bool BlockDevice::out(Port port, uint32_t value, uint64_t now, const CostModel& cost, Counters& c,
                      DeviceStats& stats) {
  switch (port) {
    case Port::BLK_SECTOR: sector_ = value; return false;
    case Port::BLK_ADDR: addr_ = value; return false;
    case Port::BLK_COUNT: count_ = value; return false;
    case Port::BLK_STATUS:  // acknowledge
      if (status_ == BlockStatus::Done || status_ == BlockStatus::Error) status_ = BlockStatus::Idle;
      return false;
    case Port::BLK_CMD:
      if (status_ == BlockStatus::Busy) {
        if (queue_.size() + 1 >= config_.queue_depth) {
          ++c.blk_rejected;
          return false;
        }
        ++c.blk_requests;
        stats.arrive(now);
        queue_.push_back({sector_, addr_, count_, value, now, service(cost, count_)});  // checked when it completes
        return false;
      }
      ++c.blk_requests;
      op_ = value;
      if (!Disk::valid_shape(op_, count_)) {  // malformed: fails at once
        status_ = BlockStatus::Error;
        ++c.blk_errors;
        return true;
      }
      stats.arrive(now);
      start({sector_, addr_, count_, op_, now, service(cost, count_)}, now, stats);
      return false;
    default: return false;
  }
}

void BlockDevice::start(const Request& r, uint64_t at, DeviceStats& stats) {
  current_ = r;
  status_ = BlockStatus::Busy;
  stats.busy_cycles += r.service;
  done_at_ = at + r.service;
}

bool BlockDevice::complete(Disk& disk, const MemoryRegion& mem, Counters& c, DeviceStats& stats) {
  const Request& r = current_;
  const bool ok = Disk::valid_shape(r.op, r.count) &&
                  disk.transfer(BlockOp(r.op), r.sector, r.addr, r.count, mem, c);
  status_ = ok ? BlockStatus::Done : BlockStatus::Error;
  if (!ok) ++c.blk_errors;
  stats.complete(r.arrival, done_at_);
  if (!queue_.empty()) {  // the next one starts when this one is done
    const Request next = queue_.front();
    queue_.pop_front();
    start(next, done_at_, stats);
  }
  return true;
}

// ---------------------------------------------------------------------------------
// Para-virtual ring

uint32_t PvRing::in(Port port) const {
  switch (port) {
    case Port::RING_BASE: return base_;
    case Port::RING_STATUS: return completed_;
    default: return 0;
  }
}

void PvRing::out(Port port, uint32_t value, uint64_t now, const CostModel& cost,
                 const MemoryRegion& mem, Counters& c, DeviceStats& stats) {
  if (port == Port::RING_BASE) {
    // A new ring: indices restart at 0 (the driver zeroes producer and consumer).
    // Batches in flight still complete, into the old ring's memory.
    base_ = value;
    taken_ = completed_ = 0;
    ++generation_;
    return;
  }
  if (port != Port::RING_KICK) return;
  ++c.ring_kicks;
  if ((base_ & 3) || !mem.contains(base_, kHeaderBytes)) {
    ++c.ring_errors;
    return;
  }
  const uint32_t size = mem.read32(base_);
  const uint32_t producer = mem.read32(base_ + 4);
  // Outstanding (posted, not completed) descriptors can never exceed the ring's size.
  if (size == 0 || size > kMaxSize || !mem.contains(base_, kHeaderBytes + size * kDescriptorBytes) ||
      producer - completed_ > size || producer - taken_ > size) {
    ++c.ring_errors;
    return;
  }
  if (producer == taken_) return;  // nothing new
  if (batches_.size() >= kMaxBatchesInFlight) {
    ++c.ring_errors;
    return;
  }
  Batch b;
  uint64_t service = 0;
  for (uint32_t i = taken_; i != producer; ++i) {
    const uint32_t d = base_ + kHeaderBytes + (i % size) * kDescriptorBytes;
    Request r{i, mem.read32(d), mem.read32(d + 4), mem.read32(d + 8), mem.read32(d + 12)};
    service += sampler_.next(cost, r.count <= kMaxSectorsPerRequest ? r.count : 0);
    b.requests.push_back(r);
  }
  stats.arrive(now);
  stats.busy_cycles += service;
  b.kicked_at = now;
  // Batches are serviced one after another.
  const uint64_t start = batches_.empty() ? now : std::max(now, batches_.back().done_at);
  b.done_at = start + service;
  b.base = base_;
  b.size = size;
  b.generation = generation_;
  b.end_index = producer;
  taken_ = producer;
  batches_.push_back(std::move(b));
}

bool PvRing::complete(Disk& disk, const MemoryRegion& mem, Counters& c, DeviceStats& stats) {
  Batch b = std::move(batches_.front());
  batches_.pop_front();
  for (const Request& r : b.requests) {
    const bool ok = Disk::valid_shape(r.op, r.count) &&
                    disk.transfer(BlockOp(r.op), r.sector, r.addr, r.count, mem, c);
    if (!ok) ++c.ring_errors;
    const uint32_t d = b.base + kHeaderBytes + (r.index % b.size) * kDescriptorBytes;
    mem.write32(d + 16, uint32_t(ok ? BlockStatus::Done : BlockStatus::Error));
    ++c.ring_requests;
    stats.complete(b.kicked_at, b.done_at);
  }
  mem.write32(b.base + 8, b.end_index);
  if (b.generation == generation_) completed_ = b.end_index;
  ++c.ring_batches;
  return true;
}

}  // namespace trapeze::machine
