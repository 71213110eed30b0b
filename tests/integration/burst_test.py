#!/usr/bin/env python3
"""One burst must not flood the phones (issue 19): against the real `yuqing serve`, a department
with two schemes and a WeCom robot contact (a loopback receiver standing in for WeCom) takes a
40-post burst of casualty reports through the API. Checks: at most one alert per scheme, and at
most two pushes reach the robot while the burst and its aftermath run (the first at once, the rest
held for one digest after the grouping window).

    python3 tests/integration/burst_test.py [--yuqing build/yuqing]
"""
import datetime
import http.server
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
import threading
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import server_api_test as api  # Client, ServerProcess, check, FAILURES  # noqa: E402


class Robot(http.server.BaseHTTPRequestHandler):
    """A WeCom group robot: answers errcode 0 and records every push."""
    pushes = []
    arrived = threading.Condition()

    def do_POST(self):
        body = self.rfile.read(int(self.headers.get("Content-Length") or 0))
        with Robot.arrived:
            Robot.pushes.append((time.monotonic(), body.decode("utf-8", "replace")))
            Robot.arrived.notify_all()
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.end_headers()
        self.wfile.write(b'{"errcode":0,"errmsg":"ok"}')

    def log_message(self, *args):
        pass


def main():
    import argparse
    ap = argparse.ArgumentParser()
    here = os.path.dirname(os.path.abspath(__file__))
    ap.add_argument("--yuqing", default=os.environ.get("YUQING_BIN", os.path.join(here, "..", "..", "build", "yuqing")))
    a = ap.parse_args()
    yuqing = os.path.abspath(a.yuqing)
    tmp = tempfile.mkdtemp(prefix="yuqing-burst-")
    robot = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Robot)
    threading.Thread(target=robot.serve_forever, daemon=True).start()
    data, log_path, port = os.path.join(tmp, "data"), os.path.join(tmp, "serve.log"), api.free_port()
    y = lambda *args: subprocess.run([yuqing, "--data", data, *args], capture_output=True, text=True, timeout=60)
    y("departments", "add", "应急办")
    r = y("contacts", "add", "--department", "应急办", "--channel", "wecom", "--target",
          f"http://127.0.0.1:{robot.server_address[1]}/cgi-bin/webhook/send?key=test")
    api.check("a WeCom robot contact is added", r.returncode == 0, r.stderr[-300:])
    srv = api.ServerProcess(yuqing, data, port, log_path)
    srv.start()
    try:
        pw = re.search(r"one-time password: (\S+)", open(log_path).read()).group(1)
        admin = api.Client(port)
        admin.login("admin", pw)
        admin.request("POST", "/api/v1/auth/password", {"current": pw, "new": "burst-admin-pw-1"})
        for name, query in (("火情监测", "起火 OR 火灾"), ("伤亡监测", "受伤 OR 伤亡")):
            st, j, _ = admin.request("POST", "/api/v1/schemes", {"name": name, "query": query, "departments": ["应急办"]})
            api.check(f"scheme {name} is created", st == 201, (st, j))
        now = datetime.datetime.now(datetime.timezone(datetime.timedelta(hours=8)))
        t0 = time.monotonic()
        for batch in range(4):  # 40 posts in four requests, as a burst arrives
            posts = [{"id": f"burst-{batch}-{i}", "source": "weibo",
                      "published_at": (now + datetime.timedelta(seconds=batch * 2 + i)).isoformat(),
                      "text": f"东湖路{batch * 10 + i + 1}号附近小区起火，火势很大，已有多人受伤送医，现场浓烟滚滚，太可怕了",
                      "author": {"id": f"u{batch * 10 + i}", "name": f"网友{batch * 10 + i}"}} for i in range(10)]
            st, j, _ = admin.request("POST", "/api/v1/posts", posts)
            api.check(f"burst batch {batch + 1} is accepted", st in (200, 202), (st, j))
        # Wait for the first push (the alert raised by the burst), then watch the robot for 15 s more.
        with Robot.arrived:
            Robot.arrived.wait_for(lambda: Robot.pushes, timeout=30)
        api.check("the burst reaches the robot", bool(Robot.pushes), "no push within 30 s")
        deadline = time.monotonic() + 15
        with Robot.arrived:
            while time.monotonic() < deadline:
                Robot.arrived.wait(timeout=deadline - time.monotonic())
        pushes = list(Robot.pushes)
        st, j, _ = admin.request("GET", "/api/v1/alerts?limit=100")
        alerts = j.get("items", []) if st == 200 else []
        per_scheme = {}
        for al in alerts:
            per_scheme[al["scheme_id"]] = per_scheme.get(al["scheme_id"], 0) + 1
        api.check("the burst raised alerts", len(alerts) >= 1, alerts)
        api.check("at most one alert per scheme", all(n == 1 for n in per_scheme.values()), per_scheme)
        api.check(f"at most two pushes reach the robot in {time.monotonic() - t0:.0f} s (got {len(pushes)})",
                  1 <= len(pushes) <= 2, [p[1][:120] for p in pushes])
        api.check("the pushes are in Chinese", all("预警" in p[1] for p in pushes), [p[1][:200] for p in pushes])
    finally:
        srv.stop()
        robot.shutdown()
        shutil.rmtree(tmp, ignore_errors=True)
    print(f"{len(api.FAILURES)} failed" if api.FAILURES else "all passed")
    sys.exit(1 if api.FAILURES else 0)


if __name__ == "__main__":
    main()
