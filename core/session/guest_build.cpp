#include "session/guest_build.h"

#include "session/file_table.h"

namespace trapeze::session {

std::string GuestDiagnostic::format() const {
  if (line <= 0) return message;
  return file + ":" + std::to_string(line) + ":" + std::to_string(col) + ": " + message;
}

namespace {
std::string directory_of(const std::string& path) {
  const size_t slash = path.find_last_of('/');
  return slash == std::string::npos ? std::string() : path.substr(0, slash + 1);
}
}  // namespace

vmm::GuestConfig placeholder_config(const scenario::Scenario& s, const scenario::GuestSpec& spec) {
  return scenario::guest_config(s, spec);  // every field but the image
}

GuestBuild build_guest(const scenario::Scenario& s, const scenario::GuestSpec& spec,
                       const std::string& source, const std::string& origin,
                       const std::string& scenario_path, const scenario::FileReader& files) {
  GuestBuild out;
  out.file_name = origin.empty() ? std::string(kInlineSourceHome) + spec.name + ".s" : origin;
  if (source.size() > scenario::kMaxSourceBytes) {
    out.errors.push_back({out.file_name, 0, 0,
                          std::to_string(source.size()) + " bytes of source (at most " +
                              std::to_string(scenario::kMaxSourceBytes) + ")",
                          true});
    return out;
  }
  assembler::Options o;
  o.file_name = out.file_name;
  o.defines = spec.defines;
  // As scenario::build(): a para-virtual guest is its PV build.
  if (spec.strategy == vmm::StrategyKind::PV && !o.defines.count("PV")) o.defines["PV"] = 1;
  o.max_source_bytes = scenario::kMaxSourceBytes;
  if (files) {
    const std::string dir = directory_of(out.file_name), home = directory_of(scenario_path);
    o.include = [files, dir, home](const std::string& path) -> text::FileText {
      if (!path.empty() && path[0] == '/') return files(path);
      for (const std::string* base : {&dir, &home})
        if (text::FileText text = files(normalize_path(*base + path)); !text.missing()) return text;
      return files(normalize_path(path));
    };
  }
  assembler::Result r = assembler::assemble(source, o);
  for (const assembler::Diagnostic& d : r.errors)
    out.errors.push_back(
        {d.file, d.line, d.col, d.message, d.file == out.file_name});
  out.program = std::move(r.program);
  if (!out.errors.empty()) return out;

  vmm::GuestConfig gc = placeholder_config(s, spec);
  gc.image = out.program.segments;
  gc.entry = out.program.entry;
  // The VMM's own checks (does the image fit its memory...), for this guest alone.
  vmm::VmmConfig alone = vmm_config(s, {gc});
  if (std::string problem = vmm::validate(alone); !problem.empty()) {
    if (problem.starts_with("guests[0]")) problem = problem.substr(9);
    if (!problem.empty() && (problem[0] == '.' || problem[0] == ':')) problem = problem.substr(1);
    while (!problem.empty() && problem[0] == ' ') problem.erase(0, 1);
    out.errors.push_back({out.file_name, 0, 0, problem, true});
    return out;
  }
  out.config = std::move(gc);
  return out;
}

vmm::VmmConfig vmm_config(const scenario::Scenario& s, std::vector<vmm::GuestConfig> guests) {
  vmm::VmmConfig c;
  c.quantum = s.quantum;
  c.tlb = {s.tlb_entries, s.tlb_ways};
  for (const auto& [name, cycles] : s.cost)
    if (const auto e = machine::parse_cost_event(name)) c.cost[*e] = cycles;
  c.event_capacity = size_t(s.event_capacity);
  c.guests = std::move(guests);
  return c;
}

}  // namespace trapeze::session
