//! The callback outbox: each notification the core builds is a delivery row, inserted in the
//! same transaction as the session change that called for it (its `webhook_id`, the core's
//! idempotency key, is unique, so it is queued once). Workers in any process claim due rows by
//! compare-and-set on a lease, send, and record every attempt.

use super::Store;
use crate::db::Value;
use crate::error::Result;

/// A delivery as listed.
#[derive(Clone, Debug, serde::Serialize)]
pub struct DeliveryRow {
    /// Row id.
    pub id: i64,
    /// `webhook-id`.
    pub webhook_id: String,
    /// The scenario.
    pub scenario_id: String,
    /// The session.
    pub session_id: String,
    /// The triggering event's seq.
    pub seq: i64,
    /// `pending`, `delivered`, `failed` (no attempt left) or `gave_up` (410).
    pub state: String,
    /// Attempts made.
    pub attempts: i64,
    /// When the next attempt is due (Unix ms).
    pub next_at_ms: i64,
    /// The notification JSON (its body before signing and encryption).
    #[serde(skip)]
    pub notification: String,
    /// Lease held until (Unix ms), for the claim's compare-and-set.
    #[serde(skip)]
    pub lease_until_ms: i64,
}

/// One attempt.
#[derive(Clone, Debug, serde::Serialize)]
pub struct Attempt {
    /// The delivery.
    pub delivery_id: i64,
    /// 1-based.
    pub attempt: i64,
    /// When (Unix ms).
    pub at_ms: i64,
    /// The receiver's HTTP status, when it answered.
    pub http_status: Option<i64>,
    /// `delivered`, `retry`, `gave_up`.
    pub outcome: String,
    /// A network error, when there was one.
    pub error: String,
    /// How long it took.
    pub duration_ms: i64,
}

const COLUMNS: &str = "id, webhook_id, scenario_id, session_id, seq, state, attempts, next_at_ms, notification, lease_until_ms";

fn row_of(r: &crate::db::Row) -> Result<DeliveryRow> {
    Ok(DeliveryRow {
        id: r.int(0)?,
        webhook_id: r.text(1)?,
        scenario_id: r.text(2)?,
        session_id: r.text(3)?,
        seq: r.int(4)?,
        state: r.text(5)?,
        attempts: r.int(6)?,
        next_at_ms: r.int(7)?,
        notification: r.text(8)?,
        lease_until_ms: r.int(9)?,
    })
}

/// Queues a notification on `c` (inside the session's transaction); a repeated `webhook_id` is
/// ignored.
pub fn enqueue(
    c: &mut dyn crate::db::Conn,
    notification: &kyc_core::callback::Notification,
) -> Result<()> {
    let now = crate::now_ms();
    c.execute(
        "INSERT INTO callback_deliveries (webhook_id, scenario_id, session_id, seq, notification, state, attempts, next_at_ms, lease_until_ms, created_ms, updated_ms) VALUES (?1, ?2, ?3, ?4, ?5, 'pending', 0, ?6, 0, ?6, ?6) ON CONFLICT (webhook_id) DO NOTHING",
        &[
            notification.idempotency_key.as_str().into(),
            notification.scenario_id.as_str().into(),
            notification.session_id.as_str().into(),
            Value::Int(i64::try_from(notification.seq).unwrap_or(i64::MAX)),
            notification.to_json().into(),
            now.into(),
        ],
    )?;
    Ok(())
}

impl Store {
    /// Claims up to `limit` due deliveries for `lease_ms`: each is claimed by one worker only.
    pub fn claim_deliveries(
        &self,
        now_ms: i64,
        lease_ms: i64,
        limit: i64,
    ) -> Result<Vec<DeliveryRow>> {
        let candidates = self.with(|c| {
            c.query(
                &format!("SELECT {COLUMNS} FROM callback_deliveries WHERE state = 'pending' AND next_at_ms <= ?1 AND lease_until_ms <= ?1 ORDER BY next_at_ms LIMIT ?2"),
                &[now_ms.into(), limit.into()],
            )?
            .iter()
            .map(row_of)
            .collect::<Result<Vec<_>>>()
        })?;
        let mut claimed = Vec::new();
        for d in candidates {
            let won = self.with(|c| {
                Ok(c.execute(
                    "UPDATE callback_deliveries SET lease_until_ms = ?1 WHERE id = ?2 AND lease_until_ms = ?3 AND state = 'pending'",
                    &[(now_ms + lease_ms).into(), d.id.into(), d.lease_until_ms.into()],
                )? == 1)
            })?;
            if won {
                claimed.push(d);
            }
        }
        Ok(claimed)
    }

    /// Records an attempt and where the delivery stands after it.
    pub fn record_attempt(&self, attempt: &Attempt, state: &str, next_at_ms: i64) -> Result<()> {
        self.tx(|c| {
            c.execute(
                "INSERT INTO callback_attempts (delivery_id, attempt, at_ms, http_status, outcome, error, duration_ms) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
                &[
                    attempt.delivery_id.into(),
                    attempt.attempt.into(),
                    attempt.at_ms.into(),
                    attempt.http_status.into(),
                    attempt.outcome.as_str().into(),
                    attempt.error.as_str().into(),
                    attempt.duration_ms.into(),
                ],
            )?;
            c.execute(
                "UPDATE callback_deliveries SET state = ?1, attempts = ?2, next_at_ms = ?3, lease_until_ms = 0, updated_ms = ?4 WHERE id = ?5",
                &[
                    state.into(),
                    attempt.attempt.into(),
                    next_at_ms.into(),
                    attempt.at_ms.into(),
                    attempt.delivery_id.into(),
                ],
            )?;
            Ok(())
        })
    }

    /// The newest deliveries (at most `limit`), optionally of one session.
    pub fn deliveries(&self, session_id: Option<&str>, limit: i64) -> Result<Vec<DeliveryRow>> {
        self.with(|c| {
            let rows = match session_id {
                Some(s) => c.query(
                    &format!("SELECT {COLUMNS} FROM callback_deliveries WHERE session_id = ?1 ORDER BY id DESC LIMIT ?2"),
                    &[s.into(), limit.into()],
                )?,
                None => c.query(
                    &format!("SELECT {COLUMNS} FROM callback_deliveries ORDER BY id DESC LIMIT ?1"),
                    &[limit.into()],
                )?,
            };
            rows.iter().map(row_of).collect()
        })
    }

    /// The attempts of a delivery, oldest first.
    pub fn attempts(&self, delivery_id: i64) -> Result<Vec<Attempt>> {
        self.with(|c| {
            c.query(
                "SELECT delivery_id, attempt, at_ms, http_status, outcome, error, duration_ms FROM callback_attempts WHERE delivery_id = ?1 ORDER BY id",
                &[delivery_id.into()],
            )?
            .iter()
            .map(|r| {
                Ok(Attempt {
                    delivery_id: r.int(0)?,
                    attempt: r.int(1)?,
                    at_ms: r.int(2)?,
                    http_status: r.opt_int(3)?,
                    outcome: r.text(4)?,
                    error: r.text(5)?,
                    duration_ms: r.int(6)?,
                })
            })
            .collect()
        })
    }
}
