#!/usr/bin/env bash
# The document checks on attacks made by the independent simulator (issue 24): reads the
# specimens' text lines, simulates the attacks from them, and reports APCER per attack and BPCER
# per check family (docs/accuracy.md). Needs ../shared; installs the models and the simulator's
# two Python packages (pinned) in the cache's virtual environment.
#   bash scripts/eval_attacks.sh [--seed N] [--verbose]
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"
seed=11
verbose=()
while [ $# -gt 0 ]; do
  case "$1" in
    --seed) seed="$2"; shift 2 ;;
    --verbose) verbose=(--verbose); shift ;;
    *) echo "unknown argument $1" >&2; exit 2 ;;
  esac
done
specimens="$root/../shared/data/documents/passporteye"
[ -d "$specimens" ] || { echo "eval_attacks: $specimens is missing" >&2; exit 1; }

KYC_SETUP=models source scripts/setup.sh
venv="$KYC_CACHE/venv-attacks"
[ -x "$venv/bin/python" ] || python3 -m venv "$venv"
"$venv/bin/python" -c "import numpy, PIL" 2>/dev/null ||
  "$venv/bin/pip" install -q -r scripts/attacks/requirements.txt >&2

out="$root/target/attacks-$seed"
cargo build -q --release --example ocr_lines --example eval_attacks
target/release/examples/ocr_lines "$specimens"/* > "$root/target/specimen_lines.jsonl"
rm -rf "$out"
"$venv/bin/python" scripts/attacks/simulate.py --lines "$root/target/specimen_lines.jsonl" \
  --out "$out" --seed "$seed"
target/release/examples/eval_attacks "$out" "${verbose[@]}"
