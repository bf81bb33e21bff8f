#include "vmm/vmm_state.h"

#include "machine/machine_state.h"

namespace trapeze::vmm {
namespace {

constexpr size_t kMaxReason = 4096;
constexpr size_t kMaxEventCapacity = size_t(1) << 24;

void archive_vmm_counters(machine::StateArchive& a, VmmCounters& c) {
#define TRAPEZE_VMM_COUNTER_ARCHIVE(name, doc) a.u64(c.name);
  TRAPEZE_VMM_COUNTERS(TRAPEZE_VMM_COUNTER_ARCHIVE)
#undef TRAPEZE_VMM_COUNTER_ARCHIVE
  for (uint64_t& v : c.emulated_by_op) a.u64(v);
  for (uint64_t& v : c.reflected_by_cause) a.u64(v);
  for (uint64_t& v : c.bt_callouts_by_op) a.u64(v);
}

void archive_guest(machine::StateArchive& a, Guest& g) {
  a.tag("GUES");
  a.enumeration(g.state, GuestState::Stopped, "guest state");
  a.flag(g.paused);
  a.string(g.reason, kMaxReason, "reason bytes");
  machine::archive_state(a, g.vcpu.cpu);
  a.u64(g.vcpu.clock);
  machine::archive_state(a, g.bus);
  archive_state(a, g.counters);
  a.u64(g.executed);
  StateAccess::strategy(a, *g.strategy);
}

}  // namespace

void archive_state(machine::StateArchive& a, GuestCounters& c) {
  machine::archive_state(a, c.machine);
  archive_vmm_counters(a, c.vmm);
#define TRAPEZE_CYCLE_ACCOUNT_ARCHIVE(name, doc) a.u64(c.accounting.name);
  TRAPEZE_CYCLE_ACCOUNTS(TRAPEZE_CYCLE_ACCOUNT_ARCHIVE)
#undef TRAPEZE_CYCLE_ACCOUNT_ARCHIVE
}

void archive_state(machine::StateArchive& a, EventLog& log) { StateAccess::events(a, log); }
void archive_state(machine::StateArchive& a, Vmm& vmm) { StateAccess::vmm(a, vmm); }

void StateAccess::events(machine::StateArchive& a, EventLog& log) {
  a.tag("EVTS");
  a.expect(log.capacity_, "event-log capacity");
  a.sequence(log.ring_, std::min(log.capacity_, kMaxEventCapacity), 32, "events",
             [](machine::StateArchive& x, Event& e) {
               x.u64(e.host_cycle);
               x.u64(e.guest_cycle);
               x.u16(e.guest);
               x.enumeration(e.kind, EventKind::GUEST_RELOAD, "event kind");
               uint32_t cause = uint32_t(e.cause);
               x.u32(cause);
               if (x.loading() && cause >= uint32_t(machine::kNumCauseCodes))
                 x.fail("bad cause " + std::to_string(cause));
               e.cause = isa::Cause(cause);
               x.u32(e.pc);
               x.u32(e.word);
               x.u32(e.a);
               x.u32(e.b);
               x.u32(e.c);
             });
  uint64_t head = log.head_;
  a.u64(head);
  log.head_ = size_t(head);
  if (a.loading() && (log.ring_.empty() ? head != 0 : head >= log.ring_.size()))
    a.fail("bad event-log position " + std::to_string(head));
  a.u64(log.total_);
  if (a.loading() && log.total_ < log.ring_.size()) a.fail("bad event-log total");
}

void StateAccess::vmm(machine::StateArchive& a, Vmm& v) {
  a.tag("VMM ");
  a.expect(v.guests_.size(), "guests");
  // The live strategies first: switching one rebuilds its structures, which the
  // state below then overwrites.
  for (size_t i = 0; i < v.guests_.size() && a.ok(); ++i) {
    StrategyKind kind = v.guests_[i]->strategy_kind();
    a.enumeration(kind, StrategyKind::HW_NESTED, "strategy");
    std::string error;
    if (a.loading() && a.ok() && !v.set_strategy(i, kind, &error)) a.fail(error);
  }
  if (!a.ok()) return;
  machine::archive_state(a, v.host_.machine);
  events(a, v.host_.log);
  a.u64(v.host_.overhead);
  a.u64(v.host_.holes_seen);
  for (auto& g : v.guests_) {
    if (!a.ok()) return;
    archive_guest(a, *g);
  }
  const int32_t guests = int32_t(v.guests_.size());
  a.i32(v.current_);
  a.i32(v.turn_);
  a.u64(v.turn_used_);
  if (a.loading() && (v.current_ < -1 || v.current_ >= guests || v.turn_ < -1 || v.turn_ >= guests))
    a.fail("bad scheduler position");
  v.only_ = -1;  // between run() calls
}

}  // namespace trapeze::vmm
