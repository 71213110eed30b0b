#!/usr/bin/env python3
"""Replays the CED rumour stream (originals + reposts, in time order, on the stream's clock)
through `yuqing replay` with one catch-all monitoring scheme, and reports how early the warning
stage speaks about each cascade:

  - rumour cascades: how many drew an alert, and the median time from the cascade's first post
    to its first alert;
  - non-rumour cascades: how many drew an alert (false alarms, from the rumour point of view).

A cascade is an original and its reposts (ced_to_jsonl.py keeps the original's id in extra.root
and its label in extra.label); an alert belongs to the cascades of the posts in its event.

    bench/warning/ced_replay.py [--yuqing build/yuqing] [--originals N] [--json OUT]
"""
import argparse, datetime, json, os, shutil, sqlite3, statistics, subprocess, sys, tempfile, time

ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", ".."))
CED = os.path.join(ROOT, "..", "shared", "data", "rumor", "ced_weibo_rumor_train.jsonl.gz")
CATCH_ALL = "转发 OR 微博 OR 的 OR 了 OR 是 OR 我 OR 不 OR 在 OR 有 OR 人"


def iso(s):
    return datetime.datetime.fromisoformat(s.replace("Z", "+00:00")).timestamp()


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--yuqing", default=os.path.join(ROOT, "build", "yuqing"))
    ap.add_argument("--originals", type=int, default=0, help="cascades to replay (0 = all 2,716)")
    ap.add_argument("--every", type=int, default=1, help="replay every k-th cascade (a sample of both labels)")
    ap.add_argument("--json", help="write the figures here")
    a = ap.parse_args()
    if not os.path.exists(CED):
        print(f"CED data not found at {CED}: nothing to measure")
        return 0
    tmp = tempfile.mkdtemp(prefix="yq-ced-")
    stream = os.path.join(tmp, "ced.jsonl")
    conv = [sys.executable, os.path.join(ROOT, "scripts/data/ced_to_jsonl.py"), CED, stream]
    if a.originals:
        conv += ["--limit", str(a.originals)]
    if a.every > 1:
        conv += ["--every", str(a.every)]
    subprocess.run(conv, check=True)
    data = os.path.join(tmp, "data")
    y = lambda *args: subprocess.run([a.yuqing, "--data", data, *args], check=True, capture_output=True, text=True)
    y("topics", "add", "--name", "CED全量", "--query", CATCH_ALL)
    t0 = time.monotonic()
    out = json.loads(y("replay", stream, "--speed", "max", "--json").stdout.strip().splitlines()[-1])
    replay_s = time.monotonic() - t0
    listed = y("alerts", "list", "--limit", "10000", "--json")
    try:
        alerts = json.loads(listed.stdout)["items"]
    except ValueError:
        sys.exit(f"alerts list did not print JSON: {listed.stdout[:200]!r} {listed.stderr[:500]!r}")

    con = sqlite3.connect(os.path.join(data, "yuqing.db"))
    cascade_first, cascade_label, event_cascades = {}, {}, {}
    for pid, t, extra, event in con.execute("SELECT id, published_at, extra, event_id FROM posts"):
        try:
            e = json.loads(extra) if extra else {}
        except ValueError:
            e = {}
        root = e.get("root") or (pid if e.get("ced_id") else None)
        if not root:
            continue
        cascade_first[root] = min(cascade_first.get(root, t), t)
        cascade_label[root] = e.get("label")
        if event:
            event_cascades.setdefault(event, set()).add(root)
    # An alert speaks about a cascade when it is raised on an event holding the cascade's posts at
    # or after the cascade's first post (an event may hold several cascades over time; an alert
    # raised before this cascade began is about another one).
    first_alert, under_alert, top_level = {}, set(), {}
    rank = {"IV": 1, "III": 2, "II": 3, "I": 4}
    for al in alerts:
        ev = al.get("event_id") or 0
        ts = iso(al["created_at"]) * 1000
        for root in event_cascades.get(ev, ()):
            if ts >= cascade_first[root]:
                first_alert[root] = min(first_alert.get(root, ts), ts)
                top_level[root] = max(top_level.get(root, 0), rank.get(al.get("level"), 0))
            else:
                under_alert.add(root)
    rumours = [r for r, l in cascade_label.items() if l == "rumor"]
    others = [r for r, l in cascade_label.items() if l != "rumor"]
    delays = [(first_alert[r] - cascade_first[r]) / 60000 for r in rumours if r in first_alert]
    res = {
        "records": out, "replay_seconds": round(replay_s, 1), "alerts": len(alerts),
        "event_alerts": sum(1 for al in alerts if al.get("event_id")),
        "rumour_cascades": len(rumours), "rumour_cascades_alerted": len(delays),
        "median_minutes_first_post_to_first_alert": round(statistics.median(delays), 1) if delays else None,
        "non_rumour_cascades": len(others),
        "non_rumour_cascades_alerted": sum(1 for r in others if r in first_alert),
        "cascades_joining_an_already_alerted_event": len(under_alert - set(first_alert)),
        "rumour_cascades_reaching_II_or_higher": sum(1 for r in rumours if top_level.get(r, 0) >= 3),
        "non_rumour_cascades_reaching_II_or_higher": sum(1 for r in others if top_level.get(r, 0) >= 3),
    }
    con.close()
    shutil.rmtree(tmp, ignore_errors=True)
    print(json.dumps(res, ensure_ascii=False, indent=1))
    if a.json:
        with open(a.json, "w") as f:
            json.dump(res, f, ensure_ascii=False, indent=1)
    return 0


if __name__ == "__main__":
    sys.exit(main())
