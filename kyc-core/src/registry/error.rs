//! Why a registry check could not be started, completed or loaded.

/// Registry errors.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum RegistryError {
    /// A timeout outside 1 s to 24 h.
    #[error("registry timeout of {0} s is outside 1 s to 24 h")]
    TimeoutOutOfRange(i64),
    /// More checks pending for one session than allowed.
    #[error("too many pending registry checks ({0})")]
    TooManyPending(usize),
    /// No pending check has this ticket.
    #[error("unknown registry ticket")]
    UnknownTicket,
    /// The answer came after the check timed out; it was recorded as unavailable then.
    #[error("registry answer arrived after its deadline")]
    Late,
    /// The session is not the one the ticket was issued for.
    #[error("registry ticket belongs to another session")]
    SessionMismatch,
    /// The document lacks what the source looks up.
    #[error("document lacks {0}")]
    MissingInput(&'static str),
    /// A source that failed on its own terms.
    #[error("registry source failed: {0}")]
    Source(String),
    /// An invalid-passport list over its row limit.
    #[error("list has more than {0} rows")]
    TooManyRows(u64),
    /// Reading a list failed.
    #[error("reading the list failed: {0}")]
    Io(String),
}

impl RegistryError {
    /// The stable code.
    pub fn code(&self) -> &'static str {
        match self {
            Self::TimeoutOutOfRange(_) => "registry.timeout_out_of_range",
            Self::TooManyPending(_) => "registry.too_many_pending",
            Self::UnknownTicket => "registry.unknown_ticket",
            Self::Late => "registry.late",
            Self::SessionMismatch => "registry.session_mismatch",
            Self::MissingInput(_) => "registry.missing_input",
            Self::Source(_) => "registry.source",
            Self::TooManyRows(_) => "registry.too_many_rows",
            Self::Io(_) => "registry.io",
        }
    }
}

impl From<std::io::Error> for RegistryError {
    fn from(e: std::io::Error) -> Self {
        Self::Io(e.to_string())
    }
}

impl From<csv::Error> for RegistryError {
    fn from(e: csv::Error) -> Self {
        Self::Io(e.to_string())
    }
}
