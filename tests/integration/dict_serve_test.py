#!/usr/bin/env python3
"""Black-box test of the user dictionary in a running `yuqing serve` (issue 18; stdlib only).

6000 stored posts, a fifth of them naming a made-up brand the default segmentation splits
(蓝鲸智饮 → 蓝鲸 / 智饮). With serve running:
  - `yuqing dict add` from the command line: the server notices within seconds, takes the new
    dictionary and rebuilds the index in the background (its progress seen in GET /api/v1/dict),
    while posts keep arriving through POST /api/v1/posts — every one stored, none blocked;
  - then the whole word finds every brand post (old and new), the piece none;
  - the API's add/remove: roles, audit rows, 400/404;
  - a restart on the same store with an index left behind (index_version not the dictionary's)
    rebuilds it in the background and reaches current.

    python3 tests/integration/dict_serve_test.py [--yuqing build/yuqing]
Exit 0 when every check passes.
"""
import argparse
import json
import os
import shutil
import sqlite3
import subprocess
import sys
import tempfile
import threading
import time
import urllib.parse

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import server_api_test as api  # Client, ServerProcess, check, FAILURES  # noqa: E402

check = api.check
PASSWORD = "dict-admin-pw-1"
BRAND, PIECE = "蓝鲸智饮", "智饮"
POSTS = 6000


def cli(yuqing, data, *args, stdin=None):
    return subprocess.run([yuqing, "--data", data, *args], input=stdin, capture_output=True, text=True, timeout=300)


def post_text(i):
    return f"今天试了{BRAND}的新品，第{i}瓶，味道一般" if i % 5 == 0 else f"东湖区明日停水，请居民提前储水，第{i}条通知"


def write_posts(path):
    with open(path, "w", encoding="utf-8") as f:
        for i in range(POSTS):
            f.write(json.dumps({"id": f"d{i}", "source": "weibo", "text": post_text(i),
                                "published_at": f"2026-06-01T{i // 3600 % 24:02d}:{i // 60 % 60:02d}:{i % 60:02d}+08:00"},
                               ensure_ascii=False) + "\n")


def count_hits(client, q):
    """Every post the search API finds for q (all pages)."""
    n, cursor = 0, ""
    while True:
        path = "/api/v1/posts?limit=100&q=" + urllib.parse.quote(q) + (f"&cursor={urllib.parse.quote(cursor)}" if cursor else "")
        st, j, _ = client.request("GET", path)
        if st != 200:
            raise AssertionError(f"search {q}: {st} {j}")
        n += len(j["items"])
        cursor = j.get("next_cursor") or ""
        if not cursor:
            return n


def wait_index(client, version, seconds=120):
    """Follows GET /api/v1/dict until the index is current with `version`; returns (status, saw progress)."""
    deadline = time.time() + seconds
    saw_progress = False
    ix = None
    while time.time() < deadline:
        st, j, _ = client.request("GET", "/api/v1/dict")
        ix = j["index"]
        if ix["rebuilding"] and 0 < ix["done"] < ix["total"]:
            saw_progress = True
        if ix["current"] and ix["version"] == version and (version or ix["index_version"] == ""):
            return ix, saw_progress
        time.sleep(0.02)
    raise AssertionError(f"the index did not reach {version!r}: {ix}")


def run(yuqing, tmp):
    data = os.path.join(tmp, "data")
    posts = os.path.join(tmp, "posts.jsonl")
    write_posts(posts)
    r = cli(yuqing, data, "ingest", posts)
    if r.returncode != 0:
        sys.exit(f"ingest: {r.stderr}")
    for name, role in (("boss", "admin"), ("ana", "analyst"), ("vic", "viewer")):
        r = cli(yuqing, data, "user", "add", name, "--role", role, "--password-stdin", stdin=PASSWORD + "\n")
        if r.returncode != 0:
            sys.exit(f"user add {name}: {r.stderr}")
    port = api.free_port()
    srv = api.ServerProcess(yuqing, data, port, os.path.join(tmp, "serve.log"))
    srv.start()
    try:
        admin, analyst, viewer = api.Client(port), api.Client(port), api.Client(port)
        for c, n in ((admin, "boss"), (analyst, "ana"), (viewer, "vic")):
            st, j = c.login(n, PASSWORD)
            if st != 200:
                sys.exit(f"login {n}: {st} {j}")
        ix, _ = wait_index(admin, "")
        check("a fresh store's index is current with no user words", ix["current"] and ix["index_version"] == "", ix)
        check(f"before: the piece {PIECE} finds the brand's posts (default segmentation)",
              count_hits(admin, PIECE) == POSTS // 5)

        # --- the command line changes the dictionary while serve runs; posts keep arriving
        sent, failures, stop = [0], [], threading.Event()

        def writer():
            i = POSTS
            while not stop.is_set():
                batch = [{"id": f"live{k}", "source": "api", "text": post_text(k), "published_at": "2026-06-02T08:00:00+08:00"}
                         for k in range(i, i + 10)]
                st, j, _ = admin.request("POST", "/api/v1/posts", batch)
                if st >= 300 or j.get("stored") != 10:
                    failures.append((st, j))
                i += 10
                sent[0] += 10
                time.sleep(0.02)  # a busy feed (~400 posts/s), not a flood that starves other writers

        t = threading.Thread(target=writer)
        t.start()
        r = cli(yuqing, data, "dict", "add", BRAND, "--json")
        if not check("yuqing dict add while serve runs succeeds", r.returncode == 0, r.stderr):
            stop.set()
            t.join()
            return
        version, saw_progress, ix = None, False, None
        deadline = time.time() + 120
        while time.time() < deadline:
            st, j, _ = admin.request("GET", "/api/v1/dict")
            ix = j["index"]
            if ix["rebuilding"] and 0 < ix["done"] < ix["total"]:
                saw_progress = True
            if ix["version"] and ix["current"]:
                version = ix["version"]
                break
            time.sleep(0.02)
        during = sent[0]
        time.sleep(0.3)
        stop.set()
        t.join()
        check("the server took the command line's word within the wait", version is not None, ix)
        check("its rebuild's progress was visible in GET /api/v1/dict", saw_progress, ix)
        check("posts kept being stored through the API meanwhile, each one", not failures and during > 0, (during, failures[:2]))
        brand_total = POSTS // 5 + sum(1 for k in range(POSTS, POSTS + sent[0]) if k % 5 == 0)
        n = count_hits(admin, BRAND)
        check(f"the whole word finds every brand post, old and new ({brand_total})", n == brand_total, n)
        n = count_hits(admin, PIECE)
        check("the piece no longer finds them", n == 0, n)
        r = cli(yuqing, data, "dict", "list", "--json")
        check("dict list agrees: the index is current", json.loads(r.stdout)["index_current"] is True, r.stdout)

        # --- the API
        st, j, _ = viewer.request("POST", "/api/v1/dict", {"words": ["查看者"]})
        check("a viewer may not add (403)", st == 403, (st, j))
        st, j, _ = analyst.request("POST", "/api/v1/dict", {"words": ["东湖水务", "东湖水務"]})
        check("an analyst adds; the traditional form is the same word (201, one added)",
              st == 201 and j["added"] == ["东湖水务"] and j["index"]["pending"] is True, (st, j))
        st, j, _ = analyst.request("POST", "/api/v1/dict", {"words": ["好词", "两个 词"]})
        check("a word with a space is 400 and nothing is added", st == 400, (st, j))
        st, j, _ = analyst.request("GET", "/api/v1/dict")
        check("...not even the good one", "好词" not in [w["word"] for w in j["items"]], j["items"])
        st, j, _ = analyst.request("DELETE", "/api/v1/dict/" + urllib.parse.quote("没有这个词"))
        check("removing a word not there is 404", st == 404, (st, j))
        st, j, _ = analyst.request("DELETE", "/api/v1/dict/" + urllib.parse.quote("东湖水务"))
        check("an analyst removes", st == 200 and j["removed"] == "东湖水务", (st, j))
        st, j, _ = admin.request("GET", "/api/v1/audit?limit=20")
        actions = [(e["action"], e["actor"], e["detail"].get("words")) for e in j["items"] if e["action"].startswith("dict.")]
        check("both changes are audited with the words",
              ("dict.add", "ana", ["东湖水务"]) in actions and ("dict.remove", "ana", ["东湖水务"]) in actions, actions)
        wait_index(admin, version)
    finally:
        code = srv.stop()
        check("serve stops cleanly", code == 0, code)

    # --- a restart with an index left behind (as if a rebuild was interrupted)
    db = sqlite3.connect(os.path.join(data, "yuqing.db"))
    db.execute("UPDATE user_dict_meta SET value = 'interrupted' WHERE key = 'index_version'")
    db.commit()
    db.close()
    srv.start()
    try:
        admin = api.Client(port)
        admin.login("boss", PASSWORD)
        ix, _ = wait_index(admin, version)
        check("after a restart the index left behind is rebuilt in the background", ix["index_version"] == version and ix["done"] > POSTS, ix)
        check("and the word still finds every brand post", count_hits(admin, BRAND) == brand_total)
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
    tmp = tempfile.mkdtemp(prefix="yuqing-dict-test-")
    try:
        run(yuqing, tmp)
        if api.FAILURES:
            print("--- serve.log (tail) ---\n" + open(os.path.join(tmp, "serve.log")).read()[-3000:])
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    print(f"{len(api.FAILURES)} failed" if api.FAILURES else "all passed")
    sys.exit(1 if api.FAILURES else 0)


if __name__ == "__main__":
    main()
