#!/usr/bin/env bash
# The main job on committed fixtures: a passport photo and a selfie through the passport + selfie
# scenario, printing the result JSON. Extra arguments go to the verify example.
set -euo pipefail
cd "$(dirname "$0")/.."
KYC_SKIP_WASM_TOOLS=1 source scripts/setup.sh
exec cargo run --quiet --release --example verify -- \
  --scenario fixtures/scenarios/passport_selfie.json \
  --document fixtures/documents/0002_passport_genuine_photo.jpg \
  --selfie fixtures/faces/astronaut.png \
  "$@"
