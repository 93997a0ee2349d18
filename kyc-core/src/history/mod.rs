//! History fraud: the same person submitting the same document type with different data.
//!
//! [`KeyedHistoryStore`] implements the engine's [`HistoryStore`]: it keeps, per tenant key, only
//! keyed hashes (HMAC-SHA256): who (document type, normalised full name, birth date) maps to a
//! fingerprint of the document (normalised number, issuing state). No name, date or number is kept,
//! and without the key the hashes cannot be tested against guesses. The first document seen for a
//! person stays the reference: a later submission with other data is a conflict (the engine then
//! fails `document.history`, a critical check); one with the same data is consistent. Documents that
//! lack the type, name, birth date or number cannot be attributed and are consistent, unrecorded.
//!
//! Face templates are not used: an embedding cannot be matched through an exact keyed hash, and
//! keeping templates would keep biometric data.

mod error;
mod keyed;

use std::collections::HashMap;
use std::sync::Mutex;

pub use error::HistoryError;
pub use keyed::{HistoryKey, Keyed, full_name, keyed};

use crate::analysis::{HistoryStore, HistoryVerdict};
use crate::document::DocumentData;
use crate::error::Error;
use crate::scenario::Scenario;

/// Where the keyed hashes live: the host's database, or [`InMemoryHistoryRecords`].
pub trait HistoryRecords: Send + Sync {
    /// Atomically: the fingerprint stored for `who`, or, when there is none, stores `fingerprint`
    /// and returns `None`.
    fn get_or_insert(
        &self,
        who: [u8; 32],
        fingerprint: [u8; 32],
    ) -> Result<Option<[u8; 32]>, HistoryError>;
}

/// An in-memory [`HistoryRecords`] of at most `capacity` people (64 bytes each plus the map's own).
#[derive(Debug)]
pub struct InMemoryHistoryRecords {
    map: Mutex<HashMap<[u8; 32], [u8; 32]>>,
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

    /// Every stored pair, for tests and audits: hashes only.
    pub fn entries(&self) -> Vec<([u8; 32], [u8; 32])> {
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
    fn get_or_insert(
        &self,
        who: [u8; 32],
        fingerprint: [u8; 32],
    ) -> Result<Option<[u8; 32]>, HistoryError> {
        let mut map = self.map.lock().unwrap_or_else(|p| p.into_inner());
        if let Some(existing) = map.get(&who) {
            return Ok(Some(*existing));
        }
        if map.len() >= self.capacity {
            return Err(HistoryError::Full(self.capacity));
        }
        map.insert(who, fingerprint);
        Ok(None)
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

    /// The verdict for `document`, recording it when its person is new.
    pub fn check(&self, document: &DocumentData) -> Result<HistoryVerdict, HistoryError> {
        let Some(k) = keyed(&self.key, document) else {
            return Ok(HistoryVerdict::Consistent);
        };
        Ok(match self.records.get_or_insert(k.who, k.fingerprint)? {
            Some(seen) if seen != k.fingerprint => HistoryVerdict::Conflict,
            _ => HistoryVerdict::Consistent,
        })
    }
}

impl<R: HistoryRecords> HistoryStore for KeyedHistoryStore<R> {
    fn check_and_record(
        &self,
        _scenario: &Scenario,
        document: &DocumentData,
    ) -> Result<HistoryVerdict, Error> {
        self.check(document).map_err(Error::from)
    }
}
