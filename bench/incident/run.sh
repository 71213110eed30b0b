#!/usr/bin/env bash
# Crisis-response benchmarks (see incident_bench.cc):
#   bench/incident/run.sh [BUILD_DIR] [--quick]      (BUILD_DIR default: build)
# Needs incident_bench built: cmake --build BUILD_DIR --target incident_bench
set -euo pipefail
cd "$(dirname "$0")/../.."
BUILD=build
ARGS=()
for arg in "$@"; do
  case "$arg" in
    --quick) ARGS+=(--quick) ;;
    *) BUILD="$arg" ;;
  esac
done
BIN="$BUILD/bench/incident_bench"
[ -x "$BIN" ] || { echo "missing $BIN: cmake --build $BUILD --target incident_bench" >&2; exit 2; }
echo "# incident: one thread, $(nproc) cores on the machine, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2)"
exec "$BIN" "${ARGS[@]}"
