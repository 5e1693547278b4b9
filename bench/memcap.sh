#!/bin/sh
# memcap.sh MB INDEX DATA [qdex serve flags...]
#
# Runs `qdex serve` on INDEX inside a memory cgroup of MB megabytes and measures it
# with the benchmark's workload drawn from DATA (the corpus INDEX was built from):
# 8 clients for 10 s after a warm-up. The page cache is dropped first, so that the
# index's pages are read, and charged, inside the cgroup. Needs root and a cgroup
# memory controller (v1, or v2 with memory enabled). Not part of `make bench`.
set -eu
[ $# -ge 3 ] || { echo "usage: $0 MB INDEX DATA [qdex serve flags...]" >&2; exit 2; }
mb=$1 index=$2 data=$3
shift 3
[ "$(id -u)" = 0 ] || { echo "$0: needs root (cgroups, drop_caches)" >&2; exit 2; }

tmp=$(mktemp -d)
go build -o "$tmp/qdex" ./cmd/qdex
go build -o "$tmp/qdexload" ./bench/cmd/qdexload

if [ -d /sys/fs/cgroup/memory ]; then
	cg=/sys/fs/cgroup/memory/qdex-memcap-$$
	mkdir "$cg"
	echo $((mb * 1024 * 1024)) > "$cg/memory.limit_in_bytes"
	peak=memory.max_usage_in_bytes
elif grep -qw memory /sys/fs/cgroup/cgroup.controllers 2>/dev/null; then
	cg=/sys/fs/cgroup/qdex-memcap-$$
	mkdir "$cg"
	echo $((mb * 1024 * 1024)) > "$cg/memory.max"
	peak=memory.peak
else
	echo "$0: no cgroup memory controller" >&2
	exit 2
fi
pid=
cleanup() {
	[ -n "$pid" ] && kill "$pid" 2>/dev/null && wait "$pid" 2>/dev/null || true
	rmdir "$cg" 2>/dev/null || true
	rm -rf "$tmp"
}
trap cleanup EXIT

sync
echo 3 > /proc/sys/vm/drop_caches
addr=127.0.0.1:8097
sh -c 'echo $$ > "$1/cgroup.procs"; shift; exec "$@"' sh "$cg" "$tmp/qdex" serve --index "$index" --addr "$addr" --rate-limit 0 "$@" 2> "$tmp/serve.log" &
pid=$!
"$tmp/qdexload" -data "$data" -url "http://$addr" -clients 8 -duration 10s || { tail -5 "$tmp/serve.log" >&2; exit 1; }
echo "qdex serve in $mb MB: $(grep -E 'VmHWM|RssAnon|RssFile' /proc/$pid/status | tr -s ' \t' ' ' | tr '\n' ' ')"
echo "cgroup peak $(( $(cat "$cg/$peak") / 1048576 )) MB"
