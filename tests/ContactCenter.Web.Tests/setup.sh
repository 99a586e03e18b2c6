#!/usr/bin/env bash
# Installs what the browser tests need, idempotently and quietly:
#  - Node.js and npm (the server's build runs `npm ci` and `npm run build` for src/ContactCenter.Web);
#  - Debian's chromium at /usr/bin/chromium (Playwright drives it; we never run `playwright install`).
set -euo pipefail

sudo_cmd=""
if [[ "$(id -u)" != "0" ]]; then sudo_cmd="sudo"; fi
apt_updated=""
apt_install() {
  if [[ -z "$apt_updated" ]]; then $sudo_cmd apt-get update -qq >/dev/null; apt_updated=1; fi
  DEBIAN_FRONTEND=noninteractive $sudo_cmd apt-get install -y -qq "$@" >/dev/null
}

if ! command -v npm >/dev/null 2>&1; then
  apt_install nodejs npm
fi

if [[ ! -x /usr/bin/chromium ]]; then
  apt_install chromium
fi
