#include "session/rewind.h"

#include <algorithm>
#include <chrono>

#include "session/session.h"

namespace trapeze::session {

const char* mark_kind_name(MarkKind k) {
  switch (k) {
    case MarkKind::Trap: return "trap";
    case MarkKind::Exit: return "exit";
    case MarkKind::Console: return "console";
    case MarkKind::Strategy: return "strategy";
  }
  return "?";
}

std::vector<GuestMark> Rewind::marks_of(const Session& s) const {
  std::vector<GuestMark> out;
  if (!s.vmm()) return out;
  for (size_t i = 0; i < s.vmm()->guest_count(); ++i) {
    const vmm::Guest& g = s.vmm()->guest(i);
    GuestMark m;
    m.executed = g.executed;
    for (const uint64_t n : g.counters.machine.traps) m.traps += n;
    m.exits = g.counters.machine.intercepted;
    m.console = g.console().size();
    out.push_back(m);
  }
  return out;
}

uint64_t Rewind::total_of(const std::vector<GuestMark>& m) {
  uint64_t t = 0;
  for (const GuestMark& g : m) t += g.executed;
  return t;
}

const GuestMark* Rewind::marks_at(size_t b) const {
  const Checkpoint& base = checkpoints_.front();
  if (b == base.op) return base.marks.data();
  return &after_[(b - base.op - 1) * guests_];
}

void Rewind::start(const Session& s) {
  checkpoints_.clear();
  ops_.clear();
  after_.clear();
  error_.clear();
  guests_ = s.vmm() ? s.vmm()->guest_count() : 0;
  if (!s.vmm() || settings.budget_bytes == 0) return;
  Checkpoint c;
  c.state = s.save_state();
  c.op = 0;
  c.marks = marks_of(s);
  c.total = total_of(c.marks);
  if (c.state.empty()) {
    error_ = "this session's state cannot be saved";
    return;
  }
  checkpoints_.push_back(std::move(c));
  busy_ = 0;
}

void Rewind::record(const Session& s, const RunOp& op, double seconds) {
  if (checkpoints_.empty() || !s.vmm() || s.vmm()->guest_count() != guests_) return;
  std::vector<GuestMark> now = marks_of(s);
  const size_t end = checkpoints_.front().op + ops_.size();
  // Steps of one guest in a row are one entry (a breakpoint search steps 100 000 at a time).
  const bool merge = op.kind == RunOp::Kind::Step && !ops_.empty() && checkpoints_.back().op < end &&
                     ops_.back().kind == RunOp::Kind::Step && ops_.back().guest == op.guest;
  if (merge) {
    ops_.back().amount += op.amount;
    std::copy(now.begin(), now.end(), after_.end() - std::ptrdiff_t(guests_));
  } else {
    ops_.push_back(op);
    after_.insert(after_.end(), now.begin(), now.end());
  }
  busy_ += seconds;
  const double due = std::max(settings.interval_seconds, settings.saving_share * save_seconds_);
  if (total_of(now) >= checkpoints_.back().total + settings.interval || busy_ >= due) checkpoint(s);
  thin();
  spare_ = {};  // (one freed by this thinning is not kept beyond the budget)
}

// Room is made first for a checkpoint as large as the newest, so that the one
// thinned out lends its memory to the new one and the history never holds more
// than its budget, not even for a moment.
void Rewind::checkpoint(const Session& s) {
  const size_t expected = checkpoints_.back().state.size();
  thin(expected);
  const auto start = std::chrono::steady_clock::now();
  std::vector<uint8_t> buffer = std::move(spare_);
  spare_ = {};
  buffer.reserve(expected);  // no reallocation as the state is written
  Checkpoint c;
  c.state = s.save_state(std::move(buffer));
  save_seconds_ = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  if (c.state.empty()) return;
  c.op = checkpoints_.front().op + ops_.size();
  c.marks = marks_of(s);
  c.total = total_of(c.marks);
  checkpoints_.push_back(std::move(c));
  busy_ = 0;
}

void Rewind::recycle(std::vector<uint8_t>&& state) {
  if (state.capacity() > spare_.capacity()) spare_ = std::move(state);
}

size_t Rewind::memory_bytes() const {
  size_t n = ops_.capacity() * sizeof(RunOp) + after_.capacity() * sizeof(GuestMark);
  for (const Checkpoint& c : checkpoints_) n += c.state.capacity() + c.marks.capacity() * sizeof(GuestMark);
  return n;
}

// Over the budget, an old checkpoint goes where it is densest for its age (the
// merged gap over its distance from now is smallest), so the spacing grows with
// age; with only the oldest and the newest left, the oldest goes with its log.
void Rewind::thin(size_t room) {
  if (room == 0 && checkpoints_.size() == 1 && memory_bytes() > settings.budget_bytes) {
    // Nothing left to thin: this history can no longer be kept within its budget.
    checkpoints_.clear();
    ops_.clear();
    after_.clear();
    error_ = "the history outgrew its memory budget and was dropped";
    return;
  }
  // (Making room ahead thins only among three or more: with two, the new one
  // would take the middle place the thinning after it chooses from.)
  while (memory_bytes() + room > settings.budget_bytes && checkpoints_.size() > (room ? 2u : 1u)) {
    const size_t n = checkpoints_.size();
    if (n <= 2) {
      drop_oldest();
      continue;
    }
    const uint64_t newest = checkpoints_.back().total;
    size_t best = 1;
    double best_score = 0;
    for (size_t j = 1; j + 1 < n; ++j) {
      const double gap = double(checkpoints_[j + 1].total - checkpoints_[j - 1].total);
      const double age = double(newest - checkpoints_[j].total) + 1;
      const double score = gap / age;
      if (j == 1 || score < best_score) best = j, best_score = score;
    }
    // Gaps as wide as their age: the history is as thin as it may get; shorten it.
    if (best_score >= 1.0 && n > 8) {
      drop_oldest();
      continue;
    }
    recycle(std::move(checkpoints_[best].state));
    checkpoints_.erase(checkpoints_.begin() + std::ptrdiff_t(best));
  }
}

void Rewind::drop_oldest() {
  const size_t cut = checkpoints_[1].op - checkpoints_[0].op;
  ops_.erase(ops_.begin(), ops_.begin() + std::ptrdiff_t(cut));
  after_.erase(after_.begin(), after_.begin() + std::ptrdiff_t(cut * guests_));
  recycle(std::move(checkpoints_.front().state));
  checkpoints_.erase(checkpoints_.begin());
  ops_.shrink_to_fit();
  after_.shrink_to_fit();
}

uint64_t Rewind::earliest(size_t i) const {
  return checkpoints_.empty() || i >= guests_ ? 0 : checkpoints_.front().marks[i].executed;
}

// Newest first, stopping at `max` marks: the panels draw it every frame, and the
// log behind it holds tens of thousands of operations.
std::vector<TimelineMark> Rewind::timeline(size_t i, size_t max) const {
  std::vector<TimelineMark> out;
  if (checkpoints_.empty() || i >= guests_ || max == 0) return out;
  const size_t base = checkpoints_.front().op;
  for (size_t k = ops_.size(); k-- > 0 && out.size() < max;) {
    const GuestMark& before = marks_at(base + k)[i];
    const GuestMark& after = marks_at(base + k + 1)[i];
    // One operation's marks in reverse order, as the whole list is reversed below.
    if (ops_[k].kind == RunOp::Kind::Strategy && ops_[k].guest == i)
      out.push_back({MarkKind::Strategy, after.executed});
    if (after.console != before.console) out.push_back({MarkKind::Console, after.executed});
    if (after.exits != before.exits) out.push_back({MarkKind::Exit, after.executed});
    if (after.traps != before.traps) out.push_back({MarkKind::Trap, after.executed});
  }
  if (out.size() > max) out.resize(max);  // the oldest of the last operation's marks
  std::reverse(out.begin(), out.end());
  return out;
}

bool Rewind::apply(Session& s, const RunOp& op) {
  vmm::Vmm& v = *s.vmm_;
  switch (op.kind) {
    case RunOp::Kind::Run:
      for (size_t g = 0; g < guests_; ++g) v.set_paused(g, (op.paused >> g) & 1);
      if (op.until == vmm::kNoLimit) v.run(op.amount);
      else v.run(op.amount, op.guest, op.until);
      break;
    case RunOp::Kind::Step:
      v.set_paused(op.guest, false);
      for (uint64_t n = 0; n < op.amount; ++n) v.step(op.guest);
      break;
    case RunOp::Kind::Strategy:
      if (!v.set_strategy(op.guest, op.strategy, &error_)) return false;
      break;
  }
  return true;
}

bool Rewind::replay(Session& s, size_t from, size_t to) {
  const size_t base = checkpoints_.front().op;
  for (size_t b = from; b < to; ++b)
    if (!apply(s, ops_[b - base])) return false;
  return true;
}

bool Rewind::go_to(Session& s, size_t i, uint64_t target) {
  error_.clear();
  if (checkpoints_.empty() || !s.vmm_ || i >= guests_ || s.vmm_->guest_count() != guests_) {
    error_ = "no history to go back in";
    return false;
  }
  const uint64_t now = s.vmm_->guest(i).executed;
  if (target > now) {
    error_ = "that point is in the future";
    return false;
  }
  if (target < earliest(i)) {
    error_ = "the history starts at instruction " + std::to_string(earliest(i));
    return false;
  }
  // The newest checkpoint at or before the target, then the last logged point at
  // or before it: a guest's instruction count never decreases along the log.
  size_t c = 0;
  for (size_t k = checkpoints_.size(); k-- > 0;)
    if (checkpoints_[k].marks[i].executed <= target) {
      c = k;
      break;
    }
  const size_t base = checkpoints_.front().op, end = base + ops_.size();
  size_t b = checkpoints_[c].op;
  while (b < end && marks_at(b + 1)[i].executed <= target) ++b;
  // The target inside a logged Vmm::run: that call again, with a break there.
  const bool inside_run = b < end && marks_at(b)[i].executed < target && ops_[b - base].kind == RunOp::Kind::Run;
  RunOp cut = inside_run ? ops_[b - base] : RunOp{};
  cut.guest = uint16_t(i);
  cut.until = target;

  if (!s.restore_state(checkpoints_[c].state, &error_)) return false;
  if (!replay(s, checkpoints_[c].op, b)) return false;
  // The future from here is dropped; the steps to the target are its new present.
  ops_.resize(b - base);
  after_.resize((b - base) * guests_);
  while (checkpoints_.size() > 1 && checkpoints_.back().op > b) checkpoints_.pop_back();
  if (inside_run) {
    const bool ok = apply(s, cut) && s.vmm_->guest(i).executed == target;
    if (ok) record(s, cut);
    // (A triple fault's spin adds its faults at once and can pass the break: the
    // guest is then stepped alone from the call's start, as the others stay there.)
    else if (!s.restore_state(checkpoints_.back().state, &error_) || !replay(s, checkpoints_.back().op, b))
      return false;
  }
  s.vmm_->set_paused(i, false);
  uint64_t steps = 0;
  while (s.vmm_->guest(i).executed < target) {
    s.vmm_->step(i);
    ++steps;
    if (!s.vmm_->guest(i).ready() || steps > target + 8) {
      error_ = "guest " + std::to_string(i) + " could not be re-executed to instruction " +
               std::to_string(target);
      break;
    }
  }
  for (SessionGuest& g : s.guests_) g.running = false;
  if (steps) record(s, {RunOp::Kind::Step, uint16_t(i), 0, steps, {}});
  s.sample(true);
  return error_.empty();
}

bool Rewind::back_to_event(Session& s, size_t i, const std::set<uint32_t>& stops) {
  error_.clear();
  if (checkpoints_.empty() || !s.vmm_ || i >= guests_ || s.vmm_->guest_count() != guests_) return false;
  const size_t base = checkpoints_.front().op;
  auto changed = [](const GuestMark& a, const GuestMark& b) {
    return a.traps != b.traps || a.exits != b.exits || a.console != b.console;
  };
  const std::vector<uint8_t> present = s.save_state();  // put back if nothing is found
  // Newest operation first: one that changed a mark of the guest, or (with
  // breakpoints) ran it; the guest is stepped alone through it (its own states are
  // those of the original: guests are isolated) to find the instruction.
  // Stepping is slow: a search for breakpoints alone gives up after this many.
  constexpr uint64_t kMostStepped = 4'000'000;
  uint64_t stepped = 0;
  for (size_t k = ops_.size(); k-- > 0;) {
    const GuestMark lo = marks_at(base + k)[i], hi = marks_at(base + k + 1)[i];
    if (!changed(lo, hi) && (stops.empty() || lo.executed == hi.executed)) continue;
    if (!changed(lo, hi) && stepped >= kMostStepped) {
      std::string ignored;
      s.restore_state(present, &ignored);
      error_ = "no breakpoint of guest " + std::to_string(i) + " in the last " + std::to_string(stepped) +
               " instructions searched";
      return false;
    }
    stepped += hi.executed - lo.executed;
    size_t c = 0;
    for (size_t j = checkpoints_.size(); j-- > 0;)
      if (checkpoints_[j].op <= base + k) {
        c = j;
        break;
      }
    if (!s.restore_state(checkpoints_[c].state, &error_) || !replay(s, checkpoints_[c].op, base + k))
      return false;
    const vmm::Guest& g = s.vmm_->guest(i);
    s.vmm_->set_paused(i, false);
    uint64_t found = vmm::kNoLimit;
    GuestMark last = marks_of(s)[i];
    while (g.executed < hi.executed && g.ready()) {
      const uint64_t before = g.executed;
      if (stops.count(g.vcpu.cpu.pc)) found = before;
      s.vmm_->step(i);
      const GuestMark now = marks_of(s)[i];
      if (changed(last, now)) found = before;
      last = now;
    }
    if (found != vmm::kNoLimit) return go_to(s, i, found);
  }
  std::string ignored;
  s.restore_state(present, &ignored);
  error_ = "no trap, VM exit, console write or breakpoint of guest " + std::to_string(i) + " in the history";
  return false;
}

bool step_back(Session& s, size_t i) {
  if (!s.vmm() || i >= s.guest_count()) return false;
  const uint64_t now = s.vmm()->guest(i).executed;
  if (now == 0 || now <= s.rewind().earliest(i)) return false;
  return s.rewind().go_to(s, i, now - 1);
}

// The newest logged operation that changed guest i's traps, exits or console, or
// ran it past a breakpoint, holds the event; stepping the guest through that
// operation finds its instruction, and the guest goes back to just before it.
bool run_back(Session& s, size_t i) {
  Rewind& r = s.rewind();
  if (!s.vmm() || i >= s.guest_count()) return false;
  return r.back_to_event(s, i, s.breakpoint_addresses(i));
}

}  // namespace trapeze::session
