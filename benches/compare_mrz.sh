#!/usr/bin/env bash
# Side-by-side MRZ parse throughput, one core: the same 10,000 generated MRZs (half TD1, half TD3)
# through the PyPI `mrz` package, the npm `mrz` package and kyc. Pinned versions; installs cached
# under target/compare-mrz/. Prints each throughput and the ratios.
set -euo pipefail
cd "$(dirname "$0")/.."
CACHE=target/compare-mrz
PY_MRZ=0.6.2
NPM_MRZ=5.0.2
N=${N:-10000}
CORE=${CORE:-1}
mkdir -p "$CACHE"
python3 benches/compare_mrz/gen.py "$N" > "$CACHE/mrzs.jsonl"
if [ ! -x "$CACHE/venv/bin/python" ]; then python3 -m venv "$CACHE/venv"; fi
"$CACHE/venv/bin/pip" install -q "mrz==$PY_MRZ"
if [ ! -d "$CACHE/npm/node_modules/mrz" ]; then npm install --silent --prefix "$CACHE/npm" "mrz@$NPM_MRZ"; fi
cp benches/compare_mrz/bench_js.mjs "$CACHE/npm/bench_js.mjs"
cargo build -q --release --example mrz
run() { taskset -c "$CORE" "$@"; }
py=$(run "$CACHE/venv/bin/python" benches/compare_mrz/bench_py.py "$CACHE/mrzs.jsonl" 1)
js=$(run node "$CACHE/npm/bench_js.mjs" "$CACHE/mrzs.jsonl" 3)
rs=$(run target/release/examples/mrz --time 50 < "$CACHE/mrzs.jsonl")
echo "$py"; echo "$js"; echo "$rs"
python3 - "$py" "$js" "$rs" <<'PY'
import json, sys
py, js, rs = (json.loads(a) for a in sys.argv[1:4])
for r in (py, js, rs):
    print(f"{r['impl']:>10}: {r['per_second']:>14,.0f} MRZ/s  ({r['valid']}/{r['records']} valid)")
print(f"kyc / npm mrz : {rs['per_second'] / js['per_second']:8.1f}x")
print(f"kyc / PyPI mrz: {rs['per_second'] / py['per_second']:8.1f}x")
PY
