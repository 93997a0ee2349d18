//! Why the history store refused.

/// History store errors. Messages never carry keys or personal data.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum HistoryError {
    /// The tenant key is shorter than 32 bytes or longer than 512.
    #[error("history key must be 32 to 512 bytes, got {0}")]
    KeyLength(usize),
    /// The in-memory store holds as many people as it may.
    #[error("history store is full ({0} entries)")]
    Full(usize),
    /// The host's store failed.
    #[error("history store: {0}")]
    Store(String),
}

impl HistoryError {
    /// The stable code.
    pub fn code(&self) -> &'static str {
        match self {
            Self::KeyLength(_) => "history.key_length",
            Self::Full(_) => "history.full",
            Self::Store(_) => "history.store",
        }
    }
}
