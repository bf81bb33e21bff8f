#include "experiments/guest_run.h"

namespace trapeze::experiments {

std::optional<std::string> read_golden(const Sources& sources, const std::string& file,
                                       std::string* error) {
  const std::string path = sources.guests_dir.empty() ? file : sources.guests_dir + "/" + file;
  text::FileText text = sources.read_file ? sources.read_file(path) : text::FileText();
  if (!text && error)
    *error = "cannot read the golden output \"" + path + "\"" + (text.missing() ? "" : ": " + text.error());
  if (!text) return std::nullopt;
  return std::move(*text);
}

std::unique_ptr<GuestRun> GuestRun::start(const GuestRunSpec& spec, const Sources& sources,
                                          std::string* error) {
  scenario::Scenario s;
  s.name = spec.file;
  s.tlb_entries = spec.tlb_entries;
  s.max_instructions = spec.max_instructions;
  scenario::GuestSpec g;
  g.name = spec.file;
  g.file = spec.file;
  g.defines = spec.defines;
  g.strategy = spec.strategy;
  g.memory_bytes = spec.memory_bytes;
  g.tc_capacity = spec.tc_capacity;
  s.guests.push_back(g);
  scenario::LoadOptions load;
  // A scenario file placed in the guests folder: "file" paths are relative to it.
  load.path = sources.guests_dir.empty() ? "experiment.json" : sources.guests_dir + "/experiment.json";
  load.read_file = sources.read_file;
  std::string err;
  auto config = scenario::build(s, load, &err);
  if (!config) {
    if (error) *error = err;
    return nullptr;
  }
  if (spec.customize) spec.customize(*config);
  auto v = vmm::Vmm::create(*config, &err);
  if (!v) {
    if (error) *error = err;
    return nullptr;
  }
  return std::unique_ptr<GuestRun>(new GuestRun(std::move(v)));
}

bool GuestRun::step(uint64_t budget) {
  if (!vmm_->finished()) vmm_->run(budget);
  return vmm_->finished();
}

bool GuestRun::halted_with(const std::string& console) const {
  return guest().state == vmm::GuestState::Halted && guest().console() == console;
}

}  // namespace trapeze::experiments
