"""Garbage in: wrong types, corrupt and huge images, bad JSON, corrupt stored data, missing models.
Every refusal is a kyc.KycError subclass with the core's code (or, for a wrong Python type of a
plain argument, a TypeError); nothing panics across the boundary."""

import json
import pathlib

import pytest

import kyc
from kyc.testing import SeededEntropy
from conftest import FIXTURES, NOW

PASSPORT = (FIXTURES / "documents" / "0002_passport_genuine_photo.jpg").read_bytes()


@pytest.fixture(scope="module")
def bare():
    """An engine without models: refusals happen before analysis, so none are needed."""
    return kyc.Engine(models=False, now=NOW, test_entropy=SeededEntropy(5))


@pytest.mark.parametrize(
    "image, code",
    [
        (b"", "image.empty"),
        (b"not an image at all", "image.unsupported_format"),
        (b"\xff\xd8\xff" + b"\x00" * 4096, "image.decode"),
        (b"\x89PNG\r\n\x1a\n" + b"\x00" * 64, "image.decode"),
        (b"\xff\xd8\xff" + b"\x00" * (26 << 20), "image.too_large"),
        (12345, "image.unsupported_format"),
        (["a", "list"], "image.unsupported_format"),
        (None, "image.unsupported_format"),
    ],
    ids=["empty", "text", "jpeg-header-only", "png-header-only", "huge", "int", "list", "none"],
)
def test_bad_images_raise_input_errors_with_codes(engine, scenario, image, code):
    # With models, corrupt bytes are refused when decoding; without, before (format, size).
    session = engine.create_session(scenario)
    with pytest.raises(kyc.InvalidInputError) as info:
        session.submit_document(image)
    assert info.value.code == code, info.value.message
    assert session.status == "created", "a refused capture changes nothing"


def test_a_png_claiming_huge_dimensions_is_refused_before_decoding(engine, scenario):
    import struct
    import zlib

    def chunk(kind, data):
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))

    header = struct.pack(">IIBBBBB", 100_000, 100_000, 8, 2, 0, 0, 0)
    png = b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", zlib.compress(b"\0" * 64)) + chunk(b"IEND", b"")
    session = engine.create_session(scenario)
    with pytest.raises(kyc.InvalidInputError) as info:
        session.submit_document(png)
    assert info.value.code in {"image.bad_dimensions", "image.limit_exceeded"}


def test_arrays_of_the_wrong_shape_dtype_or_size(bare, scenario):
    np = pytest.importorskip("numpy")
    session = bare.create_session(scenario)
    cases = [
        (np.zeros((10, 10), dtype=np.uint8), "image.unsupported_format"),
        (np.zeros((10, 10, 2), dtype=np.uint8), "image.unsupported_format"),
        (np.zeros((10, 10, 3), dtype=np.float32), "image.unsupported_format"),
        (np.zeros((0, 10, 3), dtype=np.uint8), "image.bad_dimensions"),
        # Huge dimensions are refused from the shape alone, before any copy (a broadcast view
        # claims 10^10 pixels in a few bytes).
        (np.broadcast_to(np.zeros((1, 1, 3), dtype=np.uint8), (100_000, 100_000, 3)), "image.bad_dimensions"),
    ]
    for array, code in cases:
        with pytest.raises(kyc.InvalidInputError) as info:
            session.submit_document(array)
        assert info.value.code == code, (array.shape, array.dtype, info.value.message)


def test_a_path_that_does_not_exist_is_a_file_not_found(bare, scenario):
    with pytest.raises(FileNotFoundError):
        bare.create_session(scenario).submit_document(pathlib.Path("/nonexistent/passport.jpg"))


def test_a_str_image_is_refused_not_taken_for_a_path(bare, scenario):
    """A str is neither the image's bytes nor clearly a path: it is refused before anything is read
    or recorded, with a message that says what to pass, even when it names a real file."""
    real = str(FIXTURES / "documents" / "0002_passport_genuine_photo.jpg")
    session = bare.create_session(scenario)
    before = session.to_json()
    calls = [
        lambda image: session.submit_document(image),
        lambda image: session.submit_document(PASSPORT, image),
        lambda image: session.submit_selfie(image, step="selfie"),
        lambda image: session.submit([("document_front", image)]),
        lambda image: bare.face_template(image),
    ]
    for call in calls:
        for text in (real, "/nonexistent/passport.jpg", PASSPORT.decode("latin-1")):
            with pytest.raises(TypeError, match=r"not a str.*pathlib\.Path"):
                call(text)
    assert session.to_json() == before, "nothing was recorded"


def test_bytes_bytearray_memoryview_and_paths_are_one_image(scenario):
    """Each form of the same file gives the same session, byte for byte."""
    path = FIXTURES / "documents" / "0002_passport_genuine_photo.jpg"
    results = []
    for image in (PASSPORT, bytearray(PASSPORT), memoryview(PASSPORT), path):
        engine = kyc.Engine(models=False, now=NOW, test_entropy=SeededEntropy(5))
        session = engine.create_session(scenario, session_id="same")
        session.submit_document(image)
        results.append(session.to_json())
    assert len(set(results)) == 1
    assert '"image.' not in results[0], "the image decoded"


def test_images_that_do_not_fit_the_step(bare, scenario):
    session = bare.create_session(scenario)
    with pytest.raises(kyc.KycError) as info:
        session.submit([("selfie", PASSPORT)], step="passport")
    assert info.value.code.startswith("capture.")
    with pytest.raises(kyc.KycError) as info:
        session.submit([("document_front", PASSPORT)], step="no-such-step")
    assert info.value.code == "session.unknown_step"
    with pytest.raises(kyc.InvalidInputError) as info:
        session.submit([("a_photo_of_my_cat", PASSPORT)])
    assert info.value.code == "capture.unexpected_image"


@pytest.mark.parametrize(
    "text, code",
    [
        ("{not json", "json.malformed"),
        ("[]", "json.invalid_value"),
        ("", "json.malformed"),
        ("{" * 100_000, "json.malformed"),
        (" " * (2 << 20), "json.too_large"),
    ],
    ids=["malformed", "array", "empty", "deep", "huge"],
)
def test_bad_scenario_json(text, code):
    with pytest.raises(kyc.InvalidInputError) as info:
        kyc.Scenario.from_json(text)
    assert isinstance(info.value, kyc.KycError)
    assert info.value.code == code, info.value.message


def test_bad_scenario_dicts():
    with pytest.raises(kyc.InvalidInputError) as info:
        kyc.Scenario.from_dict({"id": {1, 2}})
    assert info.value.code == "json.malformed"
    with pytest.raises(kyc.InvalidInputError) as info:
        kyc.Scenario.from_dict({"id": "x"})
    assert info.value.code.startswith("json.")


def test_corrupt_stored_session_and_face_list(bare, scenario):
    with pytest.raises(kyc.InvalidInputError) as info:
        bare.load_session(scenario, '{"id": 1}')
    assert info.value.code.startswith("json.")
    with pytest.raises(kyc.InvalidInputError) as info:
        kyc.FaceList.from_bytes(b"KYCGAL01" + b"\xff" * 64)
    assert info.value.code == "gallery.corrupt"
    with pytest.raises(kyc.KycError) as info:
        kyc.FaceList("sface", 0)
    assert info.value.code == "gallery.limit"


def test_wrong_python_types_of_plain_arguments_are_type_errors(bare, scenario):
    with pytest.raises(TypeError):
        kyc.Scenario.from_json(42)  # type: ignore[arg-type]
    with pytest.raises(TypeError):
        bare.create_session("passport-selfie")  # type: ignore[arg-type]
    with pytest.raises(TypeError):
        kyc.parse_mrz(42)  # type: ignore[arg-type]


def test_missing_model_names_the_file(tmp_path):
    with pytest.raises(kyc.ModelUnavailableError) as info:
        kyc.Engine(tmp_path)
    assert isinstance(info.value, kyc.KycError)
    assert info.value.code in {"model.missing", "model.runtime_unavailable"}
    if info.value.code == "model.missing":
        assert str(tmp_path) in info.value.message and ".onnx" in info.value.message


def test_an_altered_model_is_refused(tmp_path):
    models = pathlib_models()
    for f in models.iterdir():
        (tmp_path / f.name).symlink_to(f)
    victim = tmp_path / "face_detection_yunet_2023mar.onnx"
    victim.unlink()
    victim.write_bytes(b"\0" * (models / victim.name).stat().st_size)
    with pytest.raises(kyc.ModelUnavailableError) as info:
        kyc.Engine(tmp_path)
    assert info.value.code == "model.hash_mismatch"


def pathlib_models():
    import pathlib

    return pathlib.Path(kyc.default_model_dir())
