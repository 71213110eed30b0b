#!/usr/bin/env python3
"""Drills (演练, issue 17) through the real binary: the shipped water-rumour scenario replayed at full
speed into a temp sandbox, an incident opened from its alert and worked through the CLI at chosen
drill times ($YUQING_NOW), and `drill score --json` checked number by number — a deadline met, a
deadline missed, an inject answered, one not answered. Also the guards: a production store, a
second run, a missing posts file, a malformed scenario, no --data; `drill record` turning the
sandbox's event back into a scenario; `report incident` as the drill's review.

    tests/integration/drill_cli_test.py [--yuqing build/yuqing] [unittest args]
"""
import json, os, shutil, sys, unittest
from datetime import datetime, timedelta, timezone

sys.path.insert(0, os.path.dirname(__file__))
import yqtest  # noqa: E402

ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", ".."))
WATER = os.path.join(ROOT, "examples", "drills", "water-rumor.yaml")
SCHOOL = os.path.join(ROOT, "examples", "drills", "school-canteen.yaml")
RAILWAY = os.path.join(ROOT, "examples", "drills", "railway-accident.yaml")
CST = timezone(timedelta(hours=8))
START = datetime(2026, 6, 3, 6, 0, tzinfo=CST)  # the drill's +0 (--start): every time below follows from it


def iso(t):
    return t.isoformat()


def at(text):
    return datetime.fromisoformat(text)


class DrillTest(yqtest.TempDirTest):
    def run_drill(self, scenario=WATER, data=None, *extra):
        data = data or self.data
        return yqtest.run_json(data, "drill", "run", scenario, "--speed", "0", "--start", iso(START), "--json", *extra)

    def step(self, when, *args, check=0):
        """Runs one CLI command at drill time `when`."""
        env = dict(os.environ, YUQING_NOW=iso(when))
        import subprocess
        r = subprocess.run([yqtest.YUQING, "--data", self.data, *args], capture_output=True, text=True, env=env, timeout=120)
        if check is not None and r.returncode != check:
            raise AssertionError(f"{args} exited {r.returncode}\n{r.stdout[-1500:]}\n{r.stderr[-1500:]}")
        return r

    def score(self, when):
        r = self.step(when, "drill", "score", "--json")
        return json.loads(r.stdout.strip().splitlines()[-1])

    def test_full_speed_drill_worked_through_the_cli_and_scored(self):
        code, run = self.run_drill()
        self.assertEqual(code, 0)
        self.assertEqual(run["name"], "water-rumor")
        self.assertEqual(run["status"], "replayed")
        self.assertEqual(run["start"], iso(START))
        self.assertGreaterEqual(run["stored"], 170)  # 7 posts + 160 burst + 3 injects
        self.assertGreater(run["alerts"], 0)
        self.assertLess(run["seconds"], 60)  # full speed: never paced
        # Every post lies inside the scenario's time, on the drill's clock.
        self.assertLessEqual(at(run["end"]), START + timedelta(hours=6))

        _, alerts = yqtest.run_json(self.data, "alerts", "list", "--json")
        alerts = alerts["items"]
        first = min(alerts, key=lambda a: a["created_at"])
        alert_at = at(first["created_at"])
        self.assertGreater(alert_at, START + timedelta(hours=2))  # the crisis starts at +2h

        # Open the incident 20 minutes after the alert, as the scenario asks (rumour, level II).
        opened = alert_at + timedelta(minutes=20)
        r = self.step(opened, "incidents", "open", "--alert", str(first["id"]), "--type", "rumor", "--level", "II",
                      "--title", "东湖自来水异味及谣言", "--team", "commander=王强", "--team", "spokesperson=李丽", "--json")
        inc = json.loads(r.stdout)
        self.assertEqual(inc["plan"], "rumor-major")
        tasks = {t["key"]: t for t in json.loads(self.step(opened, "tasks", "list", "--incident", str(inc["id"]),
                                                           "--json").stdout)["tasks"]}
        self.step(opened + timedelta(minutes=5), "tasks", "done", str(tasks["team"]["id"]))
        # The journalist (+2h40m) is called back within the hour; the gathering (+3h30m) never answered.
        self.step(START + timedelta(hours=3, minutes=10), "incidents", "comm", str(inc["id"]), "--kind", "media",
                  "--channel", "电话", "--with", "东湖日报记者", "--content", "告知正在联合疾控检测")
        # The holding statement is published 70 minutes after the alert: its 1 h deadline is missed.
        holding = self.write("holding.txt", yqtest.DRILL_HOLDING_STATEMENT)
        sid = json.loads(self.step(opened + timedelta(minutes=30), "statement", "add", holding, "--incident",
                                   str(inc["id"]), "--kind", "holding", "--json").stdout)["id"]
        self.step(opened + timedelta(minutes=35), "statement", "approve", str(sid), "--by", "王强")
        published = alert_at + timedelta(minutes=70)
        self.step(published, "statement", "publish", str(sid), "--channel", "weibo", "--at", iso(published))
        # The rumour (+2h45m) is clarified within its two hours.
        self.step(START + timedelta(hours=4), "clarify", "add", "--incident", str(inc["id"]), "--claim",
                  "东湖市自来水公司的水里有毒，已经死人了", "--evidence", "疾控检测未检出有毒物质，无人死亡",
                  "--statement", str(sid))

        # The statement promised results "今天14时前": kept on time.
        cms = json.loads(self.step(published, "commitments", "list", "--incident", str(inc["id"]), "--json").stdout)
        cms = cms["commitments"] if isinstance(cms, dict) else cms
        self.assertEqual(len(cms), 1, cms)
        self.step(published + timedelta(minutes=20), "commitments", "kept", str(cms[0]["id"]), "--evidence",
                  "https://example.org/water-results")

        now = alert_at + timedelta(hours=2)
        s = self.score(now)
        self.assertEqual(s["drill"]["scenario"], "water-rumor")
        self.assertEqual(s["drill"]["now"], iso(now))
        self.assertEqual(s["alerts"]["first_at"], first["created_at"])
        i = s["incident"]
        self.assertEqual(i["id"], inc["id"])
        self.assertTrue(i["opened_in_time"])
        self.assertAlmostEqual(i["minutes_to_open"], 20.0)
        self.assertTrue(i["type_ok"] and i["level_ok"] and i["plan_ok"])
        stages = {t["key"]: t for t in s["stages"]}
        self.assertIs(stages["team"]["met"], True)
        self.assertIs(stages["holding_statement"]["met"], False)  # the missed deadline
        self.assertAlmostEqual(stages["holding_statement"]["late_minutes"], 10.0)
        self.assertIs(stages["verify"]["met"], False)  # due at +1 h, never done
        self.assertIsNone(stages["authoritative_statement"]["met"])  # due at +5 h: still open
        self.assertEqual(s["statements"]["published"], 1)
        self.assertEqual(s["statements"]["passed_check"], 1)
        self.assertEqual(s["commitments"]["kept_on_time"], 1)
        self.assertEqual(s["commitments"]["overdue"], 0)
        injects = {j["key"]: j for j in s["injects"]}
        self.assertIs(injects["journalist"]["met"], True)
        self.assertIs(injects["rumor"]["met"], True)
        self.assertIs(injects["gathering"]["met"], False)
        self.assertIsNone(injects["gathering"]["answered_at"])
        self.assertTrue(any("首次回应" in m and "逾期 10 分钟" in m for m in s["missed"]), s["missed"])
        self.assertTrue(any("聚集" in m for m in s["missed"]), s["missed"])
        # The overall score is the weighted mean of the parts that could be judged.
        parts, weights = s["score"]["parts"], s["score"]["weights"]
        self.assertEqual(parts["opening"], 100.0)
        self.assertEqual(parts["deadlines"], round(100 * 1 / 3, 1))  # team met; verify, holding missed
        self.assertEqual(parts["injects"], round(100 * 2 / 3, 1))
        self.assertEqual(parts["statements"], 100.0)
        self.assertEqual(parts["commitments"], 100.0)
        judged = {k: v for k, v in parts.items() if v is not None}
        want = sum(weights[k] * v for k, v in judged.items()) / sum(weights[k] for k in judged)
        self.assertAlmostEqual(s["score"]["overall"], round(want, 1), delta=0.11)

        # The human-readable score, and the drill's review (复盘) from the same sandbox.
        text = self.step(now, "drill", "score").stdout
        self.assertIn("演练评分", text)
        self.assertIn("✗", text)
        out = os.path.join(self.tmp, "review.json")
        self.step(now, "report", "incident", "--incident", str(inc["id"]), "--format", "json", "--out", out)
        with open(out, encoding="utf-8") as f:
            review = json.load(f)
        self.assertTrue(review)

    def test_serve_on_a_sandbox_runs_on_the_drill_clock(self):
        import http.client, subprocess
        code, run = self.run_drill(SCHOOL)
        self.assertEqual(code, 0)
        yqtest.run(self.data, "user", "add", "resp", "--role", "responder", "--department", "区教育局新闻办",
                   "--password-stdin", stdin="pass-word-123\n", check=0)
        _, tok = yqtest.run_json(self.data, "user", "token", "resp", "--json", check=0)
        port = yqtest.free_port()
        log = open(os.path.join(self.tmp, "serve.log"), "w")
        proc = subprocess.Popen([yqtest.YUQING, "--data", self.data, "serve", "--listen", f"127.0.0.1:{port}"],
                                stdout=log, stderr=subprocess.STDOUT)

        def request(method, path, body=None):
            conn = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
            try:
                h = {"Authorization": "Bearer " + tok["token"], "Content-Type": "application/json"}
                conn.request(method, path, body=json.dumps(body).encode() if body is not None else None, headers=h)
                r = conn.getresponse()
                payload = r.read()
                return r.status, (json.loads(payload) if payload else None)
            finally:
                conn.close()

        def up():
            try:
                return request("GET", "/healthz")[0] == 200
            except OSError:
                return False
        try:
            yqtest.wait_until(up, timeout=60, what="yuqing serve")
            st, inc = request("POST", "/api/v1/incidents", {"title": "食堂事件", "level": "II", "type": "group_event",
                                                            "departments": ["区教育局新闻办"]})
            self.assertEqual(st, 201, inc)
            # Opened in drill time: just after the scenario's end (June 2026), not at the wall clock's date.
            opened = at(inc["opened_at"])
            self.assertGreaterEqual(opened, at(run["end"]))
            self.assertLess(opened, at(run["end"]) + timedelta(minutes=10))
            self.assertEqual(inc["plan"], "group-event-major")
            # The dashboard's 演练模式 band reads the drill from the API.
            st, d = request("GET", "/api/v1/drill")
            self.assertEqual(st, 200, d)
            self.assertEqual(d["drill"]["name"], "school-canteen")
            self.assertEqual(d["drill"]["start"], iso(START))
            self.assertNotIn("scenario", d["drill"])  # no server paths
            self.assertGreaterEqual(at(d["now"]), at(run["end"]))
        finally:
            proc.terminate()
            proc.wait(timeout=30)
            log.close()

    def test_a_production_store_is_refused(self):
        posts = self.write("p.jsonl", json.dumps({"id": "x1", "source": "weibo", "text": "生产库里的帖子",
                                                  "published_at": "2026-06-01T08:00:00+08:00"}, ensure_ascii=False) + "\n")
        yqtest.run(self.data, "ingest", posts, check=0)
        r = yqtest.run(self.data, "drill", "run", WATER, "--speed", "0")
        self.assertEqual(r.returncode, 2, r.stderr)
        self.assertIn("不是演练沙箱", r.stderr)
        self.assertFalse(os.path.exists(os.path.join(self.data, "drill.json")))
        r = yqtest.run(self.data, "drill", "run", WATER, "--speed", "0", "--lang", "en")
        self.assertEqual(r.returncode, 2)
        self.assertIn("no drill sandbox", r.stderr)

    def test_one_drill_per_sandbox_and_score_needs_one(self):
        r = yqtest.run(self.data, "drill", "score")
        self.assertEqual(r.returncode, 2)
        self.assertIn("不是演练沙箱", r.stderr)
        self.assertEqual(self.run_drill(SCHOOL)[0], 0)
        r = yqtest.run(self.data, "drill", "run", SCHOOL, "--speed", "0")
        self.assertEqual(r.returncode, 2)
        self.assertIn("已演练过场景 school-canteen", r.stderr)
        # Without an incident the drill scores 0 and says why.
        s = self.score(START + timedelta(hours=6))
        self.assertIsNone(s["incident"])
        self.assertEqual(s["score"]["overall"], 0.0)
        self.assertIn("没有开启危机事件", s["missed"])

    def test_bad_scenarios_and_usage(self):
        bad = self.write("bad.yaml", "name: bad\nposts:\n  - {at: +1m, text: 东湖}\n  - {at: soon, text: 东湖}\n")
        r = yqtest.run(self.data, "drill", "run", bad, "--speed", "0")
        self.assertEqual(r.returncode, 2)
        self.assertIn("第 4 行: posts[1].at", r.stderr)
        self.assertFalse(os.path.exists(os.path.join(self.data, "drill.json")))
        r = yqtest.run(self.data, "drill", "run", WATER, "--speed", "fast")
        self.assertEqual(r.returncode, 2)
        self.assertIn("--speed", r.stderr)
        # No --data: a drill never falls back to the default (production) data directory.
        import subprocess
        env = {k: v for k, v in os.environ.items() if k != "YUQING_DATA"}
        r = subprocess.run([yqtest.YUQING, "drill", "run", WATER, "--speed", "0"], capture_output=True, text=True,
                           env=env, cwd=self.tmp, timeout=60)
        self.assertEqual(r.returncode, 2)
        self.assertIn("--data", r.stderr)
        self.assertFalse(os.path.exists(os.path.join(self.tmp, "data")))

    def test_missing_posts_file_says_how_to_make_it(self):
        # The railway scenario without its generated CED file beside it.
        copy = os.path.join(self.tmp, "railway-accident.yaml")
        shutil.copy(RAILWAY, copy)
        r = yqtest.run(self.data, "drill", "run", copy, "--speed", "0")
        self.assertEqual(r.returncode, 2, r.stderr)
        self.assertIn("railway-accident.ced.jsonl", r.stderr)
        self.assertIn("scripts/drills/ced_railway.py", r.stderr)
        self.assertFalse(os.path.exists(os.path.join(self.data, "drill.json")))

    def test_railway_flood_from_real_ced_cascades(self):
        ced = os.path.join(yqtest.SHARED_DATA, "rumor", "ced_weibo_rumor_train.jsonl.gz")
        if not os.path.exists(ced):
            self.skipTest(f"CED data absent ({ced}): the railway drill's flood is built from it")
        import subprocess
        copy = os.path.join(self.tmp, "railway-accident.yaml")
        shutil.copy(RAILWAY, copy)
        gen = subprocess.run([sys.executable, os.path.join(ROOT, "scripts", "drills", "ced_railway.py"), "--ced", ced,
                              "--out", os.path.join(self.tmp, "railway-accident.ced.jsonl")],
                             capture_output=True, text=True, timeout=300)
        self.assertEqual(gen.returncode, 0, gen.stderr)
        code, run = self.run_drill(copy)
        self.assertEqual(code, 0)
        self.assertGreater(run["stored"], 3000)  # the CED repost trees, plus the accident's own posts
        self.assertGreater(run["alerts"], 0)
        # The accident's own storyline starts the drill; the CED flood follows at +20m.
        _, first = yqtest.run_json(self.data, "search", "清河站", "--json")
        self.assertGreater(len(first["hits"]), 0)

    def test_record_turns_an_event_into_a_scenario(self):
        self.assertEqual(self.run_drill()[0], 0)
        _, events = yqtest.run_json(self.data, "events", "list", "--json")
        events = events["events"]
        big = max(events, key=lambda e: e["posts"])
        out = os.path.join(self.tmp, "recorded.yaml")
        r = yqtest.run(self.data, "drill", "record", "--event", str(big["id"]), "--out", out, check=0)
        self.assertIn("已生成演练场景", r.stdout)
        other = os.path.join(self.tmp, "replayed")
        code, run = yqtest.run_json(other, "drill", "run", out, "--speed", "0", "--start", iso(START), "--json")
        self.assertEqual(code, 0)
        self.assertEqual(run["name"], "event-%d" % big["id"])
        self.assertEqual(run["stored"], big["posts"])
        r = yqtest.run(self.data, "drill", "record", "--event", "999999", "--out", out)
        self.assertEqual(r.returncode, 2)


if __name__ == "__main__":
    unittest.main(argv=yqtest.parse_args())
