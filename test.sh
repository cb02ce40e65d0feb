#!/usr/bin/env bash
# Runs every Nova test on a fresh Debian machine: installs what is missing (PostgreSQL, Redis, HAProxy,
# Chromium, Node.js) from Debian's packages, checks formatting, builds with warnings as errors, and
# runs the suite. The tests start and stop their own servers on free loopback ports.
set -euo pipefail
cd "$(dirname "$0")"

need=()
ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1 || need+=(postgresql)
command -v redis-server >/dev/null || need+=(redis-server)
[ -x /usr/sbin/haproxy ] || need+=(haproxy)
[ -x /usr/bin/chromium ] || need+=(chromium fonts-liberation)
command -v npm >/dev/null || need+=(nodejs npm)
if ((${#need[@]})); then
  echo "Installing: ${need[*]}"
  if [ "$(id -u)" -ne 0 ]; then sudo=sudo; else sudo=; fi
  $sudo apt-get update -q
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -q --no-install-recommends "${need[@]}"
fi

export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1
dotnet tool restore >/dev/null
dotnet build Nova.sln -c Release
dotnet format Nova.sln --verify-no-changes --no-restore --severity warn
status=0
dotnet test Nova.sln -c Release --no-build --logger "console;verbosity=normal" --logger "trx;LogFileName=results.trx" \
  --results-directory TestResults "$@" || status=$?

# Smoke run of every benchmark scenario, small (under two minutes): fails on errors, never on slowness.
bench=0
dotnet bench/Nova.Bench/bin/Release/net10.0/Nova.Bench.dll --quick --out TestResults/bench || bench=$?

# The test summary stays the last line.
scripts/summarize-tests.sh TestResults
[ "$status" -eq 0 ] || exit "$status"
exit "$bench"
