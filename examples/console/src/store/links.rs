//! One-time links behind the core's [`LinkStore`]: each move is a compare-and-set
//! (`UPDATE links ... WHERE id = ? AND status = ?`), so however many requests (or processes)
//! open one link at once, exactly one moves it from created to opened. The token itself is never
//! stored; the page that makes a batch shows it once.
//!
//! A person who opened a link gets a capture cookie; only its hash is kept, with the session it
//! reaches and an expiry.

use jiff::Timestamp;
use kyc_core::link::{LinkError, LinkRecord, LinkStatus, LinkStore};

use super::Store;
use crate::db::{Conn, Row, Value};
use crate::error::Result;

/// The core's link store over the console's database; `batch_id` tags the links it inserts.
#[derive(Clone, Debug)]
pub struct SqlLinks {
    store: Store,
    batch_id: String,
}

impl SqlLinks {
    /// Links in `store`, new ones tagged `batch_id`.
    pub fn new(store: Store, batch_id: &str) -> Self {
        Self {
            store,
            batch_id: batch_id.to_owned(),
        }
    }
}

/// A link as listed.
#[derive(Clone, Debug)]
pub struct LinkRow {
    /// The core's record.
    pub record: LinkRecord,
    /// The batch it was made in.
    pub batch_id: String,
}

fn status_word(s: LinkStatus) -> String {
    serde_json::to_value(s)
        .ok()
        .and_then(|v| v.as_str().map(str::to_owned))
        .unwrap_or_default()
}

fn status_of(word: &str) -> std::result::Result<LinkStatus, LinkError> {
    serde_json::from_value(serde_json::Value::String(word.to_owned()))
        .map_err(|_| LinkError::Store(format!("unknown link status {word:?}")))
}

fn ts(ms: i64) -> std::result::Result<Timestamp, LinkError> {
    Timestamp::from_millisecond(ms).map_err(|e| LinkError::Store(e.to_string()))
}

fn record_of(r: &Row) -> std::result::Result<LinkRecord, LinkError> {
    let err = |e: crate::error::ConsoleError| LinkError::Store(e.to_string());
    Ok(LinkRecord {
        link_id: r.text(0).map_err(err)?,
        scenario_id: r.text(1).map_err(err)?,
        status: status_of(&r.text(2).map_err(err)?)?,
        created_at: ts(r.int(3).map_err(err)?)?,
        expires_at: ts(r.int(4).map_err(err)?)?,
        session_id: r.opt_text(5).map_err(err)?,
    })
}

const COLUMNS: &str = "id, scenario_id, status, created_ms, expires_ms, session_id, batch_id";

impl LinkStore for SqlLinks {
    fn insert(&self, record: LinkRecord) -> std::result::Result<(), LinkError> {
        self.store
            .with(|c| {
                c.execute(
                    "INSERT INTO links (id, scenario_id, batch_id, status, created_ms, expires_ms, session_id, updated_ms) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?5)",
                    &[
                        record.link_id.as_str().into(),
                        record.scenario_id.as_str().into(),
                        self.batch_id.as_str().into(),
                        status_word(record.status).into(),
                        Value::Int(record.created_at.as_millisecond()),
                        Value::Int(record.expires_at.as_millisecond()),
                        record.session_id.clone().into(),
                    ],
                )
            })
            .map(|_| ())
            .map_err(|e| LinkError::Store(e.to_string()))
    }

    fn get(&self, link_id: &str) -> std::result::Result<Option<LinkRecord>, LinkError> {
        let row = self
            .store
            .with(|c| {
                c.query_one(
                    &format!("SELECT {COLUMNS} FROM links WHERE id = ?1"),
                    &[link_id.into()],
                )
            })
            .map_err(|e| LinkError::Store(e.to_string()))?;
        row.as_ref().map(record_of).transpose()
    }

    fn compare_and_set(
        &self,
        link_id: &str,
        expected: LinkStatus,
        new: LinkRecord,
    ) -> std::result::Result<bool, LinkError> {
        self.store
            .with(|c| {
                c.execute(
                    "UPDATE links SET status = ?1, session_id = ?2, updated_ms = ?3 WHERE id = ?4 AND status = ?5",
                    &[
                        status_word(new.status).into(),
                        new.session_id.clone().into(),
                        crate::now_ms().into(),
                        link_id.into(),
                        status_word(expected).into(),
                    ],
                )
            })
            .map(|n| n == 1)
            .map_err(|e| LinkError::Store(e.to_string()))
    }
}

impl Store {
    /// The newest links (at most `limit`), optionally of one batch.
    pub fn links(&self, batch_id: Option<&str>, limit: i64) -> Result<Vec<LinkRow>> {
        self.with(|c| {
            let rows = match batch_id {
                Some(b) => c.query(
                    &format!("SELECT {COLUMNS} FROM links WHERE batch_id = ?1 ORDER BY created_ms DESC, id LIMIT ?2"),
                    &[b.into(), limit.into()],
                )?,
                None => c.query(
                    &format!("SELECT {COLUMNS} FROM links ORDER BY created_ms DESC, id LIMIT ?1"),
                    &[limit.into()],
                )?,
            };
            rows.iter()
                .map(|r| {
                    Ok(LinkRow {
                        record: record_of(r)?,
                        batch_id: r.text(6)?,
                    })
                })
                .collect()
        })
    }

    /// Links in all.
    pub fn link_count(&self) -> Result<i64> {
        self.with(|c| super::count(c, "SELECT COUNT(*) FROM links", &[]))
    }

    /// Remembers a capture cookie (by its hash) for `session_id` until `expires_ms`.
    pub fn grant_capture(
        c: &mut dyn Conn,
        token_hash: &str,
        session_id: &str,
        expires_ms: i64,
    ) -> Result<()> {
        c.execute(
            "INSERT INTO capture_grants (token_hash, session_id, expires_ms) VALUES (?1, ?2, ?3)",
            &[token_hash.into(), session_id.into(), expires_ms.into()],
        )?;
        Ok(())
    }

    /// The session a capture cookie (by its hash) reaches, while it has not expired.
    pub fn capture_session(&self, token_hash: &str, now_ms: i64) -> Result<Option<String>> {
        self.with(|c| {
            c.query_one(
                "SELECT session_id FROM capture_grants WHERE token_hash = ?1 AND expires_ms > ?2",
                &[token_hash.into(), now_ms.into()],
            )?
            .map(|r| r.text(0))
            .transpose()
        })
    }
}
