#!/usr/bin/env python3
"""Real data through the real binary: the CED rumour stream (originals + reposts) and the COVID
Weibo stream, converted by the project's scripts. Nothing may crash or be dropped silently:
stored + duplicates + quarantined must equal the records in. Skips when ../shared/data is absent.

YUQING_REAL_FULL=1 runs the whole corpora (about 1.6M records); the default is a sample.
"""
import gzip, json, os, subprocess, sys, unittest

sys.path.insert(0, os.path.dirname(__file__))
import yqtest
from yqtest import run_json, TempDirTest

ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", ".."))
DATA = os.path.abspath(os.path.join(ROOT, "..", "shared", "data"))
CED = os.path.join(DATA, "rumor", "ced_weibo_rumor_train.jsonl.gz")
COVID = os.path.join(DATA, "stream", "covid19_weibo_unlabeled_2020.tsv.gz")
FULL = os.environ.get("YUQING_REAL_FULL") == "1"


def lines(path):
    with open(path, encoding="utf-8", errors="replace") as f:
        return sum(1 for line in f if line.strip())


class RealData(TempDirTest):
    @unittest.skipUnless(os.path.exists(CED), f"CED data not found at {CED}: skipping")
    def test_ced_stream_counts_add_up(self):
        out = os.path.join(self.tmp, "ced.jsonl")
        args = [] if FULL else ["--limit", "300"]
        subprocess.run([sys.executable, os.path.join(ROOT, "scripts/data/ced_to_jsonl.py"), CED, out, *args], check=True)
        n = lines(out)
        rc, c = run_json(self.data, "ingest", out, "--json", check=0, timeout=3600)
        self.assertEqual(c["stored"] + c["duplicates"] + c["quarantined"], n, c)
        rc, s = run_json(self.data, "stats", "--json", check=0)
        self.assertEqual(s["posts"], c["stored"])
        self.assertEqual(s["quarantined"], c["quarantined"])
        # Reposts keep their parent link.
        rc, r = run_json(self.data, "search", "转发微博", "--limit", "5", "--json", check=0)
        self.assertTrue(all(h["parent"] for h in r["hits"]))

    @unittest.skipUnless(os.path.exists(COVID), f"COVID stream not found at {COVID}: skipping")
    def test_covid_stream_counts_add_up(self):
        out = os.path.join(self.tmp, "covid.jsonl")
        args = [] if FULL else ["--limit", "30000"]
        subprocess.run([sys.executable, os.path.join(ROOT, "scripts/data/covid_to_jsonl.py"), COVID, out, *args], check=True)
        n = lines(out)
        rc, c = run_json(self.data, "ingest", out, "--json", check=0, timeout=3600)
        self.assertEqual(c["stored"] + c["duplicates"] + c["quarantined"], n, c)
        rc, again = run_json(self.data, "ingest", out, "--json", check=0, timeout=3600)
        self.assertEqual(again["stored"], 0)
        rc, r = run_json(self.data, "search", "口罩", "--limit", "3", "--json", check=0)
        self.assertEqual(len(r["hits"]), 3)


if __name__ == "__main__":
    unittest.main(argv=yqtest.parse_args())
