#!/usr/bin/env bash
# Makes sure the browser tests have a Chromium: Debian's /usr/bin/chromium where apt can
# install it (CI, this team's machines), otherwise Playwright's own build (a laptop).
set -euo pipefail
if [ -n "${CHROMIUM_PATH:-}" ] || [ -x /usr/bin/chromium ]; then exit 0; fi
if command -v apt-get >/dev/null 2>&1 && [ "$(id -u)" = 0 ]; then
  echo "Installing Debian's chromium for the browser tests…"
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null
  exit 0
fi
echo "No /usr/bin/chromium: installing Playwright's Chromium."
npx playwright install chromium
