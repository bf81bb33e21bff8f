// trapeze run: assemble a program and run it on the bare machine (no VMM) until it
// halts or reaches the instruction limit; print its console output and counters.
// A scenario (SCENARIO.json) goes to cmd_run_scenario.cpp instead, a snapshot
// (FILE.snap, known by its magic) to cmd_run_snapshot.cpp.
#include <cerrno>
#include <cinttypes>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <optional>
#include <sstream>
#include <string>
#include <string_view>

#include <nlohmann/json.hpp>

#include "asm/assembler.h"
#include "asm/defines.h"
#include "cmd_run_snapshot.h"
#include "commands.h"
#include "files.h"
#include "machine/machine.h"
#include "vmm/counters_json.h"

namespace trapeze::cli {
namespace {

constexpr const char* kRunUsage =
    "usage: trapeze run FILE.s [--max-instr N] [--json] [-D NAME[=VALUE]]... [--mem BYTES] [--tlb N]\n"
    "  runs the program on the bare machine from its entry (`_start`, else the lowest address),\n"
    "  in kernel mode with paging off, until `halt` or N instructions (default 100000000)\n"
    "  --json        print the result as JSON (keys: docs/machine.md, \"trapeze run\")\n"
    "  -D NAME[=V]   define NAME (default 1) for the assembler's .if/.ifdef\n"
    "  --mem BYTES   physical memory, a multiple of 4096 (suffix K or M allowed; default 1M)\n"
    "  --tlb N       TLB entries, 1..1024 (default 64, fully associative)\n"
    "exit 0: ran (halted or reached the limit); 1: assembly errors or a bad option\n";

constexpr uint64_t kDefaultMaxInstructions = 100'000'000;

int fail(const std::string& message) {
  std::fprintf(stderr, "trapeze run: %s\n", message.c_str());
  return kExitInputError;
}

// Decimal, 0x.. or 0b..; with `suffixes`, a trailing K or M multiplies by 1024 / 1024².
std::optional<uint64_t> parse_number(std::string_view s, bool suffixes = false) {
  uint64_t scale = 1;
  if (suffixes && !s.empty() && (s.back() == 'K' || s.back() == 'k')) scale = 1024, s.remove_suffix(1);
  else if (suffixes && !s.empty() && (s.back() == 'M' || s.back() == 'm')) scale = 1u << 20, s.remove_suffix(1);
  int base = 10;
  if (s.size() > 2 && s[0] == '0' && (s[1] == 'x' || s[1] == 'X')) base = 16, s.remove_prefix(2);
  else if (s.size() > 2 && s[0] == '0' && (s[1] == 'b' || s[1] == 'B')) base = 2, s.remove_prefix(2);
  if (s.empty()) return std::nullopt;
  uint64_t v = 0;
  for (char c : s) {
    int digit = -1;
    if (c >= '0' && c <= '9') digit = c - '0';
    else if (c >= 'a' && c <= 'f') digit = c - 'a' + 10;
    else if (c >= 'A' && c <= 'F') digit = c - 'A' + 10;
    if (digit < 0 || digit >= base) return std::nullopt;
    if (v > (~uint64_t(0) - uint64_t(digit)) / uint64_t(base)) return std::nullopt;
    v = v * uint64_t(base) + uint64_t(digit);
  }
  if (v > ~uint64_t(0) / scale) return std::nullopt;
  return v * scale;
}

struct RunOptions {
  std::string file;
  uint64_t max_instructions = kDefaultMaxInstructions;
  bool json = false;
  machine::MachineConfig config;
  assembler::Options asm_options;
};

// Parses the command line; on error returns the message.
std::optional<std::string> parse_args(int argc, char** argv, RunOptions& o) {
  for (int i = 1; i < argc; ++i) {
    const std::string_view arg = argv[i];
    auto value = [&](std::string_view flag) -> std::optional<std::string_view> {
      if (i + 1 >= argc) return std::nullopt;
      (void)flag;
      return std::string_view(argv[++i]);
    };
    if (arg == "--json") {
      o.json = true;
    } else if (arg == "--max-instr") {
      const auto v = value(arg);
      if (!v) return "--max-instr needs a number";
      const auto n = parse_number(*v);
      if (!n || *n == 0) return "bad --max-instr '" + std::string(*v) + "' (a positive integer)";
      o.max_instructions = *n;
    } else if (arg == "--mem") {
      const auto v = value(arg);
      if (!v) return "--mem needs a size";
      const auto n = parse_number(*v, /*suffixes=*/true);
      if (!n || *n > machine::kMaxMemoryBytes || *n < machine::kMinMemoryBytes || *n % isa::kPageSize)
        return "bad --mem '" + std::string(*v) + "' (a multiple of 4096 from 4K to 256M)";
      o.config.memory_bytes = uint32_t(*n);
    } else if (arg == "--tlb") {
      const auto v = value(arg);
      if (!v) return "--tlb needs a number";
      const auto n = parse_number(*v);
      if (!n || *n < 1 || *n > machine::kMaxTlbEntries)
        return "bad --tlb '" + std::string(*v) + "' (1..1024 entries)";
      o.config.tlb = {uint32_t(*n), 0};
    } else if (arg.substr(0, 2) == "-D") {
      std::string def(arg.substr(2));
      if (def.empty()) {
        if (i + 1 >= argc) return "-D needs NAME or NAME=VALUE";
        def = argv[++i];
      }
      std::string error;
      const auto d = assembler::parse_define(def, &error);
      if (!d) return "bad -D " + def + ": " + error + " (use -D NAME or -D NAME=VALUE)";
      o.asm_options.defines[d->name] = d->value;
    } else if (arg == "-h" || arg == "--help") {
      return std::string("help");
    } else if (!arg.empty() && arg[0] == '-') {
      return "unknown option '" + std::string(arg) + "'";
    } else if (o.file.empty()) {
      o.file = std::string(arg);
    } else {
      return "more than one program given ('" + o.file + "', '" + std::string(arg) + "')";
    }
  }
  if (o.file.empty()) return "no program given";
  return std::nullopt;
}

// The run as JSON; its counters in the one shape (vmm/counters_json.h), a bare
// machine's VMM half all zero as for a native guest.
nlohmann::ordered_json run_json(const machine::Machine& m, machine::StopReason reason) {
  nlohmann::ordered_json j;
  j["stop_reason"] = machine::stop_reason_name(reason);
  j["halted"] = m.halted();
  vmm::GuestCounters counters;
  counters.machine = m.counters();
  j["counters"] = vmm::counters_json(counters);
  j["console"] = m.console();
  j["console_truncated"] = m.console_truncated();
  j["pc"] = m.state().pc;
  j["state_hash"] = hex64(m.state_hash());
  return j;
}

void print_text(const machine::Machine& m, machine::StopReason reason) {
  const machine::Counters& c = m.counters();
  // Escaped: a guest's control bytes (ESC sequences) must not drive the terminal.
  const std::string console = text::escaped(m.console(), /*keep_newlines=*/true);
  std::fwrite(console.data(), 1, console.size(), stdout);
  if (!m.console().empty() && m.console().back() != '\n') std::printf("\n");
  if (m.console_truncated())
    std::printf("[console truncated: %" PRIu64 " bytes dropped]\n", c.console_dropped);
  std::printf("--- %s at pc 0x%08x ---\n",
              reason == machine::StopReason::Halted ? "halted" : "instruction limit reached",
              m.state().pc);
  std::printf("instructions  %" PRIu64 " (user %" PRIu64 ", kernel %" PRIu64 ")\n", c.instructions(),
              c.instructions_user, c.instructions_kernel);
  std::printf("cycles        %" PRIu64 "\n", c.cycles);
  std::string traps;
#define TRAPEZE_TRAP_TEXT(NAME, code, text)                                        \
  if (c.traps[code]) traps += std::string(traps.empty() ? "" : ", ") + #NAME + " " + \
                              std::to_string(c.traps[code]);
  TRAPEZE_CAUSES(TRAPEZE_TRAP_TEXT)
#undef TRAPEZE_TRAP_TEXT
  std::printf("traps         %s\n", traps.empty() ? "none" : traps.c_str());
  std::printf("tlb           hits %" PRIu64 ", misses %" PRIu64 " (data %" PRIu64 "/%" PRIu64
              ", fetch %" PRIu64 "/%" PRIu64 "), walk refs %" PRIu64 "\n",
              c.tlb_hits(), c.tlb_misses(), c.dtlb_hits, c.dtlb_misses, c.itlb_hits, c.itlb_misses,
              c.walk_refs);
  std::printf("port i/o      in %" PRIu64 ", out %" PRIu64 "\n", c.port_in, c.port_out);
  std::printf("state hash    %s\n", hex64(m.state_hash()).c_str());
}

// The program or scenario argument: the first that is not an option or an option's value.
std::string file_argument(int argc, char** argv) {
  for (int i = 1; i < argc; ++i) {
    const std::string_view a = argv[i];
    if (a == "--max-instr" || a == "--max-cycles" || a == "--mem" || a == "--tlb" || a == "--strategy" || a == "-D") {
      ++i;
      continue;
    }
    if (!a.empty() && a[0] != '-') return std::string(a);
  }
  return "";
}

}  // namespace

int cmd_run(int argc, char** argv) {
  if (const std::string file = file_argument(argc, argv); !file.empty() && is_snapshot_file(file))
    return cmd_run_snapshot(argc, argv);
  if (const std::string file = file_argument(argc, argv); !file.empty() && is_scenario_file(file))
    return cmd_run_scenario(argc, argv);
  RunOptions o;
  if (const auto error = parse_args(argc, argv, o)) return run_usage_answer(*error, kRunUsage);
  const text::FileText source = text::read_input_file(o.file);
  if (!source) return fail("cannot read '" + text::escaped(o.file) + "': " + source.error());

  o.asm_options.file_name = o.file;
  // The assembler names included files relative to the including file's folder.
  o.asm_options.include = [](const std::string& path) { return text::read_input_file(path); };
  const assembler::Result assembled = assembler::assemble(*source, o.asm_options);
  if (!assembled.ok()) {
    for (const assembler::Diagnostic& d : assembled.errors)
      std::fprintf(stderr, "%s\n", d.format().c_str());
    return kExitInputError;
  }

  machine::Machine m(o.config);
  for (const assembler::Segment& s : assembled.program.segments) {
    if (!m.poke(s.base, s.bytes)) {
      char msg[160];
      std::snprintf(msg, sizeof msg, "the segment at 0x%08x (%zu bytes) does not fit in %u bytes of memory",
                    s.base, s.bytes.size(), m.memory_size());
      return fail(msg);
    }
  }
  m.set_pc(assembled.program.entry);

  // Bounded slices, as a frontend would run it (the result does not depend on them).
  machine::StopReason reason = machine::StopReason::Budget;
  uint64_t left = o.max_instructions;
  while (left) {
    const machine::RunResult r = m.run(std::min<uint64_t>(left, 1u << 24));
    left -= std::min(left, r.instructions + r.faulted);  // the budget counts both
    reason = r.reason;
    if (r.reason != machine::StopReason::Budget) break;
  }

  if (o.json) std::printf("%s\n", text::json_text(run_json(m, reason), 2).c_str());
  else print_text(m, reason);
  return 0;
}

}  // namespace trapeze::cli
