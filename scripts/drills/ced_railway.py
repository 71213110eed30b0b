#!/usr/bin/env python3
"""Builds the posts of the railway-accident drill (examples/drills/railway-accident.yaml) from real
public Weibo cascades of the CED rumour dataset (../shared/data/rumor, see its README): the
originals that talk about trains and railways (火车, 列车, 动车, 高铁, 铁路, 铁道部), with their
whole repost trees and real repost timing, laid one after another a few minutes apart so that they
flood the monitoring schemes the way a railway crisis does. The data is never committed: this
script writes it next to the scenario, and `yuqing drill run` says to run this script when the
file is missing.

    scripts/drills/ced_railway.py [--ced ../shared/data/rumor/ced_weibo_rumor_train.jsonl.gz]
                                  [--out examples/drills/railway-accident.ced.jsonl] [--cascades 12]
Deterministic: the same data gives the same file.
"""
import argparse, gzip, json, os, sys
from datetime import datetime, timedelta, timezone

sys.path.insert(0, os.path.join(os.path.dirname(__file__), "..", "data"))
from ced_to_jsonl import original_time, repost_time  # noqa: E402  (the same reading of CED's dates)

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(os.path.dirname(HERE))
DEFAULT_CED = os.path.join(ROOT, "..", "shared", "data", "rumor", "ced_weibo_rumor_train.jsonl.gz")
DEFAULT_OUT = os.path.join(ROOT, "examples", "drills", "railway-accident.ced.jsonl")
WORDS = ("火车", "列车", "动车", "高铁", "铁路", "铁道部")
BASE = datetime(2026, 1, 1, tzinfo=timezone(timedelta(hours=8)))  # the drill moves the file to its own time
SPACING = timedelta(minutes=9)  # between the starts of two cascades
HORIZON = timedelta(hours=10)   # reposts later than this after their original are left out


def cascades(path):
    with gzip.open(path, "rt", encoding="utf-8") as f:
        for line in f:
            o = json.loads(line)
            text = (o.get("text") or "").replace("机动车", "")  # 非机动车道 is no railway
            if any(w in text for w in WORDS):
                yield o


def rows_of(o, start):
    t0 = original_time(o["time"])
    oid = "ced-" + str(o["id"])
    user = o.get("user") if isinstance(o.get("user"), dict) else {}
    yield start, {"id": oid, "source": "weibo", "text": o["text"], "published_at": start.isoformat(),
                  "author": {"id": str(user.get("id", "")), "name": str(user.get("name", "") or user.get("screen_name", "")),
                             "followers": int(user.get("followers") or 0), "verified": bool(user.get("verified"))},
                  "metrics": {"reposts": int(o.get("reposts_count") or 0), "comments": int(o.get("comments") or 0),
                              "likes": int(o.get("likes") or 0)},
                  "extra": {"ced_id": o["id"], "label": o.get("label")}}
    for r in o.get("reposts") or []:
        date, uid, mid, parent_mid, text = (list(r) + [""] * 5)[:5]
        rt = repost_time(str(date), t0.astimezone(BASE.tzinfo).year)
        if rt is None:
            continue
        gap = max(rt - t0, timedelta(0))
        if gap > HORIZON:
            continue
        t = start + gap
        yield t, {"id": "ced-r-" + str(mid), "source": "weibo", "text": text or "转发微博", "published_at": t.isoformat(),
                  "author": {"id": str(uid)}, "parent": "ced-r-" + parent_mid if parent_mid else oid,
                  "extra": {"root": oid}}


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--ced", default=DEFAULT_CED)
    ap.add_argument("--out", default=DEFAULT_OUT)
    ap.add_argument("--cascades", type=int, default=12, help="the largest railway cascades to take")
    a = ap.parse_args()
    if not os.path.exists(a.ced):
        sys.exit(f"CED data not found: {a.ced} (see ../shared/data/README.md)")
    picked = sorted(cascades(a.ced), key=lambda o: (-len(o.get("reposts") or []), str(o["id"])))[: a.cascades]
    # Smaller cascades first, the largest last: the flood grows.
    picked.reverse()
    rows = []
    for k, o in enumerate(picked):
        rows.extend(rows_of(o, BASE + k * SPACING))
    rows.sort(key=lambda x: x[0])
    with open(a.out, "w", encoding="utf-8") as out:
        for _, rec in rows:
            out.write(json.dumps(rec, ensure_ascii=False) + "\n")
    span = rows[-1][0] - rows[0][0]
    print(f"{len(picked)} CED railway cascades, {len(rows)} posts over {span} -> {a.out}")


if __name__ == "__main__":
    main()
