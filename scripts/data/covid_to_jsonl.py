#!/usr/bin/env python3
"""Converts the COVID-19 Weibo stream (date<TAB>userid<TAB>text, gzip) into yuqing's post format.

    scripts/data/covid_to_jsonl.py ../shared/data/stream/covid19_weibo_unlabeled_2020.tsv.gz OUT.jsonl [--limit N]

Every input line becomes one output line (nothing is dropped here: malformed lines are passed on
as they are, so that yuqing's own quarantine accounts for them). Dates are day-level; posts of one
day are spread over the day in file order so that a replay sees time pass.
"""
import argparse, gzip, json, sys
from datetime import datetime, timedelta, timezone

CST = timezone(timedelta(hours=8))


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("src")
    ap.add_argument("out")
    ap.add_argument("--limit", type=int, default=0)
    a = ap.parse_args()
    opener = gzip.open if a.src.endswith(".gz") else open
    rows = []
    with opener(a.src, "rt", encoding="utf-8", errors="surrogateescape", newline="\n") as f:
        header = f.readline()
        for n, line in enumerate(f):
            if a.limit and n >= a.limit:
                break
            rows.append(line.rstrip("\n"))
    per_day = {}
    for line in rows:
        per_day[line.split("\t", 1)[0]] = per_day.get(line.split("\t", 1)[0], 0) + 1
    seen_day = {}
    with open(a.out, "w", encoding="utf-8", errors="surrogateescape") as out:
        for n, line in enumerate(rows):
            parts = line.split("\t", 2)
            if len(parts) != 3:
                out.write(line + "\n")  # let yuqing quarantine it with its line number
                continue
            day, uid, text = parts
            k = seen_day.get(day, 0)
            seen_day[day] = k + 1
            try:
                t0 = datetime.strptime(day, "%Y-%m-%d").replace(tzinfo=CST)
                t = t0 + timedelta(seconds=int(86399 * k / max(1, per_day[day])))
                published = t.isoformat()
            except ValueError:
                published = day
            rec = {"id": f"covid-{n + 1}", "source": "weibo", "text": text, "published_at": published,
                   "author": {"id": uid}}
            out.write(json.dumps(rec, ensure_ascii=False) + "\n")
    print(f"{len(rows)} records -> {a.out}", file=sys.stderr)


if __name__ == "__main__":
    main()
