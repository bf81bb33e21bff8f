#include "session/history.h"

namespace trapeze::session {

Sample sample_of(const vmm::GuestCounters& c, double time) {
  Sample s;
  s.time = time;
  s.instructions = c.machine.instructions();
  for (uint64_t n : c.machine.traps) s.traps += n;
  s.vm_exits = c.machine.intercepted;
  s.tlb_misses = c.machine.tlb_misses();
  s.cycles = c.machine.cycles;
  return s;
}

Rates rates_between(const Sample& a, const Sample& b) {
  Rates r;
  const double dt = b.time - a.time;
  const double insns = double(b.instructions - a.instructions);
  if (insns > 0) r.cycles_per_instruction = double(b.cycles - a.cycles) / insns;
  if (dt <= 0) return r;
  r.instructions = insns / dt;
  r.traps = double(b.traps - a.traps) / dt;
  r.vm_exits = double(b.vm_exits - a.vm_exits) / dt;
  r.tlb_misses = double(b.tlb_misses - a.tlb_misses) / dt;
  r.cycles = double(b.cycles - a.cycles) / dt;
  return r;
}

void History::offer(const Sample& s, bool force) {
  if (const Sample* last = latest(); last && !force && s.time - last->time < interval_) return;
  if (ring_.size() < capacity_) {
    ring_.push_back(s);
  } else {
    ring_[head_] = s;
    head_ = (head_ + 1) % capacity_;
  }
}

Rates History::recent_rates() const {
  if (ring_.size() < 2) return {};
  const Sample& newest = at(ring_.size() - 1);
  size_t i = ring_.size() - 2;
  while (i > 0 && newest.time - at(i).time < 1.0) --i;
  return rates_between(at(i), newest);
}

}  // namespace trapeze::session
