// Translated blocks as the machine's loop follows them by itself (binary
// translation's fast path; Machine::BlockObserver in machine.h).
//
// The observer (the VMM's binary translator) decides where each block goes next: at
// a block's end it checks the chain or looks the target up, charges, counts, and
// enters the next block. Once it has done that for one edge in a run() call, nothing
// it checked can change before that call returns (the guest's tables cannot: a store
// into one traps and ends the run; the translation cache cannot: only the VMM changes
// it, outside a run), so it records the edge here, stamped with the run's number,
// and the loop takes the same edge again itself, doing what the observer did (count,
// enter, and for a looked-up target charge the lookup), until the run returns. A link
// from an earlier run is never followed: its number is not the current one (run
// numbers are unique in the process, so a block copied from elsewhere is safe too).
#pragma once

#include <cstdint>

namespace trapeze::machine {

// One translated block, as the loop needs it. The observer owns it (inside its own
// record of the block) and fills `length`, `successor` and `tag` when the block is
// made; the links are written by the observer during a run and read by the loop.
struct ChainedBlock {
  uint32_t length = 0;               // instructions the loop runs of it
  uint32_t successor[2] = {1, 1};    // its direct successors' pcs (1: none)
  uint32_t tag = 0;                  // the observer's name for it
  ChainedBlock* next[2] = {nullptr, nullptr};  // the block at successor[e] ...
  uint64_t linked[2] = {0, 0};                 // ... in the run with this number
  uint32_t indirect_pc = 1;          // where its jr / callr / ret went last ...
  ChainedBlock* indirect = nullptr;  // ... the block found there ...
  uint64_t indirect_linked = 0;      // ... in the run with this number
  uint64_t runs = 0;                 // times entered
};

// What the loop keeps of the chain during one run() with a block observer.
struct ChainRun {
  uint64_t id = 0;                 // this run's number (links stamped with it are live)
  ChainedBlock* at = nullptr;      // the block being run (set by the observer)
  uint64_t start = 0;              // instructions retired in this run when it was entered
  uint64_t owed = 0;               // VMM cycles charged, not yet taken from the run's budget
  uint64_t lookup_cost = 0;        // the cycles a lookup charges (owed after one)
  uint64_t* chained = nullptr;     // counts each chain the loop follows
  uint64_t lookups = 0;            // lookups the loop did (the observer charges them)
};

}  // namespace trapeze::machine
