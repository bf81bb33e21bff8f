// A panel that breaks the frontend's include rule, for include_rule.cmake's self-test
// (never compiled): two strategy headers, one the rule must find through a base class.
#include <imgui.h>

#include "vmm/inspect.h"
#include "vmm/native.h"
#  include <vmm/paravirt.h>
