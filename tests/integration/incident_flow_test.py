#!/usr/bin/env python3
"""Crisis response end to end (issue 9), on the demo crisis stream (scripts/gen_demo.py) replayed
on its own clock. The incident commands run on the stream's time through YUQING_NOW, so every
deadline and figure below is exact:

  replay → the first alert → `incidents open --alert` (detected_at = the alert's time, its event,
  scheme, evidence posts and department linked) → ack → respond → team task done on time →
  the holding statement's deadline missed on purpose: the sweep notifies (stage 1) and escalates
  (stage 2) through the outbox to a loopback webhook (order-0 and order-1 contacts) → holding
  statement published late → authoritative statement (the demo's) published on time with two dated
  promises → one promise kept on time, one let go overdue: the sweep raises an alert, linked to
  the incident and delivered → a rumour clarification finds the posts spreading the claim →
  close → every figure of `incidents eval` checked, and the timeline's volume curve.
"""
import json, os, subprocess, sys, unittest
from datetime import datetime, timedelta, timezone

sys.path.insert(0, os.path.dirname(__file__))
import yqtest  # noqa: E402

ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", ".."))
CST = timezone(timedelta(hours=8))
HOLDING, PLAN = yqtest.DRILL_HOLDING_STATEMENT, yqtest.DRILL_PLAN


def t(s):
    return datetime.fromisoformat(s)


def minutes(a, b):
    return (t(b) - t(a)).total_seconds() / 60


Hook = yqtest.RecordingHook


class IncidentFlowTest(yqtest.TempDirTest):
    def setUp(self):
        super().setUp()
        self.server = Hook.serve()
        self.port = self.server.server_address[1]

    def tearDown(self):
        self.server.shutdown()
        self.server.server_close()
        super().tearDown()

    def y(self, now, *args, check=0):
        """Runs yuqing with the incident clock at `now` (stream time); returns parsed JSON when --json."""
        env = dict(os.environ, YUQING_NOW=now, YUQING_USER="王强")
        r = subprocess.run([yqtest.YUQING, "--data", self.data, *args], capture_output=True, text=True, env=env,
                           timeout=120)
        if r.returncode != check:
            raise AssertionError(f"yuqing {' '.join(args)} exited {r.returncode}\n{r.stdout[-2000:]}\n{r.stderr[-2000:]}")
        return json.loads(r.stdout.strip().splitlines()[-1]) if "--json" in args else r.stdout

    def deliver(self):
        yqtest.run(self.data, "notify", "run", "--once", "--json", check=0)

    def kinds(self, path=None):
        with Hook.lock:
            return [m["body"].get("kind") for m in Hook.received if path is None or m["path"] == path]

    def test_crisis_from_alert_to_evaluation(self):
        stream = os.path.join(self.tmp, "demo.jsonl")
        subprocess.run([sys.executable, os.path.join(ROOT, "scripts", "gen_demo.py"), stream], check=True,
                       capture_output=True)
        with open(stream, encoding="utf-8") as f:
            posts = [json.loads(line) for line in f]
        yqtest.run(self.data, "topics", "import", os.path.join(ROOT, "scripts", "demo", "schemes.yaml"), check=0)
        yqtest.run(self.data, "replay", stream, "--speed", "max", check=0)
        # Contacts are added after the replay, so the webhook sees only what the response sends.
        yqtest.run(self.data, "departments", "add", "新闻中心", check=0)
        for order, path in ((0, "/primary"), (1, "/escalation")):
            yqtest.run(self.data, "contacts", "add", "--department", "新闻中心", "--channel", "webhook",
                       "--target", f"http://127.0.0.1:{self.port}{path}", "--escalation-order", str(order), check=0)
        plan = self.write("plan.yaml", PLAN)
        self.y("2026-06-03T00:00:00+08:00", "plans", "import", plan)

        _, alerts = yqtest.run_json(self.data, "alerts", "list", "--json")
        first = min(alerts["items"], key=lambda a: a["id"])
        D = first["created_at"]
        d = t(D)
        at = lambda **kw: (d + timedelta(**kw)).isoformat()

        # Open from the alert: detection time, links and department come from it.
        inc = self.y(at(minutes=10), "incidents", "open", "--alert", str(first["id"]), "--type", "general",
                     "--team", "commander=王强", "--team", "spokesperson=李明", "--json")
        iid = str(inc["id"])
        self.assertEqual(inc["detected_at"], D)
        self.assertEqual(inc["alert_id"], str(first["id"]))
        self.assertEqual(inc["level"], first["level"])
        self.assertEqual(inc["plan"], "drill-major")
        kinds = {l["kind"] for l in inc["links"]}
        self.assertTrue({"alert", "scheme", "post", "department"} <= kinds, inc["links"])
        # Events come from the analysis stage; without it the incident's posts are its scheme's.
        has_events = "event" in kinds
        evidence = {e["id"] for e in first["evidence"]}
        self.assertEqual(evidence, {l["ref"] for l in inc["links"] if l["kind"] == "post"})
        tasks = {x["key"]: x for x in inc["tasks"]}
        self.assertEqual(tasks["holding_statement"]["due_at"], at(hours=1))
        self.assertEqual(tasks["holding_statement"]["owner"], "李明")
        self.deliver()
        yqtest.wait_until(lambda: "incident_opened" in self.kinds("/primary"), what="incident_opened notice")

        self.y(at(minutes=12), "incidents", "ack", iid)
        self.y(at(minutes=15), "incidents", "respond", iid)
        self.y(at(minutes=20), "tasks", "done", str(tasks["team"]["id"]), "--note", "小组已组建")

        # The holding statement's deadline (D+1h) passes: stage 1 at once, stage 2 after 30 minutes.
        rep = self.y(at(minutes=95), "incidents", "sweep", "--json")
        self.assertEqual((rep["tasks_notified"], rep["tasks_escalated"]), (1, 1), rep)
        self.assertEqual(rep["hook_errors"], [])
        again = self.y(at(minutes=95), "incidents", "sweep", "--json")
        self.assertEqual((again["tasks_notified"], again["tasks_escalated"]), (0, 0))
        self.deliver()
        yqtest.wait_until(lambda: "task_escalated" in self.kinds("/escalation"), what="escalation delivered")
        self.assertIn("task_overdue", self.kinds("/primary"))
        self.assertNotIn("task_overdue", self.kinds("/escalation"))  # stage 1 reaches order 0 only
        keys = [m["body"]["idempotency_key"] for m in Hook.received]
        hs = tasks["holding_statement"]["id"]
        self.assertTrue(any(f"inc{iid}-task_escalated-{hs}-2" in k for k in keys), keys)
        overdue = self.y(at(minutes=95), "tasks", "list", "--incident", iid, "--overdue", "--json")
        self.assertEqual([x["key"] for x in overdue["tasks"]], ["holding_statement"])

        # The holding statement, late (D+100 min).
        hold = self.write("hold.txt", HOLDING)
        s1 = self.y(at(minutes=98), "statement", "add", "--incident", iid, "--kind", "holding", hold, "--json")
        self.assertTrue(s1["check_ok"], s1)
        self.y(at(minutes=99), "statement", "approve", str(s1["id"]), "--by", "王强", "--json")
        p1 = self.y(at(minutes=100), "statement", "publish", str(s1["id"]), "--channel", "weibo",
                    "--at", at(minutes=100), "--json")
        self.assertEqual(len(p1["commitments"]), 1)
        # The authoritative statement of the demo, on time (13:30, D+5h is later).
        sys.path.insert(0, os.path.join(ROOT, "scripts"))
        import gen_demo
        pub = gen_demo.STATEMENT.isoformat()
        auth = self.write("auth.txt", gen_demo.STATEMENT_TEXT)
        s2 = self.y(pub, "statement", "add", "--incident", iid, "--kind", "authoritative", auth, "--json")
        self.y(pub, "statement", "approve", str(s2["id"]), "--by", "王强", "--json")
        p2 = self.y(pub, "statement", "publish", str(s2["id"]), "--channel", "website", "--url",
                    "https://example.cn/notice/1", "--at", pub, "--json")
        dues = sorted(c["due"] for c in p2["commitments"])
        self.assertEqual(dues, ["2026-06-04T12:00:00+08:00", "2026-06-05T18:00:00+08:00"])
        comm = {c["due"]: c for c in self.y(pub, "commitments", "list", "--incident", iid, "--json")["commitments"]}
        self.y(pub, "commitments", "kept", str(comm["2026-06-03T14:00:00+08:00"]["id"]), "--evidence",
               "https://example.cn/notice/1", "--json")

        # The 6/4 12:00 promise goes overdue: an alert is raised, linked and delivered.
        rep = self.y("2026-06-04T12:30:00+08:00", "incidents", "sweep", "--json")
        self.assertEqual(rep["commitments_overdue"], 1, rep)
        self.assertEqual(rep["hook_errors"], [])
        _, alerts2 = yqtest.run_json(self.data, "alerts", "list", "--json")
        raised = [a for a in alerts2["items"] if a["rule"] == "commitment_overdue"]
        self.assertEqual(len(raised), 1, alerts2)
        self.assertIn("6月4日12时前公布全部检测数据", raised[0]["message"])
        self.assertEqual(self.y("2026-06-04T12:31:00+08:00", "incidents", "sweep", "--json")["commitments_overdue"], 0)
        self.deliver()
        yqtest.wait_until(lambda: "raised" in self.kinds("/primary"), what="commitment alert delivered")
        shown = self.y("2026-06-04T12:31:00+08:00", "incidents", "show", iid, "--json")
        self.assertIn(str(raised[0]["id"]), [l["ref"] for l in shown["links"] if l["kind"] == "alert"])

        # The other promise is kept on time; a rumour clarification is recorded.
        self.y("2026-06-05T17:00:00+08:00", "commitments", "kept", str(comm["2026-06-05T18:00:00+08:00"]["id"]),
               "--evidence", "https://example.cn/visits", "--json")
        rumour = gen_demo.RUMOURS[0][1]
        spread = [p for p in posts if p["text"] == rumour]
        cl = self.y("2026-06-05T17:10:00+08:00", "clarify", "add", "--incident", iid, "--claim", rumour,
                    "--evidence", "市疾控中心检测：各项指标符合国家标准，无人死亡", "--statement", str(s2["id"]), "--json")
        found = cl["posts"]["total"]
        self.assertGreaterEqual(found, len(spread), cl)
        self.assertEqual(cl["tracking"]["published_at"], pub)

        self.y("2026-06-05T18:30:00+08:00", "incidents", "monitor", iid)
        closed = self.y("2026-06-05T19:00:00+08:00", "incidents", "close", iid, "--json")
        C = closed["closed_at"]

        # Every figure of the evaluation.
        ev = self.y("2026-06-05T19:00:00+08:00", "incidents", "eval", iid, "--json")
        m = ev["minutes"]
        first_post = ev["detection"]["first_post_at"]
        self.assertEqual(ev["detection"]["first_alert_at"], D)
        self.assertLessEqual(t(first_post), d)
        if has_events:  # the event's episode starts with the crisis (or a mention just before it)
            texts = {x[1] for x in gen_demo.CRISIS_POSTS}
            crisis = min(p["published_at"] for p in posts if p["text"] in texts and p["published_at"] >= gen_demo.CRISIS.isoformat())
            self.assertLessEqual(t(first_post), t(crisis))
            self.assertGreaterEqual(t(first_post), gen_demo.CRISIS - timedelta(hours=2))
        self.assertAlmostEqual(m["to_detect"], minutes(first_post, D), places=3)
        self.assertAlmostEqual(m["to_acknowledge"], 12, places=3)
        self.assertAlmostEqual(m["to_first_statement"], 100, places=3)
        self.assertAlmostEqual(m["to_authoritative_statement"], minutes(D, pub), places=3)
        self.assertAlmostEqual(m["to_close"], minutes(D, C), places=3)
        tk = ev["tasks"]
        self.assertEqual((tk["total"], tk["met"], tk["missed"], tk["open"], tk["cancelled"]), (4, 2, 1, 1, 0), tk)
        self.assertAlmostEqual(tk["met_share"], 2 / 3)
        missed = [x for x in tk["list"] if x["met"] is False]
        self.assertEqual([(x["key"], x["escalation_stage"]) for x in missed], [("holding_statement", 2)])
        cm = ev["commitments"]
        self.assertEqual((cm["total"], cm["kept"], cm["kept_on_time"], cm["overdue"], cm["pending"]), (3, 2, 2, 1, 0))
        self.assertEqual(ev["statements"], {"drafts": 2, "published": 2, "published_with_check_errors": 0})
        around = ev["volume_around_statements"]
        self.assertEqual([a["statement_id"] for a in around], [s1["id"], s2["id"]])
        for a in around:
            self.assertTrue(a["complete"])
            self.assertEqual(a["window_minutes"], 360)
            pts = a["curve"]["points"]
            ts = t(a["published_at"])
            before = sum(p["volume"] for p in pts if t(p["at"]) < ts)
            after = sum(p["volume"] for p in pts if t(p["at"]) >= ts)
            self.assertEqual((before, after), (a["before"]["volume"], a["after"]["volume"]))
            for side in ("before", "after"):
                w = a[side]
                if w["volume"]:
                    self.assertAlmostEqual(w["negative_share"], w["negative"] / w["volume"])
                self.assertTrue(0 <= w["heat"] <= 100)
        # The demo crisis fades after the authoritative statement: less volume and heat after it.
        self.assertLess(around[1]["after"]["volume"], around[1]["before"]["volume"])
        self.assertLess(around[1]["change"]["heat"], 0)
        fb = ev["public_feedback"]
        self.assertGreater(fb["hotline"], 0)
        if has_events:
            self.assertGreater(fb["complaints"], 0)
        self.assertEqual(fb["public_replies_logged"], 0)

        # The timeline: ordered, with the volume curve, the alerts and the clarification.
        tl = self.y("2026-06-05T19:00:00+08:00", "incidents", "timeline", iid, "--json")
        ats = [e["at_ms"] for e in tl["entries"]]
        self.assertEqual(ats, sorted(ats))
        kinds = {e["kind"] for e in tl["entries"]}
        self.assertTrue({"detected", "opened", "alert", "task_overdue", "statement", "commitment_overdue",
                         "clarification", "task_due", "commitment_due"} <= kinds, kinds)
        self.assertGreater(tl["posts"]["total"], 0)
        self.assertEqual(sum(p["volume"] for p in tl["posts"]["points"]), tl["posts"]["total"])

        # Across incidents.
        st = self.y("2026-06-05T19:00:00+08:00", "incidents", "stats", "--json")
        self.assertEqual(st["incidents"], 1)
        self.assertAlmostEqual(st["median_minutes"]["to_detect"], m["to_detect"])


if __name__ == "__main__":
    sys.argv = yqtest.parse_args()
    unittest.main()
