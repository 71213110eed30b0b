"""The labelled public sets the quality harness reads, with the same held-out folds the trainer keeps.

Every set is a list of dicts {"id", "text", "gold", ...}. A row of a training corpus belongs to the
held-out fold when FNV-1a(key) % 5 == 0, where key is the record id for CED and the text for the
sentiment and news-title corpora: exactly analysis::FoldOf in src/analysis/corpus.cc, which
`yuqing model train` uses to leave those rows out. ChnSentiCorp dev and the hand-labelled
development set are never trained on, so they are used whole.
"""
import csv
import gzip
import io
import json
import os

ROOT = os.path.abspath(os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", ".."))
DATA = os.environ.get("YUQING_TRAIN_DATA", os.path.join(ROOT, "..", "shared", "data"))

# Posts with no attitude of the author's own that Weibo and the converters fill in (GUIDE.md:
# "empty repost (转发微博, 分享图片, 轉發)"), written by the team: they must come out exactly neutral.
BOILERPLATE = [
    "转发微博", "轉發微博", "转发", "轉發", "Repost", "repost", "分享图片", "分享圖片", "分享视频", "分享图片 http://t.cn/zYxPq8A",
    "转发微博 //@人民日报:", "//@新浪新闻: 转发微博", "//@张三: //@李四: 转发微博", "@王五 @赵六", "转发微博 @小明",
    "[图片]", "[视频]", "网页链接", "http://t.cn/RVhQ2kx", "https://weibo.com/1234567890/KpZcYxWq",
    "我分享了一个视频 http://t.cn/A6x1b2c3", "分享自@微博视频", "转发理由：", "Repost //@Alice:", "[转发]",
    "轉發微博 //@蘋果日報:", "分享图片 //@头条新闻:", "转发微博 转发微博", "#话题#", "转发了", "O网页链接",
]


def fold_of(key):
    h = 1469598103934665603
    for c in key.encode("utf-8"):
        h = ((h ^ c) * 1099511628211) & 0xFFFFFFFFFFFFFFFF
    return h % 5


def _path(*parts):
    p = os.path.join(DATA, *parts)
    return p if os.path.exists(p) else None


def _strip_bom(s):
    return s[1:] if s.startswith("\ufeff") else s


def dev_label_texts():
    """Texts of the hand-labelled development set (the trainer leaves them out of every corpus)."""
    p = _path("labels", "dev_labels.jsonl")
    if not p:
        return set()
    with open(p, encoding="utf-8") as f:
        return {json.loads(line)["text"] for line in f if line.strip()}


def _held_out(rows, key="text"):
    dev = dev_label_texts()
    return [r for r in rows if fold_of(r[key]) == 0 and r["text"] not in dev]


def _csv(path, text_col, label_col):
    with open(path, encoding="utf-8", newline="") as f:
        rd = csv.DictReader(io.StringIO(_strip_bom(f.read())))
        return [(_strip_bom(r[text_col] or ""), r[label_col]) for r in rd]


def binary_sentiment(name):
    """(rows, note) of a 1/0 review-style corpus's held-out fold; gold positive/negative."""
    files = {"chnsenticorp_dev": ("chnsenticorp_dev.tsv", None, None),
             "online_shopping": ("online_shopping_10_cats.csv", "review", "label"),
             "waimai": ("waimai_10k.csv", "review", "label"),
             "weibo_senti": ("weibo_senti_100k_subset.csv", "review", "label")}
    fname, tcol, lcol = files[name]
    p = _path("sentiment", fname)
    if not p:
        return None
    if fname.endswith(".tsv"):
        with open(p, encoding="utf-8") as f:
            lines = _strip_bom(f.read()).splitlines()[1:]
        pairs = [tuple(l.rsplit("\t", 1)) for l in lines if "\t" in l]
    else:
        pairs = _csv(p, tcol, lcol)
    rows = [{"text": t, "gold": "positive" if l.strip() == "1" else "negative"} for t, l in pairs if t.strip()]
    return rows if name == "chnsenticorp_dev" else _held_out(rows)


def smp2020():
    """SMP2020-EWECT held-out fold: happy → positive, neural → neutral, angry/sad/fear → negative."""
    p = _path("sentiment", "smp2020_ewect_virus_train.json")
    if not p:
        return None
    m = {"happy": "positive", "neural": "neutral", "angry": "negative", "sad": "negative", "fear": "negative"}
    with open(p, encoding="utf-8") as f:
        rows = [{"text": r["content"], "gold": m[r["label"]]} for r in json.load(f) if r["label"] in m and r["content"]]
    return _held_out(rows)


def covid_emotion():
    p = _path("sentiment", "covid19_weibo_emotion7.csv")
    if not p:
        return None
    m = {"2": "positive", "4": "positive", "0": "negative", "1": "negative", "5": "negative", "6": "negative"}
    rows = [{"text": t, "gold": m[l.strip()]} for t, l in _csv(p, "review", "label") if l.strip() in m and t.strip()]
    return _held_out(rows)


def news_titles():
    """THUCNews titles, held-out fold: every one is a news title (sentiment neutral, type news)."""
    p = _path("topics", "thucnews_titles_dev.tsv")
    if not p:
        return None
    with open(p, encoding="utf-8") as f:
        rows = [{"text": l.rsplit("\t", 1)[0], "gold": "neutral"} for l in f if "\t" in l]
    return _held_out(rows)


def boilerplate():
    return [{"text": t, "gold": "neutral"} for t in BOILERPLATE]


def ced():
    """CED originals, held-out fold by id: gold rumor / non-rumor, with the author's fields."""
    p = _path("rumor", "ced_weibo_rumor_train.jsonl.gz")
    if not p:
        return None
    rows = []
    with gzip.open(p, "rt", encoding="utf-8") as f:
        for line in f:
            r = json.loads(line)
            if fold_of(r["id"]) != 0 or not r.get("text"):
                continue
            u = r.get("user") if isinstance(r.get("user"), dict) else {}
            rows.append({"id": r["id"], "text": r["text"], "gold": r["label"],
                         "author": {"verified": bool(u.get("verified")), "followers": int(u.get("followers") or 0)}})
    return rows


def dev_labels():
    p = _path("labels", "dev_labels.jsonl")
    if not p:
        return None
    with open(p, encoding="utf-8") as f:
        return [json.loads(line) for line in f if line.strip()]


def lexicon(name):
    """A public sentiment lexicon as a set of words (NTUSD), for the plain baseline."""
    p = _path("lexicons", "ntusd", f"NTUSD_{name}_simplified.txt")
    if not p:
        return set()
    with open(p, encoding="utf-8") as f:
        return {w.strip() for w in f if len(w.strip()) >= 2}
