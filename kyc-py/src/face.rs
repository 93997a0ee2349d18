//! `kyc.FaceTemplate` and `kyc.FaceList`: face lists (customers, blacklist) with top-k search.

use std::sync::{Mutex, MutexGuard};

use kyc_core::face::gallery::{Gallery, GalleryError};
use pyo3::prelude::*;

use crate::error::{KycError, invalid_input};

/// Gallery errors: a bad template or stored bytes are input to fix; limits are `KycError`.
fn gallery_error(py: Python<'_>, e: &GalleryError) -> PyErr {
    match e {
        GalleryError::Limit(_) => {
            let err = KycError::new_err(e.to_string());
            let value = err.value(py);
            match value
                .setattr("code", e.code())
                .and_then(|()| value.setattr("message", e.to_string()))
            {
                Ok(()) => err,
                Err(other) => other,
            }
        }
        _ => invalid_input(py, e.code(), &e.to_string()),
    }
}

/// A face embedding from a named model (biometric data: store it as such).
#[pyclass(module = "kyc", frozen)]
#[derive(Clone)]
pub(crate) struct FaceTemplate(pub(crate) kyc_core::face::FaceTemplate);

#[pymethods]
impl FaceTemplate {
    #[new]
    fn new(model: String, vector: Vec<f32>) -> Self {
        Self(kyc_core::face::FaceTemplate { model, vector })
    }

    /// The model that made it.
    #[getter]
    fn model(&self) -> &str {
        &self.0.model
    }

    /// The embedding.
    #[getter]
    fn vector(&self) -> Vec<f32> {
        self.0.vector.clone()
    }

    fn __repr__(&self) -> String {
        format!(
            "FaceTemplate(model={:?}, dim={})",
            self.0.model,
            self.0.vector.len()
        )
    }
}

/// One face list: add, remove, search top-k by cosine similarity, bytes to store.
#[pyclass(module = "kyc", frozen)]
pub(crate) struct FaceList(Mutex<Gallery>);

impl FaceList {
    fn lock(&self) -> MutexGuard<'_, Gallery> {
        self.0
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner())
    }
}

#[pymethods]
impl FaceList {
    /// An empty list for templates of `model` with `dim` values.
    #[new]
    fn new(py: Python<'_>, model: &str, dim: usize) -> PyResult<Self> {
        Gallery::new(model, dim)
            .map(|g| Self(Mutex::new(g)))
            .map_err(|e| gallery_error(py, &e))
    }

    /// A list from `to_bytes` output; corrupt bytes raise `InvalidInputError` (`gallery.corrupt`).
    #[staticmethod]
    fn from_bytes(py: Python<'_>, data: &[u8]) -> PyResult<Self> {
        Gallery::from_bytes(data)
            .map(|g| Self(Mutex::new(g)))
            .map_err(|e| gallery_error(py, &e))
    }

    /// The list as bytes for the host to store.
    fn to_bytes<'py>(&self, py: Python<'py>) -> Bound<'py, pyo3::types::PyBytes> {
        pyo3::types::PyBytes::new(py, &self.lock().to_bytes())
    }

    /// Adds (or replaces) `person_id`'s template.
    fn add(&self, py: Python<'_>, person_id: &str, template: &FaceTemplate) -> PyResult<()> {
        self.lock()
            .add(person_id, &template.0)
            .map_err(|e| gallery_error(py, &e))
    }

    /// Removes `person_id`; true when it was there.
    fn remove(&self, person_id: &str) -> bool {
        self.lock().remove(person_id)
    }

    /// The `k` most similar people, best first: `(person_id, cosine similarity)` pairs.
    /// `int8=True` scans the quantised copy (about 4x less memory traffic, scores within ~0.01).
    #[pyo3(signature = (template, k=5, *, int8=false))]
    fn search(
        &self,
        py: Python<'_>,
        template: &FaceTemplate,
        k: usize,
        int8: bool,
    ) -> PyResult<Vec<(String, f32)>> {
        let gallery = self.lock();
        let found = py.detach(|| {
            if int8 {
                gallery.search_int8(&template.0, k)
            } else {
                gallery.search(&template.0, k)
            }
        });
        found.map_err(|e| gallery_error(py, &e))
    }

    fn __len__(&self) -> usize {
        self.lock().len()
    }

    fn __repr__(&self) -> String {
        format!("FaceList(len={})", self.lock().len())
    }
}
