#!/usr/bin/env bash
# What the tests need beyond Python packages: Debian's Chromium (never a downloaded browser), the shared
# iCalendar checker, and the npm packages the browser tests load from local files. Idempotent and quiet.
set -euo pipefail
cd "$(dirname "$0")/.."

apt_install() {
  if [ "$(id -u)" = "0" ]; then
    if ! apt-get install -y -qq --no-install-recommends "$@" >/dev/null 2>&1; then
      apt-get update -qq >/dev/null && apt-get install -y -qq --no-install-recommends "$@" >/dev/null
    fi
  else
    echo "warning: not root; install with your package manager: $*" >&2
  fi
}

if [ ! -x /usr/bin/chromium ]; then
  echo "Installing Debian's chromium for the browser tests..."
  apt_install chromium
fi

if [ ! -x ../shared/tools/icscheck/install.sh ]; then
  echo "error: ../shared/tools/icscheck is missing; the feed tests check every .ics with it" >&2
  exit 1
fi
../shared/tools/icscheck/install.sh --no-check >/dev/null

if [ -f package.json ]; then
  if [ ! -d node_modules ] || [ package-lock.json -nt node_modules ]; then
    npm ci --silent --no-audit --no-fund >/dev/null
  fi
fi
