#!/usr/bin/env python3
"""yuqing ingest --watch DIR (issue 18): a writer appends to files while the watcher runs, lines
are written in pieces (the watcher must never read half a line), the watcher is stopped with
Ctrl-C (SIGINT) and restarted, and every record is stored exactly once: the counts are exact."""
import json, os, signal, sqlite3, subprocess, sys, time, unittest

sys.path.insert(0, os.path.dirname(__file__))
import yqtest
from yqtest import wait_until


def stored(data):
    path = os.path.join(data, "yuqing.db")
    if not os.path.exists(path):
        return 0, 0
    db = sqlite3.connect(path, timeout=30)
    try:
        return (db.execute("SELECT count(*) FROM posts").fetchone()[0],
                db.execute("SELECT count(*) FROM quarantine").fetchone()[0])
    except sqlite3.OperationalError:  # tables not created yet
        return 0, 0
    finally:
        db.close()


def line(i):
    return json.dumps({"id": "w%d" % i, "text": "东湖第%d条反映：水有异味" % i, "published_at": 1780275600 + i},
                      ensure_ascii=False) + "\n"


class Watch(yqtest.TempDirTest):
    def start(self, folder):
        p = subprocess.Popen([yqtest.YUQING, "--data", self.data, "ingest", "--watch", folder, "--json"],
                             stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        self.procs.append(p)
        return p

    def stop(self, p):
        p.send_signal(signal.SIGINT)
        out, err = p.communicate(timeout=60)
        self.assertEqual(p.returncode, 0, err[-2000:])
        return json.loads(out.strip().splitlines()[-1])

    def setUp(self):
        super().setUp()
        self.procs = []

    def tearDown(self):
        for p in self.procs:
            if p.poll() is None:
                p.kill()
                p.wait()
        super().tearDown()

    def test_appends_partial_lines_restart_exact_counts(self):
        folder = os.path.join(self.tmp, "crawl")
        os.makedirs(os.path.join(folder, "weibo"))
        a = os.path.join(folder, "a.jsonl")
        with open(a, "w", encoding="utf-8") as f:
            f.write(line(0) + line(1))
        p = self.start(folder)
        wait_until(lambda: stored(self.data)[0] == 2, timeout=60, what="the two existing records")
        with open(a, "a", encoding="utf-8") as f:
            text = line(2)
            f.write(text[:10])          # half a line, flushed: must not be read
            f.flush()
            f.write(text[10:] + "{bad json\n")
            f.flush()
            for i in range(3, 20):
                f.write(line(i))
        # A new file in a new subfolder, written while watched; a CSV whose last row is still open.
        b = os.path.join(folder, "weibo", "b.csv")
        with open(b, "w", encoding="utf-8") as f:
            f.write("id,text,published_at\n")
            f.write("c1,\"第一行\n带换行\",2026-06-01 09:00\n")
            f.flush()
            f.write("c2,\"还没写完")
            f.flush()
        wait_until(lambda: stored(self.data) == (21, 1), timeout=60, what="20 + 1 posts and the bad line")
        c = self.stop(p)
        self.assertEqual(c, {"stored": 21, "duplicates": 0, "quarantined": 1})

        # While nothing watches, the writers go on; the restarted watcher reads only what is new.
        with open(b, "a", encoding="utf-8") as f:
            f.write("\",2026-06-01 10:00\n")
        with open(a, "a", encoding="utf-8") as f:
            for i in range(20, 25):
                f.write(line(i))
        p = self.start(folder)
        wait_until(lambda: stored(self.data) == (27, 1), timeout=60, what="the records written while stopped")
        with open(os.path.join(folder, "late.json"), "w", encoding="utf-8") as f:
            json.dump([{"id": "j1", "text": "整份文件写完才读"}], f, ensure_ascii=False)
        wait_until(lambda: stored(self.data) == (28, 1), timeout=60, what="the closed JSON document")
        c = self.stop(p)
        self.assertEqual(c, {"stored": 7, "duplicates": 0, "quarantined": 0})
        db = sqlite3.connect(os.path.join(self.data, "yuqing.db"))
        self.assertEqual(db.execute("SELECT text FROM posts WHERE id = 'c2'").fetchone()[0], "还没写完")
        self.assertEqual(db.execute("SELECT line, code FROM quarantine").fetchone(), (4, "bad_json"))
        db.close()

    def test_not_a_folder_is_exit_2(self):
        r = yqtest.run(self.data, "ingest", "--watch", os.path.join(self.tmp, "nope"), "--json")
        self.assertEqual(r.returncode, 2)


if __name__ == "__main__":
    sys.argv = yqtest.parse_args()
    unittest.main()
