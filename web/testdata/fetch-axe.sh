#!/usr/bin/env bash
# web/testdata/fetch-axe.sh [DIR]: put axe-core's axe.min.js into DIR (default
# var/axe), fetched with npm pack and checked against its pinned SHA-256, for the
# widget's accessibility test. When the file is there with the right sum it only
# checks.
set -euo pipefail
repo=$(cd "$(dirname "$0")/../.." && pwd)
out=${1:-$repo/var/axe}
pkg=axe-core@4.11.0
sum=e9e5863c33a874f09bc01acd9234b7e3c871479f5eef8802fa582544465e6d01

if [ -f "$out/axe.min.js" ] && echo "$sum  $out/axe.min.js" | sha256sum -c --quiet - 2>/dev/null; then
	echo "axe: $pkg in $out, verified"
	exit 0
fi
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
echo "axe: fetching $pkg (npm)"
(cd "$tmp" && npm pack "$pkg" --silent >/dev/null)
tar -xzf "$tmp"/axe-core-*.tgz -C "$tmp" package/axe.min.js
echo "$sum  $tmp/package/axe.min.js" | sha256sum -c --quiet -
mkdir -p "$out"
mv "$tmp/package/axe.min.js" "$out/axe.min.js"
echo "axe: $pkg in $out, verified"
