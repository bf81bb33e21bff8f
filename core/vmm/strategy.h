// How a guest is run: its strategy. ONE table of strategies (name, what it is);
// the scenario loader, the CLI's --strategy and the frontend read it.
//
// A strategy is the *mechanism*; the guest's architectural state is not in it.
// Everything the guest can see — its virtual CPU (guest.h: VirtualCpu), its
// guest-physical memory and its virtual devices — lives in the Guest and is
// complete whenever the guest is off the CPU, so the VMM can switch a running
// guest from one strategy to another by saving, replacing the strategy and loading
// (the new strategy rebuilds its own tables — shadow, nested, translation cache —
// lazily from that state).
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace trapeze::machine {
class Machine;
}

namespace trapeze::vmm {

// clang-format off
#define TRAPEZE_STRATEGIES(X) \
  X(NATIVE,    "native",    "bare metal: the guest alone on its own machine, no VMM (the reference)") \
  X(TRAP,      "trap",      "trap-and-emulate: the guest kernel runs in user mode; privileged instructions trap and are emulated; shadow page tables") \
  X(PV,        "pv",        "para-virtual: the guest is built with -D PV=1 (hypercalls instead of sensitive instructions); trap-and-emulate plus the hypercalls") \
  X(BT,        "bt",        "binary translation: guest user code runs as under trap-and-emulate; guest-kernel code runs block by block from a translation cache, privileged and sensitive instructions turned into callouts into the VMM (no trap, the U/K-bit problem gone); shadow page tables") \
  X(HW,        "hw",        "hardware-assisted, shadow paging: the guest kernel runs in guest mode in its real kernel mode (sensitive instructions act on its own PSW/PTR copies); I/O, page-table register operations and page faults exit to the VMM, which keeps shadow tables") \
  X(HW_NESTED, "hw-nested", "hardware-assisted, nested paging: as hw, but the MMU walks the guest's own table through the VMM's nested table (two-dimensional walk, up to 8 references per TLB miss); only I/O exits")
// clang-format on

enum class StrategyKind : uint8_t {
#define TRAPEZE_STRATEGY_ENUM(NAME, name, summary) NAME,
  TRAPEZE_STRATEGIES(TRAPEZE_STRATEGY_ENUM)
#undef TRAPEZE_STRATEGY_ENUM
};

struct StrategyInfo {
  StrategyKind kind;
  std::string_view name;  // as in scenarios and on the command line
  std::string_view summary;
};

inline constexpr StrategyInfo kStrategies[] = {
#define TRAPEZE_STRATEGY_INFO(NAME, name, summary) \
  StrategyInfo{StrategyKind::NAME, name, summary},
    TRAPEZE_STRATEGIES(TRAPEZE_STRATEGY_INFO)
#undef TRAPEZE_STRATEGY_INFO
};

inline const StrategyInfo& strategy_info(StrategyKind k) { return kStrategies[size_t(k)]; }
inline std::string_view strategy_name(StrategyKind k) { return strategy_info(k).name; }
std::optional<StrategyKind> parse_strategy(std::string_view name);
// "native, trap, pv, bt, hw, hw-nested".
std::string strategy_names();

class Guest;
class TranslationCache;

// The mechanism that runs one guest. The Vmm drives it:
//   load()   world switch in: put the guest's state on the host CPU
//   run()    run it for at most `max_cycles` of host time (its share of this turn)
//   save()   the complete guest-visible state back into the Guest (at a world
//            switch out, and at the end of every Vmm::run() for inspection, when
//            the guest may stay on the CPU)
//   unload() world switch out, after save(): leave the host CPU as load() found
//            it (the hardware-assisted strategy leaves guest mode)
// A strategy that does not use the host (native) ignores load/save/unload.
class Strategy {
 public:
  virtual ~Strategy() = default;
  virtual StrategyKind kind() const = 0;
  virtual bool uses_host() const = 0;
  virtual void load() = 0;
  virtual void save() = 0;
  virtual void unload() {}
  // Returns the host cycles it used (the guest's own machine's, for native); may
  // overshoot max_cycles by the cost of one instruction or one VMM action.
  // Stops early when the guest halts, crashes or reaches a limit (Guest::state).
  virtual uint64_t run(uint64_t max_cycles) = 0;
  // Before the strategy is replaced under a running guest: leave everything the
  // guest can see in the Guest, its memory in its home region of host memory
  // (nothing to do for the strategies that run it there).
  virtual void detach() {}
  // The console output so far.
  virtual const std::string& console() const = 0;
  // For inspection: the host-physical root of the table the MMU walks for this
  // guest now (a shadow of its current mode, the physical map, a nested table...),
  // 0 if it does not run on the host.
  virtual uint32_t hardware_table() const { return 0; }
  // For inspection: binary translation's cache of translated blocks (nullptr for
  // the other strategies).
  virtual const TranslationCache* translation_cache() const { return nullptr; }
  // For inspection: the guest's own machine when it runs alone on one (bare metal),
  // nullptr when it runs on the host.
  virtual const machine::Machine* own_machine() const { return nullptr; }
  // The strategy's own structures (shadow tables, translation cache, control block,
  // nested table...) checked against their invariants and the guest's state: "" or
  // the first problem. Read-only; the VMM's consistency checker (consistency.h)
  // calls it between run() calls, the fuzzers after every slice.
  virtual std::string check() const { return ""; }
};

}  // namespace trapeze::vmm
