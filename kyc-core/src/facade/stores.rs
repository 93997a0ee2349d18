//! The stores a host hands the engine, as handles every binding can hold and share: face lists
//! (customers, blacklist) and the history of approved documents, in memory by default. A host with
//! its own database implements the core's traits (`FaceLists`, `HistoryRecords`) instead.

use std::sync::Arc;

use super::PublicError;
use crate::analysis::{Analyzers, FaceLists};
use crate::document::mrz::DivisionCodeDb;
use crate::face::FaceTemplate;
use crate::face::gallery::InMemoryFaceLists;
use crate::history::{HistoryKey, KeyedHistoryStore};
use crate::registry::RegistrySource;
use crate::scenario::Scenario;

/// Named face lists in memory; hits held to the threshold calibrated for the templates' model.
#[derive(Clone, Debug, Default)]
pub struct FaceListStore(Arc<InMemoryFaceLists>);

impl FaceListStore {
    /// No lists yet.
    pub fn new() -> Self {
        Self::default()
    }

    /// Empty lists for the ones `scenario` names (its blacklist and customer list).
    pub fn for_scenario(scenario: &Scenario) -> Self {
        let store = Self::new();
        for id in [&scenario.blacklist_id, &scenario.customer_face_list_id]
            .into_iter()
            .flatten()
        {
            store.0.create(id);
        }
        store
    }

    /// An empty list `list_id`, unless it exists.
    pub fn create(&self, list_id: &str) {
        self.0.create(list_id);
    }

    /// Adds (or replaces) `person_id`'s face in `list_id`, creating the list.
    pub fn add(
        &self,
        list_id: &str,
        person_id: &str,
        template: &FaceTemplate,
    ) -> Result<(), PublicError> {
        Ok(self.0.enroll(list_id, person_id, template)?)
    }

    /// Removes `person_id` from `list_id`; true when they were there.
    pub fn remove(&self, list_id: &str, person_id: &str) -> bool {
        self.0.remove(list_id, person_id)
    }

    /// People in `list_id`.
    pub fn len(&self, list_id: &str) -> usize {
        self.0.len(list_id)
    }

    /// The lists' ids, sorted.
    pub fn list_ids(&self) -> Vec<String> {
        self.0.list_ids()
    }

    /// The lists as the engine reads them.
    pub fn face_lists(&self) -> Arc<dyn FaceLists> {
        self.0.clone()
    }
}

/// The history of approved documents under one tenant key, in memory.
#[derive(Clone, Debug)]
pub struct HistoryKeyStore(Arc<KeyedHistoryStore>);

impl HistoryKeyStore {
    /// A store under `key` (32 to 512 secret bytes the host keeps per tenant).
    pub fn new(key: &[u8]) -> Result<Self, PublicError> {
        Ok(Self(Arc::new(KeyedHistoryStore::in_memory(
            HistoryKey::new(key)?,
        ))))
    }

    /// People recorded.
    pub fn len(&self) -> usize {
        self.0.records().len()
    }

    /// True when nobody is recorded.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }
}

/// The stores and reference data one engine runs with; each left out makes the checks that need
/// it unavailable.
#[derive(Clone, Default)]
pub struct Stores {
    /// Face lists.
    pub face_lists: Option<FaceListStore>,
    /// History.
    pub history: Option<HistoryKeyStore>,
    /// The division-code table (`fraud.check_division_code`).
    pub division_codes: Option<Arc<dyn DivisionCodeDb>>,
    /// Offline registries, asked when a scenario's `database_checks` names them.
    pub registries: Vec<Arc<dyn RegistrySource>>,
}

impl std::fmt::Debug for Stores {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Stores")
            .field("face_lists", &self.face_lists)
            .field("history", &self.history)
            .field("division_codes", &self.division_codes.is_some())
            .field(
                "registries",
                &self
                    .registries
                    .iter()
                    .map(|r| r.source())
                    .collect::<Vec<_>>(),
            )
            .finish()
    }
}

impl Stores {
    /// Puts the stores into `analyzers`.
    pub fn attach(&self, analyzers: &mut Analyzers) {
        if let Some(lists) = &self.face_lists {
            analyzers.face_lists = Some(lists.face_lists());
        }
        if let Some(history) = &self.history {
            analyzers.history = Some(history.0.clone());
        }
        if let Some(codes) = &self.division_codes {
            analyzers.division_codes = Some(codes.clone());
        }
        analyzers.registries.extend(self.registries.iter().cloned());
    }
}
