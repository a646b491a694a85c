#!/usr/bin/env bash
# Renders every kind of document from the sample data (reports and overview for March,
# September and December, the agreements of 2018 and 2019, the page of changes of a
# superseding archive edition) with the release binary and checks each PDF for PDF/UA-1
# and PDF/A-2a with tests/ci/validate_pdfs.py. Usage: conformance.sh PYTHON
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
for year in 2018 2019; do
  "$bin" vereinbarung --data data --out "$work/out" --year "$year" >/dev/null 2>&1
done
# A superseding edition carries aenderungen.pdf: change one cell and archive again.
cp -r data "$work/data"
"$bin" archive --data "$work/data" --archive "$work/archiv" --year 2018 >/dev/null 2>&1
sed -i '0,/^05554;2018-12;\([0-9]*\);/s//05554;2018-12;1\1;/' "$work/data/monatswerte.csv"
"$bin" archive --data "$work/data" --archive "$work/archiv" --year 2018 \
  --supersede "Korrektur der Daten" >/dev/null 2>&1
test -f "$work/archiv/2018/ausgabe-2/aenderungen.pdf"
"$python" tests/ci/validate_pdfs.py "$work/out" "$work/archiv/2018/ausgabe-2/aenderungen.pdf"
