#!/usr/bin/env bash
# The whole test suite: formatting, lints (native and wasm32), every Rust test, the Python binding
# under pytest, the WebAssembly binding under Node and a short run of every fuzz target. Stops at
# the first failure.
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/setup.sh

# Each step prints how long the previous one took, so CI logs show where the time goes.
step_started=$SECONDS
step() {
  echo "==== ($((SECONDS - step_started)) s)"
  step_started=$SECONDS
  echo; echo "==== $*"
}

step "cargo fmt --check"
cargo fmt --all --check

step "clippy (native)"
cargo clippy --workspace --all-targets -- -D warnings

step "clippy (wasm32: kyc-core without default features, kyc-wasm)"
cargo clippy -p kyc-core --no-default-features --target wasm32-unknown-unknown -- -D warnings
cargo clippy -p kyc-wasm --target wasm32-unknown-unknown --all-targets -- -D warnings

# With kyc-ffi's uniffi-bindgen: the Kotlin step below reuses this build (same packages, same
# features) instead of compiling kyc-core a third time.
step "cargo test --workspace"
cargo test --workspace --features kyc-ffi/bindgen

step "kyc-wasm under Node (wasm-bindgen-test)"
CARGO_TARGET_WASM32_UNKNOWN_UNKNOWN_RUNNER=wasm-bindgen-test-runner \
  cargo test -p kyc-wasm --target wasm32-unknown-unknown

step "kyc-wasm package (wasm-opt, size budget) and the demo page in headless Chromium"
wasm_pkg="$(bash scripts/build_wasm.sh)"
mkdir -p target/screenshots
KYC_WASM_PKG="$wasm_pkg" KYC_SCREENSHOT_DIR="$PWD/target/screenshots" \
  node --test examples/web/page.test.mjs

# Every cargo-fuzz target for 20 s from its committed seeds (issue 22; scripts/fuzz.sh builds the
# fuzz crate once, with the sanitizer flags, under fuzz/target or CARGO_TARGET_DIR).
step "fuzz: every target 20 s from its seeds"
bash scripts/fuzz.sh --ci

# The console (issue 21): its storage tests on a private PostgreSQL too, and the browser suite
# against SQLite and against PostgreSQL (scripts/pg_private.sh: Debian's PostgreSQL, installed
# only when missing; its own data folder and port; stopped when this script exits).
step "kyc-console: storage on PostgreSQL, the browser suite on SQLite and on PostgreSQL"
cargo build -p kyc-console
source scripts/pg_private.sh
KYC_CONSOLE_TEST_POSTGRES="$KYC_PG_STORAGE_URL" cargo test -p kyc-console --test storage
KYC_CONSOLE_BIN="${CARGO_TARGET_DIR:-$PWD/target}/debug/kyc-console" KYC_WASM_PKG="$wasm_pkg" KYC_SCREENSHOT_DIR="$PWD/target/screenshots" \
  node --test examples/console/tests/console.test.mjs
KYC_CONSOLE_BIN="${CARGO_TARGET_DIR:-$PWD/target}/debug/kyc-console" KYC_WASM_PKG="$wasm_pkg" KYC_SCREENSHOT_DIR="$PWD/target/screenshots" \
  KYC_CONSOLE_DATABASE="$KYC_PG_URL" KYC_SCREENSHOT_TAG=postgres node --test examples/console/tests/console.test.mjs

step "kyc-ffi: uniffi Kotlin (compiled and run on the JVM), Swift golden, uniffi Python (pytest)"
bash kyc-ffi/tests/kotlin/run.sh
"$KYC_VENV/bin/python" -m pytest -q kyc-ffi/tests/python

step "kyc-py under pytest"
(
  cd kyc-py
  VIRTUAL_ENV="$KYC_VENV" PATH="$KYC_VENV/bin:$PATH" maturin develop --quiet
  "$KYC_VENV/bin/python" -m pytest -q tests --ignore tests/test_distributed.py
)

# Issue 23: 200 re-verifications on a local Ray cluster and on Spark in local mode, each equal to
# the single-process run (without models; 8 of them with the models too). Its own step, so the
# log shows what Ray and Spark cost: about two minutes.
step "kyc-py on Ray and Spark (examples/python/reverify.py)"
(
  cd kyc-py
  "$KYC_VENV/bin/python" -m pytest -q tests/test_distributed.py
)

step "kyc-console: callbacks verified by the Python binding's CallbackReceiver (one receiver fails twice)"
KYC_CONSOLE_BIN="${CARGO_TARGET_DIR:-$PWD/target}/debug/kyc-console" "$KYC_VENV/bin/python" -m pytest -q examples/console/tests/test_callbacks.py

step "done"
echo "all checks passed in $SECONDS s"
