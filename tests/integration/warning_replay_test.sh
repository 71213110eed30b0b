#!/usr/bin/env bash
# Replay-driven warning test (issue 5): a quiet baseline, then a growing event. Expects
#   - no alert during the 36 quiet hours;
#   - III (burst / growth) within 30 simulated minutes of the burst's start;
#   - II when an authoritative source (xinhua) picks it up, on the same alert (upgraded);
#   - I when the scheme's own policy (data) says so: volume >= 100 per 10 minutes;
#   - the webhook receives raised + upgrades, HMAC-signed, each with its idempotency key.
# Usage: tests/integration/warning_replay_test.sh [path/to/yuqing]
set -euo pipefail
Y="$(realpath "${1:-build/yuqing}")"
T="$(mktemp -d)"
trap 'kill $(cat "$T/server.pid" 2>/dev/null) 2>/dev/null || true; rm -rf "$T"' EXIT
D="$T/data"

python3 - "$T" <<'PY'
import datetime, json, random, sys
T = sys.argv[1]
random.seed(5)
CST = datetime.timezone(datetime.timedelta(hours=8))
t0 = datetime.datetime(2026, 6, 1, tzinfo=CST)
posts, k = [], 0
for h in range(36):
    k += 1
    posts.append({"id": f"q{k}", "source": "weibo", "text": f"东湖自来水公司发布供水安排 {k}",
                  "published_at": (t0 + datetime.timedelta(hours=h, minutes=random.randint(0, 59))).isoformat()})
start = t0 + datetime.timedelta(hours=36)
for w in range(7):
    for j in range(2 * 2 ** w):
        k += 1
        posts.append({"id": f"b{k}", "source": "weibo", "text": f"东湖自来水公司水有异味，多人腹泻 {k}",
                      "published_at": (start + datetime.timedelta(minutes=10 * w, seconds=random.randint(0, 599))).isoformat()})
posts.append({"id": "x1", "source": "xinhua", "author": {"name": "新华社"}, "text": "记者调查东湖自来水公司水质问题",
              "published_at": (start + datetime.timedelta(minutes=45)).isoformat()})
posts.sort(key=lambda p: p["published_at"])
with open(f"{T}/stream.jsonl", "w", encoding="utf-8") as f:
    for p in posts:
        f.write(json.dumps(p, ensure_ascii=False) + "\n")
with open(f"{T}/start", "w") as f:
    f.write(start.isoformat())
with open(f"{T}/policy.yaml", "w", encoding="utf-8") as f:
    # authority at II: by default (issue 16) one authoritative post is only a IV notice.
    f.write("levels:\n  II: [{heat: 60}, authority]\n  I: [{volume: 100}]\n")
PY

# A webhook receiver on loopback that checks the HMAC signature and records what arrives.
cat > "$T/server.py" <<'PY'
import hashlib, hmac, http.server, json, sys
out, secret = sys.argv[1], sys.argv[2].encode()
class H(http.server.BaseHTTPRequestHandler):
    def do_POST(self):
        body = self.rfile.read(int(self.headers.get("Content-Length", 0)))
        ts = self.headers.get("X-Yuqing-Timestamp", "")
        want = "sha256=" + hmac.new(secret, ts.encode() + b"." + body, hashlib.sha256).hexdigest()
        ok = hmac.compare_digest(want, self.headers.get("X-Yuqing-Signature", ""))
        with open(out, "a") as f:
            f.write(json.dumps({"sig_ok": ok, "body": json.loads(body)}, ensure_ascii=False) + "\n")
        self.send_response(200 if ok else 401); self.end_headers()
    def log_message(self, *a): pass
s = http.server.ThreadingHTTPServer(("127.0.0.1", 0), H)
print(s.server_address[1], flush=True)
s.serve_forever()
PY
python3 "$T/server.py" "$T/received.jsonl" "s3cret" > "$T/port" &
echo $! > "$T/server.pid"
for _ in $(seq 100); do [ -s "$T/port" ] && break; sleep 0.05; done
PORT="$(head -1 "$T/port")"

"$Y" --data "$D" departments add 宣传科 >/dev/null
"$Y" --data "$D" contacts add --department 宣传科 --channel webhook --target "http://127.0.0.1:$PORT/hook" --secret s3cret >/dev/null
"$Y" --data "$D" topics add --name 东湖自来水 --query 东湖自来水公司 --department 宣传科 --policy "$T/policy.yaml" >/dev/null
"$Y" --data "$D" replay "$T/stream.jsonl" --speed max >/dev/null
"$Y" --data "$D" alerts list --json > "$T/alerts.json"
ID="$(python3 -c 'import json,sys; a=json.load(open(sys.argv[1]))["items"]; print(a[0]["id"] if a else 0)' "$T/alerts.json")"
"$Y" --data "$D" alerts show "$ID" --json > "$T/show.json"
"$Y" --data "$D" notify run --once --json > "$T/run.json"

python3 - "$T" <<'PY'
import datetime, json, sys
T = sys.argv[1]
start = datetime.datetime.fromisoformat(open(f"{T}/start").read())
alerts = json.load(open(f"{T}/alerts.json"))["items"]
show = json.load(open(f"{T}/show.json"))
fails = []
def check(ok, what):
    print(("ok   " if ok else "FAIL ") + what)
    if not ok: fails.append(what)
t = lambda s: datetime.datetime.fromisoformat(s)
check(all(t(a["created_at"]) >= start for a in alerts), "no alert before the burst")
check(len(alerts) == 1, f"one alert for the scheme and its events, upgraded not duplicated ({len(alerts)})")
check(alerts and alerts[0]["event_id"] != 0, "the alert is tied to the event that drives it")
hist = [(h["kind"], h["level"], t(h["at"])) for h in show["history"]]
print("     history:", [(k, l, str(a - start)) for k, l, a in hist])
raised = [h for h in hist if h[0] == "raised"]
check(raised and raised[0][1] == "III" and raised[0][2] - start <= datetime.timedelta(minutes=30), "III within 30 simulated minutes")
ii = [h for h in hist if h[0] == "upgraded" and h[1] == "II"]
check(ii and ii[0][2] == start + datetime.timedelta(minutes=45), "II when xinhua picks it up (start + 45 min)")
i = [h for h in hist if h[0] == "upgraded" and h[1] == "I"]
check(i and i[0][2] > ii[0][2], "I by the scheme's policy (volume >= 100 / 10 min)")
check(show["level"] == "I" and show["deadline"] and show["evidence"], "the alert carries level, deadline and evidence")
check("分钟" in show["rule"] and "条" in show["rule"], f"the rule has its numbers: {show['rule']}")
got = [json.loads(l) for l in open(f"{T}/received.jsonl")] if __import__("os").path.exists(f"{T}/received.jsonl") else []
check(len(got) >= 3 and all(g["sig_ok"] for g in got), f"webhook got raised + 2 upgrades, signed ({len(got)})")
keys = [g["body"]["idempotency_key"] for g in got]
check(len(keys) == len(set(keys)), "each message once, each with its idempotency key")
sys.exit(1 if fails else 0)
PY
