#!/usr/bin/env bash
# Installs what is needed, builds, and runs every test: unit (GoogleTest via CTest), integration
# (the real binary and loopback servers), and the dashboard's browser tests.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup.sh
echo "==> unit and integration tests (ctest)"
ctest --test-dir build --output-on-failure -j"$(nproc)" --timeout 300
if [ -f web/package.json ] && grep -q '"test"' web/package.json; then
  echo "==> dashboard browser tests"
  (cd web && YUQING_BIN="$PWD/../build/yuqing" npm test --silent)
fi
echo "==> all tests passed"
