#!/usr/bin/env bash
# Side-by-side MRZ reading on one core: the same images through the PyPI `rapidocr-onnxruntime`
# package (PP-OCRv4, its own pre- and post-processing in Python) and kyc's pipeline
# (`eval_documents`: PP-OCRv6 small + MRZ repair, 1 intra-op thread). Prints per-image time and
# MRZ verdict of each, the MRZ read rates and the time ratio. Pinned version; the Python
# environment is cached under target/compare-ocr/. Needs the models (`source scripts/setup.sh`).
#   bash benches/compare_ocr.sh [image dir...]   (default: ../shared/data/documents/passporteye
#                                                 and fixtures/documents)
set -euo pipefail
cd "$(dirname "$0")/.."
CACHE=target/compare-ocr
RAPIDOCR=1.4.4
CORE=${CORE:-1}
DIRS=("$@")
if [ ${#DIRS[@]} -eq 0 ]; then
  DIRS=(fixtures/documents)
  if [ -d ../shared/data/documents/passporteye ]; then
    DIRS=(../shared/data/documents/passporteye "${DIRS[@]}")
  else
    echo "(../shared/data/documents/passporteye absent: fixtures only)" >&2
  fi
fi
mkdir -p "$CACHE"
if [ ! -x "$CACHE/venv/bin/python" ]; then python3 -m venv "$CACHE/venv"; fi
if ! "$CACHE/venv/bin/python" -c "import rapidocr_onnxruntime" 2>/dev/null; then
  "$CACHE/venv/bin/pip" install -q "rapidocr-onnxruntime==$RAPIDOCR"
fi
cargo build -q --release --example eval_documents
run() { OMP_NUM_THREADS=1 taskset -c "$CORE" "$@"; }
echo "== rapidocr-onnxruntime $RAPIDOCR (image, fully valid MRZ, ms)"
py=$(run "$CACHE/venv/bin/python" benches/compare_ocr/bench_rapidocr.py "${DIRS[@]}")
echo "== kyc"
rs_out=$(run target/release/examples/eval_documents --threads 1 "${DIRS[@]}")
echo "$rs_out" | grep -v '^    '
python3 - "$py" "$rs_out" <<'PY'
import json, re, sys
py = json.loads(sys.argv[1])
out = sys.argv[2]
m = re.search(r"images: (\d+), fully valid MRZ: (\d+)", out)
t = re.search(r"time per image: mean ([\d.]+) ms, median ([\d.]+) ms", out)
rs = {"images": int(m.group(1)), "valid": int(m.group(2)),
      "mean_ms": float(t.group(1)), "median_ms": float(t.group(2))}
for name, r in (("rapidocr-onnxruntime", py), ("kyc", rs)):
    print(f"{name:>22}: {r['valid']}/{r['images']} fully valid MRZ, "
          f"mean {r['mean_ms']:.0f} ms, median {r['median_ms']:.0f} ms per image")
print(f"time ratio (rapidocr / kyc): mean {py['mean_ms'] / rs['mean_ms']:.2f}x, "
      f"median {py['median_ms'] / rs['median_ms']:.2f}x")
PY
