//! `kyc.Scenario`.

use std::sync::Arc;

use pyo3::prelude::*;

use crate::convert::json_loads;
use crate::error::{invalid_input, scenario_error};

/// A validated verification flow.
#[pyclass(module = "kyc", frozen)]
pub(crate) struct Scenario(pub(crate) Arc<kyc_core::Scenario>);

#[pymethods]
impl Scenario {
    /// Parses and validates JSON text; raises `InvalidInputError` with every problem.
    #[staticmethod]
    fn from_json(py: Python<'_>, text: &str) -> PyResult<Self> {
        kyc_core::Scenario::from_json(text)
            .map(|s| Self(Arc::new(s)))
            .map_err(|e| scenario_error(py, &e))
    }

    /// Validates a dict (as `json.loads` gives it); raises `InvalidInputError` with every problem.
    #[staticmethod]
    fn from_dict(py: Python<'_>, data: &Bound<'_, PyAny>) -> PyResult<Self> {
        let text: String = match py.import("json")?.call_method1("dumps", (data,)) {
            Ok(text) => text.extract()?,
            // Not JSON data (sets, objects, NaN keys...): the core's code for unreadable JSON.
            Err(e) => return Err(invalid_input(py, "json.malformed", &e.to_string())),
        };
        Self::from_json(py, &text)
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

    /// The scenario as a dict (including its secret key).
    fn to_dict<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
        json_loads(py, &self.0.to_json())
    }

    fn __repr__(&self) -> String {
        format!("Scenario(id={:?}, steps={})", self.0.id, self.0.steps.len())
    }
}
