#!/usr/bin/env python3
"""The command line speaks Chinese by default and English with --lang en (or YUQING_LANG=en):
help texts, CLI11's own labels and parse errors, and the errors our commands print (issue 19.6)."""
import os, re, subprocess, sys, unittest

sys.path.insert(0, os.path.dirname(__file__))
import yqtest
from yqtest import TempDirTest

CJK = re.compile(r"[\u4e00-\u9fff]")
# CLI11's and our former English help sentences: none may appear in the default (Chinese) output.
ENGLISH = ["Print this help message", "Display program version", "Usage:", "Options:", "Subcommands:",
           "Positionals:", "REQUIRED", "print JSON", "is required", "was not expected", "Run with --help",
           "not in {", "not in range", "Could not convert", "no department", "alert id", "TEXT", "INT"]


def yq(data, *args, env=None):
    e = dict(os.environ)
    e.pop("YUQING_LANG", None)
    e.update(env or {})
    return subprocess.run([yqtest.YUQING, "--data", data, *args], capture_output=True, text=True, timeout=120, env=e)


class CliLanguage(TempDirTest):
    def assert_chinese(self, r, *want):
        out = r.stdout + r.stderr
        self.assertRegex(out, CJK, out)
        for s in ENGLISH:
            self.assertNotIn(s, out, f"English {s!r} in the default output:\n{out}")
        for s in want:
            self.assertIn(s, out)

    def assert_english(self, r, *want):
        out = r.stdout + r.stderr
        for s in want:
            self.assertIn(s, out)

    def both(self, args, rc, zh, en):
        r = yq(self.data, *args)
        self.assertEqual(r.returncode, rc, r.stdout + r.stderr)
        self.assert_chinese(r, *zh)
        r = yq(self.data, "--lang", "en", *args)
        self.assertEqual(r.returncode, rc, r.stdout + r.stderr)
        self.assert_english(r, *en)
        return r

    def test_top_level_help(self):
        r = self.both(["--help"], 0, ["用法: yuqing [选项] 子命令", "选项:", "子命令:", "显示本帮助并退出", "入库", "预警"],
                      ["Usage: yuqing [OPTIONS] SUBCOMMAND", "Options:", "Subcommands:", "Print this help message and exit",
                       "read posts from JSON Lines"])
        self.assertNotRegex(r.stdout, CJK, "the English help is English")

    def test_subcommand_help(self):
        self.both(["ingest", "--help"], 0, ["用法: yuqing ingest", "位置参数:", "要读取的文件", "每个事务写入的记录数"],
                  ["Usage: yuqing ingest", "files to read", "records per transaction"])
        self.both(["alerts", "ack", "--help"], 0, ["预警编号", "必需", "输出 JSON"],
                  ["alert id", "REQUIRED", "print JSON"])

    def test_every_help_line_is_chinese(self):
        # Walk every command and subcommand: each help line with a description has Chinese in it.
        todo, seen = [[]], 0
        while todo:
            path = todo.pop()
            r = yq(self.data, *path, "--help")
            self.assertEqual(r.returncode, 0, (path, r.stderr))
            self.assert_chinese(r)
            # The help must be the asked command's own (a wrong name would print its parent's help
            # again and walk forever).
            self.assertIn("用法: yuqing " + " ".join(path), r.stdout, path)
            seen += 1
            section = ""
            for line in r.stdout.splitlines():
                s = line.strip()
                if not s or s.startswith("用法"):
                    continue
                if s.endswith(":") and not line.startswith(" "):
                    section = s
                    continue
                if not CJK.search(s) and len(re.split(r"\s{2,}", s)) > 1:
                    self.fail(f"yuqing {' '.join(path)} --help: no Chinese in {line!r}")
                if section == "子命令:" and line.startswith("  "):
                    # "remove, rm   删除联系人": the name before the aliases.
                    todo.append(path + [re.split(r"[\s,]+", s)[0]])
        self.assertGreater(seen, 60)

    def test_parse_errors(self):
        # A missing required option: the option named, the hint to the subcommand's help, exit 2.
        self.both(["contacts", "add", "--channel", "webhook", "--target", "https://example.org/hook"], 2,
                  ["缺少必需的参数 --department", "运行 yuqing contacts add --help 查看用法"], ["--department is required"])
        self.both(["alerts", "list", "--bogus"], 2, ["无法识别的参数: --bogus", "运行 yuqing alerts list --help"],
                  ["--bogus"])
        self.both(["incidents", "open", "--title", "x", "--level", "V"], 2, ["--level", "V", "可选", "运行 yuqing incidents open --help"],
                  ["not in"])
        self.both(["--workers", "0", "stats"], 2, ["--workers", "超出范围"], ["not in range"])
        self.both(["alerts", "list", "--limit", "many"], 2, ["--limit", "many", "不是数字"], ["many"])
        self.both([], 2, ["缺少子命令", "运行 yuqing --help 查看用法"], ["subcommand"])
        # --lang itself is checked, in Chinese.
        r = yq(self.data, "--lang", "fr", "stats")
        self.assertEqual(r.returncode, 2)
        self.assertIn("--lang 的值 fr", r.stderr)

    def test_command_errors(self):
        self.both(["alerts", "list", "--level", "V"], 2, ["--level 应为 IV、III、II 或 I"], ["--level must be IV, III, II or I"])
        # Created in the store, mapped at the CLI boundary.
        self.both(["contacts", "add", "--department", "dept_a", "--channel", "webhook", "--target",
                   "https://example.org/hook"], 2, ["错误: 没有部门“dept_a”"], ["error: no department 'dept_a'"])
        self.both(["alerts", "show", "999"], 2, ["找不到预警 999"], ["no alert 999"])

    def test_ways_to_choose_english(self):
        for args, env in [(["--lang=en", "alerts", "ack", "--help"], None),
                          (["alerts", "ack", "--help", "--lang", "en"], None),
                          (["alerts", "ack", "--help"], {"YUQING_LANG": "en"})]:
            r = yq(self.data, *args, env=env)
            self.assertEqual(r.returncode, 0)
            self.assertIn("alert id", r.stdout, (args, env))
            self.assertNotRegex(r.stdout, CJK, (args, env))
        # An explicit --lang zh wins over the environment.
        r = yq(self.data, "--lang", "zh", "alerts", "ack", "--help", env={"YUQING_LANG": "en"})
        self.assertIn("预警编号", r.stdout)


if __name__ == "__main__":
    unittest.main(argv=yqtest.parse_args())
