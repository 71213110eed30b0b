#!/usr/bin/env python3
"""A generated corpus for bench/run when ../shared/data is absent: posts in yuqing's JSON Lines
format whose words are drawn (by frequency) from cppjieba's dictionary, with punctuation, some
hashtags and about 15% near-copies, so that every stage has realistic work.

    bench/peers/gen_corpus.py OUT.jsonl [--posts 200000] [--seed 1]
"""
import argparse, json, os, random, sys
from datetime import datetime, timedelta, timezone

ROOT = os.path.abspath(os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", ".."))
DICT = os.path.join(ROOT, "third_party", "cppjieba", "dict", "jieba.dict.utf8")
FALLBACK = "疫情 医院 口罩 武汉 加油 防控 患者 感染 确诊 隔离 社区 政府 医生 护士 病毒 物资 捐赠 我们 大家 今天 希望 平安 中国 新闻 发布 通报 新增 病例 核酸 检测".split()


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("out")
    ap.add_argument("--posts", type=int, default=200000)
    ap.add_argument("--seed", type=int, default=1)
    a = ap.parse_args()
    rng = random.Random(a.seed)
    words, weights = [], []
    if os.path.exists(DICT):
        with open(DICT, encoding="utf-8") as f:
            for line in f:
                p = line.split()
                if len(p) >= 2 and p[1].isdigit() and int(p[1]) >= 50:
                    words.append(p[0])
                    weights.append(int(p[1]) ** 0.7)
    if not words:
        words, weights = FALLBACK, [1.0] * len(FALLBACK)
    punct = ["，", "。", "！", "？", "、", " "]
    t0 = datetime(2020, 1, 19, tzinfo=timezone(timedelta(hours=8)))
    recent = []
    with open(a.out, "w", encoding="utf-8") as out:
        for i in range(a.posts):
            if recent and rng.random() < 0.15:
                text = rng.choice(recent) + rng.choice(["", "转发", "！", "[心]"])
            else:
                n = rng.randint(8, 60)
                ws = rng.choices(words, weights, k=n)
                text = "".join(w + (rng.choice(punct) if rng.random() < 0.15 else "") for w in ws)
                if rng.random() < 0.2:
                    text = "#" + rng.choice(words) + rng.choice(words) + "#" + text
                recent = (recent + [text])[-200:]
            t = t0 + timedelta(seconds=int(i * 80 * 86400 / max(1, a.posts)))
            out.write(json.dumps({"id": f"gen-{i + 1}", "source": "weibo", "text": text,
                                  "published_at": t.isoformat(), "author": {"id": str(rng.randint(1, 50000))}},
                                 ensure_ascii=False) + "\n")
    print(f"{a.posts} generated posts -> {a.out}", file=sys.stderr)


if __name__ == "__main__":
    main()
