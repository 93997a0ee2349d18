"""Batch re-verification inside a distributed engine: every job of a folder through kyc, one
engine per worker, results as JSON Lines and a CSV report.

A job is a JSON file: {"scenario": "<scenario.json>", "documents": ["<front>", "<back>"?],
"selfie": "<image>"?, "session_id": "<id>"?}; relative paths are from the job's folder.

    python3 examples/python/reverify.py JOBS_DIR OUT_DIR [--workers 4] [--runner processes|ray]
        [--now 2026-11-28T09:00:00Z --seed 42]

`--runner processes` (the default) uses a `concurrent.futures` process pool; `--runner ray` runs the
same function as Ray tasks (`pip install ray`), and the same function body fits a PySpark
`mapPartitions` (build the engine once per partition, as `_worker_engine` does per process).
"""

from __future__ import annotations

import argparse
import concurrent.futures
import json
import os
import pathlib
import sys
from typing import Any, Iterable, Optional

import kyc
from kyc.testing import SeededEntropy

_ENGINE: Optional[kyc.Engine] = None
_SCENARIOS: dict[str, kyc.Scenario] = {}


def _worker_engine(now: Optional[str], seed: Optional[int]) -> kyc.Engine:
    """One engine per worker process: loading models costs a second, a verification less."""
    global _ENGINE
    if _ENGINE is None:
        # The OS's randomness; a seed only for tests (every worker then draws the same stream).
        test_entropy = None if seed is None else SeededEntropy(seed)
        _ENGINE = kyc.Engine(now=now, test_entropy=test_entropy)
    return _ENGINE


def _scenario(path: pathlib.Path) -> kyc.Scenario:
    key = str(path)
    if key not in _SCENARIOS:
        _SCENARIOS[key] = kyc.Scenario.from_json(path.read_text())
    return _SCENARIOS[key]


def verify_job(job_path: str, now: Optional[str] = None, seed: Optional[int] = None) -> dict[str, Any]:
    """Runs one job: each step in order while the session takes captures. Never raises: an error
    becomes {"ok": false, "error": {"code", "message"}} so one bad job does not stop the batch."""
    path = pathlib.Path(job_path)
    try:
        job = json.loads(path.read_text())
        here = path.parent
        scenario = _scenario(here / job["scenario"])
        engine = _worker_engine(now, seed)
        session = engine.create_session(scenario, session_id=job.get("session_id"))
        documents = [here / d for d in job.get("documents", [])]
        if documents:
            session.submit_document(documents[0], documents[1] if len(documents) > 1 else None)
        # The selfie once the document step has ended; a failed document capture leaves the person
        # on the document step (a re-verification does not retry).
        if job.get("selfie") and session.current_step not in (None, *scenario.step_ids[:1]):
            session.submit_selfie(here / job["selfie"])
        return {"ok": True, "job": path.name, "result": session.result(), "stored": session.to_json()}
    except kyc.KycError as e:
        return {"ok": False, "job": path.name, "error": {"code": e.code, "message": e.message}}
    except (OSError, ValueError, KeyError, TypeError) as e:
        return {"ok": False, "job": path.name, "error": {"code": "job.unreadable", "message": str(e)}}


def run_processes(jobs: list[str], workers: int, now: Optional[str], seed: Optional[int]) -> Iterable[dict]:
    with concurrent.futures.ProcessPoolExecutor(max_workers=workers) as pool:
        futures = [pool.submit(verify_job, j, now, seed) for j in jobs]
        for f in concurrent.futures.as_completed(futures):
            yield f.result()


def run_ray(jobs: list[str], workers: int, now: Optional[str], seed: Optional[int]) -> Iterable[dict]:
    import ray  # optional: pip install ray

    ray.init(num_cpus=workers, include_dashboard=False, ignore_reinit_error=True)
    remote = ray.remote(verify_job)
    pending = [remote.remote(j, now, seed) for j in jobs]
    while pending:
        done, pending = ray.wait(pending, num_returns=1)
        yield ray.get(done[0])


def main(argv: Optional[list[str]] = None) -> int:
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("jobs_dir", type=pathlib.Path)
    p.add_argument("out_dir", type=pathlib.Path)
    p.add_argument("--workers", type=int, default=os.cpu_count() or 1)
    p.add_argument("--runner", choices=["processes", "ray"], default="processes")
    p.add_argument("--now", help="fixed time (RFC 3339) for reproducible results")
    p.add_argument("--seed", type=int, help="tests only: a fixed seed for reproducible ids (every worker draws the same stream)")
    args = p.parse_args(argv)

    jobs = sorted(str(j) for j in args.jobs_dir.glob("*.json"))
    runner = run_ray if args.runner == "ray" else run_processes
    args.out_dir.mkdir(parents=True, exist_ok=True)
    outcomes = sorted(runner(jobs, args.workers, args.now, args.seed), key=lambda o: o["job"])
    with open(args.out_dir / "results.jsonl", "w") as out:
        for o in outcomes:
            out.write(json.dumps({k: v for k, v in o.items() if k != "stored"}) + "\n")
    stored = [o["stored"] for o in outcomes if o["ok"]]
    with open(args.out_dir / "report.csv", "w", newline="") as report:
        report.writelines(kyc.report_csv(stored))  # chunk by chunk as the report streams
    counts: dict[str, int] = {}
    for o in outcomes:
        key = o["result"]["decision"]["status"] if o["ok"] else "error:" + o["error"]["code"]
        counts[key] = counts.get(key, 0) + 1
    print(json.dumps({"jobs": len(jobs), "outcomes": counts}))
    return 0


if __name__ == "__main__":
    sys.exit(main())
