#!/usr/bin/env bash
# Builds and runs every test of ContactCenter, then prints the closing line CI reads:
#   N passed, N failed
# Installs what the tests need (npm packages, Debian's chromium) when it is missing.
# Exits non-zero on any failure, a build error, or a run that executed no test.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"
results="$root/tests/results"
rm -rf "$results/trx"
mkdir -p "$results/trx"

# Per-project set-up scripts (npm ci, chromium) are idempotent and quiet when all is there.
for setup in tests/*/setup.sh; do
  [ -f "$setup" ] || continue
  echo "== set-up: $setup"
  bash "$setup"
done

echo "== build"
dotnet build ContactCenter.sln -c Release -nologo -v q

echo "== test"
status=0
# One run per test project, each with its own TRX file, so no result can overwrite another.
for project in tests/*/*.csproj; do
  name=$(basename "$project" .csproj)
  grep -q '<IsTestProject>true</IsTestProject>' "$project" || continue
  dotnet test "$project" -c Release --no-build -nologo \
    --logger "trx;LogFileName=$name.trx" --logger "console;verbosity=minimal" \
    --results-directory "$results/trx" || status=$?
done

# dotnet test prints no single closing line: sum the TRX counters of every test project.
passed=0; failed=0; total=0
shopt -s nullglob
for trx in "$results"/trx/*.trx; do
  counters=$(grep -o '<Counters [^>]*>' "$trx" | head -n 1)
  get() { echo "$counters" | sed -n "s/.* $1=\"\([0-9]*\)\".*/\1/p"; }
  total=$((total + $(get total)))
  passed=$((passed + $(get passed)))
  failed=$((failed + $(get failed) + $(get error) + $(get timeout) + $(get aborted)))
done

if [ "$total" -eq 0 ]; then
  echo "no test was executed" >&2
  status=1
fi
if [ "$status" -ne 0 ] && [ "$failed" -eq 0 ]; then
  # The runner failed without a failing test (a crash, a build error): count it as one.
  failed=1
fi
echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ] && [ "$status" -eq 0 ]
