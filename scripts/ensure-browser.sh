#!/usr/bin/env bash
# Install the browsers the checks drive, once, with apt. Idempotent and quiet when they are
# there. The tests drive Debian's chromium-headless-shell through Playwright for Python
# (sitecheck/pagecheck.py says why that one); `--full` also installs Debian's chromium, the
# full browser that Lighthouse measures (`make benchmark`). Playwright's own browser download
# (`playwright install`) is never used.
# CHROMIUM names another Chromium-based browser to use for both instead, e.g.
# CHROMIUM=/usr/bin/google-chrome on GitHub's Ubuntu runners, where apt's chromium is a snap.
set -euo pipefail
if [ -n "${CHROMIUM:-}" ]; then
  if [ -x "$CHROMIUM" ]; then
    exit 0
  fi
  echo "ensure-browser: CHROMIUM=$CHROMIUM is not an executable file." >&2
  exit 1
fi
packages=()
[ -x /usr/bin/chromium-headless-shell ] || packages+=(chromium-headless-shell)
if [ "${1:-}" = "--full" ]; then
  [ -x /usr/bin/chromium ] || packages+=(chromium)
elif [ -n "${1:-}" ]; then
  echo "usage: $0 [--full]" >&2
  exit 2
fi
if [ ${#packages[@]} -eq 0 ]; then
  exit 0
fi
if ! command -v apt-get >/dev/null 2>&1; then
  echo "ensure-browser: ${packages[*]} missing and apt-get is not here to install them;" >&2
  echo "install Debian's ${packages[*]} (or set CHROMIUM to a Chromium binary), then rerun." >&2
  exit 1
fi
SUDO=""
if [ "$(id -u)" -ne 0 ]; then
  SUDO="sudo"
fi
echo "ensure-browser: installing Debian's ${packages[*]} (one time)..." >&2
export DEBIAN_FRONTEND=noninteractive
$SUDO apt-get update -qq >/dev/null
$SUDO apt-get install -y -qq --no-install-recommends "${packages[@]}" fonts-dejavu-core >/dev/null
for package in "${packages[@]}"; do
  "/usr/bin/$package" --version >&2
done
