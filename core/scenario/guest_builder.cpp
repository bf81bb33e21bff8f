#include "scenario/guest_builder.h"

#include "scenario/paths.h"

namespace trapeze::scenario {

namespace {

std::string field_of(size_t index, const std::string& key = "") {
  return "guests[" + std::to_string(index) + "]" + (key.empty() ? "" : "." + key);
}

// What the assembler calls the main source.
std::string file_name_of(const GuestSource& source, size_t index, const std::string& name,
                         const LoadOptions& options) {
  if (!source.origin.empty()) return source.origin;
  if (options.inline_home.empty()) return field_of(index, "source");
  return options.inline_home + name + ".s";
}

// The folder a source's includes are looked up in first: its file's, the inline
// home, or (for a source that is part of the scenario file) the scenario's.
std::string folder_of(const GuestSource& source, const LoadOptions& options) {
  if (!source.origin.empty()) return directory_of(source.origin);
  if (!options.inline_home.empty()) return options.inline_home;
  return directory_of(options.path);
}

}  // namespace

std::string GuestDiagnostic::format() const {
  if (line > 0)
    return file + ":" + std::to_string(line) + ":" + std::to_string(col) + ": " + message;
  if (!field.empty()) return field + ": " + message;
  return message;
}

std::string origin_of(const Scenario& s, size_t index, const LoadOptions& options) {
  const std::string& file = s.guests[index].file;
  if (file.empty()) return "";
  return normalize_path(file[0] == '/' ? file : directory_of(options.path) + file);
}

std::optional<GuestSource> read_source(const Scenario& s, size_t index, const LoadOptions& options,
                                       GuestDiagnostic* error) {
  const GuestSpec& g = s.guests[index];
  if (g.file.empty()) return GuestSource{g.source, ""};
  GuestDiagnostic d;
  d.field = field_of(index, "file");
  GuestSource source{"", origin_of(s, index, options)};
  if (!options.read_file) {
    d.message = "files cannot be read here (use \"source\")";
  } else if (text::FileText text = options.read_file(source.origin); text) {
    source.text = std::move(*text);
    return source;
  } else {
    d.message = "cannot read \"" + source.origin + "\"" + (text.missing() ? "" : ": " + text.error());
  }
  if (error) *error = std::move(d);
  return std::nullopt;
}

GuestBuild build_guest(const Scenario& s, size_t index, const GuestSpec& spec,
                       const GuestSource& source, const LoadOptions& options) {
  GuestBuild out;
  out.file_name = file_name_of(source, index, spec.name, options);
  if (source.text.size() > kMaxSourceBytes) {
    out.errors.push_back({out.file_name, 0, 0,
                          std::to_string(source.text.size()) + " bytes of source (at most " +
                              std::to_string(kMaxSourceBytes) + ")",
                          true, ""});
    return out;
  }
  assembler::Options o;
  o.file_name = out.file_name;
  o.defines = spec.defines;
  if (spec.strategy == vmm::StrategyKind::PV && !o.defines.count("PV")) o.defines["PV"] = 1;
  o.max_source_bytes = kMaxSourceBytes;
  if (options.read_file) {
    // The assembler hands over the name joined to the including file's folder, or
    // as written; either is looked up beside the main source, then the scenario.
    o.include = [files = options.read_file, dir = folder_of(source, options),
                 home = directory_of(options.path)](const std::string& path) -> text::FileText {
      if (!path.empty() && path[0] == '/') return files(path);
      for (const std::string* base : {&dir, &home})
        if (text::FileText text = files(normalize_path(*base + path)); !text.missing()) return text;
      return files(normalize_path(path));
    };
  }
  assembler::Result r = assembler::assemble(source.text, o);
  for (const assembler::Diagnostic& d : r.errors)
    out.errors.push_back({d.file, d.line, d.col, d.message, d.file == out.file_name, ""});
  out.program = std::move(r.program);
  if (!out.errors.empty()) return out;

  vmm::GuestConfig gc = guest_config(s, spec);
  gc.image = out.program.segments;
  gc.entry = out.program.entry;
  if (const auto problem = vmm::validate_guest(gc)) {  // does the image fit its memory...
    out.errors.push_back({"", 0, 0, problem->message, false, field_of(index, problem->field)});
    return out;
  }
  out.config = std::move(gc);
  return out;
}

vmm::GuestConfig guest_config(const Scenario& s, const GuestSpec& g) {
  vmm::GuestConfig gc;
  gc.name = g.name;
  gc.strategy = g.strategy;
  gc.memory_bytes = g.memory_bytes;
  gc.disk_sectors = g.disk_bytes / isa::kSectorSize;
  gc.tc_capacity = g.tc_capacity;
  gc.block = g.block;
  gc.max_instructions = s.max_instructions;
  gc.max_cycles = s.max_cycles;
  return gc;
}

vmm::VmmConfig vmm_config(const Scenario& s, std::vector<vmm::GuestConfig> guests) {
  vmm::VmmConfig c;
  c.quantum = s.quantum;
  c.tlb = {s.tlb_entries, s.tlb_ways};
  for (const auto& [name, cycles] : s.cost)
    if (const auto e = machine::parse_cost_event(name)) c.cost[*e] = cycles;
  c.event_capacity = size_t(s.event_capacity);
  c.guests = std::move(guests);
  return c;
}

}  // namespace trapeze::scenario
