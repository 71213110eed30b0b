#!/usr/bin/env python3
"""Report bench (issue 17): a daily report over a large store, as HTML and as PDF.

    bench/report/run.py [--yuqing build/yuqing] [--posts 1000000] [--days 30] [--data DIR] [--keep]

Generates --posts synthetic posts (Chinese complaint/notice/praise texts over 20 sources and 34
provinces, a few growing events) spread over --days days ending 2026-06-30 (+08:00), ingests them
in 100k chunks into a fresh store (or reuses --data when it already holds posts), then times
`yuqing report daily` for the busiest day as HTML and as PDF (3 runs each, the median). Prints one
JSON line: {"posts", "day", "day_posts", "html_s", "pdf_s", "ingest_s"}.
Targets: HTML <= 5 s, PDF <= 15 s at 1M stored posts.
"""
import argparse, json, os, random, shutil, statistics, subprocess, sys, tempfile, time
from datetime import datetime, timedelta, timezone

CST = timezone(timedelta(hours=8))
PROVINCES = ["北京", "上海", "广东", "浙江", "江苏", "湖北", "湖南", "四川", "山东", "河南", "河北", "福建", "安徽", "江西",
             "陕西", "山西", "辽宁", "吉林", "黑龙江", "云南", "贵州", "广西", "海南", "重庆", "天津", "甘肃", "青海", "宁夏",
             "新疆", "西藏", "内蒙古", "香港", "澳门", "台湾"]
SOURCES = ["weibo", "wechat", "news", "douyin", "zhihu", "tieba", "toutiao", "bilibili", "kuaishou", "xiaohongshu",
           "forum", "rss", "gov", "people", "xinhua", "cctv", "baijiahao", "sohu", "netease", "ifeng"]
TEXTS = ["{p}{n}号小区停水三天没人管，投诉无门，物业电话打不通", "{p}自来水公司发布管网检修公告，第{n}批次",
         "感谢{p}水务抢修师傅连夜抢修，第{n}组辛苦了", "{p}地铁{n}号线晚高峰故障，乘客滞留一小时",
         "{p}市第{n}中学食堂饭菜质量差，家长要求整改", "听说{p}的自来水有毒，已经有人住院了（{n}）",
         "{p}税务局发布个税汇算提醒，第{n}号公告", "{p}高铁站第{n}候车室空调坏了，旅客中暑"]


def generate(path, n, days, seed=17, first_id=0):
    rnd = random.Random(seed)
    end = datetime(2026, 7, 1, tzinfo=CST)
    start = end - timedelta(days=days)
    span = (end - start).total_seconds()
    with open(path, "w", encoding="utf-8") as f:
        for i in range(n):
            # A third of the posts in bursts around a few events, the rest spread evenly.
            if i % 3 == 0:
                centre = (rnd.randrange(8) + 0.5) * span / 8
                t = start + timedelta(seconds=max(0, min(span - 1, rnd.gauss(centre, 3600 * 6))))
            else:
                t = start + timedelta(seconds=rnd.random() * span)
            p = rnd.choice(PROVINCES)
            f.write(json.dumps({"id": f"b{first_id + i}", "source": rnd.choice(SOURCES), "author": {"name": f"用户{rnd.randrange(50000)}"},
                                "text": rnd.choice(TEXTS).format(p=p, n=rnd.randrange(200)),
                                "metrics": {"reposts": rnd.randrange(100), "comments": rnd.randrange(50)},
                                "published_at": t.isoformat()}, ensure_ascii=False) + "\n")


def run(cmd, timeout=3600):
    t0 = time.monotonic()
    r = subprocess.run(cmd, capture_output=True, text=True, timeout=timeout)
    if r.returncode != 0:
        sys.exit(f"{' '.join(cmd)} failed ({r.returncode}): {r.stderr[-800:]}")
    return time.monotonic() - t0, r.stdout


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--yuqing", default="build/yuqing")
    ap.add_argument("--posts", type=int, default=1_000_000)
    ap.add_argument("--days", type=int, default=30)
    ap.add_argument("--data")
    ap.add_argument("--keep", action="store_true")
    ap.add_argument("--runs", type=int, default=3)
    a = ap.parse_args()
    yq = os.path.abspath(a.yuqing)
    tmp = tempfile.mkdtemp(prefix="yq-report-bench-")
    data = a.data or os.path.join(tmp, "data")
    try:
        ingest_s = None
        stats = json.loads(run([yq, "--data", data, "stats", "--json"])[1].strip().splitlines()[-1])
        if stats["posts"] < a.posts:
            stream = os.path.join(tmp, "posts.jsonl")
            generate(stream, a.posts - stats["posts"], a.days, seed=stats["posts"] + 17, first_id=stats["posts"])
            chunk = os.path.join(tmp, "chunk.jsonl")
            ingest_s = 0.0
            with open(stream, encoding="utf-8") as f:
                while True:
                    lines = [l for _, l in zip(range(100_000), f)]
                    if not lines:
                        break
                    with open(chunk, "w", encoding="utf-8") as o:
                        o.writelines(lines)
                    dt, _ = run([yq, "--data", data, "ingest", "--json", chunk])
                    ingest_s += dt
                    print(f"ingested {len(lines)} in {dt:.1f} s", file=sys.stderr)
            os.remove(stream)
            stats = json.loads(run([yq, "--data", data, "stats", "--json"])[1].strip().splitlines()[-1])
        # The busiest day of the last --days days.
        best, best_n = None, -1
        for d in range(a.days):
            day = (datetime(2026, 7, 1, tzinfo=CST) - timedelta(days=d + 1)).date().isoformat()
            s = json.loads(run([yq, "--data", data, "stats", "--from", day + "T00:00:00+08:00",
                                "--to", (datetime.fromisoformat(day) + timedelta(days=1)).date().isoformat() + "T00:00:00+08:00",
                                "--json"])[1].strip().splitlines()[-1])
            if s["posts"] > best_n:
                best, best_n = day, s["posts"]
        times = {}
        for fmt in ("html", "pdf"):
            if fmt == "pdf" and not shutil.which("chromium"):
                times[fmt] = None
                continue
            out = os.path.join(tmp, f"daily.{fmt}")
            times[fmt] = statistics.median(run([yq, "--data", data, "report", "daily", "--date", best, "--format", fmt,
                                                "--out", out])[0] for _ in range(a.runs))
        print(json.dumps({"posts": stats["posts"], "day": best, "day_posts": best_n, "html_s": round(times["html"], 2),
                          "pdf_s": times["pdf"] and round(times["pdf"], 2), "ingest_s": ingest_s and round(ingest_s, 1),
                          "targets": {"html_s": 5, "pdf_s": 15}}))
    finally:
        if not a.keep and not a.data:
            shutil.rmtree(tmp, ignore_errors=True)


if __name__ == "__main__":
    main()
