#!/usr/bin/env python3
"""Ingest-to-delivery latency (issue 5): a post accepted by the HTTP API → its alert's webhook
received on loopback, at a sustained background load (default 5,000 posts/s).

Each 100 ms the load generator POSTs a batch of background posts and one "trigger" post that
matches a scheme of its own whose policy raises level IV on the first post, so every trigger
makes exactly one new alert. Latency = webhook arrival − the moment the API accepted the trigger
(its HTTP response). Prints p50/p90/p99/max and the achieved ingest rate.

Usage: bench/warning/latency.py [--yuqing build/yuqing] [--rate 5000] [--seconds 20] [--quick]
"""
import argparse, json, os, queue, shutil, socket, statistics, subprocess, sys, tempfile, threading, time
import http.server, urllib.request

ap = argparse.ArgumentParser()
ap.add_argument("--yuqing", default="build/yuqing")
ap.add_argument("--rate", type=int, default=5000)
ap.add_argument("--seconds", type=float, default=20)
ap.add_argument("--quick", action="store_true", help="5 seconds")
a = ap.parse_args()
if a.quick:
    a.seconds = 5
Y = os.path.abspath(a.yuqing)
T = tempfile.mkdtemp(prefix="yq-bench-warning-")
D = os.path.join(T, "data")
arrived = {}
lock = threading.Lock()


class Hook(http.server.BaseHTTPRequestHandler):
    def do_POST(self):
        body = json.loads(self.rfile.read(int(self.headers.get("Content-Length", 0))))
        now = time.monotonic()
        ev = body.get("alert", {}).get("evidence", [])
        with lock:
            for e in ev:
                arrived.setdefault(e.get("id"), now)
        self.send_response(200)
        self.end_headers()

    def log_message(self, *x):
        pass


def y(*args, stdin=None):
    r = subprocess.run([Y, "--data", D, *args], capture_output=True, text=True, input=stdin, timeout=120)
    if r.returncode:
        sys.exit(f"yuqing {' '.join(args)} failed: {r.stderr}")
    return r.stdout


def free_port():
    s = socket.socket()
    s.bind(("127.0.0.1", 0))
    p = s.getsockname()[1]
    s.close()
    return p


def main():
    hook = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Hook)
    hook.daemon_threads = True
    threading.Thread(target=hook.serve_forever, daemon=True).start()
    triggers = int(a.seconds * 10)
    y("departments", "add", "值班室")
    y("contacts", "add", "--department", "值班室", "--channel", "webhook", "--target", f"http://127.0.0.1:{hook.server_address[1]}/h")
    schemes = [{"name": f"trig{i}", "query": f"zq{i}x", "departments": ["值班室"],
                "policy": {"levels": {"IV": [{"volume": 1}]}}} for i in range(triggers)]
    with open(os.path.join(T, "schemes.json"), "w") as f:
        json.dump({"schemes": schemes}, f)
    y("topics", "import", os.path.join(T, "schemes.json"))
    y("user", "add", "bench", "--role", "analyst", "--password-stdin", stdin="bench-password-123\n")
    token = json.loads(y("user", "token", "bench", "--json").strip().splitlines()[-1])["token"]
    port = free_port()
    log = open(os.path.join(T, "serve.log"), "w")
    srv = subprocess.Popen([Y, "--data", D, "serve", "--listen", f"127.0.0.1:{port}"], stdout=log, stderr=subprocess.STDOUT)
    base = f"http://127.0.0.1:{port}"
    try:
        for _ in range(200):
            try:
                urllib.request.urlopen(base + "/healthz", timeout=1)
                break
            except Exception:
                time.sleep(0.05)
        accepted = {}
        sent = [0]
        errors = [0]

        def post(rows):
            req = urllib.request.Request(base + "/api/v1/posts", data=json.dumps(rows, ensure_ascii=False).encode(),
                                         method="POST", headers={"Content-Type": "application/json",
                                                                 "Authorization": "Bearer " + token})
            try:
                with urllib.request.urlopen(req, timeout=30) as r:
                    r.read()
                    return r.status < 300
            except Exception:
                return False

        per_tick = max(1, a.rate // 10)
        work = queue.Queue()

        def worker():
            while True:
                item = work.get()
                if item is None:
                    return
                kind, rows = item
                ok = post(rows)
                if kind == "trigger" and ok:
                    accepted[rows[0]["id"]] = time.monotonic()
                if ok:
                    sent[0] += len(rows)
                else:
                    errors[0] += 1

        threads = [threading.Thread(target=worker, daemon=True) for _ in range(8)]
        for t in threads:
            t.start()
        t0 = time.monotonic()
        n = 0
        for tick in range(triggers):
            due = t0 + tick * 0.1
            while time.monotonic() < due:
                time.sleep(0.001)
            chunk = 500
            for c in range(0, per_tick, chunk):
                rows = [{"id": f"n{n + i}", "source": "bench", "text": f"日常消息 background post {n + i}"} for i in range(min(chunk, per_tick - c))]
                n += len(rows)
                work.put(("noise", rows))
            work.put(("trigger", [{"id": f"t{tick}", "source": "bench", "text": f"触发 zq{tick}x 预警"}]))
        for _ in threads:
            work.put(None)
        for t in threads:
            t.join()
        elapsed = time.monotonic() - t0
        deadline = time.monotonic() + 15
        while time.monotonic() < deadline and len([k for k in accepted if k in arrived]) < len(accepted):
            time.sleep(0.05)
        lat = sorted(max(0.0, arrived[k] - accepted[k]) * 1000 for k in accepted if k in arrived)
        if not lat:
            sys.exit("no alert reached the webhook")
        q = lambda p: lat[min(len(lat) - 1, int(p * len(lat)))]
        result = {"posts_per_s": round(sent[0] / elapsed), "target_rate": a.rate, "triggers": len(accepted),
                  "delivered": len(lat), "lost": len(accepted) - len(lat), "http_errors": errors[0],
                  "p50_ms": round(q(0.5), 1), "p90_ms": round(q(0.9), 1), "p99_ms": round(q(0.99), 1),
                  "max_ms": round(lat[-1], 1)}
        print(f"warning ingest→webhook: {result['posts_per_s']} posts/s, p50 {result['p50_ms']} ms, "
              f"p99 {result['p99_ms']} ms (target p99 ≤ 1000 ms), {result['delivered']}/{result['triggers']} delivered")
        print(json.dumps(result))
        return 0 if result["lost"] == 0 else 1
    finally:
        srv.terminate()
        try:
            srv.wait(timeout=20)
        except subprocess.TimeoutExpired:
            srv.kill()
        hook.shutdown()


if __name__ == "__main__":
    try:
        sys.exit(main())
    finally:
        shutil.rmtree(T, ignore_errors=True)
