// Assembling one guest of a scenario on its own: what the Session needs to
// re-assemble a single edited guest and reload only it. It mirrors
// scenario::build() for one guest (the same assembler options, the para-virtual
// PV=1 rule, the same GuestConfig fields; tests/session checks the two agree) and
// keeps what build() throws away: the listing and symbols (for the editor's PC
// line and the disassembly) and the diagnostics as data (for the error list).
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "asm/assembler.h"
#include "scenario/scenario.h"
#include "vmm/guest.h"

namespace trapeze::session {

struct GuestDiagnostic {
  std::string file;  // as the assembler names it
  int line = 0;      // 1-based; 0 when the problem is not on a line
  int col = 0;
  std::string message;
  bool in_source = false;  // in the guest's own source (not an included file)
  std::string format() const;  // "file:line:col: message", or just the message
};

struct GuestBuild {
  std::optional<vmm::GuestConfig> config;  // set when it assembled and fits
  assembler::Program program;
  std::vector<GuestDiagnostic> errors;
  std::string file_name;  // what the assembler called the main source
};

// Where includes of inline sources are looked up: as if the source were a file
// one folder deep in guests/, so `.include "../lib/arch.inc"` works in a guest
// that was edited (and exported inline) just as in its original file.
inline constexpr const char* kInlineSourceHome = "guests/inline/";

// Assembles `source` for guest `spec` of scenario `s` (spec's own source or file
// text is ignored: `source` is what the editor holds). `origin` is the file the
// source came from ("" if inline), for its includes; includes not found beside it
// are looked up beside the scenario file `scenario_path` (as scenario::build does).
GuestBuild build_guest(const scenario::Scenario& s, const scenario::GuestSpec& spec,
                       const std::string& source, const std::string& origin,
                       const std::string& scenario_path, const scenario::FileReader& files);

// What a guest that does not assemble gets in the VMM, so the rest of its
// scenario loads and runs: its place (memory, disk, strategy) with no image. The
// Session never lets it run; assembling its source reloads it with a real image.
vmm::GuestConfig placeholder_config(const scenario::Scenario& s, const scenario::GuestSpec& spec);

// The VMM configuration for `guests` under the scenario's machine settings.
vmm::VmmConfig vmm_config(const scenario::Scenario& s, std::vector<vmm::GuestConfig> guests);

}  // namespace trapeze::session
