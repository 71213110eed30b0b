#!/usr/bin/env python3
"""The routing directory and password resets from the shell (issue 19):

- `yuqing departments edit|remove` and `yuqing contacts edit|remove` (rm) change what the 设置 page
  changes, with --json, Chinese messages by default (English with --lang en), exit 2 naming the
  option on bad input and nothing lost, a department with contacts refused, and every change in the
  audit log as the API writes it (department.update/remove, contact.update/remove; no secret);
- `yuqing user passwd NAME` makes the user change the password at the next login: the real server
  answers 403 {"code": "password_change_required"} on everything but me/logout/password until
  POST /api/v1/auth/password, then works; `--no-change-required` does not.

    python3 tests/integration/directory_cli_test.py [--yuqing build/yuqing]
"""
import json
import os
import subprocess
import sys
import unittest

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import yqtest  # noqa: E402
import server_api_test as api  # noqa: E402

PASSWORD = "directory-admin-pw-1"


class DirectoryCliTest(yqtest.TempDirTest):
    def yq(self, *args, check=0, stdin=None):
        return yqtest.run(self.data, *args, check=check, stdin=stdin)

    def js(self, *args):
        rc, j = yqtest.run_json(self.data, *args, "--json", check=0)
        return j

    def audit(self, action):
        j = self.js("audit", "--action", action, "--limit", "20")
        return j["entries"]

    def test_departments_and_contacts(self):
        self.yq("departments", "add", "新闻中心", "--description", "对外发布", "--region", "浙江")
        self.yq("departments", "add", "水质监测部")
        c = self.js("contacts", "add", "--department", "新闻中心", "--channel", "wecom",
                    "--target", "https://qyapi.weixin.qq.com/cgi-bin/webhook/send?key=abcdef123456", "--name", "值班群")
        cid = str(c["id"])

        # departments edit: description and regions, --json, audited with before/after.
        d = self.js("departments", "edit", "新闻中心", "--description", "新闻发布与舆情应对", "--region", "浙江", "--region", "江苏")
        self.assertEqual(d["description"], "新闻发布与舆情应对")
        self.assertEqual(d["regions"], ["浙江", "江苏"])
        self.assertEqual(d["contacts"], 1)
        row = self.audit("department.update")[0]
        self.assertEqual(row["target"], "department:新闻中心")
        self.assertEqual(row["detail"]["before"]["regions"], ["浙江"])
        self.assertEqual(row["detail"]["after"]["regions"], ["浙江", "江苏"])
        self.assertTrue(row["actor"].startswith("cli:"))
        d = self.js("departments", "edit", "新闻中心", "--clear-regions")
        self.assertEqual(d["regions"], [])
        listed = {x["name"]: x for x in self.js("departments", "list")["items"]}
        self.assertEqual(listed["新闻中心"]["description"], "新闻发布与舆情应对")

        # Bad input: exit 2, a Chinese message naming what is wrong, nothing changed.
        r = self.yq("departments", "edit", "新闻中心", check=2)
        self.assertIn("没有要修改的内容", r.stderr)
        r = self.yq("departments", "edit", "没有这个部门", "--description", "x", check=None)
        self.assertNotEqual(r.returncode, 0)
        self.assertIn("没有部门“没有这个部门”", r.stderr)
        r = self.yq("--lang", "en", "departments", "edit", "新闻中心", check=2)
        self.assertIn("nothing to change", r.stderr)

        # contacts edit: fields given change, the rest stay; the secret never in the audit.
        k = self.js("contacts", "edit", cid, "--escalation-order", "2", "--min-level", "II", "--secret", "s3cret-signing-key")
        self.assertEqual(k["escalation_order"], 2)
        self.assertEqual(k["min_level"], "II")
        self.assertEqual(k["name"], "值班群")
        self.assertTrue(k["has_secret"])
        row = self.audit("contact.update")[0]
        self.assertEqual(sorted(row["detail"]["changed"]), ["escalation_order", "min_level", "secret"])
        self.assertTrue(row["detail"]["secret_changed"])
        self.assertNotIn("s3cret", json.dumps(row, ensure_ascii=False))
        self.assertNotIn("abcdef123456", json.dumps(row, ensure_ascii=False))
        k = self.js("contacts", "edit", cid, "--department", "水质监测部", "--disable")
        self.assertEqual(k["department"], "水质监测部")
        self.assertFalse(k["enabled"])
        r = self.yq("contacts", "edit", cid, "--min-level", "V", check=2)
        self.assertIn("--min-level", r.stderr)
        r = self.yq("contacts", "edit", cid, "--department", "不存在的部门", check=2)
        self.assertIn("不存在的部门", r.stderr)
        r = self.yq("contacts", "edit", cid, "--channel", "pigeon", check=2)
        self.assertIn("channel（渠道）应为 webhook", r.stderr)
        r = self.yq("contacts", "edit", "abc", "--name", "x", check=2)
        self.assertIn("联系人编号", r.stderr)
        self.assertEqual(self.js("contacts", "list")["items"][0]["department"], "水质监测部")

        # A department with contacts is not removed; without, it is.
        r = self.yq("departments", "remove", "水质监测部", check=None)
        self.assertNotEqual(r.returncode, 0)
        self.assertIn("还有 1 个联系人", r.stderr)
        self.assertEqual(self.js("contacts", "remove", cid), {"deleted": int(cid)})
        row = self.audit("contact.remove")[0]
        self.assertEqual(row["target"], "contact:" + cid)
        self.assertEqual(self.js("contacts", "list")["items"], [])
        r = self.yq("contacts", "rm", cid, check=None)
        self.assertNotEqual(r.returncode, 0)
        self.assertIn("找不到联系人", r.stderr)
        out = self.yq("departments", "remove", "水质监测部").stdout
        self.assertIn("已删除部门 水质监测部", out)
        self.assertEqual(self.audit("department.remove")[0]["target"], "department:水质监测部")
        self.assertEqual([x["name"] for x in self.js("departments", "list")["items"]], ["新闻中心"])

    def test_password_reset_forces_a_change(self):
        self.yq("user", "add", "boss", "--role", "admin", "--password-stdin", stdin=PASSWORD + "\n")
        self.yq("user", "add", "vic", "--role", "viewer", "--password-stdin", stdin="vic-initial-pw-1\n")
        j = self.js("user", "passwd", "vic")
        self.assertTrue(j["must_change_password"])
        reset_pw = j["password"]
        self.assertGreaterEqual(len(reset_pw), 10)
        self.assertTrue(self.audit("user.passwd")[0]["detail"]["must_change"])
        out = self.yq("user", "passwd", "boss", "--password-stdin", "--no-change-required", stdin=PASSWORD + "\n").stdout
        self.assertNotIn("须修改", out)

        port = yqtest.free_port()
        srv = api.ServerProcess(yqtest.YUQING, self.data, port, os.path.join(self.tmp, "serve.log"))
        srv.start()
        try:
            boss = api.Client(port)
            st, j = boss.login("boss", PASSWORD)
            self.assertEqual(st, 200)
            self.assertFalse(j["must_change_password"])
            st, _, _ = boss.request("GET", "/api/v1/schemes")
            self.assertEqual(st, 200)

            vic = api.Client(port)
            st, j = vic.login("vic", reset_pw)
            self.assertEqual((st, j["must_change_password"]), (200, True))
            st, j, _ = vic.request("GET", "/api/v1/posts")
            self.assertEqual(st, 403)
            self.assertEqual(j["error"]["code"], "password_change_required")
            st, j, _ = vic.request("POST", "/api/v1/auth/password", {"current": reset_pw, "new": "vic-own-password-2"})
            self.assertEqual(st, 200)
            self.assertFalse(j["user"]["must_change_password"])
            st, _, _ = vic.request("GET", "/api/v1/posts")
            self.assertEqual(st, 200)

            # The same after an admin's reset through the API.
            st, j, _ = boss.request("POST", "/api/v1/users/vic/password")
            self.assertEqual(st, 200)
            vic2 = api.Client(port)
            st, j = vic2.login("vic", j["password"])
            self.assertEqual((st, j["must_change_password"]), (200, True))
            st, j, _ = vic2.request("GET", "/api/v1/alerts")
            self.assertEqual((st, j["error"]["code"]), (403, "password_change_required"))
        finally:
            srv.stop()


if __name__ == "__main__":
    unittest.main(argv=yqtest.parse_args())
