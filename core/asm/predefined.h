// Symbols every program can use without defining them: the port map, trap
// causes, PSW and page-table bits, the VM control block layout. They come from
// the ISA headers, so guest code never hard-codes a number the machine defines.
#pragma once

#include <cstdint>
#include <string>
#include <utility>
#include <vector>

namespace trapeze::assembler {

struct PredefinedSymbol {
  std::string name;
  int64_t value;
  std::string group;  // for the reference page: "ports", "trap causes", ...
};

const std::vector<PredefinedSymbol>& predefined_symbols();

}  // namespace trapeze::assembler
