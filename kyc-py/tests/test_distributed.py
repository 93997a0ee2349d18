"""The batch re-verification example (examples/python/reverify.py) on a real local Ray cluster and
on PySpark in local mode, against the single-process run (issue 23).

200 jobs built from the committed fixtures (examples/python/fixture_jobs.py: the 3 scenarios, each
with its documents, 2 selfies or none, 4 jobs with a missing image) run on engines without models:
every analysed check is `unavailable`, the engine's own rules and decisions still run. Every 25th job (8 of them) runs again on engines with
the models, since a job with them costs about a second and CI has about four minutes for this
file. Each runner must give exactly the single-process outcomes: the same errors, the same result
JSON byte for byte, the same stored session (a fixed `now`; every job names its session id), and
the same results.jsonl and report.csv; each worker process builds one engine.

Runs in scripts/test.sh's own step ("kyc-py on Ray and Spark"); ray, pyspark, pyarrow and pandas
come from scripts/setup.sh (pinned), Java from Debian's openjdk-17-jre-headless (installed there when
missing).
"""

import json
import os
import pathlib
import shutil
import sys
import time

import pytest

from conftest import FIXTURES, NOW, ROOT

sys.path.insert(0, str(ROOT / "examples" / "python"))
import fixture_jobs  # noqa: E402
import reverify  # noqa: E402

SEED = 42
WORKERS = 2
JOBS = 200
WITH_MODELS_EVERY = 25  # jobs 0, 25, ..., 175 also run with the models


@pytest.fixture(scope="module")
def jobs(tmp_path_factory) -> list[str]:
    return fixture_jobs.write_jobs(tmp_path_factory.mktemp("jobs"), JOBS)


@pytest.fixture(scope="module")
def batches(jobs):
    """(name, job paths, models) of the two runs every runner makes."""
    return [("no-models", jobs, False), ("models", jobs[::WITH_MODELS_EVERY], True)]


def _timed(label, run, jobs, models):
    started = time.perf_counter()
    outcomes = run(jobs, WORKERS, NOW, SEED, models)
    seconds = time.perf_counter() - started
    print(f"\n{label}: {len(jobs)} jobs in {seconds:.2f} s ({1000 * seconds / len(jobs):.1f} ms a job)")
    return outcomes


@pytest.fixture(scope="module")
def reference(batches):
    """The single-process outcomes: one engine in this process, the jobs in order."""
    return {
        name: _timed(f"single process, {name}", reverify.run_single, jobs, models) for name, jobs, models in batches
    }


def _comparable(outcomes):
    """Everything an outcome says about the job, without which worker ran it."""
    return sorted(({k: v for k, v in o.items() if k != "worker"} for o in outcomes), key=lambda o: o["job"])


def _assert_same_as_single(outcomes, reference, tmp_path, name):
    got, want = _comparable(outcomes), _comparable(reference)
    assert [o["job"] for o in got] == [o["job"] for o in want]
    for g, w in zip(got, want):
        assert g == w, f"{g['job']} differs from the single-process run"
    # And the files the example writes, byte for byte.
    a, b = tmp_path / f"{name}-distributed", tmp_path / f"{name}-single"
    counts = reverify.write_outputs(outcomes, a)
    assert counts == reverify.write_outputs(reference, b)
    for file in ("results.jsonl", "report.csv"):
        assert (a / file).read_bytes() == (b / file).read_bytes(), file
    return counts


def _assert_one_engine_per_worker(outcomes, label):
    workers = reverify.workers_seen(outcomes)
    print(f"{label}: {len(workers)} worker processes, jobs {sorted(w['jobs'] for w in workers.values())}")
    assert 1 <= len(workers) <= WORKERS
    assert all(w["engine_loads"] == 1 for w in workers.values()), workers
    assert all(o["worker"]["pid"] != os.getpid() for o in outcomes), "ran on the driver, not on a worker"


def test_the_jobs_cover_decisions_checks_and_errors(reference):
    """The 200 jobs are not 200 copies of one case: several decisions, errors, and with the models
    checks that pass and fail."""
    no_models = _comparable(reference["no-models"])
    statuses = {json.loads(o["result_json"])["decision"]["status"] for o in no_models if o["ok"]}
    assert len(statuses) >= 2, statuses
    assert sum(not o["ok"] for o in no_models) == 4
    outcomes = set()
    for o in reference["models"]:
        if o["ok"]:
            outcomes |= {c["outcome"] for c in reverify.outcome_row(o)["checks"]}
    assert {"passed", "failed"} <= outcomes, outcomes


def test_ray_equals_the_single_process_run(batches, reference, tmp_path, capfd):
    ray = pytest.importorskip("ray")
    ray.init(num_cpus=WORKERS, include_dashboard=False, log_to_driver=False, _node_ip_address="127.0.0.1")
    try:
        for name, jobs, models in batches:
            outcomes = _timed(f"ray, {name}", reverify.run_ray, jobs, models)
            _assert_same_as_single(outcomes, reference[name], tmp_path, f"ray-{name}")
            _assert_one_engine_per_worker(outcomes, f"ray, {name}")
            # The driver's progress bar (tqdm, or the plain counter) reached the end.
            assert f"{len(jobs)}/{len(jobs)}" in capfd.readouterr().err
    finally:
        ray.shutdown()


def test_spark_equals_the_single_process_run(batches, reference, tmp_path):
    pytest.importorskip("pyspark")
    pytest.importorskip("pyarrow")
    pytest.importorskip("pandas")  # mapInArrow needs it too
    if shutil.which("java") is None:
        pytest.skip("no java on PATH (Debian's openjdk-17-jre-headless; scripts/setup.sh installs it)")
    spark = reverify.spark_session(WORKERS)
    try:
        for name, jobs, models in batches:
            outcomes = _timed(f"spark, {name}", reverify.run_spark, jobs, models)
            _assert_same_as_single(outcomes, reference[name], tmp_path, f"spark-{name}")
            _assert_one_engine_per_worker(outcomes, f"spark, {name}")
        # The DataFrame itself: decisions and check outcomes as columns.
        first = [reverify.read_job(pathlib.Path(p)) for p in batches[0][1][:4]]
        frame = spark.createDataFrame([j.row() for j in first], reverify.JOB_SCHEMA)
        rows = reverify.reverify_dataframe(frame, NOW, SEED, models=False).orderBy("job").collect()
        assert [r.session_id for r in rows] == [f"reverify-{i:03d}" for i in range(4)]
        assert all(r.ok and r.status and r.checks for r in rows)
        assert {c.outcome for r in rows for c in r.checks} == {"unavailable"}
    finally:
        spark.stop()
