"""The uniffi Python bindings (the same generated layer Kotlin and Swift get): real outcomes and
the core's codes."""

import json
import os
import pathlib

import pytest

from kyc_uniffi import kyc, kyc_core

ROOT = pathlib.Path(__file__).resolve().parents[3]
TD3 = "P<UTOERIKSSON<<ANNA<MARIA<<<<<<<<<<<<<<<<<<<\nL898902C36UTO7408122F1204159ZE184226B<<<<<10"
NOW = 1795856400  # 2026-11-28T09:00:00Z


def test_is_the_uniffi_module():
    assert hasattr(kyc, "Verifier") and hasattr(kyc, "parse_mrz")


def test_mrz_fields():
    m = kyc.parse_mrz(TD3, "2010-06-01")
    assert (m.format, m.valid) == ("TD3", True)
    assert (m.fields.surname, m.fields.given_names) == ("ERIKSSON", "ANNA MARIA")
    assert m.fields.birth_date == "1974-08-12"
    assert m.fields.sex == kyc_core.Sex.FEMALE


@pytest.mark.parametrize(
    "text, code",
    [("", "mrz.empty"), ("P<UTO\n123", "mrz.line_length"), ("x" * 5000, "mrz.too_long")],
)
def test_mrz_garbage_raises_with_code(text, code):
    with pytest.raises(kyc.KycError) as e:
        kyc.parse_mrz(text, "2010-06-01")
    assert e.value.code == code


def test_scenario_errors_keep_code_and_path():
    with pytest.raises(kyc.KycError.InvalidInput) as e:
        kyc.describe_scenario('{"id": 3}')
    assert e.value.code == "json.invalid_type"
    assert e.value.violations[0].path == "$.id"
    with pytest.raises(kyc.KycError) as e:
        kyc.describe_scenario("{" * 10)
    assert e.value.code == "json.malformed"
    text = (ROOT / "fixtures/scenarios/passport_selfie.json").read_text()
    steps = json.loads(kyc.describe_scenario(text))["steps"]
    assert [s["id"] for s in steps] == ["passport", "selfie"]


def test_precheck_equals_the_rust_golden_and_garbage_raises():
    photo = (ROOT / "fixtures/documents/0004_passport_genuine_photo.jpg").read_bytes()
    golden = (ROOT / "fixtures/expected/precheck_0004_passport_genuine_photo.json").read_text()
    assert kyc.precheck_image(photo, None) == golden
    huge = bytearray((ROOT / "fixtures/faces/astronaut.png").read_bytes())
    huge[16:24] = (100_000).to_bytes(4, "big") * 2
    for data, codes in [
        (b"", {"image.empty"}),
        (b"not an image", {"image.unsupported_format"}),
        (b"\xff\xd8\xff\xe0 corrupt jpeg", {"image.decode"}),
        (bytes(huge), {"image.bad_dimensions", "image.limit_exceeded", "image.decode"}),
    ]:
        with pytest.raises(kyc.KycError) as e:
            kyc.precheck_image(data, None)
        assert e.value.code in codes


def test_wrong_types_are_refused_before_the_call():
    with pytest.raises(TypeError):
        kyc.parse_mrz(42, "2010-06-01")


@pytest.mark.skipif("KYC_MODEL_DIR" not in os.environ, reason="models not installed")
def test_verification_equals_the_rust_golden_and_garbage_raises():
    scenario = (ROOT / "fixtures/scenarios/passport_selfie.json").read_text()
    verifier = kyc.Verifier(os.environ["KYC_MODEL_DIR"], True, kyc.FaceLists(), kyc.History(bytes([7] * 32)))
    with pytest.raises(kyc.KycError) as e:
        verifier.verify(scenario, [b"\xff\xd8\xff\x00garbage"], None, NOW, None)
    assert e.value.code.startswith("image.")
    with pytest.raises(kyc.KycError) as e:
        verifier.verify(scenario, [b"GIF89a"], None, NOW, None)
    assert e.value.code == "image.unsupported_format"
    document = (ROOT / "fixtures/documents/0002_passport_genuine_photo.jpg").read_bytes()
    selfie = (ROOT / "fixtures/faces/holder_selfie.png").read_bytes()
    result = verifier.verify_with_test_seed(scenario, [document], selfie, NOW, 42, None)
    golden = (ROOT / "fixtures/expected/verify_passport_selfie.json").read_text()
    assert agree(json.loads(result), json.loads(golden)), result


def agree(a, b):
    """The same structure, keys and strings, numbers within a relative 1e-5: ONNX Runtime picks
    its kernels by CPU, so model scores differ in their last digits between machines."""
    if isinstance(a, bool) or isinstance(b, bool):
        return a == b
    if isinstance(a, (int, float)) and isinstance(b, (int, float)):
        return abs(a - b) <= 1e-5 * max(1.0, abs(a), abs(b))
    if isinstance(a, list) and isinstance(b, list):
        return len(a) == len(b) and all(agree(x, y) for x, y in zip(a, b))
    if isinstance(a, dict) and isinstance(b, dict):
        return a.keys() == b.keys() and all(agree(a[k], b[k]) for k in a)
    return a == b


def test_models_missing_is_an_error_with_code(tmp_path):
    with pytest.raises(kyc.KycError.ModelUnavailable) as e:
        kyc.Verifier(str(tmp_path), True, None, None)
    assert e.value.code.startswith("model.")


class Events(kyc.EventListener):
    def __init__(self):
        self.seen = []

    def on_event(self, event_json):
        self.seen.append(json.loads(event_json))


@pytest.mark.skipif("KYC_MODEL_DIR" not in os.environ, reason="models not installed")
def test_a_blacklisted_face_blocks_the_session_and_events_reach_the_listener():
    scenario = (ROOT / "fixtures/scenarios/passport_selfie.json").read_text()
    document = (ROOT / "fixtures/documents/0002_passport_genuine_photo.jpg").read_bytes()
    selfie = (ROOT / "fixtures/faces/holder_selfie.png").read_bytes()
    lists = kyc.FaceLists()
    history = kyc.History(bytes(range(32)))
    verifier = kyc.Verifier(os.environ["KYC_MODEL_DIR"], True, lists, history)
    lists.add("blacklist", "fraudster-1", verifier.face_template(selfie))
    events = Events()
    result = json.loads(verifier.verify_with_test_seed(scenario, [document], selfie, NOW, 5, events))
    assert result["decision"]["status"] == "blocked"
    assert result["decision"]["reason_code"] == "decision.blacklist_hit"
    assert events.seen and events.seen[-1]["kind"]["to"] == "blocked"
    assert history.count() == 0
    assert lists.remove("blacklist", "fraudster-1")
    result = json.loads(verifier.verify(scenario, [document], selfie, NOW, None))
    assert result["decision"]["status"] == "approved"
    assert history.count() == 1


PARITY = json.loads((ROOT / "fixtures/expected/parity.json").read_text())


def _expect(name, call):
    result = PARITY[name]["result"]
    if "output" in result:
        assert call() == result["output"], name
        return
    with pytest.raises(kyc.KycError) as e:
        call()
    error = result["error"]
    assert e.value.code == error["code"], name
    variant = {"invalid_input": kyc.KycError.InvalidInput, "model_unavailable": kyc.KycError.ModelUnavailable}
    assert isinstance(e.value, variant.get(error["kind"], kyc.KycError.Other)), name
    if error["violations"]:
        got = [{"code": v.code, "message": v.message, "path": v.path} for v in e.value.violations]
        assert got == error["violations"], name


def test_parity_with_the_native_facade():
    import base64

    text = (ROOT / "fixtures/scenarios/passport_selfie.json").read_text()
    _expect("describe_scenario", lambda: kyc.describe_scenario(text))
    _expect("describe_scenario_error", lambda: kyc.describe_scenario(PARITY["describe_scenario_error"]["input"]))
    photo = (ROOT / "fixtures/documents/0004_passport_genuine_photo.jpg").read_bytes()
    _expect("precheck_image", lambda: kyc.precheck_image(photo, "vertical"))
    garbage = base64.b64decode(PARITY["precheck_image_error"]["input_base64"])
    _expect("precheck_image_error", lambda: kyc.precheck_image(garbage, None))
    for name in ["parse_mrz", "parse_mrz_error"]:
        case = PARITY[name]
        _expect(name, lambda case=case: kyc.parse_mrz(case["input"], case["today"]).report_json)
    callback = PARITY["callback"]
    receiver = kyc.CallbackReceiver(callback["secret"], False)
    headers = [kyc.Header(name=n, value=v) for n, v in callback["headers"]]
    body = base64.b64decode(callback["body_base64"])
    _expect("callback", lambda: receiver.verify(headers, body, callback["now"]))
    _expect("callback_replay", lambda: receiver.verify(headers, body, callback["now"]))


def test_a_receiver_takes_a_list_of_secrets_during_a_rotation():
    """The parity callback verifies under a list holding its secret among others, and not under a
    list without it; a bad list or tolerance is the core's typed error."""
    import base64

    callback = PARITY["callback"]
    headers = [kyc.Header(name=n, value=v) for n, v in callback["headers"]]
    body = base64.b64decode(callback["body_base64"])
    other = "another-secret-0123456789abcdef0123456789"
    receiver = kyc.CallbackReceiver.with_secrets([other, callback["secret"]], False, 300)
    assert json.loads(receiver.verify(headers, body, callback["now"]))["session_id"]
    with pytest.raises(kyc.KycError) as e:
        kyc.CallbackReceiver.with_secrets([other], False, 300).verify(headers, body, callback["now"])
    assert e.value.code == "callback.signature_mismatch"
    for secrets, tolerance, code in [([], 300, "callback.secrets"), ([other], 0, "callback.bad_tolerance")]:
        with pytest.raises(kyc.KycError) as e:
            kyc.CallbackReceiver.with_secrets(secrets, False, tolerance)
        assert e.value.code == code
