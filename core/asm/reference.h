// The ISA reference for people: each instruction's class in words, and the
// generated part of docs/isa.md (formats, instructions, pseudo-instructions,
// predefined symbols, the Popek–Goldberg classification), all from the tables.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "isa/isa.h"

namespace trapeze::assembler {

// "innocuous", "privileged", "trap" or "sensitive-unprivileged" (a virtualization hole).
std::string_view insn_class(const isa::InsnInfo& i);
// "none", "control", "behaviour" or "control+behaviour".
std::string_view sensitive_kind(const isa::InsnInfo& i);

// The instruction table is laid out in opcode ranges; these name them for the
// reference page. A test checks that every instruction falls in exactly one.
struct OpcodeGroup {
  uint8_t first, last;
  std::string_view title;
};
inline constexpr OpcodeGroup kOpcodeGroups[] = {
    {0x00, 0x00, "Invalid instruction"},
    {0x01, 0x0F, "ALU, register forms"},
    {0x10, 0x1F, "ALU, immediate forms"},
    {0x20, 0x2F, "Memory and stack"},
    {0x30, 0x3F, "Branches and jumps"},
    {0x40, 0x47, "Deliberate traps"},
    {0x48, 0x4F, "Sensitive but unprivileged: the virtualization holes"},
    {0x50, 0x5F, "Privileged"},
    {0x60, 0x6F, "Hardware-virtualization extension"},
};

// The generated reference, as it appears between the markers in docs/isa.md.
std::string reference_markdown();

inline constexpr std::string_view kGeneratedBegin =
    "<!-- BEGIN GENERATED REFERENCE (trapeze isa --markdown; update with: trapeze isa "
    "--update-doc docs/isa.md) -->\n";
inline constexpr std::string_view kGeneratedEnd = "<!-- END GENERATED REFERENCE -->\n";

// The text between the markers of `doc`, or nullopt if the markers are missing.
std::optional<std::string_view> generated_part(std::string_view doc);
// `doc` with the text between its markers replaced; nullopt if they are missing.
std::optional<std::string> with_generated_part(std::string_view doc, std::string_view generated);

}  // namespace trapeze::assembler
