// Going back in time: checkpoints of a Session taken as it runs, and a log of
// every operation that moved its running state since the oldest one, so that any
// past point can be reached again by restoring the newest checkpoint before it
// and re-executing deterministically.
//
//   step_back(s, i);     // guest i has retired one instruction fewer
//   run_back(s, i);      // back to guest i's previous trap, VM exit, console write or breakpoint
//   go_to(s, i, n);      // guest i has retired n instructions (a scrub on its timeline)
//
// What is logged is what actually ran (Vmm::run with the budget it was given and
// the guests that were paused, Vmm::step, live strategy switches, restarts), never
// what was asked: run_frame() stops on a wall-clock budget, and replaying the same
// calls reproduces the same states (the machine and the VMM are deterministic).
// The bare-metal reference runs (reference_run.h) are not part of it: they follow
// their guests by prefix and are not replayed.
//
// A point inside one logged Vmm::run is reached by replaying the calls before it
// and then that call with a break at the instruction (Vmm::run(budget, i, n)):
// every guest, and the host's counters, are exactly where they were at that
// moment of the original call, and the cut call is logged as run with that break
// (a fresh session making the same calls is in the same place). A point inside
// logged steps of the guest is reached by stepping it. Going back and then
// running forward drops the old future.
//
// Costs do not grow with the run's length: a checkpoint is taken after every
// `interval` instructions (all guests together), so a point is re-executed from
// at most about one interval; checkpoints (and the log behind them) stay within
// `budget_bytes`, thinning the oldest first (recent ones stay dense). A change
// that replaces the document, an image or a guest's run (load, re-assembly, a
// restart, a memory change, adding or removing a guest, restoring a snapshot)
// starts a new history: there is no going back across it.
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include "vmm/guest.h"
#include "vmm/strategy.h"

namespace trapeze::session {

class Session;

// One operation that moved the running state, as it was done.
struct RunOp {
  enum class Kind : uint8_t { Run, Step, Strategy };
  Kind kind = Kind::Run;
  uint16_t guest = 0;       // Step, Strategy
  uint32_t paused = 0;      // Run: the guests that were paused (bit i)
  uint64_t amount = 0;      // Run: the budget given to Vmm::run; Step: how many Vmm::step calls
  vmm::StrategyKind strategy = vmm::StrategyKind::NATIVE;  // Strategy: the strategy after
  uint64_t until = vmm::kNoLimit;  // Run: its break (guest `guest`'s executed count), if any
};

// What a guest had done at one point: instructions and the marks of its timeline.
struct GuestMark {
  uint64_t executed = 0;  // Guest::executed
  uint64_t traps = 0;     // every exception and interrupt raised for it
  uint64_t exits = 0;     // entries into the VMM on its behalf
  uint64_t console = 0;   // bytes of console output
  bool operator==(const GuestMark&) const = default;
};

// A kind of place on a guest's timeline.
enum class MarkKind : uint8_t { Trap, Exit, Console, Strategy };
const char* mark_kind_name(MarkKind k);  // "trap", "exit", ...

// A place where something happened to a guest, between two logged operations:
// `executed` is the guest's instruction count after the operation that did it
// (run_back() finds the exact instruction).
struct TimelineMark {
  MarkKind kind;
  uint64_t executed;
};

struct RewindSettings {
  uint64_t interval = 4'000'000;      // instructions (all guests) between checkpoints, at most
  // Wall time of running between checkpoints, at most: re-executing from one then
  // takes about as long, whatever the strategy's speed (where it is taken does not
  // change what replay gives: every checkpoint is an exact state).
  double interval_seconds = 0.02;
  // ...but at least this many times what saving one took (saving costs at most a
  // tenth of the running).
  double saving_share = 10;
  size_t budget_bytes = 64u << 20;    // checkpoints and log together, at most (0: no history)
};

class Rewind {
 public:
  RewindSettings settings;

  // ---- called by the Session as it runs ---------------------------------------------
  // A new history starts here (after a load, a re-assembly...): drops the old one and
  // takes a checkpoint of `s` as it is.
  void start(const Session& s);
  // After each operation: logs it, and takes a checkpoint when one is due.
  // `seconds`: the wall time it took.
  void record(const Session& s, const RunOp& op, double seconds = 0);

  // ---- reading ------------------------------------------------------------------------
  bool available() const { return !checkpoints_.empty(); }
  size_t checkpoint_count() const { return checkpoints_.size(); }
  size_t memory_bytes() const;  // checkpoints and log
  size_t log_size() const { return ops_.size(); }
  // The earliest instruction count of guest i that can be gone back to.
  uint64_t earliest(size_t i) const;
  // Guest i's marks, oldest first (at most `max`, the newest kept).
  std::vector<TimelineMark> timeline(size_t i, size_t max = 4096) const;
  const std::string& error() const { return error_; }

  // ---- going back (friends of the Session) ---------------------------------------------
  // Guest i to `executed` instructions (no later than now, no earlier than earliest(i)).
  bool go_to(Session& s, size_t i, uint64_t executed);
  // Guest i to just before its newest trap, VM exit or console write in the history,
  // or to its newest arrival at one of `stops` (addresses its pc was at) before now.
  bool back_to_event(Session& s, size_t i, const std::set<uint32_t>& stops = {});

 private:
  struct Checkpoint {
    std::vector<uint8_t> state;    // Session::save_state()
    size_t op = 0;                 // ops_[0..op) ran before it
    std::vector<GuestMark> marks;  // every guest's, at it
    uint64_t total = 0;            // instructions of every guest at it (its place in time)
  };
  // Every guest's marks at boundary b (after ops_[b - 1]; b >= checkpoints_[0].op).
  const GuestMark* marks_at(size_t b) const;
  std::vector<GuestMark> marks_of(const Session& s) const;
  static uint64_t total_of(const std::vector<GuestMark>& m);
  void checkpoint(const Session& s);
  void thin(size_t room = 0);  // to within the budget, less `room` bytes
  void drop_oldest();
  void recycle(std::vector<uint8_t>&& state);  // a dropped checkpoint's memory, for the next
  bool replay(Session& s, size_t from, size_t to);  // ops_[from, to) onto the session
  bool apply(Session& s, const RunOp& op);           // one operation onto the session

  std::vector<Checkpoint> checkpoints_;  // oldest first
  std::vector<RunOp> ops_;               // since checkpoints_[0]; ops_[k] ran after ops_[k-1]
  std::vector<GuestMark> after_;         // every guest's marks after each op (guests_ per op)
  // A dropped checkpoint's buffer, reused by the next one (an allocation of a few
  // MB, touched afresh, cost more than the copy): empty between checkpoints.
  std::vector<uint8_t> spare_;
  double busy_ = 0;                      // wall seconds of the ops since the newest checkpoint
  double save_seconds_ = 0;              // what the newest checkpoint took to save
  size_t guests_ = 0;
  std::string error_;
};

// Guest i goes back one instruction (false if it is at the start of the history).
bool step_back(Session& s, size_t i);
// Guest i goes back to just before its previous trap, VM exit or console write (the
// instruction that caused it, not yet run), or to its previous arrival at one of its
// breakpoints, whichever is later; false if there is none in the history.
bool run_back(Session& s, size_t i);

}  // namespace trapeze::session
