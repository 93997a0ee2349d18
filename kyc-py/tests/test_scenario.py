"""The Python binding raises the core's codes and paths, and loads the committed scenarios."""

import json
import pathlib

import pytest

import kyc

FIXTURES = pathlib.Path(__file__).resolve().parents[2] / "fixtures" / "scenarios"


def test_fixture_scenarios_load():
    for path in sorted(FIXTURES.glob("*.json")):
        scenario = kyc.Scenario.from_json(path.read_text())
        assert scenario.step_ids
        assert json.loads(scenario.to_json())["id"] == scenario.id


def test_malformed_json_raises_with_code():
    with pytest.raises(kyc.KycError) as info:
        kyc.Scenario.from_json("{not json")
    assert info.value.code == "json.malformed"


def test_unknown_field_has_path():
    data = json.loads((FIXTURES / "passport_selfie.json").read_text())
    data["limits"]["colour"] = "blue"
    with pytest.raises(kyc.InvalidInputError) as info:
        kyc.Scenario.from_json(json.dumps(data))
    assert info.value.code == "json.unknown_field"
    assert info.value.violations[0]["path"] == "$.limits.colour"


def test_every_violation_is_listed():
    data = json.loads((FIXTURES / "passport_selfie.json").read_text())
    data["id"] = ""
    data["limits"]["session_lifetime_minutes"] = 0
    with pytest.raises(kyc.InvalidInputError) as info:
        kyc.Scenario.from_json(json.dumps(data))
    assert info.value.code == "scenario.invalid"
    paths = {v["path"] for v in info.value.violations}
    assert paths == {"$.id", "$.limits.session_lifetime_minutes"}


def test_wrong_type_is_a_type_error_not_a_crash():
    with pytest.raises(TypeError):
        kyc.Scenario.from_json(42)  # type: ignore[arg-type]
