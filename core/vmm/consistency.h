// The VMM's consistency checker: the isolation and structure invariants that must
// hold between any two Vmm::run() calls, whatever the guests do. The fuzzers and
// the hardening tests call it after every slice.
//
//   check_consistency(vmm)   stateless: placements, each physical map, every TLB
//                            entry tagged for a guest, counters, then each guest's
//                            own strategy (Strategy::check: trap's shadows, ...)
//   ConsistencyChecker       the same, plus what must NOT change between calls: the
//                            VMM's own page, and all the memory of a guest that no
//                            longer runs (its region and its VMM-area pages): a
//                            running guest cannot write where it does not belong.
//
// Each returns "" or the first problem found, as one line naming the guest.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "vmm/vmm.h"

namespace trapeze::vmm {

std::string check_consistency(const Vmm& vmm);

class ConsistencyChecker {
 public:
  // Takes the first snapshot (the VMM's own page) from `vmm`.
  explicit ConsistencyChecker(const Vmm& vmm);
  std::string check(const Vmm& vmm);

 private:
  std::vector<uint8_t> vmm_page_;
  // Per guest: empty while it runs; once it has stopped, a copy of its memory then
  // (its VMM-area pages, then its region). Compared, not hashed: it is faster.
  std::vector<std::vector<uint8_t>> frozen_;
};

}  // namespace trapeze::vmm
