//! The one error JavaScript sees: the façade's public error, its `kind`, the core's stable code,
//! a message and the violations as JSON.

use kyc_core::facade::{ErrorKind, PublicError};
use wasm_bindgen::prelude::*;

/// An error with the core's stable code. `kind` is `invalid_input`, `model_unavailable` or
/// `other`; `violations` is JSON: a list of `{path, code, message}`.
#[wasm_bindgen(getter_with_clone)]
#[derive(Debug, Clone)]
pub struct KycError {
    /// What the caller does about it.
    pub kind: String,
    /// Stable code, e.g. `json.unknown_field`.
    pub code: String,
    /// For people.
    pub message: String,
    /// JSON array of violations (empty when the error has none).
    pub violations: String,
}

impl From<PublicError> for KycError {
    fn from(e: PublicError) -> Self {
        let kind = match e.kind {
            ErrorKind::InvalidInput => "invalid_input",
            ErrorKind::ModelUnavailable => "model_unavailable",
            ErrorKind::Other => "other",
        };
        Self {
            kind: kind.to_owned(),
            code: e.code,
            message: e.message,
            violations: serde_json::to_string(&e.violations).unwrap_or_else(|_| "[]".to_owned()),
        }
    }
}

impl KycError {
    /// An error of this binding's own argument checks, with its code.
    pub(crate) fn input(code: &str, message: String) -> Self {
        PublicError::invalid_input(code, message).into()
    }
}
