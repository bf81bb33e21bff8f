#!/bin/sh
# Builds the machine benchmark for WebAssembly and runs it in node (V8), and with
# --browser also in headless Chromium. Prints one JSON line per engine.
#   bench/wasm/run.sh [--browser] [--threaded|--switch]
# Emscripten builds use switch dispatch (core/machine/run_loop.cpp); --threaded builds
# the computed-goto form instead, for comparison (--switch: the default, named).
set -eu
export NODE_PATH=${NODE_PATH:-/usr/share/nodejs}  # Debian's emcc needs acorn for -O2 links (as in ci/setup)
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
out=${TRAPEZE_WASM_BENCH_DIR:-/tmp/trapeze-wasm-bench}
mkdir -p "$out"
browser=0
extra=""
for a in "$@"; do
  case "$a" in
    --browser) browser=1 ;;
    --switch) extra="-DTRAPEZE_THREADED_DISPATCH=0" ;;
    --threaded) extra="-DTRAPEZE_THREADED_DISPATCH=1" ;;
    *) echo "usage: $0 [--browser] [--threaded|--switch]" >&2; exit 2 ;;
  esac
done
emcc -std=c++20 -O3 $extra -I"$root/core" -I"$root/bench" \
  "$root"/core/isa/*.cpp "$root"/core/machine/*.cpp "$root/bench/workloads/bench_programs.cpp" "$here/machine_bench_wasm.cpp" \
  -sALLOW_MEMORY_GROWTH=1 -sINITIAL_MEMORY=64MB -sENVIRONMENT=web,node -sSINGLE_FILE=1 -sWASM_ASYNC_COMPILATION=0 \
  -o "$out/machine_bench.js"
printf 'node: '
node "$out/machine_bench.js"
if [ "$browser" = 1 ]; then
  cat > "$out/index.html" <<'HTML'
<!doctype html><html><body><pre id="out">running</pre>
<script>
var Module = { print: function (t) { document.getElementById('out').textContent = t; document.title = 'done'; } };
</script><script src="machine_bench.js"></script></body></html>
HTML
  printf 'chromium: '
  # The module compiles synchronously (WASM_ASYNC_COMPILATION=0), so the benchmark
  # runs before the load event and --dump-dom prints its result. (--virtual-time-budget
  # would freeze the benchmark's clock.)
  chromium --headless --no-sandbox --disable-gpu --allow-file-access-from-files \
    --dump-dom "file://$out/index.html" 2>/dev/null |
    sed -n 's:.*<pre id="out">\(.*\)</pre>.*:\1:p'
fi
