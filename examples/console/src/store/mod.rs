//! The console's storage over [`crate::db`]: one `Store` over a connection pool, its methods
//! grouped by what they keep. Every method is synchronous (the web layer runs them on blocking
//! threads); what must change together changes in one transaction, and rows several processes
//! may race for change by compare-and-set (`UPDATE ... WHERE version = ?` or `WHERE state = ?`).

mod callbacks;
mod faces;
mod history;
mod links;
pub mod operators;
mod retention;
mod scenarios;
pub mod sessions;

pub use callbacks::{Attempt, DeliveryRow, enqueue};
pub use faces::{FaceEntry, SqlFaceLists};
pub use history::SqlHistoryRecords;
pub use links::{LinkRow, SqlLinks};
pub use operators::{AuditEntry, Operator, WebSession};
pub use retention::{RetentionRun, SweepOutcome};
pub use scenarios::ScenarioRow;
pub use sessions::{
    COUNT_CAP as COUNT_CAP_PUB, ReportQuery, SessionRow, StoredImage, fold, index_columns,
    session_row_of,
};

use kyc_core::session::SessionKey;

use crate::db::{Conn, Pool, Value};
use crate::error::Result;

/// The console's storage.
#[derive(Clone, Debug)]
pub struct Store {
    pool: Pool,
    seal: Option<SessionKey>,
}

impl Store {
    /// Opens `url` and brings its schema up to date. Sessions are stored as plain JSON until
    /// [`Store::sealed`] gives a key.
    pub fn open(url: &str) -> Result<Self> {
        let pool = Pool::open(url)?;
        let store = Self { pool, seal: None };
        store.with(|c| crate::db::migrate(c).map(|_| ()))?;
        Ok(store)
    }

    /// The store sealing every session it writes under `key` and loading only sessions whose
    /// seal matches ([`crate::session_key`]).
    pub fn sealed(mut self, key: SessionKey) -> Self {
        self.seal = Some(key);
        self
    }

    /// The key sessions are sealed under, if any: what the free functions of [`sessions`] take.
    pub fn session_key(&self) -> Option<&SessionKey> {
        self.seal.as_ref()
    }

    /// The pool.
    pub fn pool(&self) -> &Pool {
        &self.pool
    }

    /// Runs `f` on a pooled connection.
    pub fn with<T>(&self, f: impl FnOnce(&mut dyn Conn) -> Result<T>) -> Result<T> {
        let mut pooled = self.pool.get()?;
        f(pooled.conn())
    }

    /// Runs `f` in a transaction.
    pub fn tx<T>(&self, f: impl FnOnce(&mut dyn Conn) -> Result<T>) -> Result<T> {
        let mut pooled = self.pool.get()?;
        pooled.conn().transaction(f)
    }

    /// A setting.
    pub fn setting(&self, key: &str) -> Result<Option<String>> {
        self.with(|c| {
            c.query_one("SELECT value FROM settings WHERE key = ?1", &[key.into()])?
                .map(|r| r.text(0))
                .transpose()
        })
    }

    /// Sets `key` unless it is set; returns the value that holds (the first writer's, when two
    /// processes race).
    pub fn setting_or_insert(&self, key: &str, value: &str) -> Result<String> {
        self.with(|c| {
            c.execute(
                "INSERT INTO settings (key, value) VALUES (?1, ?2) ON CONFLICT (key) DO NOTHING",
                &[key.into(), value.into()],
            )?;
            c.query_one("SELECT value FROM settings WHERE key = ?1", &[key.into()])?
                .map(|r| r.text(0))
                .transpose()
                .map(Option::unwrap_or_default)
        })
    }

    /// Sets `key`.
    pub fn set_setting(&self, key: &str, value: &str) -> Result<()> {
        self.with(|c| {
            c.execute(
                "INSERT INTO settings (key, value) VALUES (?1, ?2) ON CONFLICT (key) DO UPDATE SET value = excluded.value",
                &[key.into(), value.into()],
            )
            .map(|_| ())
        })
    }
}

/// The count of rows of a `SELECT COUNT(*)`.
pub(crate) fn count(c: &mut dyn Conn, sql: &str, params: &[Value]) -> Result<i64> {
    Ok(c.query_one(sql, params)?
        .map(|r| r.int(0))
        .transpose()?
        .unwrap_or(0))
}

/// Hash of a bearer value as stored.
pub fn operators_token_hash(token: &str) -> String {
    operators::token_hash(token)
}

/// How long a sign-in cookie lasts, seconds.
pub fn operators_web_session_seconds() -> i64 {
    operators::WEB_SESSION_MS / 1000
}
