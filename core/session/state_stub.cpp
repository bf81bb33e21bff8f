// TEMPORARY: a stand-in for Session::save_state/restore_state (iface20) until the
// snapshot work lands. It can save only a state right after a build (nothing has
// run), as the strategies of the guests; restoring builds the Vmm again.
#include "session/session.h"

namespace trapeze::session {

std::vector<uint8_t> Session::save_state() const {
  if (!vmm_ || vmm_->host_cycles() != 0) return {};
  std::vector<uint8_t> out{'S'};
  for (size_t i = 0; i < guests_.size(); ++i) {
    if (vmm_->guest(i).executed != 0) return {};
    out.push_back(uint8_t(strategy(i)));
  }
  return out;
}

bool Session::restore_state(std::span<const uint8_t> bytes, std::string* error) {
  if (bytes.size() != guests_.size() + 1 || bytes[0] != 'S') {
    if (error) *error = "not a state of this session";
    return false;
  }
  std::vector<vmm::GuestConfig> configs;
  for (size_t k = 0; k < guests_.size(); ++k)
    configs.push_back(config_of(guests_[k], vmm::StrategyKind(bytes[k + 1])));
  auto v = vmm::Vmm::create(scenario::vmm_config(doc_, std::move(configs)), error);
  if (!v) return false;
  vmm_ = std::move(v);
  return true;
}

}  // namespace trapeze::session
