#!/usr/bin/env python3
"""Collection from crawlers' files and databases (issue 18): MediaCrawler folders (JSON Lines, CSV,
JSON; notes, comments, creator profiles), its live SQLite and MariaDB databases read incrementally,
Weibo API statuses and weibo-crawler exports. Every record is stored, a duplicate, or quarantined;
the counts are checked exactly. MariaDB is started by the test on loopback in a temp dir (skipped,
saying so, when Debian's mariadb-server is not installed) and stopped afterwards, even on failure."""
import getpass, hashlib, json, os, shutil, sqlite3, subprocess, sys, tempfile, time, unittest

sys.path.insert(0, os.path.dirname(__file__))
import yqtest
from yqtest import run, run_json, free_port, wait_until


def jsonl(path, rows):
    os.makedirs(os.path.dirname(path), exist_ok=True)
    with open(path, "w", encoding="utf-8") as f:
        for r in rows:
            f.write((r if isinstance(r, str) else json.dumps(r, ensure_ascii=False)) + "\n")


def posts(data):
    db = sqlite3.connect(os.path.join(data, "yuqing.db"))
    db.row_factory = sqlite3.Row
    out = {r["id"]: dict(r) for r in db.execute("SELECT * FROM posts")}
    db.close()
    return out


def quarantine(data):
    db = sqlite3.connect(os.path.join(data, "yuqing.db"))
    out = [tuple(r) for r in db.execute("SELECT origin, line, code FROM quarantine ORDER BY origin, line")]
    db.close()
    return out


NOTE = {"note_id": "4900000000000001", "content": "东湖自来水有异味，烧开也有", "create_time": 1780275600,
        "create_date_time": "2026-06-01 09:00:00", "liked_count": "3", "comments_count": "2", "shared_count": "1",
        "last_modify_ts": 1780276000123, "note_url": "https://m.weibo.cn/detail/4900000000000001", "ip_location": "湖北",
        "user_id": "5512345678", "nickname": "东湖居民", "source_keyword": "东湖"}


def mediacrawler_folder(root):
    jsonl(os.path.join(root, "weibo", "jsonl", "search_contents_2026-06-01.jsonl"), [
        NOTE,
        dict(NOTE, note_id="4900000000000002", content="东湖水务回应水质问题", create_time=1780279200, user_id="1669879400",
             nickname="东湖水务"),
        '{"note_id": "4900000000000003", "content": "半行'])  # the crawler was killed mid-line
    jsonl(os.path.join(root, "weibo", "jsonl", "search_comments_2026-06-01.jsonl"), [
        {"comment_id": "4900000000009001", "create_time": 1780276000, "note_id": "4900000000000001", "content": "我家也是",
         "comment_like_count": "5", "sub_comment_count": "1", "parent_comment_id": "4900000000009001", "user_id": "6001",
         "nickname": "邻居", "last_modify_ts": 1780276100000},
        {"comment_id": "4900000000009002", "create_time": 1780276300, "note_id": "4900000000000001", "content": "同楼的也有",
         "comment_like_count": "0", "parent_comment_id": "4900000000009001", "user_id": "6002", "nickname": "楼上",
         "last_modify_ts": 1780276100000}])
    jsonl(os.path.join(root, "weibo", "jsonl", "creator_creators_2026-06-01.jsonl"), [
        {"user_id": "1669879400", "nickname": "东湖水务", "fans": "8.1万", "follows": "120", "last_modify_ts": 1}])
    os.makedirs(os.path.join(root, "xhs", "csv"))
    with open(os.path.join(root, "xhs", "csv", "search_contents_2026-06-01.csv"), "w", encoding="utf-8-sig", newline="") as f:
        f.write("note_id,type,title,desc,time,user_id,nickname,liked_count,collected_count,comment_count,share_count,"
                "ip_location,last_modify_ts,note_url\r\n"
                "6650a1b2c3d4e5f600000001,normal,东湖的水,\"东湖的水还能喝吗？\n一直有味道\",1780275600000,5f00aa,小红薯,"
                "1.2万,10+,36,5,湖北,1780276000000,https://www.xiaohongshu.com/explore/6650a1b2c3d4e5f600000001\r\n"
                "6650a1b2c3d4e5f600000002,normal,,\"\",1780275600000,5f00ab,空笔记,1,0,0,0,湖北,1780276000000,\r\n")
    os.makedirs(os.path.join(root, "douyin", "json"))
    with open(os.path.join(root, "douyin", "json", "search_contents_2026-06-01.json"), "w", encoding="utf-8") as f:
        json.dump([{"aweme_id": "7301000000000000001", "title": "东湖停水了", "desc": "东湖停水了", "create_time": 1780275600,
                    "user_id": "1001", "nickname": "抖音用户", "liked_count": "120", "comment_count": "14",
                    "share_count": "None", "aweme_url": "https://www.douyin.com/video/7301000000000000001"}],
                  f, ensure_ascii=False, indent=4)
    with open(os.path.join(root, "weibo", "images.txt"), "w") as f:
        f.write("not a record file\n")


MC_SCHEMA = """
CREATE TABLE weibo_note (id INTEGER PRIMARY KEY {ai}, creator_hash VARCHAR(64), nickname TEXT, add_ts BIGINT,
  last_modify_ts BIGINT, note_id BIGINT, content TEXT, create_time BIGINT, create_date_time VARCHAR(255),
  liked_count TEXT, comments_count TEXT, shared_count TEXT, note_url TEXT, source_keyword TEXT);
CREATE TABLE weibo_note_comment (id INTEGER PRIMARY KEY {ai}, creator_hash VARCHAR(64), nickname TEXT, add_ts BIGINT,
  last_modify_ts BIGINT, comment_id BIGINT, note_id BIGINT, content TEXT, create_time BIGINT,
  create_date_time VARCHAR(255), comment_like_count TEXT, sub_comment_count TEXT, parent_comment_id VARCHAR(255));
"""


def note_row(i, ts):
    return ("h%d" % i, "网友%d" % i, ts, ts, 4900000000000100 + i, "东湖第%d条反映" % i, 1780275600 + i,
            "2026-06-01 09:00:00", str(i), "0", "0", "https://m.weibo.cn/detail/%d" % (4900000000000100 + i), "东湖")


NOTE_INSERT = ("INSERT INTO weibo_note (creator_hash, nickname, add_ts, last_modify_ts, note_id, content, create_time, "
               "create_date_time, liked_count, comments_count, shared_count, note_url, source_keyword) "
               "VALUES ({p},{p},{p},{p},{p},{p},{p},{p},{p},{p},{p},{p},{p})")
COMMENT_INSERT = ("INSERT INTO weibo_note_comment (creator_hash, nickname, add_ts, last_modify_ts, comment_id, note_id, "
                  "content, create_time, create_date_time, comment_like_count, sub_comment_count, parent_comment_id) "
                  "VALUES ({p},{p},{p},{p},{p},{p},{p},{p},{p},{p},{p},{p})")


def comment_row(i, note, ts, text="我也是"):
    return ("c%d" % i, "评论者%d" % i, ts, ts, 4900000000090000 + i, note, text, 1780276000 + i, "2026-06-01 09:06:40",
            "0", "0", "0")


class MediaCrawlerFiles(yqtest.TempDirTest):
    def test_folder_exact_accounting_parents_followers_and_rerun(self):
        root = os.path.join(self.tmp, "mc")
        mediacrawler_folder(root)
        rc, c = run_json(self.data, "ingest", "--format", "mediacrawler", root, "--json")
        self.assertEqual(rc, 0)
        # weibo: 2 notes + 1 torn line; 2 comments; xhs: 1 note + 1 empty; douyin: 1 video
        self.assertEqual(c, {"stored": 6, "duplicates": 0, "quarantined": 2})
        p = posts(self.data)
        self.assertEqual(p["4900000000000001"]["source"], "weibo")
        self.assertEqual(p["4900000000000001"]["published_at"], 1780275600000)
        self.assertEqual((p["4900000000000001"]["likes"], p["4900000000000001"]["comments"], p["4900000000000001"]["reposts"]), (3, 2, 1))
        self.assertEqual(p["4900000000000002"]["author_followers"], 81000)  # from the creators file
        self.assertEqual(p["4900000000009001"]["parent"], "4900000000000001")
        self.assertEqual(p["4900000000009002"]["parent"], "4900000000009001")
        x = p["xiaohongshu:6650a1b2c3d4e5f600000001"]
        self.assertEqual((x["source"], x["likes"], x["text"]), ("xiaohongshu", 12000, "东湖的水还能喝吗？\n一直有味道"))
        self.assertEqual(p["douyin:7301000000000000001"]["author_name"], "抖音用户")
        q = quarantine(self.data)
        self.assertEqual([(os.path.basename(o), line, code) for o, line, code in q],
                         [("search_contents_2026-06-01.jsonl", 3, "bad_json"),
                          ("search_contents_2026-06-01.csv", 4, "missing_text")])  # the row after a two-line one
        # A crawler's record is not re-read as yuqing's own shape (it would get another id).
        rc, r = run_json(self.data, "quarantine", "retry", "--all", "--json", check=0)
        self.assertEqual((r["resolved"], [x["status"] for x in r["results"]]), (0, ["open", "open"]))
        self.assertEqual(len(posts(self.data)), 6)
        rc, c = run_json(self.data, "ingest", "--format", "mediacrawler", root, "--json")
        self.assertEqual(c, {"stored": 0, "duplicates": 6, "quarantined": 2})
        self.assertEqual(len(quarantine(self.data)), 2)  # the same bad records, counted as seen again

    def test_unplaceable_file_is_exit_2_and_stores_nothing(self):
        root = os.path.join(self.tmp, "exports")
        jsonl(os.path.join(root, "today_contents.jsonl"), [NOTE])
        r = run(self.data, "ingest", "--format", "mediacrawler", root, "--json")
        self.assertEqual(r.returncode, 2, r.stderr)
        self.assertIn("--source", r.stderr)
        self.assertFalse(os.path.exists(os.path.join(self.data, "yuqing.db")) and posts(self.data))
        rc, c = run_json(self.data, "ingest", "--format", "mediacrawler", "--source", "weibo", root, "--json")
        self.assertEqual(c["stored"], 1)
        r = run(self.data, "ingest", os.path.join(self.tmp, "no-such-folder"), "--json")
        self.assertEqual(r.returncode, 2)
        self.assertNotIn("已入库", r.stdout)


class WeiboShapes(yqtest.TempDirTest):
    def test_api_statuses_and_weibo_crawler_are_recognised(self):
        api = {"ok": 1, "data": {"cards": [{"card_type": 9, "mblog": {
            "created_at": "Tue Dec 01 10:05:00 +0800 2026", "idstr": "5100000000000002", "mblogid": "Pabc2",
            "text": "属实//<a href='/n/居民甲'>@居民甲</a>:停水三天了<span class=\"url-icon\"><img alt=\"[怒]\" src=\"x.png\"></span>",
            "source": "iPhone客户端", "reposts_count": 0, "comments_count": 1, "attitudes_count": 2,
            "user": {"id": 7001, "screen_name": "路人乙", "followers_count": "2.3万", "verified": False},
            "retweeted_status": {"created_at": "Tue Dec 01 10:00:00 +0800 2026", "idstr": "5100000000000001",
                                 "text_raw": "东湖停水三天了，没人管", "reposts_count": 88, "comments_count": 20,
                                 "attitudes_count": 30, "user": {"id": 7000, "screen_name": "居民甲", "verified": True,
                                                                 "followers_count": 560}}}},
            {"card_type": 9, "mblog": {"created_at": "刚刚", "idstr": "5100000000000003", "text": "时间读不出"}}]}}
        self.write("api.json", json.dumps(api, ensure_ascii=False))
        os.makedirs(os.path.join(self.tmp, "weibo", "东湖水务"))
        with open(os.path.join(self.tmp, "weibo", "东湖水务", "1669879400.csv"), "w", encoding="utf-8-sig", newline="") as f:
            f.write("id,bid,正文,头条文章url,原始图片url,视频url,位置,日期,工具,点赞数,评论数,转发数,话题,@用户,完整日期\r\n"
                    "5200000000000001,Pxyz1,东湖水质检测结果今天公布,,,,湖北武汉,2026-06-01,微博 weibo.com,12,3,4,东湖水质,,"
                    "2026-06-01 18:00:00\r\n")
        rc, c = run_json(self.data, "ingest", os.path.join(self.tmp, "api.json"), os.path.join(self.tmp, "weibo"), "--json")
        self.assertEqual(c, {"stored": 3, "duplicates": 0, "quarantined": 1})
        p = posts(self.data)
        self.assertEqual(p["5100000000000002"]["parent"], "5100000000000001")
        self.assertEqual(p["5100000000000002"]["text"], "属实//@居民甲:停水三天了[怒]")
        self.assertEqual(p["5100000000000002"]["author_followers"], 23000)
        self.assertEqual(p["5100000000000001"]["author_verified"], 1)
        self.assertEqual(p["5200000000000001"]["author_name"], "东湖水务")
        self.assertEqual(p["5200000000000001"]["published_at"], 1780308000000)
        self.assertEqual([code for _, _, code in quarantine(self.data)], ["bad_date"])


class MediaCrawlerDatabases(yqtest.TempDirTest):
    def check_incremental(self, dsn, execute, placeholder):
        execute([NOTE_INSERT.format(p=placeholder)], [note_row(i, 1000 + i) for i in range(3)])
        execute([COMMENT_INSERT.format(p=placeholder)], [comment_row(1, 4900000000000100, 2000)])
        rc, c = run_json(self.data, "ingest", "--from", dsn, "--json")
        self.assertEqual((rc, c), (0, {"stored": 4, "duplicates": 0, "quarantined": 0}))
        self.assertEqual(posts(self.data)["4900000000090001"]["parent"], "4900000000000100")
        rc, c = run_json(self.data, "ingest", "--from", dsn, "--json")
        self.assertEqual(c, {"stored": 0, "duplicates": 0, "quarantined": 0})  # nothing new: nothing read
        # The crawler adds two notes (one empty) and re-crawls an old one (new last_modify_ts).
        execute([NOTE_INSERT.format(p=placeholder)], [note_row(3, 5000), note_row(4, 5001)[:5] + ("",) + note_row(4, 5001)[6:]])
        execute(["UPDATE weibo_note SET last_modify_ts = 6000, liked_count = '99' WHERE note_id = 4900000000000100"], [()])
        rc, c = run_json(self.data, "ingest", "--from", dsn, "--json")
        self.assertEqual(c, {"stored": 1, "duplicates": 1, "quarantined": 1})
        q = quarantine(self.data)
        self.assertEqual(len(q), 1)
        self.assertTrue(q[0][0].endswith("#weibo_note") and q[0][2] == "missing_text", q)
        self.assertNotIn("p@ss", q[0][0])  # the password is not kept in the origin
        self.assertNotIn("p%40ss", q[0][0])

    def test_sqlite_read_only_and_incremental(self):
        path = os.path.join(self.tmp, "sqlite_tables.db")
        db = sqlite3.connect(path)
        db.executescript(MC_SCHEMA.format(ai=""))
        db.commit()

        def execute(stmts, rows):
            for s in stmts:
                for r in rows:
                    db.execute(s, r)
            db.commit()

        def digest():
            with open(path, "rb") as f:
                return hashlib.sha256(f.read()).hexdigest()

        self.check_incremental("sqlite:" + path, execute, "?")
        db.close()
        before = digest()
        rc, c = run_json(self.data, "ingest", "--from", "sqlite:" + path, "--json")
        self.assertEqual(c, {"stored": 0, "duplicates": 0, "quarantined": 0})
        self.assertEqual(digest(), before, "yuqing wrote to the crawler's database")
        r = run(self.data, "ingest", "--from", "sqlite:" + os.path.join(self.tmp, "missing.db"), "--json")
        self.assertNotEqual(r.returncode, 0)
        self.assertIn("missing.db", r.stderr)

    def test_mariadb_incremental(self):
        mariadbd, install = shutil.which("mariadbd") or "/usr/sbin/mariadbd", shutil.which("mariadb-install-db")
        client = shutil.which("mariadb")
        if not (os.path.exists(mariadbd) and install and client):
            self.skipTest("mariadb-server is not installed (apt-get install mariadb-server)")
        base = tempfile.mkdtemp(prefix="yq-maria-")
        datadir, sock, port = os.path.join(base, "data"), os.path.join(base, "sock"), free_port()
        user = getpass.getuser()
        subprocess.run([install, "--no-defaults", "--datadir=" + datadir, "--user=" + user, "--skip-test-db",
                        "--auth-root-authentication-method=normal"], check=True, capture_output=True, timeout=120)
        server = subprocess.Popen([mariadbd, "--no-defaults", "--datadir=" + datadir, "--socket=" + sock,
                                   "--port=%d" % port, "--bind-address=127.0.0.1", "--user=" + user,
                                   "--skip-log-bin", "--innodb-buffer-pool-size=16M", "--pid-file=" + os.path.join(base, "pid")],
                                  stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        try:
            sql = lambda text, db=None: subprocess.run([client, "--no-defaults", "-uroot", "--socket=" + sock] + ([db] if db else []),
                                                       input=text, text=True, capture_output=True, timeout=60)
            wait_until(lambda: sql("SELECT 1").returncode == 0, timeout=60, what="mariadbd")
            setup = ("CREATE DATABASE media_crawler CHARACTER SET utf8mb4;"
                     "CREATE USER 'crawler'@'127.0.0.1' IDENTIFIED BY 'p@ss:w/rd';"
                     "GRANT SELECT ON media_crawler.* TO 'crawler'@'127.0.0.1';")
            r = sql(setup)
            self.assertEqual(r.returncode, 0, r.stderr)
            r = sql(MC_SCHEMA.format(ai="AUTO_INCREMENT"), "media_crawler")
            self.assertEqual(r.returncode, 0, r.stderr)

            def quote(v):
                if isinstance(v, int):
                    return str(v)
                return "'" + str(v).replace("\\", "\\\\").replace("'", "''") + "'"

            def execute(stmts, rows):
                text = ""
                for s in stmts:
                    for row in rows:
                        text += (s.replace("%s", "{}").format(*[quote(v) for v in row]) if row else s) + ";\n"
                r = sql("SET NAMES utf8mb4;\n" + text, "media_crawler")
                self.assertEqual(r.returncode, 0, r.stderr)

            dsn = "mysql://crawler:p%40ss%3Aw%2Frd@127.0.0.1:{}/media_crawler".format(port)
            self.check_incremental(dsn, execute, "%s")
            bad = run(self.data, "ingest", "--from", dsn.replace("p%40ss", "wrong"), "--json")
            self.assertNotEqual(bad.returncode, 0)
            self.assertIn("crawler@127.0.0.1", bad.stderr)
            self.assertNotIn("wrong", bad.stderr)
        finally:
            server.terminate()
            try:
                server.wait(timeout=60)
            except subprocess.TimeoutExpired:
                server.kill()
                server.wait()
            shutil.rmtree(base, ignore_errors=True)


class UserDictionary(yqtest.TempDirTest):
    def test_dict_add_segments_and_searches_with_the_word(self):
        self.write("p.jsonl", "".join(json.dumps({"id": "d%d" % i, "text": t, "published_at": 1780275600 + i},
                                                 ensure_ascii=False) + "\n"
                                      for i, t in enumerate(["东湖水务今天回应了水质问题", "东湖边的水务站没开门", "与此无关"])))
        run(self.data, "ingest", os.path.join(self.tmp, "p.jsonl"), "--json", check=0)
        self.assertNotIn("东湖水务", json.loads(posts(self.data)["d0"]["keywords"]))
        rc, out = run_json(self.data, "dict", "add", "東湖水務", "--json", check=0)  # traditional: folded
        self.assertEqual(out, {"added": ["东湖水务"], "reindexed": 3})
        rc, lst = run_json(self.data, "dict", "list", "--json", check=0)
        self.assertEqual([w["word"] for w in lst["words"]], ["东湖水务"])
        self.assertTrue(lst["index_current"])
        # Posts ingested from now on are segmented with the word (the analysis keeps it whole).
        self.write("q.jsonl", json.dumps({"id": "d9", "text": "东湖水务再次回应水质问题", "published_at": 1780279200},
                                         ensure_ascii=False) + "\n")
        run(self.data, "ingest", os.path.join(self.tmp, "q.jsonl"), "--json", check=0)
        self.assertIn("东湖水务", json.loads(posts(self.data)["d9"]["keywords"]))
        rc, hits = run_json(self.data, "search", "东湖水务", "--json", check=0)
        ids = [h["id"] for h in hits["hits"]]
        self.assertEqual(sorted(ids), ["d0", "d9"])  # the word, not 东湖…水务 apart
        rc, out = run_json(self.data, "dict", "add", "东湖水务", "--json", check=0)
        self.assertEqual(out, {"added": [], "reindexed": 0})
        r = run(self.data, "dict", "add", "两 个词")
        self.assertEqual(r.returncode, 2)
        rc, out = run_json(self.data, "dict", "remove", "东湖水务", "--json", check=0)
        self.assertEqual(out["removed"], ["东湖水务"])
        rc, lst = run_json(self.data, "dict", "list", "--json", check=0)
        self.assertEqual((lst["words"], lst["index_current"]), ([], True))


if __name__ == "__main__":
    sys.argv = yqtest.parse_args()
    unittest.main()
