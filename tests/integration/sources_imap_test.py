#!/usr/bin/env python3
"""sources --kind imap against Dovecot (Debian's dovecot-imapd), started by this test on loopback
with a temporary configuration, TLS with a self-signed certificate made here, and stopped
afterwards (even on failure). Exact accounting: each message once (UID + UIDVALIDITY), a message
without text quarantined with its reason, RFC 2047 subjects and GBK bodies decoded, attachments
named; the password only ever in an environment variable. Skips, saying why, without dovecot or
openssl.

    python3 tests/integration/sources_imap_test.py [--yuqing build/yuqing]
"""
import json
import os
import pwd
import shutil
import socket
import subprocess
import sys
import tempfile
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import server_api_test as api  # check, FAILURES, free_port  # noqa: E402

check = api.check
DOVECOT = "/usr/sbin/dovecot"
PASSWORD = "hotline-imap-pw-7"

MESSAGES = {
    "1.eml": (
        "From: =?UTF-8?B?5byg5LiJ?= <zhangsan@example.cn>\r\nTo: hotline@example.gov.cn\r\n"
        "Subject: =?GBK?B?" + __import__("base64").b64encode("东湖路自来水发黄".encode("gbk")).decode() + "?=\r\n"
        "Date: Mon, 01 Jun 2026 09:00:00 +0800\r\nMessage-ID: <m1@example.cn>\r\nMIME-Version: 1.0\r\n"
        "Content-Type: text/plain; charset=GBK\r\nContent-Transfer-Encoding: base64\r\n\r\n"
        + __import__("base64").b64encode("家里自来水发黄三天了，请尽快处理。".encode("gbk")).decode() + "\r\n"),
    "2.eml": (
        "From: li@example.cn\r\nTo: hotline@example.gov.cn\r\nSubject: =?UTF-8?Q?=E5=AD=A6=E6=A0=A1=E9=97=A8=E5=8F=A3?=\r\n"
        "Date: Mon, 01 Jun 2026 10:00:00 +0800\r\nMessage-ID: <m2@example.cn>\r\nMIME-Version: 1.0\r\n"
        "Content-Type: multipart/mixed; boundary=XX\r\n\r\n--XX\r\nContent-Type: text/html; charset=UTF-8\r\n\r\n"
        "<p>学校门口<b>拥堵</b>严重</p>\r\n--XX\r\nContent-Type: image/jpeg\r\n"
        "Content-Disposition: attachment; filename*=UTF-8''%E7%85%A7%E7%89%87.jpg\r\nContent-Transfer-Encoding: base64\r\n\r\n"
        "/9j/4AAQ\r\n--XX--\r\n"),
    "3.eml": "From: x@example.cn\r\nMessage-ID: <m3@example.cn>\r\nDate: Mon, 01 Jun 2026 11:00:00 +0800\r\n\r\n\r\n",
}


def cli(yuqing, data, *args, env=None):
    e = dict(os.environ)
    e.pop("YQ_IMAP_PW", None)
    e.update(env or {})
    return subprocess.run([yuqing, "--data", data, *args], capture_output=True, text=True, timeout=120, env=e)


def last_json(out):
    for line in reversed(out.strip().splitlines()):
        if line.startswith("{"):
            return json.loads(line)
    return None


def deliver(maildir, name, text):
    tmp = os.path.join(maildir, "tmp", name)
    with open(tmp, "w", encoding="utf-8", newline="") as f:
        f.write(text)
    os.rename(tmp, os.path.join(maildir, "new", f"{time.time_ns()}.{name}"))  # atomic, as an MDA does
    uid = pwd.getpwnam("dovecot")
    os.chown(os.path.join(maildir, "new"), uid.pw_uid, uid.pw_gid)


def start_dovecot(tmp, port):
    cert, key = os.path.join(tmp, "cert.pem"), os.path.join(tmp, "key.pem")
    r = subprocess.run(["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "1", "-subj", "/CN=127.0.0.1",
                        "-addext", "subjectAltName=IP:127.0.0.1", "-keyout", key, "-out", cert],
                       capture_output=True, text=True, timeout=60)
    if r.returncode != 0:
        raise RuntimeError(f"openssl: {r.stderr}")
    dv = pwd.getpwnam("dovecot")
    home = os.path.join(tmp, "home", "hotline")
    maildir = os.path.join(home, "Maildir")
    for d in ("cur", "new", "tmp"):
        os.makedirs(os.path.join(maildir, d), exist_ok=True)
    for root, dirs, _ in os.walk(os.path.join(tmp, "home")):
        os.chown(root, dv.pw_uid, dv.pw_gid)
        for d in dirs:
            os.chown(os.path.join(root, d), dv.pw_uid, dv.pw_gid)
    with open(os.path.join(tmp, "passwd"), "w") as f:
        f.write(f"hotline:{{PLAIN}}{PASSWORD}::::::\n")
    conf = os.path.join(tmp, "dovecot.conf")
    with open(conf, "w") as f:
        f.write(f"""base_dir = {tmp}/run
state_dir = {tmp}/state
log_path = {tmp}/dovecot.log
protocols = imap
listen = 127.0.0.1
ssl = required
ssl_cert = <{cert}
ssl_key = <{key}
disable_plaintext_auth = yes
auth_mechanisms = plain
passdb {{
  driver = passwd-file
  args = scheme=PLAIN {tmp}/passwd
}}
userdb {{
  driver = static
  args = uid=dovecot gid=dovecot home={tmp}/home/%u
}}
mail_location = maildir:~/Maildir
first_valid_uid = 1
first_valid_gid = 1
service imap-login {{
  inet_listener imap {{
    port = 0
  }}
  inet_listener imaps {{
    port = {port}
    ssl = yes
  }}
  chroot =
}}
service anvil {{
  chroot =
}}
""")
    os.makedirs(os.path.join(tmp, "state"), exist_ok=True)
    proc = subprocess.Popen([DOVECOT, "-F", "-c", conf], stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    deadline = time.time() + 30
    while time.time() < deadline:
        if proc.poll() is not None:
            log = open(os.path.join(tmp, "dovecot.log")).read() if os.path.exists(os.path.join(tmp, "dovecot.log")) else ""
            raise RuntimeError(f"dovecot exited {proc.returncode}: {proc.stdout.read()} {log[-1500:]}")
        try:
            socket.create_connection(("127.0.0.1", port), timeout=1).close()
            return proc, maildir, cert
        except OSError:
            time.sleep(0.05)
    proc.terminate()
    raise RuntimeError("dovecot did not listen within 30 s")


def main():
    args = sys.argv[1:]
    yuqing = os.path.abspath(args[args.index("--yuqing") + 1] if "--yuqing" in args else "build/yuqing")
    if not os.path.exists(DOVECOT) or not shutil.which("openssl"):
        print("SKIP: dovecot-imapd or openssl not installed (scripts/setup.sh installs them)")
        return 0
    tmp = tempfile.mkdtemp(prefix="yq-imap-")
    os.chmod(tmp, 0o755)
    proc = None
    try:
        port = api.free_port()
        proc, maildir, cert = start_dovecot(tmp, port)
        for name in ("1.eml", "2.eml", "3.eml"):
            deliver(maildir, name, MESSAGES[name])
        data = os.path.join(tmp, "data")
        url = f"imaps://127.0.0.1:{port}/INBOX"
        r = cli(yuqing, data, "sources", "add", "--kind", "imap", "--url", url, "--user", "hotline")
        check("an imap source without --password-env is exit 2 naming it", r.returncode == 2 and "password_env" in r.stderr, r.stderr)
        r = cli(yuqing, data, "sources", "add", "--kind", "imap", "--name", "热线邮箱", "--url", url, "--user", "hotline",
                "--password-env", "YQ_IMAP_PW", "--ca-file", cert, "--every", "5m", "--json")
        src = last_json(r.stdout) or {}
        check("sources add --kind imap: the password is nowhere in the source", r.returncode == 0 and PASSWORD not in r.stdout
              and src.get("config", {}).get("password_env") == "YQ_IMAP_PW", (r.returncode, r.stdout, r.stderr))
        r = cli(yuqing, data, "sources", "run", "--json")
        rep = (last_json(r.stdout) or {"items": [{}]})["items"][0]
        check("without the variable set: exit 3 naming password_env", r.returncode == 3 and "password_env" in rep.get("error", ""), rep)
        env = {"YQ_IMAP_PW": PASSWORD}
        r = cli(yuqing, data, "sources", "run", "--json", env=env)
        rep = (last_json(r.stdout) or {"items": [{}]})["items"][0]
        check("3 messages over TLS: 2 stored, 1 quarantined (missing_text)", r.returncode == 0 and rep.get("stored") == 2
              and rep.get("quarantined") == 1 and [q["code"] for q in rep.get("quarantine", [])] == ["missing_text"],
              (r.returncode, rep, r.stderr[-300:]))
        r = cli(yuqing, data, "search", "自来水", "--json")
        check("a GBK body and an RFC 2047 GBK subject decoded, the sender named", r.returncode == 0
              and "家里自来水发黄三天了" in r.stdout and "东湖路自来水发黄" in r.stdout and "张三" in r.stdout, r.stdout[-600:])
        r = cli(yuqing, data, "search", "拥堵", "--json")
        check("an HTML body as text, the attachment named", r.returncode == 0 and "学校门口拥堵严重" in r.stdout
              and "照片.jpg" in r.stdout, r.stdout[-600:])
        r = cli(yuqing, data, "sources", "run", "--json", env=env)
        rep = (last_json(r.stdout) or {"items": [{}]})["items"][0]
        check("run again: nothing read twice (UID cursor)", rep.get("stored") == 0 and rep.get("duplicates") == 0
              and rep.get("quarantined") == 0, rep)
        deliver(maildir, "4.eml", "From: w@example.cn\r\nSubject: new\r\nMessage-ID: <m4@example.cn>\r\n"
                "Date: Mon, 01 Jun 2026 12:00:00 +0800\r\n\r\n新的投诉：噪音扰民。\r\n")
        r = cli(yuqing, data, "sources", "run", "--json", env=env)
        rep = (last_json(r.stdout) or {"items": [{}]})["items"][0]
        check("a new message: exactly it", rep.get("stored") == 1 and rep.get("duplicates") == 0, rep)
        r = cli(yuqing, data, "sources", "list", "--json")
        s = (last_json(r.stdout) or {"items": [{}]})["items"][0]
        check("list: last success, 3 stored in the last hour, no error", s.get("last_success_at") and s.get("stored_24h") == 3
              and s.get("last_error") == "", s)
        r = cli(yuqing, data, "sources", "add", "--kind", "imap", "--name", "bad", "--url", url, "--user", "hotline",
                "--password-env", "YQ_IMAP_PW", "--ca-file", cert)
        r = cli(yuqing, data, "sources", "run", "bad", "--json", env={"YQ_IMAP_PW": "wrong"})
        rep = (last_json(r.stdout) or {"items": [{}]})["items"][0]
        check("a wrong password: exit 3, the login failure named", r.returncode == 3 and rep.get("ok") is False
              and rep.get("error"), rep)
    finally:
        if proc:
            proc.terminate()
            try:
                proc.wait(timeout=15)
            except subprocess.TimeoutExpired:
                proc.kill()
        if api.FAILURES and os.path.exists(os.path.join(tmp, "dovecot.log")):
            print(open(os.path.join(tmp, "dovecot.log")).read()[-2000:])
        shutil.rmtree(tmp, ignore_errors=True)
    print(f"\n{'FAIL' if api.FAILURES else 'PASS'}: sources_imap_test ({len(api.FAILURES)} failures)")
    return 1 if api.FAILURES else 0


if __name__ == "__main__":
    sys.exit(main())
