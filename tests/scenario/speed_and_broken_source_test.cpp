// Two things a scenario keeps for the frontend: "speed" (the starting speed, checked
// like every field) and guest sources exactly as typed, whether or not they
// assemble (parsing never assembles; a half-typed guest must survive a round trip).
#include <gtest/gtest.h>

#include "scenario/scenario.h"

namespace trapeze::scenario {
namespace {

std::string with_speed(const std::string& speed) {
  return R"({"version": 1, "speed": )" + speed +
         R"(, "guests": [{"name": "k", "source": "  halt\n"}]})";
}

TEST(ScenarioSpeed, IsOptionalReadAndWritten) {
  std::string error;
  auto none = parse(R"({"version": 1, "guests": [{"source": "  halt\n"}]})", &error);
  ASSERT_TRUE(none) << error;
  EXPECT_EQ(none->speed, 0u);
  EXPECT_EQ(to_json(*none).find("\"speed\""), std::string::npos) << "absent stays absent";
  auto some = parse(with_speed("20000"), &error);
  ASSERT_TRUE(some) << error;
  EXPECT_EQ(some->speed, 20000u);
  auto again = parse(to_json(*some), &error);
  ASSERT_TRUE(again) << error;
  EXPECT_EQ(*again, *some);
}

TEST(ScenarioSpeed, ErrorsNameTheField) {
  std::string error;
  EXPECT_FALSE(parse(with_speed("5"), &error));
  EXPECT_EQ(error, "speed: 5 is out of range (100 to 100000000)");
  EXPECT_FALSE(parse(with_speed("\"fast\""), &error));
  EXPECT_EQ(error, "speed: expected an integer, got \"fast\"");
  EXPECT_FALSE(parse(with_speed("1000000000"), &error));
  EXPECT_EQ(error.rfind("speed: ", 0), 0u) << error;
}

TEST(ScenarioBrokenSource, ParsesAndRoundTripsExactlyButDoesNotBuild) {
  const std::string typed = "_start:\n        li r1, 0\n        bogus r1\n        jmp";
  Scenario s;
  s.guests.push_back({});
  s.guests[0].name = "half typed";
  s.guests[0].source = typed;
  std::string error;
  auto back = parse(to_json(s), &error);
  ASSERT_TRUE(back) << error;
  EXPECT_EQ(back->guests[0].source, typed);
  // Building it (what `trapeze run` does) names the guest and FILE:LINE:COL.
  EXPECT_FALSE(build(*back, {}, &error));
  EXPECT_NE(error.find("guest \"half typed\": guests[0].source:3:9: "), std::string::npos) << error;
}

}  // namespace
}  // namespace trapeze::scenario
