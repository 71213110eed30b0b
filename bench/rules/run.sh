#!/usr/bin/env bash
# Matcher benchmark at 1k, 10k and 100k schemes, and ripgrep on the same text and literals.
#   bench/rules/run.sh [BUILD_DIR] [--quick]      (BUILD_DIR default: build)
# --quick uses 50,000 posts and 1k/10k schemes. Needs: rules_bench built (cmake --build BUILD_DIR
# --target rules_bench), rg (Debian ripgrep) for the comparison.
set -euo pipefail
cd "$(dirname "$0")/../.."
BUILD=build
QUICK=0
for arg in "$@"; do
  case "$arg" in
    --quick) QUICK=1 ;;
    *) BUILD="$arg" ;;
  esac
done
BIN="$BUILD/bench/rules_bench"
[ -x "$BIN" ] || { echo "missing $BIN: cmake --build $BUILD --target rules_bench" >&2; exit 2; }
OUT=$(mktemp -d)
trap 'rm -rf "$OUT"' EXIT
SIZES="1000 10000 100000"
POSTS=0
if [ "$QUICK" = 1 ]; then SIZES="1000 10000"; POSTS=50000; fi
echo "# rules matcher: one thread, $(nproc) cores on the machine, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2)"
for n in $SIZES; do
  mkdir -p "$OUT/$n"
  "$BIN" --schemes "$n" --posts "$POSTS" --out "$OUT/$n" | tee "$OUT/$n/result.txt" | head -1
  if command -v rg >/dev/null; then
    start=$(date +%s.%N)
    lines=$(rg -F -c -f "$OUT/$n/literals.txt" "$OUT/$n/posts.txt" || true)
    end=$(date +%s.%N)
    nlit=$(wc -l < "$OUT/$n/literals.txt")
    echo "  ripgrep: rg -F -c -f literals.txt ($nlit literals) over the same posts: $(echo "$end - $start" | bc) s, $lines matching lines"
  else
    echo "  ripgrep: rg not installed (apt-get install ripgrep)"
  fi
  rm -f "$OUT/$n/posts.txt"
done
