#!/usr/bin/env python3
"""Writes yuqing's bundled demo scenario: a few hundred Chinese posts over four days about a city
water company (东湖市自来水公司): routine mentions, then one crisis (discoloured, smelly water and
sick children in 东湖区) that grows geometrically, draws rumours, a gathering and the media, peaks,
and fades after the company's authoritative statement. Deterministic (fixed seed).

    scripts/gen_demo.py OUT.jsonl [--seed 7]
"""
import argparse, json, random, re
from datetime import datetime, timedelta, timezone

CST = timezone(timedelta(hours=8))
START = datetime(2026, 6, 1, 7, 0, tzinfo=CST)
CRISIS = datetime(2026, 6, 3, 8, 40, tzinfo=CST)
STATEMENT = datetime(2026, 6, 3, 13, 30, tzinfo=CST)

ROUTINE = [
    ("weibo", "东湖市自来水公司营业厅今天人不多，办理过户十分钟就好了，效率可以"),
    ("weibo", "收到东湖市自来水公司的短信提醒，这个月水费比上月多了十几块，夏天用水多"),
    ("wechat", "东湖市自来水公司：关于开展2026年城市节水宣传周活动的通知"),
    ("news", "东湖市自来水公司完成老旧小区供水管网改造，惠及居民1.2万户"),
    ("hotline", "市民来电咨询东湖市自来水公司水表更换流程，已告知办理渠道"),
    ("weibo", "东湖市自来水公司的抢修师傅半夜还在修管子，辛苦了，点赞！"),
    ("zhihu", "东湖市自来水公司的水可以直接喝吗？有没有做过检测的朋友"),
    ("weibo", "东湖市自来水公司网上营业厅终于可以开电子发票了"),
    ("douyin", "跟着东湖市自来水公司的师傅看看水厂是怎么净水的"),
    ("weibo", "東湖市自來水公司的客服態度很好，耐心解答了我的問題"),
    ("news", "东湖市自来水公司：6月5日凌晨湖滨路部分路段计划停水检修"),
    ("weibo", "东湖市自来水公司客服电话有点难打通，等了好久"),
    ("survey", "满意度回访：对东湖市自来水公司报装服务表示满意"),
    ("xiaohongshu", "新家装了净水器，东湖市自来水公司的水质本来就还行"),
]

CRISIS_POSTS = [
    ("weibo", "东湖区好几个小区的自来水发黄还有怪味，东湖市自来水公司怎么回事？"),
    ("weibo", "我家孩子喝了东湖市自来水公司的水拉肚子，已经去医院了，太气人了"),
    ("weibo", "东湖市自来水公司的水有一股臭味，烧开了也有，大家别喝了"),
    ("weibo", "东湖区自来水发黄，打东湖市自来水公司电话一直占线，投诉无门"),
    ("hotline", "市民投诉：东湖区锦绣花园自来水浑浊有异味，要求东湖市自来水公司尽快处理"),
    ("weibo", "东湖市自来水公司到底还要隐瞒多久？小区群里好多人腹泻"),
    ("wechat", "东湖区多个小区反映自来水异味，东湖市自来水公司至今没有说法"),
    ("weibo", "東湖市自來水公司水質出問題了，醫院裡好多腹瀉的小孩"),
    ("douyin", "实拍东湖区自来水，接了一杯全是黄的，东湖市自来水公司出来解释"),
]
RUMOURS = [
    ("weibo", "听说东湖市自来水公司的水里有毒，已经死人了，千万别喝！转发救人"),
    ("weibo", "内部消息：东湖市自来水公司水厂被污染，领导早就知道了，一直瞒着"),
]
GATHERING = [
    ("weibo", "几十个居民聚集在东湖市自来水公司门口维权，要求公开水质检测结果"),
    ("douyin", "东湖市自来水公司门口现在好多人，大家在讨说法"),
]
MEDIA = [
    ("news", "东湖区多个小区自来水出现异味，部分居民出现腹泻症状，东湖市自来水公司称正在排查"),
    ("news", "记者走访：东湖区自来水异味事件调查，居民聚集东湖市自来水公司要求说法"),
]
STATEMENT_TEXT = ("【情况通报】6月3日8时许，东湖区部分小区居民反映自来水发黄、有异味。经东湖市自来水公司与市疾控中心联合取样检测，"
                  "原因是东湖区二号加压站检修后管道冲洗不彻底，铁锈沉积导致水质浑浊。目前已完成管网冲洗，13时检测各项指标符合国家标准。"
                  "就诊的12名居民均为轻度肠胃不适，已全部离院。给大家带来的不便和担忧，我们深表歉意。市卫健委已牵头调查，"
                  "我们将于6月4日12时前公布全部检测数据，并于6月5日18时前完成受影响小区的入户回访。")
AFTER = [
    ("weibo", "东湖市自来水公司通报了，原来是管道冲洗的问题，现在水清了"),
    ("weibo", "东湖市自来水公司这次回应还算及时，希望检测数据按时公布"),
    ("weibo", "刚放了一会儿水，已经没有异味了，谢谢东湖市自来水公司的师傅们连夜冲洗管网"),
    ("news", "东湖市自来水公司：东湖区供水水质已恢复正常，检测数据将于6月4日公布"),
    ("weibo", "东湖市自来水公司这次要吸取教训，检修后要做好冲洗和检测"),
    ("zhihu", "如何看待东湖市自来水公司水质异味事件的处置？"),
]

AUTHORS = [(f"u{i}", f"东湖居民{i}", random.Random(i).choice([12, 80, 300, 1500, 8000])) for i in range(60)]
MEDIA_AUTHORS = [("m1", "东湖日报", 820000), ("m2", "东湖新闻网", 350000), ("m3", "江城晚报", 1200000)]
OFFICIAL = ("o1", "东湖市自来水公司", 96000)


def post(rng, n, source, text, t, author, verified=False, parent="", region="东湖区", metrics_scale=1):
    pid = f"demo-{n:04d}"
    return {"id": pid, "source": source, "text": text, "published_at": t.isoformat(),
            "author": {"id": author[0], "name": author[1], "followers": author[2], "verified": verified,
                       "location": "湖北 武汉" if rng.random() < 0.3 else "东湖"},
            "region": region, "parent": parent,
            "metrics": {"reposts": int(rng.expovariate(1 / (3 * metrics_scale))),
                        "comments": int(rng.expovariate(1 / (5 * metrics_scale))),
                        "likes": int(rng.expovariate(1 / (10 * metrics_scale))), "views": 0}}


def shift_recent(rows):
    """Moves every post by whole days so that the scenario ends within the last 24 hours (never in
    the future), and rewrites the month/day dates in the texts (6月4日12时 ...) by the same shift."""
    last = datetime.fromisoformat(rows[-1]["published_at"])
    days = (datetime.now(CST) - last) // timedelta(days=1)
    if days <= 0:
        return
    delta = timedelta(days=days)

    def move_date(m):
        d = datetime(START.year, int(m[1]), int(m[2]), tzinfo=CST) + delta
        return f"{d.month}月{d.day}日"

    for p in rows:
        p["published_at"] = (datetime.fromisoformat(p["published_at"]) + delta).isoformat()
        p["text"] = re.sub(r"(\d{1,2})月(\d{1,2})日", move_date, p["text"])


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("out")
    ap.add_argument("--seed", type=int, default=7)
    ap.add_argument("--recent", action="store_true",
                    help="move the scenario by whole days so that it ends today (dates in the texts follow)")
    a = ap.parse_args()
    rng = random.Random(a.seed)
    rows, n = [], 0

    # Routine: about two mentions an hour during the day for four days.
    t = START
    while t < START + timedelta(days=4):
        if 7 <= t.hour <= 22 and rng.random() < 0.55:
            src, text = rng.choice(ROUTINE)
            n += 1
            rows.append(post(rng, n, src, text, t + timedelta(minutes=rng.randint(0, 29)), rng.choice(AUTHORS)))
        t += timedelta(minutes=30)

    # The crisis: volume doubles every 20 minutes until the statement, then fades.
    originals = []
    for w in range(15):
        ws = CRISIS + timedelta(minutes=20 * w)
        count = min(2 ** w if ws < STATEMENT else max(1, int(40 * 0.6 ** (w - 14))), 48)
        for _ in range(count):
            ts = ws + timedelta(seconds=rng.randint(0, 1199))
            if ts >= STATEMENT:
                break
            n += 1
            r = rng.random()
            if w >= 4 and r < 0.08:
                src, text = rng.choice(RUMOURS)
            elif w >= 5 and r < 0.14:
                src, text = rng.choice(GATHERING)
            elif originals and r < 0.45:
                parent = rng.choice(originals)
                rows.append(post(rng, n, "weibo", "转发微博 " + rng.choice(["太吓人了", "关注", "东湖市自来水公司出来说话", "求证"]),
                                 ts, rng.choice(AUTHORS), parent=parent))
                continue
            else:
                src, text = rng.choice(CRISIS_POSTS)
            p = post(rng, n, src, text, ts, rng.choice(AUTHORS), metrics_scale=2 + w)
            originals.append(p["id"])
            rows.append(p)
    for i, (src, text) in enumerate(MEDIA):
        n += 1
        rows.append(post(rng, n, src, text, CRISIS + timedelta(hours=3, minutes=10 + 25 * i), MEDIA_AUTHORS[i],
                         verified=True, metrics_scale=40))
    n += 1
    rows.append(post(rng, n, "news", STATEMENT_TEXT, STATEMENT, OFFICIAL, verified=True, metrics_scale=60))
    stmt_id = rows[-1]["id"]
    # After the statement: reposts of it, relief, and a tail of complaints that fades.
    for k in range(90):
        ts = STATEMENT + timedelta(minutes=int(rng.expovariate(1 / 180)))
        n += 1
        r = rng.random()
        if r < 0.35:
            rows.append(post(rng, n, "weibo", "转发微博 " + rng.choice(["终于有说法了", "希望按时公布数据", "辛苦了"]), ts,
                             rng.choice(AUTHORS), parent=stmt_id))
        elif r < 0.85:
            src, text = rng.choice(AFTER)
            rows.append(post(rng, n, src, text, ts, rng.choice(AUTHORS)))
        else:
            src, text = rng.choice(CRISIS_POSTS[:5])
            rows.append(post(rng, n, src, text, ts, rng.choice(AUTHORS)))
    rows.sort(key=lambda p: p["published_at"])
    if a.recent:
        shift_recent(rows)
    with open(a.out, "w", encoding="utf-8") as f:
        for p in rows:
            if not p["parent"]:
                del p["parent"]
            f.write(json.dumps(p, ensure_ascii=False) + "\n")
    print(f"demo scenario: {len(rows)} posts, {rows[0]['published_at']} .. {rows[-1]['published_at']} -> {a.out}")


if __name__ == "__main__":
    main()
