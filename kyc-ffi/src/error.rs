//! The one public error of the binding. Variants differ only where a caller acts differently: bad
//! input the caller must fix (with every violation), or anything else.

use kyc_core::Violation;

/// An error from kyc, with the core's stable code.
#[derive(Debug, thiserror::Error, uniffi::Error)]
pub enum KycError {
    /// The input (JSON, scenario, image) is invalid; `violations` lists each problem with its path.
    #[error("{code}: {detail}")]
    InvalidInput {
        /// Stable code, e.g. `json.unknown_field`.
        code: String,
        /// For people (named `detail`: Kotlin exceptions already have a `message`).
        detail: String,
        /// Each problem, with its JSON path.
        violations: Vec<Violation>,
    },
    /// Anything else.
    #[error("{code}: {detail}")]
    Other {
        /// Stable code.
        code: String,
        /// For people (named `detail`: Kotlin exceptions already have a `message`).
        detail: String,
    },
}

impl From<kyc_core::ScenarioError> for KycError {
    fn from(e: kyc_core::ScenarioError) -> Self {
        Self::InvalidInput {
            code: e.code().to_owned(),
            detail: e.to_string(),
            violations: e.violations(),
        }
    }
}

impl From<kyc_core::Error> for KycError {
    fn from(e: kyc_core::Error) -> Self {
        match e {
            kyc_core::Error::Scenario(s) => s.into(),
            other => Self::Other {
                code: other.code().to_owned(),
                detail: other.to_string(),
            },
        }
    }
}
