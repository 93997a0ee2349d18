//! Session statuses and the transitions allowed between them.

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

/// Where a session stands.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum SessionStatus {
    /// Opened; nothing captured yet.
    Created,
    /// At least one capture made; steps remain.
    InProgress,
    /// Every step passed (or an operator approved).
    Approved,
    /// A step ran out of attempts, a check ruled the person out, or an operator declined.
    Declined,
    /// Fraud: too many critical errors, a blacklist hit, or an operator's block.
    Blocked,
    /// The lifetime ran out before the end; takes no new images.
    Frozen,
    /// Every step is done but some evidence was unavailable: an operator decides.
    ManualReview,
    /// Every step is done; registry checks the scenario requires have not answered yet and their
    /// deadline has not passed. Takes no new images.
    AwaitingDatabaseChecks,
}

impl SessionStatus {
    /// Approved, declined and blocked are final: nothing moves the session after them.
    pub fn is_final(self) -> bool {
        matches!(self, Self::Approved | Self::Declined | Self::Blocked)
    }

    /// Whether the person may still submit captures.
    pub fn accepts_captures(self) -> bool {
        matches!(self, Self::Created | Self::InProgress)
    }

    /// Whether an operator's decision may be applied now.
    pub fn accepts_manual_decision(self) -> bool {
        !self.is_final()
    }

    /// Whether the engine may move from `self` to `to` by itself. Operators' decisions are checked
    /// by [`Self::accepts_manual_decision`] instead.
    pub fn can_move_to(self, to: SessionStatus) -> bool {
        use SessionStatus::*;
        matches!(
            (self, to),
            (Created, InProgress)
                | (Created | InProgress, Frozen)
                | (
                    Created | InProgress,
                    Approved | Declined | Blocked | ManualReview | AwaitingDatabaseChecks
                )
                | (
                    AwaitingDatabaseChecks,
                    Approved | Declined | Blocked | ManualReview
                )
        )
    }

    /// The status as its JSON word.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Created => "created",
            Self::InProgress => "in_progress",
            Self::Approved => "approved",
            Self::Declined => "declined",
            Self::Blocked => "blocked",
            Self::Frozen => "frozen",
            Self::ManualReview => "manual_review",
            Self::AwaitingDatabaseChecks => "awaiting_database_checks",
        }
    }
}

impl std::fmt::Display for SessionStatus {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

#[cfg(test)]
mod tests {
    use super::SessionStatus::{self, *};

    const ALL: [SessionStatus; 8] = [
        Created,
        InProgress,
        Approved,
        Declined,
        Blocked,
        Frozen,
        ManualReview,
        AwaitingDatabaseChecks,
    ];

    #[test]
    fn nothing_leaves_a_final_status() {
        for from in ALL.into_iter().filter(|s| s.is_final()) {
            assert!(!from.accepts_captures());
            assert!(!from.accepts_manual_decision());
            for to in ALL {
                assert!(!from.can_move_to(to), "{from} -> {to}");
            }
        }
    }

    #[test]
    fn frozen_and_review_wait_for_an_operator() {
        for from in [Frozen, ManualReview] {
            assert!(!from.accepts_captures());
            assert!(from.accepts_manual_decision());
            assert!(ALL.iter().all(|to| !from.can_move_to(*to)));
        }
    }

    #[test]
    fn waiting_for_registries_takes_no_images_and_never_freezes() {
        assert!(!AwaitingDatabaseChecks.accepts_captures());
        assert!(AwaitingDatabaseChecks.accepts_manual_decision());
        assert!(!AwaitingDatabaseChecks.can_move_to(Frozen));
        assert!(!AwaitingDatabaseChecks.can_move_to(InProgress));
        for to in [Approved, Declined, Blocked, ManualReview] {
            assert!(AwaitingDatabaseChecks.can_move_to(to));
        }
    }

    #[test]
    fn no_status_moves_to_itself_or_back_to_created() {
        for s in ALL {
            assert!(!s.can_move_to(s));
            assert!(!s.can_move_to(Created));
        }
    }
}
