#!/usr/bin/env bash
# Installs what is needed, builds, and runs every test: unit (GoogleTest via CTest), integration
# (the real binary and loopback servers), and the dashboard's browser tests.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup.sh
# The store's tests run on SQLite and on PostgreSQL: a throwaway cluster on loopback, removed at exit.
pg_dir=$(mktemp -d /tmp/yuqing-pg.XXXXXX)
trap 'scripts/pg_test_cluster.sh stop "$pg_dir"' EXIT
echo "==> starting a throwaway PostgreSQL cluster"
YUQING_TEST_POSTGRES=$(scripts/pg_test_cluster.sh start "$pg_dir")
export YUQING_TEST_POSTGRES
echo "==> unit and integration tests (ctest)"
ctest --test-dir build --output-on-failure -j"$(nproc)" --timeout 300
if [ -f web/package.json ] && grep -q '"test"' web/package.json; then
  echo "==> dashboard browser tests"
  (cd web && YUQING_BIN="$PWD/../build/yuqing" npm test --silent)
fi
echo "==> all tests passed"
