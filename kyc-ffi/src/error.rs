//! The one public error of the binding: the façade's [`kyc_core::facade::PublicError`], its kinds
//! as variants. They differ only where a caller acts differently: fix the input (with every
//! violation), install the models, or anything else.

use kyc_core::Violation;
use kyc_core::facade::{ErrorKind, PublicError};

/// An error from kyc, with the core's stable code.
#[derive(Debug, thiserror::Error, uniffi::Error)]
pub enum KycError {
    /// The input (JSON, scenario, image, MRZ, argument) is invalid; `violations` lists each
    /// problem with its path.
    #[error("{code}: {detail}")]
    InvalidInput {
        /// Stable code, e.g. `json.unknown_field`.
        code: String,
        /// For people (named `detail`: Kotlin exceptions already have a `message`).
        detail: String,
        /// Each problem, with its JSON path.
        violations: Vec<Violation>,
    },
    /// A model or ONNX Runtime could not be loaded (`model.missing`, `model.hash_mismatch`, ...).
    #[error("{code}: {detail}")]
    ModelUnavailable {
        /// Stable code.
        code: String,
        /// For people.
        detail: String,
    },
    /// Anything else.
    #[error("{code}: {detail}")]
    Other {
        /// Stable code.
        code: String,
        /// For people.
        detail: String,
    },
}

impl From<PublicError> for KycError {
    fn from(e: PublicError) -> Self {
        match e.kind {
            ErrorKind::InvalidInput => Self::InvalidInput {
                code: e.code,
                detail: e.message,
                violations: e.violations,
            },
            ErrorKind::ModelUnavailable => Self::ModelUnavailable {
                code: e.code,
                detail: e.message,
            },
            ErrorKind::Other => Self::Other {
                code: e.code,
                detail: e.message,
            },
        }
    }
}

impl From<kyc_core::Error> for KycError {
    fn from(e: kyc_core::Error) -> Self {
        PublicError::from(e).into()
    }
}
