#!/usr/bin/env python3
"""Are the warnings worth waking up for? CED cascades the models never trained on, replayed in time
order under one broad scheme (`source:weibo`) with a policy (the default unless --policy), scored
against how big each cascade really became.

    bench/warning/cascade_alerts.py [--yuqing build/yuqing] [--fold held-out|train|all]
                                    [--policy FILE ...] [--big 500] [--early 100] [--json OUT]

Several --policy files are measured in one replay: one scheme per policy over the same stream
(each scheme's alerts scored on their own), so comparing policies costs one replay.

For every cascade (an original and its reposts; ced_to_jsonl.py keeps the root in extra.root):
  final   = its reposts in the data; big = final >= --big (500)
  alerted = an alert on an event holding the cascade's posts reached level III or higher (alert
            history: raised/upgraded at severity >= 2) while the cascade ran
  early   = ... before the cascade's --early-th (100th) repost
Prints recall (big cascades alerted early), precision (alerted cascades that are big), the base
rate, and the same for level IV and above, beside a plain reference measured in the same run: a
repost-count rule (alert a cascade at its k-th repost within its first hour, k the smallest count
that recalls 80% of the big cascades of the *train* fold). The issue's targets: recall >= 0.90,
precision >= 0.70 at level >= III.
"""
import argparse
import collections
import json
import os
import shutil
import sqlite3
import subprocess
import sys
import tempfile
import time

ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", ".."))
CED = os.path.join(ROOT, "..", "shared", "data", "rumor", "ced_weibo_rumor_train.jsonl.gz")


def convert(fold, out):
    subprocess.run([sys.executable, os.path.join(ROOT, "scripts/data/ced_to_jsonl.py"), CED, out, "--fold", fold],
                   check=True, capture_output=True)


def cascades_of(path):
    """root → sorted repost times (ms) and the root's time, from the converted stream."""
    import datetime
    reposts, root_time = collections.defaultdict(list), {}
    with open(path, encoding="utf-8") as f:
        for line in f:
            r = json.loads(line)
            t = datetime.datetime.fromisoformat(r["published_at"]).timestamp() * 1000
            root = (r.get("extra") or {}).get("root")
            if root:
                reposts[root].append(t)
            else:
                root_time[r["id"]] = t
    for v in reposts.values():
        v.sort()
    return root_time, reposts


def count_rule_k(train_root_time, train_reposts, big, share=0.8):
    """The smallest first-hour repost count k that still flags `share` of the train fold's big cascades."""
    firsts = sorted((sum(1 for t in train_reposts.get(r, []) if t - t0 <= 3600000) for r, t0 in train_root_time.items()
                     if len(train_reposts.get(r, [])) >= big), reverse=True)
    if not firsts:
        return 1
    return max(1, firsts[min(len(firsts) - 1, int(share * len(firsts)))])


def score(flagged_at, root_time, reposts, big, early):
    """(recall of big cascades flagged before their early-th repost, precision of flagged, n flagged)."""
    bigs = [r for r in root_time if len(reposts.get(r, [])) >= big]
    caught = 0
    for r in bigs:
        rs = reposts[r]
        t_early = rs[early - 1] if len(rs) >= early else float("inf")
        if r in flagged_at and flagged_at[r] < t_early:
            caught += 1
    flagged = [r for r in flagged_at]
    true = sum(1 for r in flagged if len(reposts.get(r, [])) >= big)
    return (caught / len(bigs) if bigs else 0.0, true / len(flagged) if flagged else 0.0, len(flagged), len(bigs))


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--yuqing", default=os.path.join(ROOT, "build", "yuqing"))
    ap.add_argument("--fold", default="held-out", choices=["held-out", "train", "all"])
    ap.add_argument("--policy", action="append", default=[],
                    help="a policy file (YAML/JSON) for the scheme; repeat to compare several in one replay; "
                         "'default' or none: the default policy")
    ap.add_argument("--big", type=int, default=500)
    ap.add_argument("--early", type=int, default=100)
    ap.add_argument("--json", help="write the figures here")
    a = ap.parse_args()
    if not os.path.exists(CED):
        print(f"CED data not found at {CED}: nothing to measure (skipped)")
        return 0
    tmp = tempfile.mkdtemp(prefix="yq-cascade-alerts-")
    try:
        stream, train = os.path.join(tmp, "ced.jsonl"), os.path.join(tmp, "train.jsonl")
        convert(a.fold, stream)
        convert("train", train)
        root_time, reposts = cascades_of(stream)
        k = count_rule_k(*cascades_of(train), a.big)
        data = os.path.join(tmp, "data")

        def y(*args):
            return subprocess.run([a.yuqing, "--lang", "en", "--data", data, *args], check=True, capture_output=True,
                                  text=True)

        policies = a.policy or ["default"]
        for i, pol in enumerate(policies):
            add = ["topics", "add", "--name", f"微博全量{i}", "--query", "source:weibo"]
            if pol != "default":
                add += ["--policy", os.path.abspath(pol)]
            y(*add)
        t0 = time.monotonic()
        y("replay", stream, "--speed", "max", "--json")
        replay_s = time.monotonic() - t0

        con = sqlite3.connect(os.path.join(data, "yuqing.db"))
        scheme_ids = [con.execute("SELECT id FROM schemes WHERE name = ?", (f"微博全量{i}",)).fetchone()[0]
                      for i in range(len(policies))]
        event_roots = collections.defaultdict(set)
        for pid, extra, event in con.execute("SELECT id, extra, event_id FROM posts WHERE event_id != 0"):
            e = json.loads(extra) if extra else {}
            root = e.get("root") or (pid if e.get("ced_id") else None)
            if root:
                event_roots[event].add(root)
        flagged = {sid: {2: {}, 1: {}} for sid in scheme_ids}  # scheme → min severity → root → first time
        n_alerts = collections.Counter()
        for scheme, event, at, sev in con.execute(
                "SELECT a.scheme_id, a.event_id, h.at, h.severity FROM alert_history h JOIN alerts a ON a.id = h.alert_id "
                "WHERE h.kind IN ('raised', 'upgraded') ORDER BY h.at"):
            if scheme not in flagged:
                continue
            n_alerts[scheme] += 1
            for root in event_roots.get(event, ()):
                rs = reposts.get(root, [])
                end = rs[-1] if rs else root_time.get(root, 0)
                if not (root_time.get(root, 0) <= at <= end + 3600000):
                    continue  # the alert is about another cascade that shared the event
                for m in flagged[scheme]:
                    if sev >= m and root not in flagged[scheme][m]:
                        flagged[scheme][m][root] = at
        con.close()
        # The plain reference: flag a cascade at its k-th repost if that comes within its first hour.
        rule = {}
        for r, t in root_time.items():
            rs = reposts.get(r, [])
            if len(rs) >= k and rs[k - 1] - t <= 3600000:
                rule[r] = rs[k - 1]
        bigs = sum(1 for r in root_time if len(reposts.get(r, [])) >= a.big)
        res = {"fold": a.fold, "cascades": len(root_time), "big": bigs, "base_rate": round(bigs / len(root_time), 3),
               "replay_seconds": round(replay_s, 1), "policies": []}
        for pol, sid in zip(policies, scheme_ids):
            row = {"policy": pol, "alert_history_rows": n_alerts[sid]}
            for m, name in ((2, "III"), (1, "IV")):
                rec, prec, n, _ = score(flagged[sid][m], root_time, reposts, a.big, a.early)
                row[f"level_{name}_or_higher"] = {"cascades_alerted": n, "recall_before_early": round(rec, 3),
                                                  "precision": round(prec, 3)}
            res["policies"].append(row)
        rec, prec, n, _ = score(rule, root_time, reposts, a.big, a.early)
        res["reference_count_rule"] = {"k_first_hour": k, "cascades_alerted": n, "recall_before_early": round(rec, 3),
                                       "precision": round(prec, 3)}
        print(json.dumps(res, ensure_ascii=False, indent=1))
        if a.json:
            with open(a.json, "w") as f:
                json.dump(res, f, ensure_ascii=False, indent=1)
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
