#!/usr/bin/env python3
"""Integration tests of `yuqing cascades`: the real binary on repost cascades, good and bad input."""
import gzip, json, os, subprocess, sys, tempfile, unittest
from datetime import datetime, timedelta, timezone

sys.path.insert(0, os.path.dirname(__file__))
import yqtest
from yqtest import TempDirTest

CST = timezone(timedelta(hours=8))
T0 = datetime(2026, 6, 1, 9, tzinfo=CST)


def jsonl(rows):
    return "".join(json.dumps(r, ensure_ascii=False) + "\n" for r in rows)


def cascade(root="root1", reposts=5, late=3, text="东湖水厂附近突发大火，浓烟滚滚", repost_text="转发微博"):
    rows = [{"id": root, "source": "weibo", "text": text, "published_at": T0.isoformat(),
             "author": {"id": "a1", "followers": 120000, "verified": True}}]
    for i in range(reposts):
        rows.append({"id": f"{root}-r{i}", "source": "weibo", "text": repost_text, "parent": root if i % 2 == 0 else f"{root}-r{i - 1}",
                     "published_at": (T0 + timedelta(minutes=10 * (i + 1))).isoformat(), "author": {"id": f"u{i}"}})
    for i in range(late):
        rows.append({"id": f"{root}-late{i}", "source": "weibo", "text": repost_text, "parent": f"{root}-r0",
                     "published_at": (T0 + timedelta(hours=2, minutes=i)).isoformat(), "author": {"id": f"v{i}"}})
    return rows


def cascades(*args):
    r = subprocess.run([yqtest.YUQING, "cascades", *args], capture_output=True, text=True, timeout=120)
    out = {}
    for line in r.stdout.splitlines():
        if line.startswith("{"):
            j = json.loads(line)
            out[j["id"]] = j
    return r, out


class Cascades(TempDirTest):
    def test_json_per_root_with_ordered_interval(self):
        rows = cascade() + cascade("root2", reposts=0, late=0, text="今天天气不错")
        f = self.write("c.jsonl", jsonl(rows))
        r, out = cascades("--input", f, "--at", "60m", "--threshold", "500", "--threshold", "20", "--json")
        self.assertEqual(r.returncode, 0, r.stderr)
        self.assertEqual(set(out), {"root1", "root2"})
        j = out["root1"]
        self.assertEqual(j["observed"], 5)  # the three at 2 h are beyond --at
        self.assertTrue(j["observed"] <= j["low"] <= j["forecast"] <= j["high"], j)
        self.assertEqual(set(j["p_exceeds"]), {"500", "20"})
        self.assertGreaterEqual(j["p_exceeds"]["20"], j["p_exceeds"]["500"])
        self.assertTrue(0 <= j["rumor"] <= 1)
        self.assertIn(j["method"], ("model", "seismic"))
        self.assertEqual(out["root2"]["observed"], 0)
        # A later horizon sees the late reposts too (transitively: they repost a repost).
        r, out = cascades("--input", f, "--at", "3h", "--json", "--no-text-model")
        self.assertEqual(out["root1"]["observed"], 8)

    def test_without_a_model_file_seismic_alone(self):
        models = os.path.join(self.tmp, "empty-models")
        os.makedirs(models)
        f = self.write("c.jsonl", jsonl(cascade()))
        r, out = cascades("--input", f, "--at", "60m", "--json", "--models", models)
        self.assertEqual(r.returncode, 0, r.stderr)
        self.assertEqual(out["root1"]["method"], "seismic")
        j = out["root1"]
        self.assertTrue(j["observed"] <= j["low"] <= j["forecast"] <= j["high"], j)

    def test_a_broken_model_file_is_an_error(self):
        models = os.path.join(self.tmp, "bad-models")
        os.makedirs(models)
        with open(os.path.join(models, "cascade.json"), "w") as fh:
            fh.write("{\"version\": 1}")
        f = self.write("c.jsonl", jsonl(cascade()))
        r, out = cascades("--input", f, "--json", "--models", models, "--no-text-model")
        self.assertEqual(r.returncode, 2)
        self.assertIn("cascade.json", r.stderr)

    def test_human_table_in_chinese_and_english(self):
        f = self.write("c.jsonl", jsonl(cascade()))
        r, _ = cascades("--input", f, "--no-text-model")
        self.assertEqual(r.returncode, 0, r.stderr)
        self.assertIn("预测最终转发", r.stdout)
        self.assertIn("root1", r.stdout)
        r = subprocess.run([yqtest.YUQING, "--lang", "en", "cascades", "--input", f, "--no-text-model"],
                           capture_output=True, text=True, timeout=120)
        self.assertIn("forecast", r.stdout)

    def test_missing_file_is_exit_2_in_chinese(self):
        r, out = cascades("--input", os.path.join(self.tmp, "nope.jsonl"), "--json")
        self.assertEqual(r.returncode, 2)
        self.assertIn("找不到输入文件", r.stderr)
        self.assertEqual(out, {})

    def test_bad_at_is_exit_2_in_chinese(self):
        f = self.write("c.jsonl", jsonl(cascade()))
        for bad in ("soon", "-5m", "0m", ""):
            r, out = cascades("--input", f, "--at", bad, "--json")
            self.assertEqual(r.returncode, 2, bad)
            self.assertIn("--at 不是有效的时长", r.stderr, bad)
            self.assertEqual(out, {})

    def test_malformed_lines_are_reported_with_their_number(self):
        rows = jsonl(cascade()).splitlines()
        rows.insert(2, '{"id": "broken", "text": ')
        rows.insert(4, json.dumps({"id": "nodate", "text": "转发微博", "parent": "root1"}))
        f = self.write("c.jsonl", "\n".join(rows) + "\n")
        r, out = cascades("--input", f, "--at", "60m", "--json", "--no-text-model")
        self.assertEqual(r.returncode, 2)
        self.assertIn("第 3 行", r.stderr)
        self.assertIn("第 5 行", r.stderr)
        self.assertEqual(out["root1"]["observed"], 5)  # the good lines still count


class RealCed(TempDirTest):
    """Forecasts on a few real CED cascades (skipped when ../shared/data is absent)."""

    def test_real_cascades_are_forecast(self):
        path = os.path.join(yqtest.SHARED_DATA, "rumor", "ced_weibo_rumor_train.jsonl.gz")
        if not os.path.exists(path):
            self.skipTest(f"skipped: {path} is absent")
        rows = []
        with gzip.open(path, "rt", encoding="utf-8") as fh:
            for i, line in enumerate(fh):
                if i >= 10:
                    break
                o = json.loads(line)
                t0 = datetime.fromtimestamp(int(o["time"]), CST) if str(o["time"]).isdigit() else None
                if t0 is None:
                    continue
                rows.append({"id": o["id"], "text": o["text"] or "转发微博", "published_at": t0.isoformat()})
                for d, _u, mid, parent, text in o["reposts"]:
                    if len(d) == 19:
                        rows.append({"id": "r" + mid, "text": text or "转发微博", "parent": "r" + parent if parent else o["id"],
                                     "published_at": d.replace(" ", "T") + "+08:00"})
        f = self.write("ced.jsonl", jsonl(rows))
        r, out = cascades("--input", f, "--at", "1h", "--json", "--no-text-model")
        self.assertIn(r.returncode, (0, 2), r.stderr[-500:])
        self.assertGreaterEqual(len(out), 5)
        for j in out.values():
            self.assertTrue(j["observed"] <= j["low"] <= j["forecast"] <= j["high"], j)


if __name__ == "__main__":
    unittest.main(argv=yqtest.parse_args())
