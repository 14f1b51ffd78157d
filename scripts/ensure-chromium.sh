#!/usr/bin/env bash
# Makes sure a Chromium is there for the console's browser tests (Debian's package; Playwright's
# own download cannot be reached here). CHROMIUM_PATH names another binary.
set -euo pipefail

chromium=${CHROMIUM_PATH:-/usr/bin/chromium}
if [ -x "$chromium" ]; then
  exit 0
fi
if command -v apt-get >/dev/null 2>&1 && [ "$(id -u)" = 0 ]; then
  echo "installing Chromium (Debian) for the console's browser tests"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -q >/dev/null
  apt-get install -y -q chromium >/dev/null
  exit 0
fi
echo "No Chromium at $chromium: install Debian's chromium package or set CHROMIUM_PATH" >&2
exit 1
