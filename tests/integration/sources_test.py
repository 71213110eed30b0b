#!/usr/bin/env python3
"""Data sources (数据源) end to end, against a loopback feed server this test runs (http.server).

CLI: `sources list --json` on an empty store; a page source (--kind page with CSS selectors)
against a loopback site: items stored with absolute links and times, robots.txt obeyed, 304,
requests to one host spaced by the rate limit; `sources add` with its errors (exit 2 naming the
option); `sources run` accounting exact (stored / duplicate / quarantined with the reason), a
conditional GET answered 304 (nothing read, the validators sent), an updated item not stored
twice, a failing feed recorded as the source's last error (exit 3), pause/resume/remove.
serve: the scheduler fetches a source on its schedule into the same ingest path (the posts are
searchable), the API lists it with its figures (schemas checked), admins only change it, and a
source that goes silent raises 数据源 X 已 N 秒无新数据 through the warning path, delivered by the
outbox to a loopback webhook, resolved when posts come again. Waits poll; nothing sleeps.

    python3 tests/integration/sources_test.py [--yuqing build/yuqing] [--only feeds|pages|serve]
"""
import http.server
import json
import os
import shutil
import subprocess
import sys
import tempfile
import threading
import time
import urllib.parse

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import server_api_test as api  # Client, ServerProcess, check, schema_errors, FAILURES  # noqa: E402

check = api.check
PASSWORD = "sources-admin-pw-1"


def item(guid, title, desc, date="Mon, 01 Jun 2026 09:00:00 +0800"):
    return (f"<item><guid>{guid}</guid><title>{title}</title><link>https://news.example.cn/{guid}</link>"
            f"<description><![CDATA[{desc}]]></description><pubDate>{date}</pubDate></item>")


def rss(*items):
    return ('<?xml version="1.0" encoding="UTF-8"?><rss version="2.0"><channel><title>东湖区新闻</title>'
            + "".join(items) + "</channel></rss>")


class Feed:
    """A loopback feed: serves `body` with an ETag; answers 304 to a matching If-None-Match;
    `status` other than 200 is answered as is. Records each request's conditional headers."""

    def __init__(self):
        self.body, self.etag, self.status = rss(), '"v0"', 200
        self.requests = []
        self.lock = threading.Lock()
        outer = self

        class Handler(http.server.BaseHTTPRequestHandler):
            def do_GET(self):
                with outer.lock:
                    outer.requests.append({"path": self.path, "inm": self.headers.get("If-None-Match")})
                    body, etag, status = outer.body.encode(), outer.etag, outer.status
                if status != 200:
                    self.send_response(status)
                    self.end_headers()
                    return
                if self.headers.get("If-None-Match") == etag:
                    self.send_response(304)
                    self.send_header("ETag", etag)
                    self.end_headers()
                    return
                self.send_response(200)
                self.send_header("Content-Type", "application/rss+xml; charset=utf-8")
                self.send_header("ETag", etag)
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

            def log_message(self, *a):
                pass

        self.server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}/rss/dh"
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def set(self, body, etag):
        with self.lock:
            self.body, self.etag, self.status = body, etag, 200

    def close(self):
        self.server.shutdown()
        self.server.server_close()


class Hook:
    """A loopback webhook receiver recording each POST body."""

    def __init__(self):
        self.bodies = []
        self.lock = threading.Lock()
        outer = self

        class Handler(http.server.BaseHTTPRequestHandler):
            def do_POST(self):
                body = self.rfile.read(int(self.headers.get("Content-Length") or 0)).decode("utf-8", "replace")
                with outer.lock:
                    outer.bodies.append(body)
                self.send_response(200)
                self.send_header("Content-Type", "application/json")
                self.end_headers()
                self.wfile.write(b'{"ok":true}')

            def log_message(self, *a):
                pass

        self.server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}/hook"
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def close(self):
        self.server.shutdown()
        self.server.server_close()


def cli(yuqing, data, *args, stdin=None):
    return subprocess.run([yuqing, "--data", data, *args], input=stdin, capture_output=True, text=True, timeout=120)


def last_json(out):
    for line in reversed(out.strip().splitlines()):
        if line.startswith("{"):
            return json.loads(line)
    return None


def wait_for(pred, seconds, what):
    deadline = time.time() + seconds
    while time.time() < deadline:
        v = pred()
        if v:
            return v
        time.sleep(0.05)
    check(f"waited for {what}", False, f"not within {seconds} s")
    return None


BOARD = """<html><head><title>领导留言板 · 东湖区</title></head><body><ul class="list">{items}</ul></body></html>"""


def board_item(n, title, when):
    return (f'<li class="msg"><a href="/board/msg/{n}.html">{title}</a><span class="time">{when}</span>'
            f'<p>留言内容 {n}：{title}</p></li>')


class Site:
    """A loopback site: /robots.txt disallows /private; pages from `pages` with an ETag (304 to a
    matching If-None-Match). Records (time, path) of every request."""

    def __init__(self):
        self.pages = {}
        self.requests = []
        self.lock = threading.Lock()
        outer = self

        class Handler(http.server.BaseHTTPRequestHandler):
            def do_GET(self):
                with outer.lock:
                    outer.requests.append((time.monotonic(), self.path))
                    page = outer.pages.get(self.path)
                if self.path == "/robots.txt":
                    body, etag = b"User-agent: *\nDisallow: /private\n", None
                elif page is None:
                    self.send_response(404)
                    self.end_headers()
                    return
                else:
                    body, etag = page.encode(), '"%d"' % hash(page)
                if etag and self.headers.get("If-None-Match") == etag:
                    self.send_response(304)
                    self.end_headers()
                    return
                self.send_response(200)
                self.send_header("Content-Type", "text/html; charset=utf-8")
                if etag:
                    self.send_header("ETag", etag)
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

            def log_message(self, *a):
                pass

        self.server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.base = f"http://127.0.0.1:{self.server.server_address[1]}"
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def close(self):
        self.server.shutdown()
        self.server.server_close()


def page_part(yuqing, tmp):
    data = os.path.join(tmp, "pages")
    site = Site()
    try:
        site.pages["/board/list.html"] = BOARD.format(items=board_item(1, "东湖路积水严重", "2026年6月1日 9:05")
                                                      + board_item(2, "学校门口拥堵", "2026-06-01 10:00")
                                                      + board_item(3, "时间写错了", "刚刚"))
        site.pages["/private/list.html"] = BOARD.format(items=board_item(9, "不该被抓取", "2026-06-01"))
        site.pages["/news/list.html"] = BOARD.format(items=board_item(5, "新闻", "2026-06-02"))
        sel = ["--item", "ul.list > li.msg", "--title", "a", "--link", "a", "--time", ".time"]
        r = cli(yuqing, data, "sources", "add", "--kind", "page", "--url", site.base + "/board/list.html", "--title", "a", "--link", "a")
        check("a page source without --item is exit 2 naming item", r.returncode == 2 and "item:" in r.stderr, r.stderr)
        r = cli(yuqing, data, "sources", "add", "--kind", "page", "--url", site.base + "/board/list.html",
                "--item", "li", "--title", "a:hover", "--link", "a")
        check("a selector outside the subset is exit 2 naming the option and the column", r.returncode == 2
              and "title:" in r.stderr and "column" in r.stderr, r.stderr)
        r = cli(yuqing, data, "sources", "add", "--kind", "page", "--name", "留言板", "--url", site.base + "/board/list.html", *sel)
        check("sources add --kind page --url URL --item --title --link --time", r.returncode == 0, r.stderr)
        r = cli(yuqing, data, "sources", "run", "留言板", "--json")
        rep = (last_json(r.stdout) or {"items": [{}]})["items"][0]
        check("a page: 2 items stored, 1 quarantined (bad_date), robots.txt read first",
              rep.get("stored") == 2 and rep.get("quarantined") == 1 and [q["code"] for q in rep.get("quarantine", [])] == ["bad_date"]
              and [p for _, p in site.requests[:2]] == ["/robots.txt", "/board/list.html"], (rep, site.requests))
        r = cli(yuqing, data, "search", "积水", "--json")
        check("the item is stored with its title, absolute link and time", r.returncode == 0 and
              site.base + "/board/msg/1.html" in r.stdout and "2026-06-01T09:05:00+08:00" in r.stdout, r.stdout[-500:])
        n = len(site.requests)
        r = cli(yuqing, data, "sources", "run", "留言板", "--json")
        rep = (last_json(r.stdout) or {"items": [{}]})["items"][0]
        check("an unchanged page: 304, robots.txt not read again (kept for a day)", rep.get("not_modified") is True
              and [p for _, p in site.requests[n:]] == ["/board/list.html"], (rep, site.requests[n:]))
        site.pages["/board/list.html"] = BOARD.format(items=board_item(4, "新留言", "2026-06-02 08:00")
                                                      + board_item(1, "东湖路积水严重", "2026年6月1日 9:05")
                                                      + board_item(2, "学校门口拥堵", "2026-06-01 10:00"))
        r = cli(yuqing, data, "sources", "run", "留言板", "--json")
        rep = (last_json(r.stdout) or {"items": [{}]})["items"][0]
        check("a changed page: the new item stored, the others not twice", rep.get("stored") == 1 and rep.get("duplicates") == 2, rep)

        r = cli(yuqing, data, "sources", "add", "--kind", "page", "--name", "内部", "--url", site.base + "/private/list.html", *sel)
        n = len(site.requests)
        r = cli(yuqing, data, "sources", "run", "内部", "--json")
        rep = (last_json(r.stdout) or {"items": [{}]})["items"][0]
        check("robots.txt disallows: exit 3, the rule named, the page never requested",
              r.returncode == 3 and "Disallow: /private" in rep.get("error", "")
              and "/private/list.html" not in [p for _, p in site.requests[n:]], (r.returncode, rep, site.requests[n:]))

        r = cli(yuqing, data, "sources", "add", "--kind", "page", "--name", "新闻", "--url", site.base + "/news/list.html", *sel)
        cli(yuqing, data, "sources", "pause", "内部")
        n = len(site.requests)
        r = cli(yuqing, data, "sources", "run", "留言板", "新闻", "--json")
        times = [t for t, _ in site.requests[n:]]
        gaps = [b - a for a, b in zip(times, times[1:])]
        check("one site, several sources: requests at least 2 s apart (per-host rate limit)",
              r.returncode == 0 and len(times) == 3 and min(gaps) >= 1.9, (site.requests[n:], gaps))
    finally:
        site.close()


def cli_part(yuqing, tmp, feed):
    data = os.path.join(tmp, "cli")
    r = cli(yuqing, data, "sources", "list", "--json")
    check("sources list --json on an empty store answers {items: []}", r.returncode == 0 and last_json(r.stdout) == {"items": []},
          (r.returncode, r.stdout, r.stderr))
    for args, want in ((["--kind", "ftp", "--url", feed.url], "kind: 应为"), (["--url", "ftp://x/feed"], "url: "),
                       (["--url", feed.url, "--every", "0s"], "every: 至少"), (["--url", feed.url, "--every", "soon"], "every: ")):
        r = cli(yuqing, data, "sources", "add", *args)
        check(f"sources add {' '.join(args[:2])}... is exit 2 naming {want}", r.returncode == 2 and want in r.stderr,
              (r.returncode, r.stderr))
    r = cli(yuqing, data, "sources", "add", "--kind", "feed", "--url", feed.url, "--every", "10m", "--name", "东湖新闻", "--json")
    src = last_json(r.stdout) or {}
    check("sources add --kind feed --url URL --every 10m --json", r.returncode == 0 and src.get("kind") == "feed"
          and src.get("every") == "10m" and src.get("name") == "东湖新闻", (r.returncode, r.stdout, r.stderr))
    r = cli(yuqing, data, "sources", "add", "--url", feed.url, "--name", "东湖新闻")
    check("a second source with the same name is exit 2", r.returncode == 2, (r.returncode, r.stderr))

    feed.set(rss(item("a1", "东湖自来水有异味", "<p>东湖区多个小区<b>自来水</b>有异味，居民反映&amp;投诉。</p>"),
                 item("a2", "水务公司回应", "东湖水务：已派人取样检测。"),
                 item("a3", "", ""),
                 item("a4", "日期坏了", "正文", date="not a date")), '"v1"')
    r = cli(yuqing, data, "sources", "run", "--json")
    rep = (last_json(r.stdout) or {"items": [{}]})["items"][0]
    reasons = sorted(q["code"] for q in rep.get("quarantine", []))
    check("sources run: 2 stored, 0 duplicates, 2 quarantined with their reasons",
          r.returncode == 0 and rep.get("stored") == 2 and rep.get("duplicates") == 0 and rep.get("quarantined") == 2
          and reasons == ["bad_date", "missing_text"], (r.returncode, rep, r.stderr[-300:]))
    r = cli(yuqing, data, "quarantine", "list", "--json")
    check("the quarantined items are in the quarantine, origin the feed URL", r.returncode == 0 and r.stdout.count(feed.url) >= 2,
          (r.returncode, r.stdout[-400:]))
    r = cli(yuqing, data, "search", "自来水", "--json")
    check("the feed's HTML description is stored as text", r.returncode == 0 and "居民反映&投诉" in r.stdout and "<b>" not in r.stdout,
          r.stdout[-400:])

    r = cli(yuqing, data, "sources", "run", "东湖新闻", "--json")
    rep = (last_json(r.stdout) or {"items": [{}]})["items"][0]
    check("an unchanged feed answers 304: not_modified, nothing counted", rep.get("not_modified") is True
          and rep.get("stored") == 0 and rep.get("duplicates") == 0, rep)
    check("the conditional GET sent the stored ETag", feed.requests[-1]["inm"] == '"v1"', feed.requests[-1])

    feed.set(rss(item("a1", "东湖自来水有异味（更新）", "<p>东湖区多个小区自来水有异味，已恢复。</p>"),
                 item("a2", "水务公司回应", "东湖水务：已派人取样检测。"),
                 item("a5", "检测结果公布", "检测结果：各项指标合格。")), '"v2"')
    r = cli(yuqing, data, "sources", "run", "--json")
    rep = (last_json(r.stdout) or {"items": [{}]})["items"][0]
    check("a changed feed: the new item stored, the updated and unchanged ones not twice (1 stored, 2 duplicates)",
          rep.get("stored") == 1 and rep.get("duplicates") == 2 and rep.get("quarantined") == 0, rep)

    with feed.lock:
        feed.status = 500
    r = cli(yuqing, data, "sources", "run", "--json")
    rep = (last_json(r.stdout) or {"items": [{}]})["items"][0]
    check("a failing feed: exit 3, the report names HTTP 500", r.returncode == 3 and rep.get("ok") is False
          and "HTTP 500" in rep.get("error", ""), (r.returncode, rep))
    r = cli(yuqing, data, "sources", "list", "--json")
    s = (last_json(r.stdout) or {"items": [{}]})["items"][0]
    check("list --json: last error kept, last success and the figures (3 stored in the last hour)",
          "HTTP 500" in s.get("last_error", "") and s.get("last_success_at") and s.get("posts_last_hour") == 3
          and s.get("stored_24h") == 3 and s.get("paused") is False, s)
    r = cli(yuqing, data, "sources", "list")
    check("list in Chinese shows the error and the counts", r.returncode == 0 and "最近错误" in r.stdout and "东湖新闻" in r.stdout,
          r.stdout)
    r = cli(yuqing, data, "--lang", "en", "sources", "list")
    check("list in English", r.returncode == 0 and "last error" in r.stdout, r.stdout)

    r = cli(yuqing, data, "sources", "pause", "东湖新闻")
    check("sources pause NAME", r.returncode == 0 and "已暂停" in r.stdout, (r.returncode, r.stdout, r.stderr))
    n = len(feed.requests)
    r = cli(yuqing, data, "sources", "run", "--json")
    check("run skips a paused source (no request)", r.returncode == 0 and last_json(r.stdout) == {"items": []}
          and len(feed.requests) == n, (r.stdout, len(feed.requests), n))
    r = cli(yuqing, data, "sources", "resume", "1")
    check("sources resume ID", r.returncode == 0, (r.returncode, r.stderr))
    r = cli(yuqing, data, "sources", "pause", "没有这个")
    check("an unknown source is exit 2", r.returncode == 2 and "没有数据源" in r.stderr, (r.returncode, r.stderr))
    r = cli(yuqing, data, "sources", "remove", "东湖新闻")
    r2 = cli(yuqing, data, "sources", "list", "--json")
    check("sources remove: gone from the list", r.returncode == 0 and last_json(r2.stdout) == {"items": []}, (r.stderr, r2.stdout))


def serve_part(yuqing, tmp, feed):
    data = os.path.join(tmp, "serve")
    hook = Hook()
    for args in (["user", "add", "boss", "--role", "admin", "--password-stdin"],
                 ["user", "add", "vic", "--role", "viewer", "--password-stdin"]):
        r = cli(yuqing, data, *args, stdin=PASSWORD + "\n")
        if r.returncode != 0:
            sys.exit(f"{args}: {r.stderr}")
    for args in (["departments", "add", "信息科"],
                 ["contacts", "add", "--department", "信息科", "--channel", "webhook", "--target", hook.url]):
        r = cli(yuqing, data, *args)
        check(f"setup: {' '.join(args[:2])}", r.returncode == 0, r.stderr)
    feed.set(rss(item("s1", "东湖公园落叶清扫", "东湖公园落叶清扫及时。"), item("s2", "东湖夜市开张", "东湖夜市今晚开张。")), '"s1"')
    r = cli(yuqing, data, "sources", "add", "--url", feed.url, "--name", "东湖订阅", "--every", "1s",
            "--silence-floor", "3s", "--department", "信息科")
    check("setup: a source fetched every second, silent after 3 s", r.returncode == 0, r.stderr)
    port = api.free_port()
    srv = api.ServerProcess(yuqing, data, port, os.path.join(tmp, "serve.log"))
    srv.start()
    try:
        admin, viewer = api.Client(port), api.Client(port)
        for c, n in ((admin, "boss"), (viewer, "vic")):
            st, j = c.login(n, PASSWORD)
            if st != 200:
                sys.exit(f"login {n}: {st} {j}")

        def stored():
            st, j, _ = admin.request("GET", "/api/v1/sources")
            return j["items"][0] if st == 200 and j["items"] and j["items"][0]["stored_24h"] == 2 else None
        s = wait_for(stored, 90, "the scheduler to fetch the source (2 posts)")
        check("serve fetched the source on its schedule: 2 stored, last success set", s and s["last_success_at"], s)
        st, j, _ = admin.request("GET", "/api/v1/posts?q=" + urllib.parse.quote("夜市"))
        check("its posts went through the pipeline (searchable)", st == 200 and len(j.get("items", [])) == 1, (st, j))

        def silent():
            st, j, _ = admin.request("GET", "/api/v1/alerts?status=active")
            return [a for a in j.get("items", []) if a["rule"] == "source_silent"] if st == 200 else None
        alerts = wait_for(silent, 90, "the silence alert")
        msg = alerts[0]["message"] if alerts else ""
        check("a silent source raises 数据源 东湖订阅 已 N 秒无新数据 (level IV)",
              msg.startswith("数据源 东湖订阅 已 ") and "无新数据" in msg and alerts[0]["level"] == "IV", alerts)
        got = wait_for(lambda: [b for b in hook.bodies if "东湖订阅" in b], 90, "the webhook to receive the silence alert")
        check("the silence alert is delivered through the outbox to the source's department", bool(got), hook.bodies[-2:])
        st, j, _ = admin.request("GET", "/api/v1/sources/东湖订阅".replace("东湖订阅", urllib.parse.quote("东湖订阅")))
        check("GET /sources/{name}: silent, 48 hourly points, the fetch log (304s after the first)",
              st == 200 and j["silent"] is True and len(j["hourly"]) == 48 and sum(h["stored"] for h in j["hourly"]) == 2
              and any(f["not_modified"] for f in j["fetches"]), (st, {k: j.get(k) for k in ("silent", "fetches")}))
        detail = j
        feed.set(rss(item("s3", "东湖灯光秀", "东湖灯光秀今晚上演。")), '"s3"')

        def resolved():
            st, j, _ = admin.request("GET", f"/api/v1/alerts/{alerts[0]['id']}")
            return j if st == 200 and j["status"] == "resolved" else None
        a = wait_for(resolved, 90, "the silence alert to resolve once posts come again")
        check("new posts resolve the silence alert", a and a["resolved_by"] == "system", a)

        # --- the API: admins change, everyone reads; errors name the field
        st, j, _ = viewer.request("GET", "/api/v1/sources")
        check("a viewer may list sources", st == 200 and len(j["items"]) == 1, (st, j))
        st, j, _ = viewer.request("POST", "/api/v1/sources", {"url": feed.url + "?v"})
        check("a viewer may not add a source (403)", st == 403, (st, j))
        st, j, _ = admin.request("POST", "/api/v1/sources", {"url": "ftp://x"})
        check("a bad URL is 400 naming url", st == 400 and j["error"]["message"].startswith("url: "), (st, j))
        st, j, _ = admin.request("POST", "/api/v1/sources", {"url": feed.url + "?x", "every": 5})
        check("every of the wrong type is 400 naming it", st == 400 and j["error"]["message"].startswith("every"), (st, j))
        st, j, _ = admin.request("POST", "/api/v1/sources", {"url": feed.url + "?paused", "name": "第二个", "every": "1h"})
        check("POST /sources creates (201)", st == 201 and j["every"] == "1h" and j["name"] == "第二个", (st, j))
        second = j
        st, j, _ = admin.request("POST", "/api/v1/sources", {"url": feed.url + "?again", "name": "第二个"})
        check("a duplicate name is 409", st == 409, (st, j))
        st, j, _ = admin.request("POST", f"/api/v1/sources/{second.get('id')}/pause")
        check("pause", st == 200 and j["paused"] is True and j["next_run_at"] is None, (st, j))
        st, j, _ = viewer.request("POST", f"/api/v1/sources/{second.get('id')}/resume")
        check("a viewer may not resume (403)", st == 403, (st, j))
        st, j, _ = admin.request("POST", f"/api/v1/sources/{second.get('id')}/resume")
        check("resume", st == 200 and j["paused"] is False, (st, j))
        st, j, _ = admin.request("DELETE", f"/api/v1/sources/{second.get('id')}")
        check("DELETE", st == 200 and j == {"deleted": second.get("id")}, (st, j))
        st, j, _ = admin.request("GET", "/api/v1/sources/999")
        check("an unknown source is 404", st == 404, (st, j))
        st, j, _ = admin.request("GET", "/api/v1/audit?limit=50")
        actions = {e["action"] for e in j.get("items", [])}
        check("changes are audited", {"source.add", "source.pause", "source.resume", "source.remove"} <= actions, actions)
        st, doc, _ = admin.request("GET", "/api/v1/openapi.json")
        comps = doc["components"]["schemas"]
        st, j, _ = admin.request("GET", "/api/v1/sources")
        errors = [e for x in j["items"] for e in api.schema_errors({"$ref": "#/components/schemas/Source"}, x, comps)]
        errors += api.schema_errors({"$ref": "#/components/schemas/SourceDetail"}, detail, comps)
        errors += api.schema_errors({"$ref": "#/components/schemas/Source"}, second, comps)
        check("responses match the Source and SourceDetail schemas", not errors, errors[:5])
    finally:
        code = srv.stop()
        hook.close()
        if api.FAILURES:
            print(open(os.path.join(tmp, "serve.log")).read()[-3000:])
    check("serve stops cleanly with the scheduler running", code == 0, code)


def main():
    ap_args = [a for a in sys.argv[1:]]
    yuqing = "build/yuqing"
    if "--yuqing" in ap_args:
        yuqing = ap_args[ap_args.index("--yuqing") + 1]
    yuqing = os.path.abspath(yuqing)
    only = ap_args[ap_args.index("--only") + 1] if "--only" in ap_args else "all"  # ctest runs the parts apart
    tmp = tempfile.mkdtemp(prefix="yq-sources-")
    feed = Feed()
    try:
        if only in ("all", "feeds"):
            cli_part(yuqing, tmp, feed)
        if only in ("all", "pages"):
            page_part(yuqing, tmp)
        if only in ("all", "serve"):
            serve_part(yuqing, tmp, feed)
    finally:
        feed.close()
        shutil.rmtree(tmp, ignore_errors=True)
    print(f"\n{'FAIL' if api.FAILURES else 'PASS'}: sources_test ({len(api.FAILURES)} failures)")
    sys.exit(1 if api.FAILURES else 0)


if __name__ == "__main__":
    main()
