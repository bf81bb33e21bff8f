// Building one guest of a scenario: its entry and source text in, the VMM's
// configuration for it out, with its program (listing and symbols, for the
// editor and the debugger) and its problems as data. The one place a guest is
// built: scenario::build() (the CLI, the experiments) and the session (the
// frontend, the JavaScript API, the bare-metal references) all come here, so
// they read the same fields, resolve includes alike and report the same errors.
#pragma once

#include <cstddef>
#include <optional>
#include <string>
#include <vector>

#include "asm/assembler.h"
#include "scenario/scenario.h"
#include "vmm/vmm.h"

namespace trapeze::scenario {

// A problem building a guest, located once, where it is: on a line of a source
// (file:line:col), in a source as a whole (file), or in a field of the scenario
// ("guests[1].file", "guests[0]" for the guest as a whole).
struct GuestDiagnostic {
  std::string file;  // as the assembler names it ("" for a field's problem)
  int line = 0;      // 1-based; 0 when the problem is not on a line
  int col = 0;
  std::string message;
  bool in_source = false;  // in the guest's own source (not an included file)
  std::string field;       // the scenario field, for a problem that is not in a source
  // "file:line:col: message", "field: message", or just the message.
  std::string format() const;
};

struct GuestBuild {
  std::optional<vmm::GuestConfig> config;  // set when it assembled and fits
  assembler::Program program;
  std::vector<GuestDiagnostic> errors;
  std::string file_name;  // what the assembler called the main source
};

// A guest's source text and the file it came from ("" if inline), normalized
// (paths.h): its name in diagnostics, and where its includes are looked up.
struct GuestSource {
  std::string text;
  std::string origin;
};

// Where guest `index`'s file is ("" for an inline guest): the scenario's folder
// joined with its "file", normalized.
std::string origin_of(const Scenario& s, size_t index, const LoadOptions& options);

// Guest `index`'s source as the scenario gives it: inline, or its file read
// through options.read_file. nullopt and *error (at "guests[i].file") if the
// file cannot be read.
std::optional<GuestSource> read_source(const Scenario& s, size_t index, const LoadOptions& options,
                                       GuestDiagnostic* error);

// Assembles `source` as guest `index` of `s` with the entry `spec` (its own
// "source" or "file" is not read: `source` is the text, perhaps edited) and checks
// that it fits (vmm::validate_guest). Includes are looked up beside the including
// file (the assembler), then beside the main source, beside the scenario, and
// from the root. A para-virtual guest is its PV build: PV=1 unless its defines
// set PV.
GuestBuild build_guest(const Scenario& s, size_t index, const GuestSpec& spec,
                       const GuestSource& source, const LoadOptions& options);

// Guest `spec`'s VMM configuration, every field but the image and entry: the one
// place scenario fields become GuestConfig fields (what a guest whose source does
// not assemble gets in a session: its place, with no image).
vmm::GuestConfig guest_config(const Scenario& s, const GuestSpec& spec);

// The VMM configuration for `guests` under the scenario's machine settings.
vmm::VmmConfig vmm_config(const Scenario& s, std::vector<vmm::GuestConfig> guests);

}  // namespace trapeze::scenario
