"""Cascade forecast rows of the quality table: `yuqing cascades` on the held-out fifth of CED.

The held-out cascades (FNV-1a(id) % 5 == 0, the fold `yuqing model train --only cascade` leaves
out) are written in yuqing's post format (the original and every repost with a readable date,
like scripts/data/ced_to_jsonl.py) and forecast from their first 60 and 30 minutes. The final
size is the number of distinct reposts in the crawled tree. Baselines are fitted here, in the same
run, on the training folds only: a log-log line of final vs observed count, one fixed guess (the
training folds' median final size), and a plain repost-count threshold for "will reach 500".
CED's crawl caps every cascade below 1,000 reposts, so the 500 mark is near the top of the range.
"""
import gzip
import json
import math
import os
import re
import subprocess
from datetime import datetime, timedelta, timezone

import sets

CST = timezone(timedelta(hours=8))
THRESHOLD = 500
HORIZONS = (30, 60)  # minutes


def _original_time(v):
    if isinstance(v, (int, float)) or str(v).strip().isdigit():
        return float(v)
    return datetime.strptime(str(v).strip(), "%a %b %d %H:%M:%S %z %Y").timestamp()


def _repost_time(s, year):
    s = str(s).strip()
    try:
        return datetime.strptime(s, "%Y-%m-%d %H:%M:%S").replace(tzinfo=CST).timestamp()
    except ValueError:
        m = re.match(r"(\d+)月(\d+)日\s*(\d+):(\d+)", s)
        return datetime(year, int(m[1]), int(m[2]), int(m[3]), int(m[4]), tzinfo=CST).timestamp() if m else None


def load():
    """Every CED cascade: id, fold, label, root fields, dated reposts [(t, mid, parent, text)], final."""
    p = sets._path("rumor", "ced_weibo_rumor_train.jsonl.gz")
    if not p:
        return None
    out = []
    with gzip.open(p, "rt", encoding="utf-8") as f:
        for line in f:
            o = json.loads(line)
            try:
                t0 = _original_time(o["time"])
            except (ValueError, KeyError):
                continue
            year = datetime.fromtimestamp(t0, CST).year
            seen, reposts = set(), []
            for r in o.get("reposts") or []:
                date, _uid, mid, parent, text = (list(r) + [""] * 5)[:5]
                if not mid or mid in seen:
                    continue
                seen.add(mid)
                t = _repost_time(date, year)
                if t is not None:
                    reposts.append((t, mid, parent, text or ""))
            u = o.get("user") if isinstance(o.get("user"), dict) else {}
            out.append({"id": o["id"], "fold": sets.fold_of(o["id"]), "rumor": o.get("label") == "rumor",
                        "text": o.get("text") or "转发微博", "t0": t0, "final": len(seen), "reposts": reposts,
                        "author": {"id": "", "followers": int(u.get("followers") or 0), "verified": bool(u.get("verified"))}})
    return out


def observed(c, minutes):
    return sum(t - c["t0"] <= minutes * 60 for t, *_ in c["reposts"])


def write_posts(cascades, path):
    with open(path, "w", encoding="utf-8") as f:
        for c in cascades:
            oid = "ced-" + c["id"]
            f.write(json.dumps({"id": oid, "source": "weibo", "text": c["text"], "author": c["author"],
                                "published_at": datetime.fromtimestamp(c["t0"], CST).isoformat()}, ensure_ascii=False) + "\n")
            for t, mid, parent, text in c["reposts"]:
                f.write(json.dumps({"id": "ced-r-" + mid, "source": "weibo", "text": text or "转发微博",
                                    "parent": "ced-r-" + parent if parent else oid, "author": {"id": ""},
                                    "published_at": datetime.fromtimestamp(t, CST).isoformat()}, ensure_ascii=False) + "\n")


def run_cascades(yq, models, inp, minutes):
    cmd = [yq, "cascades", "--input", inp, "--at", f"{minutes}m", "--threshold", str(THRESHOLD), "--json"]
    if models:
        cmd += ["--models", models]
    res = subprocess.run(cmd, capture_output=True, text=True, timeout=1800)
    out = {}
    for line in res.stdout.splitlines():
        if line.startswith("{"):
            j = json.loads(line)
            out[j["id"][len("ced-"):]] = j
    return out, res


def loglog_fit(train, minutes):
    """Least squares log(final) = a + b·log(observed + 1) on the training folds."""
    xs = [math.log(observed(c, minutes) + 1) for c in train]
    ys = [math.log(max(c["final"], 1)) for c in train]
    mx, my = sum(xs) / len(xs), sum(ys) / len(ys)
    b = sum((x - mx) * (y - my) for x, y in zip(xs, ys)) / max(sum((x - mx) ** 2 for x in xs), 1e-12)
    a = my - b * mx
    return lambda c: max(math.exp(a + b * math.log(observed(c, minutes) + 1)), observed(c, minutes))


def median(v):
    v = sorted(v)
    return v[len(v) // 2] if v else 0.0


def count_threshold(train, minutes):
    """The largest 30-minute repost count whose rule "count ≥ k → will reach 500" keeps recall ≥ 80%
    on the training folds."""
    hits = sorted(observed(c, minutes) for c in train if c["final"] >= THRESHOLD)
    return hits[int(0.2 * len(hits))] if hits else 0


def add_rows(t, yq, models, tmp, limit, stats):
    """Adds the cascade rows to Table t. stats: the harness's (wilson, bootstrap, prf, majority)."""
    wilson, bootstrap, prf, majority = stats
    data = load()
    if data is None:
        t.missing("cascade", "CED repost trees", "set absent")
        return
    train = [c for c in data if c["fold"] != 0]
    held = [c for c in data if c["fold"] == 0]
    if limit and len(held) > limit:
        held = held[:limit]
    inp = os.path.join(tmp, "ced_cascades.jsonl")
    write_posts(held, inp)
    out = {}
    for m in HORIZONS:
        out[m], res = run_cascades(yq, models, inp, m)
        if len(out[m]) != len(held):
            t.missing("cascade", f"CED held-out, first {m} min", f"yuqing cascades gave {len(out[m])} of {len(held)}: {res.stderr[-200:]}")
            return
    method = out[60][held[0]["id"]].get("method", "?")
    big = [c for c in held if c["final"] >= 20]
    ape = lambda pred, c: abs(pred - c["final"]) / c["final"]  # noqa: E731
    ours = [ape(out[60][c["id"]]["forecast"], c) for c in big]
    ll = loglog_fit(train, 60)
    guess = median([c["final"] for c in train])
    base_ll = [ape(ll(c), c) for c in big]
    base_fixed = [ape(guess, c) for c in big]
    one_minus = lambda s: 1 - median(s)  # noqa: E731
    label = f"CED held-out, first 60 min, final ≥ 20 ({method})"
    t.add("cascade size", label, "1 − median abs. % error", len(big), one_minus(ours), bootstrap(ours, one_minus),
          f"log-log fit (fixed guess {guess}: {1 - median(base_fixed):.3f})", one_minus(base_ll),
          "cascade.ced_60m.one_minus_mdape", 0.70)
    k = sum(out[60][c["id"]]["forecast"] <= 2 * c["final"] and out[60][c["id"]]["forecast"] >= c["final"] / 2 for c in big)
    kb = sum(ll(c) <= 2 * c["final"] and ll(c) >= c["final"] / 2 for c in big)
    t.add("cascade size", label, "share within 2× of final", len(big), k / len(big), wilson(k, len(big)),
          "log-log fit", kb / len(big), "cascade.ced_60m.within_2x", 0.85)
    # Will it reach 500? From the first 30 minutes, p_exceeds(500) ≥ 0.5.
    key = str(THRESHOLD)
    pairs = [(out[30][c["id"]]["p_exceeds"][key] >= 0.5, c["final"] >= THRESHOLD) for c in held]
    k30 = count_threshold(train, 30)
    base = [(observed(c, 30) >= k30, c["final"] >= THRESHOLD) for c in held]
    tp, fp, fn = (sum(a and b for a, b in pairs), sum(a and not b for a, b in pairs), sum(b and not a for a, b in pairs))
    btp, bfp, bfn = (sum(a and b for a, b in base), sum(a and not b for a, b in base), sum(b and not a for a, b in base))
    p, r, _ = prf(tp, fp, fn)
    bp, br, _ = prf(btp, bfp, bfn)
    label30 = f"CED held-out, first 30 min: reaches {THRESHOLD}"
    t.add("cascade ≥ 500", label30, "recall at p_exceeds ≥ 0.5", tp + fn, r, wilson(tp, tp + fn),
          f"≥ {k30} reposts in 30 min", br, "cascade.ced_30m.exceeds500_recall", 0.80)
    t.add("cascade ≥ 500", label30, "precision at p_exceeds ≥ 0.5", tp + fp, p, wilson(tp, tp + fp),
          f"≥ {k30} reposts in 30 min", bp, "cascade.ced_30m.exceeds500_precision", 0.60)
    # Rumour from the first hour: text + reposts vs the text alone vs the majority class.
    golds = [c["rumor"] for c in held]
    kr = sum((out[60][c["id"]]["rumor"] >= 0.5) == c["rumor"] for c in held)
    text = [out[60][c["id"]].get("text_rumor") for c in held]
    kt = sum((x is not None and x >= 0.5) == g for x, g in zip(text, golds))
    mname, mval = majority(["rumor" if g else "non-rumor" for g in golds])
    t.add("cascade rumour", "CED held-out, root text + first 60 min of reposts", "accuracy at p ≥ 0.5", len(held),
          kr / len(held), wilson(kr, len(held)), f"text alone {kt / len(held):.3f}; majority ({mname})", mval,
          "cascade.ced_60m.rumor_accuracy", 0.93)
