#!/usr/bin/env bash
# The main job on committed fixtures: a genuine passport photo and a selfie through the passport +
# selfie scenario, as a host runs it (models, in-memory face lists and history): the result JSON,
# then attacks made from the fixtures and what the engine decided for each.
# Installs only what it needs: the models and ONNX Runtime (KYC_SETUP=models).
set -euo pipefail
cd "$(dirname "$0")/.."
KYC_SETUP=models source scripts/setup.sh
cargo build --quiet --release --example verify
verify=target/release/examples/verify
docs=fixtures/documents
run() {
  # The same clock and seed every time: the first result equals fixtures/expected/verify_passport_selfie.json.
  "$verify" --scenario fixtures/scenarios/passport_selfie.json --now 2026-11-28T09:00:00Z --seed 42 "$@"
}

echo "== A genuine passport and its holder's selfie"
run --document "$docs/0002_passport_genuine_photo.jpg" --selfie fixtures/faces/holder_selfie.png \
  | tee target/demo_genuine.json

# Each attack is retried with the same images while its step allows (--retry-failed), as an
# attacker would, until the engine decides.
declare -a cases=(
  "genuine passport, holder's selfie|--document $docs/0002_passport_genuine_photo.jpg --selfie fixtures/faces/holder_selfie.png"
  "passport photographed off a screen|--retry-failed --document $docs/0000_passport_screen.jpg --selfie fixtures/faces/holder_selfie.png"
  "passport with a retyped name (edited file)|--retry-failed --document $docs/0002_passport_edit_digital.jpg --selfie fixtures/faces/holder_selfie.png"
  "genuine passport, its own page as the selfie|--retry-failed --document $docs/0002_passport_genuine_photo.jpg --selfie $docs/0002_passport_genuine_photo.jpg"
  "genuine passport, another person's selfie|--retry-failed --document $docs/0002_passport_genuine_photo.jpg --selfie fixtures/faces/grace_hopper.jpg"
  "genuine passport, the holder on the blacklist|--blacklist fixtures/faces/astronaut.png --document $docs/0002_passport_genuine_photo.jpg --selfie fixtures/faces/holder_selfie.png"
)
echo
echo "== Decisions"
for entry in "${cases[@]}"; do
  name="${entry%%|*}"
  # shellcheck disable=SC2086
  run ${entry#*|} | python3 -c '
import json, sys
name = sys.argv[1]
r = json.load(sys.stdin)
d = r["decision"]
failure = r.get("failure") or {}
why = sorted({c["check"] for c in failure.get("checks", []) if c["outcome"] == "failed"})
attempts = sum(s["attempts"] for s in r["steps"])
cells = [name, d["status"], d["reason_code"], str(attempts), ", ".join(why) or "-"]
print("| " + " | ".join(cells) + " |")
' "$name"
done | { echo "| case | decision | reason | captures | failed checks |"; echo "|---|---|---|---|---|"; cat; }
