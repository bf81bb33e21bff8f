// Reading input files (text/input_file.h): regular files up to the limit; every
// other kind refused at once with a reason that names the limit (a FIFO without a
// writer must not block); and escaping for terminals and JSON (text/escape.h).
#include "text/input_file.h"

#include <gtest/gtest.h>
#include <sys/stat.h>
#include <unistd.h>

#include <fstream>
#include <nlohmann/json.hpp>
#include <string>

#include "text/escape.h"

namespace trapeze::text {
namespace {

std::string temp_path(const std::string& name) { return ::testing::TempDir() + "trapeze_text_" + name; }

const std::string kRule = "input files must be regular files of at most 1048576 bytes";

TEST(InputFile, ReadsARegularFileWhole) {
  const std::string path = temp_path("small.s");
  std::ofstream(path, std::ios::binary) << std::string("halt\n\0\xA6", 7);
  const FileText t = read_input_file(path);
  ASSERT_TRUE(t) << t.error();
  EXPECT_EQ(*t, std::string("halt\n\0\xA6", 7));
  EXPECT_EQ(t.error(), "");
}

TEST(InputFile, AMissingFileIsMissingNotFailed) {
  const FileText t = read_input_file(temp_path("no-such-file.s"));
  EXPECT_FALSE(t);
  EXPECT_TRUE(t.missing());
  EXPECT_EQ(t.error(), "not found");
}

TEST(InputFile, ADirectoryIsRefused) {
  const FileText t = read_input_file(::testing::TempDir());
  EXPECT_FALSE(t);
  EXPECT_FALSE(t.missing());
  EXPECT_EQ(t.error(), "is a directory (" + kRule + ")");
}

TEST(InputFile, AFifoIsRefusedWithoutWaitingForAWriter) {
  const std::string path = temp_path("fifo");
  unlink(path.c_str());
  ASSERT_EQ(mkfifo(path.c_str(), 0600), 0);
  const FileText t = read_input_file(path);  // would block forever if opened for a blocking read
  EXPECT_EQ(t.error(), "is a FIFO (" + kRule + ")");
  unlink(path.c_str());
}

TEST(InputFile, ADeviceIsRefused) {
  EXPECT_EQ(read_input_file("/dev/zero").error(), "is a character device (" + kRule + ")");
}

TEST(InputFile, AFileOverTheLimitIsRefusedBeforeItIsRead) {
  const std::string path = temp_path("big.s");
  {
    std::ofstream(path, std::ios::binary | std::ios::trunc);
  }
  ASSERT_EQ(truncate(path.c_str(), off_t(100) << 20), 0);  // 100 MB, sparse
  EXPECT_EQ(read_input_file(path).error(), "has 104857600 bytes (" + kRule + ")");
  ASSERT_EQ(truncate(path.c_str(), off_t(kMaxInputFileBytes)), 0);  // exactly the limit: read
  const FileText at_limit = read_input_file(path);
  ASSERT_TRUE(at_limit) << at_limit.error();
  EXPECT_EQ(at_limit->size(), kMaxInputFileBytes);
  ASSERT_EQ(truncate(path.c_str(), off_t(kMaxInputFileBytes) + 1), 0);
  EXPECT_EQ(read_input_file(path).error(), "has 1048577 bytes (" + kRule + ")");
  EXPECT_EQ(read_input_file(path, 10).error(),
            "has 1048577 bytes (input files must be regular files of at most 10 bytes)");
  unlink(path.c_str());
}

TEST(Escape, ControlBytesAndBytesThatAreNotUtf8AreEscaped) {
  EXPECT_EQ(escaped("\x1b[31mred\xA6\x07\x7f"), "\\x1B[31mred\\xA6\\x07\\x7F");
  EXPECT_EQ(escaped("a\\b\tc\rd"), "a\\b\\tc\\rd");  // a backslash stays as written
  EXPECT_EQ(escaped(std::string("\0", 1)), "\\x00");
  // C1 controls (U+009B is CSI on some terminals) are escaped; printable UTF-8 is kept.
  EXPECT_EQ(escaped("\xC2\x9B" "2J"), "\\xC2\\x9B2J");
  EXPECT_EQ(escaped("gr\xC3\xBC\xC3\x9F \xE2\x9C\x93 \xF0\x9F\x98\x80"), "gr\xC3\xBC\xC3\x9F \xE2\x9C\x93 \xF0\x9F\x98\x80");
  // Truncated and overlong sequences, surrogates: not UTF-8.
  EXPECT_EQ(escaped("\xE2\x9C"), "\\xE2\\x9C");
  EXPECT_EQ(escaped("\xC0\xAF"), "\\xC0\\xAF");
  EXPECT_EQ(escaped("\xED\xA0\x80"), "\\xED\\xA0\\x80");
  // Line breaks only when asked for.
  EXPECT_EQ(escaped("a\nb"), "a\\x0Ab");
  EXPECT_EQ(escaped("a\nb\x1b", /*keep_newlines=*/true), "a\nb\\x1B");
}

TEST(Escape, QuotedKeepsUtf8AndEscapesControlsAndBytesThatAreNotUtf8) {
  EXPECT_EQ(quoted("caf\xC3\xA9 \xE2\x9C\x93"), "\"caf\xC3\xA9 \xE2\x9C\x93\"");
  EXPECT_EQ(quoted("a\x1B[2J\tb\xFF"), "\"a\\x1B[2J\\tb\\xFF\"");
  // Cut at a byte count, but never inside a character: "\xC3\xA9" is kept or dropped whole.
  EXPECT_EQ(quoted("abc\xC3\xA9z", 4), "\"abc...\"");
  EXPECT_EQ(quoted("abc\xC3\xA9z", 5), "\"abc\xC3\xA9...\"");
  EXPECT_EQ(quoted("abc", 3), "\"abc\"");
}

TEST(Escape, JsonTextNeverThrowsOnBytesThatAreNotUtf8) {
  nlohmann::ordered_json j;
  j["console"] = std::string("ok\xA6\x1b");
  EXPECT_THROW((void)j.dump(), nlohmann::json::type_error);  // what the plain writer does
  const std::string out = json_text(j);
  EXPECT_EQ(out, "{\"console\":\"ok\xEF\xBF\xBD\\u001b\"}");
  EXPECT_EQ(nlohmann::json::parse(out)["console"], "ok\xEF\xBF\xBD\x1b");
}

}  // namespace
}  // namespace trapeze::text
