#!/usr/bin/env bash
# Face-list scan speed: 1,000,000 x 192 random unit vectors (seeded), top-10 search through kyc's
# Gallery (fp32 and int8 scans, rayon over the machine's cores), a numpy flat scan
# (`matrix @ query` + argpartition) of the very same vectors, and the machine's memory bandwidth
# from a plain streaming read in Rust. Prints each figure and the ratios. Not part of CI.
#   N=1000000 DIM=192 REPS=7 bash benches/compare_gallery.sh
set -euo pipefail
cd "$(dirname "$0")/.."
N=${N:-1000000}
DIM=${DIM:-192}
REPS=${REPS:-7}
CACHE=${KYC_CACHE:-$HOME/.cache/kyc}
VENV="$CACHE/benchvenv"
# In memory when possible: the vectors file is 768 MB.
DATA=$(mktemp -d -p /dev/shm 2>/dev/null || mktemp -d)
trap 'rm -rf "$DATA"' EXIT
if [ ! -x "$VENV/bin/python" ]; then python3 -m venv "$VENV"; fi
"$VENV/bin/python" -c "import numpy, threadpoolctl" 2>/dev/null ||
  "$VENV/bin/pip" install -q "numpy==2.2.6" "threadpoolctl==3.6.0"
cargo build -q --release --example gallery_scan
echo "load: $(uptime)"
rs=$("${CARGO_TARGET_DIR:-target}"/release/examples/gallery_scan --n "$N" --dim "$DIM" --reps "$REPS" --write "$DATA/vectors.f32")
# The machine's OPENBLAS_CORETYPE pin (set for old OpenBLAS builds) slows a current numpy: unset
# it for this one command, as the environment notes advise.
py=$(env -u OPENBLAS_CORETYPE -u OPENBLAS_L2_SIZE "$VENV/bin/python" benches/compare_gallery/bench_numpy.py \
  "$DATA/vectors.f32" "$N" "$DIM" "$REPS")
echo "$rs"
echo "$py"
python3 - "$rs" "$py" <<'PY'
import json, sys
rs, py = (json.loads(a) for a in sys.argv[1:3])
print(f"{rs['n']:,} x {rs['dim']} vectors, top-{rs['k']}, {rs['threads']} threads")
print(f"memory (streaming read): {rs['memory_gbs']:6.2f} GB/s")
print(f"kyc fp32 : {rs['fp32_ms']:7.1f} ms  {rs['fp32_gbs']:6.2f} GB/s  {rs['fp32_of_memory']:.2f} of memory bandwidth")
print(f"kyc int8 : {rs['int8_ms']:7.1f} ms  {rs['int8_gbs']:6.2f} GB/s  {rs['int8_of_memory']:.2f} of memory bandwidth")
print(f"numpy fp32: {py['fp32_ms']:7.1f} ms  {py['fp32_gbs']:6.2f} GB/s  ({py['blas']})")
print(f"int8 vs fp32 (kyc): {rs['int8_speedup']:.2f}x;  kyc fp32 vs numpy: {py['fp32_ms'] / rs['fp32_ms']:.2f}x;  kyc int8 vs numpy: {py['fp32_ms'] / rs['int8_ms']:.2f}x")
print(f"top hit: kyc fp32 {rs['top_fp32']}, int8 {rs['top_int8']}, numpy {py['top_fp32']} (expected {rs['expected']})")
PY
