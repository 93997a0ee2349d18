"""Reads the MRZ of each image with the `rapidocr-onnxruntime` package (PP-OCRv4 det + cls + rec,
ONNX Runtime, one intra-op thread) and prints, per image, the time and whether a fully valid MRZ
(every ICAO 9303 check digit of a TD1 or TD3 zone) is among its text lines, then the totals as one
JSON line. No MRZ repair: the raw OCR lines are held to the check digits as read.

usage: bench_rapidocr.py <image or dir>...
"""

import json
import os
import sys
import time
from pathlib import Path

from rapidocr_onnxruntime import RapidOCR

WEIGHTS = [7, 3, 1]


def digit(c):
    if c.isdigit():
        return int(c)
    if "A" <= c <= "Z":
        return ord(c) - 55
    if c == "<":
        return 0
    return None


def check(field, d):
    total = 0
    for i, c in enumerate(field):
        v = digit(c)
        if v is None:
            return False
        total += v * WEIGHTS[i % 3]
    return d.isdigit() and total % 10 == int(d)


def td3_valid(l1, l2):
    if len(l1) != 44 or len(l2) != 44:
        return False
    return (check(l2[0:9], l2[9]) and check(l2[13:19], l2[19]) and check(l2[21:27], l2[27])
            and (l2[42] == "<" or check(l2[28:42], l2[42]))
            and check(l2[0:10] + l2[13:20] + l2[21:43], l2[43]))


def td1_valid(l1, l2, l3):
    if not (len(l1) == len(l2) == len(l3) == 30):
        return False
    return (check(l1[5:14], l1[14]) and check(l2[0:6], l2[6]) and check(l2[8:14], l2[14])
            and check(l1[5:30] + l2[0:7] + l2[8:15] + l2[18:29], l2[29]))


def mrz_valid(lines):
    cand = [l.upper().replace(" ", "") for l in lines]
    cand = [l for l in cand if "<" in l and len(l) >= 28]
    for i in range(len(cand)):
        if i + 1 < len(cand) and td3_valid(cand[i], cand[i + 1]):
            return True
        if i + 2 < len(cand) and td1_valid(cand[i], cand[i + 1], cand[i + 2]):
            return True
    return False


def images(args):
    for a in args:
        p = Path(a)
        if p.is_dir():
            yield from sorted(q for q in p.iterdir() if q.suffix.lower() in (".jpg", ".jpeg", ".png"))
        else:
            yield p


def main():
    engine = RapidOCR(intra_op_num_threads=1, inter_op_num_threads=1)
    total = valid = 0
    times = []
    for path in images(sys.argv[1:]):
        t0 = time.perf_counter()
        result, _ = engine(str(path))
        ms = (time.perf_counter() - t0) * 1e3
        ok = mrz_valid([r[1] for r in (result or [])])
        total += 1
        valid += ok
        times.append(ms)
        print(f"{path.name:<40} {'yes' if ok else 'no':>5} {ms:8.1f}", file=sys.stderr)
    times.sort()
    print(json.dumps({
        "impl": "rapidocr-onnxruntime",
        "images": total,
        "valid": valid,
        "mean_ms": sum(times) / max(len(times), 1),
        "median_ms": times[len(times) // 2] if times else 0.0,
    }))


if __name__ == "__main__":
    os.environ.setdefault("OMP_NUM_THREADS", "1")
    main()
