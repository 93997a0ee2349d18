//! The one public error: what a binding turns into its language's error. Kinds differ only where
//! a caller acts differently: fix the input, install the models, or anything else.

use serde::Serialize;

use crate::error::Error;
use crate::scenario::Violation;

/// What a caller does about an error.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum ErrorKind {
    /// Input to fix: JSON, a scenario, an image, MRZ text, a capture, an argument.
    InvalidInput,
    /// A model or ONNX Runtime could not be loaded: install them.
    ModelUnavailable,
    /// Anything else (a refused session move, a store's failure, a bad callback).
    Other,
}

/// An error with the core's stable code, a message for people, and (for input) every problem.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, thiserror::Error)]
#[error("{code}: {message}")]
pub struct PublicError {
    /// What to do about it.
    pub kind: ErrorKind,
    /// Stable code, e.g. `json.unknown_field`, `image.decode`, `session.frozen`.
    pub code: String,
    /// For people; may change between versions.
    pub message: String,
    /// Each problem with its JSON path (scenarios; empty otherwise).
    pub violations: Vec<Violation>,
}

impl PublicError {
    /// An input error of a binding's own argument checks (a date that does not parse, an
    /// unknown image kind), with its code.
    pub fn invalid_input(code: &str, message: impl Into<String>) -> Self {
        Self {
            kind: ErrorKind::InvalidInput,
            code: code.to_owned(),
            message: message.into(),
            violations: Vec::new(),
        }
    }
}

impl From<&Error> for PublicError {
    fn from(e: &Error) -> Self {
        let kind = match e {
            Error::Json(_) | Error::Scenario(_) | Error::Image(_) | Error::Mrz(_) => {
                ErrorKind::InvalidInput
            }
            Error::Session(
                crate::session::SessionError::BadCapture { .. }
                | crate::session::SessionError::BadDecision(_)
                | crate::session::SessionError::SealKeyLength(_),
            ) => ErrorKind::InvalidInput,
            Error::Model(_) => ErrorKind::ModelUnavailable,
            _ => ErrorKind::Other,
        };
        let violations = match e {
            Error::Scenario(s) => s.violations(),
            _ => Vec::new(),
        };
        Self {
            kind,
            code: e.code().to_owned(),
            message: e.to_string(),
            violations,
        }
    }
}

impl From<Error> for PublicError {
    fn from(e: Error) -> Self {
        Self::from(&e)
    }
}

macro_rules! via_core_error {
    ($($t:ty),*) => {$(
        impl From<$t> for PublicError {
            fn from(e: $t) -> Self {
                Self::from(Error::from(e))
            }
        }
    )*};
}
via_core_error!(
    crate::scenario::ScenarioError,
    crate::json::JsonError,
    crate::image::ImageError,
    crate::document::mrz::MrzError,
    crate::model::ModelError,
    crate::callback::CallbackError,
    crate::history::HistoryError,
    crate::session::SessionError
);

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn kinds_follow_what_the_caller_does() {
        let scenario = crate::Scenario::from_json("{\"id\": 3}").unwrap_err();
        let e = PublicError::from(scenario);
        assert_eq!(e.kind, ErrorKind::InvalidInput);
        assert_eq!(e.code, "json.invalid_type");
        assert_eq!(e.violations[0].path, "$.id");
        let e = PublicError::from(crate::model::ModelError::NoSource);
        assert_eq!(e.kind, ErrorKind::ModelUnavailable);
        let e = PublicError::from(crate::session::SessionError::Frozen);
        assert_eq!(
            (e.kind, e.code.as_str()),
            (ErrorKind::Other, "session.frozen")
        );
    }
}
