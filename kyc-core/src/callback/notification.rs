//! Notifications: what the customer's backend is told, built from session events according to the
//! scenario's callback modes.
//!
//! | mode | what is sent |
//! | --- | --- |
//! | default | every status change (including `created`), each with the full result |
//! | `statuses_only` | the same notifications with status, reason code and ids only: no result, no personal field |
//! | `final_only` | only changes to a final status (`approved`, `declined`, `blocked`) |
//! | `database_checks_as_ready` | also one notification per database check as it arrives (regardless of `final_only`) |
//!
//! Notifications of one session are ordered by `seq` (the triggering event's sequence number, so
//! increasing but with gaps); `idempotency_key` is derived from the ids and `seq`, the same each time
//! the notification is built, and is sent as `webhook-id`.

use jiff::Timestamp;
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};

use crate::check::CheckOutcome;
use crate::result::VerificationResult;
use crate::scenario::Scenario;
use crate::session::{EventKind, Session, SessionEvent, SessionStatus};

/// Bumped on any change a strict reader would notice.
pub const NOTIFICATION_SCHEMA_VERSION: u32 = 1;

/// What a notification is about.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum NotificationKind {
    /// The session's status changed (or it was created).
    Status,
    /// A database (registry) check arrived.
    DatabaseCheck,
}

/// A database check as a notification states it: no message and no score, which could quote
/// personal data.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "snake_case", deny_unknown_fields)]
pub struct DatabaseCheckSummary {
    /// Which database.
    pub source: String,
    /// The check id.
    pub check: String,
    /// How it came out.
    pub outcome: CheckOutcome,
    /// Stable reason.
    pub reason_code: String,
    /// When it arrived.
    pub received_at: Timestamp,
}

/// One notification to the customer's backend.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "snake_case", deny_unknown_fields)]
pub struct Notification {
    /// [`NOTIFICATION_SCHEMA_VERSION`].
    pub schema_version: u32,
    /// Stable across rebuilds and retries; also the `webhook-id`.
    pub idempotency_key: String,
    /// What it is about.
    pub kind: NotificationKind,
    /// The scenario.
    pub scenario_id: String,
    /// The session.
    pub session_id: String,
    /// The triggering event's sequence number: order notifications of a session by it.
    pub seq: u64,
    /// When the event happened.
    pub at: Timestamp,
    /// The status the event moved to (for a database check: the session's status when built).
    pub status: SessionStatus,
    /// Why, as a stable code.
    pub reason_code: String,
    /// Whether `status` is final.
    pub is_final: bool,
    /// The database check, for [`NotificationKind::DatabaseCheck`].
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub database_check: Option<DatabaseCheckSummary>,
    /// The full result (the session as it stands when built); never in `statuses_only` mode.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub result: Option<VerificationResult>,
}

impl Notification {
    /// Compact JSON, the body that is signed (and encrypted).
    pub fn to_json(&self) -> String {
        serde_json::to_string(self).unwrap_or_default()
    }
}

/// The notifications `events` call for under `scenario`'s callback modes, in `seq` order. Events
/// of other sessions are ignored; a scenario without a callback yields none.
///
/// Hosts call this after each engine operation with the events the observer received; in full mode
/// the result is built from `session` as it stands then.
pub fn notifications(
    scenario: &Scenario,
    session: &Session,
    events: &[SessionEvent],
) -> Vec<Notification> {
    let Some(config) = &scenario.callback else {
        return Vec::new();
    };
    let mut mine: Vec<&SessionEvent> = events
        .iter()
        .filter(|e| e.session_id == session.id)
        .collect();
    mine.sort_by_key(|e| e.seq);
    mine.dedup_by_key(|e| e.seq);

    let mut result: Option<VerificationResult> = None;
    let mut full_result = || -> Option<VerificationResult> {
        if config.statuses_only {
            return None;
        }
        Some(
            result
                .get_or_insert_with(|| VerificationResult::build(scenario, session))
                .clone(),
        )
    };

    let mut out = Vec::new();
    for event in mine {
        let (kind, status, reason_code, database_check) = match &event.kind {
            EventKind::Created { .. } if !config.final_only => (
                NotificationKind::Status,
                SessionStatus::Created,
                "session.created".to_owned(),
                None,
            ),
            EventKind::StatusChanged {
                to, reason_code, ..
            } if !config.final_only || to.is_final() => {
                (NotificationKind::Status, *to, reason_code.clone(), None)
            }
            EventKind::DatabaseCheckRecorded { check } if config.database_checks_as_ready => (
                NotificationKind::DatabaseCheck,
                session.status,
                check.result.reason_code.clone(),
                Some(DatabaseCheckSummary {
                    source: check.source.clone(),
                    check: check.result.check.clone(),
                    outcome: check.result.outcome,
                    reason_code: check.result.reason_code.clone(),
                    received_at: check.received_at,
                }),
            ),
            _ => continue,
        };
        out.push(Notification {
            schema_version: NOTIFICATION_SCHEMA_VERSION,
            idempotency_key: idempotency_key(&scenario.id, &session.id, event.seq, kind),
            kind,
            scenario_id: scenario.id.clone(),
            session_id: session.id.clone(),
            seq: event.seq,
            at: event.at,
            status,
            reason_code,
            is_final: status.is_final(),
            database_check,
            result: full_result(),
        });
    }
    out
}

/// `ntf_` and 32 hex digits of SHA-256 over the length-prefixed ids, `seq` and kind.
pub fn idempotency_key(
    scenario_id: &str,
    session_id: &str,
    seq: u64,
    kind: NotificationKind,
) -> String {
    let mut h = Sha256::new();
    h.update(b"kyc.notification.v1");
    for part in [scenario_id.as_bytes(), session_id.as_bytes()] {
        h.update(u32::try_from(part.len()).unwrap_or(u32::MAX).to_be_bytes());
        h.update(part);
    }
    h.update(seq.to_be_bytes());
    h.update([match kind {
        NotificationKind::Status => 1u8,
        NotificationKind::DatabaseCheck => 2u8,
    }]);
    let digest = h.finalize();
    let mut key = String::with_capacity(36);
    key.push_str("ntf_");
    for b in digest.iter().take(16) {
        key.push_str(&format!("{b:02x}"));
    }
    key
}
