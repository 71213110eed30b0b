#!/usr/bin/env python3
"""The same action through the CLI and through the API tells the same people (issue 20; issue 16.5
found the API's alert acknowledgement writing no outbox row).

Two alerts of the same kind (two schemes with the same query and department, raised by one
ingested post) and two incidents opened alike; then one of each pair is acknowledged, resolved or
moved on with `yuqing alerts|incidents ...` while `yuqing serve` runs on the same data directory,
and the other through /api/v1. Both must leave the same outbox rows: the same notices to the same
contacts over the same channels with the same titles (ids and scheme names aside). The texts may
differ only by the dashboard link, which only a process that serves the dashboard knows.

    python3 tests/integration/notify_parity_test.py [--yuqing build/yuqing]
Exit 0 when every check passes.
"""
import argparse
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import server_api_test as api  # Client, ServerProcess, check, FAILURES  # noqa: E402

check = api.check
PASSWORD = "parity-admin-pw-1"


def cli(yuqing, data, *args, stdin=None):
    r = subprocess.run([yuqing, "--data", data, *args], input=stdin, capture_output=True, text=True, timeout=120)
    if r.returncode != 0:
        raise AssertionError(f"yuqing {' '.join(args)} exited {r.returncode}\n{r.stdout[-2000:]}\n{r.stderr[-2000:]}")
    return r.stdout


def cli_json(yuqing, data, *args):
    return json.loads(cli(yuqing, data, *args).strip().splitlines()[-1])


def outbox(yuqing, data):
    return cli_json(yuqing, data, "outbox", "list", "--json", "--limit", "100000")["items"]


def alert_rows(items, alert, notices):
    """The rows of one alert's notices, without what names the alert itself."""
    out = []
    for e in items:
        if e["alert_id"] != alert["id"] or e["notice"] not in notices:
            continue
        title = e["title"].replace(f"#{alert['id']}", "#N").replace(alert["scheme"], "S")
        out.append((e["notice"], e["department"], e["contact_id"], e["channel"], e["target"], title))
    return sorted(out)


def incident_rows(items, incident_id):
    out = []
    for e in items:
        if not e["idempotency_key"].startswith(f"yq-msg-inc{incident_id}-"):
            continue
        out.append((e["notice"], e["department"], e["contact_id"], e["channel"], e["target"], e["title"]))
    return sorted(out)


def run(yuqing, tmp):
    data = os.path.join(tmp, "data")
    cli(yuqing, data, "user", "add", "boss", "--role", "admin", "--password-stdin", stdin=PASSWORD + "\n")
    cli(yuqing, data, "departments", "add", "dept_a")
    # Two contacts (a closed loopback port: deliveries fail and the rows stay in the outbox).
    for order in ("0", "1"):
        cli(yuqing, data, "contacts", "add", "--department", "dept_a", "--channel", "webhook",
            "--target", f"http://127.0.0.1:9/hook{order}", "--escalation-order", order)
    for name in ("火灾甲", "火灾乙"):
        cli(yuqing, data, "topics", "add", "--name", name, "--query", "火灾", "--department", "dept_a")
    now = time.strftime("%Y-%m-%dT%H:%M:%S+00:00", time.gmtime())
    posts = os.path.join(tmp, "posts.jsonl")
    with open(posts, "w", encoding="utf-8") as f:
        for i, text in enumerate(["东湖小区发生火灾，浓烟很大", "东湖小区火灾现场有人被困，情况危急", "火灾 现场 浓烟"]):
            f.write(json.dumps({"id": f"p-fire-{i}", "source": "weibo", "text": text, "published_at": now,
                                "author": "网友甲"}, ensure_ascii=False) + "\n")
    cli(yuqing, data, "ingest", posts)
    alerts = cli_json(yuqing, data, "alerts", "list", "--json")["items"]
    alerts = sorted((a for a in alerts if a["status"] == "open"), key=lambda a: a["id"])
    if not check("the fire posts raise one alert per scheme", len(alerts) == 2 and
                 {a["scheme"] for a in alerts} == {"火灾甲", "火灾乙"}, alerts):
        return
    by_cli, by_api = alerts
    check("the two alerts are alike (level, departments)",
          by_cli["level"] == by_api["level"] and by_cli["departments"] == by_api["departments"], alerts)

    incidents = []
    for _ in range(2):
        inc = cli_json(yuqing, data, "incidents", "open", "--title", "东湖小区火灾", "--level", "IV", "--type",
                       "general", "--department", "dept_a", "--by", "boss", "--json")
        incidents.append(inc["id"])
    inc_cli, inc_api = incidents

    log_path = os.path.join(tmp, "serve.log")
    port = api.free_port()
    srv = api.ServerProcess(yuqing, data, port, log_path)
    srv.start()
    try:
        admin = api.Client(port)
        st, j = admin.login("boss", PASSWORD)
        if not check("login", st == 200, (st, j)):
            return

        # Alerts: acknowledge, then resolve; one through the CLI beside the server, one through the API.
        cli(yuqing, data, "alerts", "ack", str(by_cli["id"]), "--by", "boss", "--note", "已安排处置")
        st, j, _ = admin.request("POST", f"/api/v1/alerts/{by_api['id']}/ack", {"note": "已安排处置"})
        check("API ack", st == 200 and j["status"] == "acked", (st, j))
        cli(yuqing, data, "alerts", "resolve", str(by_cli["id"]), "--by", "boss", "--note", "已处置完毕")
        st, j, _ = admin.request("POST", f"/api/v1/alerts/{by_api['id']}/resolve", {"note": "已处置完毕"})
        check("API resolve", st == 200 and j["status"] == "resolved", (st, j))

        # Incidents: acknowledge, respond, raise the level.
        for to, verb in (("acknowledged", "ack"), ("responding", "respond")):
            cli(yuqing, data, "incidents", verb, str(inc_cli), "--by", "boss")
            st, j, _ = admin.request("POST", f"/api/v1/incidents/{inc_api}/transition", {"to": to})
            check(f"API transition to {to}", st == 200 and j.get("state") == to, (st, j))
        cli(yuqing, data, "incidents", "level", str(inc_cli), "--to", "III", "--reason", "态势升级", "--by", "boss")
        st, j, _ = admin.request("POST", f"/api/v1/incidents/{inc_api}/level", {"level": "III", "reason": "态势升级"})
        check("API level change", st == 200 and j.get("level") == "III", (st, j))

        items = outbox(yuqing, data)
        notices = {"acked", "resolved"}
        rows_cli, rows_api = alert_rows(items, by_cli, notices), alert_rows(items, by_api, notices)
        check("an alert acknowledged and resolved from the CLI writes outbox rows",
              {r[0] for r in rows_cli} == notices, rows_cli)
        check("the API's acknowledgement and resolution write the same outbox rows as the CLI's",
              rows_cli == rows_api, (rows_cli, rows_api))
        rows_cli, rows_api = incident_rows(items, inc_cli), incident_rows(items, inc_api)
        want = {"incident_opened", "incident_state", "incident_level"}
        check("incident changes from the CLI write outbox rows", {r[0] for r in rows_cli} == want, rows_cli)
        check("the same incident changes through the API write the same outbox rows",
              rows_cli == rows_api, (rows_cli, rows_api))
    finally:
        srv.stop()
        if api.FAILURES:
            print("--- server log (tail) ---")
            print(open(log_path).read()[-3000:])


def main():
    ap = argparse.ArgumentParser()
    here = os.path.dirname(os.path.abspath(__file__))
    ap.add_argument("--yuqing", default=os.environ.get("YUQING_BIN", os.path.join(here, "..", "..", "build", "yuqing")))
    a = ap.parse_args()
    yuqing = os.path.abspath(a.yuqing)
    if not os.access(yuqing, os.X_OK):
        sys.exit(f"no executable {yuqing}: build first")
    tmp = tempfile.mkdtemp(prefix="yuqing-parity-test-")
    try:
        run(yuqing, tmp)
    except AssertionError as e:
        check("the CLI steps succeed", False, str(e))
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    print(f"{len(api.FAILURES)} failed" if api.FAILURES else "all passed")
    sys.exit(1 if api.FAILURES else 0)


if __name__ == "__main__":
    main()
