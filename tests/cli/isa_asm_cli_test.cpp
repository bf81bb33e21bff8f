// The ISA and assembler commands of the real `trapeze` binary: output, files
// and exit codes (isa --check exits 3, asm exits 1 on bad input).
#include <gtest/gtest.h>

#include "cli/shell.h"
#include <sys/wait.h>
#include <unistd.h>

#include <cstdio>
#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <sstream>

#include "asm/reference.h"
#include "isa/isa.h"

namespace {

namespace fs = std::filesystem;

struct Outcome {
  int exit_code = -1;
  std::string out, err;
};

std::string slurp(const fs::path& p) {
  std::ifstream in(p, std::ios::binary);
  std::stringstream s;
  s << in.rdbuf();
  return s.str();
}

class IsaAsmCli : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = fs::path(::testing::TempDir()) /
           ("trapeze_isa_asm_cli_" + std::to_string(getpid()) + "_" +
            ::testing::UnitTest::GetInstance()->current_test_info()->name());
    fs::remove_all(dir_);
    fs::create_directories(dir_);
  }
  void TearDown() override { fs::remove_all(dir_); }

  fs::path write(const std::string& name, const std::string& text) {
    const fs::path p = dir_ / name;
    fs::create_directories(p.parent_path());
    std::ofstream(p, std::ios::binary) << text;
    return p;
  }

  // Runs `trapeze ARGS` (already shell-quoted where needed) in the test directory.
  Outcome run(const std::string& args) {
    const fs::path err = dir_ / "stderr.txt";
    const std::string cmd = "cd '" + dir_.string() + "' && '" + TRAPEZE_CLI_PATH + "' " + args +
                            " 2>'" + err.string() + "'";
    const ShellOutput shell = run_shell(cmd);
    Outcome r;
    r.exit_code = shell.exit_code;
    r.out = shell.out;
    r.err = slurp(err);
    return r;
  }

  fs::path dir_;
};

TEST_F(IsaAsmCli, IsaPrintsEveryInstructionWithItsClass) {
  const Outcome r = run("isa");
  EXPECT_EQ(r.exit_code, 0) << r.err;
  for (const trapeze::isa::InsnInfo& i : trapeze::isa::instructions()) {
    const std::string row = std::string(1, '\n').append(i.mnemonic).append(" ");
    EXPECT_NE(r.out.find(row), std::string::npos) << i.mnemonic;
  }
  EXPECT_NE(r.out.find("rdpsw      0x48   RD     sensitive-unprivileged  behaviour          no"),
            std::string::npos)
      << r.out;
  EXPECT_NE(r.out.find("ldptr      0x50   RS     privileged              control            yes"),
            std::string::npos);
}

TEST_F(IsaAsmCli, IsaJsonHasTheClassColumns) {
  const Outcome r = run("isa --json");
  ASSERT_EQ(r.exit_code, 0) << r.err;
  const auto j = nlohmann::json::parse(r.out);
  ASSERT_TRUE(j.is_array());
  ASSERT_EQ(j.size(), trapeze::isa::kInstructionCount);
  for (const auto& row : j)
    for (const char* key : {"mnemonic", "opcode", "format", "summary", "privileged", "sensitive",
                            "sensitive_kind", "traps_in_user_mode"})
      EXPECT_TRUE(row.contains(key)) << key;
  for (const auto& row : j) {
    if (row["mnemonic"] != "wrpsw") continue;
    EXPECT_EQ(row["privileged"], false);
    EXPECT_EQ(row["sensitive"], true);
    EXPECT_EQ(row["sensitive_kind"], "control+behaviour");
    EXPECT_EQ(row["traps_in_user_mode"], false);
    EXPECT_EQ(row["opcode"], 0x49);
  }
}

TEST_F(IsaAsmCli, IsaCheckNamesTheThreeHolesAndExits3) {
  const Outcome r = run("isa --check");
  EXPECT_EQ(r.exit_code, 3);
  EXPECT_NE(r.out.find("NOT classically virtualizable"), std::string::npos) << r.out;
  for (const char* m : {"rdpsw", "wrpsw", "sptr"})
    EXPECT_NE(r.out.find("    " + std::string(m) + " "), std::string::npos) << m;
  EXPECT_NE(r.out.find("that do NOT trap in user mode:    3"), std::string::npos) << r.out;
  EXPECT_EQ(r.out.find("ldptr"), std::string::npos);  // only the offenders are listed
}

TEST_F(IsaAsmCli, IsaMarkdownIsTheGeneratedReference) {
  const Outcome r = run("isa --markdown");
  EXPECT_EQ(r.exit_code, 0);
  EXPECT_TRUE(r.out == trapeze::assembler::reference_markdown());
}

TEST_F(IsaAsmCli, IsaUpdateDocRewritesOnlyTheGeneratedPart) {
  const std::string doc = "# intro\n" + std::string(trapeze::assembler::kGeneratedBegin) +
                          "stale\n" + std::string(trapeze::assembler::kGeneratedEnd) + "outro\n";
  const fs::path p = write("isa.md", doc);
  const Outcome r = run("isa --update-doc isa.md");
  EXPECT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(slurp(p), *trapeze::assembler::with_generated_part(
                          doc, trapeze::assembler::reference_markdown()));
  EXPECT_EQ(run("isa --update-doc isa.md").out, "isa.md is up to date\n");
  write("plain.md", "no markers\n");
  EXPECT_EQ(run("isa --update-doc plain.md").exit_code, 1);
}

TEST_F(IsaAsmCli, UsageErrorsExit2) {
  EXPECT_EQ(run("isa --bogus").exit_code, 2);
  EXPECT_EQ(run("asm").exit_code, 2);
  EXPECT_EQ(run("asm a.s b.s").exit_code, 2);
  EXPECT_EQ(run("asm a.s -D").exit_code, 2);
  EXPECT_EQ(run("asm a.s -D X=zz").exit_code, 2);
  EXPECT_EQ(run("disasm").exit_code, 2);
  const Outcome help = run("help");
  for (const char* c : {"trapeze isa", "trapeze asm", "trapeze disasm", "exit 3"})
    EXPECT_NE(help.out.find(c), std::string::npos) << c;
}

TEST_F(IsaAsmCli, AsmWritesAnImageThatDisasmReads) {
  write("hello.s", "_start: li r1, 'h'\n  out PORT_CONSOLE, r1\nloop: b loop\n");
  const Outcome a = run("asm hello.s -o hello.bin");
  ASSERT_EQ(a.exit_code, 0) << a.err;
  EXPECT_EQ(a.err, "");
  const std::string image = slurp(dir_ / "hello.bin");
  ASSERT_GE(image.size(), 16u);
  EXPECT_EQ(image.substr(0, 4), "TRPZ");
  const Outcome d = run("disasm hello.bin");
  EXPECT_EQ(d.exit_code, 0) << d.err;
  EXPECT_EQ(d.out,
            "; entry 00000000\n"
            "; segment 00000000..0000000b (12 bytes)\n"
            "  00000000:  11100068  addi r1, r0, 104\n"
            "  00000004:  59100001  out 0x1, r1\n"
            "  00000008:  38ffffff  jmp 0x00000008\n");
}

TEST_F(IsaAsmCli, DisasmOfASourceShowsItsLabels) {
  write("loop.s", "_start: nop\nloop: bnez r1, loop\n.byte 7\n");
  const Outcome d = run("disasm loop.s");
  EXPECT_EQ(d.exit_code, 0) << d.err;
  EXPECT_EQ(d.out,
            "; segment 00000000..00000008 (9 bytes)\n"
            "_start:\n"
            "  00000000:  01000000  add r0, r0, r0\n"
            "loop:\n"
            "  00000004:  3110ffff  bne r1, r0, loop\n"
            "  00000008:  07        .byte 0x07\n");
}

TEST_F(IsaAsmCli, AsmBadInputExits1WithEveryError) {
  write("bad.s", "  foo\n  add r1, r2\n  addi r1, r0, 70000\n");
  const Outcome r = run("asm bad.s -o bad.bin");
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_EQ(r.err,
            "bad.s:1:3: error: unknown mnemonic 'foo'\n"
            "bad.s:2:3: error: add expects 3 operands (add rd, rs1, rs2), got 2\n"
            "bad.s:3:16: error: immediate 70000 out of range for addi (-32768..32767)\n"
            "3 errors\n");
  EXPECT_FALSE(fs::exists(dir_ / "bad.bin"));  // no image from a bad source
  const Outcome missing = run("asm nope.s");
  EXPECT_EQ(missing.exit_code, 1);
  EXPECT_EQ(missing.err, "trapeze: cannot read 'nope.s': not found\n");
  write("junk.bin", "TRPZ\x01");
  EXPECT_EQ(run("disasm junk.bin").exit_code, 1);
}

TEST_F(IsaAsmCli, AsmListingAndSymbols) {
  write("p.s", "N = 2\n_start: li r1, N\n  halt\n");
  const Outcome r = run("asm p.s --listing --symbols");
  EXPECT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(r.out,
            "00000000                              p.s:1            N = 2\n"
            "00000000  02 00 10 11                 p.s:2            _start: li r1, N\n"
            "00000004  00 00 00 5b                 p.s:3              halt\n"
            "00000002  constant N                        p.s:1\n"
            "00000000  label    _start                   p.s:2\n");
  EXPECT_EQ(run("asm p.s").out, "p.s: 8 bytes in 1 segment, entry 00000000, 2 symbols\n");
}

TEST_F(IsaAsmCli, AsmDefinesAndIncludeDirectories) {
  write("lib/io.s", "putc: out PORT_CONSOLE, r1\n  ret\n");
  write("guest.s",
        ".ifdef PARAVIRT\n  hypercall MODE\n.else\n  rdpsw r1\n.endif\n.include \"io.s\"\n");
  const Outcome bare = run("disasm guest.s -I lib");
  EXPECT_EQ(bare.exit_code, 0) << bare.err;
  EXPECT_NE(bare.out.find("rdpsw r1"), std::string::npos) << bare.out;
  const Outcome pv = run("disasm guest.s -I lib -D PARAVIRT -DMODE=0x7");
  EXPECT_EQ(pv.exit_code, 0) << pv.err;
  EXPECT_NE(pv.out.find("hypercall 0x7"), std::string::npos) << pv.out;
  const Outcome no_dir = run("asm guest.s");
  EXPECT_EQ(no_dir.exit_code, 1);
  EXPECT_EQ(no_dir.err, "guest.s:6:10: error: include file 'io.s' not found\n1 error\n");
}

}  // namespace
