"""kyc: embeddable identity verification. The engine is Rust (kyc-core); this package is its binding."""

from kyc._kyc import (
    CallbackReceiver,
    Engine,
    FaceList,
    FaceTemplate,
    InvalidInputError,
    KycError,
    Links,
    ModelUnavailableError,
    Scenario,
    Session,
    __version__,
    parse_mrz,
    report_csv,
    report_rows,
)
from kyc._models import default_model_dir, onnxruntime_library

__all__ = [
    "CallbackReceiver",
    "Engine",
    "FaceList",
    "FaceTemplate",
    "InvalidInputError",
    "KycError",
    "Links",
    "ModelUnavailableError",
    "Scenario",
    "Session",
    "__version__",
    "default_model_dir",
    "onnxruntime_library",
    "parse_mrz",
    "report_csv",
    "report_rows",
]
