"""kyc: embeddable identity verification. The engine is Rust (kyc-core); this package is its binding."""

from kyc._kyc import (
    CallbackReceiver,
    Engine,
    FaceList,
    FaceLists,
    FaceTemplate,
    History,
    InvalidInputError,
    KycError,
    Links,
    ModelUnavailableError,
    Scenario,
    Session,
    __version__,
    describe_scenario,
    parse_mrz,
    precheck_image,
    report_csv,
    report_rows,
)
from kyc._models import default_model_dir, onnxruntime_library
from kyc import testing  # test helpers only (kyc.testing.SeededEntropy)

__all__ = [
    "CallbackReceiver",
    "Engine",
    "FaceList",
    "FaceLists",
    "FaceTemplate",
    "History",
    "InvalidInputError",
    "KycError",
    "Links",
    "ModelUnavailableError",
    "Scenario",
    "Session",
    "__version__",
    "default_model_dir",
    "describe_scenario",
    "onnxruntime_library",
    "parse_mrz",
    "precheck_image",
    "report_csv",
    "report_rows",
]
