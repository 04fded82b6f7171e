#!/usr/bin/env bash
# Runs before `npm test`: the dashboard test drives Debian's Chromium, so install it when it is missing
# (apt-get as root, or through sudo). Nothing happens when it is already there.
set -euo pipefail
chromium="${TEST_CHROMIUM_PATH:-/usr/bin/chromium}"
[ -x "$chromium" ] && exit 0
echo "Chromium is not at $chromium: installing Debian's chromium package for the dashboard test"
if [ "$(id -u)" = 0 ]; then
  sudo=""
elif command -v sudo >/dev/null; then
  sudo="sudo"
else
  echo "Cannot install it without root: run 'apt-get install chromium' as root, or set TEST_CHROMIUM_PATH" >&2
  exit 1
fi
export DEBIAN_FRONTEND=noninteractive
$sudo apt-get install -y chromium || { $sudo apt-get update && $sudo apt-get install -y chromium; }
