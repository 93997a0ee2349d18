"""Times examples/python/reverify.py's runners on jobs from the fixtures (fixture_jobs.py) and
prints a Markdown table: the cluster's start, 200 jobs on engines without models, 8 jobs (every
25th) on engines with the models, for 1 and 2 workers. Each run after the start includes building
the workers' engines (a second and a half with the models, nothing without).

    python3 examples/python/reverify_bench.py [--runners single,processes,ray,spark] [--workers 1,2]
"""

from __future__ import annotations

import argparse
import pathlib
import sys
import tempfile
import time

sys.path.insert(0, str(pathlib.Path(__file__).resolve().parent))
import fixture_jobs  # noqa: E402
import reverify  # noqa: E402

NOW, SEED = "2026-11-28T09:00:00Z", 42


def _seconds(run) -> float:
    started = time.perf_counter()
    run()
    return time.perf_counter() - started


def measure(runner: str, workers: int, jobs: list[str], with_models: list[str]) -> tuple[float, float, float]:
    stop = lambda: None  # noqa: E731
    started = time.perf_counter()
    if runner == "ray":
        import ray

        ray.init(num_cpus=workers, include_dashboard=False, log_to_driver=False, _node_ip_address="127.0.0.1")
        stop = ray.shutdown
    elif runner == "spark":
        stop = reverify.spark_session(workers).stop
    start = time.perf_counter() - started
    try:
        run = reverify.RUNNERS[runner]
        plain = _seconds(lambda: run(jobs, workers, NOW, SEED, False))
        models = _seconds(lambda: run(with_models, workers, NOW, SEED, True))
    finally:
        stop()
    return start, plain, models


def main() -> int:
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--runners", default="single,processes,ray,spark")
    p.add_argument("--workers", default="1,2")
    args = p.parse_args()
    jobs = fixture_jobs.write_jobs(pathlib.Path(tempfile.mkdtemp(prefix="kyc-jobs-")), 200)
    with_models = jobs[::25]
    print("| runner | workers | start, s | 200 jobs without models, s (ms a job) | 8 jobs with models, s (s a job) |")
    print("| --- | --- | --- | --- | --- |")
    for runner in args.runners.split(","):
        for workers in [1] if runner == "single" else [int(w) for w in args.workers.split(",")]:
            start, plain, models = measure(runner, workers, jobs, with_models)
            print(
                f"| {runner} | {workers} | {start:.1f} | {plain:.2f} ({1000 * plain / len(jobs):.1f}) "
                f"| {models:.1f} ({models / len(with_models):.2f}) |",
                flush=True,
            )
    return 0


if __name__ == "__main__":
    sys.exit(main())
