#!/usr/bin/python3
"""The Python stack our users would otherwise run: python3-jieba (Debian) for segmentation and a
multinomial naive-Bayes sentiment classifier in plain Python, the way SnowNLP does it (word counts
per class, add-one smoothing, log probabilities).

    py_stack.py segment   TEXTS [--reps 3]     jieba.lcut (precise mode, HMM) on one text a line
    py_stack.py sentiment TEXTS [--reps 3]     jieba.lcut + naive Bayes on one text a line
    py_stack.py e2e       POSTS.jsonl          json.loads + jieba.lcut + naive Bayes per record

The classifier is trained on ../shared/data/sentiment (ChnSentiCorp train, Weibo subset, waimai)
when present, else on a tiny generated set (saying so). Training is not timed. Prints one JSON line.
Run it with Debian's /usr/bin/python3, where python3-jieba is installed.
"""
import argparse
import json
import logging
import math
import os
import random
import resource
import statistics
import sys
import time

import jieba

jieba.setLogLevel(logging.WARNING)

DATA = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..", "..", "shared", "data", "sentiment")
PUNCT = set(" \t，。！？、；：“”‘’（）《》【】…—,.!?;:'\"()[]<>~@#/\\-_=+*&^%$|")


class NaiveBayes:
    """Multinomial naive Bayes over words, as SnowNLP's sentiment.Bayes."""

    def __init__(self):
        self.counts = {}   # label -> {word: count}
        self.totals = {}   # label -> total words
        self.docs = {}     # label -> documents

    def train(self, docs):
        for words, label in docs:
            c = self.counts.setdefault(label, {})
            self.docs[label] = self.docs.get(label, 0) + 1
            for w in words:
                c[w] = c.get(w, 0) + 1
                self.totals[label] = self.totals.get(label, 0) + 1
        vocab = set()
        for c in self.counts.values():
            vocab.update(c)
        self.v = len(vocab) or 1
        n = sum(self.docs.values())
        self.prior = {k: math.log(d / n) for k, d in self.docs.items()}
        self.denom = {k: math.log(self.totals.get(k, 0) + self.v) for k in self.counts}

    def classify(self, words):
        best, best_lp, lps = None, None, {}
        for k, c in self.counts.items():
            lp = self.prior[k]
            d = self.denom[k]
            for w in words:
                lp += math.log(c.get(w, 0) + 1) - d
            lps[k] = lp
            if best_lp is None or lp > best_lp:
                best, best_lp = k, lp
        # p(positive) from the two log probabilities, as SnowNLP's sentiments()
        if len(lps) == 2:
            a, b = lps.get(1, 0.0), lps.get(0, 0.0)
            p = 1.0 / (1.0 + math.exp(max(-700, min(700, b - a))))
            return best, p
        return best, 0.5


def words_of(text):
    return [w for w in jieba.lcut(text) if w not in PUNCT and w.strip()]


def training_docs():
    docs, used = [], []

    def add(path, parse):
        if not os.path.exists(path):
            return
        with open(path, encoding="utf-8-sig") as f:
            next(f, None)
            for line in f:
                r = parse(line.rstrip("\n"))
                if r and r[0]:
                    docs.append((words_of(r[0]), r[1]))
        used.append(os.path.basename(path))

    def tsv(line):
        t, _, l = line.rpartition("\t")
        return (t, int(l)) if l in ("0", "1") else None

    def label_first(line):
        l, _, t = line.partition(",")
        return (t, int(l)) if l in ("0", "1") else None

    add(os.path.join(DATA, "chnsenticorp_train.tsv"), tsv)
    add(os.path.join(DATA, "weibo_senti_100k_subset.csv"), label_first)
    add(os.path.join(DATA, "waimai_10k.csv"), label_first)
    if docs:
        return docs, "+".join(used)
    rng = random.Random(1)
    pos = ["好", "满意", "喜欢", "支持", "感谢", "加油", "不错", "开心"]
    neg = ["差", "失望", "愤怒", "投诉", "垃圾", "难过", "害怕", "骗子"]
    filler = ["我们", "今天", "这个", "服务", "医院", "疫情", "城市", "大家"]
    for _ in range(400):
        label = rng.random() < 0.5
        ws = [rng.choice(pos if label else neg) for _ in range(3)] + [rng.choice(filler) for _ in range(5)]
        docs.append((ws, int(label)))
    return docs, "generated (sentiment data absent)"


CACHE = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "results", "tmp", "nb_model.json")


def trained_model():
    """The trained classifier, cached in bench/results/tmp (training segments ~24k reviews)."""
    try:
        with open(CACHE, encoding="utf-8") as f:
            c = json.load(f)
        nb = NaiveBayes()
        nb.counts = {int(k): v for k, v in c["counts"].items()}
        nb.totals = {int(k): v for k, v in c["totals"].items()}
        nb.docs = {int(k): v for k, v in c["docs"].items()}
        nb.v = c["v"]
        n = sum(nb.docs.values())
        nb.prior = {k: math.log(d / n) for k, d in nb.docs.items()}
        nb.denom = {k: math.log(nb.totals.get(k, 0) + nb.v) for k in nb.counts}
        return nb, c["source"], c["ndocs"]
    except (OSError, ValueError, KeyError):
        pass
    docs, source = training_docs()
    nb = NaiveBayes()
    nb.train(docs)
    try:
        os.makedirs(os.path.dirname(CACHE), exist_ok=True)
        with open(CACHE, "w", encoding="utf-8") as f:
            json.dump({"counts": nb.counts, "totals": nb.totals, "docs": nb.docs, "v": nb.v,
                       "source": source, "ndocs": len(docs)}, f, ensure_ascii=False)
    except OSError:
        pass
    return nb, source, len(docs)


def read_texts(path):
    with open(path, encoding="utf-8", errors="replace") as f:
        return [line.rstrip("\n") for line in f]


def median_time(reps, fn):
    ts = []
    for _ in range(reps):
        t = time.process_time()  # CPU seconds: per-core figures that hold on a busy machine
        fn()
        ts.append(time.process_time() - t)
    return statistics.median(ts)


def rate(n, s):
    return {"seconds": s, "posts_per_s": n / s if s > 0 else 0.0, "us_per_post": s * 1e6 / n if n else 0.0}


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("mode", choices=["segment", "sentiment", "e2e"])
    ap.add_argument("input")
    ap.add_argument("--reps", type=int, default=3)
    a = ap.parse_args()
    t0 = time.perf_counter()
    jieba.initialize()
    out = {"peer": "python3-jieba" + ("" if a.mode == "segment" else " + naive Bayes"), "mode": a.mode,
           "jieba": jieba.__version__, "python": sys.version.split()[0]}
    nb = None
    if a.mode != "segment":
        nb, source, ndocs = trained_model()
        out["trained_on"] = source
        out["train_docs"] = ndocs
    out["load_s"] = time.perf_counter() - t0

    if a.mode == "e2e":
        lines = read_texts(a.input)
        counts = {"negative": 0, "positive": 0, "bad": 0}

        def run():
            for k in counts:
                counts[k] = 0
            for line in lines:
                try:
                    rec = json.loads(line)
                    text = rec.get("text") or ""
                except (ValueError, AttributeError):
                    counts["bad"] += 1
                    continue
                _, p = nb.classify(words_of(text))
                counts["positive" if p >= 0.5 else "negative"] += 1

        s = median_time(1, run)
        out.update(rate(len(lines), s), posts=len(lines), reps=1, **counts)
    else:
        texts = read_texts(a.input)
        if a.mode == "segment":
            tokens = [0]

            def run():
                tokens[0] = sum(len(jieba.lcut(t)) for t in texts)

            s = median_time(a.reps, run)
            out["tokens"] = tokens[0]
        else:
            neg = [0]

            def run():
                neg[0] = sum(1 for t in texts if nb.classify(words_of(t))[1] < 0.5)

            s = median_time(a.reps, run)
            out["negative"] = neg[0]
        out.update(rate(len(texts), s), posts=len(texts), reps=a.reps)
    out["peak_rss_mib"] = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(json.dumps(out, ensure_ascii=False))


if __name__ == "__main__":
    main()
