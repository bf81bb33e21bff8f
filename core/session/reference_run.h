// The bare-metal reference of every virtualized guest: the guest's source,
// assembled for bare metal, run on a bare machine of its own in the background,
// so that the frontend can show where the guest's console output departs from
// what bare metal prints (the U/K-bit problem lights up under trap-and-emulate).
//
//   ReferenceRuns refs;
//   each frame: refs.sync(session); refs.advance(session, deadline);
//   ConsoleDiff d = refs.diff(session, 1);
//
// The reference is "the native build of the same source": the image a guest runs
// under pv is its PV=1 build, whose hypercalls are illegal on bare hardware (a
// bare machine would take an illegal-instruction trap at the first one), so its
// reference is the same source with PV left undefined. For every other strategy
// that is the very image the guest runs. A reference follows its guest's inputs
// (source, defines, memory, machine settings): a re-assembled guest gets a new
// one; a live strategy switch or a restart keeps it (bare metal's output does not
// depend on either, and the comparison is by prefix). It runs only while it is
// not ahead of its guest, so a paused guest costs nothing.
#pragma once

#include <cstddef>
#include <memory>
#include <string>
#include <vector>

#include "scenario/scenario.h"
#include "vmm/vmm.h"

namespace trapeze::session {

class Session;

// Where guest output and its reference part.
struct ConsoleDiff {
  enum class Status {
    None,       // no reference: a bare-metal guest, or its native build failed
    SameSoFar,  // every byte both printed agrees; one of them is still running
    Same,       // both finished with the same output
    Differs,    // they part at `byte`
  };
  Status status = Status::None;
  size_t byte = 0;         // Differs: the first byte that differs (or that only one printed)
  size_t line = 0;         // its line in the guest's output (0-based)
  size_t line_start = 0;   // where that line starts in the guest's output
  std::string reference_line;  // the reference's line at that point (raw bytes, no '\n')
};
const char* console_diff_status_name(ConsoleDiff::Status s);  // "none", "same-so-far", "same", "differs"

// Compares a guest's output with its reference's. `*_finished`: that side will
// print nothing more. Output one side has not printed yet is not a difference
// until that side has finished.
ConsoleDiff compare_console(const std::string& guest, bool guest_finished, const std::string& reference,
                            bool reference_finished);

// One guest's reference run.
struct ReferenceRun {
  // What it was built from (a change means a new reference).
  std::string source, origin;
  scenario::GuestSpec spec;  // strategy native, PV removed from its defines
  std::string settings;      // the machine settings, as JSON
  std::unique_ptr<vmm::Vmm> machine;  // one native guest; null if it did not build
  std::string error;                  // why it did not build
  bool without_pv = false;            // the guest's own build defines PV (its reference does not)

  bool finished() const;  // halted, crashed or stopped (or never built)
  const std::string& console() const;
};

class ReferenceRuns {
 public:
  // One reference per guest of `s` that runs under a VMM (none for a native
  // guest); rebuilt where the guest's inputs changed.
  void sync(const Session& s);
  // Runs the references that lag behind their guests until `deadline` (in the
  // session clock's seconds, Session::now()).
  void advance(const Session& s, double deadline);
  // Runs every reference that lags until none does or `max_cycles` of each have run (tests).
  void run_to_completion(const Session& s, uint64_t max_cycles);
  // Guest i's reference (null for a native guest or before sync()).
  const ReferenceRun* reference(size_t guest) const;
  ConsoleDiff diff(const Session& s, size_t guest) const;

 private:
  bool lags(const Session& s, size_t guest) const;
  std::vector<std::unique_ptr<ReferenceRun>> runs_;  // per guest
};

}  // namespace trapeze::session
