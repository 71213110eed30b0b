#!/usr/bin/env python3
"""Black-box test of the settings API (设置) of `yuqing serve` (python3 stdlib only).

Departments, contacts (channels), 测试发送 and the SMTP server, plus the user changes (disable,
reset password): roles (viewer/analyst 403 on changes; viewers may list departments), 400 naming
the field, 404, 409, secrets and robot keys masked everywhere they come back (responses, audit
rows), every change audited, the responses matching the OpenAPI component schemas, and a test
message reaching a loopback webhook receiver through the real outbox and dispatcher (the test
waits on the receiver's event, it does not sleep).

    python3 tests/integration/settings_api_test.py [--yuqing build/yuqing]
Exit 0 when every check passes.
"""
import argparse
import hashlib
import hmac
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
SECRET = "hook-secret-0123456789abcdef"
PASSWORD = "settings-admin-pw-1"


class Receiver:
    """A loopback webhook receiver: records each POST and sets an event per idempotency key."""

    def __init__(self, status=200):
        self.requests = []
        self.arrived = threading.Event()
        self.lock = threading.Lock()
        outer = self

        class Handler(http.server.BaseHTTPRequestHandler):
            def do_POST(self):
                body = self.rfile.read(int(self.headers.get("Content-Length") or 0))
                with outer.lock:
                    outer.requests.append((self.path, dict(self.headers), body))
                self.send_response(status)
                self.send_header("Content-Type", "application/json")
                self.end_headers()
                self.wfile.write(b'{"ok":true}')
                outer.arrived.set()

            def log_message(self, *a):
                pass

        self.server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.port = self.server.server_address[1]
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def close(self):
        self.server.shutdown()
        self.server.server_close()


def cli(yuqing, data, *args, stdin=None):
    return subprocess.run([yuqing, "--data", data, *args], input=stdin, capture_output=True, text=True, timeout=60)


def wait_outbox(client, oid, want, seconds=30):
    """Follows GET /api/v1/outbox/{id} until its status is `want` (the dispatcher delivers it)."""
    deadline = time.time() + seconds
    entry = None
    while time.time() < deadline:
        st, entry, _ = client.request("GET", f"/api/v1/outbox/{oid}")
        if st == 200 and entry["status"] == want:
            return entry
        time.sleep(0.1)
    return entry


def run(yuqing, tmp):
    data = os.path.join(tmp, "data")
    for name, role in (("boss", "admin"), ("ana", "analyst"), ("vic", "viewer")):
        r = cli(yuqing, data, "user", "add", name, "--role", role, "--password-stdin", stdin=PASSWORD + "\n")
        if r.returncode != 0:
            sys.exit(f"user add {name}: {r.stderr}")
    log_path = os.path.join(tmp, "serve.log")
    port = api.free_port()
    srv = api.ServerProcess(yuqing, data, port, log_path)
    receiver = Receiver()
    srv.start()
    try:
        admin, analyst, viewer = api.Client(port), api.Client(port), api.Client(port)
        for c, n in ((admin, "boss"), (analyst, "ana"), (viewer, "vic")):
            st, j = c.login(n, PASSWORD)
            if st != 200:
                sys.exit(f"login {n}: {st} {j}")

        # --- departments
        st, j, _ = admin.request("POST", "/api/v1/departments",
                                 {"name": "宣传科", "description": "对外发布", "regions": ["浙江", "杭州"]})
        check("POST /departments creates (201) with id, regions, no contacts",
              st == 201 and j["name"] == "宣传科" and j["regions"] == ["浙江", "杭州"] and j["contacts"] == 0 and j["id"] > 0, (st, j))
        dept_id = j["id"] if st == 201 else 0
        st, j, _ = admin.request("POST", "/api/v1/departments", {"name": "宣传科"})
        check("a duplicate department is 409", st == 409 and j["error"]["code"] == "conflict", (st, j))
        st, j, _ = admin.request("POST", "/api/v1/departments", {"description": "x"})
        check("a department without a name is 400 naming the field", st == 400 and j["error"]["message"].startswith("name"), (st, j))
        st, j, _ = admin.request("POST", "/api/v1/departments", {"name": "a/b"})
        check("a name with '/' is 400 naming the field", st == 400 and j["error"]["message"].startswith("name:"), (st, j))
        st, j, _ = admin.request("POST", "/api/v1/departments", {"name": "x", "regions": "浙江"})
        check("regions must be an array (400 naming it)", st == 400 and j["error"]["message"].startswith("regions"), (st, j))
        st, j, _ = viewer.request("GET", "/api/v1/departments")
        check("a viewer may list departments", st == 200 and [d["name"] for d in j["items"]] == ["宣传科"], (st, j))
        st, j, _ = viewer.request("POST", "/api/v1/departments", {"name": "v"})
        check("a viewer may not create a department (403)", st == 403, (st, j))
        st, j, _ = analyst.request("POST", "/api/v1/departments", {"name": "a"})
        check("an analyst may not create a department (403)", st == 403, (st, j))
        q = urllib.parse.quote("宣传科")
        st, j, _ = admin.request("PATCH", f"/api/v1/departments/{q}", {"description": "新闻发布与舆情", "regions": ["浙江"]})
        check("PATCH /departments/{name} changes description and regions",
              st == 200 and j["description"] == "新闻发布与舆情" and j["regions"] == ["浙江"], (st, j))
        st, j, _ = admin.request("PATCH", f"/api/v1/departments/{dept_id}", {"regions": ["浙江", "宁波"]})
        check("PATCH /departments/{id} works by id too", st == 200 and j["name"] == "宣传科" and j["regions"] == ["浙江", "宁波"], (st, j))
        st, j, _ = admin.request("PATCH", f"/api/v1/departments/{q}", {"name": "改名"})
        check("renaming is refused with 400 naming the field", st == 400 and j["error"]["message"].startswith("name:"), (st, j))
        st, j, _ = admin.request("PATCH", "/api/v1/departments/" + urllib.parse.quote("没有"), {"description": "x"})
        check("PATCH of an unknown department is 404", st == 404, (st, j))
        st, j, _ = analyst.request("PATCH", f"/api/v1/departments/{q}", {"description": "x"})
        check("an analyst may not change a department (403)", st == 403, (st, j))
        admin.request("POST", "/api/v1/departments", {"name": "临时组"})

        # --- contacts
        hook = f"http://127.0.0.1:{receiver.port}/hooks/yuqing-receiver-path"
        st, j, _ = admin.request("POST", "/api/v1/contacts", {
            "department": "宣传科", "channel": "webhook", "target": hook, "secret": SECRET, "name": "值班系统",
            "escalation_order": 0, "min_level": "III"})
        check("POST /contacts creates (201)", st == 201 and j["channel"] == "webhook" and j["min_level"] == "III", (st, j))
        contact = j if st == 201 else {"id": 0}
        raw = json.dumps(j, ensure_ascii=False)
        check("the secret is masked to its last 4 characters", j.get("secret") == "••••" + SECRET[-4:] and j.get("has_secret") is True, j)
        check("the webhook URL's path is masked", SECRET not in raw and "yuqing-receiver-path" not in raw
              and j.get("target", "").startswith(f"http://127.0.0.1:{receiver.port}/••••"), j)
        wecom = "https://qyapi.weixin.qq.com/cgi-bin/webhook/send?key=693a91f6-7xxx-4bc4-97a0-0ec2sifa5aaa"
        st, j, _ = admin.request("POST", "/api/v1/contacts", {"department": "宣传科", "channel": "wecom", "target": wecom,
                                                              "escalation_order": 1})
        check("a WeCom robot's key is never returned", st == 201 and "693a91f6" not in json.dumps(j) and j["target"].endswith("5aaa"), (st, j))
        wecom_id = j.get("id", 0)
        st, j, _ = admin.request("POST", "/api/v1/contacts", {"department": "宣传科", "channel": "wecom", "target": wecom})
        check("the same channel and target twice in a department is 409", st == 409, (st, j))
        st, j, _ = admin.request("POST", "/api/v1/contacts", {"department": "宣传科", "channel": "sms", "target": "x"})
        check("an unknown channel is 400 naming the field", st == 400 and j["error"]["message"].startswith("channel"), (st, j))
        st, j, _ = admin.request("POST", "/api/v1/contacts", {"department": "宣传科", "channel": "webhook", "target": "ftp://x"})
        check("a bad target is 400 naming the field", st == 400 and j["error"]["message"].startswith("target:"), (st, j))
        st, j, _ = admin.request("POST", "/api/v1/contacts", {"department": "宣传科", "channel": "email", "target": "not-an-address"})
        check("a bad e-mail address is 400 naming target", st == 400 and j["error"]["message"].startswith("target:"), (st, j))
        st, j, _ = admin.request("POST", "/api/v1/contacts", {"department": "宣传科", "channel": "webhook", "target": hook + "2",
                                                              "escalation_order": 99})
        check("escalation_order out of range is 400 naming it", st == 400 and "escalation_order" in j["error"]["message"], (st, j))
        st, j, _ = admin.request("POST", "/api/v1/contacts", {"department": "没有", "channel": "email", "target": "a@b.cn"})
        check("an unknown department is 400 naming department", st == 400 and j["error"]["message"].startswith("department:"), (st, j))
        st, j, _ = admin.request("POST", "/api/v1/contacts", {"department": "宣传科", "channel": "email", "target": "duty@example.org",
                                                              "min_level": "V"})
        check("a bad min_level is 400 naming it", st == 400 and j["error"]["message"].startswith("min_level"), (st, j))
        st, j, _ = analyst.request("POST", "/api/v1/contacts", {"department": "宣传科", "channel": "email", "target": "a@b.cn"})
        check("an analyst may not add contacts (403)", st == 403, (st, j))
        st, j, _ = viewer.request("GET", "/api/v1/contacts")
        check("a viewer may not list contacts (403)", st == 403, (st, j))
        st, j, _ = admin.request("GET", "/api/v1/contacts?department=" + q)
        listed = json.dumps(j, ensure_ascii=False)
        check("GET /contacts?department= lists them by escalation order, masked",
              st == 200 and [c["id"] for c in j["items"]] == [contact["id"], wecom_id] and SECRET not in listed
              and "693a91f6" not in listed, (st, j))
        st, j, _ = admin.request("PATCH", f"/api/v1/contacts/{wecom_id}", {"name": "科长群", "escalation_order": 2, "enabled": False})
        check("PATCH /contacts/{id} changes fields and keeps the rest",
              st == 200 and j["name"] == "科长群" and j["escalation_order"] == 2 and j["enabled"] is False
              and j["target"].endswith("5aaa"), (st, j))
        st, j, _ = admin.request("PATCH", f"/api/v1/contacts/{wecom_id}", {"channel": "email"})
        check("PATCH that leaves the target invalid for the channel is 400 naming target",
              st == 400 and j["error"]["message"].startswith("target:"), (st, j))
        st, j, _ = admin.request("PATCH", "/api/v1/contacts/99999", {"name": "x"})
        check("PATCH of an unknown contact is 404", st == 404, (st, j))
        st, j, _ = admin.request("DELETE", "/api/v1/contacts/99999")
        check("DELETE of an unknown contact is 404", st == 404, (st, j))
        st, j, _ = admin.request("POST", "/api/v1/contacts/99999/test")
        check("测试发送 to an unknown contact is 404", st == 404, (st, j))
        r = cli(yuqing, data, "contacts", "list", "--json")
        cl = json.loads(r.stdout) if r.returncode == 0 else {}
        check("the CLI sees the API's contacts (secret masked there too)",
              len(cl.get("items", [])) == 2 and SECRET not in r.stdout, (r.returncode, r.stdout[-300:], r.stderr[-300:]))

        # --- departments with contacts cannot go; without can
        st, j, _ = admin.request("DELETE", f"/api/v1/departments/{q}")
        check("deleting a department that has contacts is 409", st == 409, (st, j))
        st, j, _ = admin.request("DELETE", "/api/v1/departments/" + urllib.parse.quote("临时组"))
        check("deleting an empty department works", st == 200, (st, j))
        st, j, _ = admin.request("DELETE", "/api/v1/departments/" + urllib.parse.quote("临时组"))
        check("...and a second time it is 404", st == 404, (st, j))

        # --- 测试发送 through the real outbox and dispatcher to the loopback receiver
        st, j, _ = analyst.request("POST", f"/api/v1/contacts/{contact['id']}/test")
        check("an analyst may not send a test (403)", st == 403, (st, j))
        st, j, _ = admin.request("POST", f"/api/v1/contacts/{contact['id']}/test")
        check("POST /contacts/{id}/test enqueues (202) and returns the outbox id", st == 202 and j.get("outbox_id", 0) > 0, (st, j))
        oid = j.get("outbox_id", 0)
        arrived = receiver.arrived.wait(30)
        check("the test message reaches the loopback webhook", arrived, receiver.requests)
        if arrived:
            path, headers, body = receiver.requests[0]
            payload = json.loads(body)
            want = hmac.new(SECRET.encode(), (headers.get("X-Yuqing-Timestamp", "") + ".").encode() + body, hashlib.sha256).hexdigest()
            sig = headers.get("X-Yuqing-Signature", "")
            check("it is a test message to the contact's URL", path == "/hooks/yuqing-receiver-path" and payload.get("kind") == "test"
                  and "测试" in payload.get("title", ""), (path, payload))
            check("it is signed with the contact's secret (X-Yuqing-Signature)", sig == "sha256=" + want, (sig, want))
        entry = wait_outbox(admin, oid, "delivered")
        check("GET /outbox/{id} shows it delivered with its attempt",
              entry and entry["status"] == "delivered" and entry["delivered_at"] and entry["log"] and entry["log"][0]["ok"]
              and entry["notice"] == "test", entry)
        check("the outbox entry's target is masked too", entry and "yuqing-receiver-path" not in json.dumps(entry), entry)
        st, j, _ = viewer.request("GET", f"/api/v1/outbox/{oid}")
        check("a viewer may not read outbox entries (403)", st == 403, (st, j))
        st, j, _ = admin.request("GET", "/api/v1/outbox/99999")
        check("an unknown outbox entry is 404", st == 404, (st, j))

        # A failing receiver: the result says so, with the HTTP status, and the entry stays pending.
        bad = Receiver(status=500)
        try:
            st, j, _ = admin.request("POST", "/api/v1/contacts", {"department": "宣传科", "channel": "webhook",
                                                                  "target": f"http://127.0.0.1:{bad.port}/down"})
            st, t, _ = admin.request("POST", f"/api/v1/contacts/{j['id']}/test")
            bad.arrived.wait(30)
            deadline = time.time() + 30
            e = None
            while time.time() < deadline:
                _, e, _ = admin.request("GET", f"/api/v1/outbox/{t['outbox_id']}")
                if e and e.get("last_error"):
                    break
                time.sleep(0.1)
            check("a failed test delivery shows its error and stays pending for retry",
                  e and e["status"] in ("pending", "sending") and e["last_error"] and e["log"] and e["log"][0]["status_code"] == 500, e)
            admin.request("DELETE", f"/api/v1/contacts/{j['id']}")
        finally:
            bad.close()

        # --- SMTP
        st, j, _ = admin.request("GET", "/api/v1/settings/smtp")
        check("GET /settings/smtp before any: not configured", st == 200 and j["configured"] is False and j["password_set"] is False, (st, j))
        st, j, _ = admin.request("PUT", "/api/v1/settings/smtp", {"url": "smtps://smtp.example.org:465", "from": "yuqing@example.org",
                                                                  "user": "yuqing", "password": "smtp-pass-0987"})
        check("PUT /settings/smtp sets it", st == 200 and j["configured"] and j["password_set"], (st, j))
        st, j, _ = admin.request("GET", "/api/v1/settings/smtp")
        check("GET /settings/smtp never returns the password",
              st == 200 and j["url"] == "smtps://smtp.example.org:465" and "smtp-pass" not in json.dumps(j) and "password" not in j, (st, j))
        st, j, _ = admin.request("PUT", "/api/v1/settings/smtp", {"url": "smtps://smtp2.example.org:465", "from": "yuqing@example.org"})
        check("a PUT without password keeps the stored one", st == 200 and j["password_set"] is True, (st, j))
        st, j, _ = admin.request("PUT", "/api/v1/settings/smtp", {"url": "http://x", "from": "yuqing@example.org"})
        check("a non-SMTP url is 400 naming url", st == 400 and j["error"]["message"].startswith("url:"), (st, j))
        st, j, _ = admin.request("PUT", "/api/v1/settings/smtp", {"url": "smtp://x:25", "from": "nobody"})
        check("a bad sender is 400 naming from", st == 400 and j["error"]["message"].startswith("from:"), (st, j))
        st, j, _ = admin.request("PUT", "/api/v1/settings/smtp", {"url": "smtp://x:25"})
        check("a missing sender is 400 naming from", st == 400 and j["error"]["message"].startswith("from"), (st, j))
        st, j, _ = analyst.request("GET", "/api/v1/settings/smtp")
        check("an analyst may not read the SMTP settings (403)", st == 403, (st, j))

        # --- users: disable, reset password
        st, j, _ = analyst.request("PATCH", "/api/v1/users/vic", {"disabled": True})
        check("an analyst may not change users (403)", st == 403, (st, j))
        st, j, _ = admin.request("PATCH", "/api/v1/users/boss", {"disabled": True})
        check("an admin cannot disable themselves (400 naming disabled)", st == 400 and j["error"]["message"].startswith("disabled"), (st, j))
        st, j, _ = admin.request("PATCH", "/api/v1/users/vic", {"departments": ["宣传科"], "role": "responder"})
        check("PATCH /users/{name} changes role and departments",
              st == 200 and j["role"] == "responder" and j["departments"] == ["宣传科"], (st, j))
        st, j, _ = admin.request("PATCH", "/api/v1/users/vic", {"role": "boss"})
        check("a bad role is 400 naming the field", st == 400 and j["error"]["message"].startswith("role"), (st, j))
        st, j, _ = admin.request("PATCH", "/api/v1/users/nobody", {"disabled": True})
        check("PATCH of an unknown user is 404", st == 404, (st, j))
        st, j, _ = admin.request("PATCH", "/api/v1/users/vic", {"disabled": True})
        st2, _, _ = viewer.request("GET", "/api/v1/auth/me")
        check("disabling a user ends their session", st == 200 and j["disabled"] is True and st2 == 401, (st, j, st2))
        st, _ = api.Client(port).login("vic", PASSWORD)
        check("a disabled user cannot log in", st == 401, st)
        admin.request("PATCH", "/api/v1/users/vic", {"disabled": False})
        st, j, _ = admin.request("POST", "/api/v1/users/vic/password")
        newpw = j.get("password") if st == 200 else None
        check("POST /users/{name}/password returns a generated password once", st == 200 and newpw and len(newpw) >= 10, (st, j))
        st_old, _ = api.Client(port).login("vic", PASSWORD)
        st_new, _ = api.Client(port).login("vic", newpw or "x")
        check("the old password no longer works, the new one does", st_old == 401 and st_new == 200, (st_old, st_new))
        st, j, _ = admin.request("POST", "/api/v1/users/vic/password", {"password": "short"})
        check("a short password is 400 naming password", st == 400 and j["error"]["message"].startswith("password"), (st, j))
        st, j, _ = admin.request("POST", "/api/v1/users/nobody/password")
        check("resetting an unknown user's password is 404", st == 404, (st, j))
        st, j, _ = admin.request("POST", "/api/v1/users", {"name": "vic", "role": "viewer"})
        check("a duplicate user is 409", st == 409, (st, j))

        # --- the audit log has every change, and no secret
        st, j, _ = admin.request("GET", "/api/v1/audit?limit=500")
        rows = j.get("items", []) if st == 200 else []
        actions = {e["action"] for e in rows}
        want = {"department.add", "department.update", "department.remove", "contact.add", "contact.update", "contact.remove",
                "contact.test", "smtp.update", "user.update", "user.disable", "user.enable", "user.password.reset"}
        check("every settings change is audited", want <= actions, want - actions)
        dump = json.dumps(rows, ensure_ascii=False)
        check("no audit row holds a secret, a robot key or the SMTP password",
              SECRET not in dump and "693a91f6" not in dump and "smtp-pass" not in dump and "yuqing-receiver-path" not in dump, dump[:500])
        check("audit rows name the actor", all(e["actor"] == "boss" for e in rows if e["action"] in want), [e for e in rows if e["action"] in want][:3])

        # --- the responses match the OpenAPI document's schemas
        st, doc, _ = admin.request("GET", "/api/v1/openapi.json")
        comps = doc["components"]["schemas"]
        samples = []
        st, j, _ = admin.request("GET", "/api/v1/departments")
        samples += [("Department", x) for x in j["items"]]
        st, j, _ = admin.request("GET", "/api/v1/contacts")
        samples += [("Contact", x) for x in j["items"]]
        samples.append(("OutboxEntry", entry or {}))
        st, j, _ = admin.request("GET", "/api/v1/settings/smtp")
        samples.append(("SmtpSettings", j))
        st, j, _ = admin.request("GET", "/api/v1/users")
        samples += [("User", x) for x in j["items"]]
        errors = [f"{k} {e}" for k, v in samples for e in api.schema_errors({"$ref": f"#/components/schemas/{k}"}, v, comps)]
        check(f"{len(samples)} settings responses match their schemas", not errors, errors[:8])
        paths = doc["paths"]
        documented = all(p in paths for p in ("/api/v1/departments", "/api/v1/departments/{name}", "/api/v1/contacts",
                                              "/api/v1/contacts/{id}", "/api/v1/contacts/{id}/test", "/api/v1/outbox/{id}",
                                              "/api/v1/settings/smtp", "/api/v1/users/{name}", "/api/v1/users/{name}/password"))
        check("the OpenAPI document lists the settings routes with request schemas",
              documented and "schema" in paths["/api/v1/contacts"]["post"]["requestBody"]["content"]["application/json"]
              and paths["/api/v1/contacts"]["post"]["requestBody"]["content"]["application/json"]["schema"].get("properties"), list(paths)[:5])

        # --- the settings survive a restart
        srv.stop()
        srv.start()
        again = api.Client(port)
        again.login("boss", PASSWORD)
        st, j, _ = again.request("GET", "/api/v1/contacts?department=" + q)
        check("contacts persist across a restart", st == 200 and len(j["items"]) == 2, (st, j))
    finally:
        srv.stop()
        receiver.close()
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
    tmp = tempfile.mkdtemp(prefix="yuqing-settings-test-")
    try:
        run(yuqing, tmp)
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    print(f"{len(api.FAILURES)} failed" if api.FAILURES else "all passed")
    sys.exit(1 if api.FAILURES else 0)


if __name__ == "__main__":
    main()
