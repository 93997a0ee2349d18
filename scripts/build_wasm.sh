#!/usr/bin/env bash
# Builds the npm-style package of kyc-wasm into $CARGO_TARGET_DIR/kyc-wasm-pkg (or the folder given
# as $1): wasm-bindgen --target web output (ES module + TypeScript .d.ts), the .wasm optimised by
# wasm-opt (npm package `binaryen`, installed by scripts/setup.sh), and package.json. Prints the
# raw and optimised sizes and fails over the budget of 1.5 MB.
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
cd "$root"
target="${CARGO_TARGET_DIR:-$root/target}"
pkg="${1:-$target/kyc-wasm-pkg}"
budget=1500000
: "${KYC_NODE:?source scripts/setup.sh first (it installs binaryen and sets KYC_NODE)}"

cargo build -q --profile wasm-release -p kyc-wasm --target wasm32-unknown-unknown
raw="$target/wasm32-unknown-unknown/wasm-release/kyc_wasm.wasm"
rm -rf "$pkg" && mkdir -p "$pkg"
wasm-bindgen --target web --out-dir "$pkg" "$raw"
"$KYC_NODE/node_modules/.bin/wasm-opt" -Oz --strip-debug --strip-producers \
  --enable-bulk-memory --enable-nontrapping-float-to-int --enable-sign-ext --enable-mutable-globals \
  --enable-reference-types --enable-multivalue \
  "$pkg/kyc_wasm_bg.wasm" -o "$pkg/kyc_wasm_bg.opt.wasm"
bound=$(stat -c %s "$pkg/kyc_wasm_bg.wasm")
mv "$pkg/kyc_wasm_bg.opt.wasm" "$pkg/kyc_wasm_bg.wasm"
cp kyc-wasm/npm/package.json "$pkg/"
size=$(stat -c %s "$pkg/kyc_wasm_bg.wasm")
echo "kyc-wasm: cargo $(stat -c %s "$raw") bytes, after wasm-bindgen $bound, after wasm-opt -Oz $size (budget $budget)" >&2
if [ "$size" -ge "$budget" ]; then
  echo "kyc-wasm: over the size budget" >&2
  exit 1
fi
echo "$pkg"
