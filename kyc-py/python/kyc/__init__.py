"""kyc: embeddable identity verification. The engine is Rust (kyc-core); this package is its binding."""

from kyc._kyc import CallbackReceiver, InvalidInputError, KycError, Scenario, __version__

__all__ = ["CallbackReceiver", "InvalidInputError", "KycError", "Scenario", "__version__"]
