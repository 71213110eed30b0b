#!/usr/bin/env python3
"""What a probe of the server and the store found (issue 22), each as a regression test against the
real binary: deeply nested JSON (server routes and a poison JSON Lines record), a scheme created
through the API applying to the very next posts, NUL bytes in paths and queries, malformed CSV
quoting, password spraying from one address, and the one-time admin password.

    python3 tests/integration/robustness_test.py [--yuqing build/yuqing]
"""
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
import time
import urllib.parse

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import server_api_test as api  # Client, ServerProcess, check, FAILURES  # noqa: E402

DEEP = 60000  # the probe's depth: 120 KB, under every size limit, and a stack overflow in dump()


def deep_array(levels):
    return "[" * levels + "]" * levels


def cli_checks(yuqing, tmp):
    data = os.path.join(tmp, "cli-data")
    poison = os.path.join(tmp, "poison.jsonl")
    with open(poison, "w", encoding="utf-8") as f:
        f.write('{"id":"ok-1","text":"东湖停水"}\n')
        f.write('{"id":"deep-1","text":"x","extra":' + deep_array(DEEP) + "}\n")
        f.write('{"id":"deep-2","text":' + deep_array(DEEP) + "}\n")
        f.write('{"id":"ok-2","text":"东湖水质"}\n')
    for attempt in (1, 2):  # a poison record crashed every re-run of its file
        r = subprocess.run([yuqing, "--data", data, "ingest", poison, "--json"], capture_output=True, text=True, timeout=120)
        j = json.loads(r.stdout.strip().splitlines()[-1]) if r.returncode in (0, 1) and r.stdout.strip() else {}
        api.check(f"ingest of a file with 60,000-level records does not crash (run {attempt})",
                  r.returncode in (0, 1) and j.get("stored", 0) + j.get("duplicates", 0) == 2, (r.returncode, r.stdout[-300:], r.stderr[-300:]))
    r = subprocess.run([yuqing, "--data", data, "quarantine", "list", "--json"], capture_output=True, text=True, timeout=60)
    api.check("the deep records are quarantined as too_deep", r.returncode == 0 and r.stdout.count("too_deep") >= 2, r.stdout[-500:])

    csv = os.path.join(tmp, "quotes.csv")
    with open(csv, "w", encoding="utf-8") as f:
        f.write('id,text\nq1,"abc"x\nq2,"好的"\n')
    r = subprocess.run([yuqing, "--data", data, "ingest", csv, "--json"], capture_output=True, text=True, timeout=60)
    j = json.loads(r.stdout.strip().splitlines()[-1]) if r.stdout.strip() else {}
    api.check('a CSV row like "abc"x is quarantined, the good row stored', j.get("stored") == 1 and j.get("quarantined") == 1, (r.returncode, j, r.stderr[-300:]))


def server_checks(yuqing, tmp):
    data = os.path.join(tmp, "srv-data")
    log_path = os.path.join(tmp, "serve.log")
    port = api.free_port()
    srv = api.ServerProcess(yuqing, data, port, log_path)
    srv.start()
    try:
        m = re.search(r"one-time password: (\S+)", open(log_path).read())
        one_time = m.group(1) if m else ""
        admin = api.Client(port)
        st, j = admin.login("admin", one_time)
        api.check("the one-time password logs in once", st == 200 and j.get("must_change_password") is True, (st, j))
        st, j, _ = admin.request("GET", "/api/v1/alerts")
        api.check("...and is refused everywhere but /auth/password until changed (403)", st == 403, (st, j))
        st, j, _ = admin.request("POST", "/api/v1/auth/password", {"current": one_time, "new": "robust-admin-pw-1"})
        api.check("changing it frees the account", st == 200, (st, j))
        st, j, _ = admin.request("GET", "/api/v1/alerts")
        api.check("after the change the same session works", st == 200, (st, j))

        # Deep JSON in every place the probe found it; the server must answer 400 and stay up.
        deep = deep_array(DEEP)
        for what, raw in [("as the body", deep),
                          ("as an extra field", '{"text":"x","extra":' + deep + "}"),
                          ("as text", '{"text":' + deep + "}")]:
            st, j, _ = admin.request("POST", "/api/v1/posts", raw=raw.encode(), headers={"Content-Type": "application/json"})
            api.check(f"POST /api/v1/posts with 60,000 levels {what}: 400", st == 400 and "nesting" in j["error"]["message"], (st, j))
        raw = '{"name":"深","query":"东湖","policy":' + deep + "}"
        st, j, _ = admin.request("POST", "/api/v1/schemes", raw=raw.encode(), headers={"Content-Type": "application/json"})
        api.check("POST /api/v1/schemes with a 60,000-level policy: 400", st == 400, (st, j))
        st, _, _ = admin.request("GET", "/api/v1/auth/me")
        api.check("the server is still up after the deep bodies", st == 200, st)

        # A scheme saved with a 2xx applies to the very next posts (two tries, as the probe did).
        for attempt in (1, 2):
            word = f"探针词{attempt}"
            st, j, _ = admin.request("POST", "/api/v1/schemes", {"name": f"即时方案{attempt}", "query": word})
            sid = j.get("id") if st in (200, 201) and j else None
            posts = [{"id": f"now-{attempt}-{i}", "source": "weibo", "text": f"{word} 第{i}条"} for i in range(5)]
            st2, j2, _ = admin.request("POST", "/api/v1/posts", posts)
            api.check(f"scheme {attempt} created and posts accepted at once", sid is not None and st2 in (200, 202), (st, j, st2, j2))

            def tagged():
                s, jj, _ = admin.request("GET", f"/api/v1/posts?scheme={sid}&limit=50")
                return s == 200 and len(jj.get("items", [])) == 5

            deadline = time.monotonic() + 30
            ok = tagged()
            while not ok and time.monotonic() < deadline:
                time.sleep(0.05)
                ok = tagged()
            api.check(f"every post sent right after the scheme's 2xx is tagged with it (try {attempt})", ok)

        # NUL bytes: never a file served under another type, never SQLite's own words.
        st, j, body = admin.request("GET", "/index.html%00.js")
        api.check("/index.html%00.js is refused (400), not served as JavaScript", st == 400, (st, body[:80]))
        st, j, _ = admin.request("GET", "/api/v1/posts?q=" + urllib.parse.quote("东湖\x00停水"))
        msg = json.dumps(j, ensure_ascii=False) if j else ""
        api.check("a NUL byte in a search answers 400 without SQL details", st == 400 and "sqlite" not in msg.lower() and "SQL" not in msg, (st, msg))

        # Wrong types answer 400 naming the field (checked against the route's schema), never 500,
        # never a record stored with the field emptied.
        for path, body, field in [
            ("/api/v1/tokens", {"name": 1}, "name"),
            ("/api/v1/schemes/test", {"query": ["火灾"]}, "query"),
            ("/api/v1/schemes/test", {"query": "火灾", "limit": "10"}, "limit"),
            ("/api/v1/schemes/validate", {"query": 3}, "query"),
            ("/api/v1/posts/none/sentiment", {"label": 1}, "label"),
            ("/api/v1/incidents", {"level": "IV", "team": [{"role": "commander", "person": 7}]}, "team[0].person"),
        ]:
            st, j, _ = admin.request("POST", path, body)
            msg = (j or {}).get("error", {}).get("message", "")
            api.check(f"POST {path} {json.dumps(body, ensure_ascii=False)}: 400 naming {field}",
                      st == 400 and msg.startswith(field + ":"), (st, j))
        st, j, _ = admin.request("POST", "/api/v1/incidents", {"level": "IV", "title": "类型检查"})
        inc = (j or {}).get("incident", j or {}).get("id")
        if st in (200, 201) and inc:
            st, j, _ = admin.request("POST", f"/api/v1/incidents/{inc}/communications", {"kind": "media", "content": {"x": 1}})
            api.check("a non-string communication content is refused (400), not stored empty",
                      st == 400 and j["error"]["message"].startswith("content:"), (st, j))
            st, j, _ = admin.request("GET", f"/api/v1/incidents/{inc}")
            api.check("...and nothing was stored", st == 200 and j.get("communications") == [], (st, j and j.get("communications")))
            # The incident objects match the OpenAPI document too.
            admin.request("POST", f"/api/v1/incidents/{inc}/statements", {"body": "关于东湖小区停水的情况说明：我们将于今天18时前恢复供水。"})
            st, j, _ = admin.request("GET", f"/api/v1/incidents/{inc}")
            st2, doc, _ = admin.request("GET", "/api/v1/openapi.json")
            comps = doc["components"]["schemas"]
            errs = api.schema_errors({"$ref": "#/components/schemas/Incident"}, j, comps)
            for x in j.get("statements", []):
                errs += api.schema_errors({"$ref": "#/components/schemas/Statement"}, x, comps)
            api.check(f"the incident and its {len(j.get('statements', []))} statement(s) match their schemas",
                      not errs and j.get("statements"), errs[:5])
        else:
            api.check("an incident opens by hand", False, (st, j))

        # Search reads the scheme language (the feed's own example), or answers 400 with the column.
        admin.request("POST", "/api/v1/posts", [
            {"id": "sq-1", "source": "weibo", "text": "东湖小区停水三天了"},
            {"id": "sq-2", "source": "weibo", "title": "停水通知", "text": "西城区明日检修"},
            {"id": "sq-3", "source": "weibo", "text": "东湖公园风景很好"}])
        for q, want in [("东湖 AND 停水", {"sq-1"}), ("东湖 NOT 停水", {"sq-3"}), ("title:停水", {"sq-2"}),
                        ("停水 NEAR/5 东湖", {"sq-1"}), ("(东湖 OR 西城区) AND (停水 OR 检修)", {"sq-1", "sq-2"})]:
            st, j, _ = admin.request("GET", "/api/v1/posts?limit=50&q=" + urllib.parse.quote(q))
            got = {h["id"] for h in (j or {}).get("items", (j or {}).get("hits", []))} & {"sq-1", "sq-2", "sq-3"}
            api.check(f"search {q!r} finds {sorted(want)}", st == 200 and got == want, (st, got))
        st, j, _ = admin.request("GET", "/api/v1/posts?q=" + urllib.parse.quote("((("))
        api.check("search '(((' answers 400 with the column", st == 400 and j["error"].get("column") == 4, (st, j))

        # Password spraying: many unknown names from one address get throttled by address.
        anon = api.Client(port)
        codes = [anon.login(f"nobody{i}", "guess-password")[0] for i in range(25)]
        api.check("spraying 25 names from one address is throttled (429) after 20 failures",
                  codes[:20] == [401] * 20 and set(codes[20:]) == {429}, codes)
    finally:
        srv.stop()
        if api.FAILURES:
            print("--- server log (tail) ---")
            print(open(log_path).read()[-3000:])


def main():
    import argparse
    ap = argparse.ArgumentParser()
    here = os.path.dirname(os.path.abspath(__file__))
    ap.add_argument("--yuqing", default=os.environ.get("YUQING_BIN", os.path.join(here, "..", "..", "build", "yuqing")))
    a = ap.parse_args()
    yuqing = os.path.abspath(a.yuqing)
    tmp = tempfile.mkdtemp(prefix="yuqing-robust-")
    try:
        cli_checks(yuqing, tmp)
        server_checks(yuqing, tmp)
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    print(f"{len(api.FAILURES)} failed" if api.FAILURES else "all passed")
    sys.exit(1 if api.FAILURES else 0)


if __name__ == "__main__":
    main()
