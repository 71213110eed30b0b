#!/usr/bin/env python3
"""Do reposts join their original's event when the source gives no parent id?

    bench/quality/linking.py [--yuqing build/yuqing] [--quick] [--rest] [--before OLD_YUQING]

Replays the public CED Weibo cascades (../shared/data/rumor, converted by
scripts/data/ced_to_jsonl.py) through the real binary: `yuqing ingest` of the stream with every
`parent` and `extra` (which holds the root id, the gold answer) taken out, into a temporary --data
directory, then reads each post's event_id from the store. A cascade (an original and all its
reposts) is one gold cluster. Reported, on the held-out fifth (analysis::HeldOut: FNV-1a of the
CED id mod 5 == 0; tuning looks only at the rest):
  - long reposts joined: the share of reposts with four or more content words (four or more
    keywords in the store) whose event is their original's event (target ≥ 0.80);
  - reposts joined: the same over all reposts (most are an empty 转发微博 or a short reaction);
  - B-cubed precision and recall over every post of the replay.
A second replay rebuilds the text Weibo gives a repost of a repost (`comment//@name:parent's
text`, which CED leaves out) and reports how many of those land in their parent's event. References
measured in the same run: the same stream with `parent` kept (the upper reference) and
a plain baseline computed here (a post joins the earliest earlier post with exactly the same text
of eight or more characters, else stands alone). --before runs a second binary (say, a build
without quote links) on the same stream. --rest also replays a stable sample of 500 of the cascades
that are not held out (for reference).
--quick: a fixed sample of 80 held-out cascades, about a minute.

bench/quality/run calls rows(t, yq, limit) (limit > 0: quick).
"""
import argparse
import gzip
import json
import os
import re
import shutil
import sqlite3
import subprocess
import sys
import tempfile

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import sets  # noqa: E402

ROOT = sets.ROOT
CONVERTER = os.path.join(ROOT, "scripts", "data", "ced_to_jsonl.py")
QUICK_CASCADES = 80
REST_CASCADES = 500  # the rest is for tuning; a stable sample of it is the reference


def log(msg):
    print(msg, file=sys.stderr, flush=True)


def ced_path():
    p = os.path.join(sets.DATA, "rumor", "ced_weibo_rumor_train.jsonl.gz")
    return p if os.path.exists(p) else None


def fnv(key):
    h = 1469598103934665603
    for c in key.encode("utf-8"):
        h = ((h ^ c) * 1099511628211) & 0xFFFFFFFFFFFFFFFF
    return h


def write_cascades(src, dst, held_out, cap):
    """Copies the cascades of one fold (held out or the rest) to dst.gz; at most cap (a stable
    sample by id hash). Returns how many."""
    lines = []
    with gzip.open(src, "rt", encoding="utf-8") as f:
        for line in f:
            if not line.strip():
                continue
            cid = str(json.loads(line)["id"])
            if (sets.fold_of(cid) == 0) == held_out:
                lines.append((fnv(cid[::-1]), line))
    if cap and len(lines) > cap:
        lines = sorted(lines)[:cap]
    with gzip.open(dst, "wt", encoding="utf-8") as out:
        for _, line in lines:
            out.write(line)
    return len(lines)


def convert(src_gz, out_jsonl):
    """The converter's stream, and each post's gold cascade (root id) and parent."""
    subprocess.run([sys.executable, CONVERTER, src_gz, out_jsonl], check=True, capture_output=True)
    recs = []
    with open(out_jsonl, encoding="utf-8") as f:
        for line in f:
            recs.append(json.loads(line))
    return recs


def ingest(yuqing, recs, tmp, tag, keep_parent):
    """Runs yuqing ingest on the stream (parents kept or taken out) and returns id → (event_id,
    keyword count) from the store."""
    path = os.path.join(tmp, tag + ".jsonl")
    with open(path, "w", encoding="utf-8") as f:
        for r in recs:
            r = {k: v for k, v in r.items() if k != "extra" and (keep_parent or k != "parent")}
            f.write(json.dumps(r, ensure_ascii=False) + "\n")
    data = os.path.join(tmp, tag + "-data")
    res = subprocess.run([yuqing, "--data", data, "ingest", path, "--json"], capture_output=True, text=True,
                         cwd=tmp, timeout=7200)
    if res.returncode != 0:
        raise SystemExit(f"yuqing ingest failed ({tag}): {res.stderr[-500:]}")
    db = sqlite3.connect(os.path.join(data, "yuqing.db"))
    out = {pid: (ev, len(json.loads(kw or "[]"))) for pid, ev, kw in db.execute("SELECT id, event_id, keywords FROM posts")}
    db.close()
    shutil.rmtree(data, ignore_errors=True)
    return out


def gold_of(recs):
    """id → root id (an original is its own root), first occurrence of each id."""
    gold = {}
    for r in recs:
        gold.setdefault(r["id"], (r.get("extra") or {}).get("root") or r["id"])
    return gold


NOISE = re.compile(r"\s+")


def exact_text_baseline(recs):
    """id → cluster: a post joins the earliest earlier post with the same text (8+ characters
    once whitespace is taken out), else it stands alone."""
    first, out = {}, {}
    for r in recs:
        if r["id"] in out:
            continue
        t = NOISE.sub("", r.get("text") or "")
        if len(t) >= 8 and t in first:
            out[r["id"]] = out[first[t]]
        else:
            out[r["id"]] = r["id"]
            if len(t) >= 8:
                first[t] = r["id"]
    return out


def with_chains(recs):
    """The stream as Weibo writes reposts of reposts: `comment//@name:parent's text`, the parent's
    text with its own chain (CED keeps only each repost's own comment; the tree gives the rest).
    A repost of the original carries no quote on Weibo either, so it keeps its comment alone."""
    by_id = {}
    for r in recs:
        by_id.setdefault(r["id"], r)
    memo = {}

    def text(i, depth=0):
        if i in memo:
            return memo[i]
        r = by_id[i]
        own = r.get("text") or ""
        par = r.get("parent") or ""
        if par.startswith("ced-r-") and par in by_id and depth < 50:
            if own == "转发微博":
                own = ""  # Weibo writes an empty repost of a repost as the chain alone
            p = by_id[par]
            own = f"{own}//@u{p['author'].get('id', '')}:{text(par, depth + 1)}"
        memo[i] = own
        return own

    def author(a):  # Weibo's chains name screen names; CED has user ids, so the name is u<id>
        return dict(a, name="u" + a["id"]) if a.get("id") else a

    return [dict(r, text=text(r["id"]), author=author(r.get("author") or {})) for r in recs]


def parent_joined(recs, pred):
    """Share of reposts of reposts whose event is their parent's."""
    k = n = 0
    for r in recs:
        par = r.get("parent") or ""
        if par.startswith("ced-r-") and r["id"] in pred and par in pred:
            n += 1
            k += pred[r["id"]] == pred[par]
    return k / max(1, n), n


def score(gold, pred, kwn):
    """(long reposts joined, n long, reposts joined, n reposts, B-cubed P, B-cubed R) over the
    posts present in pred (posts the ingest quarantined are left out)."""
    ids = [i for i in gold if i in pred]
    long_k = long_n = all_k = all_n = 0
    for i in ids:
        root = gold[i]
        if root == i or root not in pred:
            continue
        joined = pred[i] == pred[root]
        all_n += 1
        all_k += joined
        if kwn.get(i, 0) >= 4:
            long_n += 1
            long_k += joined
    both, g, c = {}, {}, {}
    for i in ids:
        key = (gold[i], pred[i])
        both[key] = both.get(key, 0) + 1
        g[gold[i]] = g.get(gold[i], 0) + 1
        c[pred[i]] = c.get(pred[i], 0) + 1
    p = sum(both[(gold[i], pred[i])] / c[pred[i]] for i in ids) / max(1, len(ids))
    r = sum(both[(gold[i], pred[i])] / g[gold[i]] for i in ids) / max(1, len(ids))
    return long_k / max(1, long_n), long_n, all_k / max(1, all_n), all_n, p, r


def wilson(k, n, z=1.96):
    if n == 0:
        return (0.0, 0.0)
    p = k / n
    d = 1 + z * z / n
    c = (p + z * z / (2 * n)) / d
    h = z * ((p * (1 - p) / n + z * z / (4 * n * n)) ** 0.5) / d
    return (max(0.0, c - h), min(1.0, c + h))


def measure(yq, src, tmp, held_out, cap, before=None):
    """Figures of one fold: {name: (long, n_long, all, n_all, P, R)} for yuqing without parent,
    with parent, the exact-text baseline and (optionally) the before binary."""
    tag = "heldout" if held_out else "rest"
    gz = os.path.join(tmp, tag + ".jsonl.gz")
    n = write_cascades(src, gz, held_out, cap)
    recs = convert(gz, os.path.join(tmp, tag + "-converted.jsonl"))
    gold = gold_of(recs)
    log(f"linking: {tag}: {n} cascades, {len(recs):,} posts; replaying without and with parent …")
    out = {}
    got = ingest(yq, recs, tmp, tag + "-noparent", keep_parent=False)
    ev = {i: e for i, (e, _) in got.items()}
    kwn = {i: k for i, (_, k) in got.items()}
    out["yuqing"] = score(gold, ev, kwn)
    if before:
        b = ingest(before, recs, tmp, tag + "-before", keep_parent=False)
        out["before"] = score(gold, {i: e for i, (e, _) in b.items()}, kwn)
    par = ingest(yq, recs, tmp, tag + "-parent", keep_parent=True)
    out["parent"] = score(gold, {i: e for i, (e, _) in par.items()}, kwn)
    base = exact_text_baseline(recs)
    out["exact"] = score(gold, {i: base[i] for i in ev}, kwn)
    # Weibo's //@ chains rebuilt from the tree: the chain rule at work on real cascades.
    chained = with_chains(recs)
    ch = ingest(yq, chained, tmp, tag + "-chains", keep_parent=False)
    chev = {i: e for i, (e, _) in ch.items()}
    out["chains"] = score(gold, chev, kwn) + parent_joined(recs, chev)
    out["chains_before"] = None
    if before:
        chb = ingest(before, chained, tmp, tag + "-chains-before", keep_parent=False)
        chbev = {i: e for i, (e, _) in chb.items()}
        out["chains_before"] = score(gold, chbev, kwn) + parent_joined(recs, chbev)
    base = exact_text_baseline(chained)
    out["chains_exact"] = parent_joined(recs, {i: base[i] for i in chev})
    return n, out


def add_rows(t, fold, n, res, held_out):
    y, par, ex = res["yuqing"], res["parent"], res["exact"]
    pre = res.get("before")
    ds = f"CED cascades {fold} ({n}), no parent"
    key = "linking.ced_heldout" if held_out else None
    note = lambda i: (f"parent given {par[i]:.3f}" + (f"; before {pre[i]:.3f}" if pre else ""))  # noqa: E731
    k_long = round(y[0] * y[1])
    t.add("events", ds, "long reposts (≥4 content words) in their original's event", y[1], y[0], wilson(k_long, y[1]),
          "exact-text match", ex[0], key and key + ".long_reposts_joined", 0.80 if held_out else None, note(0))
    k_all = round(y[2] * y[3])
    t.add("events", ds, "all reposts in their original's event", y[3], y[2], wilson(k_all, y[3]),
          "exact-text match", ex[2], key and key + ".reposts_joined", None, note(2))
    for i, name in ((4, "precision"), (5, "recall")):
        t.add("events", ds, f"B-cubed {name} (cascade = gold cluster)", y[3], y[i], (y[i], y[i]),
              "exact-text match", ex[i], key and key + f".bcubed_{name[0]}", None, note(i))
        t.rows[-1]["ci"] = None
    ch, chb = res["chains"], res["chains_before"]
    ds = f"CED cascades {fold} ({n}), no parent, Weibo //@ chains rebuilt"
    k = round(ch[6] * ch[7])
    t.add("events", ds, "reposts of reposts in their parent's event", ch[7], ch[6], wilson(k, ch[7]),
          "exact-text match", res["chains_exact"][0], key and key + ".chain_joined", None,
          f"before {chb[6]:.3f}" if chb else "")
    t.add("events", ds, "long reposts in their original's event", ch[1], ch[0], wilson(round(ch[0] * ch[1]), ch[1]),
          "", None, None, None, "a repost of the original quotes nothing on Weibo either")
    for i, name in ((4, "precision"), (5, "recall")):
        t.add("events", ds, f"B-cubed {name}", ch[3], ch[i], (ch[i], ch[i]), "", None, None, None,
              f"before {chb[i]:.3f}" if chb else "")
        t.rows[-1]["ci"] = None


def rows(t, yq, limit, rest=False, before=None):
    """Adds the linking rows to a bench/quality table (limit > 0: the quick sample)."""
    src = ced_path()
    if src is None:
        t.missing("events", "CED cascades without parent", "set absent")
        return
    tmp = tempfile.mkdtemp(prefix="yq-linking-")
    try:
        n, res = measure(yq, src, tmp, True, QUICK_CASCADES if limit else 0, before)
        add_rows(t, "held out", n, res, True)
        if rest:
            n, res = measure(yq, src, tmp, False, QUICK_CASCADES if limit else REST_CASCADES, before)
            add_rows(t, "not held out, a sample", n, res, False)
    finally:
        shutil.rmtree(tmp, ignore_errors=True)


class Table:
    """The part of bench/quality/run's table that rows() uses, for running alone."""

    def __init__(self):
        self.rows = []

    def add(self, judgement, dataset, metric, n, value, ci, base_name, base_value, key, target=None, note=""):
        self.rows.append({"key": key, "judgement": judgement, "set": dataset, "metric": metric, "n": n,
                          "value": round(value, 4), "ci": [round(ci[0], 4), round(ci[1], 4)],
                          "baseline": base_name, "baseline_value": None if base_value is None else round(base_value, 4),
                          "target": target,
                          "note": note})

    def missing(self, judgement, dataset, why):
        print(f"{judgement} / {dataset}: n/a ({why})")

    def print(self):
        print("| set | metric | n | yuqing | 95% interval | plain baseline | target | references |")
        print("|---|---|---|---|---|---|---|---|")
        for r in self.rows:
            ci = f"{r['ci'][0]:.3f}–{r['ci'][1]:.3f}" if r["ci"] else ""
            tgt = "" if r["target"] is None else f"≥ {r['target']}"
            base = "" if r["baseline_value"] is None else f"{r['baseline_value']:.3f} {r['baseline']}"
            print(f"| {r['set']} | {r['metric']} | {r['n']:,} | {r['value']:.3f} | {ci} | {base} | {tgt} | {r['note']} |")


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--yuqing", default=os.path.join(ROOT, "build", "yuqing"))
    ap.add_argument("--quick", action="store_true")
    ap.add_argument("--rest", action="store_true", help="also the cascades that are not held out (reference)")
    ap.add_argument("--before", default="", help="a second yuqing binary run on the same stream")
    a = ap.parse_args()
    if ced_path() is None:
        log(f"linking: {sets.DATA}/rumor is absent: nothing to measure (skipped)")
        return 0
    t = Table()
    rows(t, os.path.abspath(a.yuqing), 1 if a.quick else 0, a.rest, os.path.abspath(a.before) if a.before else None)
    t.print()
    return 0


if __name__ == "__main__":
    sys.exit(main())
