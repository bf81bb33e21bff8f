#include "experiments/sweeps.h"

#include <algorithm>

namespace trapeze::experiments {

using vmm::StrategyKind;

Sweep::Sweep(SweepSpec spec, Sources sources) : spec_(std::move(spec)), sources_(std::move(sources)) {
  table_.columns.push_back(spec_.parameter);
  const bool prefix = spec_.series.size() > 1;
  for (StrategyKind s : spec_.series)
    for (const Measure& m : spec_.measures)
      table_.columns.push_back({prefix ? std::string(vmm::strategy_name(s)) + "_" + m.column.name : m.column.name,
                                m.column.doc + (prefix ? " under " + std::string(vmm::strategy_name(s)) : "")});
}

bool Sweep::step(uint64_t budget) {
  while (value_ < spec_.values.size() && error_.empty()) {
    const int64_t v = spec_.values[value_];
    const StrategyKind s = spec_.series[series_];
    if (!run_) {
      run_ = GuestRun::start(spec_.run(v, s), sources_, &error_);
      if (!run_) return true;
      if (row_.empty()) row_.emplace_back(std::in_place_type<int64_t>, v);  // in place: GCC 12 warns (falsely) on moving the variant
    }
    if (budget == 0) return false;
    if (!run_->step_within(budget)) return false;
    if (!spec_.expected_file.empty()) {
      const auto expected = read_golden(sources_, spec_.expected_file, &error_);
      if (!expected) return true;
      if (!run_->halted_with(*expected)) {
        error_ = spec_.name + ": the guest did not print its golden output under " +
                 std::string(vmm::strategy_name(s)) + " at " + spec_.parameter.name + " = " +
                 std::to_string(v) + " (console: \"" + run_->guest().console() + "\")";
        return true;
      }
    }
    for (const Measure& m : spec_.measures) row_.push_back(m.value(*run_));
    run_.reset();
    if (++series_ == spec_.series.size()) {
      series_ = 0;
      ++value_;
      table_.rows.push_back(std::move(row_));
      row_.clear();
    }
  }
  return true;
}

namespace {

const machine::Counters& counters(const GuestRun& r) { return r.guest().counters.machine; }

Measure cycles_measure() {
  return {{"cycles", "cycles charged to the guest (host cycles, VMM included)"},
          [](const GuestRun& r) -> Value { return int64_t(r.cycles()); }};
}
Measure tlb_misses_measure() {
  return {{"tlb_misses", "TLB misses (data + instruction)"},
          [](const GuestRun& r) -> Value { return int64_t(counters(r).tlb_misses()); }};
}
Measure walk_refs_measure() {
  return {{"walk_refs", "page-table references by the walker"},
          [](const GuestRun& r) -> Value { return int64_t(counters(r).walk_refs); }};
}
Measure vmm_cycles_measure() {
  return {{"vmm_cycles", "cycles of VMM work charged to the guest"},
          [](const GuestRun& r) -> Value { return int64_t(r.guest().counters.vmm.vmm_cycles); }};
}

const vmm::VmmCounters& vmm_counters(const GuestRun& r) { return r.guest().counters.vmm; }
Measure bt_measure(std::string name, std::string doc, uint64_t vmm::VmmCounters::*field) {
  return {{std::move(name), std::move(doc)},
          [field](const GuestRun& r) -> Value { return int64_t(vmm_counters(r).*field); }};
}
// Lookups that found their block, of all lookups; chained transfers need none.
Measure bt_hit_rate_measure() {
  return {{"hit_rate", "bt_hits / (bt_hits + bt_misses): dispatcher lookups that found their block"},
          [](const GuestRun& r) -> Value {
            const vmm::VmmCounters& c = vmm_counters(r);
            const uint64_t lookups = c.bt_hits + c.bt_misses;
            if (lookups == 0) return {};
            return double(c.bt_hits) / double(lookups);
          }};
}

constexpr uint32_t kWsetMemory = 2u << 20;  // 64 KiB + up to 256 working-set pages

GuestRunSpec wset(int64_t pages, StrategyKind s, uint32_t tlb_entries) {
  GuestRunSpec r;
  r.file = "wset/wset.s";
  r.defines = {{"PAGES", pages}, {"ROUNDS", 20}};
  r.strategy = s;
  r.memory_bytes = kWsetMemory;
  r.tlb_entries = tlb_entries;
  return r;
}

}  // namespace

// The sweeps.
const std::vector<SweepSpec>& sweep_specs() {
  static const std::vector<SweepSpec> specs = {
      {"tlb", "TLB size (entries) against TLB misses and cycles: a 48-page working set, natively",
       {"tlb_entries", "TLB entries (fully associative)"},
       {4, 8, 16, 32, 48, 56, 64, 128, 256},
       {StrategyKind::NATIVE},
       [](int64_t entries, StrategyKind s) { return wset(48, s, uint32_t(entries)); },
       {tlb_misses_measure(), walk_refs_measure(), cycles_measure()},
       "wset/wset.expected"},
      {"tc", "translation-cache capacity against hit rate and cycles under binary translation (mini-os)",
       {"tc_capacity", "translation-cache capacity, translated instructions (scenario field tc_capacity)"},
       {32, 48, 64, 96, 128, 192, 256, 512, 16384},
       {StrategyKind::BT},
       [](int64_t capacity, StrategyKind s) {
         GuestRunSpec r;
         r.file = "mini-os/mini-os.s";
         r.strategy = s;
         r.tc_capacity = uint32_t(capacity);
         return r;
       },
       {bt_hit_rate_measure(),
        bt_measure("bt_hits", "dispatcher lookups that found the block (bt_hits)", &vmm::VmmCounters::bt_hits),
        bt_measure("bt_misses", "dispatcher lookups that had to translate (bt_misses)", &vmm::VmmCounters::bt_misses),
        bt_measure("bt_chained", "transfers along a chain, no lookup (bt_chained)", &vmm::VmmCounters::bt_chained),
        bt_measure("bt_evictions", "blocks evicted from a full cache (bt_evictions)", &vmm::VmmCounters::bt_evictions),
        bt_measure("bt_insns_translated", "guest instructions translated (bt_instructions_translated)",
                   &vmm::VmmCounters::bt_instructions_translated),
        vmm_cycles_measure(), cycles_measure()},
       "mini-os/mini-os.expected"},
      {"nested", "shadow (hw) against nested (hw-nested) paging over the working-set size (pages)",
       {"pages", "working-set pages (wset PAGES)"},
       {4, 16, 32, 64, 128, 256},
       {StrategyKind::HW, StrategyKind::HW_NESTED},
       [](int64_t pages, StrategyKind s) { return wset(pages, s, 64); },
       {cycles_measure(), vmm_cycles_measure(), tlb_misses_measure(), walk_refs_measure()},
       "wset/wset.expected"},
  };
  return specs;
}

std::vector<ExperimentInfo> sweep_experiments() {
  std::vector<ExperimentInfo> out;
  for (const SweepSpec& s : sweep_specs()) {
    ExperimentInfo e;
    e.name = s.name;
    e.summary = s.summary;
    e.make = [&s](const Sources& src) -> std::unique_ptr<Experiment> { return std::make_unique<Sweep>(s, src); };
    out.push_back(e);
  }
  return out;
}

}  // namespace trapeze::experiments
