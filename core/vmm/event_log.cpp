#include "vmm/event_log.h"

namespace trapeze::vmm {

std::string_view event_kind_name(EventKind k) {
  switch (k) {
#define TRAPEZE_EVENT_NAME(NAME, name, data) \
  case EventKind::NAME: return name;
    TRAPEZE_VMM_EVENTS(TRAPEZE_EVENT_NAME)
#undef TRAPEZE_EVENT_NAME
  }
  return "unknown";
}

void EventLog::push(const Event& e) {
  ++total_;
  if (ring_.size() < capacity_) {
    ring_.push_back(e);
    return;
  }
  ring_[head_] = e;
  head_ = (head_ + 1) % capacity_;
}

std::vector<Event> EventLog::events() const {
  std::vector<Event> out;
  out.reserve(ring_.size());
  for (size_t i = 0; i < ring_.size(); ++i) out.push_back(at(i));
  return out;
}

void EventLog::clear() {
  ring_.clear();
  head_ = 0;
  total_ = 0;
}

}  // namespace trapeze::vmm
