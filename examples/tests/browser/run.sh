#!/usr/bin/env bash
# The playground's browser test: installs Debian's chromium (when missing)
# and playwright-core (npm, pinned by package-lock.json), builds the
# playground and drives its page in headless Chromium. It fails, loudly,
# when the browser cannot be installed: it never skips.
#
# Usage: bash examples/tests/browser/run.sh [SCREENSHOT_FOLDER]
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
root="$(cd "$here/../../.." && pwd)"

if ! command -v chromium >/dev/null; then
  echo "browser test: installing Debian's chromium" >&2
  if ! { apt-get update && apt-get install -y chromium; } >&2; then
    echo "browser test: FAILED: cannot install chromium (apt-get install -y chromium)" >&2
    exit 1
  fi
fi
if ! command -v node >/dev/null || ! command -v npm >/dev/null; then
  echo "browser test: installing node and npm" >&2
  { apt-get update && apt-get install -y nodejs npm; } >&2 \
    || { echo "browser test: FAILED: cannot install node and npm" >&2; exit 1; }
fi
(cd "$here" && npm ci --no-audit --no-fund --loglevel=error) \
  || { echo "browser test: FAILED: npm ci (playwright-core) did not install" >&2; exit 1; }

cargo build --quiet -p examples --bin playground --manifest-path "$root/Cargo.toml"
target="$(cargo metadata --format-version 1 --no-deps --manifest-path "$root/Cargo.toml" \
  | node -e 'let s="";process.stdin.on("data",d=>s+=d).on("end",()=>console.log(JSON.parse(s).target_directory))')"

export PLAYGROUND_BIN="$target/debug/playground"
export CHROMIUM="$(command -v chromium)"
if [ $# -ge 1 ]; then export SCREENSHOTS="$(mkdir -p "$1" && cd "$1" && pwd)"; fi
cd "$here" && node --test playground.test.mjs
