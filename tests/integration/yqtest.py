"""Helpers shared by the integration tests: run build/yuqing, temp data dirs, loopback servers."""
import argparse, http.server, json, os, shutil, socket, subprocess, sys, tempfile, threading, time, unittest

YUQING = os.environ.get("YUQING_BIN", "build/yuqing")
SHARED_DATA = os.path.join(os.path.dirname(__file__), "..", "..", "..", "shared", "data")


def parse_args():
    global YUQING
    ap = argparse.ArgumentParser()
    ap.add_argument("--yuqing", default=YUQING)
    a, rest = ap.parse_known_args()
    YUQING = os.path.abspath(a.yuqing)
    return [sys.argv[0]] + rest


def run(data, *args, stdin=None, timeout=300, check=None):
    r = subprocess.run([YUQING, "--data", data, *args], capture_output=True, text=True, input=stdin, timeout=timeout)
    if check is not None and r.returncode != check:
        raise AssertionError(f"yuqing {' '.join(args)} exited {r.returncode}, want {check}\n{r.stdout[-2000:]}\n{r.stderr[-2000:]}")
    return r


def run_json(data, *args, **kw):
    r = run(data, *args, **kw)
    for line in reversed(r.stdout.strip().splitlines()):
        line = line.strip()
        if line.startswith("{") or line.startswith("["):
            return r.returncode, json.loads(line)
    raise AssertionError(f"no JSON in output of {args}: {r.stdout[-500:]} {r.stderr[-500:]}")


def free_port():
    s = socket.socket()
    s.bind(("127.0.0.1", 0))
    p = s.getsockname()[1]
    s.close()
    return p


def wait_until(pred, timeout=30, what="condition"):
    """Polls pred() until it is true (a test waits on conditions, it does not sleep-and-hope)."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        v = pred()
        if v:
            return v
        time.sleep(0.02)
    raise AssertionError(f"timed out waiting for {what}")


class RecordingHook(http.server.BaseHTTPRequestHandler):
    """A loopback webhook that records every JSON POST as {"path", "body"} and answers 200.
    Start one with RecordingHook.serve(); read RecordingHook.received under RecordingHook.lock."""
    received = []
    lock = threading.Lock()

    def do_POST(self):
        body = json.loads(self.rfile.read(int(self.headers.get("Content-Length", 0))))
        with RecordingHook.lock:
            RecordingHook.received.append({"path": self.path, "body": body})
        self.send_response(200)
        self.end_headers()

    def log_message(self, *a):
        pass

    @classmethod
    def serve(cls):
        """Clears what was recorded and serves on a free loopback port in a thread (shutdown() it)."""
        with cls.lock:
            cls.received = []
        server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), cls)
        threading.Thread(target=server.serve_forever, daemon=True).start()
        return server


class TempDirTest(unittest.TestCase):
    def setUp(self):
        self.tmp = tempfile.mkdtemp(prefix="yq-it-")
        self.data = os.path.join(self.tmp, "data")

    def tearDown(self):
        shutil.rmtree(self.tmp, ignore_errors=True)

    def write(self, name, content, mode="w"):
        p = os.path.join(self.tmp, name)
        with open(p, mode, **({} if "b" in mode else {"encoding": "utf-8"})) as f:
            f.write(content)
        return p


# A crisis drill shared by the incident integration tests: a level-II plan with the four tasks the
# response issue names, and a holding statement that passes the statement checker.
DRILL_HOLDING_STATEMENT = ("【情况说明】6月3日8时许，东湖区部分小区居民反映自来水发黄、有异味。我公司已派出抢修人员赶赴现场，"
                           "并会同市疾控中心取样检测。给大家带来的不便，我们深表歉意。今天14时前将通报检测结果和处置进展。")
DRILL_PLAN = """plans:
  - id: drill-major
    title: {zh: 演练预案（II级）, en: "Drill plan (level II)"}
    types: [general]
    levels: [I, II, III, IV]
    approvers: [commander]
    basis: 演练用：1小时内组建小组并首次回应，5小时内发布权威信息。
    tasks:
      - {key: team, title: {zh: 组建处置小组, en: Form the team}, role: commander, due: 1h, kind: team}
      - {key: holding_statement, title: {zh: 首次回应, en: Holding statement}, role: spokesperson, due: 1h, kind: holding_statement}
      - {key: authoritative_statement, title: {zh: 权威信息, en: Authoritative statement}, role: spokesperson, due: 5h, kind: authoritative_statement}
      - {key: review, title: {zh: 复盘, en: Review}, role: commander, due: 7d, kind: review}
"""
