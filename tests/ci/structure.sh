#!/usr/bin/env bash
# Renders the documents with tables from the sample data (reports and overview for March,
# September and December, the page of changes of a superseding archive edition) and a
# 405-Jobcenter overview, and reads their structure trees with tests/ci/structure_tree.py
# (pikepdf). Usage: structure.sh PYTHON
set -euo pipefail
cd "$(dirname "$0")/../.."
python=${1:-python3}
bin=target/release/zielbericht
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
export SOURCE_DATE_EPOCH=1546300800
for month in 2018-03 2018-09 2018-12; do
  "$bin" run --data data --out "$work/out" --month "$month" >/dev/null 2>&1
done
"$bin" generate --out "$work/gross" --jobcenters 405 >/dev/null 2>&1
# The overview covers only the Jobcenters rendered: all 405 (about 25 s on two cores).
"$bin" run --data "$work/gross" --out "$work/gross-out" --month 2018-09 >/dev/null 2>&1
cp -r data "$work/data"
"$bin" archive --data "$work/data" --archive "$work/archiv" --year 2018 >/dev/null 2>&1
sed -i '0,/^05554;2018-12;\([0-9]*\);/s//05554;2018-12;1\1;/' "$work/data/monatswerte.csv"
"$bin" archive --data "$work/data" --archive "$work/archiv" --year 2018 \
  --supersede "Korrektur der Daten" >/dev/null 2>&1
test -f "$work/archiv/2018/ausgabe-2/aenderungen.pdf"
"$python" tests/ci/structure_tree.py "$work/out" "$work/gross-out"/*/uebersicht.pdf \
  "$work/archiv/2018/ausgabe-2/aenderungen.pdf"
