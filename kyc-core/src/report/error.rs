//! Why a report could not be made.

/// Report errors.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum ReportError {
    /// A filter that cannot be applied (empty field name, `from` after `to`, ...).
    #[error("invalid filter: {0}")]
    InvalidFilter(String),
    /// A page larger than [`super::MAX_PAGE_SIZE`].
    #[error("page size {0} is over the limit")]
    PageTooLarge(usize),
    /// A stored session that could not be read.
    #[error("session line {line}: {code}: {message}")]
    BadSession {
        /// 1-based line (or position) of the session in the input.
        line: u64,
        /// The JSON error's code.
        code: &'static str,
        /// What was wrong.
        message: String,
    },
    /// Writing the export failed.
    #[error("write failed: {0}")]
    Io(String),
}

impl ReportError {
    /// The stable code.
    pub fn code(&self) -> &'static str {
        match self {
            Self::InvalidFilter(_) => "report.invalid_filter",
            Self::PageTooLarge(_) => "report.page_too_large",
            Self::BadSession { .. } => "report.bad_session",
            Self::Io(_) => "report.io",
        }
    }
}

impl From<std::io::Error> for ReportError {
    fn from(e: std::io::Error) -> Self {
        Self::Io(e.to_string())
    }
}

impl From<csv::Error> for ReportError {
    fn from(e: csv::Error) -> Self {
        Self::Io(e.to_string())
    }
}
