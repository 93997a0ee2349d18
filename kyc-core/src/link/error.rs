//! Why a link could not be made, verified or moved on.

use super::LinkStatus;

/// One-time link errors. Messages never quote tokens.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum LinkError {
    /// Not 1 to 1000 links.
    #[error("link count {0} is outside 1 to 1000")]
    CountOutOfRange(u32),
    /// A lifetime outside one minute to 30 days.
    #[error("link lifetime of {seconds} s is outside 60 s to 30 days")]
    LifetimeOutOfRange {
        /// The lifetime asked for.
        seconds: i64,
    },
    /// Not a token: wrong prefix, length, encoding or layout.
    #[error("malformed link token")]
    Malformed,
    /// The token names another scenario.
    #[error("the link belongs to another scenario")]
    ScenarioMismatch,
    /// The token's HMAC does not verify under the scenario's key.
    #[error("link token signature does not verify")]
    BadSignature,
    /// The link's lifetime is over.
    #[error("the link expired")]
    Expired,
    /// The link was already opened once.
    #[error("the link was already used")]
    AlreadyUsed,
    /// The store has no such link.
    #[error("unknown link")]
    Unknown,
    /// The link cannot move from its status to the one asked for.
    #[error("a link cannot move from {from:?} to {to:?}")]
    IllegalTransition {
        /// Its status.
        from: LinkStatus,
        /// The status asked for.
        to: LinkStatus,
    },
    /// The host's store failed.
    #[error("link store: {0}")]
    Store(String),
    /// A cryptographic primitive refused its input (never expected).
    #[error("cryptographic failure")]
    Crypto,
}

impl LinkError {
    /// The stable code.
    pub fn code(&self) -> &'static str {
        match self {
            Self::CountOutOfRange(_) => "link.count_out_of_range",
            Self::LifetimeOutOfRange { .. } => "link.lifetime_out_of_range",
            Self::Malformed => "link.malformed",
            Self::ScenarioMismatch => "link.scenario_mismatch",
            Self::BadSignature => "link.bad_signature",
            Self::Expired => "link.expired",
            Self::AlreadyUsed => "link.already_used",
            Self::Unknown => "link.unknown",
            Self::IllegalTransition { .. } => "link.illegal_transition",
            Self::Store(_) => "link.store",
            Self::Crypto => "link.crypto",
        }
    }
}
