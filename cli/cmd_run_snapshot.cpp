// trapeze run FILE.snap: restores a snapshot into a session and goes on until
// every guest has halted, crashed or reached a limit, exactly as the run it was
// taken from would have (the same calls, cut where the snapshot was taken: the
// VMM's results do not depend on how a run is cut). And --save-at's side: the
// scenario run through a session until the save point, then the snapshot written.
#include "cmd_run_snapshot.h"

#include <cstdio>
#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <optional>
#include <span>
#include <string_view>
#include <vector>

#include "commands.h"
#include "files.h"
#include "run_report.h"
#include "session/session.h"
#include "session/snapshot_format.h"

namespace trapeze::cli {
namespace {

constexpr const char* kUsage =
    "usage: trapeze run FILE.snap [--json] [--max-instr N] [--max-cycles N]\n"
    "  goes on from a snapshot (written by `trapeze run SCENARIO.json --save-at N`, or saved\n"
    "  in the app) until every guest halts, crashes or reaches a limit; a snapshot is known\n"
    "  by its first bytes, whatever its name\n"
    "  --json          print the result as JSON (as `trapeze run SCENARIO.json --json`)\n"
    "  --max-instr N   per-guest instruction limit, counted from the guest's start\n"
    "                  (replaces the snapshot's)\n"
    "  --max-cycles N  per-guest cycle limit (replaces the snapshot's)\n"
    "exit 0: ran; 1: a damaged, foreign or newer file (the reason on stderr) or option\n";

// A snapshot is compressed; this bounds what is read before its own checks run.
constexpr size_t kMaxSnapshotFileBytes = size_t(1) << 30;

// Run calls as `trapeze run SCENARIO.json` makes them, with no wall-time limit.
constexpr uint64_t kSlice = 10'000'000;
constexpr double kNoWallLimit = 1e15;

// No history for going back (rewind.h): the CLI only runs forward, and keeping
// checkpoints would cost time and up to their memory budget for nothing.
session::Session cli_session() {
  session::Session s([](const std::string& path) { return text::read_input_file(path); });
  s.rewind().settings.budget_bytes = 0;
  return s;
}

struct Options {
  std::string file;
  bool json = false;
  std::optional<uint64_t> max_instructions, max_cycles;
};

std::optional<std::string> parse_args(int argc, char** argv, Options& o) {
  for (int i = 1; i < argc; ++i) {
    const std::string_view arg = argv[i];
    if (arg == "--json") {
      o.json = true;
    } else if (arg == "--max-instr" || arg == "--max-cycles") {
      const auto n = i + 1 < argc ? parse_count(argv[++i]) : std::nullopt;
      if (!n || *n == 0) return "bad " + std::string(arg) + " (a positive integer)";
      (arg == "--max-instr" ? o.max_instructions : o.max_cycles) = *n;
    } else if (arg == "-h" || arg == "--help") {
      return std::string("help");
    } else if (!arg.empty() && arg[0] == '-') {
      return "unknown option '" + std::string(arg) + "' for a snapshot";
    } else if (o.file.empty()) {
      o.file = std::string(arg);
    } else {
      return "more than one snapshot given";
    }
  }
  return std::nullopt;
}

// The snapshot with its document's limits replaced (the limits are the document's:
// Session::restore_snapshot gives every guest those).
bool with_limits(std::vector<uint8_t>& bytes, const Options& o, std::string* error) {
  std::vector<session::SnapshotSection> sections;
  if (!session::read_snapshot_file(bytes, &sections, error)) return false;
  for (session::SnapshotSection& s : sections) {
    if (std::string_view(s.id, 4) != "DOCU") continue;
    auto doc = scenario::parse(std::string(s.bytes.begin(), s.bytes.end()), error);
    if (!doc) return false;
    if (o.max_instructions) doc->max_instructions = *o.max_instructions;
    if (o.max_cycles) doc->max_cycles = *o.max_cycles;
    const std::string json = scenario::to_json(*doc);
    s.bytes.assign(json.begin(), json.end());
  }
  bytes = session::write_snapshot_file(sections, 1);
  return true;
}

}  // namespace

bool is_snapshot_file(const std::string& path) {
  // Only a regular file is opened (a FIFO would block the open).
  std::error_code ec;
  if (!std::filesystem::is_regular_file(path, ec)) return false;
  std::ifstream in(path, std::ios::binary);
  uint8_t magic[8] = {};
  return in.read(reinterpret_cast<char*>(magic), sizeof magic) && session::is_snapshot(magic);
}

int run_and_save(const scenario::Scenario& s, const std::string& path, const SaveAt& at,
                 const std::string& file, bool json) {
  session::Session session = cli_session();
  std::string error;
  if (!session.load(scenario::to_json(s), path, &error)) {
    std::fprintf(stderr, "%s: %s\n", path.c_str(), error.c_str());
    return kExitInputError;
  }
  const vmm::Vmm& v = *session.vmm();
  if (at.by_cycles) {
    while (v.host_cycles() < at.cycles && !v.finished())
      session.run_cycles(at.cycles - v.host_cycles(), kNoWallLimit);
  } else {
    // Each instruction takes a cycle at least, so a run of the instructions still
    // missing never passes the point by more than the last turn's overshoot.
    const vmm::Guest& first = v.guest(0);
    while (first.executed < at.instructions && first.ready() && !v.finished())
      session.run_cycles(at.instructions - first.executed, kNoWallLimit);
  }
  const std::vector<uint8_t> bytes = session.save_snapshot();
  if (!write_file(file, std::string_view(reinterpret_cast<const char*>(bytes.data()), bytes.size()))) {
    std::fprintf(stderr, "trapeze run: cannot write '%s'\n", text::escaped(file).c_str());
    return kExitInputError;
  }
  std::fprintf(stderr, "snapshot written to %s (%zu bytes): guest 0 at %llu instructions, host at %llu cycles\n",
               text::escaped(file).c_str(), bytes.size(), (unsigned long long)v.guest(0).executed,
               (unsigned long long)v.host_cycles());
  if (json)
    print_run_json(s, v);
  else
    print_run_text(s, v);
  return 0;
}

int cmd_run_snapshot(int argc, char** argv) {
  Options o;
  if (const auto error = parse_args(argc, argv, o)) return run_usage_answer(*error, kUsage);
  std::vector<uint8_t> bytes;
  std::string error;
  if (!read_binary_file(o.file, kMaxSnapshotFileBytes, &bytes, &error)) {
    std::fprintf(stderr, "trapeze run: cannot read '%s': %s\n", text::escaped(o.file).c_str(),
                 error.c_str());
    return kExitInputError;
  }
  session::Session session = cli_session();
  if (((o.max_instructions || o.max_cycles) && !with_limits(bytes, o, &error)) ||
      !session.restore_snapshot(bytes, &error)) {
    std::fprintf(stderr, "trapeze run: %s: %s\n", text::escaped(o.file).c_str(),
                 text::escaped(error).c_str());
    return kExitInputError;
  }
  while (!session.vmm()->finished()) session.run_cycles(kSlice, kNoWallLimit);
  if (o.json)
    print_run_json(session.settings(), *session.vmm());
  else
    print_run_text(session.settings(), *session.vmm());
  return 0;
}

}  // namespace trapeze::cli
