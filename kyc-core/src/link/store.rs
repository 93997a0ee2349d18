//! Link state: the host's store, with compare-and-set so that a link is used once even when two
//! requests race.

use std::collections::HashMap;
use std::sync::Mutex;

use jiff::Timestamp;
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

use super::LinkError;

/// Where a link stands.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum LinkStatus {
    /// Issued, not opened.
    Created,
    /// Opened once (the token is spent).
    Opened,
    /// A session runs from it.
    InProgress,
    /// Its session was approved.
    Success,
    /// Its session was declined or blocked.
    Failure,
    /// Its lifetime ran out before it was opened.
    Expired,
}

impl LinkStatus {
    /// Whether nothing moves the link any more.
    pub fn is_final(self) -> bool {
        matches!(self, Self::Success | Self::Failure | Self::Expired)
    }

    /// The moves allowed: created → opened → in progress → success or failure, and created or
    /// opened → expired.
    pub fn can_move_to(self, to: LinkStatus) -> bool {
        use LinkStatus::*;
        matches!(
            (self, to),
            (Created, Opened)
                | (Opened, InProgress)
                | (InProgress, Success | Failure)
                | (Created | Opened, Expired)
        )
    }
}

/// A link as the store keeps it: no token, only its id.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "snake_case", deny_unknown_fields)]
pub struct LinkRecord {
    /// Hex of the token's random bits.
    pub link_id: String,
    /// The scenario.
    pub scenario_id: String,
    /// When it was issued.
    pub created_at: Timestamp,
    /// When it stops working.
    pub expires_at: Timestamp,
    /// Where it stands.
    pub status: LinkStatus,
    /// The session started from it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub session_id: Option<String>,
}

impl LinkRecord {
    /// The status as of `now`: a link not yet opened (or opened, not started) past its expiry reads
    /// as expired even before the store is updated.
    pub fn status_at(&self, now: Timestamp) -> LinkStatus {
        if matches!(self.status, LinkStatus::Created | LinkStatus::Opened) && now >= self.expires_at
        {
            LinkStatus::Expired
        } else {
            self.status
        }
    }
}

/// The host's link storage.
pub trait LinkStore: Send + Sync {
    /// Adds a new link; an existing id is an error.
    fn insert(&self, record: LinkRecord) -> Result<(), LinkError>;
    /// The link with `link_id`.
    fn get(&self, link_id: &str) -> Result<Option<LinkRecord>, LinkError>;
    /// Replaces the link with `new` only if its status is still `expected`, atomically. Returns
    /// whether it did.
    fn compare_and_set(
        &self,
        link_id: &str,
        expected: LinkStatus,
        new: LinkRecord,
    ) -> Result<bool, LinkError>;
}

/// An in-memory [`LinkStore`].
#[derive(Debug, Default)]
pub struct InMemoryLinkStore(Mutex<HashMap<String, LinkRecord>>);

impl InMemoryLinkStore {
    /// An empty store.
    pub fn new() -> Self {
        Self::default()
    }
}

impl LinkStore for InMemoryLinkStore {
    fn insert(&self, record: LinkRecord) -> Result<(), LinkError> {
        let mut map = self.0.lock().unwrap_or_else(|p| p.into_inner());
        if map.contains_key(&record.link_id) {
            return Err(LinkError::Store("duplicate link id".to_owned()));
        }
        map.insert(record.link_id.clone(), record);
        Ok(())
    }

    fn get(&self, link_id: &str) -> Result<Option<LinkRecord>, LinkError> {
        Ok(self
            .0
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .get(link_id)
            .cloned())
    }

    fn compare_and_set(
        &self,
        link_id: &str,
        expected: LinkStatus,
        new: LinkRecord,
    ) -> Result<bool, LinkError> {
        let mut map = self.0.lock().unwrap_or_else(|p| p.into_inner());
        match map.get_mut(link_id) {
            Some(current) if current.status == expected => {
                *current = new;
                Ok(true)
            }
            _ => Ok(false),
        }
    }
}
