// The event log: a bounded ring that drops the oldest, and a one-line explanation
// for every kind of event.
#include <set>

#include "vmm_test_util.h"

namespace trapeze::vmm::testing {
namespace {

TEST(EventLog, ABoundedRingDropsTheOldestAndCountsDrops) {
  EventLog log(3);
  for (uint32_t i = 0; i < 5; ++i) {
    Event e;
    e.pc = i;
    log.push(e);
  }
  EXPECT_EQ(log.size(), 3u);
  EXPECT_EQ(log.total(), 5u);
  EXPECT_EQ(log.dropped(), 2u);
  EXPECT_EQ(log.at(0).pc, 2u);
  EXPECT_EQ(log.at(2).pc, 4u);
  const std::vector<Event> all = log.events();
  ASSERT_EQ(all.size(), 3u);
  EXPECT_EQ(all[1].pc, 3u);
  log.clear();
  EXPECT_EQ(log.size(), 0u);
  EXPECT_EQ(log.dropped(), 0u);
}

TEST(EventLog, EveryKindHasANameAndAnExplanation) {
  std::set<std::string> names;
  size_t kinds = 0;
#define TRAPEZE_EVENT_CHECK(NAME, name, data)             \
  {                                                       \
    Event e;                                              \
    e.kind = EventKind::NAME;                             \
    e.pc = 0x124;                                         \
    e.word = *isa::encode({isa::Op::RDPSW, 3});           \
    e.cause = isa::Cause::PAGE_FAULT;                     \
    EXPECT_EQ(event_kind_name(e.kind), name);             \
    EXPECT_GT(describe(e).size(), 10u) << name;           \
    EXPECT_EQ(describe(e).find('\n'), std::string::npos); \
    names.insert(name);                                   \
    ++kinds;                                              \
  }
  TRAPEZE_VMM_EVENTS(TRAPEZE_EVENT_CHECK)
#undef TRAPEZE_EVENT_CHECK
  EXPECT_EQ(names.size(), kinds);  // the names are unique
}

// Each value of a typed payload has its own explanation (the emitters write
// payload(Value); describe() reads the field back as the enum).
TEST(EventLog, TypedPayloadsAreExplainedValueByValue) {
  auto text = [](EventKind kind, uint32_t a, uint32_t b, uint32_t c) {
    Event e;
    e.kind = kind;
    e.word = *isa::encode({isa::Op::OUT, 1, 0, 0x10});
    e.a = a, e.b = b, e.c = c;
    return describe(e);
  };
  auto has = [](const std::string& s, const char* part) { return s.find(part) != std::string::npos; };
  EXPECT_TRUE(has(text(EventKind::SHADOW_RESET, payload(ShadowReset::POOL_FULL), 0, 0), "shadow pool full"));
  EXPECT_TRUE(has(text(EventKind::SHADOW_RESET, payload(ShadowReset::PAGING_OFF), 0, 0), "turned paging off"));
  EXPECT_TRUE(has(text(EventKind::INVALIDATE, 0x3000, 2, payload(Invalidation::STORE)), "its own translated code"));
  EXPECT_TRUE(has(text(EventKind::INVALIDATE, 0x3000, 2, payload(Invalidation::DMA)), "a DMA transfer"));
  EXPECT_TRUE(has(text(EventKind::INVALIDATE, 0x3000, 1, payload(Invalidation::ADAPTIVE)), "(adaptive)"));
  EXPECT_TRUE(has(text(EventKind::CALLOUT, 0, payload(CalloutEntry::INLINE), 0), "translated inline"));
  EXPECT_TRUE(has(text(EventKind::CALLOUT, 0, payload(CalloutEntry::CALL), 0), "translated into a call"));
  EXPECT_TRUE(has(text(EventKind::LIMIT, payload(LimitReached::INSTRUCTIONS), 0, 0), "instruction limit"));
  EXPECT_TRUE(has(text(EventKind::LIMIT, payload(LimitReached::CYCLES), 0, 0), "cycle limit"));
}

TEST(EventLog, TheVmmKeepsItsConfiguredCapacity) {
  const assembler::Program p = assemble_file("tests/vmm/guests/kernel.s");
  VmmConfig c;
  c.event_capacity = 16;
  c.guests = {guest_config(p, StrategyKind::TRAP)};
  std::string error;
  auto vmm = Vmm::create(c, &error);
  ASSERT_TRUE(vmm) << error;
  ASSERT_TRUE(run_to_end(*vmm));
  EXPECT_EQ(vmm->events().size(), 16u);
  EXPECT_GT(vmm->events().dropped(), 100u);
  EXPECT_EQ(vmm->events().at(15).kind, EventKind::HALT);  // the newest kept
  // Events are in time order.
  for (size_t i = 1; i < vmm->events().size(); ++i)
    EXPECT_LE(vmm->events().at(i - 1).host_cycle, vmm->events().at(i).host_cycle);
}

}  // namespace
}  // namespace trapeze::vmm::testing

namespace trapeze::vmm::testing {
namespace {

// docs/vmm.md names every VMM counter (the table in vmm_counters.h is authoritative).
TEST(VmmDocs, EveryCounterIsDocumented) {
  const auto doc = read_file(std::string(TRAPEZE_SOURCE_DIR) + "/docs/vmm.md");
  ASSERT_TRUE(doc);
  for (const VmmCounterInfo& c : kVmmCounterInfo)
    EXPECT_NE(doc->find("| `" + std::string(c.name) + "` |"), std::string::npos) << c.name;
}

}  // namespace
}  // namespace trapeze::vmm::testing
