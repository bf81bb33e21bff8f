#include "vmm/counters_json.h"

#include <string>

#include "isa/isa.h"
#include "isa/vm_control_block.h"

namespace trapeze::vmm {

nlohmann::ordered_json counters_json(const GuestCounters& c) {
  nlohmann::ordered_json m;
  for (const machine::CounterInfo& k : machine::kCounterInfo) m[k.name] = c.machine.*k.field;
  nlohmann::ordered_json traps = nlohmann::ordered_json::object();
#define TRAPEZE_TRAP_KEY(NAME, code, text) \
  if (isa::Cause::NAME != isa::Cause::NONE) traps[#NAME] = c.machine.traps[code];
  TRAPEZE_CAUSES(TRAPEZE_TRAP_KEY)
#undef TRAPEZE_TRAP_KEY
  m["traps"] = traps;
  nlohmann::ordered_json exits = nlohmann::ordered_json::object();
#define TRAPEZE_EXIT_KEY(NAME, code, text) \
  if (isa::vmcb::ExitReason::NAME != isa::vmcb::ExitReason::NONE) exits[#NAME] = c.machine.vm_exits_by_reason[code];
  TRAPEZE_EXIT_REASONS(TRAPEZE_EXIT_KEY)
#undef TRAPEZE_EXIT_KEY
  m["vm_exits_by_reason"] = exits;
  nlohmann::ordered_json v;
  for (const VmmCounterInfo& k : kVmmCounterInfo) v[k.name] = c.vmm.*k.field;
  nlohmann::ordered_json by_op = nlohmann::ordered_json::object();
  for (const isa::InsnInfo& i : isa::instructions())
    if (i.privileged()) by_op[std::string(i.mnemonic)] = c.vmm.emulated_by_op[i.opcode];
  v["emulated_by_op"] = by_op;
  nlohmann::ordered_json callouts = nlohmann::ordered_json::object();
  for (const isa::InsnInfo& i : isa::instructions())
    if (i.privileged() || i.sensitive() || i.flags & isa::STORE)
      callouts[std::string(i.mnemonic)] = c.vmm.bt_callouts_by_op[i.opcode];
  v["bt_callouts_by_op"] = callouts;
  nlohmann::ordered_json by_cause = nlohmann::ordered_json::object();
#define TRAPEZE_REFLECT_KEY(NAME, code, text) \
  if (isa::Cause::NAME != isa::Cause::NONE) by_cause[#NAME] = c.vmm.reflected_by_cause[code];
  TRAPEZE_CAUSES(TRAPEZE_REFLECT_KEY)
#undef TRAPEZE_REFLECT_KEY
  v["reflected_by_cause"] = by_cause;
  return {{"machine", m}, {"vmm", v}};
}

nlohmann::ordered_json accounting_json(const CycleAccounting& a) {
  nlohmann::ordered_json o;
  for (const CycleAccountInfo& k : kCycleAccountInfo) o[k.name] = a.*k.field;
  o["total"] = a.total();
  return o;
}

}  // namespace trapeze::vmm
