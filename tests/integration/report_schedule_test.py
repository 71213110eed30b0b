#!/usr/bin/env python3
"""Scheduled reports (issue 17): `yuqing report schedule add --kind daily --at 08:00 --to 宣传科`.

- the CLI: bad --kind/--at/--to exit 2 naming the option; list and remove; `report schedule run`
  sends nothing before 08:00, the day's brief (yesterday's figures, equal to `report daily`) at
  08:00, and nothing more when run again (idempotency key = kind + period + department);
- an e-mail contact gets the report itself attached (PDF with Chromium), through a loopback SMTP sink;
- `yuqing serve` sends a due brief on its own to the department's webhook, once: killed with -9 and
  restarted on the same store, nothing is sent twice.
"""
import email, email.policy, json, os, shutil, signal, socketserver, subprocess, sys, threading, unittest
from datetime import datetime, timedelta, timezone

sys.path.insert(0, os.path.dirname(__file__))
import yqtest  # noqa: E402

CST = timezone(timedelta(hours=8))
Hook = yqtest.RecordingHook


class SmtpSink(socketserver.StreamRequestHandler):
    """A loopback SMTP server that keeps each message (bytes) in SmtpSink.messages."""
    messages = []

    def say(self, line):
        self.wfile.write(line.encode() + b"\r\n")

    def handle(self):
        self.say("220 sink")
        while True:
            line = self.rfile.readline()
            if not line:
                return
            cmd = line.decode(errors="replace").strip().upper()
            if cmd.startswith(("EHLO", "HELO")):
                self.say("250 sink")
            elif cmd.startswith(("MAIL", "RCPT", "RSET", "NOOP")):
                self.say("250 ok")
            elif cmd == "DATA":
                self.say("354 go on")
                msg = b""
                while not msg.endswith(b"\r\n.\r\n"):
                    chunk = self.rfile.readline()
                    if not chunk:
                        return
                    msg += chunk
                SmtpSink.messages.append(msg[:-5])
                self.say("250 queued")
            elif cmd == "QUIT":
                self.say("221 bye")
                return
            else:
                self.say("502 no")


class ScheduleTest(yqtest.TempDirTest):
    def setUp(self):
        super().setUp()
        self.data = os.path.join(self.tmp, "data")
        self.hook = Hook.serve()
        self.env = {k: v for k, v in os.environ.items() if k != "YUQING_NOW"}

    def tearDown(self):
        self.hook.shutdown()
        self.hook.server_close()
        super().tearDown()

    def y(self, *args, check=0, now=None):
        env = dict(self.env, YUQING_NOW=now) if now else self.env
        r = subprocess.run([yqtest.YUQING, "--data", self.data, *args], capture_output=True, text=True, env=env, timeout=300)
        if check is not None and r.returncode != check:
            raise AssertionError(f"yuqing {' '.join(args)} exited {r.returncode}, want {check}\n{r.stdout[-2000:]}\n{r.stderr[-2000:]}")
        if "--json" in args and r.returncode == 0:
            return json.loads(r.stdout.strip().splitlines()[-1])
        return r

    def setup_store(self, day):
        posts = os.path.join(self.tmp, "p.jsonl")
        with open(posts, "w", encoding="utf-8") as f:
            for i in range(24):
                t = datetime.fromisoformat(day).replace(tzinfo=CST) + timedelta(hours=i)
                f.write(json.dumps({"id": f"p{i}", "source": "weibo", "text": f"东湖停水三天没人管（{i}）",
                                    "published_at": t.isoformat()}, ensure_ascii=False) + "\n")
        self.y("ingest", posts, "--json")
        self.y("departments", "add", "宣传科")
        self.y("contacts", "add", "--department", "宣传科", "--channel", "webhook", "--target",
               f"http://127.0.0.1:{self.hook.server_address[1]}/hook")

    def reports_in_outbox(self):
        return [e for e in self.y("outbox", "list", "--limit", "1000", "--json")["items"] if e["notice"] == "report"]

    def test_cli_sends_each_period_once(self):
        self.setup_store("2026-06-02")
        for args, opt in ((("--kind", "monthly"), "--kind"), (("--at", "8:00"), "--at"), (("--to", "没有"), "--to")):
            base = {"--kind": "daily", "--at": "08:00", "--to": "宣传科"}
            base[args[0]] = args[1]
            r = self.y("report", "schedule", "add", *sum(base.items(), ()), check=2)
            self.assertIn(opt, r.stderr)
        s = self.y("report", "schedule", "add", "--kind", "daily", "--at", "08:00", "--to", "宣传科", "--json",
                   now="2026-06-02T09:00:00+08:00")
        self.assertEqual((s["kind"], s["at"], s["to"]), ("daily", "08:00", "宣传科"))
        self.y("report", "schedule", "add", "--kind", "daily", "--at", "08:00", "--to", "宣传科", check=2)
        w = self.y("report", "schedule", "add", "--kind", "weekly", "--at", "09:30", "--to", "宣传科", "--json",
                   now="2026-06-02T09:00:00+08:00")
        self.assertEqual(len(self.y("report", "schedule", "list", "--json")["items"]), 2)
        self.y("report", "schedule", "remove", str(w["id"]), "--json")
        self.y("report", "schedule", "remove", str(w["id"]), check=2)

        # Created after 06-02 08:00: the 06-01 brief is not sent; the 06-02 one is, at 06-03 08:00.
        r = self.y("report", "schedule", "run", "--json", now="2026-06-03T07:59:00+08:00")
        self.assertEqual(r["enqueued"], 0)
        r = self.y("report", "schedule", "run", "--public-url", "http://yq.example:8080/", "--json",
                   now="2026-06-03T08:00:00+08:00")
        self.assertEqual(r["enqueued"], 1)
        for t in ("2026-06-03T08:00:30+08:00", "2026-06-03T20:00:00+08:00"):
            self.assertEqual(self.y("report", "schedule", "run", "--json", now=t)["enqueued"], 0)
        sent = self.reports_in_outbox()
        self.assertEqual(len(sent), 1)
        self.assertIn("report-daily-2026-06-02-宣传科", sent[0]["idempotency_key"])
        self.assertEqual(sent[0]["title"], "舆情日报 2026-06-02")
        out = os.path.join(self.tmp, "d.json")
        self.y("report", "daily", "--date", "2026-06-02", "--format", "json", "--out", out)
        with open(out, encoding="utf-8") as f:
            posts = json.load(f)["posts"]
        self.y("notify", "run", "--once", "--json")
        yqtest.wait_until(lambda: Hook.received, what="the brief delivered")
        text = Hook.received[0]["body"]["text"]
        self.assertIn(f"信息 {posts} 条", text)
        self.assertIn("http://yq.example:8080/api/v1/reports/daily?date=2026-06-02&format=pdf", text)
        # The next day's brief is a new period.
        self.assertEqual(self.y("report", "schedule", "run", "--json", now="2026-06-04T08:00:00+08:00")["enqueued"], 1)

    def test_email_gets_the_report_attached(self):
        SmtpSink.messages = []
        smtp = socketserver.ThreadingTCPServer(("127.0.0.1", 0), SmtpSink)
        smtp.daemon_threads = True
        threading.Thread(target=smtp.serve_forever, daemon=True).start()
        self.addCleanup(smtp.server_close)
        self.addCleanup(smtp.shutdown)
        self.setup_store("2026-06-02")
        self.y("notify", "smtp", "--url", f"smtp://127.0.0.1:{smtp.server_address[1]}", "--from", "yuqing@example.org")
        self.y("contacts", "add", "--department", "宣传科", "--channel", "email", "--target", "leader@example.org")
        self.y("report", "schedule", "add", "--kind", "daily", "--at", "08:00", "--to", "宣传科", "--json",
               now="2026-06-02T09:00:00+08:00")
        r = self.y("report", "schedule", "run", "--json", now="2026-06-03T08:00:00+08:00")
        self.assertEqual(r["enqueued"], 2)  # the webhook and the mailbox
        self.assertEqual(self.y("report", "schedule", "run", "--json", now="2026-06-03T08:01:00+08:00")["enqueued"], 0)
        self.y("notify", "run", "--once", "--json")
        yqtest.wait_until(lambda: SmtpSink.messages, what="the mail")
        msg = email.message_from_bytes(SmtpSink.messages[0].replace(b"\r\n..", b"\r\n."), policy=email.policy.default)
        self.assertIn("舆情日报 2026-06-02", msg["Subject"])
        parts = [p for p in msg.iter_attachments()]
        self.assertEqual(len(parts), 1)
        body = parts[0].get_content()
        if shutil.which("chromium"):
            self.assertEqual(parts[0].get_content_type(), "application/pdf")
            self.assertTrue(body.startswith(b"%PDF-"))
            self.assertEqual(parts[0].get_filename(), "舆情日报-2026-06-02-宣传科.pdf")
        else:
            self.assertEqual(parts[0].get_content_type(), "text/html")
        self.assertEqual(len(SmtpSink.messages), 1)

    def test_serve_sends_once_across_restarts(self):
        yesterday = (datetime.now(CST) - timedelta(days=1)).date().isoformat()
        self.setup_store(yesterday)
        # Made long ago, so today's 00:00 delivery of yesterday's brief is due as serve starts.
        self.y("report", "schedule", "add", "--kind", "daily", "--at", "00:00", "--to", "宣传科", "--json",
               now="2026-01-01T00:00:00+08:00")
        port = yqtest.free_port()
        log = open(os.path.join(self.tmp, "serve.log"), "w")
        self.addCleanup(log.close)
        cmd = [yqtest.YUQING, "--data", self.data, "serve", "--listen", f"127.0.0.1:{port}"]
        p = subprocess.Popen(cmd, stdout=log, stderr=subprocess.STDOUT, env=self.env)
        try:
            yqtest.wait_until(lambda: Hook.received, timeout=60, what="serve to send the brief")
        finally:
            p.send_signal(signal.SIGKILL)
            p.wait()
        self.assertEqual(Hook.received[0]["body"]["title"], f"舆情日报 {yesterday}")
        p = subprocess.Popen(cmd, stdout=log, stderr=subprocess.STDOUT, env=self.env)
        try:
            yqtest.wait_until(lambda: os.path.exists(os.path.join(self.data, "yuqing.db")) and
                              self.y("report", "schedule", "run", "--json")["due"] == 1, what="the store after restart")
            self.assertEqual(self.y("report", "schedule", "run", "--json")["enqueued"], 0)
        finally:
            p.send_signal(signal.SIGTERM)
            p.wait(timeout=60)
        self.assertEqual(len(self.reports_in_outbox()), 1)
        self.assertEqual(len([m for m in Hook.received if m["body"].get("kind") == "report"]), 1)


if __name__ == "__main__":
    unittest.main(argv=yqtest.parse_args())
