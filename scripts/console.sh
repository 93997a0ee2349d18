#!/usr/bin/env bash
# The KYC operator's console on SQLite with the fixtures' scenarios loaded: installs only what it
# needs (the models and ONNX Runtime, KYC_SETUP=models; the wasm32 target and wasm-bindgen for the
# capture page's in-page pre-check), builds the console and the kyc-wasm package, and starts it on
# http://127.0.0.1:8080 (KYC_CONSOLE_LISTEN to change). The first operator is `admin` with the
# password in KYC_CONSOLE_ADMIN_PASSWORD, else one printed once at the first start. The database
# is target/console/console.sqlite (KYC_CONSOLE_DATABASE: another file or a postgres:// URL).
set -euo pipefail
cd "$(dirname "$0")/.."
KYC_SETUP=models source scripts/setup.sh
export PATH="$HOME/.cargo/bin:$PATH"
# The capture page's pre-check: the wasm32 target, wasm-bindgen (the version Cargo.toml pins) and
# binaryen's wasm-opt (npm), as scripts/setup.sh installs them for the tests.
WASM_BINDGEN_VERSION="$(sed -n 's/^wasm-bindgen = "=\(.*\)"/\1/p' Cargo.toml)"
rustup target list --installed | grep -qx wasm32-unknown-unknown || rustup target add wasm32-unknown-unknown >&2
if [ "$(wasm-bindgen --version 2>/dev/null | awk '{print $2}')" != "$WASM_BINDGEN_VERSION" ]; then
  echo "console: building wasm-bindgen-cli $WASM_BINDGEN_VERSION (once; a few minutes)" >&2
  cargo install -q wasm-bindgen-cli --version "$WASM_BINDGEN_VERSION" >&2
fi
export KYC_NODE="$KYC_CACHE/node"
if [ ! -x "$KYC_NODE/node_modules/.bin/wasm-opt" ]; then
  KYC_SKIP_WASM_TOOLS=1 source scripts/setup.sh
fi
target="${CARGO_TARGET_DIR:-$PWD/target}"
mkdir -p "$target/console"
wasm_pkg="$(bash scripts/build_wasm.sh "$target/console/wasm")"
cargo build --quiet --release -p kyc-console
exec "$target/release/kyc-console" \
  --database "${KYC_CONSOLE_DATABASE:-$target/console/console.sqlite}" \
  --listen "${KYC_CONSOLE_LISTEN:-127.0.0.1:8080}" \
  --scenarios fixtures/scenarios \
  --wasm "$wasm_pkg" "$@"
