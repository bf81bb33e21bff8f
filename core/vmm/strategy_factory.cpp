#include "vmm/strategy_factory.h"

#include "vmm/binary_translation.h"
#include "vmm/hardware_assisted.h"
#include "vmm/native.h"
#include "vmm/paravirt.h"
#include "vmm/trap_and_emulate.h"
#include "vmm/vmm.h"

namespace trapeze::vmm {

std::unique_ptr<Strategy> make_strategy(StrategyKind kind, Host& host, Guest& guest,
                                        const GuestPlacement& place, const VmmSettings& config) {
  switch (kind) {
    case StrategyKind::NATIVE:
      return std::make_unique<NativeStrategy>(guest, config.tlb, config.cost, host.log);
    case StrategyKind::TRAP: return std::make_unique<TrapAndEmulate>(host, guest, place);
    case StrategyKind::PV: return std::make_unique<ParaVirtual>(host, guest, place);
    case StrategyKind::BT:
      return std::make_unique<BinaryTranslation>(host, guest, place, guest.config.tc_capacity);
    case StrategyKind::HW:
    case StrategyKind::HW_NESTED:
      return std::make_unique<HardwareAssisted>(host, guest, place, kind == StrategyKind::HW_NESTED);
  }
  return nullptr;
}

}  // namespace trapeze::vmm
