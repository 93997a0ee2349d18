"""Summarises benches/compare_face.sh's rounds: per stage the median over rounds of the median
over photos, and the ratios kyc vs OpenCV and kyc vs the Python onnxruntime reference.

    report.py <dir> <rounds>
"""
import json
import statistics
import sys

folder, rounds = sys.argv[1], int(sys.argv[2])
IMPLS = [("kyc", "kyc (Rust)"), ("opencv", "OpenCV C++"), ("ort", "Python ORT")]
STAGES = ["detect_ms", "align_ms", "embed_ms", "selfie_ms", "selfie_total_ms"]
runs = {k: [json.load(open(f"{folder}/{k}.{r}.json")) for r in range(1, rounds + 1)] for k, _ in IMPLS}
med = {k: {s: statistics.median(run[s] for run in rs) for s in STAGES} for k, rs in runs.items()}
first = {k: rs[0] for k, rs in runs.items()}
print(f"photos: {first['kyc']['images']}, with a face: " + ", ".join(f"{n} {first[k]['with_face']}" for k, n in IMPLS))
print(f"{'ms (one thread)':<16}" + "".join(f"{s[:-3]:>14}" for s in STAGES))
for k, name in IMPLS:
    print(f"{name:<16}" + "".join(f"{med[k][s]:>14.2f}" for s in STAGES))
for other, name in IMPLS[1:]:
    print(f"{'kyc speed-up vs ' + name:<30}" + "".join(
        f"{s[:-3]}: {med[other][s] / med['kyc'][s]:.2f}x  " for s in STAGES if med['kyc'][s] > 0))
# The same faces? Compare the per-photo face counts (detections can differ by letterbox filter).
diff = [
    (a["image"], a["faces"], b["faces"])
    for a, b in zip(first["kyc"]["per_image"], first["opencv"]["per_image"])
    if a["faces"] != b["faces"]
]
print(f"photos where kyc and OpenCV found different face counts: {len(diff)} {diff[:5]}")
