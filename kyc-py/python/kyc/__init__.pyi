"""kyc: embeddable identity verification (Rust engine, Python binding)."""

import datetime
import os
from typing import Any, Callable, Iterable, Iterator, Literal, Mapping, Optional, Protocol, Sequence, TypedDict, Union
from kyc.testing import SeededEntropy

__version__: str

class _Array(Protocol):
    """An HxWx3 (RGB) or HxWx4 (RGBA) uint8 array, e.g. numpy.ndarray."""

    @property
    def shape(self) -> tuple[int, ...]: ...
    @property
    def dtype(self) -> Any: ...
    def tobytes(self) -> bytes: ...

ImageLike = Union[bytes, bytearray, memoryview, os.PathLike[str], _Array]
"""Encoded image bytes (JPEG, PNG, WebP), a path to such a file as an `os.PathLike` (`pathlib.Path`),
or a uint8 pixel array. A plain `str` raises `TypeError`: pass `pathlib.Path(text)` for a file."""

Instant = Union[int, float, str, datetime.datetime]
"""Unix seconds, an RFC 3339 string or an aware datetime."""

"""An int in 0..2**64 or exactly 32 bytes."""

SessionStatus = Literal[
    "created", "in_progress", "approved", "declined", "blocked", "frozen", "manual_review", "awaiting_database_checks"
]
ImageKind = Literal["document_front", "document_back", "selfie", "selfie_with_document", "liveness_frame"]

class ViolationDict(TypedDict):
    path: str
    code: str
    message: str

class CheckDict(TypedDict, total=False):
    check: str
    outcome: Literal["passed", "failed", "unavailable"]
    score: Optional[float]
    threshold: Optional[float]
    comparison: str
    reason_code: str
    message: str
    critical: bool

class CaptureReportDict(TypedDict):
    step_id: str
    attempt: int
    outcome: Literal["passed", "failed", "unavailable"]
    reason_code: str
    checks: list[CheckDict]
    step_outcome: Optional[Literal["passed", "failed", "needs_review"]]
    attempts_left: int
    status: SessionStatus

class IssuedLinkDict(TypedDict):
    link_id: str
    token: str
    expires_at: str

class LinkClaimsDict(TypedDict):
    link_id: str
    scenario_id: str
    expires_at: str

class KycError(Exception):
    """Base of every kyc error; `code` is the core's stable code."""

    code: str
    message: str

class InvalidInputError(KycError):
    """Input to fix (JSON, scenario, image, MRZ, capture)."""

    violations: list[ViolationDict]

class ModelUnavailableError(KycError):
    """A model or ONNX Runtime could not be loaded (`python3 scripts/fetch_models.py`)."""

class Scenario:
    @staticmethod
    def from_json(text: str) -> Scenario: ...
    @staticmethod
    def from_dict(data: Mapping[str, Any]) -> Scenario: ...
    @property
    def id(self) -> str: ...
    @property
    def name(self) -> str: ...
    @property
    def step_ids(self) -> list[str]: ...
    def to_json(self) -> str: ...
    def to_dict(self) -> dict[str, Any]: ...

class Engine:
    def __init__(
        self,
        model_dir: Optional[Union[str, os.PathLike[str]]] = None,
        *,
        models: bool = True,
        onnxruntime_library: Optional[Union[str, os.PathLike[str]]] = None,
        now: Optional[Instant] = None,
        test_entropy: Optional[SeededEntropy] = None,
        threads: int = 1,
        face_lists: Optional[FaceLists] = None,
        history: Optional[History] = None,
        on_event: Optional[Callable[[dict[str, Any]], Any]] = None,
        session_key: Optional[bytes] = None,
        capture_timeout: Optional[float] = None,
    ) -> None: ...
    @property
    def models_loaded(self) -> bool: ...
    def create_session(self, scenario: Scenario, session_id: Optional[str] = None) -> Session: ...
    def load_session(self, scenario: Scenario, stored: str) -> Session: ...
    def face_template(self, image: ImageLike) -> Optional[FaceTemplate]: ...

class Session:
    @property
    def id(self) -> str: ...
    @property
    def status(self) -> SessionStatus: ...
    @property
    def accepts_captures(self) -> bool: ...
    @property
    def current_step(self) -> Optional[str]: ...
    def submit_document(
        self, front: ImageLike, back: Optional[ImageLike] = None, *, step: Optional[str] = None
    ) -> CaptureReportDict: ...
    def submit_selfie(
        self, selfie: ImageLike, with_document: Optional[ImageLike] = None, *, step: Optional[str] = None
    ) -> CaptureReportDict: ...
    def submit(
        self, images: Sequence[tuple[ImageKind, ImageLike]], *, step: Optional[str] = None
    ) -> CaptureReportDict: ...
    def decide(
        self, operator_id: str, decision: Literal["approved", "declined", "blocked"], reason: str
    ) -> None: ...
    def refresh(self) -> bool: ...
    def enroll_customer(self, person_id: str) -> None: ...
    def waiting_for(self) -> Optional[dict[str, Any]]: ...
    def result(self) -> dict[str, Any]: ...
    def result_json(self) -> str: ...
    def to_json(self) -> str: ...
    def to_dict(self) -> dict[str, Any]: ...

class FaceTemplate:
    def __init__(self, model: str, vector: Sequence[float]) -> None: ...
    @property
    def model(self) -> str: ...
    @property
    def vector(self) -> list[float]: ...

class FaceList:
    """A face gallery. Thread-safe: `search` releases the GIL and may run on several threads at once;
    `add` and `remove` wait for the searches under way."""
    def __init__(self, model: str, dim: int) -> None: ...
    @staticmethod
    def from_bytes(data: bytes) -> FaceList: ...
    def to_bytes(self) -> bytes: ...
    def add(self, person_id: str, template: FaceTemplate) -> None: ...
    def remove(self, person_id: str) -> bool: ...
    def search(self, template: FaceTemplate, k: int = 5, *, int8: bool = False) -> list[tuple[str, float]]: ...
    def __len__(self) -> int: ...

class Links:
    def __init__(self, scenario: Scenario, *, test_entropy: Optional[SeededEntropy] = None) -> None: ...
    def issue(
        self, count: int = 1, *, lifetime_seconds: int = 86400, now: Optional[Instant] = None
    ) -> list[IssuedLinkDict]: ...
    def verify(self, token: str, *, now: Optional[Instant] = None) -> LinkClaimsDict: ...
    def open(self, token: str, *, now: Optional[Instant] = None) -> dict[str, Any]: ...
    def start(self, link_id: str, session_id: str) -> dict[str, Any]: ...
    def finish(self, link_id: str, session_status: SessionStatus) -> dict[str, Any]: ...
    def get(self, link_id: str) -> Optional[dict[str, Any]]: ...

class FaceLists:
    """The engine's named face lists (customers, blacklist), in memory."""
    def __init__(self) -> None: ...
    def add(self, list_id: str, person_id: str, template: FaceTemplate) -> None: ...
    def remove(self, list_id: str, person_id: str) -> bool: ...
    def count(self, list_id: str) -> int: ...
    def list_ids(self) -> list[str]: ...

class History:
    """Approved documents under one tenant key (32 to 512 secret bytes), as keyed hashes."""
    def __init__(self, key: bytes) -> None: ...
    def __len__(self) -> int: ...

class CallbackReceiver:
    def __init__(
        self,
        secret_key: Union[str, Sequence[str]],
        *,
        require_encryption: bool = False,
        tolerance_seconds: int = 300,
    ) -> None: ...
    def verify(self, headers: Mapping[str, str], body: bytes, now: Optional[int] = None) -> dict[str, Any]: ...

def parse_mrz(
    text: Union[str, Sequence[str]],
    *,
    today: Optional[Union[str, datetime.date]] = None,
    ocr: bool = False,
) -> dict[str, Any]: ...

_Sessions = Iterable[Union[str, bytes, Session, Mapping[str, Any]]]

class ReportRows(Iterator[dict[str, Any]]):
    """The rows of `report_rows`, one dict at a time; sessions are read a chunk at a time as rows are
    asked for. An unreadable session raises `KycError` (`report.bad_session`) after the rows before
    it and ends the iteration. One thread at a time, like a generator."""

    def __iter__(self) -> ReportRows: ...
    def __next__(self) -> dict[str, Any]: ...

class ReportCsv(Iterator[str]):
    """The CSV of `report_csv` in chunks of whole lines, the first starting with the BOM (when asked)
    and the header; sessions are read a chunk at a time as chunks are asked for. Errors as
    `ReportRows`. One thread at a time, like a generator."""

    def __iter__(self) -> ReportCsv: ...
    def __next__(self) -> str: ...
    def read(self) -> str:
        """The rest of the CSV as one string (all of it when no chunk was taken)."""

def report_rows(
    sessions: _Sessions,
    *,
    statuses: Sequence[SessionStatus] = ...,
    scenario_ids: Sequence[str] = ...,
    error_codes: Sequence[str] = ...,
    fields: Sequence[tuple[str, str]] = ...,
    created_from: Optional[Instant] = None,
    created_to: Optional[Instant] = None,
) -> ReportRows:
    """Stored sessions as report rows (dicts), filtered, in input order, streamed (`list(...)` for all).
    A bad filter raises `KycError` (`report.invalid_filter`) here, before any session is read."""
def report_csv(
    sessions: _Sessions,
    *,
    bom: bool = False,
    statuses: Sequence[SessionStatus] = ...,
    scenario_ids: Sequence[str] = ...,
    error_codes: Sequence[str] = ...,
    fields: Sequence[tuple[str, str]] = ...,
    created_from: Optional[Instant] = None,
    created_to: Optional[Instant] = None,
) -> ReportCsv:
    """Stored sessions as CSV, filtered, in input order, streamed in chunks of whole lines
    (`.read()` for the whole text, `file.writelines(...)` to write it as it comes)."""
def describe_scenario(json: str) -> dict[str, Any]: ...
def precheck_image(image: bytes, orientation: Optional[Literal["horizontal", "vertical"]] = None) -> dict[str, Any]: ...
def default_model_dir() -> str: ...
def onnxruntime_library() -> Optional[str]: ...
