//! `kyc.FaceTemplate` and `kyc.FaceList`: face lists (customers, blacklist) with top-k search.

use std::sync::RwLock;

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
///
/// The gallery's lock is only ever taken with the GIL released (inside `py.detach`), and nothing
/// that needs the GIL runs while it is held: a thread waiting for the lock never holds the GIL
/// that the lock's holder may be waiting for. Searches share the lock; `add` and `remove` wait
/// for the searches under way.
#[pyclass(module = "kyc", frozen)]
pub(crate) struct FaceList(RwLock<Gallery>);

impl FaceList {
    /// Reads the gallery with the GIL released; `f` gets no Python and gives back owned values.
    fn read<R: Send>(&self, py: Python<'_>, f: impl FnOnce(&Gallery) -> R + Send) -> R {
        py.detach(|| {
            f(&self
                .0
                .read()
                .unwrap_or_else(|poisoned| poisoned.into_inner()))
        })
    }

    /// Changes the gallery with the GIL released.
    fn write<R: Send>(&self, py: Python<'_>, f: impl FnOnce(&mut Gallery) -> R + Send) -> R {
        py.detach(|| {
            f(&mut self
                .0
                .write()
                .unwrap_or_else(|poisoned| poisoned.into_inner()))
        })
    }
}

#[pymethods]
impl FaceList {
    /// An empty list for templates of `model` with `dim` values.
    #[new]
    fn new(py: Python<'_>, model: &str, dim: usize) -> PyResult<Self> {
        Gallery::new(model, dim)
            .map(|g| Self(RwLock::new(g)))
            .map_err(|e| gallery_error(py, &e))
    }

    /// A list from `to_bytes` output; corrupt bytes raise `InvalidInputError` (`gallery.corrupt`).
    #[staticmethod]
    fn from_bytes(py: Python<'_>, data: &[u8]) -> PyResult<Self> {
        Gallery::from_bytes(data)
            .map(|g| Self(RwLock::new(g)))
            .map_err(|e| gallery_error(py, &e))
    }

    /// The list as bytes for the host to store.
    fn to_bytes<'py>(&self, py: Python<'py>) -> Bound<'py, pyo3::types::PyBytes> {
        let bytes = self.read(py, Gallery::to_bytes);
        pyo3::types::PyBytes::new(py, &bytes)
    }

    /// Adds (or replaces) `person_id`'s template.
    fn add(&self, py: Python<'_>, person_id: &str, template: &FaceTemplate) -> PyResult<()> {
        self.write(py, |g| g.add(person_id, &template.0))
            .map_err(|e| gallery_error(py, &e))
    }

    /// Removes `person_id`; true when it was there.
    fn remove(&self, py: Python<'_>, person_id: &str) -> bool {
        self.write(py, |g| g.remove(person_id))
    }

    /// The `k` most similar people, best first: `(person_id, cosine similarity)` pairs.
    /// `int8=True` scans the quantised copy (about 4x less memory traffic, scores within ~0.01).
    /// The GIL is released while it scans: other threads run, and may search the same list.
    #[pyo3(signature = (template, k=5, *, int8=false))]
    fn search(
        &self,
        py: Python<'_>,
        template: &FaceTemplate,
        k: usize,
        int8: bool,
    ) -> PyResult<Vec<(String, f32)>> {
        self.read(py, |gallery| {
            if int8 {
                gallery.search_int8(&template.0, k)
            } else {
                gallery.search(&template.0, k)
            }
        })
        .map_err(|e| gallery_error(py, &e))
    }

    fn __len__(&self, py: Python<'_>) -> usize {
        self.read(py, Gallery::len)
    }

    fn __repr__(&self, py: Python<'_>) -> String {
        format!("FaceList(len={})", self.read(py, Gallery::len))
    }
}
