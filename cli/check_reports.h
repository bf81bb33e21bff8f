// The two autograder formats `trapeze check` writes, both made from the one
// results JSON (lab::results_to_json): Gradescope's results.json (tests with
// name, score, max_score, status, output; a top-level score) and JUnit XML (a
// testsuite per step, a testcase per check, <failure> for a failed one).
#pragma once

#include <nlohmann/json.hpp>
#include <string>

namespace trapeze::cli {

nlohmann::ordered_json gradescope_results(const nlohmann::ordered_json& results);
std::string junit_xml(const nlohmann::ordered_json& results);

}  // namespace trapeze::cli
