//! History fraud: the same person submitting the same document type with different data.
//!
//! [`KeyedHistoryStore`] implements the engine's [`HistoryStore`]: it keeps, per tenant key, only
//! keyed hashes (HMAC-SHA256): who (document type, normalised full name, birth date) maps to a
//! fingerprint of the document (normalised number, issuing state) and the document's issue and
//! expiry dates, which tell a renewal from another document. No name or number is kept, and
//! without the key the hashes cannot be tested against guesses.
//!
//! The engine checks every document of a step that enables `fraud.block_history_mismatch`, and
//! records a session's document only when the session is approved, and only when the person's
//! name, birth date and the document number were read from an MRZ whose check digits verify
//! (their confidence is 1): a misread, or a document refused for another reason, never becomes
//! the reference. A later document of the same person with other data is:
//! - a **renewal** when its issue date (or, without issue dates, its expiry date) is later than
//!   the reference's: consistent, and it becomes the reference when its session is approved;
//! - a **conflict** otherwise (the engine fails `document.history`, a critical check).
//!
//! Documents that lack the type, a verified name, birth date or number are **incomplete**: the
//! check is unavailable (never a pass) and nothing is recorded.
//!
//! Face templates are not used: an embedding cannot be matched through an exact keyed hash, and
//! keeping templates would keep biometric data.

mod error;
mod keyed;

use std::collections::HashMap;
use std::sync::Mutex;

use jiff::civil::Date;

pub use error::HistoryError;
pub use keyed::{HistoryKey, Keyed, full_name, keyed};

use crate::analysis::{HistoryStore, HistoryVerdict};
use crate::document::DocumentData;
use crate::error::Error;

/// What is kept for one person: the reference document's fingerprint and its dates.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct HistoryRecord {
    /// Keyed hash of the document number and issuing state.
    pub fingerprint: [u8; 32],
    /// The document's issue date, when read.
    pub issued: Option<Date>,
    /// The document's expiry date, when read.
    pub expires: Option<Date>,
}

impl HistoryRecord {
    /// Whether `newer` is a later document than this one: a later issue date when both carry
    /// one, else a later expiry date.
    fn renewed_by(&self, newer: &HistoryRecord) -> bool {
        match (self.issued, newer.issued) {
            (Some(a), Some(b)) => b > a,
            _ => matches!((self.expires, newer.expires), (Some(a), Some(b)) if b > a),
        }
    }
}

/// Where the records live: the host's database, or [`InMemoryHistoryRecords`].
pub trait HistoryRecords: Send + Sync {
    /// The record kept for `who`.
    fn get(&self, who: [u8; 32]) -> Result<Option<HistoryRecord>, HistoryError>;
    /// Keeps `record` for `who`, replacing what was there.
    fn put(&self, who: [u8; 32], record: HistoryRecord) -> Result<(), HistoryError>;
}

/// An in-memory [`HistoryRecords`] of at most `capacity` people (about 100 bytes each plus the
/// map's own).
#[derive(Debug)]
pub struct InMemoryHistoryRecords {
    map: Mutex<HashMap<[u8; 32], HistoryRecord>>,
    capacity: usize,
}

impl InMemoryHistoryRecords {
    /// Room for `capacity` people.
    pub fn new(capacity: usize) -> Self {
        Self {
            map: Mutex::new(HashMap::new()),
            capacity,
        }
    }

    /// People recorded.
    pub fn len(&self) -> usize {
        self.map.lock().unwrap_or_else(|p| p.into_inner()).len()
    }

    /// True when nobody is recorded.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// Every stored pair, for tests and audits: hashes and dates only.
    pub fn entries(&self) -> Vec<([u8; 32], HistoryRecord)> {
        self.map
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .iter()
            .map(|(k, v)| (*k, *v))
            .collect()
    }
}

impl Default for InMemoryHistoryRecords {
    /// Room for ten million people.
    fn default() -> Self {
        Self::new(10_000_000)
    }
}

impl HistoryRecords for InMemoryHistoryRecords {
    fn get(&self, who: [u8; 32]) -> Result<Option<HistoryRecord>, HistoryError> {
        Ok(self
            .map
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .get(&who)
            .copied())
    }

    fn put(&self, who: [u8; 32], record: HistoryRecord) -> Result<(), HistoryError> {
        let mut map = self.map.lock().unwrap_or_else(|p| p.into_inner());
        if !map.contains_key(&who) && map.len() >= self.capacity {
            return Err(HistoryError::Full(self.capacity));
        }
        map.insert(who, record);
        Ok(())
    }
}

/// The engine's history store over keyed hashes.
#[derive(Debug)]
pub struct KeyedHistoryStore<R: HistoryRecords = InMemoryHistoryRecords> {
    key: HistoryKey,
    records: R,
}

impl KeyedHistoryStore<InMemoryHistoryRecords> {
    /// An in-memory store under `key`.
    pub fn in_memory(key: HistoryKey) -> Self {
        Self::new(key, InMemoryHistoryRecords::default())
    }
}

impl<R: HistoryRecords> KeyedHistoryStore<R> {
    /// A store under `key` over `records`.
    pub fn new(key: HistoryKey, records: R) -> Self {
        Self { key, records }
    }

    /// The records.
    pub fn records(&self) -> &R {
        &self.records
    }

    /// The verdict for `document`, without recording it.
    pub fn verdict(&self, document: &DocumentData) -> Result<HistoryVerdict, HistoryError> {
        let Some(k) = keyed(&self.key, document) else {
            return Ok(HistoryVerdict::Incomplete);
        };
        Ok(match self.records.get(k.who)? {
            None => HistoryVerdict::Consistent,
            Some(seen) if seen.fingerprint == k.record.fingerprint => HistoryVerdict::Consistent,
            Some(seen) if seen.renewed_by(&k.record) => HistoryVerdict::Renewal,
            Some(_) => HistoryVerdict::Conflict,
        })
    }

    /// Records `document` unless it is incomplete or older than the reference; returns whether
    /// it became the reference.
    pub fn remember(&self, document: &DocumentData) -> Result<bool, HistoryError> {
        let Some(k) = keyed(&self.key, document) else {
            return Ok(false);
        };
        let replace = match self.records.get(k.who)? {
            None => true,
            Some(seen) => seen.fingerprint == k.record.fingerprint || seen.renewed_by(&k.record),
        };
        if replace {
            self.records.put(k.who, k.record)?;
        }
        Ok(replace)
    }
}

impl<R: HistoryRecords> HistoryStore for KeyedHistoryStore<R> {
    fn check(&self, document: &DocumentData) -> Result<HistoryVerdict, Error> {
        self.verdict(document).map_err(Error::from)
    }

    fn record(&self, document: &DocumentData) -> Result<bool, Error> {
        self.remember(document).map_err(Error::from)
    }
}
