"""Reports (rows and CSV, streamed), one-time links and face lists through the Python binding."""

import csv
import io
import itertools
import json

import pytest

import kyc
from kyc.testing import SeededEntropy
from conftest import FIXTURES, NOW

SESSIONS = (FIXTURES / "sessions" / "sample.jsonl").read_text().splitlines()
# The whole outputs of `report_csv` and `report_rows` over SESSIONS as they were before they
# streamed (one string, one list), written by that build: streaming changed how, not what.
WHOLE_CSV = (FIXTURES / "expected" / "report_sample.csv").read_bytes().decode()
WHOLE_ROWS = json.loads((FIXTURES / "expected" / "report_sample_rows.json").read_text())
# Sessions `report_rows` and `report_csv` take from the iterable per chunk (kyc-py/src/report.rs).
CHUNK = 64


def test_report_rows_and_csv_agree():
    rows = list(kyc.report_rows(SESSIONS))
    assert len(rows) == len(SESSIONS)
    assert {"session_id", "status", "error_codes"} <= rows[0].keys()
    table = list(csv.DictReader(io.StringIO(kyc.report_csv(SESSIONS).read())))
    assert [r["session_id"] for r in table] == [r["session_id"] for r in rows]
    assert [r["status"] for r in table] == [r["status"] for r in rows]


def test_report_filters():
    approved = list(kyc.report_rows(SESSIONS, statuses=["approved"]))
    assert approved and all(r["status"] == "approved" for r in approved)
    assert list(kyc.report_rows(SESSIONS, scenario_ids=["nope"])) == []
    later = list(kyc.report_rows(SESSIONS, created_from="2100-01-01T00:00:00Z"))
    assert later == []
    # A bad filter is refused by the call itself, before any session is read.
    for call in (kyc.report_rows, kyc.report_csv):
        with pytest.raises(kyc.KycError) as info:
            call(SESSIONS, statuses=["maybe"])
        assert info.value.code == "report.invalid_filter"
        with pytest.raises(kyc.KycError) as info:
            call(SESSIONS, fields=[(" ", "x")])
        assert info.value.code == "report.invalid_filter"
    with pytest.raises(kyc.KycError) as info:
        list(kyc.report_rows(SESSIONS + ["{broken"]))
    assert info.value.code == "report.bad_session"


def test_streamed_reports_equal_the_whole_outputs():
    assert list(kyc.report_rows(SESSIONS)) == WHOLE_ROWS
    assert list(kyc.report_rows(iter(SESSIONS))) == WHOLE_ROWS
    assert "".join(kyc.report_csv(SESSIONS)) == WHOLE_CSV
    assert kyc.report_csv(SESSIONS).read() == WHOLE_CSV
    assert kyc.report_csv(SESSIONS, bom=True).read() == "\ufeff" + WHOLE_CSV
    # Filtered: the rows the whole output had, in order.
    approved = [r for r in WHOLE_ROWS if r["status"] == "approved"]
    assert list(kyc.report_rows(SESSIONS, statuses=["approved"])) == approved
    table = list(csv.DictReader(io.StringIO(kyc.report_csv(SESSIONS, statuses=["approved"]).read())))
    assert [r["session_id"] for r in table] == [r["session_id"] for r in approved]
    # Nothing in: no rows, and a CSV of the header alone.
    assert list(kyc.report_rows([])) == []
    assert kyc.report_csv([]).read() == WHOLE_CSV.splitlines(keepends=True)[0]


def counting(sessions, taken):
    """`sessions`, counting in `taken[0]` how many the report has taken."""
    for s in sessions:
        taken[0] += 1
        yield s


def test_report_rows_read_sessions_as_rows_are_asked_for():
    total = 10 * CHUNK + 5
    taken = [0]
    rows = kyc.report_rows(counting(itertools.islice(itertools.cycle(SESSIONS), total), taken))
    assert taken == [0], "nothing is read before the first row is asked for"
    first = next(rows)
    assert first == WHOLE_ROWS[0]
    assert 0 < taken[0] <= CHUNK, taken
    for _ in range(CHUNK):
        next(rows)
    assert taken[0] <= 2 * CHUNK, taken
    rest = list(rows)
    assert taken == [total] and 1 + CHUNK + len(rest) == total
    assert rest[-1] == WHOLE_ROWS[(total - 1) % len(SESSIONS)]


def test_report_csv_comes_in_chunks_of_whole_lines_read_as_asked_for():
    total = 10 * CHUNK + 5
    taken = [0]
    chunks = kyc.report_csv(counting(itertools.islice(itertools.cycle(SESSIONS), total), taken))
    assert taken == [0]
    first = next(chunks)
    assert first.startswith("session_id,") and 0 < taken[0] <= CHUNK, taken
    rest = list(chunks)
    assert taken == [total] and len(rest) >= 10
    assert all(c.endswith("\n") for c in [first, *rest])
    lines = "".join([first, *rest]).splitlines(keepends=True)
    whole = WHOLE_CSV.splitlines(keepends=True)
    assert lines[0] == whole[0] and len(lines) == 1 + total
    assert lines[1:] == [whole[1 + i % len(SESSIONS)] for i in range(total)]


def test_a_bad_session_ends_the_stream_after_the_rows_before_it():
    rows = kyc.report_rows(SESSIONS + ["{broken"] + SESSIONS)
    assert [next(rows) for _ in SESSIONS] == WHOLE_ROWS
    with pytest.raises(kyc.KycError) as info:
        next(rows)
    assert info.value.code == "report.bad_session" and "line 7" in info.value.message
    assert list(rows) == []
    chunks = kyc.report_csv(SESSIONS + ["{broken"])
    assert next(chunks) == WHOLE_CSV
    with pytest.raises(kyc.KycError) as info:
        next(chunks)
    assert info.value.code == "report.bad_session"
    assert list(chunks) == []
    # An item that is no session at all (not JSON-able) ends it the same way, as Python's error.
    rows = kyc.report_rows([SESSIONS[0], object()])
    assert next(rows) == WHOLE_ROWS[0]
    with pytest.raises(TypeError):
        next(rows)


def test_sessions_as_handles_and_csv_bom(scenario):
    engine = kyc.Engine(models=False, now=NOW, test_entropy=SeededEntropy(9))
    live = engine.create_session(scenario)
    rows = list(kyc.report_rows([live, live.to_dict()]))
    assert [r["session_id"] for r in rows] == [live.id, live.id]
    assert kyc.report_csv([live], bom=True).read().startswith("\ufeff")


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
