#!/usr/bin/env bash
# AML screening (issue 25): the generated evaluation set through kyc and, on the same pairs,
# through nomenklatura's matchers (the reference yente scores with), side by side.
#   bash scripts/eval_aml.sh [--seed N]      # 2 (the reported set) by default; 1 is the tuning set
# Installs nomenklatura (pinned in scripts/aml/requirements.txt) into
# ${KYC_CACHE:-$HOME/.cache/kyc}/venv-aml once. Its PyICU dependency builds from source: it needs
# a C++ compiler, pkg-config and ICU's headers (Debian: g++ pkg-config libicu-dev), installed
# here with apt-get when missing and run as root.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"
seed=2
while [ $# -gt 0 ]; do
  case "$1" in
    --seed) seed="$2"; shift 2 ;;
    *) echo "unknown argument $1" >&2; exit 2 ;;
  esac
done
cache="${KYC_CACHE:-$HOME/.cache/kyc}"
venv="$cache/venv-aml"
if ! [ -x "$venv/bin/python" ] || ! "$venv/bin/python" -c "import nomenklatura" 2>/dev/null; then
  if ! pkg-config --exists icu-uc 2>/dev/null && [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null; then
    apt-get install -y -q g++ pkg-config libicu-dev >&2
  fi
  mkdir -p "$cache"
  [ -x "$venv/bin/python" ] || python3 -m venv "$venv"
  "$venv/bin/pip" install -q -r scripts/aml/requirements.txt >&2
fi
pairs="$root/target/aml/pairs_seed$seed.jsonl"
cargo build -q --release --example eval_aml
target/release/examples/eval_aml --seed "$seed" --export "$pairs"
echo
"$venv/bin/python" scripts/aml/yente_compare.py "$pairs"
