// The snapshot file (docs/snapshot.md): a container of named sections, each
// compressed with zlib and checked with its CRC-32.
//
//   0   8 bytes  magic "TRPZSNAP"
//   8   u32      format version (kSnapshotFormat); a reader takes its own and older
//   12  u32      section count (at most kMaxSnapshotSections)
//   16  u32      CRC-32 of the section table
//   20  16 bytes per section: id (4 ASCII bytes), compressed length, length, CRC-32
//       of its uncompressed bytes
//   then each section's zlib stream, in table order, nothing after the last
//
// Every number little-endian. Reading never trusts a length before checking it
// against the file and the limits, and inflates into memory only as much as the
// stream really yields.
#pragma once

#include <cstdint>
#include <span>
#include <string>
#include <vector>

namespace trapeze::session {

inline constexpr char kSnapshotMagic[] = "TRPZSNAP";  // 8 bytes, no terminator in the file
// 2: the state section saves a disk's changed sectors only (machine::kStateLayout);
// format 1 files are still read.
inline constexpr uint32_t kSnapshotFormat = 2;
inline constexpr uint32_t kMaxSnapshotSections = 16;
// The uncompressed size of one section at most: the state of the largest session
// a scenario may declare (host memory, disks, bare-metal guests' own memory) fits.
inline constexpr uint32_t kMaxSnapshotSectionBytes = 768u << 20;

struct SnapshotSection {
  char id[4];
  std::vector<uint8_t> bytes;  // uncompressed
};

// True if `bytes` starts with the magic (how the CLI tells a snapshot from a scenario).
bool is_snapshot(std::span<const uint8_t> bytes);

// `level`: zlib's, 1 (fast) .. 9 (small).
std::vector<uint8_t> write_snapshot_file(const std::vector<SnapshotSection>& sections, int level = 6);
// False with *error ("not a Trapeze snapshot", "truncated at byte N", "checksum
// mismatch in section 'STAT'", "written by a newer Trapeze (format 3, this reads 1)").
// `format`, if given, receives the file's format version.
bool read_snapshot_file(std::span<const uint8_t> bytes, std::vector<SnapshotSection>* sections,
                        std::string* error, uint32_t* format = nullptr);

}  // namespace trapeze::session
