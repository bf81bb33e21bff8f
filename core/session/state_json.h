// The session's run state as JSON, for the JavaScript API (and tests):
//   {"hostCycles":N,"guests":[{"name","strategy","state","pc","running",
//     "counters":{every machine and VMM counter by name, "traps", "utilization"}}]}
#pragma once

#include <string>

#include "session/session.h"

namespace trapeze::session {

std::string state_json(const Session& s);

}  // namespace trapeze::session
