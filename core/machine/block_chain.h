// Translated blocks as the machine's loop follows them by itself (binary
// translation's fast path; Machine::BlockObserver in machine.h).
//
// The observer (the VMM's binary translator) decides where each block goes next: at
// a block's end it checks the chain or looks the target up, charges, counts, and
// enters the next block. Once it has done that for one edge in a run() call, nothing
// it checked can change before that call returns (the guest's tables cannot: a store
// into one traps and ends the run; the translation cache cannot: only the VMM changes
// it, outside a run), so it links the edge here, and the loop takes the same edge
// again itself, doing what the observer did (count, enter, and for a looked-up target
// owe the lookup), until the run returns. When it returns the observer unlinks every
// edge it linked: no link outlives its run.
#pragma once

#include <cstdint>

namespace trapeze::machine {

// One translated block, as the loop needs it. The observer owns it (inside its own
// record of the block) and fills `length`, `successor` and `tag` when the block is
// made; the links are written by the observer during a run and read by the loop.
struct ChainedBlock {
  static constexpr int kIndirect = 2;  // exits 0 and 1: direct successors; 2: jr, callr, ret
  uint32_t length = 0;                 // instructions the loop runs of it
  uint32_t tag = 0;                    // the observer's name for it
  // Where it goes: its direct successors' pcs (1: none), and where its indirect end
  // went last; next[e]: the block linked at exit_pc[e] in this run (nullptr: none).
  uint32_t exit_pc[3] = {1, 1, 1};
  ChainedBlock* next[3] = {nullptr, nullptr, nullptr};
  uint64_t runs = 0;  // times entered
};

// What the loop keeps of the chain during one run() with a block observer.
struct ChainRun {
  ChainedBlock* at = nullptr;  // the block being run (the observer moves it too)
  uint64_t owed = 0;           // VMM cycles charged, not yet taken from the run's budget
  uint64_t lookup_cost = 0;    // the cycles a lookup charges (owed after one; set with the first)
  // Links the loop followed (the observer counts and charges them): [0] chains,
  // [1] lookups (an indirect exit).
  uint64_t followed[2] = {0, 0};
};

}  // namespace trapeze::machine
