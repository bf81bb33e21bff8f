// trapeze: the command-line tool. Each subcommand lives in its own cmd_*.cpp
// file and is listed once in kCommands below.
#include <cstdio>
#include <cstring>
#include <string_view>

#include "commands.h"
#include "text/escape.h"

namespace {

struct Command {
  std::string_view name;
  std::string_view usage;
  int (*run)(int argc, char** argv);  // argv[0] is the subcommand name
};

int cmd_version(int, char**) {
  std::printf("trapeze %s\n", trapeze::cli::kVersion);
  return 0;
}

int cmd_help(int, char**);

constexpr Command kCommands[] = {
    {"help", "help                      this list", cmd_help},
    {"version", "version                   print the version", cmd_version},
    {"isa", "isa [--json|--check|--markdown]  the instruction table and each instruction's class;\n"
            "                          --check: Popek-Goldberg, exit 3 if not classically virtualizable",
     trapeze::cli::cmd_isa},
    {"asm", "asm FILE.s [-o OUT] [--listing] [--symbols] [-D NAME[=V]] [-I DIR]  assemble;\n"
            "                          exit 1 with every error on stderr",
     trapeze::cli::cmd_asm},
    {"disasm", "disasm FILE              disassemble an image (asm -o) or a source", trapeze::cli::cmd_disasm},
    {"run", "run FILE.s [--max-instr N] [--json] [-D NAME[=V]] [--mem BYTES] [--tlb N]\n"
            "                          run on the bare machine until halt or the limit; exit 1 on bad input\n"
            "  trapeze run SCENARIO.json [--json] [--max-instr N] [--max-cycles N] [--strategy S]\n"
            "                          run a scenario's guests under the VMM; per-guest consoles, counters\n"
            "                          and state hashes; --save-at N --snapshot FILE stops there and saves\n"
            "  trapeze run FILE.snap [--json] [--max-instr N] [--max-cycles N]\n"
            "                          go on from a snapshot, as the run it was saved from would have",
     trapeze::cli::cmd_run},
    {"bench", "bench [machine] [--json] [--seconds S]  the interpreter's speed (guest MIPS) on the\n"
              "                          ALU, load/store and syscall loops\n"
              "  trapeze bench nano [--json|--csv|--markdown]  the nanobenchmark table: simulated\n"
              "                          cycles per operation under every strategy (--guests DIR: that\n"
              "                          folder's guests instead of the compiled-in ones)",
     trapeze::cli::cmd_bench},
    {"experiment", "experiment [NAME] [--json|--csv|--markdown] [--guests DIR]  run an experiment (no\n"
                   "                          NAME: list them) on the compiled-in guests, or DIR's",
     trapeze::cli::cmd_experiment},
    {"check", "check LAB [--submission GUEST=FILE.s]... [--json] [--gradescope FILE] [--junit FILE]\n"
              "                          run a lab's checks (docs/labs.md) on a student's sources;\n"
              "                          exit 0 all pass, 3 a check fails, 1 bad input",
     trapeze::cli::cmd_check},
};

int cmd_help(int, char**) {
  std::printf("usage: trapeze COMMAND [ARGS]\n\ncommands:\n");
  for (const Command& c : kCommands) std::printf("  trapeze %.*s\n", int(c.usage.size()), c.usage.data());
  return 0;
}

}  // namespace

int main(int argc, char** argv) {
  if (argc < 2) {
    cmd_help(0, nullptr);
    return 2;
  }
  const std::string_view name = argv[1];
  if (name == "--help" || name == "-h") return cmd_help(0, nullptr);
  if (name == "--version") return cmd_version(0, nullptr);
  for (const Command& c : kCommands)
    if (c.name == name) return c.run(argc - 1, argv + 1);
  std::fprintf(stderr, "trapeze: unknown command '%s' (try 'trapeze help')\n",
               trapeze::text::escaped(argv[1]).c_str());
  return 2;
}
