//! `kyc.KycError` and its subclasses, each carrying the core's stable `code`.

use pyo3::exceptions::PyException;
use pyo3::prelude::*;
use pyo3::types::{PyDict, PyList};

pyo3::create_exception!(
    kyc,
    KycError,
    PyException,
    "Base of every kyc error; `code` is stable."
);
pyo3::create_exception!(
    kyc,
    InvalidInputError,
    KycError,
    "Input to fix: `violations` lists each problem."
);

pub(crate) fn register(m: &Bound<'_, PyModule>) -> PyResult<()> {
    m.add("KycError", m.py().get_type::<KycError>())?;
    m.add("InvalidInputError", m.py().get_type::<InvalidInputError>())?;
    Ok(())
}

/// An `InvalidInputError` with `code`, `message` and `violations` (a list of dicts with `path`,
/// `code`, `message`).
pub(crate) fn scenario_error(py: Python<'_>, e: &kyc_core::ScenarioError) -> PyErr {
    let err = InvalidInputError::new_err(e.to_string());
    let attach = || -> PyResult<()> {
        let value = err.value(py);
        value.setattr("code", e.code())?;
        value.setattr("message", e.to_string())?;
        let list = PyList::empty(py);
        for v in e.violations() {
            let d = PyDict::new(py);
            d.set_item("path", v.path)?;
            d.set_item("code", v.code)?;
            d.set_item("message", v.message)?;
            list.append(d)?;
        }
        value.setattr("violations", list)?;
        Ok(())
    };
    match attach() {
        Ok(()) => err,
        Err(other) => other,
    }
}

/// A `KycError` with the core error's `code` and `message`.
pub(crate) fn core_error(py: Python<'_>, e: &kyc_core::Error) -> PyErr {
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
