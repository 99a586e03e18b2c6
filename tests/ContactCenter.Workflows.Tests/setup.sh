#!/usr/bin/env bash
# Installs what BpmnJsImportTests needs, idempotently and quietly:
#  - bpmn-js from package-lock.json (npm ci) into this folder's node_modules;
#  - Debian's chromium at /usr/bin/chromium (Playwright drives it; we never run `playwright install`).
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"

source "$here/../debian-packages.sh"
ensure_npm

bundle="$here/node_modules/bpmn-js/dist/bpmn-modeler.development.js"
wanted="$(node -p "require('$here/package-lock.json').packages['node_modules/bpmn-js'].version")"
have=""
if [[ -f "$here/node_modules/bpmn-js/package.json" ]]; then
  have="$(node -p "require('$here/node_modules/bpmn-js/package.json').version")"
fi
if [[ ! -f "$bundle" || "$have" != "$wanted" ]]; then
  (cd "$here" && npm ci --no-audit --no-fund --loglevel=error >/dev/null)
fi

ensure_chromium
