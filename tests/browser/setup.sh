#!/usr/bin/env bash
# Installs what the browser tests need. Idempotent: safe to run again.
#   - Debian's chromium (at /usr/bin/chromium) and CJK fonts, so Chinese
#     renders in screenshots instead of tofu boxes;
#   - playwright-core and axe-core from the npm registry (npm ci against
#     package-lock.json).
# playwright-core never downloads a browser of its own here: the tests launch
# /usr/bin/chromium by executablePath.
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"

need_apt=()
[ -x /usr/bin/chromium ] || need_apt+=(chromium)
# The very file of fonts-noto-cjk, not just any Noto font with Chinese: the
# PDF certificates (crates/print) are set in it, and their tests fail under
# CI without it.
if [ ! -f /usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc ]; then
  need_apt+=(fonts-noto-cjk)
fi
if [ "${#need_apt[@]}" -gt 0 ]; then
  SUDO=""
  if [ "$(id -u)" -ne 0 ]; then SUDO="sudo"; fi
  echo "setup.sh: installing ${need_apt[*]} with apt-get" >&2
  $SUDO apt-get update
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y --no-install-recommends chromium fonts-noto-cjk
else
  echo "setup.sh: chromium and CJK fonts already installed" >&2
fi

cd "$here"
export PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD=1
if [ -f package-lock.json ]; then
  # npm ci wipes node_modules, so skip it when the pinned version is in place.
  if node -e '
    const lock = require("./package-lock.json").packages;
    const ok = ["playwright-core", "axe-core"].every((name) => {
      try { return require(`./node_modules/${name}/package.json`).version === lock[`node_modules/${name}`].version; }
      catch { return false; }
    });
    process.exit(ok ? 0 : 1);' 2>/dev/null; then
    echo "setup.sh: node_modules already matches package-lock.json" >&2
  else
    npm ci --no-audit --no-fund
  fi
else
  npm install --no-audit --no-fund
fi
echo "setup.sh: ready ($(/usr/bin/chromium --version 2>/dev/null || echo 'chromium ?'))" >&2
