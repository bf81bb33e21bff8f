#include "vmm/vmm.h"

#include <algorithm>
#include <cstdio>

#include "vmm/strategy_factory.h"

namespace trapeze::vmm {

std::optional<GuestProblem> validate_guest(const GuestConfig& g) {
  if (g.memory_bytes < isa::kPageSize || g.memory_bytes > kMaxGuestMemory ||
      g.memory_bytes % isa::kPageSize)
    return GuestProblem{"memory", std::to_string(g.memory_bytes) +
                                      " bytes (a multiple of 4096 from 4K to 32M)"};
  if (g.tc_capacity < kMinTcCapacity || g.tc_capacity > kMaxTcCapacity)
    return GuestProblem{"tc_capacity", std::to_string(g.tc_capacity) + " instructions (" +
                                           std::to_string(kMinTcCapacity) + " to " +
                                           std::to_string(kMaxTcCapacity) + ")"};
  if (g.disk_sectors < 1 || g.disk_sectors > machine::kMaxDiskSectors)
    return GuestProblem{"disk", std::to_string(g.disk_sectors) + " sectors (1 to 131072)"};
  for (const isa::Segment& s : g.image) {
    if (uint64_t(s.base) + s.bytes.size() > g.memory_bytes) {
      char msg[160];
      std::snprintf(msg, sizeof msg,
                    "the program's bytes at 0x%08x..0x%08llx do not fit in its %u bytes of memory",
                    s.base, (unsigned long long)(uint64_t(s.base) + s.bytes.size()), g.memory_bytes);
      return GuestProblem{"", msg};
    }
  }
  return std::nullopt;
}

std::string validate(const VmmConfig& c) {
  if (c.guests.empty()) return "guests: no guests (at least one is needed)";
  if (c.guests.size() > size_t(kMaxGuests))
    return "guests: " + std::to_string(c.guests.size()) + " guests (at most " +
           std::to_string(kMaxGuests) + ")";
  if (c.quantum == 0) return "quantum: must be at least 1 cycle";
  if (!machine::Tlb::valid_config(c.tlb))
    return "tlb: must have 1..1024 entries, and entries/ways must be a power of two";
  if (c.event_capacity == 0 || c.event_capacity > (1u << 20))
    return "event_capacity: must be 1..1048576";
  uint64_t total = 0, disk = 0;
  for (size_t i = 0; i < c.guests.size(); ++i) {
    const GuestConfig& g = c.guests[i];
    if (const auto p = validate_guest(g))
      return "guests[" + std::to_string(i) + "]" + (p->field.empty() ? "" : "." + p->field) + ": " +
             p->message;
    total += g.memory_bytes;  // native guests too: each has a home region to switch into
    disk += uint64_t(g.disk_sectors) * isa::kSectorSize;
  }
  if (total > kMaxTotalGuestMemory)
    return "guests: " + std::to_string(total >> 20) + "M of guest memory in all (at most " +
           std::to_string(kMaxTotalGuestMemory >> 20) + "M, bare-metal guests included)";
  if (disk > kMaxTotalDiskBytes)
    return "guests: " + std::to_string(disk >> 20) + "M of disk in all (at most " +
           std::to_string(kMaxTotalDiskBytes >> 20) + "M)";
  return "";
}

std::unique_ptr<Vmm> Vmm::create(const VmmConfig& config, std::string* error) {
  std::string problem = validate(config);
  std::vector<uint32_t> sizes;
  for (const GuestConfig& g : config.guests) sizes.push_back(g.memory_bytes);
  std::vector<GuestPlacement> placed;
  const uint32_t host_memory = problem.empty() ? place_guests(sizes, &placed) : 0;
  if (problem.empty() && host_memory == 0) problem = "guests: too much memory for one host";
  if (!problem.empty()) {
    if (error) *error = problem;
    return nullptr;
  }
  return std::unique_ptr<Vmm>(
      new Vmm(config, std::max<uint32_t>(host_memory, isa::kPageSize), placed));
}

namespace {
machine::MachineConfig host_config(const VmmConfig& c, uint32_t memory) {
  machine::MachineConfig m;
  m.memory_bytes = memory;
  m.tlb = c.tlb;
  m.cost = c.cost;
  m.disk_sectors = 1;  // the host's own devices are unused: each guest has its own
  m.console_limit = 0;
  return m;
}
}  // namespace

Vmm::Vmm(const VmmConfig& config, uint32_t host_memory, const std::vector<GuestPlacement>& placed)
    : config_(config), host_(host_config(config, host_memory), config.event_capacity) {
  placements_ = placed;
  guests_.resize(config.guests.size());
  for (size_t i = 0; i < config.guests.size(); ++i) {
    build_physical_map(host_.machine, placements_[i]);
    install_guest(i, config.guests[i]);
  }
}

void Vmm::install_guest(size_t i, const GuestConfig& config) {
  const GuestPlacement& p = placements_[i];
  guests_[i].reset();  // its strategy refers to the old Guest: both go
  auto g = std::make_unique<Guest>(int(i), config);  // its setup: the strategy is made below
  g->memory = machine::MemoryRegion{host_.machine.region().mem, p.region_base, p.region_size};
  const std::vector<uint8_t> zeros(p.region_size, 0);
  g->memory.write(0, zeros);
  for (const isa::Segment& s : g->config.image) g->memory.write(s.base, s.bytes);
  g->strategy = make_strategy(config.strategy, host_, *g, p, config_.tlb, config_.cost);
  guests_[i] = std::move(g);
}

VmmConfig Vmm::current_config() const {
  VmmConfig c;
  static_cast<VmmSettings&>(c) = config_;
  for (const auto& g : guests_) {
    GuestConfig gc;
    static_cast<GuestSetup&>(gc) = g->config;
    gc.strategy = g->strategy_kind();
    c.guests.push_back(std::move(gc));
  }
  return c;
}

void Vmm::flush_guest_tlb(size_t i) {
  for (uint32_t t = 0; t < kTagsPerGuest; ++t)
    host_.machine.flush_tlb_tag(placements_[i].tag_base + t);
}

void Vmm::log_change(size_t i, EventKind kind, uint32_t a, uint32_t b) {
  const Guest& g = *guests_[i];
  Event e;
  e.host_cycle = host_.time();
  e.guest_cycle = g.vcpu.clock;
  e.guest = uint16_t(i);
  e.kind = kind;
  e.pc = g.vcpu.cpu.pc;
  e.a = a;
  e.b = b;
  host_.log.push(e);
}

// ---------------------------------------------------------------------------------
// Changing a guest

bool Vmm::set_strategy(size_t i, StrategyKind kind, std::string* error) {
  auto fail = [&](std::string why) {
    if (error) *error = std::move(why);
    return false;
  };
  if (i >= guests_.size()) return fail("no guest " + std::to_string(i));
  Guest& g = *guests_[i];
  const StrategyKind from = g.strategy_kind();
  if (from == kind) return true;
  g.strategy->detach();
  if (current_ == int(i)) current_ = -1;  // its state is saved; the next turn loads it anew
  flush_guest_tlb(i);
  g.strategy.reset();
  g.strategy = make_strategy(kind, host_, g, placements_[i], config_.tlb, config_.cost);
  ++g.counters.vmm.strategy_switches;
  log_change(i, EventKind::STRATEGY_SWITCH, payload(from), payload(kind));
  return true;
}

bool Vmm::reload_guest(size_t i, const GuestConfig& config, std::string* error) {
  auto fail = [&](std::string why) {
    if (error) *error = std::move(why);
    return false;
  };
  if (i >= guests_.size()) return fail("no guest " + std::to_string(i));
  const uint32_t memory = guests_[i]->config.memory_bytes;
  if (config.memory_bytes != memory)
    return fail("memory: a reloaded guest keeps its memory size (" + std::to_string(memory) +
                " bytes)");
  VmmConfig check = current_config();
  check.guests[i] = config;
  if (std::string problem = validate(check); !problem.empty()) return fail(problem);
  if (current_ == int(i)) current_ = -1;
  flush_guest_tlb(i);
  install_guest(i, config);
  log_change(i, EventKind::GUEST_RELOAD, payload(config.strategy), 0);
  return true;
}

// ---------------------------------------------------------------------------------
// Scheduling

int Vmm::next_ready(int after) const {
  const int n = int(guests_.size());
  for (int k = 1; k <= n; ++k) {
    const int i = ((after < 0 ? -1 : after) + k) % n;
    const Guest& g = *guests_[i];
    if (runnable(size_t(i)) && g.strategy->uses_host()) return i;
  }
  return -1;
}

void Vmm::world_switch(int to) {
  const int from = current_;
  if (from >= 0) {
    guests_[from]->strategy->save();
    guests_[from]->strategy->unload();
  }
  Guest& g = *guests_[to];
  g.strategy->load();
  current_ = to;
  const uint64_t c = std::max<uint64_t>(1, config_.cost[machine::CostEvent::WORLD_SWITCH]);
  host_.overhead += c;
  g.counters.machine.cycles += c;
  g.counters.vmm.vmm_cycles += c;
  g.counters.accounting.*account_of(machine::CostEvent::WORLD_SWITCH) += c;
  ++g.counters.vmm.world_switches;
  Event e;
  e.host_cycle = host_.time();
  e.guest_cycle = g.vcpu.clock;
  e.guest = uint16_t(to);
  e.kind = EventKind::WORLD_SWITCH;
  e.pc = g.vcpu.cpu.pc;
  e.a = from < 0 ? kNoGuest : uint32_t(from);
  host_.log.push(e);
}

uint64_t Vmm::run(uint64_t budget, size_t i, uint64_t executed) {
  if (i >= guests_.size()) return run(budget);
  Guest& g = *guests_[i];
  if (g.executed >= executed) return 0;
  g.break_at = executed;
  const uint64_t used = run(budget);
  g.break_at = kNoLimit;
  return used;
}

uint64_t Vmm::run(uint64_t budget) {
  if (budget == 0) return 0;
  // A guest reaching its break (run(budget, i, n)) ends the call there.
  for (size_t i = 0; i < guests_.size(); ++i)
    if (runnable(i) && !guests_[i]->strategy->uses_host()) {
      guests_[i]->strategy->run(budget);
      if (guests_[i]->at_break()) return 0;
    }

  const uint64_t start = host_.time();
  while (host_.time() - start < budget) {
    if (turn_ < 0 || !runnable(size_t(turn_)) || turn_used_ >= config_.quantum) {
      turn_ = next_ready(turn_);
      turn_used_ = 0;
      if (turn_ < 0) break;
    }
    // The world switch is the incoming guest's cost but not part of its quantum
    // (a switch dearer than the quantum must not starve everyone).
    if (current_ != turn_) world_switch(turn_);
    const uint64_t left = budget - std::min(budget, host_.time() - start);
    if (left == 0) break;
    turn_used_ += guests_[turn_]->strategy->run(std::min(config_.quantum - turn_used_, left));
    if (guests_[turn_]->at_break()) break;
  }
  // Leave every guest's state complete for inspection (the current one stays on the CPU).
  if (current_ >= 0) guests_[current_]->strategy->save();
  return host_.time() - start;
}

bool Vmm::runnable(size_t i) const {
  const Guest& g = *guests_[i];
  return g.ready() && !g.paused && (only_ < 0 || only_ == int(i));
}

void Vmm::set_paused(size_t i, bool paused) {
  if (i < guests_.size()) guests_[i]->paused = paused;
}

bool Vmm::step(size_t i) {
  if (i >= guests_.size() || !guests_[i]->ready()) return false;
  const Guest& g = *guests_[i];
  const uint64_t before = g.executed;
  only_ = int(i);
  // One host cycle at a time: the first call may be spent on the world switch into
  // it; a machine stops at the first instruction boundary once its budget is used.
  for (int tries = 0; tries < 8 && g.executed == before && g.ready(); ++tries) run(1);
  only_ = -1;
  return g.executed != before;
}

bool Vmm::finished() const {
  return std::none_of(guests_.begin(), guests_.end(), [](const auto& g) { return g->ready(); });
}

// ---------------------------------------------------------------------------------
// Inspection

double Vmm::utilization(size_t i) const {
  const Guest& g = *guests_[i];
  if (!g.strategy->uses_host() || host_.time() == 0) return 0.0;
  return double(g.counters.machine.cycles) / double(host_.time());
}

const GuestPlacement* Vmm::placement(size_t i) const {
  if (i >= guests_.size() || !guests_[i]->strategy->uses_host()) return nullptr;
  return &placements_[i];
}

bool Vmm::read_guest_physical(size_t i, uint32_t gpa, std::span<uint8_t> out) const {
  if (i >= guests_.size()) return false;
  return guests_[i]->memory.read(gpa, out);
}

}  // namespace trapeze::vmm
