//! The console's errors: each with a stable code, a message for people, and the HTTP status the
//! pages answer with. Messages never carry secrets, tokens or personal data.

use kyc_core::facade::PublicError;

/// What went wrong in the console.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum ConsoleError {
    /// The database refused or failed.
    #[error("database: {0}")]
    Db(String),
    /// Two writers raced for the same row; the caller may try again.
    #[error("the record changed meanwhile; try again")]
    Conflict,
    /// Nothing with that id.
    #[error("not found: {0}")]
    NotFound(String),
    /// Input to fix, with the core's (or the console's) stable code.
    #[error("{message}")]
    Invalid {
        /// Stable code.
        code: String,
        /// For people.
        message: String,
    },
    /// The engine refused (its public error, violations included).
    #[error("{0}")]
    Engine(PublicError),
    /// Not signed in, a bad CSRF token, or a bad link token.
    #[error("{0}")]
    Forbidden(&'static str),
    /// An upload over its bound.
    #[error("upload over {limit} bytes")]
    TooLarge {
        /// The bound.
        limit: usize,
    },
    /// Anything else (a worker thread that ended, an I/O failure).
    #[error("{0}")]
    Internal(String),
}

impl ConsoleError {
    /// The stable code.
    pub fn code(&self) -> String {
        match self {
            Self::Db(_) => "console.db".to_owned(),
            Self::Conflict => "console.conflict".to_owned(),
            Self::NotFound(_) => "console.not_found".to_owned(),
            Self::Invalid { code, .. } => code.clone(),
            Self::Engine(e) => e.code.clone(),
            Self::Forbidden(_) => "console.forbidden".to_owned(),
            Self::TooLarge { .. } => "console.too_large".to_owned(),
            Self::Internal(_) => "console.internal".to_owned(),
        }
    }

    /// An input error.
    pub fn invalid(code: &str, message: impl Into<String>) -> Self {
        Self::Invalid {
            code: code.to_owned(),
            message: message.into(),
        }
    }

    /// The HTTP status for it.
    pub fn status(&self) -> u16 {
        match self {
            Self::Db(_) | Self::Internal(_) => 500,
            Self::Conflict => 409,
            Self::NotFound(_) => 404,
            Self::Invalid { .. } => 400,
            Self::Engine(e) => match e.kind {
                kyc_core::facade::ErrorKind::InvalidInput => 400,
                kyc_core::facade::ErrorKind::ModelUnavailable => 503,
                kyc_core::facade::ErrorKind::Other => 409,
            },
            Self::Forbidden(_) => 403,
            Self::TooLarge { .. } => 413,
        }
    }
}

impl From<PublicError> for ConsoleError {
    fn from(e: PublicError) -> Self {
        Self::Engine(e)
    }
}

impl From<kyc_core::Error> for ConsoleError {
    fn from(e: kyc_core::Error) -> Self {
        Self::Engine(PublicError::from(e))
    }
}

impl From<kyc_core::link::LinkError> for ConsoleError {
    fn from(e: kyc_core::link::LinkError) -> Self {
        match e {
            kyc_core::link::LinkError::Store(m) => Self::Db(m),
            other => Self::invalid(other.code(), other.to_string()),
        }
    }
}

impl From<kyc_core::report::ReportError> for ConsoleError {
    fn from(e: kyc_core::report::ReportError) -> Self {
        Self::invalid(e.code(), e.to_string())
    }
}

impl From<kyc_core::scenario::ScenarioError> for ConsoleError {
    fn from(e: kyc_core::scenario::ScenarioError) -> Self {
        Self::Engine(PublicError::from(e))
    }
}

impl From<rusqlite::Error> for ConsoleError {
    fn from(e: rusqlite::Error) -> Self {
        Self::Db(e.to_string())
    }
}

#[cfg(feature = "postgres")]
impl From<postgres::Error> for ConsoleError {
    fn from(e: postgres::Error) -> Self {
        match e.as_db_error() {
            Some(db) => Self::Db(format!("{}: {}", db.code().code(), db.message())),
            None => Self::Db(e.to_string()),
        }
    }
}

/// The console's result.
pub type Result<T, E = ConsoleError> = std::result::Result<T, E>;
