#!/usr/bin/env bash
# Fuzzing (issue 22): builds the fuzz crate (fuzz/) once, then runs each cargo-fuzz target in turn
# from its committed seeds (fuzz/seeds/<target>) and its working corpus (fuzz/corpus/<target>,
# ignored by git, kept between runs). One target at a time, one job each.
#
#   bash scripts/fuzz.sh --ci              each target for KYC_FUZZ_SECONDS (default 20) seconds
#   bash scripts/fuzz.sh --long N          each target to N executions (-runs=N), e.g. 10000000
#   bash scripts/fuzz.sh --ci TARGET...    only the targets named
#
# Fails (after running every target) if any target crashed, leaked, ran out of memory or hung;
# the input that did it is under fuzz/artifacts/<target>/. Prints one line per target with the
# time, executions and exec/s libFuzzer reported (the figures in docs/reliability.md).
#
# Works from a fresh machine with rustup's stable toolchain: cargo-fuzz is installed once
# (pinned, cached in ~/.cargo/bin) and the sanitizer flags it needs are allowed on stable with
# RUSTC_BOOTSTRAP=1.
set -euo pipefail
cd "$(dirname "$0")/.."
export PATH="$HOME/.cargo/bin:$PATH"

CARGO_FUZZ_VERSION="0.13.2"
say() { echo "fuzz: $*" >&2; }

mode="${1:-}"
case "$mode" in
  # CI: an unoptimised build (a third of the optimised build's compile time on two cores, and
  # overflow checks on, so an integer wrap is a crash), in a folder under the project's cache so
  # that a clean clone reuses it; 20 s a target.
  --ci) shift; budget=(-max_total_time="${KYC_FUZZ_SECONDS:-20}"); profile=(--dev)
    export CARGO_TARGET_DIR="${CARGO_TARGET_DIR:-${KYC_CACHE:-$HOME/.cache/kyc}/fuzz-target}" ;;
  --long)
    [ $# -ge 2 ] || { say "--long needs an execution count"; exit 2; }
    budget=(-runs="$2"); profile=(); shift 2 ;;
  *) say "usage: bash scripts/fuzz.sh --ci | --long N [TARGET...]"; exit 2 ;;
esac

if [ "$(cargo fuzz --version 2>/dev/null | awk '{print $2}')" != "$CARGO_FUZZ_VERSION" ]; then
  say "installing cargo-fuzz $CARGO_FUZZ_VERSION (once; about two minutes)"
  cargo install -q cargo-fuzz --version "$CARGO_FUZZ_VERSION" --locked >&2
fi

# cargo-fuzz passes -Zsanitizer and friends; stable rustc accepts them with this set.
export RUSTC_BOOTSTRAP=1

if [ $# -gt 0 ]; then
  targets=("$@")
else
  mapfile -t targets < <(cd fuzz && cargo fuzz list)
fi

started=$SECONDS
say "building ${#targets[@]} targets"
(cd fuzz && cargo fuzz build "${profile[@]}")
say "built in $((SECONDS - started)) s"

logs="${CARGO_TARGET_DIR:-$PWD/fuzz/target}/fuzz-logs"
mkdir -p "$logs"
failed=()
for target in "${targets[@]}"; do
  mkdir -p "fuzz/corpus/$target"
  seeds="fuzz/seeds/$target"
  [ -d "$seeds" ] || { say "$target has no seeds under $seeds"; failed+=("$target"); continue; }
  t0=$SECONDS
  # -timeout: one input running 10 s is a hang. -rss_limit_mb: the engine's own image budget is
  # 64 MiB under the fuzz limits; ASan's shadow memory and the corpus come on top.
  if (cd fuzz && cargo fuzz run "${profile[@]}" "$target" "corpus/$target" "seeds/$target" -- \
        "${budget[@]}" -timeout=10 -rss_limit_mb=2048 -print_final_stats=1) \
        >"$logs/$target.log" 2>&1; then
    outcome=ok
  else
    outcome=FAILED
    failed+=("$target")
    tail -n 40 "$logs/$target.log" >&2
  fi
  execs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$logs/$target.log" | tail -1)
  rate=$(sed -n 's/^stat::average_exec_per_sec: *//p' "$logs/$target.log" | tail -1)
  printf 'fuzz: %-16s %-6s %5d s %12s executions %8s exec/s\n' \
    "$target" "$outcome" "$((SECONDS - t0))" "${execs:-?}" "${rate:-?}" >&2
done

say "all targets in $((SECONDS - started)) s (logs under $logs)"
if [ "${#failed[@]}" -gt 0 ]; then
  say "FAILED: ${failed[*]} (inputs under fuzz/artifacts/)"
  exit 1
fi
