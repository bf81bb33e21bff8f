// The load sweep's port-driven device under exponential arrivals and service is an
// M/M/1 queue: the mean time in system matches 1 / (mu - lambda) within 10% up to
// 90% utilization (enough requests per point to converge; a fixed seed).
#include <gtest/gtest.h>

#include <cmath>
#include <cstdio>

#include "experiments/load.h"
#include "experiments_test_util.h"

namespace trapeze::experiments {
namespace {

double number(const Value& v) { return std::get<double>(v); }

TEST(MM1, PortDeviceMatchesTheMM1MeanUpTo90PercentUtilization) {
  LoadSweepConfig c;
  c.variants = {{"port-native", vmm::StrategyKind::NATIVE, false}};
  c.utilizations = {0.3, 0.5, 0.7, 0.8, 0.9};
  LoadSweep sweep(c, experiments_test::repo_sources());
  sweep.run_to_end();
  ASSERT_EQ(sweep.error(), "");
  const Table& t = sweep.table();
  ASSERT_EQ(t.rows.size(), c.utilizations.size());
  std::printf("%s", t.markdown().c_str());
  auto col = [&](const char* name) {
    for (size_t i = 0; i < t.columns.size(); ++i)
      if (t.columns[i].name == name) return i;
    ADD_FAILURE() << name;
    return size_t(0);
  };
  for (const auto& row : t.rows) {
    const double measured = number(row[col("mean_latency")]);
    const double predicted = number(row[col("mm1_latency")]);
    EXPECT_NEAR(measured / predicted, 1.0, 0.10) << "rho " << number(row[col("rho")]);
    EXPECT_NEAR(number(row[col("utilization")]), number(row[col("rho")]), 0.05);
  }
}

}  // namespace
}  // namespace trapeze::experiments
