// Scenarios: loading, defaults, and one test per class of error, each with the
// exact message naming the field; plus files, includes and the inline (no
// filesystem) path.
#include "scenario/scenario.h"

#include <gtest/gtest.h>

#include <fstream>
#include <map>
#include <sstream>

namespace trapeze::scenario {
namespace {

constexpr const char* kTiny = "        li r1, 'k'\\n        out PORT_CONSOLE, r1\\n        halt\\n";

std::string one_guest(const std::string& guest_fields, const std::string& top = "") {
  return R"({"version": 1, )" + top + R"("guests": [{"name": "k", "source": ")" + kTiny + "\"" +
         (guest_fields.empty() ? "" : ", " + guest_fields) + "}]}";
}

std::string error_of(const std::string& json) {
  std::string error;
  const auto s = parse(json, &error);
  EXPECT_FALSE(s.has_value()) << json;
  return error;
}

std::string load_error(const std::string& json, const LoadOptions& o = {}) {
  std::string error;
  auto vmm = load(json, o, &error);
  EXPECT_FALSE(vmm) << json;
  return error;
}

// "tc_capacity" reaches the binary-translation guest's cache.
TEST(Scenario, TranslationCacheCapacityReachesTheGuest) {
  std::string error;
  auto vmm = load(one_guest(R"("strategy": "bt", "tc_capacity": 100)"), {}, &error);
  ASSERT_TRUE(vmm) << error;
  while (!vmm->finished()) vmm->run(1'000'000);
  EXPECT_EQ(vmm->guest(0).console(), "k");
  ASSERT_NE(vmm->guest(0).strategy->translation_cache(), nullptr);
  EXPECT_EQ(vmm->guest(0).strategy->translation_cache()->capacity(), 100u);
}

// "block" reaches the guest's block device: a queue deep enough takes a second
// command while the first is served (depth 1 rejects it, as the port was first defined).
TEST(Scenario, BlockDeviceQueueReachesTheGuest) {
  const std::string program = R"("source": "li r1, 1\nout PORT_BLK_COUNT, r1\nout PORT_BLK_CMD, r1\nout PORT_BLK_CMD, r1\nhalt\n")";
  for (uint32_t depth : {1u, 2u}) {
    SCOPED_TRACE(depth);
    std::string error;
    const std::string scenario = R"({"version": 1, "guests": [{)" + program +
                                 R"(, "strategy": "native", "block": {"queue_depth": )" +
                                 std::to_string(depth) + "}}]}";
    auto vmm = load(scenario, {}, &error);
    ASSERT_TRUE(vmm) << error;
    EXPECT_EQ(vmm->guest(0).config.block.queue_depth, depth);
    while (!vmm->finished()) vmm->run(1'000'000);
    EXPECT_EQ(vmm->guest(0).state, vmm::GuestState::Halted);
    EXPECT_EQ(vmm->guest(0).counters.machine.blk_rejected, depth == 1 ? 1u : 0u);
    EXPECT_EQ(vmm->guest(0).counters.machine.blk_requests, depth == 1 ? 1u : 2u);
  }
}

TEST(ScenarioErrors, BlockDeviceFieldsAreChecked) {
  EXPECT_EQ(error_of(one_guest(R"("block": {"queue_depth": 0})")),
            "guests[0].block.queue_depth: 0 is out of range (1 to 1048576)");
  EXPECT_EQ(error_of(one_guest(R"("block": {"service": "gaussian"})")),
            "guests[0].block.service: unknown service time \"gaussian\" (expected fixed, exponential)");
  EXPECT_EQ(error_of(one_guest(R"("block": {"mean_service": 10})")),
            "guests[0].block.mean_service: applies only to \"service\": \"exponential\" (fixed follows the cost model)");
  EXPECT_EQ(error_of(one_guest(R"("block": {"depth": 2})")),
            "guests[0].block.depth: unknown key (expected queue_depth, service, mean_service, seed)");
}

TEST(Scenario, InlineScenarioLoadsWithoutAFilesystemAndRuns) {
  std::string error;
  auto vmm =
      load(one_guest(R"("strategy": "trap", "memory": "16K")", R"("quantum": 1234, )"), {}, &error);
  ASSERT_TRUE(vmm) << error;
  while (!vmm->finished()) vmm->run(1'000'000);
  EXPECT_EQ(vmm->guest(0).console(), "k");
  EXPECT_EQ(vmm->guest(0).config.memory_bytes, 16u << 10);
  EXPECT_EQ(vmm->config().quantum, 1234u);
}

// "strategy": "pv" assembles the guest with PV=1 (unless its defines set PV).
TEST(Scenario, ParaVirtualGuestsAssembleWithPvDefined) {
  const std::string source =
      R"("source": ".ifdef PV\n  li r1, 'p'\n  out PORT_CONSOLE, r1\n  hypercall HC_HALT\n.else\n  li r1, 'b'\n  out PORT_CONSOLE, r1\n  halt\n.endif\n")";
  const std::string json = R"({"version": 1, "guests": [{"name": "n", "strategy": "native", )" +
                           source + R"(}, {"name": "p", "strategy": "pv", )" + source +
                           R"(}, {"name": "q", "strategy": "pv", "defines": {"PV": 0}, )" + source +
                           "}]}";
  std::string error;
  auto vmm = load(json, {}, &error);
  ASSERT_TRUE(vmm) << error;
  while (!vmm->finished()) vmm->run(1'000'000);
  EXPECT_EQ(vmm->guest(0).console(), "b");
  EXPECT_EQ(vmm->guest(1).console(), "p");
  EXPECT_EQ(vmm->guest(1).state, vmm::GuestState::Halted);
  EXPECT_EQ(vmm->guest(1).counters.vmm.hc_halt, 1u);
  // PV defined (as 0) by the guest itself: .ifdef still sees it.
  EXPECT_EQ(vmm->guest(2).console(), "p");
}

TEST(Scenario, DefaultsAndRoundTrip) {
  std::string error;
  const auto s = parse(one_guest(""), &error);
  ASSERT_TRUE(s) << error;
  EXPECT_EQ(s->quantum, kDefaultQuantum);
  EXPECT_EQ(s->tlb_entries, 64u);
  EXPECT_EQ(s->max_instructions, kDefaultMaxInstructions);
  EXPECT_EQ(s->guests[0].memory_bytes, kDefaultMemory);
  EXPECT_EQ(s->guests[0].strategy, vmm::StrategyKind::TRAP);
  EXPECT_EQ(s->guests[0].disk_bytes, kDefaultDisk);
  EXPECT_EQ(s->guests[0].tc_capacity, vmm::kDefaultTcCapacity);

  const auto full =
      parse(R"({"version": 1, "name": "n", "description": "d", "quantum": 99, "tlb_entries": 16,
      "tlb_ways": 4, "cost": {"trap_entry": 7, "WORLD_SWITCH": 0}, "limits": {"max_instructions": 5, "max_cycles": 6},
      "event_capacity": 10,
      "guests": [{"name": "a", "file": "x.s", "defines": {"PV": 1, "N": -3, "ON": true}, "memory": 65536,
                  "strategy": "native", "disk": "64K", "tc_capacity": 512,
                  "block": {"queue_depth": 8, "service": "exponential", "mean_service": 1000, "seed": 3}}]})",
            &error);
  ASSERT_TRUE(full) << error;
  EXPECT_EQ(full->cost.at("TRAP_ENTRY"), 7u);
  EXPECT_EQ(full->guests[0].defines.at("N"), -3);
  EXPECT_EQ(full->guests[0].defines.at("ON"), 1);
  EXPECT_EQ(full->guests[0].tc_capacity, 512u);
  EXPECT_EQ(full->guests[0].block.queue_depth, 8u);
  EXPECT_EQ(full->guests[0].block.service.kind, machine::ServiceTime::Kind::Exponential);
  EXPECT_EQ(full->guests[0].block.service.mean_cycles, 1000u);
  EXPECT_EQ(full->guests[0].block.service.seed, 3u);
  const auto again = parse(to_json(*full), &error);
  ASSERT_TRUE(again) << error << "\n" << to_json(*full);
  EXPECT_EQ(*again, *full);
}

TEST(ScenarioErrors, NotJsonNamesLineAndColumn) {
  const std::string e = error_of("{\"version\": 1,\n  \"guests\": [}\n");
  EXPECT_EQ(e.rfind("not valid JSON: parse error at line 2, column 14", 0), 0u) << e;
}
TEST(ScenarioErrors, TopLevelMustBeAnObject) {
  EXPECT_EQ(error_of("[1, 2]"), "scenario: expected a JSON object, got [1,2]");
}
TEST(ScenarioErrors, Version) {
  EXPECT_EQ(error_of(R"({"guests": []})"), "version: missing (this reader understands version 1)");
  EXPECT_EQ(error_of(R"({"version": 2, "guests": []})"),
            "version: 2 is not supported (this reader understands version 1)");
}
TEST(ScenarioErrors, UnknownKeysAreErrors) {
  EXPECT_EQ(error_of(one_guest("", R"("quantm": 5, )")),
            "quantm: unknown key (expected version, name, description, quantum, tlb_entries, "
            "tlb_ways, cost, limits, "
            "event_capacity, speed, guests)");
  EXPECT_EQ(error_of(one_guest(R"("strategey": "trap")")),
            "guests[0].strategey: unknown key (expected name, source, file, defines, memory, "
            "strategy, disk, tc_capacity, block)");
  EXPECT_EQ(error_of(one_guest("", R"("limits": {"max_instr": 5}, )")),
            "limits.max_instr: unknown key (expected max_instructions, max_cycles)");
}
TEST(ScenarioErrors, DuplicateKeysAreErrors) {
  EXPECT_EQ(error_of(one_guest(R"("memory": "16K", "memory": "32K")")),
            "guests[0].memory: duplicate key");
}
TEST(ScenarioErrors, UnknownStrategy) {
  const std::string two =
      R"({"version": 1, "guests": [{"source": "halt"}, {"source": "halt", "strategy": "foo"}]})";
  EXPECT_EQ(error_of(two),
            "guests[1].strategy: unknown strategy \"foo\" (expected native, trap, pv, bt, hw, "
            "hw-nested)");
}
// The strategy table decides: every row loads by its name.
TEST(ScenarioErrors, EveryStrategyOfTheTableLoadsByName) {
  for (const vmm::StrategyInfo& info : vmm::kStrategies) {
    const std::string s(info.name);
    std::string error;
    const auto doc = parse(one_guest(R"("strategy": ")" + s + "\""), &error);
    ASSERT_TRUE(doc.has_value()) << s << ": " << error;
    EXPECT_EQ(doc->guests[0].strategy, info.kind) << s;
  }
  EXPECT_NE(vmm::strategy_names().find("hw, hw-nested"), std::string::npos);
}
TEST(ScenarioErrors, Memory) {
  EXPECT_EQ(error_of(one_guest(R"("memory": 3000)")),
            "guests[0].memory: 3000 is not a multiple of 4096");
  EXPECT_EQ(
      error_of(one_guest(R"("memory": "12Q")")),
      "guests[0].memory: \"12Q\" is not a size (bytes, or a number with K or M: \"256K\", \"1M\")");
  EXPECT_EQ(error_of(one_guest(R"("memory": "64M")")),
            "guests[0].memory: 64M is out of range (4K to 32M)");
  EXPECT_EQ(error_of(one_guest(R"("memory": 0)")),
            "guests[0].memory: 0 is out of range (4K to 32M)");
  EXPECT_EQ(error_of(one_guest(R"("memory": -4096)")),
            "guests[0].memory: expected a size (bytes, or a string such as \"256K\"), got -4096");
  std::string many = R"({"version": 1, "guests": [)";
  for (int i = 0; i < 5; ++i)
    many += std::string(i ? "," : "") + R"({"source": "halt", "memory": "32M"})";
  EXPECT_EQ(
      error_of(many + "]}"),
      "guests[4].memory: the guests would have 160M of memory in all (at most 128M, bare-metal "
      "guests included)");
  // Bare-metal guests count too: each has a home region to be switched into.
  std::string natives = R"({"version": 1, "guests": [)";
  for (int i = 0; i < 5; ++i)
    natives += std::string(i ? "," : "") +
               R"({"source": "halt", "memory": "32M", "strategy": "native", "disk": "4K"})";
  EXPECT_EQ(error_of(natives + "]}"),
            "guests[4].memory: the guests would have 160M of memory in all (at most 128M, "
            "bare-metal guests included)");
}
TEST(ScenarioErrors, TotalDisk) {
  std::string disks = R"({"version": 1, "guests": [)";
  for (int i = 0; i < 3; ++i)
    disks += std::string(i ? "," : "") + R"({"source": "halt", "disk": "64M"})";
  EXPECT_EQ(error_of(disks + "]}"),
            "guests[2].disk: the guests would have 192M of disk in all (at most 128M)");
}
TEST(ScenarioErrors, TypesAndRanges) {
  EXPECT_EQ(error_of(one_guest("", R"("quantum": "fast", )")),
            "quantum: expected an integer, got \"fast\"");
  EXPECT_EQ(error_of(one_guest("", R"("quantum": 0, )")),
            "quantum: 0 is out of range (1 to 1000000000)");
  EXPECT_EQ(error_of(one_guest("", R"("quantum": 1.5, )")),
            "quantum: expected an integer, got 1.5");
  EXPECT_EQ(error_of(one_guest("", R"("tlb_entries": 2000, )")),
            "tlb_entries: 2000 is out of range (1 to 1024)");
  EXPECT_EQ(error_of(one_guest("", R"("tlb_entries": 64, "tlb_ways": 3, )")),
            "tlb_ways: 3 ways do not divide 64 entries into a power-of-two number of sets");
  EXPECT_EQ(error_of(R"({"version": 1, "guests": [{"name": 5, "source": "halt"}]})"),
            "guests[0].name: expected a string, got 5");
  EXPECT_EQ(error_of(one_guest(R"("disk": 1000)")),
            "guests[0].disk: 1000 is not a multiple of 512");
  EXPECT_EQ(error_of(one_guest(R"("tc_capacity": 8)")),
            "guests[0].tc_capacity: 8 is out of range (32 to 1048576)");
  EXPECT_EQ(error_of(one_guest(R"("tc_capacity": "big")")),
            "guests[0].tc_capacity: expected an integer, got \"big\"");
}
TEST(ScenarioErrors, Guests) {
  EXPECT_EQ(error_of(R"({"version": 1})"), "guests: missing (a list of guests)");
  EXPECT_EQ(error_of(R"({"version": 1, "guests": []})"), "guests: is empty (at least one guest)");
  EXPECT_EQ(error_of(R"({"version": 1, "guests": {}})"),
            "guests: expected a list of guests, got {}");
  EXPECT_EQ(error_of(R"({"version": 1, "guests": [7]})"), "guests[0]: expected an object, got 7");
  std::string many = R"({"version": 1, "guests": [)";
  for (int i = 0; i < 17; ++i) many += std::string(i ? "," : "") + R"({"source": "halt"})";
  EXPECT_EQ(error_of(many + "]}"), "guests: 17 guests (at most 16)");
  EXPECT_EQ(error_of(R"({"version": 1, "guests": [{"name": "a"}]})"),
            "guests[0]: needs \"source\" (inline assembly) or \"file\" (a path to a .s file)");
  EXPECT_EQ(error_of(R"({"version": 1, "guests": [{"source": "halt", "file": "a.s"}]})"),
            "guests[0]: has both \"source\" and \"file\" (use one)");
  EXPECT_EQ(
      error_of(
          R"({"version": 1, "guests": [{"name": "a", "source": "halt"}, {"name": "a", "source": "halt"}]})"),
      "guests[1].name: \"a\" is already the name of guests[0]");
}
TEST(ScenarioErrors, CostAndDefines) {
  const std::string e = error_of(one_guest("", R"("cost": {"TRAP_ENTRYX": 5}, )"));
  EXPECT_EQ(e.rfind("cost.TRAP_ENTRYX: unknown cost (expected one of INSN_ALU, INSN_MUL,", 0), 0u)
      << e;
  EXPECT_NE(e.find("WORLD_SWITCH"), std::string::npos);
  EXPECT_EQ(error_of(one_guest("", R"("cost": {"TRAP_ENTRY": -1}, )")),
            "cost.TRAP_ENTRY: -1 is out of range (0 to 10000000)");
  EXPECT_EQ(error_of(one_guest(R"("defines": {"PV": "yes"})")),
            "guests[0].defines.PV: expected an integer, got \"yes\"");
  EXPECT_EQ(error_of(one_guest(R"("defines": {"1X": 1})")),
            "guests[0].defines.1X: '1X' is not a symbol name (letters, digits, '_' and '.'; not "
            "starting with a digit)");
}
// Issue 17: defines follow -D's rules (asm/defines.h), never clamped; names a
// terminal shows have no control characters; messages escape what the file wrote.
TEST(ScenarioErrors, DefinesFollowTheRulesOfDashD) {
  EXPECT_EQ(error_of(one_guest(R"("defines": {"X": 9223372036854775808})")),
            "guests[0].defines.X: 9223372036854775808 is out of range (-9223372036854775808 to "
            "9223372036854775807)");
  EXPECT_EQ(error_of(one_guest(R"("defines": {"X": 18446744073709551615})")),
            "guests[0].defines.X: 18446744073709551615 is out of range (-9223372036854775808 to "
            "9223372036854775807)");
  const auto edge = parse(one_guest(R"("defines": {"X": 9223372036854775807, "Y": -9223372036854775808})"), nullptr);
  ASSERT_TRUE(edge);
  EXPECT_EQ(edge->guests[0].defines.at("X"), INT64_MAX);
  EXPECT_EQ(edge->guests[0].defines.at("Y"), INT64_MIN);
  EXPECT_EQ(error_of(one_guest(R"("defines": {"PORT_CONSOLE": 5})")),
            "guests[0].defines.PORT_CONSOLE: 'PORT_CONSOLE' is predefined by the assembler and "
            "cannot be redefined");
  EXPECT_EQ(error_of(one_guest(R"("defines": {"r3": 5})")),
            "guests[0].defines.r3: 'r3' is not a symbol name (it is a register)");
  EXPECT_EQ(error_of(one_guest(R"("defines": {"A\u0000": 1})")),
            "guests[0].defines.A\\x00: 'A\\x00' is not a symbol name (letters, digits, '_' and '.'; "
            "not starting with a digit)");
}
TEST(ScenarioErrors, NamesHaveNoControlCharacters) {
  EXPECT_EQ(error_of(R"({"version": 1, "guests": [{"name": "a\u001b[2J", "source": "halt"}]})"),
            "guests[0].name: has a control character or a byte that is not UTF-8 (byte 1 is 0x1b)");
  EXPECT_EQ(error_of(R"({"version": 1, "name": "x\u0000", "guests": [{"source": "halt"}]})"),
            "name: has a control character or a byte that is not UTF-8 (byte 1 is 0x00)");
  EXPECT_EQ(error_of(R"({"version": 1, "description": "ok\n\tfine\u009b", "guests": [{"source": "halt"}]})"),
            "description: has a control character or a byte that is not UTF-8 (byte 8 is 0xc2)");
  const auto ok = parse(R"({"version": 1, "name": "gr\u00fc\u00df", "description": "two\nlines",
                            "guests": [{"name": "\u2713", "source": "halt"}]})",
                        nullptr);
  ASSERT_TRUE(ok);
  EXPECT_EQ(ok->guests[0].name, "\xE2\x9C\x93");
  // An unknown key with ESC in it is named, escaped.
  const std::string key = error_of(R"({"version": 1, "\u001bx": 1, "guests": []})");
  EXPECT_EQ(key.rfind("\\x1Bx: unknown key (expected", 0), 0u) << key;
}
TEST(ScenarioErrors, NestingAndSizeLimits) {
  EXPECT_EQ(error_of(std::string(100, '[') + std::string(100, ']')),
            "[0][0][0][0][0][0][0][0][0][0][0][0][0][0][0][0]"
            "[0][0][0][0][0][0][0][0][0][0][0][0][0][0][0][0]"
            ": nested deeper than 32 levels");
  EXPECT_EQ(error_of(std::string(kMaxScenarioBytes + 1, ' ')),
            "the scenario is 1048577 bytes, more than the 1048576 bytes (1 MiB) a scenario may hold: "
            "make a guest's source shorter or remove a guest");
}
TEST(ScenarioErrors, AssemblerErrorsNameTheGuestAndFileLineColumn) {
  const std::string e = load_error(
      R"({"version": 1, "guests": [{"name": "ok", "source": "halt"}, {"name": "bad", "source": "  nop\n  ldx r1, r2\n  addi r1, r1, 99999\n"}]})");
  EXPECT_EQ(e,
            "guest \"bad\": guests[1].source:2:3: error: unknown mnemonic 'ldx'\n"
            "guest \"bad\": guests[1].source:3:16: error: immediate 99999 out of range for addi "
            "(-32768..32767)")
      << e;
}
TEST(ScenarioErrors, Files) {
  EXPECT_EQ(load_error(R"({"version": 1, "guests": [{"file": "a.s"}]})"),
            "guests[0].file: files cannot be read here (use \"source\")");
  LoadOptions o;
  o.path = "dir/s.json";
  o.read_file = [](const std::string&) { return std::nullopt; };
  EXPECT_EQ(load_error(R"({"version": 1, "guests": [{"file": "a.s"}]})", o),
            "guests[0].file: cannot read \"dir/a.s\"");
}
TEST(ScenarioErrors, AProgramThatDoesNotFit) {
  EXPECT_EQ(
      load_error(R"({"version": 1, "guests": [{"source": ".org 0x10000\nhalt", "memory": "4K"}]})"),
      "guests[0]: the program's bytes at 0x00010000..0x00010004 do not fit in its 4096 bytes of "
      "memory");
}

TEST(Scenario, FilesAndIncludesGoThroughTheReader) {
  const std::map<std::string, std::string> files = {
      {"s/k.s", ".include \"lib/put.inc\"\n        PUT 'x'\n        halt\n"},
      {"s/lib/put.inc", ".macro PUT c\n        li r1, \\c\n        out PORT_CONSOLE, r1\n.endm\n"},
  };
  LoadOptions o;
  o.path = "s/scenario.json";
  o.read_file = [&](const std::string& p) -> std::optional<std::string> {
    auto it = files.find(p);
    return it == files.end() ? std::nullopt : std::optional<std::string>(it->second);
  };
  std::string error;
  auto vmm =
      load(R"({"version": 1, "guests": [{"file": "k.s", "strategy": "native"}, {"file": "k.s"}]})",
           o, &error);
  ASSERT_TRUE(vmm) << error;
  while (!vmm->finished()) vmm->run(1'000'000);
  EXPECT_EQ(vmm->guest(0).console(), "x");
  EXPECT_EQ(vmm->guest(1).console(), "x");
}

std::optional<std::string> read_disk(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return std::nullopt;
  std::ostringstream s;
  s << in.rdbuf();
  return s.str();
}

TEST(Scenario, TheTwoGuestExampleRunsBothWaysToTheSameState) {
  const std::string path = std::string(TRAPEZE_SOURCE_DIR) + "/tests/scenario/data/two-guests.json";
  const auto text = read_disk(path);
  ASSERT_TRUE(text);
  LoadOptions o;
  o.path = path;
  o.read_file = read_disk;
  std::string error;
  uint64_t first_host = 0;
  for (int run = 0; run < 2; ++run) {  // and deterministically
    auto vmm = load(*text, o, &error);
    ASSERT_TRUE(vmm) << error;
    while (!vmm->finished()) vmm->run(1'000'000);
    EXPECT_EQ(vmm->guest(0).state_hash(), vmm->guest(1).state_hash());
    EXPECT_EQ(vmm->guest(0).console(), vmm->guest(1).console());
    if (run == 0)
      first_host = vmm->host_cycles();
    else
      EXPECT_EQ(vmm->host_cycles(), first_host);
  }
}

// Never a crash, whatever the bytes: a seeded mutation fuzz of a valid scenario.
TEST(Scenario, MangledInputNeverCrashes) {
  const std::string base = one_guest(
      R"("strategy": "trap", "memory": "16K", "defines": {"A": 1})",
      R"("quantum": 500, "cost": {"TRAP_ENTRY": 3}, "limits": {"max_instructions": 1000}, )");
  uint64_t x = 0x9E3779B97F4A7C15ull;
  auto next = [&] { return x ^= x << 13, x ^= x >> 7, x ^= x << 17; };
  const char alphabet[] = "{}[]\",:0123456789-.eE truefalsnul\\\n";
  int loaded = 0;
  for (int i = 0; i < 3000; ++i) {
    std::string s = base;
    const int edits = 1 + int(next() % 4);
    for (int k = 0; k < edits && !s.empty(); ++k) {
      const size_t at = next() % s.size();
      switch (next() % 4) {
        case 0: s[at] = alphabet[next() % (sizeof alphabet - 1)]; break;
        case 1: s.erase(at, 1 + next() % 8); break;
        case 2: s.insert(at, 1, alphabet[next() % (sizeof alphabet - 1)]); break;
        case 3: s.resize(at); break;
      }
    }
    std::string error;
    auto vmm = load(s, {}, &error);
    if (vmm) {
      ++loaded;
      vmm->run(100'000);
    } else {
      EXPECT_FALSE(error.empty()) << s;
    }
  }
  EXPECT_GT(loaded, 10);
}

}  // namespace
}  // namespace trapeze::scenario
