#!/usr/bin/env python3
"""Delivery test (issue 5): real receivers on loopback that fail, hang and recover, a local SMTP
sink, and a kill -9 of the dispatcher in the middle. Asserts that every outbox entry is delivered,
that receivers see every idempotency key, and that repeats (only possible for the entries in
flight at the kill) stay within the number of workers.

Usage: tests/integration/notify_delivery_test.py [path/to/yuqing] [--serve]
Kills `yuqing notify run`, or with --serve the whole `yuqing serve` (which runs the same
dispatcher beside the API and the pipeline), and restarts it.
"""
import datetime, http.server, json, os, random, signal, socket, socketserver, subprocess, sys, tempfile, threading, time

ARGS = [a for a in sys.argv[1:] if not a.startswith("--")]
VIA_SERVE = "--serve" in sys.argv[1:]
SLOW = 0.2 if VIA_SERVE else 0.0
Y = os.path.abspath(ARGS[0] if ARGS else "build/yuqing")
T = tempfile.mkdtemp(prefix="yq-delivery-")
D = os.path.join(T, "data")
lock = threading.Lock()
received = []  # (receiver, idempotency key)


def record(who, key):
    with lock:
        received.append((who, key))


def http_receiver(name, fail_first=0, hang_first=0, robot=False):
    state = {"n": 0}

    class H(http.server.BaseHTTPRequestHandler):
        def do_POST(self):
            body = self.rfile.read(int(self.headers.get("Content-Length", 0)))
            # Through serve, slow receivers keep deliveries in flight when the kill comes.
            time.sleep(SLOW)
            with lock:
                state["n"] += 1
                n = state["n"]
            if n <= hang_first:
                time.sleep(3)  # longer than the dispatcher's --timeout: it gives up and retries
            elif n <= hang_first + fail_first:
                if robot:  # robots answer 200 with an error code
                    self._send(200, {"errcode": 45009, "errmsg": "api freq out of limit"})
                else:
                    self._send(503, {"error": "busy"})
                return
            key = self.headers.get("Idempotency-Key", "")
            if robot:
                key = json.loads(body)["markdown"]["content"].rsplit("idempotency: ", 1)[-1].strip()
            record(name, key)
            self._send(200, {"errcode": 0} if robot else {"ok": True})

        def _send(self, code, obj):
            try:
                data = json.dumps(obj).encode()
                self.send_response(code)
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)
            except OSError:
                pass

        def log_message(self, *a):
            pass

    s = http.server.ThreadingHTTPServer(("127.0.0.1", 0), H)
    s.daemon_threads = True
    threading.Thread(target=s.serve_forever, daemon=True).start()
    return s.server_address[1]


class Smtp(socketserver.StreamRequestHandler):
    def do(self, line):
        self.wfile.write(line.encode() + b"\r\n")

    def handle(self):
        self.do("220 sink")
        while True:
            line = self.rfile.readline()
            if not line:
                return
            cmd = line.decode(errors="replace").strip().upper()
            if cmd.startswith(("EHLO", "HELO")):
                self.do("250 sink")
            elif cmd.startswith(("MAIL", "RCPT", "RSET", "NOOP")):
                self.do("250 ok")
            elif cmd == "DATA":
                self.do("354 go on")
                msg = b""
                while not msg.endswith(b"\r\n.\r\n"):
                    chunk = self.rfile.readline()
                    if not chunk:
                        return
                    msg += chunk
                for h in msg.decode(errors="replace").split("\r\n"):
                    if h.lower().startswith("x-yuqing-idempotency-key:"):
                        record("smtp", h.split(":", 1)[1].strip())
                self.do("250 queued")
            elif cmd == "QUIT":
                self.do("221 bye")
                return
            else:
                self.do("502 no")


def y(*args, check=True):
    r = subprocess.run([Y, "--data", D, *args], capture_output=True, text=True, timeout=120)
    if check and r.returncode != 0:
        sys.exit(f"FAIL yuqing {' '.join(args)}: {r.stderr}")
    return r.stdout


def outbox():
    return json.loads(y("outbox", "list", "--json", "--limit", "100000").strip().splitlines()[-1])


def wait_for(cond, seconds, what):
    end = time.time() + seconds
    while time.time() < end:
        if cond():
            return True
        time.sleep(0.1)
    sys.exit(f"FAIL timed out waiting for {what}")


def main():
    flaky = http_receiver("flaky", fail_first=3)
    hang = http_receiver("hang", hang_first=2)
    robot = http_receiver("robot", fail_first=2, robot=True)
    smtp = socketserver.ThreadingTCPServer(("127.0.0.1", 0), Smtp)
    smtp.daemon_threads = True
    threading.Thread(target=smtp.serve_forever, daemon=True).start()

    y("departments", "add", "宣传科")
    y("contacts", "add", "--department", "宣传科", "--channel", "webhook", "--target", f"http://127.0.0.1:{flaky}/a", "--secret", "k")
    y("contacts", "add", "--department", "宣传科", "--channel", "webhook", "--target", f"http://127.0.0.1:{hang}/b")
    y("contacts", "add", "--department", "宣传科", "--channel", "wecom", "--target", f"http://127.0.0.1:{robot}/cgi-bin/webhook/send?key=x")
    y("contacts", "add", "--department", "宣传科", "--channel", "email", "--target", "duty@example.org")
    y("notify", "smtp", "--url", f"smtp://127.0.0.1:{smtp.server_address[1]}", "--from", "yuqing@example.org")
    # Alerts from a replayed burst, plus plain messages, so the outbox holds a few dozen entries.
    random.seed(3)
    t0 = datetime.datetime(2026, 6, 1, tzinfo=datetime.timezone(datetime.timedelta(hours=8)))
    rows = [{"id": f"q{h}", "source": "weibo", "text": f"东湖自来水公司通知 {h}",
             "published_at": (t0 + datetime.timedelta(hours=h, minutes=7)).isoformat()} for h in range(30)]
    start = t0 + datetime.timedelta(hours=30)
    rows += [{"id": f"b{w}-{j}", "source": "weibo", "text": f"东湖自来水公司水质出问题 {w} {j}",
              "published_at": (start + datetime.timedelta(minutes=10 * w, seconds=random.randint(0, 599))).isoformat()}
             for w in range(6) for j in range(2 * 2 ** w)]
    rows.append({"id": "x1", "source": "xinhua", "text": "东湖自来水公司水质调查",
                 "published_at": (start + datetime.timedelta(minutes=41)).isoformat()})
    rows.sort(key=lambda r: r["published_at"])
    with open(os.path.join(T, "s.jsonl"), "w", encoding="utf-8") as f:
        f.writelines(json.dumps(r, ensure_ascii=False) + "\n" for r in rows)
    y("topics", "add", "--name", "东湖自来水", "--query", "东湖自来水公司", "--department", "宣传科")
    y("replay", os.path.join(T, "s.jsonl"), "--speed", "max")
    for i in range(6):
        y("notify", "test", "--department", "宣传科")
    entries = [e for e in outbox()["items"] if e["status"] != "unrouted"]
    keys = {e["idempotency_key"] for e in entries}
    print(f"outbox: {len(entries)} entries over {len({e['channel'] for e in entries})} channels")
    assert len(entries) >= 20, entries

    log = open(os.path.join(T, "dispatch.log"), "w")
    cmd = [Y, "--data", D, "notify", "run", "--timeout", "1s", "--workers", "4"]
    if VIA_SERVE:
        s = socket.socket()
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
        s.close()
        cmd = [Y, "--data", D, "serve", "--listen", f"127.0.0.1:{port}"]
    p = subprocess.Popen(cmd, stdout=log, stderr=subprocess.STDOUT)
    wait_for(lambda: len(received) >= 5, 30, "first deliveries")
    p.send_signal(signal.SIGKILL)
    p.wait()
    at_kill = len(received)
    print(f"kill -9 after {at_kill} deliveries")
    p = subprocess.Popen(cmd, stdout=log, stderr=subprocess.STDOUT)
    try:
        def done():
            c = outbox()["counts"]
            return c["pending"] == 0 and c["sending"] == 0
        wait_for(done, 150, "the outbox to drain after the restart")
    finally:
        p.send_signal(signal.SIGKILL)
        p.wait()
    # Chat robots get a digest of the entries that piled up within the grouping window: its key
    # names the outbox ids it carried ("yq-digest-3-7-9").
    by_id = {str(e["id"]): e["idempotency_key"] for e in entries}
    got = []
    for _, k in received:
        if k.startswith("yq-digest-"):
            got += [by_id.get(i, k) for i in k[len("yq-digest-"):].split("-")]
        else:
            got.append(k)
    dups = len(got) - len(set(got))
    fails = []
    def check(ok, what):
        print(("ok   " if ok else "FAIL ") + what)
        if not ok:
            fails.append(what)
    final = outbox()["items"]
    check(all(e["status"] in ("delivered", "unrouted") for e in final), "every entry delivered after fail/hang/recover and kill -9")
    check(keys <= set(got), f"receivers saw every idempotency key ({len(keys & set(got))}/{len(keys)})")
    check(dups <= 4, f"repeats only for entries in flight at the kill ({dups} <= 4 workers), dropped by key")
    check({w for w, _ in received} == {"flaky", "hang", "robot", "smtp"}, "webhook, hanging webhook, WeCom robot and SMTP all delivered")
    attempts = sum(e["attempts"] for e in final if e["status"] == "delivered")
    check(attempts > len(entries), f"failures were retried ({attempts} attempts for {len(entries)} entries)")
    return 1 if fails else 0


if __name__ == "__main__":
    try:
        sys.exit(main())
    finally:
        subprocess.run(["rm", "-rf", T])
