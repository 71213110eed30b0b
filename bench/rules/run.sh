#!/usr/bin/env bash
# Matcher benchmark at 1k, 10k and 100k schemes, and ripgrep on the same text and literals.
#   bench/rules/run.sh [BUILD_DIR] [--quick]      (BUILD_DIR default: build)
# --quick uses 50,000 posts and 1k/10k schemes. Needs: rules_bench built (cmake --build BUILD_DIR
# --target rules_bench), rg (Debian ripgrep) for the comparison.
#
# Both sides are CPU time (user + system: what a core spends; wall time on a shared machine also
# counts waiting for one), one thread, on the same normalised posts (one a line in posts.txt) and
# the same literals (literals.txt): rules_bench times Matcher::Match (Hyperscan scan plus the
# boolean evaluation of every scheme) as the median of 3 passes, with its thread's CPU clock;
# `rg -F -c -f literals.txt posts.txt` is run once to warm the page cache and then timed 3 times
# (getrusage of the child, median). rg's time includes its start-up and building its automaton, the
# matcher's excludes compiling (done once per scheme change); so the start-up of rg on an empty
# file is printed too, and the ratio is given against both (whole command, and command minus
# start-up).
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
echo "# rules matcher: one thread, $(nproc) cores on the machine, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2), load $(cut -d' ' -f1-3 /proc/loadavg)"

# Median CPU seconds (user + system, to the microsecond from getrusage) of 3 runs of "$@"
# (stdout discarded; exit status 1 = no match is fine).
median3() {
  python3 - "$@" <<'PY'
import resource, subprocess, sys
times = []
for _ in range(3):
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    rc = subprocess.run(sys.argv[1:], stdout=subprocess.DEVNULL).returncode
    if rc not in (0, 1):
        sys.exit(rc)
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    times.append(after.ru_utime - before.ru_utime + after.ru_stime - before.ru_stime)
print(f"{sorted(times)[1]:.6f}")
PY
}

for n in $SIZES; do
  mkdir -p "$OUT/$n"
  "$BIN" --schemes "$n" --posts "$POSTS" --out "$OUT/$n" | tee "$OUT/$n/result.txt" | head -1
  if command -v rg >/dev/null; then
    L="$OUT/$n/literals.txt" P="$OUT/$n/posts.txt"
    : > "$OUT/$n/empty.txt"
    lines=$(rg -F -c -f "$L" "$P" || true)  # also warms the page cache
    rg_s=$(median3 rg -F -c -f "$L" "$P")
    rg0_s=$(median3 rg -F -c -f "$L" "$OUT/$n/empty.txt")
    nlit=$(wc -l < "$L")
    match_s=$(tail -1 "$OUT/$n/result.txt" | grep -o '"match_cpu_s":[0-9.e+-]*' | cut -d: -f2)
    posts_n=$(wc -l < "$P")
    vocab=$(tail -1 "$OUT/$n/result.txt" | grep -o '"vocabulary":"[a-z0-9_]*"' | cut -d'"' -f4)
    echo "  ripgrep: rg -F -c -f literals.txt ($nlit literals) over the same posts: $rg_s s CPU, $lines matching lines (median of 3)"
    # What the scan-only figure depends on (docs/performance.md, "The ripgrep rows"): -c stops at a
    # line's first literal, so the share of lines holding a common literal decides its speed.
    echo "  ripgrep input: $lines/$posts_n lines match, vocabulary $vocab, $(rg --version | head -1), CPU flags $(grep -o -w 'avx2\|avx512bw\|ssse3' /proc/cpuinfo | sort -u | tr '\n' ' ')"
    # rg -c stops at a line's first literal; the matcher needs every literal that occurs. The
    # same job for rg: every (non-overlapping) occurrence, median of 3.
    rgall_s=$(median3 rg -F --count-matches -f "$L" "$P")
    echo "  rg -F --count-matches (every occurrence): $rgall_s s CPU (median of 3)"
    echo "  ripgrep start-up (same literals, empty file): $rg0_s s CPU; matcher $match_s s CPU;" \
      "matcher speed / rg: $(echo "scale=2; $rg_s / $match_s" | bc)x (whole command)," \
      "$(echo "scale=2; ($rg_s - $rg0_s) / $match_s" | bc)x (minus rg start-up)"
  else
    echo "  ripgrep: rg not installed (apt-get install ripgrep)"
  fi
  rm -f "$OUT/$n/posts.txt"
done
