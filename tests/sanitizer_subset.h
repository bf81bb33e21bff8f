// The sweeps that are most of the sanitizer stage's time (every guest, or every
// preset, under every strategy, each a fresh machine or three CLI processes) run a
// rotation of their pairs there: `ctest --preset asan` sets TRAPEZE_SANITIZER_RUN,
// the release preset does not, so the release run keeps every pair. A sweep that
// uses it also asserts that every row and every strategy still ran at least once.
#pragma once

#include <cstddef>
#include <cstdlib>

namespace trapeze::sanitizer {

inline bool active() { return std::getenv("TRAPEZE_SANITIZER_RUN") != nullptr; }

// Whether pair (row, column) of a sweep runs: all pairs normally; under the
// sanitizers those on every `stride`-th diagonal, so with at least `stride` rows
// and columns each row and each column keeps a 1/`stride` share of its pairs.
inline bool pair_runs(size_t row, size_t column, size_t stride) {
  return !active() || (row + column) % stride == 0;
}

}  // namespace trapeze::sanitizer
