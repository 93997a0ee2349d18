"""The stores and the façade through the Python binding: a face list and a history attached to
the engine (a blacklisted face blocks its session, an enrolled customer is recognised), events
reaching the host's callable, and the façade's parity cases (fixtures/expected/parity.json,
written by the Rust core) giving the same outputs and errors here."""

import base64
import json

import pytest

import kyc
from kyc.testing import SeededEntropy
from conftest import FIXTURES, NOW

DOCUMENT = FIXTURES / "documents" / "0002_passport_genuine_photo.jpg"
SELFIE = FIXTURES / "faces" / "holder_selfie.png"
OTHER_PERSON = FIXTURES / "faces" / "grace_hopper.jpg"
PARITY = json.loads((FIXTURES / "expected" / "parity.json").read_text())


def passport_and_selfie(engine, scenario, selfie=SELFIE):
    session = engine.create_session(scenario)
    session.submit_document(DOCUMENT)
    if session.accepts_captures:
        session.submit_selfie(selfie)
    return session


def test_a_blacklisted_face_blocks_the_session(engine, scenario):
    lists = kyc.FaceLists()
    lists.add("blacklist", "fraudster-1", engine.face_template(SELFIE))
    assert lists.count("blacklist") == 1
    history = kyc.History(bytes(range(32)))
    events = []
    blocking = kyc.Engine(now=NOW, test_entropy=SeededEntropy(5), face_lists=lists, history=history, on_event=events.append)
    session = passport_and_selfie(blocking, scenario)
    assert session.status == "blocked"
    result = session.result()
    assert result["decision"]["reason_code"] == "decision.blacklist_hit"
    hit = next(c for c in result["selfie"]["checks"] if c["check"] == "selfie.blacklist")
    assert hit["outcome"] == "failed" and hit["critical"] and "fraudster-1" in hit["message"]
    # The host's callable saw every event, in order, ending with the block.
    assert [e["seq"] for e in events] == list(range(1, len(events) + 1))
    assert events[-1]["kind"]["type"] == "status_changed" and events[-1]["kind"]["to"] == "blocked"
    # A blocked session is not history: nothing was recorded.
    assert len(history) == 0

    # Another person's face goes through the same engine (the history records its approval).
    lists.remove("blacklist", "fraudster-1")
    approved = passport_and_selfie(blocking, scenario)
    assert approved.status == "approved", approved.result()["failure"]
    assert len(history) == 1


def test_an_enrolled_customer_is_recognised(engine, scenario):
    lists = kyc.FaceLists()
    first_engine = kyc.Engine(now=NOW, test_entropy=SeededEntropy(6), face_lists=lists, history=kyc.History(bytes(32)))
    first = passport_and_selfie(first_engine, scenario)
    assert first.status == "approved"
    first.enroll_customer("customer-42")
    assert lists.count("customers") == 1
    again = passport_and_selfie(first_engine, scenario)
    assert again.result()["customer_match"]["person_id"] == "customer-42"


def test_an_open_session_says_what_it_waits_for(scenario):
    bare = kyc.Engine(models=False, now=NOW, test_entropy=SeededEntropy(9))
    session = bare.create_session(scenario)
    assert session.waiting_for() == {"type": "capture", "step_id": "passport", "retake": False, "attempts_left": 3}


def _expect(name, call):
    result = PARITY[name]["result"]
    if "output" in result:
        assert call() == json.loads(result["output"]), name
    else:
        with pytest.raises(kyc.KycError) as info:
            call()
        error = result["error"]
        assert info.value.code == error["code"], name
        kind = {"invalid_input": kyc.InvalidInputError, "model_unavailable": kyc.ModelUnavailableError}
        assert isinstance(info.value, kind.get(error["kind"], kyc.KycError)), name
        if error["violations"]:
            assert info.value.violations == error["violations"], name


def test_parity_with_the_native_facade():
    scenario_text = (FIXTURES / "scenarios" / "passport_selfie.json").read_text()
    _expect("describe_scenario", lambda: kyc.describe_scenario(scenario_text))
    _expect("describe_scenario_error", lambda: kyc.describe_scenario(PARITY["describe_scenario_error"]["input"]))
    photo = (FIXTURES / "documents" / "0004_passport_genuine_photo.jpg").read_bytes()
    _expect("precheck_image", lambda: kyc.precheck_image(photo, "vertical"))
    garbage = base64.b64decode(PARITY["precheck_image_error"]["input_base64"])
    _expect("precheck_image_error", lambda: kyc.precheck_image(garbage))
    for name in ["parse_mrz", "parse_mrz_error"]:
        case = PARITY[name]
        _expect(name, lambda case=case: kyc.parse_mrz(case["input"], today=case["today"]))
    callback = PARITY["callback"]
    receiver = kyc.CallbackReceiver(callback["secret"])
    headers = dict(callback["headers"])
    body = base64.b64decode(callback["body_base64"])
    _expect("callback", lambda: receiver.verify(headers, body, now=callback["now"]))
    _expect("callback_replay", lambda: receiver.verify(headers, body, now=callback["now"]))
