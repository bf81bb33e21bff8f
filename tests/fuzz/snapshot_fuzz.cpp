// Fuzz target: the snapshot reader (core/session/snapshot_format.h, snapshot.cpp).
// The first byte chooses how the rest is used:
//   even: the rest is a snapshot file, restored into a fresh session;
//   odd:  the rest edits a snapshot made here (a random kernel program of
//         diff_program.h under the strategy the second byte picks, saved midway):
//         (offset, byte) pairs XORed into one of its sections, which is then packed
//         again with correct checksums, so the reader of the state itself is reached.
// Invariants: a refused snapshot comes with a message and leaves the session as it
// was (its state hash and document); an accepted one runs bounded slices.
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <span>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "diff_program.h"
#include "session/session.h"
#include "session/snapshot_format.h"

namespace {

using trapeze::session::Session;

void check(bool ok, const char* what) {
  if (!ok) {
    std::fprintf(stderr, "invariant violated: %s\n", what);
    std::abort();
  }
}

Session empty_session() {
  return Session([](const std::string&) { return trapeze::text::FileText(); }, [] { return 0.0; });
}

// A snapshot per strategy, made once.
const std::vector<uint8_t>& base_snapshot(size_t strategy) {
  static std::vector<std::vector<uint8_t>> made(std::size(trapeze::vmm::kStrategies));
  std::vector<uint8_t>& snap = made[strategy];
  if (snap.empty()) {
    std::vector<uint8_t> choices(600);
    for (size_t i = 0; i < choices.size(); ++i) choices[i] = uint8_t(i * 37 + 11);
    const trapeze::difftest::Program p = trapeze::difftest::generate(choices);
    nlohmann::json j = {{"version", 1},
                        {"quantum", 3000},
                        {"guests", {{{"name", "r"}, {"source", trapeze::difftest::source(p)},
                                     {"memory", "64K"},
                                     {"strategy", trapeze::vmm::kStrategies[strategy].name}}}}};
    Session s = empty_session();
    std::string error;
    check(s.load(j.dump(), "", &error), "the base scenario loads");
    s.run_cycles(20'000, 1e12);
    snap = s.save_snapshot();
  }
  return snap;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  if (size < 2) return 0;
  std::vector<uint8_t> file;
  if ((data[0] & 1) == 0) {
    file.assign(data + 1, data + size);
  } else {
    std::vector<trapeze::session::SnapshotSection> sections;
    std::string error;
    const auto& base = base_snapshot(data[1] % std::size(trapeze::vmm::kStrategies));
    check(trapeze::session::read_snapshot_file(base, &sections, &error), "the base snapshot reads");
    std::vector<uint8_t>& bytes = sections[(data[0] >> 1) % sections.size()].bytes;
    for (size_t i = 2; i + 4 < size && !bytes.empty(); i += 5) {
      uint32_t at;
      std::memcpy(&at, data + i, 4);
      bytes[at % bytes.size()] ^= data[i + 4];
    }
    if ((data[0] >> 3) & 1 && !bytes.empty()) bytes.resize(data[size - 1] * bytes.size() / 256);
    file = trapeze::session::write_snapshot_file(sections, 1);
  }
  Session s = empty_session();
  std::string error;
  check(s.load(R"({"version":1,"guests":[{"name":"x","source":"halt","strategy":"trap"}]})", "", &error),
        "the empty session loads");
  const uint64_t hash = s.vmm()->guest(0).state_hash();
  const std::string json = s.to_json();
  if (!s.restore_snapshot(file, &error)) {
    check(!error.empty(), "a refused snapshot without a message");
    check(s.vmm()->guest(0).state_hash() == hash && s.to_json() == json,
          "a refused snapshot changed the session");
    return 0;
  }
  for (int i = 0; i < 3 && !s.vmm()->finished(); ++i) s.run_cycles(5'000, 1e12);
  return 0;
}
