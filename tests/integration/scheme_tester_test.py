#!/usr/bin/env python3
"""The scheme tester seen from both ends (issue 20; stdlib only): `yuqing topics test` and
POST /api/v1/schemes/test run the same scheme over the same stored posts and must agree — the
same count, the same number of posts read and the same samples in the same order — and both must
be right (the count is checked against the posts written here).

2,600 posts over the last two days, three to a minute (ties in published_at decide which
samples come first), plus some ten days old (outside the 7-day window); matches in the text, in
traditional characters (normalised), through the author field and excluded by an exclusion.

    python3 tests/integration/scheme_tester_test.py [--yuqing build/yuqing]
Exit 0 when every check passes.
"""
import argparse
import json
import os
import shutil
import subprocess
import sys
import tempfile
from datetime import datetime, timedelta, timezone

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import server_api_test as api  # Client, ServerProcess, check, FAILURES  # noqa: E402

check = api.check
PASSWORD = "tester-admin-pw-1"
POSTS = 2600
SAMPLES = 20


def cli(yuqing, data, *args, stdin=None):
    return subprocess.run([yuqing, "--data", data, *args], input=stdin, capture_output=True, text=True, timeout=300)


def make_posts(now):
    posts = []
    for i in range(POSTS):
        author = "东湖发布" if i % 17 == 0 else f"网友{i % 23}"
        if i % 7 == 0:
            text = f"东湖区明日停水，请提前储水，第{i}条"
        elif i % 11 == 0:
            text = f"小区自来水水質发黄，第{i}条"  # traditional 質: the query's 水质 finds it
        elif i % 17 == 0:
            text = f"关于道路施工的通知，第{i}条"
        else:
            text = f"今天天气不错，出门散步，第{i}条"
        if i % 13 == 0:
            text += "（广告）"
        old = i % 50 == 1
        at = now - (timedelta(days=10) if old else timedelta(minutes=i // 3 + 5))
        posts.append({"id": f"t{i}", "source": "weibo", "text": text, "author": {"name": author},
                      "published_at": at.replace(microsecond=0).isoformat(), "old": old})
    return posts


QUERY = "停水 OR 水质 OR (author:东湖发布 AND 通知)"
EXCLUDE = ["广告"]


def expected(posts):
    """The posts of the last 7 days and those QUERY with EXCLUDE matches, by their construction."""
    recent = [p for p in posts if not p["old"]]
    hits = [p for p in recent
            if ("停水" in p["text"] or "水質" in p["text"] or (p["author"]["name"] == "东湖发布" and "通知" in p["text"]))
            and "广告" not in p["text"]]
    return len(recent), len(hits)


def run(yuqing, tmp):
    data = os.path.join(tmp, "data")
    now = datetime.now(timezone.utc)
    posts = make_posts(now)
    path = os.path.join(tmp, "posts.jsonl")
    with open(path, "w", encoding="utf-8") as f:
        for p in posts:
            f.write(json.dumps({k: v for k, v in p.items() if k != "old"}, ensure_ascii=False) + "\n")
    r = cli(yuqing, data, "ingest", path)
    if r.returncode != 0:
        sys.exit(f"ingest: {r.stderr}")
    r = cli(yuqing, data, "user", "add", "boss", "--role", "admin", "--password-stdin", stdin=PASSWORD + "\n")
    if r.returncode != 0:
        sys.exit(f"user add: {r.stderr}")
    want_scanned, want_matched = expected(posts)

    cases = [(QUERY, EXCLUDE), ("停水 NEAR/4 储水", []), ("title:停水 OR 根本没有的词", [])]
    cli_results = []
    for query, exclude in cases:
        args = ["topics", "test", "--query", query, "--last", "7d", "--samples", str(SAMPLES), "--json"]
        for e in exclude:
            args += ["--exclude", e]
        r = cli(yuqing, data, *args)
        if not check(f"topics test {query!r} exits 0", r.returncode == 0, r.stderr[-500:]):
            return
        cli_results.append(json.loads(r.stdout.strip().splitlines()[-1]))
    c = cli_results[0]
    check("topics test reads every post of the window", c["scanned"] == want_scanned, (c["scanned"], want_scanned))
    check("topics test counts the matching posts", c["matched"] == want_matched, (c["matched"], want_matched))
    check("topics test keeps the asked number of samples, newest first",
          len(c["samples"]) == SAMPLES and [s["published_at"] for s in c["samples"]] ==
          sorted((s["published_at"] for s in c["samples"]), reverse=True), c["samples"][:3])

    port = api.free_port()
    srv = api.ServerProcess(yuqing, data, port, os.path.join(tmp, "serve.log"))
    srv.start()
    try:
        admin = api.Client(port)
        st, j = admin.login("boss", PASSWORD)
        if st != 200:
            sys.exit(f"login: {st} {j}")
        for (query, exclude), c in zip(cases, cli_results):
            st, j, _ = admin.request("POST", "/api/v1/schemes/test",
                                     {"query": query, "exclude": exclude, "last": "7d", "limit": SAMPLES})
            if not check(f"schemes/test {query!r} answers 200", st == 200, (st, j)):
                continue
            check(f"{query!r}: CLI and API read the same posts", j["scanned"] == c["scanned"] and not j["truncated"],
                  (j["scanned"], c["scanned"], j["truncated"]))
            check(f"{query!r}: CLI and API count the same matches", j["count"] == c["matched"], (j["count"], c["matched"]))
            check(f"{query!r}: CLI and API give the same samples in the same order",
                  [s["id"] for s in j["samples"]] == [s["id"] for s in c["samples"]],
                  ([s["id"] for s in j["samples"]][:5], [s["id"] for s in c["samples"]][:5]))
        check("title:停水 matches nothing (these posts have no titles)", cli_results[2]["matched"] == 0, cli_results[2])
    finally:
        srv.stop()


def main():
    ap = argparse.ArgumentParser()
    here = os.path.dirname(os.path.abspath(__file__))
    ap.add_argument("--yuqing", default=os.environ.get("YUQING_BIN", os.path.join(here, "..", "..", "build", "yuqing")))
    a = ap.parse_args()
    yuqing = os.path.abspath(a.yuqing)
    if not os.access(yuqing, os.X_OK):
        sys.exit(f"no executable {yuqing}: build first")
    tmp = tempfile.mkdtemp(prefix="yuqing-scheme-tester-test-")
    try:
        run(yuqing, tmp)
        if api.FAILURES and os.path.exists(os.path.join(tmp, "serve.log")):
            print("--- serve.log (tail) ---\n" + open(os.path.join(tmp, "serve.log")).read()[-3000:])
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    print(f"{len(api.FAILURES)} failed" if api.FAILURES else "all passed")
    sys.exit(1 if api.FAILURES else 0)


if __name__ == "__main__":
    main()
