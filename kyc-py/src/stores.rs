//! `kyc.FaceLists` and `kyc.History`: the stores a host hands `kyc.Engine` (the façade's in-memory
//! handles), shared between the host's code and the engine.

use pyo3::prelude::*;

use crate::error::public_error;
use crate::face::FaceTemplate;

/// Named face lists (customers, blacklist) the engine searches: enrol faces here (templates from
/// `Engine.face_template`), pass the lists as `kyc.Engine(face_lists=...)`.
#[pyclass(module = "kyc", frozen)]
#[derive(Default)]
pub(crate) struct FaceLists(pub(crate) kyc_core::facade::FaceListStore);

#[pymethods]
impl FaceLists {
    #[new]
    fn new() -> Self {
        Self::default()
    }

    /// Adds (or replaces) `person_id`'s face in `list_id`, creating the list.
    fn add(
        &self,
        py: Python<'_>,
        list_id: &str,
        person_id: &str,
        template: &Bound<'_, FaceTemplate>,
    ) -> PyResult<()> {
        self.0
            .add(list_id, person_id, &template.get().0)
            .map_err(|e| public_error(py, &e))
    }

    /// Removes `person_id` from `list_id`; true when they were there.
    fn remove(&self, list_id: &str, person_id: &str) -> bool {
        self.0.remove(list_id, person_id)
    }

    /// People in `list_id`.
    fn count(&self, list_id: &str) -> usize {
        self.0.len(list_id)
    }

    /// The lists' ids, sorted.
    fn list_ids(&self) -> Vec<String> {
        self.0.list_ids()
    }

    fn __repr__(&self) -> String {
        format!("FaceLists({:?})", self.0.list_ids())
    }
}

/// The history of approved documents under one tenant key (32 to 512 secret bytes), for
/// `fraud.block_history_mismatch`: pass it as `kyc.Engine(history=...)`.
#[pyclass(module = "kyc", frozen)]
pub(crate) struct History(pub(crate) kyc_core::facade::HistoryKeyStore);

#[pymethods]
impl History {
    #[new]
    fn new(py: Python<'_>, key: &[u8]) -> PyResult<Self> {
        kyc_core::facade::HistoryKeyStore::new(key)
            .map(Self)
            .map_err(|e| public_error(py, &e))
    }

    /// People recorded.
    fn __len__(&self) -> usize {
        self.0.len()
    }

    fn __repr__(&self) -> String {
        format!("History({} people)", self.0.len())
    }
}
