"""Python overhead against direct Rust on the same batch.

    python3 examples/python/overhead.py [--repeat 2] [--release]

Runs `cargo run --example verify_batch` (direct Rust) and the same batch through the Python binding
in this interpreter: same scenario, documents, selfie, clock, seed and one ONNX Runtime thread;
models loaded before either clock starts. Prints both times and the overhead in percent (goal:
under 5%). Compare like with like: with `--release`, build the binding with
`maturin develop --release` first; without, both sides are the dev profile (what CI builds).
"""

from __future__ import annotations

import argparse
import json
import os
import pathlib
import subprocess
import sys
import time

import kyc
from kyc.testing import SeededEntropy

ROOT = pathlib.Path(__file__).resolve().parents[2]
FIXTURES = ROOT / "fixtures"
SCENARIO = FIXTURES / "scenarios" / "passport_selfie.json"
SELFIE = FIXTURES / "faces" / "holder_selfie.png"
DOCUMENTS = sorted((FIXTURES / "documents").glob("*passport*.jpg"))


def python_batch(repeat: int) -> tuple[float, dict[str, int]]:
    scenario = kyc.Scenario.from_json(SCENARIO.read_text())
    engine = kyc.Engine(now="2026-11-28T09:00:00Z", test_entropy=SeededEntropy(42), threads=1)
    statuses: dict[str, int] = {}
    started = time.perf_counter()
    for _ in range(repeat):
        for document in DOCUMENTS:
            session = engine.create_session(scenario)
            session.submit_document(document)
            if session.current_step == "selfie":  # as verify_batch: only once the document step ended
                session.submit_selfie(SELFIE)
            session.result()
            statuses[session.status] = statuses.get(session.status, 0) + 1
    return time.perf_counter() - started, statuses


def rust_batch(repeat: int, release: bool) -> tuple[float, dict[str, int]]:
    cmd = ["cargo", "run", "--quiet", "--example", "verify_batch"]
    if release:
        cmd.insert(2, "--release")
    cmd += ["--", "--scenario", str(SCENARIO), "--selfie", str(SELFIE), "--repeat", str(repeat)]
    cmd += [str(d) for d in DOCUMENTS]
    env = dict(os.environ)
    env.setdefault("KYC_MODEL_DIR", kyc.default_model_dir())
    # The same ONNX Runtime library the binding loads.
    lib = kyc.onnxruntime_library()
    if lib:
        env["ORT_DYLIB_PATH"] = lib
    out = subprocess.run(cmd, cwd=ROOT, env=env, capture_output=True, text=True, check=True)
    answer = json.loads(out.stdout.strip().splitlines()[-1])
    if not answer.get("ok"):
        raise SystemExit(f"verify_batch: {answer}")
    return answer["seconds"], answer["statuses"]


def main() -> int:
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--repeat", type=int, default=2)
    p.add_argument("--release", action="store_true")
    args = p.parse_args()
    n = args.repeat * len(DOCUMENTS)
    rust_s, rust_statuses = rust_batch(args.repeat, args.release)
    py_s, py_statuses = python_batch(args.repeat)
    if rust_statuses != py_statuses:
        print(f"different decisions: rust {rust_statuses}, python {py_statuses}", file=sys.stderr)
        return 1
    overhead = (py_s - rust_s) / rust_s * 100
    print(f"sessions: {n} ({len(DOCUMENTS)} passports x {args.repeat}, each with the selfie)")
    print(f"direct Rust: {rust_s:.3f} s ({rust_s / n * 1000:.1f} ms/session)")
    print(f"Python:      {py_s:.3f} s ({py_s / n * 1000:.1f} ms/session)")
    print(f"overhead:    {overhead:+.2f} %  (goal: under 5 %)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
