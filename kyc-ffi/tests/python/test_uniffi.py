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
        kyc.validate_scenario('{"id": 3}')
    assert e.value.code == "json.invalid_type"
    assert e.value.violations[0].path == "$.id"
    with pytest.raises(kyc.KycError) as e:
        kyc.validate_scenario("{" * 10)
    assert e.value.code == "json.malformed"
    text = (ROOT / "fixtures/scenarios/passport_selfie.json").read_text()
    assert kyc.validate_scenario(text).step_ids == ["passport", "selfie"]


def test_precheck_equals_the_rust_golden_and_garbage_raises():
    photo = (ROOT / "fixtures/documents/0004_passport_genuine_photo.jpg").read_bytes()
    golden = (ROOT / "fixtures/expected/precheck_0004_passport_genuine_photo.json").read_text()
    assert kyc.precheck_image(photo) == golden
    huge = bytearray((ROOT / "fixtures/faces/astronaut.png").read_bytes())
    huge[16:24] = (100_000).to_bytes(4, "big") * 2
    for data, codes in [
        (b"", {"image.empty"}),
        (b"not an image", {"image.unsupported_format"}),
        (b"\xff\xd8\xff\xe0 corrupt jpeg", {"image.decode"}),
        (bytes(huge), {"image.bad_dimensions", "image.limit_exceeded", "image.decode"}),
    ]:
        with pytest.raises(kyc.KycError) as e:
            kyc.precheck_image(data)
        assert e.value.code in codes


def test_wrong_types_are_refused_before_the_call():
    with pytest.raises(TypeError):
        kyc.parse_mrz(42, "2010-06-01")


@pytest.mark.skipif("KYC_MODEL_DIR" not in os.environ, reason="models not installed")
def test_verification_equals_the_rust_golden_and_garbage_raises():
    scenario = (ROOT / "fixtures/scenarios/passport_selfie.json").read_text()
    verifier = kyc.Verifier(os.environ["KYC_MODEL_DIR"])
    with pytest.raises(kyc.KycError) as e:
        verifier.verify(scenario, [b"\xff\xd8\xff\x00garbage"], None, NOW, 42)
    assert e.value.code.startswith("image.")
    with pytest.raises(kyc.KycError) as e:
        verifier.verify(scenario, [b"GIF89a"], None, NOW, 42)
    assert e.value.code == "image.unsupported_format"
    document = (ROOT / "fixtures/documents/0002_passport_genuine_photo.jpg").read_bytes()
    selfie = (ROOT / "fixtures/faces/astronaut.png").read_bytes()
    result = verifier.verify(scenario, [document], selfie, NOW, 42)
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
    with pytest.raises(kyc.KycError) as e:
        kyc.Verifier(str(tmp_path))
    assert e.value.code.startswith("model.")
