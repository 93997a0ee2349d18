"""Reports (rows and CSV), one-time links and face lists through the Python binding."""

import csv
import io

import pytest

import kyc
from kyc.testing import SeededEntropy
from conftest import FIXTURES, NOW

SESSIONS = (FIXTURES / "sessions" / "sample.jsonl").read_text().splitlines()


def test_report_rows_and_csv_agree():
    rows = kyc.report_rows(SESSIONS)
    assert len(rows) == len(SESSIONS)
    assert {"session_id", "status", "error_codes"} <= rows[0].keys()
    table = list(csv.DictReader(io.StringIO(kyc.report_csv(SESSIONS))))
    assert [r["session_id"] for r in table] == [r["session_id"] for r in rows]
    assert [r["status"] for r in table] == [r["status"] for r in rows]


def test_report_filters():
    approved = kyc.report_rows(SESSIONS, statuses=["approved"])
    assert approved and all(r["status"] == "approved" for r in approved)
    assert kyc.report_rows(SESSIONS, scenario_ids=["nope"]) == []
    later = kyc.report_rows(SESSIONS, created_from="2100-01-01T00:00:00Z")
    assert later == []
    with pytest.raises(kyc.KycError) as info:
        kyc.report_rows(SESSIONS, statuses=["maybe"])
    assert info.value.code == "report.invalid_filter"
    with pytest.raises(kyc.KycError) as info:
        kyc.report_rows(SESSIONS + ["{broken"])
    assert info.value.code == "report.bad_session"


def test_sessions_as_handles_and_csv_bom(scenario):
    engine = kyc.Engine(models=False, now=NOW, test_entropy=SeededEntropy(9))
    live = engine.create_session(scenario)
    rows = kyc.report_rows([live, live.to_dict()])
    assert [r["session_id"] for r in rows] == [live.id, live.id]
    assert kyc.report_csv([live], bom=True).startswith("\ufeff")


def test_links_are_one_time(scenario):
    links = kyc.Links(scenario, test_entropy=SeededEntropy(1))
    issued = links.issue(3, lifetime_seconds=3600, now=NOW)
    assert len(issued) == 3 and len({l["token"] for l in issued}) == 3
    token = issued[0]["token"]
    claims = links.verify(token, now=NOW)
    assert claims["link_id"] == issued[0]["link_id"] and claims["scenario_id"] == scenario.id
    opened = links.open(token, now=NOW)
    assert opened["status"] == "opened"
    with pytest.raises(kyc.KycError) as info:
        links.open(token, now=NOW)
    assert info.value.code == "link.already_used"
    links.start(opened["link_id"], "s1")
    assert links.finish(opened["link_id"], "approved")["status"] == "success"
    with pytest.raises(kyc.KycError) as info:
        links.verify(issued[1]["token"], now="2030-01-01T00:00:00Z")
    assert info.value.code == "link.expired"
    with pytest.raises(kyc.KycError) as info:
        links.verify(token[:-2] + "xx", now=NOW)
    assert info.value.code.startswith("link.")
    with pytest.raises(kyc.KycError) as info:
        links.issue(0)
    assert info.value.code.startswith("link.")


def test_face_lists_from_engine_templates(engine):
    faces = FIXTURES / "faces" / "astronaut.png"
    template = engine.face_template(faces)
    assert template is not None and template.model and len(template.vector) > 0
    no_face = engine.face_template(FIXTURES / "documents" / "0001_id_card_back_genuine_clean.jpg")
    assert no_face is None
    people = kyc.FaceList(template.model, len(template.vector))
    people.add("astronaut", template)
    for i in range(5):
        other = [((j * 7919 + i * 104729) % 97) / 97.0 - 0.5 for j in range(len(template.vector))]
        people.add(f"p{i}", kyc.FaceTemplate(template.model, other))
    assert len(people) == 6
    hits = people.search(template, k=3)
    assert hits[0][0] == "astronaut" and hits[0][1] == pytest.approx(1.0, abs=1e-4)
    assert len(hits) == 3 and hits[0][1] >= hits[1][1] >= hits[2][1]
    assert people.search(template, k=1, int8=True)[0][0] == "astronaut"
    restored = kyc.FaceList.from_bytes(people.to_bytes())
    assert restored.search(template, k=6) == people.search(template, k=6)
    assert restored.remove("astronaut") and not restored.remove("astronaut")
    assert len(restored) == 5
    with pytest.raises(kyc.InvalidInputError) as info:
        people.add("bad", kyc.FaceTemplate("other-model", template.vector))
    assert info.value.code == "gallery.incompatible"
