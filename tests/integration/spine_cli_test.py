#!/usr/bin/env python3
"""Integration tests of the spine: the real yuqing binary on files with good and bad records."""
import http.server, json, os, shutil, signal, sqlite3, subprocess, sys, threading, time, unittest

sys.path.insert(0, os.path.dirname(__file__))
import yqtest
from yqtest import run, run_json, TempDirTest, wait_until


def jsonl(rows):
    return "".join(json.dumps(r, ensure_ascii=False) + "\n" for r in rows)


GOOD = [{"id": f"g{i}", "source": "weibo", "text": f"东湖自来水公司停水通知 第{i}条", "published_at": f"2026-05-01T08:{i:02d}:00+08:00"}
        for i in range(30)]


class IngestFormats(TempDirTest):
    def test_counts_and_quarantine_reasons(self):
        bad = ['{"id": "b1", "text": "no closing quote}', '{"id": "b2", "source": "weibo"}',
               '{"id": "b3", "text": "日期不对", "published_at": "yesterday-ish"}',
               json.dumps({"id": "b4", "text": "x" * 70000})]
        f = self.write("mixed.jsonl", jsonl(GOOD) + "\n".join(bad) + "\n")
        rc, out = run_json(self.data, "ingest", f, "--json", check=0)
        self.assertEqual(out, {"stored": 30, "duplicates": 0, "quarantined": 4})
        rc, q = run_json(self.data, "quarantine", "list", "--json", check=0)
        codes = {(i["line"], i["code"]) for i in q["items"]}
        self.assertEqual(codes, {(31, "bad_json"), (32, "missing_text"), (33, "bad_date"), (34, "oversize")})
        self.assertTrue(all(i["origin"] == f for i in q["items"]))
        # idempotent
        rc, out = run_json(self.data, "ingest", f, "--json", check=0)
        self.assertEqual(out["stored"], 0)
        self.assertEqual(out["duplicates"], 30)
        rc, s = run_json(self.data, "stats", "--json", check=0)
        self.assertEqual(s["posts"], 30)
        # ... and the bad lines stay one record each, seen twice (issue 19)
        rc, q = run_json(self.data, "quarantine", "list", "--json", check=0)
        self.assertEqual(len(q["items"]), 4)
        self.assertTrue(all(i["seen"] == 2 for i in q["items"]), q["items"])

    def test_json_array_csv_and_feeds(self):
        arr = self.write("a.json", json.dumps(GOOD[:5] + [{"id": "x"}], ensure_ascii=False))
        csv = self.write("b.csv", "编号,正文,发布时间,作者\nc1,\"铁路晚点, 乘客投诉\",2026-05-02 09:00,张三\nc2,缺日期,not-a-date,李四\n")
        rss = self.write("c.xml", """<?xml version="1.0"?><rss version="2.0"><channel><title>东湖日报</title>
          <item><title>供水恢复</title><link>http://example.com/1</link><description>东湖片区恢复供水</description>
          <pubDate>Sat, 02 May 2026 10:00:00 +0800</pubDate></item></channel></rss>""")
        atom = self.write("d.atom", """<feed xmlns="http://www.w3.org/2005/Atom"><title>T</title><entry><id>urn:e1</id>
          <title>Atom 标题</title><updated>2026-05-02T03:00:00Z</updated><summary>水质检测报告发布</summary></entry></feed>""")
        rc, out = run_json(self.data, "ingest", arr, csv, rss, atom, "--map", "编号=id", "--json", check=0)
        self.assertEqual(out, {"stored": 5 + 1 + 1 + 1, "duplicates": 0, "quarantined": 2})
        rc, hits = run_json(self.data, "search", "乘客", "--json", check=0)
        self.assertEqual([h["id"] for h in hits["hits"]], ["c1"])
        self.assertEqual(hits["hits"][0]["author"]["name"], "张三")
        rc, hits = run_json(self.data, "search", "恢复供水", "--json", check=0)
        self.assertEqual(len(hits["hits"]), 1)
        self.assertEqual(hits["hits"][0]["source"], "rss")

    def test_gbk_is_converted_and_garbage_refused(self):
        gbk = ('{"id":"k1","text":"东湖自来水停水"}\n').encode("gbk") + b'{"id":"k2","text":"\xff\xfe\xff"}\n'
        f = self.write("gbk.jsonl", gbk, "wb")
        rc, out = run_json(self.data, "ingest", f, "--json", check=0)
        self.assertEqual(out["stored"], 1)
        self.assertEqual(out["quarantined"], 1)
        rc, q = run_json(self.data, "quarantine", "list", "--json", check=0)
        self.assertEqual(q["items"][0]["code"], "bad_encoding")
        rc, hits = run_json(self.data, "search", "停水", "--json", check=0)
        self.assertEqual(hits["hits"][0]["id"], "k1")

    def test_quarantine_show_and_retry_with_fix(self):
        f = self.write("q.jsonl", '{"id":"r1","text":"ok"}\n{"id":"r2","published_at":"bad"}\n')
        run(self.data, "ingest", f, check=0)
        rc, q = run_json(self.data, "quarantine", "list", "--json", check=0)
        qid = q["items"][0]["id"]
        rc, one = run_json(self.data, "quarantine", "show", str(qid), "--json", check=0)
        self.assertIn('"r2"', one["raw"])
        rc, res = run_json(self.data, "quarantine", "retry", str(qid), "--json", check=0)
        self.assertEqual(res["resolved"], 0)  # unchanged record still fails, still open
        fix = self.write("fix.json", '{"id":"r2","text":"修好了","published_at":"2026-05-01"}')
        rc, res = run_json(self.data, "quarantine", "retry", str(qid), "--fix", fix, "--json", check=0)
        self.assertEqual(res["resolved"], 1)
        rc, q = run_json(self.data, "quarantine", "list", "--json", check=0)
        self.assertEqual(q["items"], [])
        rc, s = run_json(self.data, "stats", "--json", check=0)
        self.assertEqual(s["posts"], 2)
        r = run(self.data, "quarantine", "show", "999")
        self.assertEqual(r.returncode, 2)

    def test_missing_file_and_bad_flags(self):
        r = run(self.data, "ingest", os.path.join(self.tmp, "nope.jsonl"))
        self.assertEqual(r.returncode, 2)
        self.assertIn("nope.jsonl", r.stderr)
        self.assertNotIn("已入库", r.stdout)  # a missing file stores nothing and says only why
        r = run(self.data, "ingest", "--map", "broken", self.write("x.csv", "text\na\n"))
        self.assertEqual(r.returncode, 2)

    def test_progress_moves_within_a_file_with_rate_and_eta(self):
        """On a terminal, the bar follows the byte offset inside the file (it stayed at 0.0% until
        the file ended) and shows the rate and the time left."""
        import pty, re
        rows = "".join(json.dumps({"id": f"p{i}", "text": f"东湖停水第{i}天，居民生活受影响" * 3}, ensure_ascii=False) + "\n"
                       for i in range(60000))
        path = self.write("many.jsonl", rows)
        master, slave = pty.openpty()
        p = subprocess.Popen([yqtest.YUQING, "--data", self.data, "ingest", path], stdout=subprocess.PIPE, stderr=slave)
        os.close(slave)
        out = b""
        while True:
            try:
                chunk = os.read(master, 4096)
            except OSError:
                break
            if not chunk:
                break
            out += chunk
        p.wait(timeout=120)
        frames = [f for f in out.decode("utf-8", "replace").split("\r") if "%" in f]
        percents = {float(m.group(1)) for f in frames for m in [re.search(r"(\d+\.\d)%", f)] if m}
        self.assertEqual(p.returncode, 0)
        self.assertTrue(any(0 < x < 100 for x in percents), f"no percentage between 0 and 100: {sorted(percents)[:10]}")
        self.assertTrue(any("MB/s" in f and "剩余" in f for f in frames), frames[:3])

    def test_malformed_dictionary_is_an_error_with_its_line(self):
        # A user's dictionary directory ($YUQING_DICT_DIR) with one bad line: a clear error that
        # names the file and line, nothing stored, no abort.
        src = os.path.join(os.path.dirname(__file__), "..", "..", "third_party", "cppjieba", "dict")
        if not os.path.isdir(src):
            self.skipTest("cppjieba's dictionaries are not in third_party/ (scripts/setup.sh)")
        dict_dir = os.path.join(self.tmp, "dict")
        shutil.copytree(src, dict_dir)
        path = os.path.join(dict_dir, "jieba.dict.utf8")
        with open(path, encoding="utf-8") as f:
            lines = f.readlines()
        lines[99] = "坏行 没有频率\n"
        with open(path, "w", encoding="utf-8") as f:
            f.writelines(lines)
        env = dict(os.environ, YUQING_DICT_DIR=dict_dir)
        r = subprocess.run([yqtest.YUQING, "--data", self.data, "ingest", self.write("p.jsonl", jsonl(GOOD[:3]))],
                           capture_output=True, text=True, env=env, timeout=120)
        self.assertEqual(r.returncode, 2, r.stderr)
        self.assertIn("jieba.dict.utf8:100", r.stderr)
        self.assertNotIn("Aborted", r.stderr)
        r = run(self.data, "stats", "--json", check=0)
        self.assertEqual(json.loads(r.stdout)["posts"], 0)


class SearchCli(TempDirTest):
    def test_filters_sort_and_paging(self):
        rows = GOOD + [{"id": "n1", "source": "news", "text": "東湖自來水公司發佈水質報告", "published_at": "2026-05-03T08:00:00+08:00"}]
        run(self.data, "ingest", self.write("s.jsonl", jsonl(rows)), check=0)
        rc, r = run_json(self.data, "search", "自来水", "--source", "news", "--json", check=0)
        self.assertEqual([h["id"] for h in r["hits"]], ["n1"])
        self.assertIn("<mark>", r["hits"][0]["snippet_html"])
        rc, r = run_json(self.data, "search", "自来水", "--limit", "10", "--json", check=0)
        self.assertEqual(r["hits"][0]["id"], "n1")  # newest first
        ids = [h["id"] for h in r["hits"]]
        rc, r2 = run_json(self.data, "search", "自来水", "--limit", "10", "--cursor", r["next_cursor"], "--json", check=0)
        self.assertFalse(set(ids) & {h["id"] for h in r2["hits"]})
        rc, r = run_json(self.data, "search", "停水", "--from", "2026-05-01T08:10:00+08:00", "--to", "2026-05-01T08:20:00+08:00", "--json", check=0)
        self.assertEqual(len(r["hits"]), 10)
        rc, r = run_json(self.data, "search", "水质", "--sort", "relevance", "--json", check=0)
        self.assertEqual(r["hits"][0]["id"], "n1")
        r = run(self.data, "search", '"unclosed', "--json")
        self.assertEqual(r.returncode, 2)
        self.assertIn("第 10 列", r.stderr)  # the column, in Chinese by default

    def test_xss_text_is_escaped_in_html_snippet(self):
        run(self.data, "ingest", self.write("x.jsonl", jsonl([{"id": "x", "text": "停水 <img src=x onerror=alert(1)>"}])), check=0)
        rc, r = run_json(self.data, "search", "停水", "--json", check=0)
        self.assertNotIn("<img", r["hits"][0]["snippet_html"])
        self.assertIn("&lt;img", r["hits"][0]["snippet_html"])


class KillDuringIngest(TempDirTest):
    def test_kill_then_restart_loses_nothing_and_stays_consistent(self):
        n = 60000
        rows = [{"id": f"k{i}", "source": "weibo", "text": f"第{i}条 东湖自来水公司停水检修，预计下午恢复供水，市民请提前储水",
                 "published_at": 1777593600 + i} for i in range(n)]
        f = self.write("big.jsonl", jsonl(rows))
        p = subprocess.Popen([yqtest.YUQING, "--data", self.data, "ingest", f, "--batch", "500", "--json"],
                             stdout=subprocess.PIPE, stderr=subprocess.PIPE)
        db = os.path.join(self.data, "yuqing.db")

        def some_committed():
            if p.poll() is not None:
                return True
            try:
                con = sqlite3.connect(f"file:{db}?mode=ro", uri=True, timeout=1)
                c = con.execute("SELECT count(*) FROM posts").fetchone()[0]
                con.close()
                return c >= 1000
            except sqlite3.Error:
                return False

        wait_until(some_committed, 120, "the first committed batches")
        killed = p.poll() is None
        if killed:
            p.send_signal(signal.SIGKILL)
        p.communicate()
        con = sqlite3.connect(db)
        self.assertEqual(con.execute("PRAGMA integrity_check").fetchone()[0], "ok")
        before = con.execute("SELECT count(*) FROM posts").fetchone()[0]
        fts = con.execute("SELECT count(*) FROM posts_fts_docsize").fetchone()[0]
        con.close()
        self.assertEqual(before, fts, "every stored post is indexed")
        self.assertEqual(before % 500 if killed else 0, 0, "only whole batches are committed")
        rc, out = run_json(self.data, "ingest", f, "--json", check=0)
        self.assertEqual(out["stored"] + out["duplicates"], n)
        self.assertEqual(out["duplicates"], before)
        rc, s = run_json(self.data, "stats", "--json", check=0)
        self.assertEqual(s["posts"], n)


class Replay(TempDirTest):
    def test_workers_do_not_change_results(self):
        # Per-post work runs on --workers threads; everything stored must be the same as with one.
        rows = []
        for i in range(400):
            text = ["东湖自来水公司停水三天没人管，我要投诉！", "感谢师傅连夜抢修，点赞！", "网传东湖水厂污染，官方尚未回应",
                    "宁波市轨道交通今日起调整运营时间"][i % 4] + f" 第{i}条"
            rows.append({"id": f"w{i}", "source": "weibo", "text": text,
                         "published_at": f"2026-05-01T{8 + i // 60:02d}:{i % 60:02d}:00+08:00",
                         **({"parent": f"w{i - 4}"} if i % 9 == 0 and i >= 4 else {})})
        f = self.write("w.jsonl", jsonl(rows))
        cols = ("id, sentiment, sentiment_score, types, province, city, keywords, simhash, dup_of, event_id, "
                "schemes")
        results = []
        for workers in ("1", "2"):
            data = os.path.join(self.tmp, "data" + workers)
            run(data, "topics", "add", "--name", "东湖", "--query", "东湖 (停水 OR 污染)", check=0)
            rc, out = run_json(data, "ingest", f, "--json", "--workers", workers, check=0)
            self.assertEqual(out, {"stored": 400, "duplicates": 0, "quarantined": 0})
            db = sqlite3.connect(os.path.join(data, "yuqing.db"))
            results.append(db.execute(f"SELECT {cols} FROM posts ORDER BY id").fetchall())
            db.close()
        self.assertEqual(len(results[0]), 400)
        self.assertEqual(results[0], results[1])
        self.assertTrue(any(r[10] != "[]" for r in results[0]), "the scheme matched some posts")

    def test_replay_orders_by_time(self):
        rows = list(reversed(GOOD[:10]))
        f = self.write("r.jsonl", jsonl(rows))
        rc, out = run_json(self.data, "replay", f, "--speed", "max", "--json", check=0)
        self.assertEqual(out["stored"], 10)
        self.assertEqual(out["stream_from"], "2026-05-01T08:00:00+08:00")
        self.assertEqual(out["stream_to"], "2026-05-01T08:09:00+08:00")
        # ingested_at follows the stream's clock
        rc, r = run_json(self.data, "search", "停水", "--json", check=0)
        self.assertTrue(all(h["ingested_at"] == h["published_at"] for h in r["hits"]))

    def test_replay_speed_paces_the_stream(self):
        rows = [dict(GOOD[0], id="p0", published_at="2026-05-01T08:00:00+08:00"),
                dict(GOOD[1], id="p1", published_at="2026-05-01T08:00:30+08:00")]
        f = self.write("p.jsonl", jsonl(rows))
        t0 = time.monotonic()
        run(self.data, "replay", f, "--speed", "60", check=0)  # 30 s of stream at 60x = 0.5 s
        self.assertGreaterEqual(time.monotonic() - t0, 0.45)
        r = run(self.data, "replay", f, "--speed", "0")
        self.assertEqual(r.returncode, 2)


class FeedPolling(TempDirTest):
    def test_url_with_etag(self):
        body = """<rss version="2.0"><channel><title>F</title><item><guid>1</guid><title>停水</title>
                  <description>东湖停水</description></item></channel></rss>""".encode()
        hits = []

        class H(http.server.BaseHTTPRequestHandler):
            def do_GET(self):
                hits.append(self.headers.get("If-None-Match"))
                if self.headers.get("If-None-Match") == '"v1"':
                    self.send_response(304)
                    self.end_headers()
                    return
                self.send_response(200)
                self.send_header("ETag", '"v1"')
                self.send_header("Content-Type", "application/rss+xml")
                self.end_headers()
                self.wfile.write(body)

            def log_message(self, *a):
                pass

        srv = http.server.ThreadingHTTPServer(("127.0.0.1", 0), H)
        threading.Thread(target=srv.serve_forever, daemon=True).start()
        url = f"http://127.0.0.1:{srv.server_address[1]}/feed.xml"
        try:
            rc, out = run_json(self.data, "ingest", "--url", url, "--json", check=0)
            self.assertEqual(out["stored"], 1)
            p = subprocess.Popen([yqtest.YUQING, "--data", self.data, "ingest", "--url", url, "--every", "1s", "--json"],
                                 stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
            wait_until(lambda: hits.count('"v1"') >= 1, 30, "a conditional GET")
            p.terminate()
            p.communicate()
            r = run(self.data, "ingest", "--url", f"http://127.0.0.1:{yqtest.free_port()}/none")
            self.assertEqual(r.returncode, 3)
        finally:
            srv.shutdown()
            srv.server_close()


if __name__ == "__main__":
    unittest.main(argv=yqtest.parse_args())
