#!/usr/bin/env bash
# Benchmark: 405 synthetic Jobcenters over 10 years. Prints wall time and peak memory of
# (1) reading, validating and computing (no rendering) and (2) the full run with reports.
set -euo pipefail
cd "$(dirname "$0")/.."
cargo build --release --quiet
bin=target/release/zielbericht
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
$bin generate --out "$tmp/data" --jobcenters 405 --years 10 >/dev/null
for mode in "--figures-only" ""; do
  /usr/bin/time -f "%e s wall, %M KB peak RSS" $bin run --data "$tmp/data" --out "$tmp/out" $mode 2>&1 \
    | grep -v '^\[' | tail -2 | sed "s|^|${mode:-full run}: |"
done
ls -l "$tmp/out"/*/ | awk 'NR>1 && /pdf$/ {n++; s+=$5; if ($5>m) m=$5} END {printf "%d PDFs, mean %.0f KB, max %.0f KB\n", n, s/n/1024, m/1024}'
