#!/usr/bin/env bash
# 4,000 SQLite cases on a kept data dir, sampling the WAL's size every
# 250 ms: prints complete cases/s, write p50 / p99 and the largest WAL.
#
#   bench/scripts/walrun.sh LABEL BINARY
set -uo pipefail
label=$1; bin=$2
here="$(dirname "$0")"
dir="/tmp/wal-$label"
rm -rf "$dir"
( max=0; while true; do s=$(stat -c %s "$dir/yici.db-wal" 2>/dev/null || echo 0); [ "$s" -gt "$max" ] && max=$s && echo $max > "$dir.max"; sleep 0.25; done ) &
sampler=$!
"$here/ab.sh" "$label" "$bin" --cases 4000 --floor 0 --data "$dir" --keep > /dev/null
kill $sampler
echo "$label $(grep -h 'complete cases/s' "/tmp/run-$label.out" | awk '{for(i=1;i<NF;i++) if ($i=="cases/s") print $(i+1)}') cases/s; $(grep -h 'any write' "/tmp/run-$label.out" | sed 's/.*(n=[0-9]*) *//; s/  */ /g'); largest WAL $(( $(cat "$dir.max" 2>/dev/null || echo 0) / 1048576 )) MB"
rm -rf "$dir" "$dir.max"
