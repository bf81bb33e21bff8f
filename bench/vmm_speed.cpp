// trapeze_vmm_speed: the VMM's wall-clock cost (issue 17, finding 5). For every
// guest kernel in guests/ and the shapes in bench/guests/, guest instructions per
// host second on bare metal (native) and under each strategy, and the ratio to
// bare metal. The PV column runs the -D PV=1 build, the others the bare one.
// A measurement, not a test: nothing here asserts a time.
//
//   trapeze_vmm_speed [--seconds S] [--root DIR] [--only SUBSTRING] [--markdown]
//                     [--strategy NAME] [--instructions N]
//     S: host seconds per cell at most (default 0.3); DIR: the repository (default:
//     the one it was built from); NAME: that column only; N: fixed work instead of
//     a time (N guest instructions per cell; the cell then shows the seconds), for
//     load-independent counts under valgrind (callgrind --toggle-collect on Vmm::run)
#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <map>
#include <optional>
#include <sstream>
#include <string>
#include <string_view>
#include <vector>

#include "asm/assembler.h"
#include "vmm/vmm.h"

namespace {

namespace fs = std::filesystem;
using trapeze::vmm::StrategyKind;
using Clock = std::chrono::steady_clock;

std::optional<std::string> read_file(const fs::path& p) {
  std::ifstream in(p, std::ios::binary);
  if (!in) return std::nullopt;
  std::ostringstream s;
  s << in.rdbuf();
  return s.str();
}

std::optional<trapeze::assembler::Program> assemble(const fs::path& file, bool pv) {
  const auto text = read_file(file);
  if (!text) return std::nullopt;
  trapeze::assembler::Options o;
  o.file_name = file.string();
  if (pv) o.defines["PV"] = 1;
  const fs::path dir = file.parent_path();
  o.include = [dir](const std::string& path) -> std::optional<std::string> {
    // Next to the including file, or a path the assembler already joined to it.
    if (auto t = read_file(dir / path)) return t;
    return read_file(path);
  };
  const trapeze::assembler::Result r = trapeze::assembler::assemble(*text, o);
  if (!r.errors.empty()) {
    std::fprintf(stderr, "%s\n", r.errors.front().format().c_str());
    return std::nullopt;
  }
  return r.program;
}

// Guest instructions per host second of `p` under `kind`, run (again and again if
// it halts early) for about `seconds`; < 0 if it cannot run.
double measure(const trapeze::assembler::Program& p, StrategyKind kind, double seconds,
               uint64_t budget) {
  uint64_t instructions = 0;
  double elapsed = 0;
  do {
    trapeze::vmm::VmmConfig c;
    trapeze::vmm::GuestConfig g;
    g.name = "g";
    g.strategy = kind;
    g.memory_bytes = 1u << 20;
    g.image = p.segments;
    g.entry = p.entry;
    g.max_instructions = budget ? budget - instructions : 200'000'000;
    c.guests.push_back(g);
    std::string error;
    auto vmm = trapeze::vmm::Vmm::create(c, &error);
    if (!vmm) {
      std::fprintf(stderr, "%s\n", error.c_str());
      return -1;
    }
    const auto start = Clock::now();
    while (!vmm->finished() &&
           (budget || elapsed + std::chrono::duration<double>(Clock::now() - start).count() < seconds))
      vmm->run(2'000'000);
    elapsed += std::chrono::duration<double>(Clock::now() - start).count();
    instructions += vmm->guest(0).executed;
    // Nothing run: it cannot run, unless this pass only started as the time ran out
    // (a guest that halts early is run again and again).
    if (vmm->guest(0).executed == 0) return instructions ? double(instructions) / elapsed : -1;
  } while (budget ? instructions < budget : elapsed < seconds);
  return double(instructions) / elapsed;
}

std::vector<fs::path> sources(const fs::path& root) {
  std::vector<fs::path> out;
  for (const char* dir : {"guests", "bench/guests"}) {
    std::error_code ec;
    for (auto it = fs::recursive_directory_iterator(root / dir, ec);
         !ec && it != fs::recursive_directory_iterator(); it.increment(ec))
      if (it->path().extension() == ".s" && it->path().parent_path().filename() != "lib")
        out.push_back(it->path());
  }
  std::sort(out.begin(), out.end());
  return out;
}

std::string human(double ips) {
  char buf[32];
  if (ips < 0) return "-";
  std::snprintf(buf, sizeof buf, "%.2fM", ips / 1e6);
  return buf;
}

}  // namespace

int main(int argc, char** argv) {
  double seconds = 0.3;
  fs::path root = TRAPEZE_SOURCE_DIR;
  std::string only, strategy;
  uint64_t budget = 0;
  for (int i = 1; i < argc; ++i) {
    const std::string_view a = argv[i];
    if (a == "--seconds" && i + 1 < argc) {
      seconds = std::strtod(argv[++i], nullptr);
      if (!(seconds > 0) || seconds > 10) seconds = 0.3;
    } else if (a == "--root" && i + 1 < argc) {
      root = argv[++i];
    } else if (a == "--only" && i + 1 < argc) {
      only = argv[++i];
    } else if (a == "--strategy" && i + 1 < argc) {
      strategy = argv[++i];
    } else if (a == "--instructions" && i + 1 < argc) {
      budget = std::strtoull(argv[++i], nullptr, 10);
    } else if (a == "--markdown") {
      // the table below is markdown already; accepted for symmetry with trapeze bench
    } else {
      std::fprintf(stderr,
                   "usage: %s [--seconds S] [--root DIR] [--only SUBSTRING] [--strategy NAME] "
                   "[--instructions N]\n",
                   argv[0]);
      return 2;
    }
  }
  const std::vector<std::pair<const char*, StrategyKind>> strategies = {
      {"native", StrategyKind::NATIVE}, {"trap", StrategyKind::TRAP}, {"pv", StrategyKind::PV},
      {"bt", StrategyKind::BT},         {"hw", StrategyKind::HW},     {"hw-nested", StrategyKind::HW_NESTED}};
  std::printf("guest instructions per host second (M = 10^6); (x) = bare metal / strategy, "
              "worst allowed: 10\n\n| guest |");
  for (const auto& s : strategies) std::printf(" %s |", s.first);
  std::printf(" worst |\n|---|");
  for (size_t i = 0; i <= strategies.size(); ++i) std::printf("---|");
  std::printf("\n");
  for (const fs::path& file : sources(root)) {
    const std::string name = fs::relative(file, root).generic_string();
    if (!only.empty() && name.find(only) == std::string::npos) continue;
    const auto bare = assemble(file, false);
    const auto pv = assemble(file, true);
    std::printf("| %s |", name.c_str());
    std::fflush(stdout);
    double native = -1, worst = 0;
    for (const auto& [label, kind] : strategies) {
      if (!strategy.empty() && strategy != label) {
        std::printf(" |");
        continue;
      }
      const auto& p = kind == StrategyKind::PV ? pv : bare;
      const double ips = p ? measure(*p, kind, seconds, budget) : -1;
      if (kind == StrategyKind::NATIVE) native = ips;
      if (kind == StrategyKind::NATIVE || ips <= 0 || native <= 0) {
        std::printf(" %s |", human(ips).c_str());
      } else {
        worst = std::max(worst, native / ips);
        std::printf(" %s (%.1f) |", human(ips).c_str(), native / ips);
      }
      std::fflush(stdout);
    }
    std::printf(" %.1f |\n", worst);
  }
  return 0;
}
