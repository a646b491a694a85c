#!/usr/bin/env bash
# Builds what a user downloads, into target/dist/:
#   zielbericht-VERSION-windows-x86_64.zip     zielbericht.exe, Handbuch, licences
#   zielbericht-VERSION-linux-x86_64.tar.gz    a static (musl) binary, Handbuch, licences
#   zielbericht_VERSION-1_amd64.deb            the same binary as /usr/bin/zielbericht
# each with a .sha256 file beside it. Binaries are stripped. Installs what it needs (Rust
# targets, mingw, musl-tools) on Debian as root or with sudo. The artefacts are
# reproducible: their timestamps are SOURCE_DATE_EPOCH (default: the last commit's time).
#
#   bash dist/build.sh
set -euo pipefail
cd "$(dirname "$0")/.."
root=$PWD

as_root() { if [ "$(id -u)" = 0 ]; then "$@"; else sudo "$@"; fi; }
apt_updated=
apt_install() {
  if [ -z "$apt_updated" ]; then
    as_root apt-get update -qq
    apt_updated=1
  fi
  as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "$@" >/dev/null
}

win=x86_64-pc-windows-gnu
musl=x86_64-unknown-linux-musl
for t in $win $musl; do
  rustup target list --installed | grep -qx $t || rustup target add $t
done
command -v x86_64-w64-mingw32-gcc >/dev/null 2>&1 || apt_install gcc-mingw-w64-x86-64
command -v musl-gcc >/dev/null 2>&1 || apt_install musl-tools
command -v dpkg-deb >/dev/null 2>&1 || apt_install dpkg
command -v python3 >/dev/null 2>&1 || apt_install python3

version=$(cargo metadata --no-deps --format-version 1 |
  python3 -c 'import json,sys; print(json.load(sys.stdin)["packages"][0]["version"])')
export SOURCE_DATE_EPOCH="${SOURCE_DATE_EPOCH:-$(git log -1 --format=%ct 2>/dev/null || date +%s)}"

# Each target builds into CARGO_TARGET_DIR (default target/), or where
# DIST_WINDOWS_TARGET_DIR / DIST_MUSL_TARGET_DIR say (builds kept apart).
win_dir="${DIST_WINDOWS_TARGET_DIR:-${CARGO_TARGET_DIR:-target}}"
musl_dir="${DIST_MUSL_TARGET_DIR:-${CARGO_TARGET_DIR:-target}}"
# DIST_NO_BUILD=1 packages the binaries already built there.
if [ -z "${DIST_NO_BUILD:-}" ]; then
  CARGO_TARGET_DIR="$win_dir" cargo build --release --target $win
  CARGO_TARGET_DIR="$musl_dir" cargo build --release --target $musl
fi

dist=target/dist
stage="$dist/stage"
rm -rf "$dist"
mkdir -p "$stage"

# What every archive holds besides the binary: the German Handbuch (the README until
# docs/handbuch.md exists), the program's licences, and those of the embedded fonts.
docs="$stage/docs"
mkdir -p "$docs"
if [ -f docs/handbuch.md ]; then
  cp docs/handbuch.md "$docs/HANDBUCH.md"
else
  cp README.md "$docs/HANDBUCH.md"
fi
cp LICENSE-MIT LICENSE-APACHE "$docs/"
font_licences() {
  cargo metadata --format-version 1 | python3 -c '
import json, os, sys
for p in json.load(sys.stdin)["packages"]:
    d = os.path.dirname(p["manifest_path"])
    if p["name"] == "notosans":
        print("NotoSans", os.path.join(d, "fonts", "LICENSE_OFL.txt"))
    if p["name"] == "dejavu":
        print("DejaVu", os.path.join(d, "assets", "dejavu-fonts-ttf-2.37", "LICENSE"))
'
}
while read -r family file; do
  cp "$file" "$docs/LICENSE-FONT-$family.txt"
done < <(font_licences)
[ -f "$docs/LICENSE-FONT-NotoSans.txt" ] && [ -f "$docs/LICENSE-FONT-DejaVu.txt" ]
find "$stage" -exec touch -h -d "@$SOURCE_DATE_EPOCH" {} +

# Windows: a zip (entries sorted, fixed times, so the same input gives the same bytes).
name="zielbericht-$version-windows-x86_64"
mkdir -p "$stage/$name"
cp -p "$docs"/* "$stage/$name/"
x86_64-w64-mingw32-strip -o "$stage/$name/zielbericht.exe" "$win_dir/$win/release/zielbericht.exe"
python3 - "$stage" "$name" "$dist/$name.zip" <<'EOF'
import os, sys, time, zipfile
stage, name, out = sys.argv[1:]
when = time.gmtime(max(int(os.environ["SOURCE_DATE_EPOCH"]), 315532800))[:6]
with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as z:
    for f in sorted(os.listdir(os.path.join(stage, name))):
        info = zipfile.ZipInfo(f"{name}/{f}", date_time=when)
        info.external_attr = 0o100755 << 16 if f.endswith(".exe") else 0o100644 << 16
        info.compress_type = zipfile.ZIP_DEFLATED
        with open(os.path.join(stage, name, f), "rb") as src:
            z.writestr(info, src.read())
EOF

# Linux: a static binary (musl, runs on any x86-64 Linux) in a tar.gz.
name="zielbericht-$version-linux-x86_64"
mkdir -p "$stage/$name"
cp -p "$docs"/* "$stage/$name/"
strip -o "$stage/$name/zielbericht" "$musl_dir/$musl/release/zielbericht"
touch -d "@$SOURCE_DATE_EPOCH" "$stage/$name" "$stage/$name/zielbericht"
"$stage/$name/zielbericht" --version >/dev/null
tar --sort=name --mtime="@$SOURCE_DATE_EPOCH" --owner=0 --group=0 --numeric-owner \
  -C "$stage" -cf - "$name" | gzip -9 -n >"$dist/$name.tar.gz"

# Debian: the same static binary as /usr/bin/zielbericht (no dependencies), the fields
# from [package.metadata.deb] in Cargo.toml.
deb="$stage/deb"
mkdir -p "$deb/DEBIAN" "$deb/usr/bin" "$deb/usr/share/doc/zielbericht"
cp -p "$stage/$name/zielbericht" "$deb/usr/bin/zielbericht"
cp -p "$docs/HANDBUCH.md" "$deb/usr/share/doc/zielbericht/"
cat LICENSE-MIT >"$deb/usr/share/doc/zielbericht/copyright"
for f in LICENSE-APACHE LICENSE-FONT-NotoSans.txt LICENSE-FONT-DejaVu.txt; do
  cp -p "$docs/$f" "$deb/usr/share/doc/zielbericht/"
done
installed_kib=$(du -sk --apparent-size "$deb/usr" | cut -f1)
python3 - "$version" "$installed_kib" >"$deb/DEBIAN/control" <<'EOF'
import sys, tomllib
version, size = sys.argv[1:]
cargo = tomllib.load(open("Cargo.toml", "rb"))
pkg = cargo["package"]
meta = pkg["metadata"]["deb"]
extended = "\n".join(" " + (line or ".") for line in meta["extended-description"].strip().splitlines())
print(f"""Package: {pkg["name"]}
Version: {version}-{meta.get("revision", "1")}
Architecture: amd64
Maintainer: {meta["maintainer"]}
Installed-Size: {size}
Section: {meta["section"]}
Priority: {meta["priority"]}
Description: {pkg["description"]}
{extended}""")
EOF
find "$deb" -exec touch -h -d "@$SOURCE_DATE_EPOCH" {} +
chmod -R u+rwX,go+rX,go-w "$deb"
dpkg-deb --root-owner-group -Zxz --build "$deb" "$dist/zielbericht_${version}-1_amd64.deb" >/dev/null

rm -rf "$stage"
cd "$dist"
for f in *.zip *.tar.gz *.deb; do
  sha256sum "$f" >"$f.sha256"
done
ls -l "$root/$dist"
