//! `kyc.FaceLists` and `kyc.History`: the stores a host hands `kyc.Engine` (the façade's in-memory
//! handles), shared between the host's code and the engine. Their locks are the core's, held by a
//! capture on another thread while it searches or records: every call here waits for them with
//! the GIL released, so other Python threads run meanwhile.

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
        let template = &template.get().0;
        py.detach(|| self.0.add(list_id, person_id, template))
            .map_err(|e| public_error(py, &e))
    }

    /// Removes `person_id` from `list_id`; true when they were there.
    fn remove(&self, py: Python<'_>, list_id: &str, person_id: &str) -> bool {
        py.detach(|| self.0.remove(list_id, person_id))
    }

    /// People in `list_id`.
    fn count(&self, py: Python<'_>, list_id: &str) -> usize {
        py.detach(|| self.0.len(list_id))
    }

    /// The lists' ids, sorted.
    fn list_ids(&self, py: Python<'_>) -> Vec<String> {
        py.detach(|| self.0.list_ids())
    }

    fn __repr__(&self, py: Python<'_>) -> String {
        format!("FaceLists({:?})", py.detach(|| self.0.list_ids()))
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
    fn __len__(&self, py: Python<'_>) -> usize {
        py.detach(|| self.0.len())
    }

    fn __repr__(&self, py: Python<'_>) -> String {
        format!("History({} people)", py.detach(|| self.0.len()))
    }
}
