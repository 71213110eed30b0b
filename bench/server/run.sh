#!/usr/bin/env bash
# Server benchmark: search and overview latency under 50 concurrent clients (wrk), with N posts
# stored (default 1,000,000 over the last 30 days).
#   bench/server/run.sh [BUILD_DIR] [--posts N] [--data DIR] [--duration 20s] [--connections 50]
#                       [--only "search overview_uncached"]
# The data directory is kept and reused (its posts are generated and ingested once; that takes a
# few minutes for 1M). Needs: wrk (Debian), python3.
set -euo pipefail
cd "$(dirname "$0")/../.."
BUILD=build
POSTS=1000000
DATA=""
DURATION=20s
CONNS=50
THREADS=2
ONLY="latest overview overview_uncached search search_relevance"
while [ $# -gt 0 ]; do
  case "$1" in
    --posts) POSTS="$2"; shift ;;
    --data) DATA="$2"; shift ;;
    --duration) DURATION="$2"; shift ;;
    --connections) CONNS="$2"; shift ;;
    --only) ONLY="$2"; shift ;;
    --quick) POSTS=100000; DURATION=10s ;;
    *) BUILD="$1" ;;
  esac
  shift
done
BIN="$BUILD/yuqing"
[ -x "$BIN" ] || { echo "missing $BIN: cmake --build $BUILD --target yuqing" >&2; exit 2; }
command -v wrk >/dev/null || { echo "wrk not installed (apt-get install wrk)" >&2; exit 2; }
DATA="${DATA:-${TMPDIR:-/tmp}/yuqing-bench-server-$POSTS}"
mkdir -p "$DATA"
WORK=$(mktemp -d)
SERVER_PID=""
cleanup() {
  if [ -n "$SERVER_PID" ]; then kill -TERM "$SERVER_PID" 2>/dev/null || true; wait "$SERVER_PID" 2>/dev/null || true; fi
  rm -rf "$WORK"
}
trap cleanup EXIT

if [ ! -f "$DATA/.bench-ready" ]; then
  echo "# generating and ingesting $POSTS posts into $DATA (once)"
  python3 bench/server/gen_posts.py "$WORK/posts.jsonl" --posts "$POSTS"
  start=$(date +%s.%N)
  "$BIN" --data "$DATA/store" ingest "$WORK/posts.jsonl" >/dev/null
  end=$(date +%s.%N)
  rm -f "$WORK/posts.jsonl"
  echo "# ingest: $(python3 -c "print(f'{$POSTS/($end-$start):.0f} posts/s')")"
  touch "$DATA/.bench-ready"
fi
if ! "$BIN" --data "$DATA/store" user list --json | grep -q '"name":"bench"'; then
  echo "bench-password-$$" | "$BIN" --data "$DATA/store" user add bench --role admin --password-stdin >/dev/null
fi
TOKEN=$("$BIN" --data "$DATA/store" user token bench --name bench)

PORT=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
"$BIN" --data "$DATA/store" serve --listen "127.0.0.1:$PORT" >"$WORK/serve.log" 2>&1 &
SERVER_PID=$!
for _ in $(seq 1 300); do
  curl -fs "http://127.0.0.1:$PORT/healthz" >/dev/null 2>&1 && break
  kill -0 "$SERVER_PID" 2>/dev/null || { cat "$WORK/serve.log"; exit 3; }
  sleep 0.1
done

# Lua scripts: rotating queries (percent-encoded here), the p95 report at the end.
python3 - "$WORK" <<'PY'
import sys, urllib.parse
work = sys.argv[1]
words = ["停水", "火灾", "水质发黄", "交通拥堵", "服务态度差", "地铁三号线", "东湖区", "电梯故障", "食品安全",
         "燃气泄漏", "停电", "收费不合理", "\"排队太久\"", "医院 投诉", "学位紧张 -谣言", "市税务局", "噪音扰民",
         "道路塌陷", "拖欠工资", "高铁南站"]
report = '''
done = function(summary, latency, requests)
  local secs = summary.duration / 1e6
  local errs = summary.errors.connect + summary.errors.read + summary.errors.write + summary.errors.status + summary.errors.timeout
  io.write(string.format("RESULT requests=%d rps=%.0f p50=%.1fms p90=%.1fms p95=%.1fms p99=%.1fms max=%.1fms errors=%d\\n",
    summary.requests, summary.requests / secs, latency:percentile(50) / 1000, latency:percentile(90) / 1000,
    latency:percentile(95) / 1000, latency:percentile(99) / 1000, latency.max / 1000, errs))
end
'''
head = 'wrk.headers["Authorization"] = "Bearer " .. os.getenv("YQ_TOKEN")\nlocal i = math.random(1000)\n'
def paths(name, items):
    body = head + "local paths = {" + ",".join('"%s"' % p for p in items) + "}\n"
    body += 'request = function()\n  i = i + 1\n  return wrk.format("GET", paths[(i % #paths) + 1])\nend\n' + report
    open(f"{work}/{name}.lua", "w").write(body)
paths("search", ["/api/v1/posts?limit=20&q=" + urllib.parse.quote(w) for w in words])
paths("search_relevance", ["/api/v1/posts?limit=20&sort=relevance&q=" + urllib.parse.quote(w) for w in words])
paths("latest", ["/api/v1/posts?limit=20", "/api/v1/posts?limit=20&source=weibo", "/api/v1/posts?limit=20&sentiment=negative"])
paths("overview", ["/api/v1/overview"])
# Distinct windows per request (to moves by a second each time): no cache hits.
open(f"{work}/overview_uncached.lua", "w").write(head + '''
local base = os.time()
request = function()
  i = i + 1
  local to = base - (i * 7 + math.random(100000)) % 86400
  return wrk.format("GET", "/api/v1/overview?to=" .. to)
end
''' + report)
PY

export YQ_TOKEN="$TOKEN"
echo "# yuqing server bench: $POSTS posts, $CONNS connections, $THREADS wrk threads, $DURATION each;" \
     "$(nproc) cores:$(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2)"
# Waits until the server has worked off what timed-out clients left queued (a slow run must not
# bleed into the next one).
drain() {
  for _ in $(seq 1 600); do
    t=$(curl -s -o /dev/null -w '%{time_total}' "http://127.0.0.1:$PORT/healthz" || echo 9)
    python3 -c "import sys; sys.exit(0 if float('$t') < 0.05 else 1)" && return 0
    sleep 0.5
  done
}
for s in $ONLY; do
  drain
  wrk -t"$THREADS" -c"$CONNS" -d5s --timeout 10s -s "$WORK/$s.lua" "http://127.0.0.1:$PORT" >/dev/null 2>&1 || true  # warm-up
  line=$(wrk -t"$THREADS" -c"$CONNS" -d"$DURATION" --timeout 10s -s "$WORK/$s.lua" "http://127.0.0.1:$PORT" | grep '^RESULT' || echo "RESULT failed")
  printf '%-18s %s\n' "$s" "${line#RESULT }"
done
