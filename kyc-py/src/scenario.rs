//! `kyc.Scenario`.

use pyo3::prelude::*;

use crate::error::scenario_error;

/// A validated verification flow.
#[pyclass(module = "kyc", frozen)]
pub(crate) struct Scenario(kyc_core::Scenario);

#[pymethods]
impl Scenario {
    /// Parses and validates JSON text; raises `InvalidInputError` with every problem.
    #[staticmethod]
    fn from_json(py: Python<'_>, text: &str) -> PyResult<Self> {
        kyc_core::Scenario::from_json(text)
            .map(Self)
            .map_err(|e| scenario_error(py, &e))
    }

    /// Scenario id.
    #[getter]
    fn id(&self) -> &str {
        &self.0.id
    }

    /// Name.
    #[getter]
    fn name(&self) -> &str {
        &self.0.name
    }

    /// Step ids in order.
    #[getter]
    fn step_ids(&self) -> Vec<String> {
        self.0.steps.iter().map(|s| s.id().to_owned()).collect()
    }

    /// The scenario as JSON (including its secret key: store it as carefully as the key).
    fn to_json(&self) -> String {
        self.0.to_json()
    }

    fn __repr__(&self) -> String {
        format!("Scenario(id={:?}, steps={})", self.0.id, self.0.steps.len())
    }
}
