"""Shared paths and engines. Models come from KYC_MODEL_DIR or ~/.cache/kyc/models
(`python3 scripts/fetch_models.py`); ONNX Runtime from the installed `onnxruntime` package."""

import pathlib

import pytest

import kyc

ROOT = pathlib.Path(__file__).resolve().parents[2]
FIXTURES = ROOT / "fixtures"
NOW = "2026-11-28T09:00:00Z"


@pytest.fixture(scope="session")
def scenario():
    return kyc.Scenario.from_json((FIXTURES / "scenarios" / "passport_selfie.json").read_text())


@pytest.fixture(scope="session")
def engine():
    """One engine with the models, a fixed clock and a fixed seed, shared by the tests."""
    return kyc.Engine(now=NOW, seed=42)
