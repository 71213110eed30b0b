#!/usr/bin/env python3
"""Converts the CED Weibo rumour dataset (originals with their repost trees) into yuqing's post
format: one line per original and per repost, in time order.

    scripts/data/ced_to_jsonl.py ../shared/data/rumor/ced_weibo_rumor_train.jsonl.gz OUT.jsonl [--limit N]

Copes with the data's mess: `time` as unix seconds or Weibo's "Wed Aug 08 13:25:02 +0800 2012";
`user` as an object or a plain string; repost dates in Beijing time, some without the year
("02月06日 17:45", completed from the original's year); empty repost texts (Weibo shows them as
"转发微博"); repeated repost ids (kept: yuqing counts them as duplicates). The original's label is
kept in extra.label so that rumour events can be scored.
"""
import argparse, gzip, json, re, sys
from datetime import datetime, timedelta, timezone

CST = timezone(timedelta(hours=8))


def original_time(v):
    if isinstance(v, (int, float)):
        return datetime.fromtimestamp(v, tz=timezone.utc)
    s = str(v).strip()
    if s.isdigit():
        return datetime.fromtimestamp(int(s), tz=timezone.utc)
    return datetime.strptime(s, "%a %b %d %H:%M:%S %z %Y")


def repost_time(s, year):
    s = s.strip()
    try:
        return datetime.strptime(s, "%Y-%m-%d %H:%M:%S").replace(tzinfo=CST)
    except ValueError:
        pass
    m = re.match(r"(\d+)月(\d+)日\s*(\d+):(\d+)", s)
    if m:
        return datetime(year, int(m[1]), int(m[2]), int(m[3]), int(m[4]), tzinfo=CST)
    return None


def fold_of(key):
    """The trainers' fold (analysis::HeldOut, bench/quality/sets.py): 0 is held out."""
    h = 1469598103934665603
    for c in key.encode("utf-8"):
        h = ((h ^ c) * 1099511628211) & 0xFFFFFFFFFFFFFFFF
    return h % 5


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("src")
    ap.add_argument("out")
    ap.add_argument("--limit", type=int, default=0, help="originals to convert (0 = all)")
    ap.add_argument("--every", type=int, default=1, help="keep every k-th original (a sample across the file)")
    ap.add_argument("--fold", choices=["all", "held-out", "train"], default="all",
                    help="held-out: only the fifth the models never train on (FNV-1a(id) %% 5 == 0); train: the rest")
    a = ap.parse_args()
    opener = gzip.open if a.src.endswith(".gz") else open
    out_rows, bad, n_orig, seen = [], 0, 0, 0
    with opener(a.src, "rt", encoding="utf-8") as f:
        for line in f:
            if a.limit and n_orig >= a.limit:
                break
            line = line.strip()
            if not line:
                continue
            seen += 1
            if (seen - 1) % a.every:
                continue
            o = json.loads(line)
            if a.fold != "all" and (fold_of(str(o["id"])) == 0) != (a.fold == "held-out"):
                continue
            n_orig += 1
            t = original_time(o["time"])
            user = o.get("user")
            author = {"id": "", "name": ""}
            if isinstance(user, dict):
                author.update(followers=int(user.get("followers") or 0), verified=bool(user.get("verified")),
                              location=str(user.get("location") or ""))
            elif isinstance(user, str):
                author["name"] = user
            oid = "ced-" + str(o["id"])
            out_rows.append((t, {"id": oid, "source": "weibo", "text": o.get("text") or "转发微博",
                                 "published_at": t.isoformat(), "author": author,
                                 "metrics": {"reposts": int(o.get("reposts_count") or 0),
                                             "comments": int(o.get("comments") or 0), "likes": int(o.get("likes") or 0)},
                                 "extra": {"label": o.get("label"), "ced_id": o["id"]}}))
            for r in o.get("reposts") or []:
                date, uid, mid, parent_mid, text = (list(r) + [""] * 5)[:5]
                rt = repost_time(str(date), t.astimezone(CST).year)
                rec = {"id": "ced-r-" + str(mid), "source": "weibo", "text": text or "转发微博",
                       "author": {"id": str(uid)}, "parent": "ced-r-" + parent_mid if parent_mid else oid,
                       "extra": {"root": oid, "label": o.get("label")}}
                if rt is None:
                    rec["published_at"] = str(date)  # yuqing quarantines it as bad_date
                    bad += 1
                    out_rows.append((t, rec))
                else:
                    rec["published_at"] = rt.isoformat()
                    out_rows.append((rt, rec))
    out_rows.sort(key=lambda x: x[0])
    with open(a.out, "w", encoding="utf-8") as out:
        for _, rec in out_rows:
            out.write(json.dumps(rec, ensure_ascii=False) + "\n")
    print(f"{n_orig} originals, {len(out_rows)} records ({bad} with unreadable dates) -> {a.out}", file=sys.stderr)


if __name__ == "__main__":
    main()
