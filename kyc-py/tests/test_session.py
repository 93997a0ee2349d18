"""Sessions through the Python binding: the committed fixtures give the same result JSON as the
Rust `verify` example (the cross-binding golden file), from bytes, paths and arrays alike."""

import json

import pytest

import kyc
from kyc.testing import SeededEntropy
from conftest import FIXTURES, NOW

# Written by the Rust side (kyc-ffi/tests/golden.rs, KYC_UPDATE_GOLDEN=1; every binding compares
# against it): the passport and the selfie through an engine with in-memory face lists and history.
GOLDEN = FIXTURES / "expected" / "verify_passport_selfie.json"
DOCUMENT = FIXTURES / "documents" / "0002_passport_genuine_photo.jpg"
SELFIE = FIXTURES / "faces" / "holder_selfie.png"


def run(engine, scenario, document, selfie):
    """The verify example's loop: each step in order until the session takes no more."""
    session = engine.create_session(scenario)
    session.submit_document(document)
    if session.accepts_captures:
        session.submit_selfie(selfie)
    return session


def test_same_result_json_as_rust_verify(scenario):
    # Same clock, seed and stores as the golden file's Rust side.
    engine = kyc.Engine(now=NOW, test_entropy=SeededEntropy(42), face_lists=kyc.FaceLists(), history=kyc.History(bytes([7] * 32)))
    session = run(engine, scenario, DOCUMENT, SELFIE)
    assert session.status == "approved"
    assert session.result_json() == GOLDEN.read_text()
    assert session.result() == json.loads(GOLDEN.read_text())


class Where:
    """A path-like that is not a pathlib.Path: any os.PathLike names a file."""

    def __init__(self, path):
        self.path = path

    def __fspath__(self):
        return str(self.path)


def test_bytes_paths_pathlike_and_arrays_are_the_same_image(engine):
    # Face templates are the cheap way to run an image through decoding and the models.
    by_path = engine.face_template(SELFIE)
    data = SELFIE.read_bytes()
    for same in (data, bytearray(data), memoryview(data), Where(SELFIE)):
        assert engine.face_template(same).vector == by_path.vector, type(same)
    np = pytest.importorskip("numpy")
    pixels = decode_png_rgb(SELFIE.read_bytes())
    as_array = engine.face_template(np.frombuffer(pixels[2], dtype=np.uint8).reshape(pixels[1], pixels[0], 3))
    assert as_array.vector == pytest.approx(by_path.vector, abs=1e-6)


def decode_png_rgb(data):
    """A minimal 8-bit RGB PNG decoder (stdlib only), so the test needs no imaging library."""
    import struct
    import zlib

    pos, chunks = 8, {}
    width = height = 0
    idat = b""
    while pos < len(data):
        (length,) = struct.unpack(">I", data[pos : pos + 4])
        kind, body = data[pos + 4 : pos + 8], data[pos + 8 : pos + 8 + length]
        pos += 12 + length
        if kind == b"IHDR":
            width, height, depth, colour = struct.unpack(">IIBB", body[:10])
            assert (depth, colour) == (8, 2), "the fixture is 8-bit RGB"
        elif kind == b"IDAT":
            idat += body
    raw, stride, out = zlib.decompress(idat), width * 3, bytearray()
    prev = bytearray(stride)
    for y in range(height):
        f, line = raw[y * (stride + 1)], bytearray(raw[y * (stride + 1) + 1 : (y + 1) * (stride + 1)])
        for x in range(stride):
            a = line[x - 3] if x >= 3 else 0
            b, c = prev[x], prev[x - 3] if x >= 3 else 0
            if f == 1:
                line[x] = (line[x] + a) & 255
            elif f == 2:
                line[x] = (line[x] + b) & 255
            elif f == 3:
                line[x] = (line[x] + (a + b) // 2) & 255
            elif f == 4:
                p = a + b - c
                pa, pb, pc = abs(p - a), abs(p - b), abs(p - c)
                line[x] = (line[x] + (a if pa <= pb and pa <= pc else b if pb <= pc else c)) & 255
        out += line
        prev = line
    return width, height, bytes(out)


def test_capture_report_and_stored_session_round_trip(scenario):
    engine = kyc.Engine(models=False, now=NOW, test_entropy=SeededEntropy(7))
    session = engine.create_session(scenario, session_id="host-id-1")
    assert session.id == "host-id-1" and session.status == "created"
    assert session.current_step == "passport"
    report = session.submit_document(DOCUMENT)
    assert report["step_id"] == "passport" and report["attempt"] == 1
    assert report["checks"] and all("reason_code" in c for c in report["checks"])
    assert report["status"] == session.status
    assert session.current_step == report["step_id"] or report["step_outcome"] is not None
    stored = session.to_json()
    again = engine.load_session(scenario, stored)
    assert again.id == "host-id-1" and again.result_json() == session.result_json()
    assert again.to_dict() == session.to_dict()


def test_numpy_arrays_are_frames(scenario):
    np = pytest.importorskip("numpy")
    engine = kyc.Engine(models=False, now=NOW, test_entropy=SeededEntropy(8))
    noise = np.random.default_rng(0).integers(0, 256, size=(48, 64, 3), dtype=np.uint8)
    session = engine.create_session(scenario)
    report = session.submit_document(noise[:, ::-1])  # a non-contiguous view converts too
    assert report["step_id"] == "passport" and report["checks"]
    assert session.status == "in_progress"


def test_without_models_every_check_is_unavailable(scenario):
    engine = kyc.Engine(models=False, now=NOW, test_entropy=SeededEntropy(3))
    assert not engine.models_loaded
    session = engine.create_session(scenario)
    report = session.submit_document(DOCUMENT.read_bytes())
    assert {c["outcome"] for c in report["checks"]} <= {"unavailable", "passed", "failed"}
    assert any(c["outcome"] == "unavailable" for c in report["checks"])


def test_manual_decision(engine, scenario):
    session = engine.create_session(scenario)
    session.decide("op-7", "declined", "operator.suspicious")
    assert session.status == "declined"
    with pytest.raises(kyc.KycError) as info:
        session.submit_document(DOCUMENT)
    assert info.value.code.startswith("session.")


def test_a_tampered_sealed_session_is_refused(scenario):
    key = bytes(range(32))
    engine = kyc.Engine(models=False, now=NOW, test_entropy=SeededEntropy(11), session_key=key)
    session = engine.create_session(scenario)
    stored = session.to_json()
    assert stored.startswith("kys1.")
    assert engine.load_session(scenario, stored).to_dict() == session.to_dict()
    forged = stored.replace('"status":"created"', '"status":"approved"', 1)
    assert forged != stored
    with pytest.raises(kyc.KycError) as info:
        engine.load_session(scenario, forged)
    assert info.value.code == "session.seal_mismatch"
    # A seal stripped off is refused too; an engine without a key reads plain JSON only.
    plain = json.dumps(session.to_dict(), separators=(",", ":"))
    with pytest.raises(kyc.KycError) as info:
        engine.load_session(scenario, plain)
    assert info.value.code == "session.unsealed"
    unkeyed = kyc.Engine(models=False, now=NOW)
    assert unkeyed.load_session(scenario, plain).id == session.id
    with pytest.raises(kyc.KycError) as info:
        unkeyed.load_session(scenario, stored)
    assert info.value.code == "session.seal_key_missing"


def test_a_capture_past_the_engines_timeout_is_refused_and_not_recorded(scenario, engine):
    """A timeout far below what a capture takes stops it before analysis with the core's code; the
    session is as it was, and an engine without the timeout records the same capture."""
    photo = (FIXTURES / "documents" / "0000_passport_genuine_clean.jpg").read_bytes()
    hurried = kyc.Engine(models=False, now=NOW, test_entropy=SeededEntropy(12), capture_timeout=1e-9)
    session = hurried.create_session(scenario)
    before = session.to_dict()
    with pytest.raises(kyc.KycError) as info:
        session.submit_document(photo)
    assert info.value.code == "capture.deadline_exceeded"
    assert session.to_dict() == before
    patient = kyc.Engine(models=False, now=NOW, test_entropy=SeededEntropy(12), capture_timeout=60)
    session = patient.create_session(scenario)
    session.submit_document(photo)
    assert session.to_dict() != before
    for bad in (0, -1, float("nan")):
        with pytest.raises(ValueError):
            kyc.Engine(models=False, capture_timeout=bad)
