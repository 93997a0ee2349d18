"""A batch over many images with a progress bar (tqdm when installed, else a plain counter), the
GIL released so threads overlap; and the distributed re-verification example run locally."""

import concurrent.futures
import json
import subprocess
import sys
import time

import kyc
from conftest import FIXTURES, NOW, ROOT

# The genuine document photos and the selfie: enough for a batch, small enough for CI's budget.
IMAGES = sorted((FIXTURES / "documents").glob("*genuine_photo*.jpg")) + [FIXTURES / "faces" / "astronaut.png"]


def progress(iterable, total):
    try:
        from tqdm import tqdm
    except ImportError:  # a plain counter
        def counted():
            for i, item in enumerate(iterable, 1):
                print(f"\r{i}/{total}", end="", file=sys.stderr)
                yield item
            print(file=sys.stderr)

        return counted()
    return tqdm(iterable, total=total, unit="image")


def test_batch_face_templates_into_a_face_list(engine):
    started = time.perf_counter()
    people = None
    found = 0
    with concurrent.futures.ThreadPoolExecutor(max_workers=2) as pool:
        jobs = pool.map(lambda p: (p, engine.face_template(p)), IMAGES)
        for path, template in progress(jobs, total=len(IMAGES)):
            if template is None:
                continue
            found += 1
            if people is None:
                people = kyc.FaceList(template.model, len(template.vector))
            people.add(path.stem, template)
    elapsed = time.perf_counter() - started
    print(f"\n{len(IMAGES)} images, {found} with a face, {elapsed:.2f} s, {len(IMAGES) / elapsed:.1f} images/s")
    assert found >= len(IMAGES) // 2, "most documents show a portrait"
    astronaut = engine.face_template(FIXTURES / "faces" / "astronaut.png")
    assert people.search(astronaut, k=1)[0][0] == "astronaut"


def test_distributed_reverification_example(tmp_path):
    jobs = tmp_path / "jobs"
    jobs.mkdir()
    scenario = FIXTURES / "scenarios" / "passport_selfie.json"
    cases = {
        "a": ["0002_passport_genuine_photo.jpg"],
        "b": ["0000_passport_genuine_clean.jpg"],
        "c": ["missing.jpg"],
    }
    for name, docs in cases.items():
        (jobs / f"{name}.json").write_text(json.dumps({
            "scenario": str(scenario),
            "documents": [str(FIXTURES / "documents" / d) for d in docs],
            "selfie": str(FIXTURES / "faces" / "holder_selfie.png"),
            "session_id": f"job-{name}",
        }))
    out = tmp_path / "out"
    run = subprocess.run(
        [sys.executable, str(ROOT / "examples" / "python" / "reverify.py"), str(jobs), str(out),
         "--workers", "2", "--now", NOW, "--seed", "42"],
        capture_output=True, text=True, timeout=120,
    )
    assert run.returncode == 0, run.stderr
    summary = json.loads(run.stdout)
    assert summary["jobs"] == 3
    results = [json.loads(l) for l in (out / "results.jsonl").read_text().splitlines()]
    assert [r["job"] for r in results] == ["a.json", "b.json", "c.json"]
    assert results[0]["ok"] and results[0]["result"]["session_id"] == "job-a"
    assert not results[2]["ok"] and results[2]["error"]["code"] == "job.unreadable"
    report = (out / "report.csv").read_text().splitlines()
    assert report[0].startswith("session_id") and len(report) == 3
