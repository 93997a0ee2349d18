"""Batch re-verification inside a distributed engine: every job of a folder through kyc, one
engine per worker, results as JSON Lines and a CSV report.

A job is a JSON file: {"scenario": "<scenario.json>", "documents": ["<front>", "<back>"?],
"selfie": "<image>"?, "selfie_with_document": "<image>"?, "session_id": "<id>"?}; relative paths are from the job's folder.

    python3 examples/python/reverify.py JOBS_DIR OUT_DIR [--workers 4]
        [--runner single|processes|ray|spark] [--no-models] [--now 2026-11-28T09:00:00Z --seed 42]

Runners, each with one engine per worker (loading the models costs a second, a job about as much):
- `single`: one engine in this process, the reference the others must equal;
- `processes` (the default): a `concurrent.futures` process pool, one engine per process;
- `ray`: a pool of Ray actors (`pip install ray`), one engine per actor, a progress bar here; joins
  the cluster `ray.init()` finds (RAY_ADDRESS) or starts a local one with `--workers` CPUs;
- `spark`: PySpark (`pip install pyspark pyarrow`, a JVM) in local mode: a DataFrame of jobs in,
  a DataFrame of decisions and check outcomes out (`reverify_dataframe`, through `mapInArrow`),
  one engine per Python worker.

`--no-models` builds engines without models: every analysed check is `unavailable`, the engine's
own rules and decisions still run (what the tests use for their 200-job runs).
"""

from __future__ import annotations

import argparse
import concurrent.futures
import importlib
import json
import os
import pathlib
import sys
import time
from dataclasses import dataclass, field
from typing import Any, Iterable, Iterator, Optional

import kyc
from kyc.testing import SeededEntropy

# How many engines each process has built, by process id and settings: the tests check that every
# worker builds one for each. By process id because Ray sends the actor's class by value, and this
# dict with it as it stands on the driver.
ENGINE_LOADS: dict[tuple, int] = {}


@dataclass
class Job:
    """One stored session to re-verify: absolute paths, the session id to keep."""

    name: str
    scenario: str
    documents: list[str] = field(default_factory=list)
    selfie: Optional[str] = None
    selfie_with_document: Optional[str] = None
    session_id: Optional[str] = None

    def row(self) -> tuple:
        """The job as a row of JOB_SCHEMA (Spark)."""
        return (self.name, self.scenario, self.documents, self.selfie, self.selfie_with_document, self.session_id)


def read_job(path: pathlib.Path) -> Job:
    """A job file, its relative paths made absolute (from the job's folder)."""
    data = json.loads(path.read_text())
    here = path.parent
    return Job(
        name=path.name,
        scenario=str(here / data["scenario"]),
        documents=[str(here / d) for d in data.get("documents", [])],
        selfie=str(here / data["selfie"]) if data.get("selfie") else None,
        selfie_with_document=str(here / data["selfie_with_document"]) if data.get("selfie_with_document") else None,
        session_id=data.get("session_id"),
    )


def _error(name: str, code: str, message: str) -> dict[str, Any]:
    return {"ok": False, "job": name, "error": {"code": code, "message": message}}


class Verifier:
    """One engine and the scenarios it has read: built once per worker (a process, a Ray actor, a
    Spark Python worker), since loading the models costs about what a verification does."""

    def __init__(self, now: Optional[str], seed: Optional[int], models: bool = True):
        # The OS's randomness; a seed only for tests (every worker then draws the same stream, so
        # jobs that need the same ids across runners name their session ids).
        test_entropy = None if seed is None else SeededEntropy(seed)
        self.engine = kyc.Engine(now=now, test_entropy=test_entropy, models=models)
        self.key = (os.getpid(), now, seed, models)
        ENGINE_LOADS[self.key] = ENGINE_LOADS.get(self.key, 0) + 1
        self.scenarios: dict[str, kyc.Scenario] = {}

    def _scenario(self, path: str) -> kyc.Scenario:
        if path not in self.scenarios:
            self.scenarios[path] = kyc.Scenario.from_json(pathlib.Path(path).read_text())
        return self.scenarios[path]

    def verify(self, job: Job) -> dict[str, Any]:
        """Runs one job: each step in order while the session takes captures. Never raises: an
        error becomes {"ok": false, "error": {"code", "message"}} so one bad job does not stop the
        batch. `worker` says which process ran it and how many engines that process had built."""
        return self._stamped(self._verify(job))

    def _stamped(self, outcome: dict[str, Any]) -> dict[str, Any]:
        outcome["worker"] = {"pid": os.getpid(), "engine_loads": ENGINE_LOADS[self.key]}
        return outcome

    def _verify(self, job: Job) -> dict[str, Any]:
        try:
            scenario = self._scenario(job.scenario)
            session = self.engine.create_session(scenario, session_id=job.session_id)
            documents = [pathlib.Path(d) for d in job.documents]
            if documents:
                session.submit_document(documents[0], documents[1] if len(documents) > 1 else None)
            # The selfie once the document step has ended; a failed document capture leaves the
            # person on the document step (a re-verification does not retry).
            if job.selfie and session.current_step not in (None, *scenario.step_ids[:1]):
                with_document = pathlib.Path(job.selfie_with_document) if job.selfie_with_document else None
                session.submit_selfie(pathlib.Path(job.selfie), with_document)
            return {"ok": True, "job": job.name, "result_json": session.result_json(), "stored": session.to_json()}
        except kyc.KycError as e:
            return _error(job.name, e.code, e.message)
        except (OSError, ValueError, KeyError, TypeError) as e:
            return _error(job.name, "job.unreadable", str(e))

    def verify_file(self, job_path: str) -> dict[str, Any]:
        try:
            job = read_job(pathlib.Path(job_path))
        except (OSError, ValueError, KeyError, TypeError) as e:
            return self._stamped(_error(pathlib.Path(job_path).name, "job.unreadable", str(e)))
        return self.verify(job)

    def verify_files(self, job_paths: list[str]) -> list[dict[str, Any]]:
        return [self.verify_file(j) for j in job_paths]


# One verifier per process and settings, for the process pool and for Spark's Python workers
# (which Spark reuses from task to task: spark.python.worker.reuse is on by default).
_VERIFIERS: dict[tuple, Verifier] = {}


def process_verifier(now: Optional[str], seed: Optional[int], models: bool) -> Verifier:
    key = (now, seed, models)
    if key not in _VERIFIERS:
        _VERIFIERS[key] = Verifier(now, seed, models)
    return _VERIFIERS[key]


def progress(total: int, unit: str = "job"):
    """A progress bar on stderr: tqdm when installed, else a plain counter."""
    try:
        from tqdm import tqdm

        return tqdm(total=total, unit=unit, file=sys.stderr)
    except ImportError:
        return _Counter(total)


class _Counter:
    def __init__(self, total: int):
        self.total, self.n = total, 0

    def update(self, n: int) -> None:
        self.n += n
        print(f"\r{self.n}/{self.total}", end="", file=sys.stderr, flush=True)

    def __enter__(self):
        return self

    def __exit__(self, *exc) -> None:
        print(file=sys.stderr)


def run_single(jobs: list[str], workers: int, now: Optional[str], seed: Optional[int], models: bool = True) -> list[dict]:
    """The reference: one engine in this process, the jobs in order."""
    verifier = Verifier(now, seed, models)
    return verifier.verify_files(jobs)


def _pool_job(job_path: str, now: Optional[str], seed: Optional[int], models: bool) -> dict:
    return process_verifier(now, seed, models).verify_file(job_path)


def run_processes(jobs: list[str], workers: int, now: Optional[str], seed: Optional[int], models: bool = True) -> list[dict]:
    with concurrent.futures.ProcessPoolExecutor(max_workers=workers) as pool:
        futures = [pool.submit(_pool_job, j, now, seed, models) for j in jobs]
        return [f.result() for f in concurrent.futures.as_completed(futures)]


def run_ray(
    jobs: list[str], workers: int, now: Optional[str], seed: Optional[int], models: bool = True, chunk: int = 4
) -> list[dict]:
    """`workers` actors, each holding one `Verifier` (one engine) for its life; the jobs go to them
    in chunks of `chunk` (a Ray call costs about a millisecond, a job without models about as
    much). Joins the running cluster if there is one, else starts a local one with `workers` CPUs
    and stops it at the end."""
    import ray  # optional: pip install ray
    from ray.util import ActorPool

    started = not ray.is_initialized()
    if started:
        # On the loopback address: a local cluster needs no other.
        ray.init(num_cpus=workers, include_dashboard=False, log_to_driver=False, _node_ip_address="127.0.0.1")
    try:
        # The actor's class travels by value: the workers need not import this file.
        if __name__ != "__main__":
            ray.cloudpickle.register_pickle_by_value(sys.modules[__name__])
        actor = ray.remote(num_cpus=1)(Verifier)
        actors = [actor.remote(now, seed, models) for _ in range(workers)]
        pool = ActorPool(actors)
        chunks = [jobs[i : i + chunk] for i in range(0, len(jobs), chunk)]
        outcomes: list[dict] = []
        with progress(len(jobs)) as bar:
            for done in pool.map_unordered(lambda a, c: a.verify_files.remote(c), chunks):
                outcomes.extend(done)
                bar.update(len(done))
        for a in actors:
            ray.kill(a)
        return outcomes
    finally:
        if started:
            ray.shutdown()


# Spark: the jobs and the outcomes as DataFrames.
JOB_SCHEMA = (
    "job string, scenario string, documents array<string>, selfie string, selfie_with_document string, "
    "session_id string"
)
OUTCOME_SCHEMA = (
    "job string, session_id string, ok boolean, status string, reason_code string, "
    "checks array<struct<section: string, check: string, outcome: string, reason_code: string>>, "
    "error_code string, error_message string, result_json string, stored_json string, "
    "worker_pid int, engine_loads int"
)
_SECTIONS = ("document", "selfie", "liveness", "face_match")


def outcome_row(outcome: dict[str, Any]) -> dict[str, Any]:
    """An outcome as a row of OUTCOME_SCHEMA: the decision and each check's outcome as columns,
    the engine's result JSON and stored session whole."""
    row: dict[str, Any] = {
        "job": outcome["job"],
        "session_id": None,
        "ok": outcome["ok"],
        "status": None,
        "reason_code": None,
        "checks": [],
        "error_code": None,
        "error_message": None,
        "result_json": None,
        "stored_json": None,
        "worker_pid": outcome["worker"]["pid"],
        "engine_loads": outcome["worker"]["engine_loads"],
    }
    if outcome["ok"]:
        result = json.loads(outcome["result_json"])
        row.update(
            session_id=result["session_id"],
            status=result["decision"]["status"],
            reason_code=result["decision"]["reason_code"],
            result_json=outcome["result_json"],
            stored_json=outcome["stored"],
        )
        for section in _SECTIONS:
            part = result.get(section)
            for check in part.get("checks", []) if isinstance(part, dict) else []:
                row["checks"].append(
                    {"section": section, "check": check["check"], "outcome": check["outcome"], "reason_code": check["reason_code"]}
                )
    else:
        row.update(error_code=outcome["error"]["code"], error_message=outcome["error"]["message"])
    return row


def outcome_from_row(row: dict[str, Any]) -> dict[str, Any]:
    """The runners' outcome dict back from a row of OUTCOME_SCHEMA."""
    worker = {"pid": row["worker_pid"], "engine_loads": row["engine_loads"]}
    if row["ok"]:
        return {"ok": True, "job": row["job"], "result_json": row["result_json"], "stored": row["stored_json"], "worker": worker}
    return {**_error(row["job"], row["error_code"], row["error_message"]), "worker": worker}


def reverify_dataframe(jobs, now: Optional[str] = None, seed: Optional[int] = None, models: bool = True):
    """A DataFrame of JOB_SCHEMA in, a DataFrame of OUTCOME_SCHEMA out, one row per job; each Spark
    Python worker builds one engine and keeps it from task to task. Partition the jobs as you
    want them spread (e.g. `.repartition(executor_cores)`). This file must be importable on the
    executors as `reverify` (`spark.sparkContext.addPyFile(reverify.__file__)`): the engine is
    kept in that module, which a reused Python worker keeps imported."""

    def partition(batches: Iterator) -> Iterator:
        import pyarrow as pa

        module = importlib.import_module("reverify")  # the executor's copy, where engines are kept
        verifier = module.process_verifier(now, seed, models)
        for batch in batches:
            rows = [
                module.outcome_row(verifier.verify(module.Job(
                    name=j["job"], scenario=j["scenario"], documents=list(j["documents"] or []),
                    selfie=j["selfie"], selfie_with_document=j["selfie_with_document"], session_id=j["session_id"],
                )))
                for j in batch.to_pylist()
            ]
            yield pa.RecordBatch.from_pylist(rows, schema=schema)

    from pyspark.sql.pandas.types import to_arrow_schema
    from pyspark.sql.types import _parse_datatype_string

    schema = to_arrow_schema(_parse_datatype_string(OUTCOME_SCHEMA))
    return jobs.mapInArrow(partition, OUTCOME_SCHEMA)


def spark_session(workers: int):
    """A local Spark with `workers` cores, its Python workers on this interpreter, no web UI,
    listening on the loopback address only."""
    os.environ.setdefault("PYSPARK_PYTHON", sys.executable)
    os.environ.setdefault("SPARK_LOCAL_IP", "127.0.0.1")
    from pyspark.sql import SparkSession

    spark = (
        SparkSession.builder.master(f"local[{workers}]")
        .appName("kyc-reverify")
        .config("spark.ui.enabled", "false")
        .config("spark.driver.host", "127.0.0.1")
        .config("spark.driver.bindAddress", "127.0.0.1")
        .config("spark.ui.showConsoleProgress", "false")
        .config("spark.sql.shuffle.partitions", str(workers))
        .getOrCreate()
    )
    spark.sparkContext.setLogLevel("ERROR")
    spark.sparkContext.addPyFile(os.path.abspath(__file__))
    return spark


def run_spark(jobs: list[str], workers: int, now: Optional[str], seed: Optional[int], models: bool = True) -> list[dict]:
    """The job files read here into a DataFrame (an unreadable one is an outcome at once), spread
    over `workers` partitions, re-verified by `reverify_dataframe`, collected back."""
    spark = spark_session(workers)
    outcomes: list[dict] = []
    rows = []
    for path in jobs:
        try:
            job = read_job(pathlib.Path(path))
        except (OSError, ValueError, KeyError, TypeError) as e:
            outcomes.append({**_error(pathlib.Path(path).name, "job.unreadable", str(e)), "worker": None})
            continue
        rows.append(job.row())
    frame = spark.createDataFrame(rows, JOB_SCHEMA).repartition(workers)
    outcomes.extend(outcome_from_row(r.asDict(recursive=True)) for r in reverify_dataframe(frame, now, seed, models).collect())
    return outcomes


RUNNERS = {"single": run_single, "processes": run_processes, "ray": run_ray, "spark": run_spark}


def write_outputs(outcomes: list[dict], out_dir: pathlib.Path) -> dict[str, int]:
    """results.jsonl (one line per job, by job name) and report.csv; returns the count per decision."""
    out_dir.mkdir(parents=True, exist_ok=True)
    outcomes = sorted(outcomes, key=lambda o: o["job"])
    with open(out_dir / "results.jsonl", "w") as out:
        for o in outcomes:
            line = {"ok": o["ok"], "job": o["job"]}
            line.update({"result": json.loads(o["result_json"])} if o["ok"] else {"error": o["error"]})
            out.write(json.dumps(line) + "\n")
    stored = [o["stored"] for o in outcomes if o["ok"]]
    with open(out_dir / "report.csv", "w", newline="") as report:
        report.writelines(kyc.report_csv(stored))  # chunk by chunk as the report streams
    counts: dict[str, int] = {}
    for o in outcomes:
        key = json.loads(o["result_json"])["decision"]["status"] if o["ok"] else "error:" + o["error"]["code"]
        counts[key] = counts.get(key, 0) + 1
    return counts


def workers_seen(outcomes: Iterable[dict]) -> dict[int, dict[str, int]]:
    """Per worker process: the jobs it ran and the most engines it had built (for one setting)."""
    seen: dict[int, dict[str, int]] = {}
    for o in outcomes:
        if o["worker"] is None:  # a job file Spark's driver could not read
            continue
        w = seen.setdefault(o["worker"]["pid"], {"jobs": 0, "engine_loads": 0})
        w["jobs"] += 1
        w["engine_loads"] = max(w["engine_loads"], o["worker"]["engine_loads"])
    return seen


def main(argv: Optional[list[str]] = None) -> int:
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("jobs_dir", type=pathlib.Path)
    p.add_argument("out_dir", type=pathlib.Path)
    p.add_argument("--workers", type=int, default=os.cpu_count() or 1)
    p.add_argument("--runner", choices=sorted(RUNNERS), default="processes")
    p.add_argument("--no-models", dest="models", action="store_false", help="engines without models: analysed checks unavailable")
    p.add_argument("--now", help="fixed time (RFC 3339) for reproducible results")
    p.add_argument("--seed", type=int, help="tests only: a fixed seed for reproducible ids (every worker draws the same stream)")
    args = p.parse_args(argv)

    jobs = sorted(str(j) for j in args.jobs_dir.glob("*.json"))
    started = time.perf_counter()
    outcomes = RUNNERS[args.runner](jobs, args.workers, args.now, args.seed, args.models)
    seconds = time.perf_counter() - started
    counts = write_outputs(outcomes, args.out_dir)
    workers = workers_seen(outcomes)
    print(json.dumps({
        "jobs": len(jobs), "outcomes": counts, "seconds": round(seconds, 2),
        "workers": len(workers), "most_engines_per_worker": max((w["engine_loads"] for w in workers.values()), default=0),
    }))
    return 0


if __name__ == "__main__":
    sys.exit(main())
