#!/usr/bin/env bash
# Issue 14 benchmark: 405 synthetic Jobcenters + overview (Berichtsmonat 2018-09).
#   A  `zielbericht run` from scratch (empty --out)
#   B  the same templates driven from Python (PyPI `typst`, two threads) on the JSON of
#      `run --emit-data` (skipped when `import typst` fails)
#   R  a rerun with nothing changed (reuses every PDF)
#   C  a rerun after one cell of monatswerte.csv changed (Jobcenter 01001, `int` of
#      2018-09): renders its report, those compared with its Land or Vergleichstyp,
#      and the overview again
# alternating A B R C for ROUNDS rounds; prints medians of wall time, CPU time, the
# ratio A/B, peak memory (/usr/bin/time -v "Maximum resident set size"), the machine's
# load before and after, and checks that C's PDFs are byte-identical to a fresh
# `--no-reuse` run on the changed data.
# Usage: bash bench/compare.sh [ROUNDS]   (ROUNDS ≥ 5 recommended; default 5)
set -euo pipefail
cd "$(dirname "$0")/.."
rounds=${1:-5}
cargo build --release --quiet
bin=$PWD/target/release/zielbericht
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
export SOURCE_DATE_EPOCH=1700000000
month=2018-09
$bin generate --out "$tmp/data" --jobcenters 405 --years 3 --first-year 2016 >/dev/null
# The changed data: one cell of one Jobcenter.
cp -r "$tmp/data" "$tmp/changed"
python3 - "$tmp/changed/monatswerte.csv" "$month" <<'PY'
import sys
path, month = sys.argv[1:3]
lines = open(path, encoding="utf-8").read().split("\n")
header = lines[0].split(",")
col = header.index("int")
for i, line in enumerate(lines):
    cells = line.split(",")
    if cells[:2] == ["01001", month]:
        cells[col] = str(int(cells[col]) + 7)
        lines[i] = ",".join(cells)
        break
else:
    sys.exit("no row 01001 " + month)
open(path, "w", encoding="utf-8").write("\n".join(lines))
PY
$bin run --data "$tmp/data" --out "$tmp/warm" --month $month --emit-data "$tmp/json" >/dev/null 2>&1
have_py=0
python3 -c "import typst" 2>/dev/null && have_py=1
measure() { # label, command...
  local label=$1; shift
  /usr/bin/time -v -o "$tmp/t" "$@" >/dev/null 2>"$tmp/err"
  local wall cpu peak
  wall=$(awk -F': ' '/Elapsed \(wall clock\)/ {n=split($2,p,":"); s=0; for(i=1;i<=n;i++) s=s*60+p[i]; print s}' "$tmp/t")
  cpu=$(awk -F': ' '/User time|System time/ {s+=$2} END {print s}' "$tmp/t")
  peak=$(awk -F': ' '/Maximum resident set size/ {print $2}' "$tmp/t")
  echo "$label $wall $cpu $peak" >>"$tmp/times"
}
load_before=$(cut -d' ' -f1-3 /proc/loadavg)
for i in $(seq "$rounds"); do
  rm -rf "$tmp/out" "$tmp/py"
  measure A "$bin" run --data "$tmp/data" --out "$tmp/out" --month $month --jobs 2
  if [ $have_py = 1 ]; then
    measure B python3 bench/python_driver.py templates "$tmp/json" "$tmp/py" 2
  fi
  measure R "$bin" run --data "$tmp/data" --out "$tmp/out" --month $month --jobs 2
  measure C "$bin" run --data "$tmp/changed" --out "$tmp/out" --month $month --jobs 2
  grep -o '[0-9]* Dokumente\? aus dem vorigen Lauf übernommen' "$tmp/err" >"$tmp/reused" || true
done
load_after=$(cut -d' ' -f1-3 /proc/loadavg)
# C's PDFs against a fresh rendering of the changed data.
$bin run --data "$tmp/changed" --out "$tmp/fresh" --month $month --jobs 2 --no-reuse >/dev/null 2>&1
identical=yes
for f in "$tmp/fresh/$month"/*.pdf; do
  cmp -s "$f" "$tmp/out/$month/$(basename "$f")" || { identical="NO ($(basename "$f"))"; break; }
done
python3 - "$tmp/times" "$have_py" <<PY
import statistics, sys
rows = [l.split() for l in open(sys.argv[1])]
names = {"A": "zielbericht from scratch", "B": "Python typst driver",
         "R": "rerun, nothing changed", "C": "rerun, one cell changed"}
goals = {"R": 1.0, "C": 1.5}
med = {}
print(f"load average before {'$load_before'}, after {'$load_after'} (2 cores: above 2 means shared)")
for label in "ABRC":
    sel = [r for r in rows if r[0] == label]
    if not sel:
        continue
    wall = [float(r[1]) for r in sel]
    cpu = [float(r[2]) for r in sel]
    peak = max(int(r[3]) for r in sel) / 1024
    med[label] = statistics.median(wall)
    goal = f" (goal ≤ {goals[label]} s)" if label in goals else ""
    print(f"{names[label]:26} median {med[label]:5.2f} s wall{goal}, {statistics.median(cpu):5.2f} s CPU, "
          f"over {len(wall)} runs, peak {peak:.0f} MiB")
if "B" in med:
    print(f"ratio A/B {med['A'] / med['B']:.2f} (goal ≤ 0.9); zielbericht peak goal ≤ 160 MiB")
print("rerun after the change:", open("$tmp/reused").read().strip() or "none reused", "of 406")
print("byte-identical to a fresh --no-reuse run: $identical")
PY
