#!/usr/bin/env bash
# Side-by-side face pipeline speed per selfie, one thread each, on the same photos:
#   kyc            examples/time_faces (release; ONNX Runtime with intra_threads = 1)
#   OpenCV         cv2.FaceDetectorYN + cv2.FaceRecognizerSF.alignCrop + .feature, setNumThreads(1)
#   Python ORT     onnxruntime (intra_op_num_threads = 1), numpy pre- and post-processing
# Same models (YuNet 2023mar, SFace 2021dec from KYC_MODEL_DIR), same 640x640 letterbox, same
# thresholds. Decoding is EXCLUDED everywhere: each photo is decoded once, then each stage is
# timed REPS times after a warm-up run. Photos: fixtures/faces/astronaut.png,
# fixtures/documents/*.jpg and ../shared/data/faces/** when present. The three run ROUNDS times
# in turn (the machine is shared); each figure is the median over the rounds of the median over
# the photos. Not part of CI.
# MAX_PHOTOS keeps the first N photos (the fixtures come first) for a quicker run.
#   REPS=5 ROUNDS=3 [MAX_PHOTOS=40] bash benches/compare_face.sh
set -euo pipefail
cd "$(dirname "$0")/.."
REPS=${REPS:-5}
ROUNDS=${ROUNDS:-3}
CACHE=${KYC_CACHE:-$HOME/.cache/kyc}
VENV="$CACHE/benchvenv"
OUT=$(mktemp -d)
trap 'rm -rf "$OUT"' EXIT
: "${KYC_MODEL_DIR:?run: source scripts/setup.sh}"
if [ ! -x "$VENV/bin/python" ]; then python3 -m venv "$VENV"; fi
"$VENV/bin/python" -c "import cv2, onnxruntime, numpy" 2>/dev/null ||
  "$VENV/bin/pip" install -q "opencv-python-headless==4.12.0.88" "onnxruntime==1.32.0" "numpy==2.2.6"
cargo build -q --release --example time_faces

images=(fixtures/faces/astronaut.png fixtures/documents/*.jpg)
if [ -d ../shared/data/faces ]; then
  while IFS= read -r f; do images+=("$f"); done < <(
    find ../shared/data/faces -type f \( -iname '*.jpg' -o -iname '*.jpeg' -o -iname '*.png' \) | sort)
fi
if [ -n "${MAX_PHOTOS:-}" ]; then images=("${images[@]:0:$MAX_PHOTOS}"); fi
echo "${#images[@]} photos; reps $REPS; rounds $ROUNDS"
echo "load before: $(uptime)"
for round in $(seq "$ROUNDS"); do
  # One ONNX Runtime thread everywhere; OpenMP and BLAS pools pinned to one too.
  export OMP_NUM_THREADS=1
  "${CARGO_TARGET_DIR:-target}"/release/examples/time_faces --reps "$REPS" "${images[@]}" > "$OUT/kyc.$round.json"
  "$VENV/bin/python" benches/compare_face/bench_py.py opencv "$KYC_MODEL_DIR" "$REPS" "${images[@]}" \
    > "$OUT/opencv.$round.json"
  "$VENV/bin/python" benches/compare_face/bench_py.py ort "$KYC_MODEL_DIR" "$REPS" "${images[@]}" \
    > "$OUT/ort.$round.json" 2> "$OUT/ort.$round.err"
  echo "round $round done: $(uptime)"
done
python3 benches/compare_face/report.py "$OUT" "$ROUNDS"
