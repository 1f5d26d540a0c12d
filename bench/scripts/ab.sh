#!/usr/bin/env bash
# One case-load run (SQLite unless --backend postgres) of a given server
# binary, for interleaved A/B comparisons (bench/RESULTS.md): prints the
# server's CPU ticks (from /proc/PID/stat) and the complete cases/s line.
#
#   bench/scripts/ab.sh LABEL BINARY [yici-case-load options]
#   e.g. bench/scripts/ab.sh base-1 /tmp/bin/yici-base --cases 1500 --floor 0
#   CATALOG=DIR: the catalog the binary reads (default catalog/; an older
#   binary may need the catalog of its own commit)
#
# Needs target/release/yici-case-load (bench/run cases builds it).
set -uo pipefail
label=$1; bin=$2; shift 2
cd "$(dirname "$0")/../.."
target/release/yici-case-load --yici "$bin" --catalog "${CATALOG:-catalog}" --label "$label" "$@" > "/tmp/run-$label.out" 2>&1 &
lp=$!
srv=""; last=0
while kill -0 $lp 2>/dev/null; do
  [ -z "$srv" ] && srv=$(pgrep -f "^$bin serve" | head -1)
  [ -n "$srv" ] && t=$(awk '{print $14+$15}' "/proc/$srv/stat" 2>/dev/null) && [ -n "$t" ] && last=$t
  sleep 0.3
done
wait $lp; rc=$?
echo "$label rc=$rc cpu_ticks=$last"
grep -i "complete cases/s" "/tmp/run-$label.out" | head -1
