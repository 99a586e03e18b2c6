#!/usr/bin/env bash
# Installs what the persistence tests need, idempotently and quietly: PostgreSQL's server binaries
# (the tests start their own throwaway server on a loopback port; see tests/Shared/Postgres).
set -euo pipefail

source "$(dirname "${BASH_SOURCE[0]}")/../debian-packages.sh"
ensure_postgresql
