#!/usr/bin/env bash
# Runs the browser tests against a demo server on a free loopback port.
# Builds nothing: the yici binary comes from $YICI_BIN (default
# target/debug/yici under the repo root). Needs tests/browser/setup.sh first.
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
root="$(cd "$here/../.." && pwd)"
cd "$root"

YICI_BIN="${YICI_BIN:-target/debug/yici}"
CHROMIUM="${CHROMIUM:-/usr/bin/chromium}"

fail() { echo "tests/browser/run.sh: $*" >&2; exit 1; }

[ -x "$CHROMIUM" ] || fail "no Chromium at $CHROMIUM; run: bash tests/browser/setup.sh"
[ -d "$here/node_modules/playwright-core" ] || fail "playwright-core is not installed; run: bash tests/browser/setup.sh"
[ -x "$YICI_BIN" ] || fail "no yici binary at $YICI_BIN; build it with: cargo build -p yici-cli (or set YICI_BIN)"
command -v node >/dev/null || fail "node is not installed (Node 20 or newer is needed)"

port="$(node -e "const s=require('net').createServer();s.listen(0,'127.0.0.1',()=>{console.log(s.address().port);s.close()})")"
data="$(mktemp -d)"
log="$(mktemp)"
server_pid=""
cleanup() {
  if [ -n "$server_pid" ] && kill -0 "$server_pid" 2>/dev/null; then
    kill "$server_pid" 2>/dev/null || true
    wait "$server_pid" 2>/dev/null || true
  fi
  rm -rf "$data" "$log"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

# The sandbox carrier takes a step a second, so a parcel arrives in a test.
"$YICI_BIN" serve --demo --listen "127.0.0.1:$port" --data "$data" --carrier-step-secs 1 >"$log" 2>&1 &
server_pid=$!

base="http://127.0.0.1:$port"
up=""
for _ in $(seq 1 150); do   # 150 × 0.2 s = 30 s at most
  if ! kill -0 "$server_pid" 2>/dev/null; then
    cat "$log" >&2
    fail "the server exited before answering"
  fi
  if node -e "fetch('$base/').then(r=>process.exit(r.ok?0:1),()=>process.exit(1))" 2>/dev/null; then
    up=1; break
  fi
  sleep 0.2
done
if [ -z "$up" ]; then
  cat "$log" >&2
  fail "the server did not answer $base/ within 30 s"
fi
echo "tests/browser/run.sh: yici serving at $base (pid $server_pid)" >&2

mkdir -p "$root/artifacts/screenshots"
status=0
BASE_URL="$base" CHROMIUM="$CHROMIUM" SCREENSHOT_DIR="$root/artifacts/screenshots" \
  node --test --test-concurrency=1 "$here"/*.test.mjs || status=$?
if [ "$status" -ne 0 ]; then
  echo "--- server log ---" >&2
  tail -n 50 "$log" >&2 || true
fi
exit "$status"
