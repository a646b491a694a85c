#!/usr/bin/env bash
# Issue 14 benchmark: 405 synthetic Jobcenters + overview, `zielbericht run` from scratch
# against the same templates driven from Python (PyPI `typst`, two threads) on the JSON of
# `run --emit-data`, alternating A B A B; prints medians, the ratio and peak memory.
# Usage: bash bench/compare.sh [ROUNDS]   (needs `pip install typst==0.15.0` for B)
set -euo pipefail
cd "$(dirname "$0")/.."
rounds=${1:-5}
cargo build --release --quiet
bin=$PWD/target/release/zielbericht
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
$bin generate --out "$tmp/data" --jobcenters 405 --years 3 --first-year 2016 >/dev/null
$bin run --data "$tmp/data" --out "$tmp/warm" --month 2018-09 --emit-data "$tmp/json" >/dev/null 2>&1
have_py=0
python3 -c "import typst" 2>/dev/null && have_py=1
measure() { # label, command...
  local label=$1; shift
  /usr/bin/time -f "%e %M" -o "$tmp/t" "$@" >/dev/null 2>&1
  echo "$label $(cat "$tmp/t")" >>"$tmp/times"
}
for i in $(seq "$rounds"); do
  rm -rf "$tmp/out" "$tmp/py"
  measure A "$bin" run --data "$tmp/data" --out "$tmp/out" --month 2018-09 --jobs 2
  if [ $have_py = 1 ]; then
    measure B python3 bench/python_driver.py templates "$tmp/json" "$tmp/py" 2
  fi
done
python3 - "$tmp/times" <<'PY'
import statistics, sys
rows = [l.split() for l in open(sys.argv[1])]
med = {}
for label in sorted({r[0] for r in rows}):
    wall = [float(r[1]) for r in rows if r[0] == label]
    peak = max(int(r[2]) for r in rows if r[0] == label) / 1024
    med[label] = statistics.median(wall)
    name = {"A": "zielbericht run", "B": "Python typst driver"}[label]
    print(f"{name:22} median {med[label]:.2f} s wall over {len(wall)} runs, peak {peak:.0f} MiB")
if "B" in med:
    print(f"ratio A/B {med['A'] / med['B']:.2f} (goal ≤ 0.9)")
PY
