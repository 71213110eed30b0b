#!/usr/bin/env bash
# Builds yuqing with AddressSanitizer and UndefinedBehaviorSanitizer into build-asan/ and runs the
# unit and integration suites under them (CI runs it once per submission). Any sanitizer report
# fails the test that triggered it (UBSan does not recover).
#   scripts/sanitize.sh              every unit and integration test
#   scripts/sanitize.sh -R store     a ctest regex
set -euo pipefail
cd "$(dirname "$0")/.."
[ -f third_party/cppjieba/include/cppjieba/Jieba.hpp ] || scripts/setup.sh
launcher=()
command -v ccache >/dev/null && launcher=(-DCMAKE_CXX_COMPILER_LAUNCHER=ccache)
echo "==> building with ASan + UBSan into build-asan/"
# -O1 keeps the sanitized suites fast enough for CI while keeping stack traces readable.
cmake -S . -B build-asan -DCMAKE_BUILD_TYPE=RelWithDebInfo -DCMAKE_CXX_FLAGS_RELWITHDEBINFO="-O1 -g" \
  -DYUQING_SANITIZE=ON -DYUQING_BENCH=OFF "${launcher[@]}" >/dev/null
cmake --build build-asan -j"$(nproc)"
# The real-data differential test replays 20k posts here (100k in the plain run): ASan is slower.
export YUQING_RESTART_POSTS=${YUQING_RESTART_POSTS:-20000}
export ASAN_OPTIONS=${ASAN_OPTIONS:-detect_leaks=1:abort_on_error=1:detect_stack_use_after_return=0}
export UBSAN_OPTIONS=${UBSAN_OPTIONS:-print_stacktrace=1:halt_on_error=1}
args=("$@")
[ ${#args[@]} -gt 0 ] || args=(-LE browser)
echo "==> unit and integration tests under ASan + UBSan"
ctest --test-dir build-asan --output-on-failure -j"$(nproc)" --timeout 900 "${args[@]}"
echo "==> sanitized tests passed"
