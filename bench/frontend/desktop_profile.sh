#!/bin/sh
# Where the app's work per frame goes, on the desktop build (the same panel code
# as the browser's) under Xvfb, measured with perf in CPU time, so other load on
# the machine does not count: four running guests (web/tests/data/four-busy-guests.json),
# every panel open, N frames. Prints the frame statistics line, then the CPU time
# per frame inside App::frame and inside each panel's draw function (perf's
# "children" time, from DWARF call graphs of the app's main thread; rendering in
# Mesa's llvmpipe threads is left out, as it is outside App::frame). A
# measurement that reports, never a test.
#   bench/frontend/desktop_profile.sh build/release/wasm/trapeze-desktop [FRAMES] [WIDTHxHEIGHT]
set -eu
app=$1 frames=${2:-300} size=${3:-1280x800}
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
out=${TMPDIR:-/tmp}/trapeze-desktop-profile.$$
mkdir -p "$out"
trap 'rm -rf "$out"' EXIT
xvfb-run -a -s "-screen 0 ${size}x24" \
  perf record -q -F 1999 --call-graph dwarf,32768 -o "$out/perf.data" -- \
  "$app" --scenario "$root/web/tests/data/four-busy-guests.json" --run --all-panels --frames "$frames" --stats \
  >"$out/stats.json" 2>"$out/stderr" || { cat "$out/stderr" >&2; exit 1; }
cat "$out/stats.json"
# CPU time inside each function (perf's "children" share of the event count, in
# nanoseconds of cpu-clock) in the app's main thread, per frame.
perf report -i "$out/perf.data" --comm trapeze-desktop --children --sort symbol --stdio -g none \
  --percent-limit 0.05 2>/dev/null |
  awk -v frames="$frames" '
    /^# Event count/ { total = $NF }
    $3 == "[.]" && /App::frame|draw_[a-z_]+_panel|Session::run_frame|draw_menu_bar|layout_[a-z_]+|ImGui_ImplOpenGL3_RenderDrawData/ {
      pct = $1; sub(/%/, "", pct)
      name = $4
      printf "%7.3f ms/frame  %6s%%  %s\n", pct / 100 * total / 1e6 / frames, pct, name
    }'
