#!/usr/bin/env bash
# Installs PostgreSQL's server binaries, idempotently and quietly. tests/run.sh runs every set-up
# before any test, and the persistence, runtime, scheduling, server and cluster suites all start
# their own throwaway server on a loopback port (tests/Shared/Postgres/ThrowawayPostgres.cs).
set -euo pipefail

source "$(dirname "${BASH_SOURCE[0]}")/../debian-packages.sh"
ensure_postgresql
