#!/usr/bin/env python3
"""Memory under a long soak: `yuqing serve` fed real posts through the API at a steady rate.

    bench/server/soak.py [--yuqing build/yuqing] [--minutes 30] [--rate 2000] [--out FILE]

Starts the real server on loopback with a fresh data directory, creates ten schemes, then posts
--rate posts/s (batches of 200, the COVID Weibo stream from ../shared/data when present, else
generated text; ids are unique so every post is stored) while a reader searches the feed, lists
events and alerts and reads the dashboard summary every second, as analysts would. RSS (and its
anonymous part: heap, without the SQLite file pages the kernel may map) is sampled every 5 s.

Prints the RSS at each tenth of the run and the plateau: the slope of anonymous RSS over the
second half of the run (MB per 10 minutes). Exit 1 when that slope exceeds --max-slope (default
8 MB per 10 minutes), i.e. when memory still grows. Writes the samples as JSON to --out.
"""
import argparse
import gzip
import itertools
import json
import os
import sys
import tempfile
import threading
import time
import urllib.parse

ROOT = os.path.abspath(os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", ".."))
sys.path.insert(0, os.path.join(ROOT, "tests", "integration"))
import server_api_test as api  # noqa: E402  Client, ServerProcess

COVID = os.path.join(ROOT, "..", "shared", "data", "stream", "covid19_weibo_unlabeled_2020.tsv.gz")
SCHEMES = ["武汉", "口罩", "医院 OR 医生", "疫情 AND 防控", "物资", "确诊", "隔离", "复工", "学校 OR 开学", "捐款"]
SEARCHES = ["武汉", "口罩 AND 医院", "疫情", "加油", "确诊 NEAR/5 病例"]


def texts():
    """An endless stream of real post texts (or generated ones when the data is absent)."""
    if os.path.exists(COVID):
        rows = []
        with gzip.open(COVID, "rt", encoding="utf-8", errors="replace") as f:
            for line in itertools.islice(f, 200000):
                parts = line.rstrip("\n").split("\t", 2)
                if len(parts) == 3 and parts[2]:
                    rows.append(parts[2][:400])
        print(f"soak: {len(rows):,} real COVID Weibo texts, cycled", file=sys.stderr)
    else:
        print("soak: ../shared/data absent, generated texts", file=sys.stderr)
        words = ["武汉", "口罩", "医院", "疫情", "防控", "物资", "确诊", "隔离", "复工", "学校", "捐款", "加油", "社区", "志愿者"]
        rows = ["".join(words[(i * 7 + k * 3) % len(words)] for k in range(6)) + f"第{i}条" for i in range(5000)]
    return itertools.cycle(rows)


def rss(pid):
    """(VmRSS, RssAnon) in MiB from /proc."""
    vals = {}
    with open(f"/proc/{pid}/status") as f:
        for line in f:
            k, _, v = line.partition(":")
            if k in ("VmRSS", "RssAnon"):
                vals[k] = int(v.split()[0]) / 1024
    return vals.get("VmRSS", 0), vals.get("RssAnon", 0)


def slope(points):
    """Least-squares slope of [(t, y)]."""
    n = len(points)
    if n < 2:
        return 0.0
    mt = sum(t for t, _ in points) / n
    my = sum(y for _, y in points) / n
    den = sum((t - mt) ** 2 for t, _ in points)
    return sum((t - mt) * (y - my) for t, y in points) / den if den else 0.0


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--yuqing", default=os.path.join(ROOT, "build", "yuqing"))
    ap.add_argument("--minutes", type=float, default=30)
    ap.add_argument("--rate", type=int, default=2000, help="posts per second")
    ap.add_argument("--max-slope", type=float, default=8.0, help="MB per 10 minutes over the second half")
    ap.add_argument("--out", default="")
    ap.add_argument("--keep-log", default="", help="copy the server's log here (e.g. with MALLOC_CONF=stats_print:true)")
    a = ap.parse_args()

    tmp = tempfile.mkdtemp(prefix="yq-soak-")
    data, log_path, port = os.path.join(tmp, "data"), os.path.join(tmp, "serve.log"), api.free_port()
    srv = api.ServerProcess(os.path.abspath(a.yuqing), data, port, log_path)
    srv.start()
    import re
    pw = re.search(r"one-time password: (\S+)", open(log_path).read()).group(1)
    admin = api.Client(port)
    admin.login("admin", pw)
    admin.request("POST", "/api/v1/auth/password", {"current": pw, "new": "soak-admin-pw-1"})
    for i, q in enumerate(SCHEMES):
        st, j, _ = admin.request("POST", "/api/v1/schemes", {"name": f"浸泡{i}", "query": q})
        assert st in (200, 201), (st, j)

    stop = threading.Event()
    errors = []
    sent = [0]

    def reader():
        c = api.Client(port)
        c.login("admin", "soak-admin-pw-1")
        for q in itertools.cycle(SEARCHES):
            if stop.wait(1.0):
                return
            for path in ("/api/v1/posts?limit=50&q=" + urllib.parse.quote(q), "/api/v1/events?limit=50",
                         "/api/v1/alerts?limit=50", "/api/v1/overview", "/api/v1/stats"):
                st, _, _ = c.request("GET", path)
                if st != 200:
                    errors.append((path, st))

    def writer():
        batch, stream, n = 200, texts(), 0
        t0 = time.monotonic()
        while not stop.is_set():
            posts = [{"id": f"soak-{n + i}", "source": "weibo", "text": next(stream),
                      "author": {"name": f"用户{(n + i) % 5000}"}} for i in range(batch)]
            st, j, _ = admin.request("POST", "/api/v1/posts", posts)
            if st not in (200, 202):
                errors.append(("POST /posts", st, str(j)[:200]))
            n += batch
            sent[0] = n
            ahead = t0 + n / a.rate - time.monotonic()
            if ahead > 0:
                stop.wait(ahead)

    threads = [threading.Thread(target=writer, daemon=True), threading.Thread(target=reader, daemon=True)]
    for t in threads:
        t.start()
    samples, t0, total = [], time.monotonic(), a.minutes * 60
    probe = api.Client(port)
    probe.login("admin", "soak-admin-pw-1")

    held_gauges = ("yuqing_warning_keys", "yuqing_warning_key_bytes", "yuqing_warning_unresolved_alerts",
                   "yuqing_events_live", "yuqing_events_live_bytes", "yuqing_search_cache_matches", "yuqing_alerts_active",
                   "yuqing_store_cache_writer_bytes", "yuqing_store_cache_readers_bytes")

    def heap():
        """(allocated, resident) heap MiB from /metrics (jemalloc), or (None, None), and the
        pipeline's held-structure gauges (entries)."""
        st, _, body = probe.request("GET", "/metrics")
        if st != 200:
            return None, None, {}
        body = body.decode()
        vals = dict(re.findall(r"^(yuqing_\w+) ([0-9.e+]+)$", body, re.M))
        mib = lambda k: round(float(vals[k]) / 2**20, 1) if k in vals else None
        held = {k[len("yuqing_"):]: int(float(vals[k])) for k in held_gauges if k in vals}
        return mib("yuqing_heap_allocated_bytes"), mib("yuqing_heap_resident_bytes"), held
    try:
        while time.monotonic() - t0 < total:
            el = time.monotonic() - t0
            vm, anon = rss(srv.proc.pid)
            alloc, resident, held = heap()
            samples.append({"s": round(el, 1), "rss_mb": round(vm, 1), "anon_mb": round(anon, 1), "posts": sent[0],
                            "heap_allocated_mb": alloc, "heap_resident_mb": resident, "held": held})
            if len(samples) % 12 == 1:
                print(f"soak: {el / 60:5.1f} min  {sent[0]:>9,} posts  RSS {vm:6.1f} MB  anon {anon:6.1f} MB  "
                      f"heap {alloc} / {resident} MB  "
                      f"{sent[0] / max(el, 1):,.0f} posts/s", file=sys.stderr, flush=True)
            time.sleep(5)
    finally:
        stop.set()
        for t in threads:
            t.join(timeout=30)
        code = srv.stop()
        if a.keep_log:
            import shutil
            shutil.copy(log_path, a.keep_log)

    half = [(s["s"] / 600, s["anon_mb"]) for s in samples if s["s"] >= total / 2]
    per10 = slope(half)
    rate = sent[0] / (samples[-1]["s"] or 1)
    marks = [samples[min(len(samples) - 1, round(i * (len(samples) - 1) / 10))] for i in range(11)]
    print(f"\n{a.minutes:g}-minute soak, {sent[0]:,} posts ({rate:,.0f} posts/s asked {a.rate:,}), "
          f"{len(errors)} request errors, server exit {code}")
    print("minute   posts       RSS MB   anon MB  heap allocated MB  heap resident MB  "
          "warning keys (MB)  cached alerts  active alerts  live events (MB)  search matches  page caches MB (writer/readers)")
    for s in marks:
        h = s.get("held") or {}
        print(f"{s['s'] / 60:6.1f}  {s['posts']:>9,}  {s['rss_mb']:8.1f}  {s['anon_mb']:8.1f}  "
              f"{s.get('heap_allocated_mb')!s:>17}  {s.get('heap_resident_mb')!s:>16}  "
              f"{h.get('warning_keys', '-')!s:>7} ({h.get('warning_key_bytes', 0) / 2**20:5.1f})  "
              f"{h.get('warning_unresolved_alerts', '-')!s:>13}  "
              f"{h.get('alerts_active', '-')!s:>13}  {h.get('events_live', '-')!s:>7} ({h.get('events_live_bytes', 0) / 2**20:5.1f})  "
              f"{h.get('search_cache_matches', '-')!s:>14}  "
              f"{h.get('store_cache_writer_bytes', 0) / 2**20:8.1f} / {h.get('store_cache_readers_bytes', 0) / 2**20:.1f}")
    print(f"anonymous RSS slope over the second half: {per10:+.1f} MB per 10 minutes "
          f"(max {max(s['anon_mb'] for s in samples):.1f} MB, limit {a.max_slope:+.1f})")
    result = {"minutes": a.minutes, "posts": sent[0], "rate": rate, "errors": errors[:20], "server_exit": code,
              "slope_mb_per_10min": per10, "samples": samples}
    if a.out:
        with open(a.out, "w") as f:
            json.dump(result, f)
    ok = per10 <= a.max_slope and not errors and code == 0
    print("plateau: yes" if ok else "plateau: NO (memory still grows, or errors)")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
