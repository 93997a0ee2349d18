//! The check catalogue: every check the engine can report, defined once.

use super::{CheckOutcome, CheckResult};

/// Check ids whose failure is a hit in the scenario's blacklist.
const BLACKLIST_CHECKS: &[&str] = &["selfie.blacklist"];

/// Whether `check` is a failed blacklist search: the face is on the scenario's blacklist.
pub fn is_blacklist_hit(check: &CheckResult) -> bool {
    check.outcome == CheckOutcome::Failed && BLACKLIST_CHECKS.contains(&check.check.as_str())
}
