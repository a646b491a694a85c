#!/usr/bin/env bash
# Smoke test of the Windows binary under Wine (called by .ci/run after the cross build):
#
#   bash tests/windows-smoke.sh target/x86_64-pc-windows-gnu/release/zielbericht.exe target/release/zielbericht
#
# Runs the sample month, a rerun that reuses, `check` on a broken file, `archive` and
# `verify`, `vereinbarung`, `invite` (drafts), font paths in Windows form, and a run while
# another program holds a report open; then compares every PDF and kennzahlen.csv with the
# Linux binary's under the same SOURCE_DATE_EPOCH (byte for byte). Paths given to the .exe
# are Windows paths (`Z:\…`, backslashes) where that matters.
#
# Harness only: Debian's Wine 8 lacks bcryptprimitives.dll (Rust's std calls its
# ProcessPrng), so a stub built here with mingw sits beside the copied .exe. Needs wine,
# x86_64-w64-mingw32-gcc (.ci/run installs both).
set -euo pipefail

exe_in=$(realpath "$1")
linux_bin=$(realpath "$2")
repo=$(cd "$(dirname "$0")/.." && pwd)
work=$(mktemp -d "${TMPDIR:-/tmp}/zielbericht-wine.XXXXXX")
trap 'rm -rf "$work"' EXIT

export WINEDEBUG=-all
# No Mono or Gecko installer dialogs in a fresh prefix; the prefix lives in target/ so that
# later runs skip its creation (about 15 s).
export WINEDLLOVERRIDES="mscoree,mshtml="
export WINEPREFIX="${WINEPREFIX:-$repo/target/wine-prefix}"
export SOURCE_DATE_EPOCH=1546300800
unset DISPLAY
# Progress lines, not a bar, and no colour codes in what we grep.
export NO_COLOR=1

fails=0
passed=0
ok() { passed=$((passed + 1)); echo "ok: $*"; }
fail() { fails=$((fails + 1)); echo "FAILED: $*"; }

wine_bin=$(command -v wine64 || command -v wine)
win() { "$wine_bin" "$@"; }
winpath() { winepath -w "$1" 2>/dev/null; }

if [ ! -d "$WINEPREFIX" ]; then
  mkdir -p "$(dirname "$WINEPREFIX")"
  wineboot -i >/dev/null 2>&1 || true
fi

# The .exe with the stub DLL beside it, and the helper that holds a file open.
bin="$work/bin"
mkdir -p "$bin"
cp "$exe_in" "$bin/zielbericht.exe"
x86_64-w64-mingw32-gcc -O2 -shared -o "$bin/bcryptprimitives.dll" \
  "$repo/tests/windows/bcryptprimitives.c" -ladvapi32
x86_64-w64-mingw32-gcc -O2 -municode -o "$bin/holdopen.exe" "$repo/tests/windows/holdopen.c"
exe="$bin/zielbericht.exe"

cp -r "$repo/data" "$work/data"
cd "$work"
data_w=$(winpath "$work/data")
out_w=$(winpath "$work/out-win")

# 1. The sample month: reports, overview, kennzahlen.csv/.xlsx, manifest.
month=2018-12
if win "$exe" run --data "$data_w" --out "$out_w" --month "$month" >run1.log 2>&1; then
  ok "run (Windows paths ${out_w})"
else
  fail "run exited $?"; cat run1.log
fi
m="$work/out-win/$month"
pdfs=$(find "$m" -maxdepth 1 -name '*.pdf' | wc -l)
for f in uebersicht.pdf kennzahlen.csv kennzahlen.xlsx manifest.json; do
  [ -s "$m/$f" ] || fail "run wrote no $f"
done
if [ "$pdfs" -ge 2 ]; then ok "run wrote $pdfs PDFs"; else fail "run wrote $pdfs PDFs"; fi
if [ "$(head -c 2 "$m/kennzahlen.xlsx" | od -An -c | tr -d ' ')" = "PK" ]; then
  ok "kennzahlen.xlsx is a zip"
else
  fail "kennzahlen.xlsx is no zip"
fi

# 2. The same month with the Linux binary: PDFs and kennzahlen.csv byte-identical.
"$linux_bin" run --data data --out out-linux --month "$month" >linux.log 2>&1 ||
  { fail "Linux run"; cat linux.log; }
same=0
for f in "$work/out-linux/$month"/*.pdf "$work/out-linux/$month/kennzahlen.csv"; do
  name=$(basename "$f")
  if cmp -s "$f" "$m/$name"; then same=$((same + 1)); else fail "$name differs from the Linux binary's"; fi
done
if [ "$same" -eq "$((pdfs + 1))" ]; then ok "$same files byte-identical to the Linux binary"; fi

# 3. A rerun reuses every report.
if win "$exe" run --data "$data_w" --out "$out_w" --month "$month" >run2.log 2>&1 &&
  grep -q "$pdfs Dokumente aus dem vorigen Lauf übernommen" run2.log; then
  ok "rerun reused $pdfs documents"
else
  fail "rerun did not reuse"; cat run2.log
fi
for f in "$work/out-linux/$month"/*.pdf; do
  cmp -s "$f" "$m/$(basename "$f")" || fail "$(basename "$f") changed on the rerun"
done

# 4. check on a broken file: exit 2, naming file and line.
cp -r data broken
sed -i '3s/^\(05554;2016-02;\)[0-9]*/\112a/' broken/monatswerte.csv
set +e
win "$exe" check --data "$(winpath "$work/broken")" >check.log 2>&1
status=$?
set -e
if [ "$status" -eq 2 ] && grep -q 'monatswerte.csv:3' check.log; then
  ok "check names monatswerte.csv:3 and exits 2"
else
  fail "check exited $status"; cat check.log
fi

# 5. archive and verify (and verify notices a changed file).
if win "$exe" archive --year 2018 --data "$data_w" --archive "$(winpath "$work/archiv")" >archive.log 2>&1 &&
  win "$exe" verify "$(winpath "$work/archiv/2018/ausgabe-1")" >verify.log 2>&1; then
  ok "archive and verify"
else
  fail "archive/verify"; cat archive.log verify.log
fi
printf 'x' >>"$work/archiv/2018/ausgabe-1/kennzahlen.csv"
if win "$exe" verify "$(winpath "$work/archiv")" >verify2.log 2>&1; then
  fail "verify missed a changed kennzahlen.csv"
elif grep -q kennzahlen.csv verify2.log; then
  ok "verify names a changed file"
else
  fail "verify did not name the file"; cat verify2.log
fi

# 6. vereinbarung.
if win "$exe" vereinbarung --year 2019 --data "$data_w" --out "$out_w" >vereinbarung.log 2>&1 &&
  [ "$(find "$work/out-win/vereinbarungen/2019" -name '*.pdf' | wc -l)" -ge 1 ]; then
  ok "vereinbarung"
else
  fail "vereinbarung"; cat vereinbarung.log
fi

# 7. invite writes drafts into einladungen/.
printf 'jobcenter;datum;beginn;ort\n05554;15.01.2019;10:00;Raum 1\n05558;16.01.2019;10:00;Raum 2\n' >termine.csv
if win "$exe" invite --month "$month" --data "$data_w" --out "$out_w" --termine termine.csv \
  --from zielsteuerung@ministerium.example >invite.log 2>&1 &&
  [ "$(find "$m/einladungen" -name '*.eml' | wc -l)" -eq 2 ]; then
  ok "invite wrote 2 drafts"
else
  fail "invite"; cat invite.log; ls -R "$m" || true
fi

# 8. --font-path with a Windows list (`;`, drive letters) of two font folders.
mkdir -p fonts-a fonts-b
cp "$(find "${CARGO_HOME:-$HOME/.cargo}/registry/src" -name 'NotoSans-Regular.ttf' | head -1)" fonts-a/
cp fonts-a/* fonts-b/
if win "$exe" run --data "$data_w" --out "$(winpath "$work/out-fonts")" --month "$month" --jobcenter 05554 \
  --font-path "$(winpath "$work/fonts-a");$(winpath "$work/fonts-b")" >fonts.log 2>&1; then
  ok "--font-path 'Z:\\…;Z:\\…'"
else
  fail "--font-path with ';'"; cat fonts.log
fi

# 9. A report held open (as a PDF viewer does): the run refuses, names the file, and
#    leaves the folder as it was; after it is closed the run goes through.
report=$(find "$m" -maxdepth 1 -name '0*.pdf' | sort | head -1)
before=$(sha256sum "$m/manifest.json")
mkfifo hold.in
win "$bin/holdopen.exe" "$(winpath "$report")" <hold.in >hold.out 2>&1 &
holder=$!
exec 3>hold.in
for _ in $(seq 100); do grep -q open hold.out && break; sleep 0.1; done
set +e
win "$exe" run --data "$data_w" --out "$out_w" --month "$month" --no-reuse >open.log 2>&1
status=$?
set -e
exec 3>&-
wait "$holder" || true
if [ "$status" -eq 2 ] && grep -q "$(basename "$report")" open.log && grep -q 'geöffnet' open.log &&
  [ "$(sha256sum "$m/manifest.json")" = "$before" ]; then
  ok "an open report is named (exit 2, folder unchanged):"
  sed 's/^/    /' open.log
else
  fail "open report: exit $status"; cat open.log
fi
if win "$exe" run --data "$data_w" --out "$out_w" --month "$month" >run3.log 2>&1 &&
  [ "$(find "$m/einladungen" -name '*.eml' | wc -l)" -eq 2 ]; then
  ok "after closing it the run replaces the folder and keeps einladungen/"
else
  fail "run after closing"; cat run3.log
fi

echo "windows smoke test: $SECONDS s"
echo "windows-smoke: $passed passed, $fails failed"
[ "$fails" -eq 0 ]
