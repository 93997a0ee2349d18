//! The one error JavaScript sees: the core's stable code, a message and the violations as JSON.

use wasm_bindgen::prelude::*;

/// An error with the core's stable code. `violations` is JSON: a list of `{path, code, message}`.
#[wasm_bindgen(getter_with_clone)]
#[derive(Debug, Clone)]
pub struct KycError {
    /// Stable code, e.g. `json.unknown_field`.
    pub code: String,
    /// For people.
    pub message: String,
    /// JSON array of violations (empty when the error has none).
    pub violations: String,
}

impl From<kyc_core::ScenarioError> for KycError {
    fn from(e: kyc_core::ScenarioError) -> Self {
        Self {
            code: e.code().to_owned(),
            message: e.to_string(),
            violations: serde_json::to_string(&e.violations()).unwrap_or_else(|_| "[]".to_owned()),
        }
    }
}

impl From<kyc_core::Error> for KycError {
    fn from(e: kyc_core::Error) -> Self {
        Self {
            code: e.code().to_owned(),
            message: e.to_string(),
            violations: "[]".to_owned(),
        }
    }
}

impl KycError {
    /// An error of this binding's own making (bad arguments), with its code.
    pub(crate) fn input(code: &str, message: String) -> Self {
        Self {
            code: code.to_owned(),
            message,
            violations: "[]".to_owned(),
        }
    }
}

impl From<kyc_core::document::mrz::MrzError> for KycError {
    fn from(e: kyc_core::document::mrz::MrzError) -> Self {
        kyc_core::Error::from(e).into()
    }
}

impl From<kyc_core::image::ImageError> for KycError {
    fn from(e: kyc_core::image::ImageError) -> Self {
        kyc_core::Error::from(e).into()
    }
}
