// Scenarios: a JSON file that says which guests to run and how — the unit a course
// page embeds, the CLI runs (`trapeze run SCENARIO.json`) and the frontend loads.
//
//   {
//     "version": 1,
//     "name": "two guests", "description": "...",
//     "quantum": 50000,                       host cycles per turn (default 50000)
//     "tlb_entries": 64, "tlb_ways": 0,        the host's TLB (defaults 64, fully associative)
//     "cost": {"TRAP_ENTRY": 120},             cost-model overrides (machine/cost_model.h rows)
//     "limits": {"max_instructions": N, "max_cycles": N},   per guest
//     "event_capacity": 4096,                  the VMM's event ring
//     "speed": 20000,                          the frontend's starting speed, host cycles
//                                              per frame (kMinSpeed to kMaxSpeed; absent:
//                                              its default). The CLI ignores it.
//     "guests": [
//       {"name": "a", "source": "...inline assembly...",   or "file": "guest.s" (relative
//                                                           to the scenario file)
//        "defines": {"PV": 1}, "memory": "256K", "strategy": "trap", "disk": "1M"}
//     ]
//   }
//
// Loading never crashes and never throws, whatever the input (it is fuzzed), and
// its errors name the field: `guests[1].strategy: unknown strategy "foo" (expected
// native, trap, pv, bt, hw, hw-nested)`. Unknown keys are errors (a typo must not
// pass silently). The filesystem is reached only through the caller's FileReader,
// so scenarios with inline sources load where there are no files (the browser).
#pragma once

#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "machine/cost_model.h"
#include "text/input_file.h"
#include "vmm/strategy.h"
#include "vmm/translation_cache.h"
#include "vmm/vmm.h"

namespace trapeze::scenario {

inline constexpr int kVersion = 1;
inline constexpr size_t kMaxScenarioBytes = text::kMaxInputFileBytes;  // as any input file
inline constexpr size_t kMaxSourceBytes = 256u << 10;  // per guest (its includes count separately)
inline constexpr int kMaxDepth = 32;                   // JSON nesting
inline constexpr uint64_t kDefaultQuantum = 50'000;
inline constexpr uint64_t kDefaultMaxInstructions =
    100'000'000;  // per guest, as `trapeze run FILE.s`
inline constexpr uint32_t kDefaultMemory = 256u << 10;
inline constexpr uint32_t kDefaultDisk = 1u << 20;
inline constexpr uint64_t kMinSpeed = 100;          // "speed": the frontend's slider range
inline constexpr uint64_t kMaxSpeed = 100'000'000;

// A guest's entry in a scenario but its strategy: what stays fixed while the guest
// runs (a session switches strategies live and keeps the strategy in its VMM only,
// as vmm::GuestSetup is a vmm::GuestConfig but its strategy).
struct GuestSetup {
  std::string name;
  std::string source;  // inline assembly ("" if `file`)
  std::string file;    // as written, relative to the scenario ("" if inline)
  std::map<std::string, int64_t> defines;
  uint32_t memory_bytes = kDefaultMemory;
  uint32_t disk_bytes = kDefaultDisk;
  uint32_t tc_capacity = vmm::kDefaultTcCapacity;  // bt: translated instructions cached
  // "block": {"queue_depth": N, "service": "fixed" | "exponential", "mean_service": cycles, "seed": N}
  machine::BlockDeviceConfig block;
  bool operator==(const GuestSetup&) const = default;
};

struct GuestSpec : GuestSetup {
  GuestSpec() = default;
  GuestSpec(GuestSetup setup, vmm::StrategyKind kind) : GuestSetup(std::move(setup)), strategy(kind) {}
  vmm::StrategyKind strategy = vmm::StrategyKind::TRAP;
  bool operator==(const GuestSpec&) const = default;
};

struct Scenario {
  int version = kVersion;
  std::string name;
  std::string description;
  uint64_t quantum = kDefaultQuantum;
  uint32_t tlb_entries = 64;
  uint32_t tlb_ways = 0;
  std::map<std::string, uint32_t> cost;  // overrides, by cost-row name
  uint64_t max_instructions = kDefaultMaxInstructions;
  uint64_t max_cycles = vmm::kNoLimit;
  uint64_t event_capacity = 4096;
  uint64_t speed = 0;  // host cycles per frame the frontend starts at (0: its default)
  std::vector<GuestSpec> guests;
  bool operator==(const Scenario&) const = default;
};

// Returns a file's text: missing if there is none, failed with the reason if it
// cannot be read (text/input_file.h). Paths are relative to the scenario file's
// directory joined as the loader says (see LoadOptions::path).
using FileReader = std::function<text::FileText(const std::string& path)>;

struct LoadOptions {
  // Where the scenario came from: "dir/x.json" makes "file": "a.s" read "dir/a.s".
  // Empty: an inline scenario (files relative to the current directory).
  std::string path;
  FileReader read_file;  // unset: "file" guests and .include are errors
  // What an inline source is called and where its includes are looked up first.
  // Empty: by its field ("guests[1].source"), includes beside the scenario (the
  // CLI: the source is part of the scenario file). A folder ("guests/inline/"):
  // "guests/inline/NAME.s", as if the source were a file there, so that
  // `.include "../lib/arch.inc"` works in a guest exported inline from its file
  // (the session).
  std::string inline_home;
};

// Why a scenario of `bytes` bytes is refused: the limit, and what to do about it.
// The one message for it, wherever a scenario is parsed, saved or shared.
std::string too_large_message(size_t bytes);

// Parses and checks a scenario. On error returns nullopt and sets *error to one line
// naming the field.
std::optional<Scenario> parse(std::string_view json, std::string* error);

// The scenario as JSON (parse(to_json(s)) == s).
std::string to_json(const Scenario& s);

// Assembles every guest (guest_builder.h) and builds the VMM's configuration. On
// error returns nullopt and sets *error: every error, one per line, an assembler
// error as `guest "name": FILE:LINE:COL: error: message`, a field's as
// `guests[1].file: cannot read "x.s"`.
std::optional<vmm::VmmConfig> build(const Scenario& s, const LoadOptions& options,
                                    std::string* error);

// parse + build + Vmm::create.
std::unique_ptr<vmm::Vmm> load(std::string_view json, const LoadOptions& options,
                               std::string* error);

// "256K" -> 262144, "1M", "4096", "0x1000"; nullopt if not a size.
std::optional<uint64_t> parse_size(std::string_view text);

}  // namespace trapeze::scenario
