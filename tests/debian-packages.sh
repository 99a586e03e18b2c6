#!/usr/bin/env bash
# Sourced by the test projects' setup.sh: installs Debian packages the tests need, idempotently
# and quietly, with sudo when not root and one `apt-get update` at most.
#   ensure_npm       Node.js and npm, when npm is missing
#   ensure_chromium  Debian's chromium at /usr/bin/chromium (Playwright drives it; never `playwright install`)
#   ensure_postgresql PostgreSQL's server binaries (tests start throwaway servers with initdb + pg_ctl;
#                    the package's own cluster service is not needed and not started)

sudo_cmd=""
if [[ "$(id -u)" != "0" ]]; then sudo_cmd="sudo"; fi
apt_updated=""
apt_install() {
  if [[ -z "$apt_updated" ]]; then $sudo_cmd apt-get update -qq >/dev/null; apt_updated=1; fi
  DEBIAN_FRONTEND=noninteractive $sudo_cmd apt-get install -y -qq "$@" >/dev/null
}

ensure_npm() {
  if ! command -v npm >/dev/null 2>&1; then
    apt_install nodejs npm
  fi
}

ensure_chromium() {
  if [[ ! -x /usr/bin/chromium ]]; then
    apt_install chromium
  fi
}

ensure_postgresql() {
  if ! ls /usr/lib/postgresql/*/bin/pg_ctl >/dev/null 2>&1; then
    apt_install postgresql
  fi
}
