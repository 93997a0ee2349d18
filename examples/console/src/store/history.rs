//! The history of approved documents in the database, behind the core's [`HistoryRecords`]: keyed
//! hashes and dates only (the core's `KeyedHistoryStore` does the hashing under the tenant key).

use kyc_core::history::{HistoryError, HistoryRecord, HistoryRecords};

use super::Store;
use crate::db::Value;

/// History records in the console's database.
#[derive(Clone, Debug)]
pub struct SqlHistoryRecords {
    store: Store,
}

impl SqlHistoryRecords {
    /// Records in `store`.
    pub fn new(store: Store) -> Self {
        Self { store }
    }
}

fn store_error(e: impl std::fmt::Display) -> HistoryError {
    HistoryError::Store(e.to_string())
}

fn date(text: Option<String>) -> Result<Option<jiff::civil::Date>, HistoryError> {
    text.map(|t| t.parse().map_err(store_error)).transpose()
}

impl HistoryRecords for SqlHistoryRecords {
    fn get(&self, who: [u8; 32]) -> Result<Option<HistoryRecord>, HistoryError> {
        let row = self
            .store
            .with(|c| {
                c.query_one(
                    "SELECT fingerprint, issued, expires FROM history_records WHERE who = ?1",
                    &[Value::Blob(who.to_vec())],
                )
            })
            .map_err(store_error)?;
        let Some(r) = row else { return Ok(None) };
        let fingerprint: [u8; 32] = r
            .blob(0)
            .map_err(store_error)?
            .try_into()
            .map_err(|_| HistoryError::Store("fingerprint is not 32 bytes".to_owned()))?;
        Ok(Some(HistoryRecord {
            fingerprint,
            issued: date(r.opt_text(1).map_err(store_error)?)?,
            expires: date(r.opt_text(2).map_err(store_error)?)?,
        }))
    }

    fn put(&self, who: [u8; 32], record: HistoryRecord) -> Result<(), HistoryError> {
        self.store
            .with(|c| {
                c.execute(
                    "INSERT INTO history_records (who, fingerprint, issued, expires, updated_ms) VALUES (?1, ?2, ?3, ?4, ?5) ON CONFLICT (who) DO UPDATE SET fingerprint = excluded.fingerprint, issued = excluded.issued, expires = excluded.expires, updated_ms = excluded.updated_ms",
                    &[
                        Value::Blob(who.to_vec()),
                        Value::Blob(record.fingerprint.to_vec()),
                        record.issued.map(|d| d.to_string()).into(),
                        record.expires.map(|d| d.to_string()).into(),
                        crate::now_ms().into(),
                    ],
                )
            })
            .map(|_| ())
            .map_err(store_error)
    }
}

impl Store {
    /// People in the history.
    pub fn history_count(&self) -> crate::error::Result<i64> {
        self.with(|c| super::count(c, "SELECT COUNT(*) FROM history_records", &[]))
    }
}
