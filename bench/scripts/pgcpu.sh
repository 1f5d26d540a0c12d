#!/usr/bin/env bash
# One PostgreSQL case-load run of a given server binary, for
# interleaved A/B comparisons (bench/RESULTS.md): prints the server's CPU
# ticks, the machine's busy and idle ticks (/proc/stat) and complete cases/s.
#
#   bench/scripts/pgcpu.sh LABEL BINARY [yici-case-load options]
#   (without options: --cases 1500 --floor 0)
set -uo pipefail
label=$1; bin=$2; shift 2
args=("$@")
[ ${#args[@]} -eq 0 ] && args=(--cases 1500 --floor 0)
cd "$(dirname "$0")/../.."
cpu() { awk '/^cpu / {print $2+$3+$4+$7+$8, $5+$6}' /proc/stat; }
read -r b0 i0 < <(cpu)
target/release/yici-case-load --yici "$bin" --catalog catalog --label "$label" --backend postgres "${args[@]}" > "/tmp/run-$label.out" 2>&1 &
lp=$!
srv=""; last=0
while kill -0 $lp 2>/dev/null; do
  [ -z "$srv" ] && srv=$(pgrep -f "^$bin serve" | head -1)
  [ -n "$srv" ] && t=$(awk '{print $14+$15}' "/proc/$srv/stat" 2>/dev/null) && [ -n "$t" ] && last=$t
  sleep 0.3
done
wait $lp; rc=$?
read -r b1 i1 < <(cpu)
echo "$label rc=$rc server_ticks=$last busy=$((b1-b0)) idle=$((i1-i0)) $(grep -i 'complete cases/s' "/tmp/run-$label.out" | awk '{for(i=1;i<NF;i++) if ($i=="cases/s") print $(i+1)}')"
