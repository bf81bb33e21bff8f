#!/bin/sh
# The desktop app's flow under Xvfb (run by CTest inside xvfb-run): load a
# scenario, start every guest, open every panel, switch guest 0's strategy live
# halfway, step guest 3 at the end; a screenshot of the screen while it runs is
# kept; the frame statistics line is printed and checked.
#   desktop_flow.sh APP SCENARIO ARTIFACTS_DIR
set -eu
app=$1 scenario=$2 artifacts=$3
mkdir -p "$artifacts"
out=$artifacts/desktop-flow.json
"$app" --scenario "$scenario" --run --all-panels --frames 300 --switch 0:pv --step 3 --stats >"$out" &
pid=$!
sleep 5
import -window root "$artifacts/desktop-flow.png" || echo "no screenshot (imagemagick missing?)"
wait $pid
cat "$out"
# Guest 0 switched to pv; every guest ran.
grep -q '"guests":\[{"strategy":"pv","state":"ready","instructions":[1-9]' "$out"
test "$(grep -o '"instructions":[1-9][0-9]*' "$out" | wc -l)" -eq 4
