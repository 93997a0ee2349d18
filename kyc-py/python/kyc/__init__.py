"""kyc: embeddable identity verification. The engine is Rust (kyc-core); this package is its binding."""

from kyc._kyc import InvalidInputError, KycError, Scenario, __version__

__all__ = ["InvalidInputError", "KycError", "Scenario", "__version__"]
