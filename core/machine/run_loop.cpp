// The interpreter loop: fetch from the latched page's decoded words, dispatch with
// a switch over the opcode, execute the common instructions inline.
//
// Per instruction the loop does only: one compare against the next boundary (in
// cycles of the architectural clock), the dispatch, the body, and three adds (the
// slot pointer, cycles, retired). The pc is not kept while running inside a page:
// it is the page's address plus the slot's index, computed where an instruction
// needs it (calls, a leaving branch, the slow paths); falling off the end of the
// page dispatches the sentinel slot after it (kPageEndOp). Everything else is out
// of line:
//   boundary()     timer, devices, interrupts, breakpoints, the budget
//   refill_fetch() a new code page: TLB lookup, fault, decode the page
//   exec_slow()    system instructions, traps, TLB-miss loads/stores, code writes
// The hot state lives in locals while the loop runs; SYNC_OUT()/SYNC_IN() move it
// to and from the members around every slow call (with `pc` valid: PC() makes it
// so from the slot pointer).
//
// Dispatch: natively with GCC and Clang each handler ends with its own copy of the
// fetch-and-dispatch sequence and jumps through a table of label addresses
// ("threaded code"), which gives the host's branch predictor one indirect jump per
// guest instruction kind instead of one shared jump; elsewhere a switch. WebAssembly
// has no indirect jump: clang turns the label table into a table of numbers and
// every `goto *` into a branch to one br_table, so there threading only adds a load
// per instruction and Emscripten builds use the switch.
// Measured on the ALU loop: see docs/machine.md, "Speed", and
// bench/results/interpreter.md, "Session 11".
#include <algorithm>
#include <atomic>
#include <climits>
#include <cstddef>
#include <mutex>

#include "machine/machine.h"
#include "machine/system_semantics.h"

namespace trapeze::machine {

using isa::Op;

// Paging is on for nearly all code that reaches the loop (every guest under a VMM
// runs on shadow tables): the TLB path goes inline, the physical one out of line.
#if defined(__GNUC__)
#define TRAPEZE_LIKELY(x) __builtin_expect(!!(x), 1)
#else
#define TRAPEZE_LIKELY(x) (x)
#endif

#ifndef TRAPEZE_THREADED_DISPATCH
#if defined(__GNUC__) && !defined(__EMSCRIPTEN__)
#define TRAPEZE_THREADED_DISPATCH 1
#else
#define TRAPEZE_THREADED_DISPATCH 0
#endif
#endif

// The instructions the loop executes inline; everything else goes to exec_slow().
// clang-format off
#define TRAPEZE_INLINE_OPS(X) \
  X(ADD) X(SUB) X(AND) X(OR) X(XOR) X(SHL) X(SHR) X(SAR) X(MUL) X(DIV) X(DIVU) X(REM) X(REMU) \
  X(SLT) X(SLTU) X(LUI) X(ADDI) X(ANDI) X(ORI) X(XORI) X(SHLI) X(SHRI) X(SARI) X(MULI) X(SLTI) \
  X(SLTIU) X(LDW) X(LDB) X(STW) X(STB) X(PUSH) X(POP) X(BEQ) X(BNE) X(BLT) X(BGE) X(BLTU) \
  X(BGEU) X(JMP) X(CALL) X(JR) X(CALLR) X(RET) X(MFCR) X(MTCR)
// clang-format on

// Natively the loop is compiled twice: the plain loop (no block observer: every
// run but binary translation's chained kernel code) carries none of the observer's
// checks, which cost every trap and every run() 15-45 host instructions (the
// trap-bound guests under the trapping strategies). In WebAssembly one copy
// serves both, for the download's size.
#if defined(__EMSCRIPTEN__)
#define TRAPEZE_PLAIN_LOOP 0
#else
#define TRAPEZE_PLAIN_LOOP 1
#endif

// What the observer's block_end() did at this block's end earlier in the run, along
// the same edge: pay what is owed (or let the observer stop the run), count the chain
// or the lookup (which then is owed), enter the block.
// Inline in the loop: a translated loop's every turn passes here.
[[gnu::always_inline]] inline bool Machine::follow_chain(uint32_t pc, uint64_t retired,
                                                          uint64_t now) {
  ChainedBlock* const c = chain_.at;
  if (retired != observe_at_) return false;  // not at its end
  int exit;
  if (c->exit_pc[0] == pc) {
    exit = 0;
  } else if (c->exit_pc[1] == pc) {
    exit = 1;
  } else if (c->exit_pc[ChainedBlock::kIndirect] == pc) {
    exit = ChainedBlock::kIndirect;
  } else {
    return false;
  }
  ChainedBlock* const to = c->next[exit];
  if (!to) return false;  // not linked
  if (chain_.owed) {
    observe_now_ = now;
    if (!spend_cycles(chain_.owed)) return false;
  }
  const bool lookup = exit == ChainedBlock::kIndirect;
  chain_.owed = lookup ? chain_.lookup_cost : 0;
  ++chain_.followed[lookup];
  ++to->runs;
  chain_.at = to;
  const uint64_t length = to->length;
  observe_at_ = retired + length;
  set_observe_stop(now + length);
  return true;
}

RunResult Machine::run(uint64_t max_instructions, uint64_t max_cycles, uint64_t max_arch_cycles) {
#if TRAPEZE_PLAIN_LOOP
  if (!observer_) return run_loop<false>(max_instructions, max_cycles, max_arch_cycles);
#endif
  return run_loop<true>(max_instructions, max_cycles, max_arch_cycles);
}

// run() itself; kObserving: the copy that handles a block observer (and also runs
// without one).
template <bool kObserving>
RunResult Machine::run_loop(uint64_t max_instructions, uint64_t max_cycles, uint64_t max_arch_cycles) {
  RunResult result;
  if (halted_) {
    result.reason = StopReason::Halted;
    return result;
  }
  slice_ = Slice{};
  slice_.max_steps = max_instructions;
  slice_.start_cycles = counters_.cycles;
  slice_.start_arch_cycles = counters_.arch_cycles;
  slice_.cycle_end = max_cycles > ~counters_.cycles ? ~uint64_t(0) : counters_.cycles + max_cycles;
  slice_.arch_end = max_arch_cycles > ~counters_.arch_cycles ? ~uint64_t(0)
                                                             : counters_.arch_cycles + max_arch_cycles;
  slice_.skip_breakpoint = true;
  slice_.start_pc = state_.pc;
  stop_at_ = 0;  // start with a boundary check: pending interrupts, budget 0
  if (kObserving) {  // (the plain loop reads neither)
    boundary_at_ = 0;
    observe_stop_ = observer_ ? counters_.arch_cycles + observe_at_ : kNoLimit;
  }

  // The register file and the TLB's fast slots are named through `this` at each
  // use, not held in local pointers: GCC kept such pointers on the stack and
  // reloaded them in nearly every handler (a host instruction per guest
  // instruction: 6 % of the ALU loop, 7 % of the load/store loop).
#define R state_.r
  const uint64_t* const cost = op_cost_;
#define FAST tlb_.fast_slots()
  uint8_t* const mem = mem_.data();
  const uint8_t* const code = mem_.code_flags();
  const uint32_t mem_size = mem_.size();

  // Hot state. `cyc` is the architectural clock (Counters::arch_cycles); the
  // instructions it charges also go to Counters::cycles when the state is synced.
  uint32_t pc = 0, mode = 0, tagbits = 0;
  uint64_t cyc = 0, stop = 0, fpage = 0;
  const isa::Decoded* fslots = nullptr;
  const isa::Decoded* ip = nullptr;  // the slot being executed, in fslots
  bool paging = false;
  uint64_t n = 0;      // retired since the last sync
  uint64_t dhits = 0;  // data TLB hits since the last sync
  // observe_pending_: a block ended (the block observer's run only), tell the
  // observer at top. A member, not a local: a local cost the plain loop a register
  // in its handlers (+7 % host instructions on the ALU loop).
  if (kObserving) observe_pending_ = false;

#define SYNC_OUT()                                                           \
  do {                                                                       \
    state_.pc = pc;                                                          \
    counters_.cycles += cyc - counters_.arch_cycles;                         \
    counters_.arch_cycles = cyc;                                             \
    (mode ? counters_.instructions_user : counters_.instructions_kernel) += n; \
    slice_.retired += n;                                                     \
    n = 0;                                                                   \
    counters_.dtlb_hits += dhits;                                            \
    dhits = 0;                                                               \
  } while (0)
#define SYNC_IN()                          \
  do {                                     \
    pc = state_.pc;                        \
    cyc = counters_.arch_cycles;           \
    stop = stop_at_;                       \
    fpage = fetch_page_;                   \
    fslots = fetch_slots_;                 \
    paging = translating();                \
    mode = state_.psw & isa::psw::U;       \
    tagbits = tag_ << 20;                  \
  } while (0)
#define WR(rd, v)    \
  do {               \
    R[rd] = (v);     \
    R[0] = 0;        \
  } while (0)
  // Host pointer for a load/store of `size` bytes at `va`, or goto slow. With
  // paging on, the TLB's fast slot must hold the page for this mode and tag.
#define READ_PTR(p, va, size)                                                    \
  if (TRAPEZE_LIKELY(paging)) {                                                  \
    const Tlb::FastSlot& sl_ = FAST[((va) >> 12) & (Tlb::kFastSlots - 1)];       \
    if (sl_.read_key[mode] != (((va) >> 12) | tagbits)) goto slow;               \
    ++dhits;                                                                     \
    p = sl_.host + ((va) & (isa::kPageSize - 1));                                \
  } else {                                                                       \
    if ((va) >= mem_size || (size) > mem_size - (va)) goto slow;                 \
    p = mem + (va);                                                              \
  }
#define WRITE_PTR(p, va, size)                                                   \
  if (TRAPEZE_LIKELY(paging)) {                                                  \
    const Tlb::FastSlot& sl_ = FAST[((va) >> 12) & (Tlb::kFastSlots - 1)];       \
    if (sl_.write_key[mode] != (((va) >> 12) | tagbits)) goto slow;              \
    ++dhits;                                                                     \
    p = sl_.host + ((va) & (isa::kPageSize - 1));                                \
  } else {                                                                       \
    if ((va) >= mem_size || (size) > mem_size - (va) || code[(va) >> 12]) goto slow; \
    p = mem + (va);                                                              \
  }

  SYNC_IN();
#if TRAPEZE_THREADED_DISPATCH
  // Label addresses are constants of this function, so the table is filled once
  // per process rather than on every call (a VMM calls run() once per translated
  // block or per trap: the fill would cost more than the instructions). A plain
  // static rather than a thread_local: the dispatch then needs no thread pointer.
  static const void* handlers[256];
  // The same with a block observer (Machine::BlockObserver): the block-ending
  // instructions that run inline, and running off a page, first mark `observe_pending_`
  // and stop the fast path, so the plain loop pays nothing for the observer.
  static const void* observed[256];
  static std::atomic<bool> handlers_ready{false};
  if (!handlers_ready.load(std::memory_order_acquire)) {
    static std::mutex fill;
    const std::lock_guard<std::mutex> lock(fill);
    if (!handlers_ready.load(std::memory_order_relaxed)) {
      for (const void*& h : handlers) h = &&slow;
#define TRAPEZE_HANDLER(OP) handlers[uint8_t(Op::OP)] = &&do_##OP;
      TRAPEZE_INLINE_OPS(TRAPEZE_HANDLER)
#undef TRAPEZE_HANDLER
      handlers[uint8_t(kPageEndOp)] = &&page_end;
      for (int op = 0; op < 256; ++op) {
        const isa::InsnInfo* i = isa::info(uint8_t(op));
        const bool ends = handlers[op] != &&slow && i && (i->flags & isa::BRANCH);
        observed[op] = ends ? &&observe_op : handlers[op];
      }
      observed[uint8_t(kPageEndOp)] = &&observe_page_end;
      handlers_ready.store(true, std::memory_order_release);
    }
  }
  const void* const* const dispatch = kObserving && observer_ ? observed : handlers;
#define CASE(OP) do_##OP:
#define DISPATCH() goto* dispatch[uint8_t(ip->op)]
#define OBSERVE_END()  // (the `observed` table's entries do it)
#else
#define CASE(OP) case uint8_t(Op::OP):
#define DISPATCH() goto dispatch_switch
  // With a block observer, the handlers of the block-ending instructions that run
  // inline, and running off a page, first mark `observe_pending_` and stop the fast
  // path (what the threaded loop's `observed` table does): a test in those handlers
  // only, none in the dispatch.
  const bool observing = kObserving && observer_ != nullptr;
#define OBSERVE_END()          \
  do {                         \
    if (observing) {           \
      observe_pending_ = true; \
      stop = 0;                \
    }                          \
  } while (0)
#endif
  // The pc of the slot `ip` (inside the latched page).
#define PC() (uint32_t(fpage) + uint32_t(ip - fslots) * 4u)
  // Retire, then go on with the next slot (the sentinel past the page's end leads
  // to page_end).
#define NEXT(OP)                  \
  do {                            \
    cyc += cost[uint8_t(Op::OP)]; \
    ++n;                          \
    ++ip;                         \
    if (cyc < stop) DISPATCH();   \
    pc = PC();                    \
    goto top;                     \
  } while (0)
  // Retire a taken branch to pc + 4 + imm: stay in the page's slots when it lands
  // there (imm is a multiple of 4).
#define BRANCH(OP, imm)                                                   \
  do {                                                                    \
    const ptrdiff_t k_ = (ip - fslots) + 1 + ((imm) >> 2);                \
    cyc += cost[uint8_t(Op::OP)];                                         \
    ++n;                                                                  \
    if (size_t(k_) < kWordsPerPage && cyc < stop) {                       \
      ip = fslots + k_;                                                   \
      DISPATCH();                                                         \
    }                                                                     \
    pc = uint32_t(fpage) + uint32_t(k_) * 4u;                             \
    goto top;                                                             \
  } while (0)
  // Retire a register jump to `target` (word-aligned).
#define JUMP(OP, target)                                                  \
  do {                                                                    \
    pc = (target);                                                        \
    cyc += cost[uint8_t(Op::OP)];                                         \
    ++n;                                                                  \
    const uint64_t off_ = uint64_t(pc) - fpage;                           \
    if (off_ < isa::kPageSize && cyc < stop) {                            \
      ip = fslots + (off_ >> 2);                                          \
      DISPATCH();                                                         \
    }                                                                     \
    goto top;                                                             \
  } while (0)

top:  // pc is valid here; ip is not
  if (cyc >= stop) {
    if (kObserving && cyc < boundary_at_) {  // only the observer's stops come before a boundary
      if (observe_pending_) {  // a block ended: the observer's turn, with nothing to sync
        observe_pending_ = false;
        const uint64_t retired = slice_.retired + n;
        if (follow_chain(pc, retired, cyc)) {  // along a link: no call
          stop = stop_at_;
          goto top_pc;
        }
        if (observe_block_end(pc, retired, cyc) == Flow::Stop) {
          SYNC_OUT();
          goto done;
        }
        stop = stop_at_;
        goto top_pc;
      }
      if (slice_.retired + n < observe_at_) {
        // The observer's look came before its instructions retired (dearer ones than
        // one cycle each): look again when they may have, with nothing to sync.
        set_observe_stop(cyc + (observe_at_ - (slice_.retired + n)));
        stop = stop_at_;
        goto top_pc;
      }
    }
    SYNC_OUT();
    // (only the block observer's stops come before boundary_at_)
    if ((!kObserving || cyc >= boundary_at_) && boundary<kObserving>() == Flow::Stop) goto done;
    if (kObserving && observer_ && (observe_pending_ || cyc >= observe_stop_)) {
      const bool ended = observe_pending_;
      observe_pending_ = false;
      if (ended) {
        if (observe_block_end(pc, slice_.retired, cyc) == Flow::Stop) goto done;
      } else if (slice_.retired < observe_at_) {  // (slower instructions) not there yet
        set_observe_stop(cyc + (observe_at_ - slice_.retired));
      } else if (observe_block_end(pc, slice_.retired, cyc) == Flow::Stop) {
        goto done;
      }
    }
    SYNC_IN();
  }
top_pc:
  {
    const uint64_t off = uint64_t(pc) - fpage;
    if (off >= isa::kPageSize || (pc & 3)) {
      SYNC_OUT();
      const Flow f = refill_fetch();
      SYNC_IN();
      if (f == Flow::Stop) goto done;
      goto top;
    }
    ip = fslots + (off >> 2);
  }
#if TRAPEZE_THREADED_DISPATCH
  DISPATCH();
#else
dispatch_switch:
  switch (uint8_t(ip->op)) {
    default: goto slow;
    case uint8_t(kPageEndOp):  // not an Op
      OBSERVE_END();
      goto page_end;
#endif
      // ---- ALU, register forms ------------------------------------------------
      CASE(ADD) WR(ip->a, R[ip->b] + R[ip->c]); NEXT(ADD);
      CASE(SUB) WR(ip->a, R[ip->b] - R[ip->c]); NEXT(SUB);
      CASE(AND) WR(ip->a, R[ip->b] & R[ip->c]); NEXT(AND);
      CASE(OR) WR(ip->a, R[ip->b] | R[ip->c]); NEXT(OR);
      CASE(XOR) WR(ip->a, R[ip->b] ^ R[ip->c]); NEXT(XOR);
      CASE(SHL) WR(ip->a, R[ip->b] << (R[ip->c] & 31)); NEXT(SHL);
      CASE(SHR) WR(ip->a, R[ip->b] >> (R[ip->c] & 31)); NEXT(SHR);
      CASE(SAR) WR(ip->a, uint32_t(int32_t(R[ip->b]) >> (R[ip->c] & 31))); NEXT(SAR);
      CASE(MUL) WR(ip->a, R[ip->b] * R[ip->c]); NEXT(MUL);
      CASE(DIV) {
        const uint32_t x = R[ip->b], y = R[ip->c];
        if (y == 0) goto slow;  // DIVZERO
        WR(ip->a, (int32_t(x) == INT_MIN && int32_t(y) == -1) ? x : uint32_t(int32_t(x) / int32_t(y)));
        NEXT(DIV);
      }
      CASE(DIVU) {
        const uint32_t y = R[ip->c];
        if (y == 0) goto slow;
        WR(ip->a, R[ip->b] / y);
        NEXT(DIVU);
      }
      CASE(REM) {
        const uint32_t x = R[ip->b], y = R[ip->c];
        if (y == 0) goto slow;
        WR(ip->a, (int32_t(x) == INT_MIN && int32_t(y) == -1) ? 0u : uint32_t(int32_t(x) % int32_t(y)));
        NEXT(REM);
      }
      CASE(REMU) {
        const uint32_t y = R[ip->c];
        if (y == 0) goto slow;
        WR(ip->a, R[ip->b] % y);
        NEXT(REMU);
      }
      CASE(SLT) WR(ip->a, int32_t(R[ip->b]) < int32_t(R[ip->c]) ? 1u : 0u); NEXT(SLT);
      CASE(SLTU) WR(ip->a, R[ip->b] < R[ip->c] ? 1u : 0u); NEXT(SLTU);

      // ---- ALU, immediate forms (imm already sign- or zero-extended) ----------
      CASE(LUI) WR(ip->a, uint32_t(ip->imm) << 16); NEXT(LUI);
      CASE(ADDI) WR(ip->a, R[ip->b] + uint32_t(ip->imm)); NEXT(ADDI);
      CASE(ANDI) WR(ip->a, R[ip->b] & uint32_t(ip->imm)); NEXT(ANDI);
      CASE(ORI) WR(ip->a, R[ip->b] | uint32_t(ip->imm)); NEXT(ORI);
      CASE(XORI) WR(ip->a, R[ip->b] ^ uint32_t(ip->imm)); NEXT(XORI);
      CASE(SHLI) WR(ip->a, R[ip->b] << (ip->imm & 31)); NEXT(SHLI);
      CASE(SHRI) WR(ip->a, R[ip->b] >> (ip->imm & 31)); NEXT(SHRI);
      CASE(SARI) WR(ip->a, uint32_t(int32_t(R[ip->b]) >> (ip->imm & 31))); NEXT(SARI);
      CASE(MULI) WR(ip->a, R[ip->b] * uint32_t(ip->imm)); NEXT(MULI);
      CASE(SLTI) WR(ip->a, int32_t(R[ip->b]) < ip->imm ? 1u : 0u); NEXT(SLTI);
      CASE(SLTIU) WR(ip->a, R[ip->b] < uint32_t(ip->imm) ? 1u : 0u); NEXT(SLTIU);

      // ---- memory: inline when the TLB fast slot hits (or paging is off) ------
      CASE(LDW) {
        const uint32_t va = R[ip->b] + uint32_t(ip->imm);
        if (va & 3) goto slow;
        const uint8_t* p;
        READ_PTR(p, va, 4);
        WR(ip->a, load_le32(p));
        NEXT(LDW);
      }
      CASE(LDB) {
        const uint32_t va = R[ip->b] + uint32_t(ip->imm);
        const uint8_t* p;
        READ_PTR(p, va, 1);
        WR(ip->a, *p);
        NEXT(LDB);
      }
      CASE(STW) {
        const uint32_t va = R[ip->b] + uint32_t(ip->imm);
        if (va & 3) goto slow;
        uint8_t* p;
        WRITE_PTR(p, va, 4);
        store_le32(p, R[ip->a]);
        NEXT(STW);
      }
      CASE(STB) {
        const uint32_t va = R[ip->b] + uint32_t(ip->imm);
        uint8_t* p;
        WRITE_PTR(p, va, 1);
        *p = uint8_t(R[ip->a]);
        NEXT(STB);
      }
      CASE(PUSH) {  // sp = sp - 4; mem32[sp] = rs
        const uint32_t va = R[isa::kRegSp] - 4;
        if (va & 3) goto slow;
        uint8_t* p;
        WRITE_PTR(p, va, 4);
        R[isa::kRegSp] = va;
        store_le32(p, R[ip->a]);
        NEXT(PUSH);
      }
      CASE(POP) {  // rd = mem32[sp]; sp = sp + 4
        const uint32_t va = R[isa::kRegSp];
        if (va & 3) goto slow;
        const uint8_t* p;
        READ_PTR(p, va, 4);
        WR(ip->a, load_le32(p));
        R[isa::kRegSp] += 4;
        NEXT(POP);
      }

      // ---- branches: imm is the byte offset from pc + 4 -----------------------
      CASE(BEQ) OBSERVE_END(); if (R[ip->a] == R[ip->b]) BRANCH(BEQ, ip->imm); NEXT(BEQ);
      CASE(BNE) OBSERVE_END(); if (R[ip->a] != R[ip->b]) BRANCH(BNE, ip->imm); NEXT(BNE);
      CASE(BLT) OBSERVE_END(); if (int32_t(R[ip->a]) < int32_t(R[ip->b])) BRANCH(BLT, ip->imm); NEXT(BLT);
      CASE(BGE) OBSERVE_END(); if (int32_t(R[ip->a]) >= int32_t(R[ip->b])) BRANCH(BGE, ip->imm); NEXT(BGE);
      CASE(BLTU) OBSERVE_END(); if (R[ip->a] < R[ip->b]) BRANCH(BLTU, ip->imm); NEXT(BLTU);
      CASE(BGEU) OBSERVE_END(); if (R[ip->a] >= R[ip->b]) BRANCH(BGEU, ip->imm); NEXT(BGEU);
      CASE(JMP) {
        OBSERVE_END();
        // `jmp .`, the idle loop waiting for an interrupt: run all its iterations
        // up to the next boundary at once. Exactly what interpreting them one by one
        // does (the same retired count and clock when the boundary is reached), only
        // without the host work, so an idle guest costs nothing to simulate.
        if (ip->imm == -4) {
          const uint64_t c = cost[uint8_t(Op::JMP)];  // at least 1 (recompute_op_costs)
          // At least one (a boundary that asks for single steps has stop == cyc).
          const uint64_t iterations = cyc < stop ? (stop - cyc + c - 1) / c : 1;
          cyc += iterations * c;
          n += iterations;
          pc = PC();
          goto top;
        }
        BRANCH(JMP, ip->imm);
      }
      CASE(CALL)
        OBSERVE_END();
        R[isa::kRegLr] = PC() + 4;
        BRANCH(CALL, ip->imm);
      CASE(JR) {
        OBSERVE_END();
        const uint32_t t = R[ip->a];
        if (t & 3) goto slow;  // MISALIGNED
        JUMP(JR, t);
      }
      CASE(CALLR) {
        OBSERVE_END();
        const uint32_t t = R[ip->a];
        if (t & 3) goto slow;
        R[isa::kRegLr] = PC() + 4;
        JUMP(CALLR, t);
      }
      CASE(RET) {
        OBSERVE_END();
        const uint32_t t = R[isa::kRegLr];
        if (t & 3) goto slow;
        JUMP(RET, t);
      }

      // ---- control registers in kernel mode (traps' handlers use them a lot) ---
      // (their one body's register, system_semantics.h; the rest of it is retire)
      CASE(MFCR) {
        // PRIVILEGED / ILLEGAL / a VM exit (cr_slow_: guest mode with EXIT_ON_PRIV)
        const uint32_t* cr = control_register(state_, *ip);
        if (mode || cr_slow_ || !cr) goto slow;
        WR(ip->a, *cr);
        NEXT(MFCR);
      }
      CASE(MTCR) {
        uint32_t* cr = control_register(state_, *ip);
        if (mode || cr_slow_ || !cr) goto slow;
        *cr = R[ip->a];
        NEXT(MTCR);
      }

#if !TRAPEZE_THREADED_DISPATCH
  }
#endif

#if TRAPEZE_THREADED_DISPATCH
observe_op:  // a block-ending instruction under the observer: run it, then top
  observe_pending_ = true;
  stop = 0;
  goto* handlers[uint8_t(ip->op)];
observe_page_end:
  observe_pending_ = true;
  stop = 0;
#endif
page_end:  // ran off the end of the page: fetch the next one
  pc = PC();
  goto top;

slow:  // ip is the instruction
  if (kObserving) observe_pending_ = false;  // it traps (or is no block end): nothing ended inline
  pc = PC();
  SYNC_OUT();
  {
    const isa::Decoded d = *ip;
    if (exec_slow(d) == Flow::Stop) goto done;
  }
  SYNC_IN();
  goto top;

done:
#undef CASE
#undef NEXT
#undef DISPATCH
#undef OBSERVE_END
#undef PC
#undef BRANCH
#undef JUMP
#undef SYNC_OUT
#undef SYNC_IN
#undef WR
#undef READ_PTR
#undef WRITE_PTR
#undef R
#undef FAST

  if (kObserving && observer_) observer_->run_stopped();
  result.reason = stop_reason_;
  result.instructions = slice_.retired;
  result.faulted = slice_.faulted;
  result.cycles = counters_.cycles - slice_.start_cycles;
  result.arch_cycles = counters_.arch_cycles - slice_.start_arch_cycles;
  if (stop_reason_ == StopReason::Trap) result.trap = stop_trap_;
  if (stop_reason_ == StopReason::VmExit) result.exit = stop_exit_;
  return result;
}

// At a block's end (`retired` in this run, the loop's clock `now`): the observer
// enters the next block or stops the run. (The loop follows links itself first
// where blocks end most often, at a block-ending instruction: follow_chain(). Where
// it does not, the observer does the same.)
Machine::Flow Machine::observe_block_end(uint32_t pc, uint64_t retired, uint64_t now) {
  uint64_t at = kNoLimit;
  observe_now_ = now;
  if (!observer_ || !observer_->block_end(pc, retired, at) || at <= retired) {
    stop_reason_ = StopReason::Budget;
    return Flow::Stop;
  }
  observe_at_ = at;
  set_observe_stop(now + (at - retired));
  return Flow::Next;
}

}  // namespace trapeze::machine
