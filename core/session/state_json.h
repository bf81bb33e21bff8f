// The session's run state as JSON, for the JavaScript API (and tests):
//   {"hostCycles":N,"guests":[{"name","strategy","state","pc","running",
//     "errors":["FILE:LINE:COL: message"...],"utilization",
//     "counters":{"machine":{...},"vmm":{...}},  the one shape: vmm/counters_json.h
//     "accounting":{"guest","transitions","vmm","total"}}]}
// "state" is "no image" for a guest whose source has not assembled since loading.
#pragma once

#include <string>

#include "session/session.h"

namespace trapeze::session {

std::string state_json(const Session& s);

}  // namespace trapeze::session
