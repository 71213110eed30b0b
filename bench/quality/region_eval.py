#!/usr/bin/env python3
"""Province accuracy of `yuqing analyze` on hand-labelled posts (GUIDE.md in the labels folder).

Runs `yuqing analyze --json --input` over the labels' texts (text only: no author location, so
the figure is about the text), from a temporary directory (analyze creates ./data), and compares
the analysed province with the label. Prints accuracy with a 95% Wilson interval and the errors:
wrong (both set, differ), missing (label set, none found), spurious (label none, one found).

  bench/quality/region_eval.py --yuqing build/yuqing [--labels FILE] [--show N]
"""
import argparse
import json
import math
import os
import subprocess
import sys
import tempfile

SUFFIXES = ("特别行政区", "维吾尔自治区", "壮族自治区", "回族自治区", "自治区", "省", "市")


def short(p):
    p = (p or "").strip()
    for s in SUFFIXES:
        if p.endswith(s) and len(p) > len(s):
            return p[: -len(s)]
    return p


def wilson(k, n, z=1.96):
    if n == 0:
        return 0.0, 0.0
    p = k / n
    d = 1 + z * z / n
    c = (p + z * z / (2 * n)) / d
    h = z * math.sqrt(p * (1 - p) / n + z * z / (4 * n * n)) / d
    return c - h, c + h


def main():
    here = os.path.dirname(os.path.abspath(__file__))
    default_labels = os.path.normpath(os.path.join(here, "../../../shared/data/labels/dev_labels.jsonl"))
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--yuqing", required=True, help="the yuqing binary")
    ap.add_argument("--labels", default=default_labels, help="labelled JSON lines (text, province, city)")
    ap.add_argument("--models", default=None, help="models directory (default: the binary's)")
    ap.add_argument("--show", type=int, default=0, help="print up to N errors")
    args = ap.parse_args()

    rows = [json.loads(l) for l in open(args.labels, encoding="utf-8") if l.strip()]
    binary = os.path.abspath(args.yuqing)
    with tempfile.TemporaryDirectory() as tmp:
        inp = os.path.join(tmp, "in.jsonl")
        with open(inp, "w", encoding="utf-8") as f:
            for i, r in enumerate(rows):
                f.write(json.dumps({"id": str(i), "text": r["text"]}, ensure_ascii=False) + "\n")
        cmd = [binary, "analyze", "--json", "--input", inp]
        if args.models:
            cmd += ["--models", os.path.abspath(args.models)]
        out = subprocess.run(cmd, cwd=tmp, capture_output=True, text=True)
        if out.returncode != 0:
            sys.exit("yuqing analyze failed (%d): %s" % (out.returncode, out.stderr[-2000:]))
    got = [json.loads(l) for l in out.stdout.splitlines() if l.strip()]
    if len(got) != len(rows):
        sys.exit("expected %d output lines, got %d" % (len(rows), len(got)))

    right = wrong = missing = spurious = 0
    errors = []
    for r, g in zip(rows, got):
        reg = g.get("region") if isinstance(g.get("region"), dict) else None
        prov = short((reg or {}).get("province") if reg else g.get("province"))
        want = short(r.get("province"))
        if prov == want:
            right += 1
            continue
        kind = "wrong" if prov and want else "missing" if want else "spurious"
        if kind == "wrong":
            wrong += 1
        elif kind == "missing":
            missing += 1
        else:
            spurious += 1
        errors.append((kind, want, prov, r["text"]))
    n = len(rows)
    lo, hi = wilson(right, n)
    print("province accuracy: %d/%d = %.1f%% (95%% Wilson %.1f%%-%.1f%%)" % (right, n, 100 * right / n, 100 * lo, 100 * hi))
    print("wrong %d, missing %d, spurious %d" % (wrong, missing, spurious))
    for kind, want, prov, text in errors[: args.show]:
        print("  %-8s want=%-4s got=%-4s %s" % (kind, want or "-", prov or "-", text[:120].replace("\n", " ")))


if __name__ == "__main__":
    main()
