#!/usr/bin/env python3
"""Restart-exact events (issue 22.3): however an ingest is split, restarted or killed, the stored
events, their counters and every post's event and near-duplicate link equal those of one
uninterrupted run over the same posts.

A real stream (the COVID Weibo posts, YUQING_RESTART_POSTS of them, 100,000 by default) is
ingested three ways and every column of posts and events is compared:
  1. once, uninterrupted;
  2. split at random points into prefixes ingested by separate processes;
  3. with kill -9 at random moments, resumed until the ingest finishes.
A small synthetic stream with reposts and copies runs always; the real one skips with a message
when ../shared/data is absent.
"""
import datetime, json, os, random, signal, sqlite3, subprocess, sys, time, unittest

sys.path.insert(0, os.path.dirname(__file__))
import yqtest
from yqtest import TempDirTest

ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", ".."))
COVID = os.path.abspath(os.path.join(ROOT, "..", "shared", "data", "stream", "covid19_weibo_unlabeled_2020.tsv.gz"))
N_REAL = int(os.environ.get("YUQING_RESTART_POSTS", "100000"))


def snapshot(data):
    """Every column the event tracker writes, in a comparable form."""
    db = sqlite3.connect(os.path.join(data, "yuqing.db"))
    posts = db.execute("SELECT id, event_id, dup_of FROM posts ORDER BY id").fetchall()
    events = db.execute("SELECT id, title, first_seen, last_seen, posts, merged_into, doc FROM events ORDER BY id").fetchall()
    db.close()
    return posts, events


def ingest(data, path, kill_after=None):
    """Runs `yuqing ingest`; with kill_after (seconds) sends SIGKILL then. Returns the exit code."""
    p = subprocess.Popen([yqtest.YUQING, "--data", data, "ingest", path, "--json"],
                         stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    if kill_after is None:
        return p.wait(timeout=1800)
    try:
        return p.wait(timeout=kill_after)
    except subprocess.TimeoutExpired:
        p.send_signal(signal.SIGKILL)
        p.wait()
        return -9


def write_prefix(src, dst, n):
    with open(src, encoding="utf-8") as f, open(dst, "w", encoding="utf-8") as out:
        for i, line in enumerate(f):
            if i >= n:
                break
            out.write(line)


class RestartExact(TempDirTest):
    def compare_three_ways(self, path, n, kills):
        rng = random.Random(22)
        once = os.path.join(self.tmp, "once")
        self.assertEqual(ingest(once, path), 0)
        want = snapshot(once)
        self.assertGreater(len(want[1]), 1, "the stream should make several events")

        split = os.path.join(self.tmp, "split")
        cuts = sorted(rng.sample(range(1, n), 3))
        for i, cut in enumerate(cuts):
            part = os.path.join(self.tmp, f"part{i}.jsonl")
            write_prefix(path, part, cut)
            self.assertEqual(ingest(split, part), 0)
        self.assertEqual(ingest(split, path), 0)
        got = snapshot(split)
        self.assert_same(want, got, f"split at {cuts}")

        killed = os.path.join(self.tmp, "killed")
        # The first run's duration sets the kill moments, so that they fall inside the ingest.
        t0 = time.monotonic()
        ingest(os.path.join(self.tmp, "timing"), path)
        span = time.monotonic() - t0
        k = 0
        for _ in range(kills):
            if ingest(killed, path, kill_after=rng.uniform(0.3, max(0.5, span * 0.6))) == -9:
                k += 1
        self.assertEqual(ingest(killed, path), 0)
        got = snapshot(killed)
        print(f"\n{n} posts, {len(want[1])} events: split at {cuts}, {k} kill -9's", file=sys.stderr)
        self.assert_same(want, got, f"{k} kill -9's")

    def assert_same(self, want, got, how):
        wp, we = want
        gp, ge = got
        self.assertEqual(len(wp), len(gp), f"{how}: posts stored")
        bad = [(a, b) for a, b in zip(wp, gp) if a != b]
        self.assertEqual(bad[:5], [], f"{how}: {len(bad)} posts with another event or dup_of")
        self.assertEqual(len(we), len(ge), f"{how}: events")
        bad = [(a[:6], b[:6]) for a, b in zip(we, ge) if a != b]
        self.assertEqual(bad[:3], [], f"{how}: {len(bad)} events differ")

    def test_synthetic_stream_with_reposts_and_copies(self):
        rng = random.Random(5)
        t0 = datetime.datetime(2026, 3, 1, tzinfo=datetime.timezone(datetime.timedelta(hours=8)))
        topics = ["东湖小区停水三天居民生活困难", "地铁二号线早高峰延误乘客滞留", "某中学食堂饭菜发霉家长投诉",
                  "仓库夜间起火消防赶到扑救", "暴雨导致城区多处道路积水"]
        rows = []
        for i in range(3000):
            topic = topics[rng.randrange(len(topics))]
            at = t0 + datetime.timedelta(minutes=7 * i + rng.randrange(5))
            r = {"id": f"s{i}", "source": "weibo", "author": f"u{rng.randrange(300)}",
                 "text": f"{topic}，网友{rng.randrange(1000)}说：{rng.choice(['太糟了', '希望尽快解决', '有关部门在哪'])}",
                 "published_at": at.isoformat()}
            if i > 20 and rng.random() < 0.2:
                r["parent"] = f"s{rng.randrange(i)}"
                r["text"] = "转发微博"
            elif i > 20 and rng.random() < 0.15:
                r["text"] = rows[rng.randrange(len(rows))]["text"]  # a copy
            rows.append(r)
        path = os.path.join(self.tmp, "synthetic.jsonl")
        with open(path, "w", encoding="utf-8") as f:
            f.writelines(json.dumps(r, ensure_ascii=False) + "\n" for r in rows)
        self.compare_three_ways(path, len(rows), kills=3)

    @unittest.skipUnless(os.path.exists(COVID), f"COVID stream not found at {COVID}: skipping the real-data run")
    def test_real_stream(self):
        path = os.path.join(self.tmp, "covid.jsonl")
        subprocess.run([sys.executable, os.path.join(ROOT, "scripts/data/covid_to_jsonl.py"), COVID, path,
                        "--limit", str(N_REAL)], check=True)
        self.compare_three_ways(path, N_REAL, kills=4)

    def test_store_of_an_older_tracker_is_rebuilt(self):
        """A store whose links disagree with the replay (as the old tracker left them) is corrected
        on the next start, and then equals an uninterrupted run."""
        rows = [{"id": f"o{i}", "source": "weibo", "text": f"东湖小区停水第{i % 3}天，居民排队接水",
                 "published_at": f"2026-03-01T0{i // 10}:{i % 10}0:00+08:00"} for i in range(60)]
        path = os.path.join(self.tmp, "o.jsonl")
        with open(path, "w", encoding="utf-8") as f:
            f.writelines(json.dumps(r, ensure_ascii=False) + "\n" for r in rows)
        once = os.path.join(self.tmp, "o-once")
        self.assertEqual(ingest(once, path), 0)
        want = snapshot(once)
        broken = os.path.join(self.tmp, "o-broken")
        self.assertEqual(ingest(broken, path), 0)
        db = sqlite3.connect(os.path.join(broken, "yuqing.db"))
        db.execute("UPDATE posts SET event_id = event_id + 1000, dup_of = '' WHERE rowid % 2 = 0")
        db.execute("UPDATE events SET posts = 1")
        db.execute("UPDATE event_tracker SET value = 0")
        db.commit()
        db.close()
        self.assertEqual(ingest(broken, path), 0)  # opens the pipeline: the rebuild runs
        self.assert_same(want, snapshot(broken), "rebuild of an older store")


if __name__ == "__main__":
    unittest.main(argv=yqtest.parse_args())
