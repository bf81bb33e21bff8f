#include "session/snapshot_format.h"

#include <zlib.h>

#include <algorithm>
#include <cstring>

namespace trapeze::session {
namespace {

constexpr size_t kHeaderBytes = 20;
constexpr size_t kEntryBytes = 16;

void put32(std::vector<uint8_t>& out, uint32_t v) {
  for (int i = 0; i < 4; ++i) out.push_back(uint8_t(v >> (8 * i)));
}
uint32_t get32(const uint8_t* p) {
  return uint32_t(p[0]) | uint32_t(p[1]) << 8 | uint32_t(p[2]) << 16 | uint32_t(p[3]) << 24;
}

uint32_t crc_of(const uint8_t* p, size_t n) {
  uLong crc = crc32(0L, Z_NULL, 0);
  while (n > 0) {  // zlib takes uInt lengths
    const uInt chunk = uInt(std::min<size_t>(n, 1u << 30));
    crc = crc32(crc, p, chunk);
    p += chunk;
    n -= chunk;
  }
  return uint32_t(crc);
}

std::vector<uint8_t> deflate_bytes(const std::vector<uint8_t>& in, int level) {
  uLongf bound = compressBound(uLong(in.size()));
  std::vector<uint8_t> out(bound);
  if (compress2(out.data(), &bound, in.data(), uLong(in.size()), level) != Z_OK) return {};
  out.resize(bound);
  return out;
}

// Inflates exactly `length` bytes from `in` (all of it), growing the output only as
// the stream yields bytes.
bool inflate_bytes(std::span<const uint8_t> in, uint32_t length, std::vector<uint8_t>* out) {
  z_stream z{};
  if (inflateInit(&z) != Z_OK) return false;
  out->clear();
  z.next_in = const_cast<Bytef*>(in.data());
  z.avail_in = uInt(in.size());
  int rc = Z_OK;
  while (rc == Z_OK) {
    const size_t have = out->size();
    if (have >= length) {  // room for one more byte tells whether the stream is longer
      uint8_t extra;
      z.next_out = &extra;
      z.avail_out = 1;
      rc = inflate(&z, Z_FINISH);
      if (z.avail_out == 0) rc = Z_DATA_ERROR;
      break;
    }
    const size_t grow = std::min<size_t>(length - have, std::max<size_t>(have, 1u << 16));
    out->resize(have + grow);
    z.next_out = out->data() + have;
    z.avail_out = uInt(grow);
    rc = inflate(&z, Z_NO_FLUSH);
    out->resize(have + (grow - z.avail_out));
    if (rc == Z_BUF_ERROR && z.avail_in == 0) break;  // the input ended early
  }
  const bool ok = rc == Z_STREAM_END && z.avail_in == 0 && out->size() == length;
  inflateEnd(&z);
  return ok;
}

std::string section_name(const char* id) {
  std::string s;
  for (int i = 0; i < 4; ++i) s += (id[i] >= 0x20 && id[i] < 0x7f) ? id[i] : '?';
  return s;
}

}  // namespace

bool is_snapshot(std::span<const uint8_t> bytes) {
  return bytes.size() >= 8 && std::memcmp(bytes.data(), kSnapshotMagic, 8) == 0;
}

std::vector<uint8_t> write_snapshot_file(const std::vector<SnapshotSection>& sections, int level) {
  std::vector<std::vector<uint8_t>> packed;
  for (const SnapshotSection& s : sections) packed.push_back(deflate_bytes(s.bytes, level));
  std::vector<uint8_t> table;
  for (size_t i = 0; i < sections.size(); ++i) {
    table.insert(table.end(), sections[i].id, sections[i].id + 4);
    put32(table, uint32_t(packed[i].size()));
    put32(table, uint32_t(sections[i].bytes.size()));
    put32(table, crc_of(sections[i].bytes.data(), sections[i].bytes.size()));
  }
  std::vector<uint8_t> out(kSnapshotMagic, kSnapshotMagic + 8);
  put32(out, kSnapshotFormat);
  put32(out, uint32_t(sections.size()));
  put32(out, crc_of(table.data(), table.size()));
  out.insert(out.end(), table.begin(), table.end());
  for (const auto& p : packed) out.insert(out.end(), p.begin(), p.end());
  return out;
}

bool read_snapshot_file(std::span<const uint8_t> bytes, std::vector<SnapshotSection>* sections,
                        std::string* error, uint32_t* format_out) {
  auto fail = [&](std::string why) {
    if (error) *error = std::move(why);
    return false;
  };
  const std::string truncated = "truncated at byte " + std::to_string(bytes.size());
  if (bytes.empty()) return fail("not a Trapeze snapshot (the file is empty)");
  if (!is_snapshot(bytes)) {
    if (bytes.size() < 8 && std::memcmp(bytes.data(), kSnapshotMagic, bytes.size()) == 0)
      return fail("not a Trapeze snapshot (" + truncated + ", inside its magic)");
    return fail("not a Trapeze snapshot (it does not start with TRPZSNAP)");
  }
  if (bytes.size() < 12) return fail(truncated + " (in the header)");
  const uint32_t format = get32(bytes.data() + 8);
  if (format > kSnapshotFormat)
    return fail("written by a newer Trapeze (format " + std::to_string(format) + ", this reads " +
                std::to_string(kSnapshotFormat) + ")");
  if (format == 0) return fail("bad snapshot format 0");
  if (format_out) *format_out = format;
  if (bytes.size() < kHeaderBytes) return fail(truncated + " (in the header)");
  const uint32_t count = get32(bytes.data() + 12);
  if (count > kMaxSnapshotSections)
    return fail("bad section count " + std::to_string(count) + " (at most " +
                std::to_string(kMaxSnapshotSections) + ")");
  const size_t table_end = kHeaderBytes + size_t(count) * kEntryBytes;
  if (bytes.size() < table_end) return fail(truncated + " (in the section table)");
  if (crc_of(bytes.data() + kHeaderBytes, table_end - kHeaderBytes) != get32(bytes.data() + 16))
    return fail("checksum mismatch in the section table (the file is damaged)");
  std::vector<SnapshotSection> out(count);
  size_t at = table_end;
  for (uint32_t i = 0; i < count; ++i) {
    const uint8_t* e = bytes.data() + kHeaderBytes + i * kEntryBytes;
    SnapshotSection& s = out[i];
    std::memcpy(s.id, e, 4);
    const uint32_t packed = get32(e + 4), length = get32(e + 8), crc = get32(e + 12);
    const std::string name = "section '" + section_name(s.id) + "'";
    if (length > kMaxSnapshotSectionBytes)
      return fail(name + " is too large (" + std::to_string(length) + " bytes, at most " +
                  std::to_string(kMaxSnapshotSectionBytes) + ")");
    if (packed > bytes.size() - at) return fail(truncated + " (in " + name + ")");
    if (!inflate_bytes(bytes.subspan(at, packed), length, &s.bytes))
      return fail(name + " does not decompress (the file is damaged)");
    if (crc_of(s.bytes.data(), s.bytes.size()) != crc)
      return fail("checksum mismatch in " + name + " (the file is damaged)");
    at += packed;
  }
  if (at != bytes.size())
    return fail(std::to_string(bytes.size() - at) + " unexpected bytes after the last section");
  *sections = std::move(out);
  return true;
}

}  // namespace trapeze::session
