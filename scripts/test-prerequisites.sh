#!/usr/bin/env bash
# Runs before `npm test`: what the tests need besides Node and npm. The dashboard test drives Debian's
# Chromium; the shared rate-limit test needs a Redis on 127.0.0.1:6379. Missing packages are installed
# with apt-get (as root, or through sudo); a Redis that is not running is started. Nothing happens when
# everything is there.
set -euo pipefail
if [ "$(id -u)" = 0 ]; then sudo=""; elif command -v sudo >/dev/null; then sudo="sudo"; else sudo="none"; fi
install() {
  if [ "$sudo" = none ]; then
    echo "Cannot install $* without root: run 'apt-get install $*' as root" >&2
    exit 1
  fi
  export DEBIAN_FRONTEND=noninteractive
  $sudo apt-get install -y "$@" || { $sudo apt-get update && $sudo apt-get install -y "$@"; }
}

chromium="${TEST_CHROMIUM_PATH:-/usr/bin/chromium}"
if [ ! -x "$chromium" ]; then
  echo "Chromium is not at $chromium: installing Debian's chromium package for the dashboard test"
  install chromium
fi

redis="${TEST_REDIS_URL:-redis://127.0.0.1:6379}"
if [ "$redis" = "redis://127.0.0.1:6379" ] && ! (command -v redis-cli >/dev/null && redis-cli -h 127.0.0.1 -p 6379 ping >/dev/null 2>&1); then
  command -v redis-server >/dev/null || install redis-server
  echo "Redis is not running on 127.0.0.1:6379: starting it for the shared rate-limit test"
  redis-server --bind 127.0.0.1 --port 6379 --daemonize yes --save '' --appendonly no
  for _ in $(seq 1 20); do redis-cli -h 127.0.0.1 -p 6379 ping >/dev/null 2>&1 && break; sleep 0.25; done
fi
