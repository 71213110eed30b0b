#!/usr/bin/env python3
"""Reports (issue 17): `yuqing report daily|weekly|event|incident` on a store with a quiet day, a
burst that raises an alert, an incident opened from it with a statement and a promise.

- `--format json`'s figures equal what `stats --from --to`, `events show`, `alerts list` and
  `incidents eval` print for the same range (the same clock: YUQING_NOW);
- the period is the day / ISO week in +08:00; --scheme and --department narrow it;
- the HTML page is self-contained (ECharts inlined, no external script or stylesheet), in Chinese by
  default and English with --lang en, and escapes post text; a user's template replaces the
  built-in one;
- bad input (a day that does not exist, an unknown scheme/event/incident, a template that does not
  parse) exits 2 naming the option and writes nothing; a missing PDF renderer exits 2 saying what
  to install (in Chinese), and HTML still works without it;
- with Chromium installed, the PDF's first page (pdftoppm) is not blank; with pandoc, the DOCX holds
  the charts as images (ReportRenderTest, run on its own: `report_cli_test.py ReportRenderTest`).
"""
import json, os, random, shutil, subprocess, sys, unittest, zipfile
from datetime import datetime, timedelta, timezone

sys.path.insert(0, os.path.dirname(__file__))
import yqtest  # noqa: E402

CST = timezone(timedelta(hours=8))
T0 = datetime(2026, 6, 1, tzinfo=CST)
NOW = "2026-06-03T12:00:00+08:00"
EVIL = "<script>alert('x')</script>东湖自来水公司水有异味"


def write_stream(path):
    random.seed(7)
    posts, k = [], 0
    for h in range(36):  # a quiet day and a half
        k += 1
        posts.append({"id": f"q{k}", "source": "news" if h % 4 == 0 else "weibo",
                      "text": f"东湖自来水公司发布供水安排 {k}", "region": "湖北" if h % 2 else "",
                      "published_at": (T0 + timedelta(hours=h, minutes=random.randint(0, 59))).isoformat()})
    start = T0 + timedelta(hours=36)  # 2026-06-02 12:00 +08:00: a growing burst
    for w in range(6):
        for j in range(2 * 2 ** w):
            k += 1
            posts.append({"id": f"b{k}", "source": "weibo", "author": {"name": f"网友{k % 9}"},
                          "text": f"东湖自来水公司水有异味，多人腹泻，投诉无门 {k}",
                          "metrics": {"reposts": k % 17, "comments": k % 5},
                          "published_at": (start + timedelta(minutes=10 * w, seconds=random.randint(0, 599))).isoformat()})
    posts.append({"id": "evil", "source": "weibo", "text": EVIL, "url": "javascript:alert(1)",
                  "metrics": {"reposts": 5000}, "published_at": (start + timedelta(minutes=30)).isoformat()})
    posts.sort(key=lambda p: p["published_at"])
    with open(path, "w", encoding="utf-8") as f:
        for p in posts:
            f.write(json.dumps(p, ensure_ascii=False) + "\n")


class ReportStore(yqtest.TempDirTest):
    """The store every report test reads (built once per class), and helpers."""

    @classmethod
    def setUpClass(cls):
        import tempfile
        cls.tmp_class = tempfile.mkdtemp(prefix="yq-report-")
        cls.store = os.path.join(cls.tmp_class, "data")
        cls.env = dict(os.environ, YUQING_NOW=NOW, YUQING_USER="王强")
        stream = os.path.join(cls.tmp_class, "stream.jsonl")
        write_stream(stream)
        policy = os.path.join(cls.tmp_class, "policy.yaml")
        with open(policy, "w", encoding="utf-8") as f:
            f.write("levels:\n  II: [{heat: 60}, authority]\n  I: [{volume: 100}]\n")
        plan = os.path.join(cls.tmp_class, "plan.yaml")
        with open(plan, "w", encoding="utf-8") as f:
            f.write(yqtest.DRILL_PLAN)
        cls.y("departments", "add", "宣传科")
        cls.y("topics", "add", "--name", "东湖自来水", "--query", "东湖自来水公司", "--department", "宣传科", "--policy", policy)
        cls.y("topics", "add", "--name", "无关方案", "--query", "高铁", "--department", "交通科")
        cls.y("plans", "import", plan)
        cls.y("replay", stream, "--speed", "max")
        alerts = cls.yj("alerts", "list", "--json")["items"]
        assert alerts, "the burst raised no alert"
        cls.alert = alerts[0]
        inc = cls.yj("incidents", "open", "--alert", str(cls.alert["id"]), "--title", "东湖水质", "--level", "II",
                     "--team", "commander=王强", "--team", "spokesperson=李明", "--json")
        cls.incident = inc["id"]
        hold = os.path.join(cls.tmp_class, "hold.txt")
        with open(hold, "w", encoding="utf-8") as f:
            f.write(yqtest.DRILL_HOLDING_STATEMENT)
        st = cls.yj("statement", "add", "--incident", str(cls.incident), "--kind", "holding", hold, "--json")
        cls.yj("statement", "approve", str(st["id"]), "--by", "王强", "--json")
        cls.yj("statement", "publish", str(st["id"]), "--channel", "weibo", "--at", "2026-06-02T14:10:00+08:00", "--json")

    @classmethod
    def tearDownClass(cls):
        shutil.rmtree(cls.tmp_class, ignore_errors=True)

    @classmethod
    def y(cls, *args, check=0, env=None, lang="zh"):
        r = subprocess.run([yqtest.YUQING, "--lang", lang, "--data", cls.store, *args], capture_output=True, text=True,
                           env=env or cls.env, timeout=300)
        if check is not None and r.returncode != check:
            raise AssertionError(f"yuqing {' '.join(args)} exited {r.returncode}, want {check}\n{r.stdout[-2000:]}\n{r.stderr[-2000:]}")
        return r

    @classmethod
    def yj(cls, *args):
        return json.loads(cls.y(*args).stdout.strip().splitlines()[-1])

    def report(self, *args, fmt="json", name=None, **kw):
        out = os.path.join(self.tmp, name or f"r.{fmt}")
        self.y("report", *args, "--format", fmt, "--out", out, **kw)
        if fmt == "json":
            with open(out, encoding="utf-8") as f:
                return json.load(f)
        with open(out, "rb") as f:
            return f.read()



class ReportTest(ReportStore):
    def test_daily_figures_equal_the_other_commands(self):
        r = self.report("daily", "--date", "2026-06-02")
        self.assertEqual(r["period"]["from"], "2026-06-02T00:00:00+08:00")
        self.assertEqual(r["period"]["to"], "2026-06-03T00:00:00+08:00")
        st = self.yj("stats", "--from", r["period"]["from"], "--to", r["period"]["to"], "--json")
        self.assertEqual(r["posts"], st["posts"])
        self.assertGreater(r["posts"], 100)
        self.assertEqual(r["by_source"], st["by_source"])
        self.assertEqual({k: v for k, v in r["by_sentiment"].items() if v}, st["by_sentiment"])
        self.assertEqual(r["by_province"], st["by_province"])
        self.assertEqual(sum(sum(t[k] for k in ("negative", "neutral", "positive")) for t in r["trend"]), r["posts"])
        self.assertEqual(len(r["trend"]), 24)
        prev = self.yj("stats", "--from", "2026-06-01T00:00:00+08:00", "--to", r["period"]["from"], "--json")
        self.assertEqual(r["previous_posts"], prev["posts"])
        self.assertEqual(r["change"]["posts"], r["posts"] - prev["posts"])

        self.assertTrue(r["top_events"])
        for e in r["top_events"]:
            shown = self.yj("events", "show", str(e["id"]), "--json")
            for k in ("posts", "title", "first_poster", "first_seen", "sentiment", "forecast"):
                self.assertEqual(e[k], shown[k], k)
        listed = [a for a in self.yj("alerts", "list", "--json")["items"]
                  if r["period"]["from"] <= a["created_at"] < r["period"]["to"]]
        self.assertEqual(sorted(a["id"] for a in r["alerts"]), sorted(a["id"] for a in listed))
        for a in r["alerts"]:
            same = next(x for x in listed if x["id"] == a["id"])
            for k in ("level", "status", "created_at", "message", "acked_by"):
                self.assertEqual(a[k], same[k], k)
        self.assertEqual(r["alert_counts"]["raised"], len(listed))
        self.assertEqual([i["incident"]["id"] for i in r["incidents"]], [self.incident])
        ev = self.yj("incidents", "eval", str(self.incident), "--json")
        for k in ("minutes", "tasks", "commitments", "statements"):
            self.assertEqual(r["incidents"][0][k], ev[k], k)
        self.assertTrue(any(p["id"] == "evil" for p in r["notable_posts"]))

    def test_other_days_weeks_and_scopes(self):
        quiet = self.report("daily", "--date", "2026-05-30")
        self.assertEqual((quiet["posts"], quiet["alerts"], quiet["incidents"], quiet["top_events"]), (0, [], [], []))
        week = self.report("weekly", "--week", "2026-W23")  # Monday 2026-06-01
        self.assertEqual(week["period"]["from"], "2026-06-01T00:00:00+08:00")
        self.assertEqual(week["period"]["to"], "2026-06-08T00:00:00+08:00")
        st = self.yj("stats", "--from", week["period"]["from"], "--to", week["period"]["to"], "--json")
        self.assertEqual(week["posts"], st["posts"])
        self.assertEqual(len(week["trend"]), 7)
        day = self.report("daily", "--date", "2026-06-02")
        mine = self.report("daily", "--date", "2026-06-02", "--scheme", "东湖自来水")
        self.assertLessEqual(mine["posts"], day["posts"])
        self.assertGreater(mine["posts"], 0)
        dept = self.report("daily", "--date", "2026-06-02", "--department", "宣传科")
        self.assertEqual(dept["posts"], mine["posts"])
        other = self.report("daily", "--date", "2026-06-02", "--department", "交通科")
        self.assertEqual((other["posts"], other["alerts"], other["incidents"]), (0, [], []))

    def test_event_and_incident_reports(self):
        day = self.report("daily", "--date", "2026-06-02")
        eid = day["top_events"][0]["id"]
        ev = self.report("event", "--event", str(eid))
        shown = self.yj("events", "show", str(eid), "--json")
        self.assertEqual(ev["event"]["posts"], shown["posts"])
        self.assertEqual(ev["posts"], shown["posts"])  # every post of the event, over its life
        rv = self.report("incident", "--incident", str(self.incident))
        evald = self.yj("incidents", "eval", str(self.incident), "--json")
        self.assertEqual(rv["review"]["evaluation"]["minutes"], evald["minutes"])
        self.assertEqual(rv["review"]["evaluation"]["tasks"], evald["tasks"])
        tl = self.yj("incidents", "timeline", str(self.incident), "--json")
        self.assertEqual([e["kind"] for e in rv["review"]["timeline"]], [e["kind"] for e in tl["entries"]][:500])
        self.assertEqual(len(rv["review"]["statements"]), 1)
        self.assertEqual(len(rv["review"]["commitments"]), 1)  # "今天14时前将通报检测结果"
        # Under YUQING_NOW (06-03 12:00) the authoritative statement (due 5 h after detection) is missed,
        # and the 14:00 promise is overdue: both become proposals.
        missed = {t["key"] for t in evald["tasks"]["list"] if t["met"] is False}
        self.assertIn("authoritative_statement", missed)
        proposed = {(p["code"], p["subject"]) for p in rv["review"]["proposals"]}
        self.assertEqual({s for c, s in proposed if c == "missed_deadline"}, missed)
        self.assertIn("commitment_slipped", {c for c, _ in proposed})
        self.assertTrue(rv["review"]["commitments"][0]["overdue"])
        html = self.report("incident", "--incident", str(self.incident), fmt="html").decode()
        for words in ("复盘", "时限完成情况", "承诺兑现情况", "口径审查发现", "预案改进建议"):
            self.assertIn(words, html)

    def test_html_is_self_contained_escaped_and_localised(self):
        html = self.report("daily", "--date", "2026-06-02", fmt="html").decode()
        self.assertIn("<html", html)
        self.assertIn("舆情日报", html)
        self.assertIn("舆情概述", html)
        self.assertNotIn("<script>alert('x')", html)
        self.assertIn("&lt;script&gt;", html)
        self.assertNotIn('href="javascript:', html)
        self.assertNotIn("<script src=", html)
        self.assertNotIn("<link", html)
        self.assertIn("echarts", html)
        order = [html.index(s) for s in ("舆情概述", "信息走势", "来源分布", "地域分布", "热词", "重点事件",
                                           "需关注的负面与谣言信息", "预警及处置情况", "事件处置")]
        self.assertEqual(order, sorted(order))
        en = self.report("daily", "--date", "2026-06-02", fmt="html", name="en.html", lang="en").decode()
        self.assertIn("Daily opinion brief", en)
        self.assertNotIn("舆情概述", en)
        tmpl = os.path.join(self.tmp, "mine.mustache")
        with open(tmpl, "w", encoding="utf-8") as f:
            f.write("<html><body><h1>我的日报 {{from_text}}</h1><p>{{posts}} 条</p>{{#top_events}}<i>{{title}}</i>{{/top_events}}</body></html>")
        mine = self.report("daily", "--date", "2026-06-02", "--template", tmpl, fmt="html", name="mine.html").decode()
        day = self.report("daily", "--date", "2026-06-02")
        self.assertIn(f"<p>{day['posts']} 条</p>", mine)
        self.assertIn("我的日报 2026-06-02 00:00", mine)

    def test_bad_input_exits_2_and_writes_nothing(self):
        out = os.path.join(self.tmp, "bad.json")
        for args, words in ((("daily", "--date", "2026-02-30"), "--date"),
                            (("daily", "--date", "yesterday"), "--date"),
                            (("weekly", "--week", "2026-49"), "--week"),
                            (("weekly", "--week", "2025-W53"), "--week"),
                            (("daily", "--date", "2026-06-02", "--scheme", "没有这个方案"), "--scheme"),
                            (("daily", "--date", "2026-06-02", "--department", "没有这个部门"), "--department"),
                            (("event", "--event", "99999"), "--event"),
                            (("incident", "--incident", "99999"), "--incident")):
            r = self.y("report", *args, "--format", "json", "--out", out, check=2)
            self.assertIn(words, r.stderr)
            self.assertIn("错误", r.stderr)
            self.assertFalse(os.path.exists(out), args)
        bad = os.path.join(self.tmp, "bad.mustache")
        with open(bad, "w", encoding="utf-8") as f:
            f.write("{{#top_events}}never closed")
        r = self.y("report", "daily", "--date", "2026-06-02", "--template", bad, "--format", "html", "--out", out, check=2)
        self.assertIn("template", r.stderr)
        self.assertFalse(os.path.exists(out))

    def test_missing_renderer_says_what_to_install(self):
        env = dict(self.env, PATH="/nonexistent")
        env.pop("YUQING_CHROMIUM", None)
        out = os.path.join(self.tmp, "r.pdf")
        r = self.y("report", "daily", "--date", "2026-06-02", "--format", "pdf", "--out", out, check=2, env=env)
        self.assertIn("chromium", r.stderr)
        self.assertIn("安装", r.stderr)
        self.assertFalse(os.path.exists(out))
        r = self.y("report", "daily", "--date", "2026-06-02", "--format", "docx", "--out", out, check=2, env=env)
        self.assertIn("安装", r.stderr)
        html = os.path.join(self.tmp, "r.html")
        self.y("report", "daily", "--date", "2026-06-02", "--format", "html", "--out", html, env=env)
        self.assertTrue(os.path.getsize(html) > 1000)


    def test_export_posts_csv_and_xlsx(self):
        import csv, re
        out = os.path.join(self.tmp, "posts.csv")
        r = self.yj("export", "posts", "--scheme", "东湖自来水", "--format", "csv", "--out", out, "--json")
        with open(out, encoding="utf-8-sig", newline="") as f:
            rows = list(csv.reader(f))
        self.assertEqual(rows[0][:3], ["编号", "发布时间", "来源"])
        self.assertEqual(len(rows) - 1, r["rows"])
        total = self.report("daily", "--date", "2026-06-01", "--scheme", "东湖自来水")["posts"] + \
            self.report("daily", "--date", "2026-06-02", "--scheme", "东湖自来水")["posts"]
        self.assertEqual(r["rows"], total)  # every post of the scheme (the stream spans these two days)
        evil = next(x for x in rows if x[0] == "evil")
        self.assertTrue(evil[6].startswith("<script>"), evil)  # text as is: CSV is data, not markup
        eid = self.report("daily", "--date", "2026-06-02")["top_events"][0]["id"]
        xlsx = os.path.join(self.tmp, "event.xlsx")
        r = self.yj("export", "posts", "--event", str(eid), "--format", "xlsx", "--out", xlsx, "--json")
        self.assertEqual(r["rows"], self.yj("events", "show", str(eid), "--json")["posts"])
        with zipfile.ZipFile(xlsx) as z:
            sheet = z.read("xl/worksheets/sheet1.xml").decode()
        self.assertEqual(len(re.findall(r"<row ", sheet)), r["rows"] + 1)
        bad = os.path.join(self.tmp, "bad.csv")
        for args in (("--event", "99999"), ("--scheme", "没有"), ("--query", "(东湖"), ()):
            e = self.y("export", "posts", *args, "--out", bad, check=2)
            self.assertIn("错误", e.stderr)
            self.assertFalse(os.path.exists(bad))


class ReportRenderTest(ReportStore):
    """PDF and DOCX (slow: Chromium and pandoc); registered as a CTest of its own."""

    @unittest.skipUnless(shutil.which("chromium") and shutil.which("pdftoppm"), "chromium and poppler-utils are not installed")
    def test_pdf_first_page_is_not_blank(self):
        pdf = os.path.join(self.tmp, "r.pdf")
        self.y("report", "daily", "--date", "2026-06-02", "--format", "pdf", "--out", pdf)
        with open(pdf, "rb") as f:
            self.assertEqual(f.read(5), b"%PDF-")
        subprocess.run(["pdftoppm", "-f", "1", "-l", "1", "-r", "40", "-gray", pdf, os.path.join(self.tmp, "page")],
                       check=True, timeout=60)
        page = next(os.path.join(self.tmp, n) for n in os.listdir(self.tmp) if n.startswith("page") and n.endswith(".pgm"))
        with open(page, "rb") as f:
            data = f.read()
        # P5 header: magic, width, height, maxval, then one byte per pixel.
        parts = data.split(maxsplit=4)
        pixels = parts[4]
        dark = sum(1 for b in pixels if b < 200)
        self.assertGreater(dark / len(pixels), 0.01, "the first page is blank")

    @unittest.skipUnless(shutil.which("chromium") and shutil.which("pandoc"), "chromium and pandoc are not installed")
    def test_docx_holds_the_charts_as_images(self):
        docx = os.path.join(self.tmp, "r.docx")
        self.y("report", "daily", "--date", "2026-06-02", "--format", "docx", "--out", docx)
        with zipfile.ZipFile(docx) as z:
            names = z.namelist()
            body = z.read("word/document.xml").decode()
        self.assertTrue(any(n.startswith("word/media/") and n.endswith(".png") for n in names), names)
        self.assertIn("舆情概述", body)


if __name__ == "__main__":
    unittest.main(argv=yqtest.parse_args())
