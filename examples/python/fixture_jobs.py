"""Writes re-verification jobs for examples/python/reverify.py built from the committed fixtures:
the 3 scenarios in turn, each with its own documents (12 passport photos alone, for the Russian
internal passport's scenario too, where they fail; 12 ID card front and back pairs), a selfie from
2 faces or none, and every 50th job with a document image gone missing (an error outcome). Every
job names its session id, so runs with a fixed `--now` and `--seed` give the same result JSON.

    python3 examples/python/fixture_jobs.py JOBS_DIR [COUNT=200]
"""

from __future__ import annotations

import json
import pathlib
import sys

FIXTURES = pathlib.Path(__file__).resolve().parents[2] / "fixtures"


def _documents() -> dict[str, list[list[str]]]:
    docs = sorted((FIXTURES / "documents").glob("*.jpg"))
    passports = [[str(d)] for d in docs if "_passport_" in d.name]
    cards = [
        [str(front), str(back)]
        for front in docs
        if "_id_card_front_" in front.name
        for back in docs
        if back.name.startswith(front.name[:4] + "_id_card_back_")
    ]
    return {"passport_selfie.json": passports, "russian_passport.json": passports, "id_card_liveness.json": cards}


def write_jobs(folder: pathlib.Path, count: int = 200) -> list[str]:
    """Writes job-000.json ... into `folder`; returns their paths in order."""
    folder.mkdir(parents=True, exist_ok=True)
    scenarios = sorted((FIXTURES / "scenarios").glob("*.json"))
    documents = _documents()
    selfies = [FIXTURES / "faces" / "holder_selfie.png", FIXTURES / "faces" / "grace_hopper.jpg", None]
    paths = []
    for i in range(count):
        scenario = scenarios[i % len(scenarios)]
        pool = documents[scenario.name]
        job: dict = {
            "scenario": str(scenario),
            "documents": pool[(i // len(scenarios) * 7) % len(pool)],
            "session_id": f"reverify-{i:03d}",
        }
        selfie = selfies[(i // len(scenarios)) % len(selfies)]
        if selfie is not None:
            job["selfie"] = str(selfie)
            if scenario.name == "id_card_liveness.json":
                # No fixture holds a selfie with the document in hand: the card's front stands in.
                job["selfie_with_document"] = job["documents"][0]
        if i % 50 == 49:
            job["documents"] = [str(FIXTURES / "documents" / "missing.jpg")]
        path = folder / f"job-{i:03d}.json"
        path.write_text(json.dumps(job))
        paths.append(str(path))
    return paths


if __name__ == "__main__":
    folder = pathlib.Path(sys.argv[1])
    count = int(sys.argv[2]) if len(sys.argv) > 2 else 200
    print(f"{len(write_jobs(folder, count))} jobs in {folder}")
