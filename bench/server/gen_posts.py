#!/usr/bin/env python3
"""Synthetic posts for the server benchmark: N Chinese posts spread over the DAYS days before
now, built from a fixed phrase list (deterministic with --seed), as JSON Lines for `yuqing ingest`.

    bench/server/gen_posts.py OUT.jsonl --posts 1000000 [--days 30] [--seed 1]
"""
import argparse, json, random, time

SUBJECTS = ["东湖市自来水公司", "市第一人民医院", "地铁三号线", "城东实验小学", "市税务局", "高铁南站",
            "滨江新区管委会", "市场监管局", "公交集团", "燃气公司", "供电公司", "市民服务热线",
            "环保局", "交警支队", "人社局", "房管局", "教育局", "卫健委", "文旅局", "城管执法局"]
EVENTS = ["停水", "水质发黄", "火灾", "交通拥堵", "排队太久", "收费不合理", "服务态度差", "设施损坏",
          "噪音扰民", "空气污染", "食品安全", "房屋漏水", "电梯故障", "拖欠工资", "学位紧张",
          "票价上涨", "信号故障", "停电", "燃气泄漏", "道路塌陷"]
OPINIONS = ["太气人了，希望尽快处理", "已经投诉了好几次没人管", "点赞，处理得很及时", "有没有人知道怎么回事",
            "听说是因为管道老化", "官方什么时候出来说明一下", "大家注意安全", "真的很失望",
            "工作人员很耐心，值得表扬", "希望相关部门重视", "转发扩散，让更多人看到", "这种情况已经持续三天了",
            "记者已经到现场了", "据说下周能恢复", "建议增加人手", "谣言，别信", "现场照片如下", "要求公开调查结果"]
PLACES = ["东湖区", "西城区", "滨江新区", "高新区", "老城区", "南湖街道", "锦绣花园小区", "幸福里社区",
          "杭州", "南京", "广州", "成都", "武汉", "西安", "郑州", "长沙", "济南", "合肥", "福州", "昆明"]
SOURCES = ["weibo", "wechat", "news", "douyin", "forum", "hotline", "zhihu", "xiaohongshu"]


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("out")
    ap.add_argument("--posts", type=int, default=1000000)
    ap.add_argument("--days", type=float, default=30)
    ap.add_argument("--seed", type=int, default=1)
    a = ap.parse_args()
    rnd = random.Random(a.seed)
    now = int(time.time())
    span = int(a.days * 86400)
    with open(a.out, "w", encoding="utf-8") as f:
        for i in range(a.posts):
            t = now - rnd.randrange(span)
            text = "".join([rnd.choice(PLACES), rnd.choice(SUBJECTS), rnd.choice(EVENTS), "，",
                            rnd.choice(OPINIONS), "。", rnd.choice(OPINIONS) if rnd.random() < 0.5 else ""])
            rec = {"id": f"bench-{a.seed}-{i}", "source": rnd.choice(SOURCES), "text": text,
                   "published_at": t, "author": {"name": f"用户{rnd.randrange(50000)}",
                                                  "followers": rnd.randrange(100000)},
                   "likes": rnd.randrange(500)}
            f.write(json.dumps(rec, ensure_ascii=False) + "\n")


if __name__ == "__main__":
    main()
