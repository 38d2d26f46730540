#!/usr/bin/env bash
# Install Debian's Chromium (and its driver) for the browser tests, once. Idempotent and quiet
# when it is already there. The tests drive /usr/bin/chromium through Playwright for Python;
# Playwright's own browser download (`playwright install`) is never used.
# CHROMIUM names another Chromium-based browser to use instead (the tests read it too), e.g.
# CHROMIUM=/usr/bin/google-chrome on GitHub's Ubuntu runners, where apt's chromium is a snap.
set -euo pipefail
if [ -x "${CHROMIUM:-/usr/bin/chromium}" ]; then
  exit 0
fi
if [ -n "${CHROMIUM:-}" ] || ! command -v apt-get >/dev/null 2>&1; then
  echo "ensure-browser: ${CHROMIUM:-/usr/bin/chromium} is missing and cannot be installed here;" >&2
  echo "install Debian's chromium (or set CHROMIUM to a Chromium binary), then rerun." >&2
  exit 1
fi
SUDO=""
if [ "$(id -u)" -ne 0 ]; then
  SUDO="sudo"
fi
echo "ensure-browser: installing Debian Chromium (one time)..." >&2
export DEBIAN_FRONTEND=noninteractive
$SUDO apt-get update -qq >/dev/null
$SUDO apt-get install -y -qq --no-install-recommends chromium chromium-driver fonts-dejavu-core >/dev/null
/usr/bin/chromium --version >&2
