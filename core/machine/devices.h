// The machine's devices, on the I/O ports of isa/ports.h: the console, the block
// device (port-driven, one request at a time) and the para-virtual request ring
// (many requests per kick). The timer lives in the Machine (it is one deadline).
//
// All timing is in simulated cycles of the architectural clock (Counters::arch_cycles);
// nothing here reads a host clock. Data moves by DMA at completion time into a
// MemoryRegion (the whole memory of a bare machine, or one guest's region under the
// VMM) through its coherent write path (so DMA into code re-decodes it, like a store).
#pragma once

#include <algorithm>
#include <cstdint>
#include <deque>
#include <span>
#include <string>
#include <vector>

#include "isa/ports.h"
#include "machine/cost_model.h"
#include "machine/counters.h"
#include "machine/physical_memory.h"

namespace trapeze::machine {

// BLK_STATUS values (also written into ring descriptors' status field).
enum class BlockStatus : uint32_t { Idle = 0, Busy = 1, Done = 2, Error = 3 };
enum class BlockOp : uint32_t { Read = 1, Write = 2 };
inline constexpr uint32_t kMaxSectorsPerRequest = 8;

// The console: a bounded output buffer. A guest that floods it cannot exhaust host
// memory: past `limit` bytes, output is dropped and counted.
class Console {
 public:
  explicit Console(uint32_t limit) : limit_(limit) {}
  void put(uint8_t byte, Counters& c) {
    ++c.console_bytes;
    if (out_.size() < limit_) out_.push_back(char(byte));
    else ++c.console_dropped;
  }
  // Many bytes at once, exactly as put() one by one would (what does not fit is
  // only counted: a flood costs the host no copying).
  void write(std::span<const uint8_t> bytes, Counters& c) {
    c.console_bytes += bytes.size();
    const size_t room = limit_ > out_.size() ? limit_ - out_.size() : 0;
    const size_t kept = std::min(room, bytes.size());
    out_.append(reinterpret_cast<const char*>(bytes.data()), kept);
    c.console_dropped += bytes.size() - kept;
  }
  const std::string& output() const { return out_; }
  bool truncated(const Counters& c) const { return c.console_dropped != 0; }
  void clear() { out_.clear(); }

 private:
  friend struct StateAccess;  // saving and loading its state (machine_state.h)
  uint32_t limit_;
  std::string out_;
};

// The disk behind both the block device and the ring: sectors of 512 bytes with a
// deterministic initial content (docs/machine.md): bytes 0..3 of sector s hold s
// (little-endian), byte k >= 4 holds (s + k) & 0xFF.
class Disk {
 public:
  explicit Disk(uint32_t sectors);
  uint32_t sectors() const { return sectors_; }
  std::vector<uint8_t>& bytes() { return bytes_; }
  const std::vector<uint8_t>& bytes() const { return bytes_; }
  static uint8_t initial_byte(uint32_t sector, uint32_t k);
  void reset();
  // Whether sector `s` still holds its initial content (saved state skips those).
  bool initial(uint32_t s) const;
  // One request's DMA. False (nothing moved) if the sectors or the buffer are out of range.
  bool transfer(BlockOp op, uint32_t sector, uint32_t addr, uint32_t count, const MemoryRegion& mem,
                Counters& c);
  static bool valid_shape(uint32_t op, uint32_t count) {
    return (op == uint32_t(BlockOp::Read) || op == uint32_t(BlockOp::Write)) && count >= 1 &&
           count <= kMaxSectorsPerRequest;
  }

 private:
  uint32_t sectors_;
  std::vector<uint8_t> bytes_;
};

inline uint64_t request_service_cycles(const CostModel& cost, uint32_t count) {
  return uint64_t(cost[CostEvent::BLK_REQUEST]) + uint64_t(count) * cost[CostEvent::BLK_SECTOR];
}

// How long the disk takes per request. Fixed (the default): the cost model's
// BLK_REQUEST + count * BLK_SECTOR. Exponential: drawn from a seeded generator
// with mean `mean_cycles` (0: the fixed value), the service of an M/M/1 queue;
// deterministic for a given seed and request order.
struct ServiceTime {
  enum class Kind : uint8_t { Fixed, Exponential };
  Kind kind = Kind::Fixed;
  uint64_t mean_cycles = 0;
  uint64_t seed = 1;
  bool operator==(const ServiceTime&) const = default;
};

// The block device's options: FIFO queue depth (1: one request at a time, BLK_CMD
// while busy is rejected, as the port interface was first defined; more: BLK_CMD
// while busy queues the request), the service time, and whether to keep every
// request's time in system (for percentiles; the sums are always kept).
struct BlockDeviceConfig {
  uint32_t queue_depth = 1;
  ServiceTime service;
  bool record_latencies = false;
  bool operator==(const BlockDeviceConfig&) const = default;
};
inline constexpr uint32_t kMaxQueueDepth = 1u << 20;

// Draws service times (splitmix64 + inverse transform: the same numbers on every host).
class ServiceSampler {
 public:
  explicit ServiceSampler(ServiceTime t = {}) : t_(t), state_(t.seed) {}
  uint64_t next(const CostModel& cost, uint32_t count);

 private:
  friend struct StateAccess;  // saving and loading its state (machine_state.h)
  ServiceTime t_;
  uint64_t state_;
};

// What the block device and the ring did, for experiments (not guest-visible):
// requests completed, their total time in system (arrival at the device - the
// BLK_CMD or the kick that took it - to completion: queue + service), the disk's
// busy time, and the first arrival and last completion (the measured interval).
struct DeviceStats {
  uint64_t completed = 0;
  uint64_t total_time_in_system = 0;
  uint64_t busy_cycles = 0;
  uint64_t first_arrival = ~uint64_t(0);
  uint64_t last_arrival = 0;
  uint64_t last_completion = 0;
  std::vector<uint64_t> times_in_system;  // per request, if record_latencies
  bool record = false;
  // If record_latencies, also the times the load generator's side needs to measure
  // from a request's own arrival rather than from its reaching the device: every
  // timer interrupt raised (its expiry), and every request's completion, in order;
  // each on the architectural clock and in host time (what the owner's clock read:
  // for a virtualized guest the host cycles it had consumed, VMM work included).
  std::vector<uint64_t> timer_raises, timer_raises_host;
  std::vector<uint64_t> completions, completions_host;
  // Set by DeviceBus::process_events for the events it processes: architectural
  // time now and host time now, so an event due at t happened at host time
  // host_now - (now - t) (the owner ran the guest alone since it fell due).
  uint64_t now = 0, host_now = 0;
  uint64_t host_time_of(uint64_t t) const { return host_now - std::min(host_now, now - std::min(now, t)); }

  void arrive(uint64_t at) {
    if (at < first_arrival) first_arrival = at;
    if (at > last_arrival) last_arrival = at;
  }
  void complete(uint64_t arrival, uint64_t done) {
    ++completed;
    total_time_in_system += done - arrival;
    if (done > last_completion) last_completion = done;
    if (!record) return;
    times_in_system.push_back(done - arrival);
    completions.push_back(done);
    completions_host.push_back(host_time_of(done));
  }
};

// The port-driven block device: write SECTOR, ADDR, COUNT, then CMD; the request
// completes its service time later (DMA then), status DONE or ERROR and a DEVICE
// interrupt; writing BLK_STATUS acknowledges. With a queue (queue_depth > 1) a
// BLK_CMD while busy joins a FIFO queue with the registers as they are; each
// completion raises DEVICE and starts the next request at once (status stays BUSY).
class BlockDevice {
 public:
  static constexpr uint64_t kNever = ~uint64_t(0);
  explicit BlockDevice(const BlockDeviceConfig& config = {}) : config_(config), sampler_(config.service) {}
  uint32_t in(isa::Port port) const;
  // Returns true if the write raised the device interrupt at once (a rejected request).
  bool out(isa::Port port, uint32_t value, uint64_t now, const CostModel& cost, Counters& c,
           DeviceStats& stats);
  uint64_t next_event() const { return status_ == BlockStatus::Busy ? done_at_ : kNever; }
  // At or after next_event(): completes the request. Returns true (raise DEVICE).
  bool complete(Disk& disk, const MemoryRegion& mem, Counters& c, DeviceStats& stats);
  BlockStatus status() const { return status_; }
  void reset() { *this = BlockDevice{config_}; }

 private:
  friend struct StateAccess;  // saving and loading its state (machine_state.h)
  // Its service time is drawn when it arrives (arrival order: deterministic).
  struct Request { uint32_t sector, addr, count, op; uint64_t arrival, service; };
  void start(const Request& r, uint64_t at, DeviceStats& stats);
  uint64_t service(const CostModel& cost, uint32_t count);

  BlockDeviceConfig config_;
  ServiceSampler sampler_;
  uint32_t sector_ = 0, addr_ = 0, count_ = 0, op_ = 0;
  BlockStatus status_ = BlockStatus::Idle;
  Request current_{};
  std::deque<Request> queue_;
  uint64_t done_at_ = 0;
};

// The para-virtual shared-memory ring (docs/machine.md, "The request ring"):
//   header at RING_BASE: size, producer, consumer, reserved (4 words)
//   then `size` descriptors of 5 words: op, sector, addr, count, status
// RING_KICK takes every descriptor posted since the last kick (producer - taken),
// services them back to back and completes the whole batch at once: statuses and
// the consumer index written, one DEVICE interrupt.
class PvRing {
 public:
  static constexpr uint64_t kNever = ~uint64_t(0);
  explicit PvRing(const ServiceTime& service = {}) : service_(service), sampler_(service) {}
  static constexpr uint32_t kHeaderBytes = 16;
  static constexpr uint32_t kDescriptorBytes = 20;
  static constexpr uint32_t kMaxSize = 256;
  // Batches in flight at most (a kick beyond is a ring error): a driver that kicks
  // faster than the disk serves, or rewrites RING_BASE between kicks, must not grow
  // the host's queue without bound.
  static constexpr size_t kMaxBatchesInFlight = 256;

  uint32_t in(isa::Port port) const;
  void out(isa::Port port, uint32_t value, uint64_t now, const CostModel& cost,
           const MemoryRegion& mem, Counters& c, DeviceStats& stats);
  uint64_t next_event() const { return batches_.empty() ? kNever : batches_.front().done_at; }
  // Completes the first batch (call when next_event() has passed). Returns true (raise DEVICE).
  bool complete(Disk& disk, const MemoryRegion& mem, Counters& c, DeviceStats& stats);
  void reset() { *this = PvRing{service_}; }

 private:
  friend struct StateAccess;  // saving and loading its state (machine_state.h)
  struct Request { uint32_t index, op, sector, addr, count; };
  struct Batch {
    uint64_t kicked_at;
    uint64_t done_at;
    uint32_t base, size, generation, end_index;
    std::vector<Request> requests;
  };
  ServiceTime service_;
  ServiceSampler sampler_;
  uint32_t base_ = 0;
  uint32_t generation_ = 0; // bumped by each RING_BASE write
  uint32_t taken_ = 0;      // descriptors taken by kicks so far (free-running)
  uint32_t completed_ = 0;  // descriptors completed (what RING_STATUS returns)
  std::deque<Batch> batches_;
};

}  // namespace trapeze::machine
