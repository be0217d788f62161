#!/usr/bin/env bash
# The browser test drives Debian's Chromium through playwright-core (no browser download from npm).
# Installs it when missing and this user can (root with apt-get, as on CI and the project's machines);
# otherwise says how, and the browser test fails with the same advice.
set -u
command -v chromium >/dev/null 2>&1 && exit 0
if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
  echo "Installing Debian's chromium for the browser test with apt-get, as root (about two minutes on a fresh machine)…"
  (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null) \
    || echo "Could not install chromium: the browser test will fail. Install it with: apt-get install chromium"
else
  echo "chromium is missing: the browser test needs it. Install it with: sudo apt-get install chromium"
fi
exit 0
