// Runs a shell command for the CLI tests and collects what it prints.
#pragma once

#include <sys/wait.h>

#include <array>
#include <cstdio>
#include <string>

struct ShellOutput {
  int exit_code = -1;  // -1: could not run, or killed by a signal
  std::string out;     // standard output (redirect stderr in the command to get it too)
};

inline ShellOutput run_shell(const std::string& command) {
  ShellOutput o;
  FILE* p = popen(command.c_str(), "r");
  if (!p) return o;
  std::array<char, 4096> buf;
  size_t n;
  while ((n = fread(buf.data(), 1, buf.size(), p)) > 0) o.out.append(buf.data(), n);
  const int status = pclose(p);
  o.exit_code = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
  return o;
}
