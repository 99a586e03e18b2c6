#!/usr/bin/env bash
# Installs what BpmnJsImportTests needs, idempotently and quietly:
#  - bpmn-js from package-lock.json (npm ci) into this folder's node_modules;
#  - Debian's chromium at /usr/bin/chromium (Playwright drives it; we never run `playwright install`).
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"

bundle="$here/node_modules/bpmn-js/dist/bpmn-modeler.development.js"
wanted="$(node -p "require('$here/package-lock.json').packages['node_modules/bpmn-js'].version")"
have=""
if [[ -f "$here/node_modules/bpmn-js/package.json" ]]; then
  have="$(node -p "require('$here/node_modules/bpmn-js/package.json').version")"
fi
if [[ ! -f "$bundle" || "$have" != "$wanted" ]]; then
  (cd "$here" && npm ci --no-audit --no-fund --loglevel=error >/dev/null)
fi

if [[ ! -x /usr/bin/chromium ]]; then
  sudo_cmd=""
  if [[ "$(id -u)" != "0" ]]; then sudo_cmd="sudo"; fi
  $sudo_cmd apt-get update -qq >/dev/null
  DEBIAN_FRONTEND=noninteractive $sudo_cmd apt-get install -y -qq chromium >/dev/null
fi
