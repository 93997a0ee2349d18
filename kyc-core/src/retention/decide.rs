//! What must be purged now.
//!
//! Day-boundary rule: a session of a scenario with `retention_days = N > 0` is due for purging at
//! `created_at + N × 86 400 s` exactly (elapsed 24-hour days in UTC, not calendar days, so neither
//! time zones nor daylight saving move it), and is purged when `now >= due_at`: one second before
//! it is kept, at the instant it is purged. `N = 0` keeps it without limit. The session's status
//! does not matter: data past its retention goes even from an unfinished session.

use std::collections::HashMap;

use jiff::{SignedDuration, Timestamp};
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

use crate::scenario::Scenario;
use crate::session::Session;

/// Seconds in a retention day.
pub const DAY_SECONDS: i64 = 86_400;

/// What to do with one session now.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum RetentionDecision {
    /// Keep it: until `until`, or without limit when `None`.
    Keep {
        /// When it becomes due.
        until: Option<Timestamp>,
    },
    /// Purge it: it was due at `due_at`.
    Purge {
        /// When it became due.
        due_at: Timestamp,
    },
}

/// When a session created at `created_at` is due under `retention_days`, if ever.
pub fn due_at(created_at: Timestamp, retention_days: u32) -> Option<Timestamp> {
    if retention_days == 0 {
        return None;
    }
    let span = SignedDuration::from_secs(i64::from(retention_days) * DAY_SECONDS);
    // Past the end of time: never due.
    created_at.checked_add(span).ok()
}

/// The decision for `session` under `retention_days` at `now`.
pub fn decide(session: &Session, retention_days: u32, now: Timestamp) -> RetentionDecision {
    match due_at(session.created_at, retention_days) {
        Some(due) if now >= due => RetentionDecision::Purge { due_at: due },
        until => RetentionDecision::Keep { until },
    }
}

/// A session to purge.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "snake_case", deny_unknown_fields)]
pub struct PurgeItem {
    /// The session.
    pub session_id: String,
    /// Its scenario.
    pub scenario_id: String,
    /// When it became due.
    pub due_at: Timestamp,
}

/// The sweep's findings.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct PurgeList {
    /// Sessions to purge now, in input order.
    pub due: Vec<PurgeItem>,
    /// Sessions whose scenario is unknown: their retention cannot be known, so they are not listed
    /// for purging; the host decides (e.g. by the deleted scenario's last setting).
    pub unknown_scenario: Vec<String>,
    /// Sessions kept, with the earliest instant one of them becomes due (for scheduling the next
    /// sweep).
    pub next_due: Option<Timestamp>,
}

/// Goes through `sessions` (any iterator: stored sessions can stream through) and lists what must be
/// purged at `now` under each one's scenario.
pub fn due<'a>(
    sessions: impl IntoIterator<Item = &'a Session>,
    scenarios: &[Scenario],
    now: Timestamp,
) -> PurgeList {
    let days: HashMap<&str, u32> = scenarios
        .iter()
        .map(|s| (s.id.as_str(), s.limits.retention_days))
        .collect();
    let mut out = PurgeList::default();
    for session in sessions {
        let Some(&d) = days.get(session.scenario_id.as_str()) else {
            out.unknown_scenario.push(session.id.clone());
            continue;
        };
        match decide(session, d, now) {
            RetentionDecision::Purge { due_at } => out.due.push(PurgeItem {
                session_id: session.id.clone(),
                scenario_id: session.scenario_id.clone(),
                due_at,
            }),
            RetentionDecision::Keep { until: Some(t) } => {
                out.next_due = Some(out.next_due.map_or(t, |n| n.min(t)));
            }
            RetentionDecision::Keep { until: None } => {}
        }
    }
    out
}
