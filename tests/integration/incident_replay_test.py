#!/usr/bin/env python3
"""Crisis response on the replay clock (issue 9, its two last gaps), without YUQING_NOW:

1. `yuqing replay` sweeps incident deadlines on the stream clock: an incident is opened (detected
   inside the stream), the stream is replayed on past its holding-statement deadline and then past
   its authoritative-statement deadline and a published promise; the overdue notices and
   escalations are in the outbox *with the deadlines' stream times*, the overdue promise raised an
   alert at its due time, the webhook receives them, and replaying the same stream again adds
   nothing.
2. A clarification (辟谣) saves its generated query as a monitoring scheme owned by the incident's
   department; posts replayed afterwards are tagged with it by the pipeline's matcher and counted
   in the claim's volume after the clarification's publication; a re-run does not duplicate it;
   a query that does not compile fails naming the column and writes nothing; the same through the
   REST API (201/200/400, scheme_id) of `yuqing serve`.
"""
import http.client, json, os, sqlite3, subprocess, sys, unittest
from datetime import datetime, timedelta, timezone

sys.path.insert(0, os.path.dirname(__file__))
import yqtest  # noqa: E402

CST = timezone(timedelta(hours=8))
DAY = datetime(2026, 6, 3, tzinfo=CST)
CLAIM = "东湖自来水公司的水里有毒，已经死人了"
HOLDING, PLAN = yqtest.DRILL_HOLDING_STATEMENT, yqtest.DRILL_PLAN


def at(h, m=0):
    return (DAY + timedelta(hours=h, minutes=m)).isoformat()


Hook = yqtest.RecordingHook


class ReplayClockTest(yqtest.TempDirTest):
    def setUp(self):
        super().setUp()
        # The test must not lean on the drill variable: the replay's own clock is the point.
        self.env = {k: v for k, v in os.environ.items() if k != "YUQING_NOW"}
        self.env["YUQING_USER"] = "王强"
        self.server = Hook.serve()
        self.port = self.server.server_address[1]

    def tearDown(self):
        self.server.shutdown()
        self.server.server_close()
        super().tearDown()

    def y(self, *args, check=0):
        r = subprocess.run([yqtest.YUQING, "--lang", "en", "--data", self.data, *args], capture_output=True, text=True,
                           env=self.env, timeout=300)
        if check is not None and r.returncode != check:
            raise AssertionError(f"yuqing {' '.join(args)} exited {r.returncode}, want {check}\n"
                                 f"{r.stdout[-2000:]}\n{r.stderr[-2000:]}")
        if "--json" in args and r.returncode == 0:
            return json.loads(r.stdout.strip().splitlines()[-1])
        return r

    def stream(self, name, start, end, every_min, text):
        """Posts from `start` to `end` (hours after midnight) every `every_min` minutes."""
        path = os.path.join(self.tmp, name)
        with open(path, "w", encoding="utf-8") as f:
            t = DAY + timedelta(hours=start)
            i = 0
            while t <= DAY + timedelta(hours=end):
                f.write(json.dumps({"id": f"{name}-{i}", "source": "weibo", "text": text(i),
                                    "published_at": t.isoformat(), "author": {"name": f"网友{i % 7}"}},
                                   ensure_ascii=False) + "\n")
                t += timedelta(minutes=every_min)
                i += 1
        return path

    def outbox(self):
        return self.y("outbox", "list", "--limit", "1000", "--json")["items"]

    def notices(self, kind):
        return sorted((e["created_at"], e["target"].rsplit("/", 1)[-1]) for e in self.outbox()
                      if f"-{kind}-" in e["idempotency_key"])

    def setup_team(self):
        self.y("departments", "add", "新闻中心")
        for order, path in ((0, "primary"), (1, "escalation")):
            self.y("contacts", "add", "--department", "新闻中心", "--channel", "webhook", "--target",
                   f"http://127.0.0.1:{self.port}/{path}", "--escalation-order", str(order))
        self.y("plans", "import", self.write("plan.yaml", PLAN))

    def test_replay_sweeps_deadlines_on_the_stream_clock(self):
        self.setup_team()
        calm = lambda i: f"东湖区今天停水，居民等待恢复供水（第{i}条）"
        part1 = self.stream("p1.jsonl", 8, 8.5, 5, calm)
        rep = self.y("replay", part1, "--json")
        self.assertEqual(rep["stored"], 7)
        self.assertEqual(rep["incident_sweeps"]["sweeps"], 0)  # no incident yet

        # Detected at 08:30 on the stream: the team and the holding statement are due at 09:30,
        # the authoritative statement at 13:30.
        inc = self.y("incidents", "open", "--title", "东湖停水", "--level", "II", "--type", "general",
                     "--department", "新闻中心", "--detected-at", at(8, 30), "--team", "commander=王强",
                     "--team", "spokesperson=李明", "--json")
        iid = str(inc["id"])
        tasks = {x["key"]: x for x in inc["tasks"]}
        self.assertEqual(tasks["holding_statement"]["due_at"], at(9, 30))
        self.assertEqual(tasks["authoritative_statement"]["due_at"], at(13, 30))
        self.y("tasks", "done", str(tasks["team"]["id"]), "--note", "小组已组建")

        # Part 2 runs to 10:10: the holding statement is overdue at 09:30 (order 0) and escalated
        # 30 minutes later, at 10:00 (orders 0 and 1) -- while the stream runs, at those times.
        part2 = self.stream("p2.jsonl", 8.5 + 5 / 60, 10 + 10 / 60, 5, calm)
        rep = self.y("replay", part2, "--json")
        sweeps = rep["incident_sweeps"]
        self.assertEqual((sweeps["tasks_notified"], sweeps["tasks_escalated"]), (1, 1), rep)
        self.assertEqual((sweeps["hook_errors"], sweeps["errors"]), (0, 0), rep)
        self.assertEqual(self.notices("task_overdue"), [(at(9, 30), "primary")])
        self.assertEqual(self.notices("task_escalated"), [(at(10), "escalation"), (at(10), "primary")])
        listed = {x["key"]: x for x in self.y("tasks", "list", "--incident", iid, "--json")["tasks"]}
        self.assertEqual(listed["holding_statement"]["escalation_stage"], 2)
        self.assertEqual(listed["authoritative_statement"]["escalation_stage"], 0)
        timeline = self.y("incidents", "timeline", iid, "--json")
        overdue_at = sorted(e["at"] for e in timeline["entries"] if e["kind"] == "task_overdue")
        self.assertEqual(overdue_at, [at(9, 30), at(10)], timeline["entries"])

        # The holding statement goes out late, at 10:15, promising results by 14:00.
        hold = self.y("statement", "add", "--incident", iid, "--kind", "holding", self.write("h.txt", HOLDING),
                      "--json")
        self.y("statement", "approve", str(hold["id"]), "--by", "王强", "--json")
        pub = self.y("statement", "publish", str(hold["id"]), "--channel", "weibo", "--at", at(10, 15), "--json")
        self.assertEqual([c["due"] for c in pub["commitments"]], [at(14)])

        # Part 3 runs to 14:30: the authoritative statement is overdue at 13:30 and escalated at
        # 14:00; the 14:00 promise is broken at 14:00 and raises an alert of that time.
        part3 = self.stream("p3.jsonl", 10 + 15 / 60, 14.5, 5, calm)
        rep = self.y("replay", part3, "--json")
        sweeps = rep["incident_sweeps"]
        self.assertEqual((sweeps["tasks_notified"], sweeps["tasks_escalated"], sweeps["commitments_overdue"]),
                         (1, 1, 1), rep)
        self.assertEqual(self.notices("task_overdue"), [(at(9, 30), "primary"), (at(13, 30), "primary")])
        raised = [a for a in self.y("alerts", "list", "--json")["items"] if a["rule"] == "commitment_overdue"]
        self.assertEqual(len(raised), 1)
        self.assertEqual(raised[0]["created_at"], at(14))
        self.assertIn("今天14时前将通报检测结果", raised[0]["message"])

        # Replaying the same stream again stores nothing new and notifies nothing twice.
        before = len(self.outbox())
        rep = self.y("replay", part3, "--json")
        self.assertEqual(rep["stored"], 0)
        self.assertEqual(rep["incident_sweeps"]["sweeps"], 0)
        self.assertEqual(len(self.outbox()), before)

        # Delivered like any notice: the escalations reach order 1, the overdue notices order 0 only.
        self.y("notify", "run", "--once", "--json")
        yqtest.wait_until(lambda: any(m["path"] == "/escalation" for m in Hook.received), what="escalation delivered")
        with Hook.lock:
            kinds = {(m["path"], m["body"].get("kind")) for m in Hook.received}
        self.assertIn(("/escalation", "task_escalated"), kinds)
        self.assertIn(("/primary", "task_overdue"), kinds)
        self.assertNotIn(("/escalation", "task_overdue"), kinds)

    def test_clarification_scheme_tags_new_posts(self):
        self.setup_team()
        rumour = lambda i: (f"听说{CLAIM}（转{i}）" if i % 3 == 0 else f"东湖区今天停水，居民等待恢复供水（第{i}条）")
        part1 = self.stream("r1.jsonl", 8, 9, 5, rumour)
        self.y("replay", part1, "--json")
        inc = self.y("incidents", "open", "--title", "东湖水质谣言", "--level", "III", "--department", "新闻中心",
                     "--detected-at", at(9), "--json")
        iid = str(inc["id"])

        # A query that does not compile: the column is named, nothing is written.
        bad = self.y("clarify", "add", "--incident", iid, "--claim", CLAIM, "--query", "(有毒 OR 死人", check=2)
        self.assertIn("column", bad.stderr)
        self.assertEqual(self.y("clarify", "list", "--incident", iid, "--json")["clarifications"], [])
        self.assertEqual(self.schemes(), [])

        cl = self.y("clarify", "add", "--incident", iid, "--claim", CLAIM, "--evidence", "市疾控中心检测合格", "--json")
        self.assertTrue(cl["created"])
        sid = cl["scheme_id"]
        self.assertIsInstance(sid, int)
        scheme = next(s for s in self.schemes() if s["id"] == sid)
        self.assertEqual(scheme["name"], "辟谣：" + CLAIM)
        self.assertEqual(scheme["query"], cl["query"])
        self.assertEqual(scheme["departments"], ["新闻中心"])
        spread_before = len([i for i in range(13) if i % 3 == 0])
        self.assertEqual(cl["posts"]["total"], spread_before)  # the stored posts, matched once

        again = self.y("clarify", "add", "--incident", iid, "--claim", CLAIM, "--json")
        self.assertFalse(again["created"])
        self.assertEqual((again["id"], again["scheme_id"]), (cl["id"], sid))
        self.assertEqual(len(self.schemes()), 1)
        self.assertEqual(len(self.y("clarify", "list", "--incident", iid, "--json")["clarifications"]), 1)

        # The clarification is published at 09:30; the rumour goes on until 11:00 in other words
        # that still match the scheme, and the replay's pipeline tags those posts with it.
        st = self.y("statement", "add", "--incident", iid, "--kind", "clarification",
                    self.write("c.txt", "6月3日9时，市疾控中心对东湖片区自来水取样检测，各项指标符合国家标准。"
                                        "网传“水里有毒、已经死人”不实，目前无人因饮水就医。我们将于今天18时前公布完整检测报告。"),
                    "--json")
        self.y("statement", "approve", str(st["id"]), "--by", "王强", "--override", "演练", "--json")
        self.y("statement", "publish", str(st["id"]), "--channel", "weibo", "--at", at(9, 30), "--json")
        linked = self.y("clarify", "statement", str(cl["id"]), "--statement", str(st["id"]), "--json")
        self.assertEqual(linked["scheme_id"], sid)
        later = lambda i: (f"东湖的自来水真的有毒？说是死人了（{i}）" if i % 2 == 0 else f"东湖区恢复供水（{i}）")
        part2 = self.stream("r2.jsonl", 9 + 5 / 60, 11, 5, later)
        self.y("replay", part2, "--json")
        # The pipeline tagged every new rumour post with the scheme (post_store.h's post_schemes).
        spread_later = len([i for i in range(23) if i % 2 == 0])
        with sqlite3.connect(os.path.join(self.data, "yuqing.db")) as db:
            n = db.execute("SELECT count(*) FROM post_schemes WHERE scheme_id = ? AND published_at >= ?",
                           (sid, int((DAY + timedelta(hours=9, minutes=5)).timestamp() * 1000))).fetchone()[0]
        self.assertEqual(n, spread_later)
        shown = self.y("clarify", "show", str(cl["id"]), "--json")
        self.assertEqual(shown["scheme_id"], sid)
        self.assertEqual(shown["posts"]["total"], spread_before + spread_later)
        # Volume in the 6 hours either side of 09:30: part 1's rumours and part 2's before 09:30,
        # then part 2's from 09:30 (09:05 + 5 min * i).
        after = len([i for i in range(23) if i % 2 == 0 and 5 + 5 * i >= 30])
        self.assertEqual(shown["tracking"]["published_at"], at(9, 30))
        self.assertEqual(shown["tracking"]["before"], spread_before + spread_later - after, shown["tracking"])
        self.assertEqual(shown["tracking"]["after"], after, shown["tracking"])

    def schemes(self):
        r = self.y("topics", "export", "--format", "json")
        return json.loads(r.stdout)["schemes"]


class ClarificationApiTest(yqtest.TempDirTest):
    def request(self, method, path, body=None):
        conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=60)
        try:
            h = {"Authorization": "Bearer " + self.token}
            data = None
            if body is not None:
                data = json.dumps(body).encode()
                h["Content-Type"] = "application/json"
            conn.request(method, path, body=data, headers=h)
            r = conn.getresponse()
            payload = r.read()
            return r.status, (json.loads(payload) if payload else None)
        finally:
            conn.close()

    def test_rest_saves_the_scheme_once(self):
        yqtest.run(self.data, "departments", "add", "新闻中心", check=0)
        yqtest.run(self.data, "user", "add", "resp", "--role", "responder", "--department", "新闻中心",
                   "--password-stdin", stdin="pass-word-123\n", check=0)
        _, tok = yqtest.run_json(self.data, "user", "token", "resp", "--json", check=0)
        self.token = tok["token"]
        self.port = yqtest.free_port()
        log = open(os.path.join(self.tmp, "serve.log"), "w")
        proc = subprocess.Popen([yqtest.YUQING, "--data", self.data, "serve", "--listen", f"127.0.0.1:{self.port}"],
                                stdout=log, stderr=subprocess.STDOUT)
        try:
            def up():
                try:
                    return self.request("GET", "/healthz")[0] == 200
                except OSError:
                    return False
            yqtest.wait_until(up, timeout=60, what="yuqing serve")
            st, inc = self.request("POST", "/api/v1/incidents", {"title": "水质谣言", "level": "III",
                                                                 "departments": ["新闻中心"]})
            self.assertEqual(st, 201, inc)
            path = f"/api/v1/incidents/{inc['id']}/clarifications"
            st, err = self.request("POST", path, {"claim": CLAIM, "query": "有毒 NEAR/x 死人"})
            self.assertEqual(st, 400, err)
            self.assertIn("column", err["error"]["message"])
            st, items = self.request("GET", path)
            self.assertEqual(items["items"], [])
            st, cl = self.request("POST", path, {"claim": CLAIM})
            self.assertEqual(st, 201, cl)
            self.assertIsInstance(cl["scheme_id"], int)
            st, again = self.request("POST", path, {"claim": CLAIM})
            self.assertEqual(st, 200, again)
            self.assertEqual((again["id"], again["scheme_id"], again["created"]), (cl["id"], cl["scheme_id"], False))
            st, conflict = self.request("POST", path, {"claim": CLAIM, "query": "水质"})
            self.assertEqual(st, 409, conflict)
            st, schemes = self.request("GET", "/api/v1/schemes")
            self.assertEqual(st, 200, schemes)
            items = schemes.get("items", schemes.get("schemes", []))
            mine = [s for s in items if s["id"] == cl["scheme_id"]]
            self.assertEqual(len(mine), 1, items)
            self.assertEqual(mine[0]["name"], "辟谣：" + CLAIM)
            st, shown = self.request("GET", f"/api/v1/clarifications/{cl['id']}")
            self.assertEqual((st, shown["scheme_id"]), (200, cl["scheme_id"]))
            st, spec = self.request("GET", "/api/v1/openapi.json")
            op = spec["paths"]["/api/v1/incidents/{id}/clarifications"]["post"]
            self.assertIn("201", op["responses"])
            self.assertIn("query", op["requestBody"]["description"])
            self.assertIn("/api/v1/clarifications/{id}/statement", spec["paths"])
        finally:
            proc.terminate()
            try:
                proc.wait(timeout=30)
            except subprocess.TimeoutExpired:
                proc.kill()
                proc.wait()
            log.close()


if __name__ == "__main__":
    unittest.main(argv=yqtest.parse_args())
