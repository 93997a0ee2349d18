//! Purging a session: the personal data and images go, an anonymised audit record stays.
//!
//! The audit record keeps what the verification was and how it was decided: ids, times, statuses
//! and reason codes, each check's id, outcome and reason code, operators' decisions (who, what,
//! when; not their free-text reasons, which may quote the person), database checks' outcomes, and
//! the document type. It drops every document field, the issuing state, scores, check messages,
//! selfie measurements and face templates. The engine never holds image bytes; the purge lists the
//! images the host must delete.

use jiff::Timestamp;
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

use crate::analysis::ImageKind;
use crate::check::CheckOutcome;
use crate::scenario::DocumentType;
use crate::session::{CaptureOutcome, Decider, Session, SessionStatus};

/// Bumped on any change a strict reader would notice.
pub const AUDIT_SCHEMA_VERSION: u32 = 1;

/// One check, anonymised.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "snake_case", deny_unknown_fields)]
pub struct AuditCheck {
    /// Check id.
    pub check: String,
    /// Outcome.
    pub outcome: CheckOutcome,
    /// Stable reason.
    pub reason_code: String,
}

/// One capture, anonymised.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "snake_case", deny_unknown_fields)]
pub struct AuditCapture {
    /// The step.
    pub step_id: String,
    /// 1-based attempt.
    pub attempt: u32,
    /// When.
    pub at: Timestamp,
    /// Outcome.
    pub outcome: CaptureOutcome,
    /// Deciding reason.
    pub reason_code: String,
    /// Its checks.
    pub checks: Vec<AuditCheck>,
}

/// An operator's decision, without the free-text reason.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "snake_case", deny_unknown_fields)]
pub struct AuditDecision {
    /// Who.
    pub operator_id: String,
    /// What.
    pub decision: SessionStatus,
    /// When.
    pub at: Timestamp,
}

/// A database check, anonymised.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "snake_case", deny_unknown_fields)]
pub struct AuditDatabaseCheck {
    /// Which database.
    pub source: String,
    /// The check.
    pub check: AuditCheck,
    /// When it arrived.
    pub received_at: Timestamp,
}

/// What stays of a purged session.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "snake_case", deny_unknown_fields)]
pub struct AuditRecord {
    /// [`AUDIT_SCHEMA_VERSION`].
    pub schema_version: u32,
    /// The session.
    pub session_id: String,
    /// Its scenario.
    pub scenario_id: String,
    /// `api`, `link` or `manual`.
    pub origin: String,
    /// Opened.
    pub created_at: Timestamp,
    /// Last changed.
    pub updated_at: Timestamp,
    /// Purged.
    pub purged_at: Timestamp,
    /// Final (or last) status.
    pub status: SessionStatus,
    /// Its reason.
    pub status_reason: String,
    /// Who decided.
    pub decided_by: Decider,
    /// The document's type, when one was read.
    pub document_type: Option<DocumentType>,
    /// Every capture.
    pub captures: Vec<AuditCapture>,
    /// Operators' decisions.
    pub manual_decisions: Vec<AuditDecision>,
    /// Database checks.
    pub database_checks: Vec<AuditDatabaseCheck>,
}

/// An image the host must delete.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "snake_case", deny_unknown_fields)]
pub struct ImageRef {
    /// The step.
    pub step_id: String,
    /// 1-based attempt.
    pub attempt: u32,
    /// Which image of the capture.
    pub kind: ImageKind,
}

/// The outcome of a purge: keep `audit`, delete the session and `images`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Purged {
    /// The anonymised record.
    pub audit: AuditRecord,
    /// Images to delete from the host's storage.
    pub images: Vec<ImageRef>,
}

fn audit_check(c: &crate::check::CheckResult) -> AuditCheck {
    AuditCheck {
        check: c.check.clone(),
        outcome: c.outcome,
        reason_code: c.reason_code.clone(),
    }
}

/// Anonymises `session` at `now`. The host then replaces the stored session with the audit record
/// and deletes the listed images.
pub fn purge(session: &Session, now: Timestamp) -> Purged {
    let mut captures = Vec::new();
    let mut images = Vec::new();
    for step in &session.steps {
        for (i, c) in step.captures.iter().enumerate() {
            let attempt = u32::try_from(i + 1).unwrap_or(u32::MAX);
            captures.push(AuditCapture {
                step_id: step.step_id.clone(),
                attempt,
                at: c.at,
                outcome: c.outcome,
                reason_code: c.reason_code.clone(),
                checks: c.checks.iter().map(audit_check).collect(),
            });
            images.extend(c.images.iter().map(|kind| ImageRef {
                step_id: step.step_id.clone(),
                attempt,
                kind: *kind,
            }));
        }
    }
    let origin = match session.origin {
        crate::session::Origin::Api => "api",
        crate::session::Origin::Link { .. } => "link",
        crate::session::Origin::Manual { .. } => "manual",
    };
    Purged {
        audit: AuditRecord {
            schema_version: AUDIT_SCHEMA_VERSION,
            session_id: session.id.clone(),
            scenario_id: session.scenario_id.clone(),
            origin: origin.to_owned(),
            created_at: session.created_at,
            updated_at: session.updated_at,
            purged_at: now,
            status: session.status,
            status_reason: session.status_reason.clone(),
            decided_by: session.decider(),
            document_type: session.document().and_then(|d| d.document_type),
            captures,
            manual_decisions: session
                .manual_decisions
                .iter()
                .map(|d| AuditDecision {
                    operator_id: d.operator_id.clone(),
                    decision: d.decision,
                    at: d.at,
                })
                .collect(),
            database_checks: session
                .database_checks
                .iter()
                .map(|d| AuditDatabaseCheck {
                    source: d.source.clone(),
                    check: audit_check(&d.result),
                    received_at: d.received_at,
                })
                .collect(),
        },
        images,
    }
}
