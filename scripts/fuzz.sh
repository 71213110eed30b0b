#!/usr/bin/env bash
# Builds the libFuzzer targets with clang (ASan + UBSan) into build-fuzz/ and runs each for a
# bounded time over its committed corpus (tests/fuzz/corpus/<target>). Exit 1 on any crash, leak,
# timeout or sanitizer report; the reproducer is left in build-fuzz/artifacts/.
#   scripts/fuzz.sh                 every target, FUZZ_SECONDS (default 30) each
#   FUZZ_SECONDS=600 scripts/fuzz.sh query
# New inputs the fuzzer finds stay in build-fuzz/corpus/; copy the interesting ones into
# tests/fuzz/corpus/ to keep them.
set -euo pipefail
cd "$(dirname "$0")/.."

need=()
for p in clang libclang-rt-14-dev; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || need+=("$p")
done
if [ ${#need[@]} -gt 0 ]; then
  echo "==> installing ${need[*]}"
  SUDO=""; [ "$(id -u)" -ne 0 ] && SUDO="sudo"
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends "${need[@]}"
fi
[ -f third_party/cppjieba/include/cppjieba/Jieba.hpp ] || scripts/setup.sh

TARGETS=("$@")
[ ${#TARGETS[@]} -gt 0 ] || TARGETS=(json_record csv_reader feed query statement css_selector robots page)
SECONDS_EACH=${FUZZ_SECONDS:-30}
launcher=()
command -v ccache >/dev/null && launcher=(-DCMAKE_CXX_COMPILER_LAUNCHER=ccache)
echo "==> building fuzz targets (clang, ASan + UBSan) into build-fuzz/"
CC=clang CXX=clang++ cmake -S . -B build-fuzz -DCMAKE_BUILD_TYPE=RelWithDebInfo -DYUQING_FUZZ=ON "${launcher[@]}" >/dev/null
cmake --build build-fuzz -j"$(nproc)" --target "${TARGETS[@]/%/_fuzz}"

mkdir -p build-fuzz/artifacts
export ASAN_OPTIONS=${ASAN_OPTIONS:-detect_leaks=1:allocator_may_return_null=1}
export UBSAN_OPTIONS=${UBSAN_OPTIONS:-print_stacktrace=1:halt_on_error=1}
status=0
for t in "${TARGETS[@]}"; do
  work=build-fuzz/corpus/$t
  mkdir -p "$work"
  echo "==> fuzzing $t for ${SECONDS_EACH}s (seeds: tests/fuzz/corpus/$t)"
  if ! build-fuzz/tests/fuzz/${t}_fuzz "$work" "tests/fuzz/corpus/$t" -max_total_time="$SECONDS_EACH" \
      -timeout=10 -rss_limit_mb=2048 -max_len=65536 -print_final_stats=1 \
      -artifact_prefix="build-fuzz/artifacts/$t-" 2>"build-fuzz/$t.log"; then
    echo "FAIL $t: see build-fuzz/$t.log and build-fuzz/artifacts/"
    tail -40 "build-fuzz/$t.log"
    status=1
  else
    grep -E "stat::number_of_executed_units|cov:" "build-fuzz/$t.log" | tail -2 || true
  fi
done
[ $status -eq 0 ] && echo "==> fuzzing: no crash in ${#TARGETS[@]} targets"
exit $status
