//! The engine's error: one enum over each area's own error, every variant with a stable code.
//!
//! Codes are part of the API: hosts branch on them and bindings carry them across languages.
//! Messages are for people and may change.

use crate::callback::CallbackError;
use crate::history::HistoryError;
use crate::image::ImageError;
use crate::json::JsonError;
use crate::link::LinkError;
use crate::model::ModelError;
use crate::registry::RegistryError;
use crate::report::ReportError;
use crate::scenario::ScenarioError;
use crate::session::SessionError;

/// Anything with a stable error code.
pub trait ErrorCode {
    /// The stable, dotted code, e.g. `json.unknown_field`.
    fn code(&self) -> &'static str;
}

/// Every error the engine returns.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum Error {
    /// JSON input that could not be read.
    #[error(transparent)]
    Json(#[from] JsonError),
    /// A scenario that could not be read or breaks its rules.
    #[error(transparent)]
    Scenario(#[from] ScenarioError),
    /// A session operation that was refused.
    #[error(transparent)]
    Session(#[from] SessionError),
    /// An image refused before analysis.
    #[error(transparent)]
    Image(#[from] ImageError),
    /// MRZ text that could not be read.
    #[error(transparent)]
    Mrz(#[from] crate::document::mrz::MrzError),
    /// A model that could not be loaded or run.
    #[error(transparent)]
    Model(#[from] ModelError),
    /// A callback that could not be prepared, or that a receiver refused.
    #[error(transparent)]
    Callback(#[from] CallbackError),
    /// A one-time link that could not be issued, verified or moved on.
    #[error(transparent)]
    Link(#[from] LinkError),
    /// The history store refused.
    #[error(transparent)]
    History(#[from] HistoryError),
    /// A report that could not be made.
    #[error(transparent)]
    Report(#[from] ReportError),
    /// A registry check that could not be started, completed or loaded.
    #[error(transparent)]
    Registry(#[from] RegistryError),
    /// An AML list that could not be imported.
    #[error(transparent)]
    Aml(#[from] crate::aml::AmlError),
    /// An analyser that failed on its own terms (a model file missing, a runtime error).
    #[error("{message}")]
    Analysis {
        /// Stable code, e.g. `model.hash_mismatch`.
        code: &'static str,
        /// For people.
        message: String,
    },
}

impl ErrorCode for Error {
    fn code(&self) -> &'static str {
        match self {
            Self::Json(e) => e.code(),
            Self::Scenario(e) => e.code(),
            Self::Session(e) => e.code(),
            Self::Image(e) => e.code(),
            Self::Model(e) => e.code(),
            Self::Mrz(e) => e.code(),
            Self::Callback(e) => e.code(),
            Self::Link(e) => e.code(),
            Self::History(e) => e.code(),
            Self::Report(e) => e.code(),
            Self::Registry(e) => e.code(),
            Self::Aml(e) => e.code(),
            Self::Analysis { code, .. } => code,
        }
    }
}

impl Error {
    /// The stable code (also available through [`ErrorCode`]).
    pub fn code(&self) -> &'static str {
        ErrorCode::code(self)
    }
}

macro_rules! impl_error_code {
    ($($t:ty),*) => {$(
        impl ErrorCode for $t {
            fn code(&self) -> &'static str {
                <$t>::code(self)
            }
        }
    )*};
}

impl_error_code!(
    JsonError,
    ScenarioError,
    SessionError,
    ImageError,
    ModelError,
    CallbackError,
    LinkError,
    HistoryError,
    ReportError,
    RegistryError,
    crate::aml::AmlError
);
