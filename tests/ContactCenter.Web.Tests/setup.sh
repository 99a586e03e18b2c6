#!/usr/bin/env bash
# Installs what the browser tests need, idempotently and quietly:
#  - Node.js and npm (the server's build runs `npm ci` and `npm run build` for src/ContactCenter.Web);
#  - Debian's chromium at /usr/bin/chromium (Playwright drives it; we never run `playwright install`).
set -euo pipefail

source "$(dirname "${BASH_SOURCE[0]}")/../debian-packages.sh"
ensure_npm

ensure_chromium
