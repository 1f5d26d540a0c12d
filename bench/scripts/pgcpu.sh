#!/usr/bin/env bash
# One PostgreSQL case-load run of a given server binary, for interleaved
# A/B comparisons (bench/RESULTS.md): ab.sh's figures, then the machine's
# busy and idle CPU ticks over the run (/proc/stat).
#
#   bench/scripts/pgcpu.sh LABEL BINARY [yici-case-load options]
#   (without options: --cases 1500 --floor 0)
set -uo pipefail
label=$1; bin=$2; shift 2
args=("$@")
[ ${#args[@]} -eq 0 ] && args=(--cases 1500 --floor 0)
cpu() { awk '/^cpu / {print $2+$3+$4+$7+$8, $5+$6}' /proc/stat; }
read -r b0 i0 < <(cpu)
"$(dirname "$0")/ab.sh" "$label" "$bin" --backend postgres "${args[@]}"
read -r b1 i1 < <(cpu)
echo "$label busy=$((b1-b0)) idle=$((i1-i0))"
