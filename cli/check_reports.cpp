#include "check_reports.h"

namespace trapeze::cli {

namespace {

// What a person reads about one check: measured against expected.
std::string check_output(const nlohmann::ordered_json& c) {
  return "measured: " + c.value("measured", "") + "\nexpected: " + c.value("expected", "");
}

std::string xml_escape(const std::string& s) {
  std::string r;
  for (const unsigned char ch : s) {
    switch (ch) {
      case '&': r += "&amp;"; break;
      case '<': r += "&lt;"; break;
      case '>': r += "&gt;"; break;
      case '"': r += "&quot;"; break;
      case '\'': r += "&apos;"; break;
      case '\n': r += "&#10;"; break;
      case '\t': r += "&#9;"; break;
      default:
        // XML 1.0 allows no other control characters, even escaped.
        if (ch < 0x20 || ch == 0x7F) r += '?';
        else r += char(ch);
    }
  }
  return r;
}

}  // namespace

nlohmann::ordered_json gradescope_results(const nlohmann::ordered_json& results) {
  nlohmann::ordered_json tests = nlohmann::ordered_json::array();
  for (const auto& step : results["steps"]) {
    const std::string prefix = "Step " + std::to_string(step["step"].get<int>()) + ": ";
    const std::string error = step["error"].get<std::string>();
    for (const auto& c : step["checks"]) {
      std::string output = check_output(c);
      if (!error.empty()) output = "the step could not run: " + error;
      tests.push_back({{"name", prefix + c["name"].get<std::string>()},
                       {"number", c["id"]},
                       {"score", c["points"]},
                       {"max_score", c["max_points"]},
                       {"status", c["passed"].get<bool>() ? "passed" : "failed"},
                       {"output", output}});
    }
  }
  return {{"score", results["score"]},
          {"output", results["title"].get<std::string>() + ": " + std::to_string(results["score"].get<int>()) +
                         " of " + std::to_string(results["max_score"].get<int>()) + " points"},
          {"tests", tests}};
}

std::string junit_xml(const nlohmann::ordered_json& results) {
  int tests = 0, failures = 0;
  std::string suites;
  for (const auto& step : results["steps"]) {
    int n = 0, failed = 0;
    std::string cases;
    const std::string error = step["error"].get<std::string>();
    const std::string suite = "Step " + std::to_string(step["step"].get<int>()) + ": " + step["title"].get<std::string>();
    for (const auto& c : step["checks"]) {
      ++n;
      cases += "    <testcase name=\"" + xml_escape(c["name"].get<std::string>()) + "\" classname=\"" +
               xml_escape(results["lab"].get<std::string>() + "." + c["id"].get<std::string>()) + "\"";
      if (c["passed"].get<bool>()) {
        cases += "/>\n";
        continue;
      }
      ++failed;
      const std::string text = error.empty() ? check_output(c) : "the step could not run: " + error;
      const std::string message = error.empty() ? "measured " + c["measured"].get<std::string>() + ", expected " +
                                                      c["expected"].get<std::string>()
                                                : "the step could not run";
      cases += ">\n      <failure message=\"" + xml_escape(message) +
               "\" type=\"check\">" + xml_escape(text) + "</failure>\n    </testcase>\n";
    }
    suites += "  <testsuite name=\"" + xml_escape(suite) + "\" tests=\"" + std::to_string(n) + "\" failures=\"" +
              std::to_string(failed) + "\" errors=\"0\">\n" + cases + "  </testsuite>\n";
    tests += n;
    failures += failed;
  }
  return "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<testsuites name=\"" +
         xml_escape(results["title"].get<std::string>()) + "\" tests=\"" + std::to_string(tests) + "\" failures=\"" +
         std::to_string(failures) + "\" errors=\"0\">\n" + suites + "</testsuites>\n";
}

}  // namespace trapeze::cli
