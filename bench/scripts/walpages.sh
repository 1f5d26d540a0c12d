#!/usr/bin/env bash
# Pages a SQLite commit writes, by table and index: runs the case load with
# BINARY on a kept data dir, stops the server 5 s in (SIGSTOP), copies the
# database and its WAL, lets it go on, and prints walpages.py's count.
#
#   bench/scripts/walpages.sh BINARY
set -uo pipefail
bin=$1
root="$(cd "$(dirname "$0")/../.." && pwd)"
dir=/tmp/walpages-data; copy=/tmp/walpages-copy
rm -rf "$dir" "$copy"; mkdir -p "$copy"
"$root/target/release/yici-case-load" --yici "$bin" --catalog "$root/catalog" --label walpages \
  --cases 3000 --floor 0 --data "$dir" --keep > /tmp/run-walpages.out 2>&1 &
load=$!
sleep 5
srv=$(pgrep -f "^$bin serve" | head -1)
kill -STOP "$srv"
cp "$dir/yici.db" "$dir/yici.db-wal" "$copy/"
kill -CONT "$srv"
wait $load
python3 "$root/bench/scripts/walpages.py" "$copy"
rm -rf "$dir" "$copy"
