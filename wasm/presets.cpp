#include "presets.h"

#include <algorithm>
#include <iterator>
#include <nlohmann/json.hpp>

#include "bundled_files.h"

namespace trapeze::ui {
namespace {

struct Idea {
  const char* path;
  const char* idea;
};

// Teaching order; the lecture ideas of the product brief.
constexpr Idea kIdeas[] = {
    {"scenarios/uk-bit-problem.json",
     "Sensitive but unprivileged instructions: under trap-and-emulate the kernel finds itself in user "
     "mode (the Console marks where it departs from bare metal)."},
    {"scenarios/one-guest-four-strategies.json",
     "Trap-and-emulate, para-virtualization, binary translation and hardware support run the same "
     "kernel: same output, different costs."},
    {"scenarios/two-guests-sharing-a-cpu.json",
     "A VMM runs several isolated guest kernels on one CPU, each in its quantum, with world switches."},
    {"scenarios/shadow-vs-nested.json",
     "The VMM combines the guest's page table with its own: shadow page tables against nested paging."},
    {"scenarios/emulated-vs-pv-io.json",
     "Emulated device registers against a para-virtual ring: what batching I/O buys."},
    {"scenarios/monolithic-vs-microkernel.json",
     "The same service in the kernel and by IPC to a user-level server: the cost of crossings."},
};

std::vector<Preset> read_presets() {
  std::vector<Preset> out;
  for (const std::string& path : session::list_files(bundled_files(), "scenarios/", ".json")) {
    Preset p{path, path, ""};
    const auto text = session::table_reader(bundled_files())(path);
    const auto j = nlohmann::json::parse(text ? *text : "", nullptr, false);
    if (j.is_object() && j.contains("name") && j["name"].is_string() && !j["name"].get<std::string>().empty())
      p.name = j["name"].get<std::string>();
    for (const Idea& i : kIdeas)
      if (path == i.path) p.idea = i.idea;
    out.push_back(std::move(p));
  }
  auto rank = [](const Preset& p) {
    for (size_t k = 0; k < std::size(kIdeas); ++k)
      if (p.path == kIdeas[k].path) return k;
    return std::size(kIdeas);
  };
  std::stable_sort(out.begin(), out.end(), [&](const Preset& a, const Preset& b) { return rank(a) < rank(b); });
  return out;
}

}  // namespace

const std::vector<Preset>& presets() {
  static const std::vector<Preset> list = read_presets();
  return list;
}

}  // namespace trapeze::ui
