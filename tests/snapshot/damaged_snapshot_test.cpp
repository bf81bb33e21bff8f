// Damaged, foreign and newer snapshot files give a message and change nothing
// (issue 20): truncated at every section boundary (and through the header and
// table byte by byte), bytes flipped anywhere, a wrong magic, a newer format. And
// the state inside an intact container is read as carefully: a state section cut
// or garbled, then re-packed with a correct checksum, fails with a message or
// loads — never a crash (the fuzz target, tests/fuzz/snapshot_fuzz.cpp, goes on).
#include <cstring>
#include <filesystem>

#include "session/snapshot_format.h"
#include "snapshot_test_util.h"

namespace trapeze::session::testing {
namespace {

uint32_t get32(const std::vector<uint8_t>& b, size_t at) {
  return uint32_t(b[at]) | uint32_t(b[at + 1]) << 8 | uint32_t(b[at + 2]) << 16 |
         uint32_t(b[at + 3]) << 24;
}

struct Fixture {
  Session target = loaded(
      R"({"version":1,"name":"target","guests":[{"name":"n","file":"../guests/nano/syscall.s","strategy":"trap"}]})");
  std::vector<uint8_t> snap;
  std::string before, before_json;
  Fixture() {
    const auto text = disk_reader(TRAPEZE_SOURCE_DIR)("scenarios/two-guests-sharing-a-cpu.json");
    Session source = loaded(*text, "scenarios/two-guests-sharing-a-cpu.json");
    run(source, 400'000);
    snap = source.save_snapshot();
    run(target, 5'000);
    before = fingerprint(target);
    before_json = target.to_json();
  }
  // Restoring `bytes` fails with a message and leaves the target as it was.
  std::string expect_refused(std::span<const uint8_t> bytes) {
    std::string error;
    EXPECT_FALSE(target.restore_snapshot(bytes, &error));
    EXPECT_FALSE(error.empty());
    EXPECT_EQ(fingerprint(target), before);
    EXPECT_EQ(target.to_json(), before_json);
    return error;
  }
};

// Where the header, the table and each section end.
std::vector<size_t> boundaries(const std::vector<uint8_t>& snap) {
  std::vector<size_t> out = {8, 12, 16, 20};
  const uint32_t count = get32(snap, 12);
  size_t at = 20 + 16 * size_t(count);
  for (uint32_t i = 0; i < count; ++i) out.push_back(20 + 16 * (i + 1));
  for (uint32_t i = 0; i < count; ++i) {
    at += get32(snap, 20 + 16 * i + 4);
    out.push_back(at);
  }
  return out;
}

TEST(DamagedSnapshot, TruncatedAtEverySectionBoundaryAndThroughTheHeader) {
  Fixture f;
  const auto ends = boundaries(f.snap);
  ASSERT_EQ(ends.back(), f.snap.size());
  for (size_t n : ends) {
    if (n == f.snap.size()) continue;
    SCOPED_TRACE("cut at " + std::to_string(n));
    const std::string error = f.expect_refused(std::span(f.snap.data(), n));
    EXPECT_NE(error.find("truncated at byte " + std::to_string(n)), std::string::npos) << error;
  }
  // Every byte of the header and the table, and inside each section.
  for (size_t n = 0; n < 20 + 16 * 3; ++n) f.expect_refused(std::span(f.snap.data(), n));
  for (size_t i = 0; i + 1 < ends.size(); ++i)
    if (ends[i + 1] > ends[i] + 2) f.expect_refused(std::span(f.snap.data(), (ends[i] + ends[i + 1]) / 2));
}

TEST(DamagedSnapshot, FlippedBytesAnywhere) {
  Fixture f;
  const size_t stride = std::max<size_t>(1, f.snap.size() / 120);
  int refused = 0;
  for (size_t at = 8; at < f.snap.size(); at += stride) {
    SCOPED_TRACE("byte " + std::to_string(at));
    std::vector<uint8_t> bad = f.snap;
    bad[at] ^= 0x5A;
    f.expect_refused(bad);
    ++refused;
  }
  EXPECT_GT(refused, 100);
}

TEST(DamagedSnapshot, ForeignAndNewerFiles) {
  Fixture f;
  std::vector<uint8_t> bad = f.snap;
  bad[0] = 'X';
  EXPECT_NE(f.expect_refused(bad).find("not a Trapeze snapshot"), std::string::npos);
  const std::string json = R"({"version":1,"guests":[]})";
  EXPECT_NE(f.expect_refused(std::span(reinterpret_cast<const uint8_t*>(json.data()), json.size()))
                .find("not a Trapeze snapshot"),
            std::string::npos);
  f.expect_refused({});
  bad = f.snap;
  bad[8] = uint8_t(kSnapshotFormat + 1);
  EXPECT_EQ(f.expect_refused(bad), "written by a newer Trapeze (format " +
                                       std::to_string(kSnapshotFormat + 1) + ", this reads " +
                                       std::to_string(kSnapshotFormat) + ")");
  // A section this format does not have; a section missing.
  std::vector<SnapshotSection> sections;
  std::string error;
  ASSERT_TRUE(read_snapshot_file(f.snap, &sections, &error)) << error;
  ASSERT_EQ(sections.size(), 3u);
  auto extra = sections;
  extra.push_back(sections[0]);
  std::memcpy(extra.back().id, "XTRA", 4);
  EXPECT_NE(f.expect_refused(write_snapshot_file(extra)).find("unknown section 'XTRA'"), std::string::npos);
  auto missing = sections;
  missing.pop_back();
  EXPECT_NE(f.expect_refused(write_snapshot_file(missing)).find("missing"), std::string::npos);
}

// Inside a container with correct checksums: a scenario that does not load, and a
// state cut short or garbled. Each is refused with a message or (a garbled counter
// is still a state) loads; nothing crashes, and a refusal changes nothing.
TEST(DamagedSnapshot, HostileContentsBehindCorrectChecksums) {
  Fixture f;
  std::vector<SnapshotSection> sections;
  std::string error;
  ASSERT_TRUE(read_snapshot_file(f.snap, &sections, &error)) << error;
  auto bad_doc = sections;
  const std::string doc = R"({"version":1,"guests":[{"name":"x","memory":"9999M","source":"halt"}]})";
  bad_doc[0].bytes.assign(doc.begin(), doc.end());
  EXPECT_NE(f.expect_refused(write_snapshot_file(bad_doc, 1)).find("the snapshot's scenario"),
            std::string::npos);

  const std::vector<uint8_t> state = sections[2].bytes;
  const size_t n = state.size();
  ASSERT_GT(n, 1000u);
  for (size_t cut : {size_t(0), size_t(3), size_t(4), size_t(40), n / 3, n / 2, n - 1}) {
    auto cut_state = sections;
    cut_state[2].bytes.assign(state.begin(), state.begin() + long(cut));
    const std::string why = f.expect_refused(write_snapshot_file(cut_state, 1));
    EXPECT_NE(why.find("bad running state"), std::string::npos) << why;
  }
  auto longer = sections;
  longer[2].bytes.push_back(0);
  EXPECT_NE(f.expect_refused(write_snapshot_file(longer, 1)).find("unexpected bytes"), std::string::npos);
  int loaded_anyway = 0, refused = 0;
  // Across the start (the scheduler, the host's processor) and the end (the guests,
  // their strategies' structures): the middle is mostly memory, where any byte goes.
  std::vector<size_t> where;
  for (size_t k = 0; k < 50; ++k) where.push_back(k * 20);
  for (size_t k = 0; k < 70; ++k) where.push_back(n - 1 - k * std::min<size_t>(n / 80, 400));
  for (size_t at : where) {
    auto garbled = sections;
    garbled[2].bytes[at] ^= 0xFF;
    Session s = loaded(R"({"version":1,"guests":[{"name":"n","source":"halt","strategy":"trap"}]})");
    std::string why;
    if (s.restore_snapshot(write_snapshot_file(garbled, 1), &why)) {
      ++loaded_anyway;
    } else {
      ++refused;
      EXPECT_FALSE(why.empty());
    }
  }
  std::printf("garbled states: %d refused, %d loaded (a changed counter or byte of memory is a state)\n",
              refused, loaded_anyway);
  EXPECT_GT(refused, 0);
}

}  // namespace
}  // namespace trapeze::session::testing
