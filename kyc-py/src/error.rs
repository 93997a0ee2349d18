//! `kyc.KycError` and its subclasses, each carrying the core's stable `code`. The classes differ
//! only where a caller acts differently: fix the input, install the models, or anything else.

use kyc_core::Error;
use kyc_core::facade::{ErrorKind, PublicError};
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
    "Input to fix (JSON, scenario, image, MRZ, capture): `violations` lists each problem."
);
pyo3::create_exception!(
    kyc,
    ModelUnavailableError,
    KycError,
    "A model or ONNX Runtime could not be loaded: `python3 scripts/fetch_models.py` installs them."
);

pub(crate) fn register(m: &Bound<'_, PyModule>) -> PyResult<()> {
    m.add("KycError", m.py().get_type::<KycError>())?;
    m.add("InvalidInputError", m.py().get_type::<InvalidInputError>())?;
    m.add(
        "ModelUnavailableError",
        m.py().get_type::<ModelUnavailableError>(),
    )?;
    Ok(())
}

/// Sets `code`, `message` and (for input errors) `violations` on a new exception.
fn with_attrs(
    py: Python<'_>,
    err: PyErr,
    code: &str,
    message: &str,
    violations: Option<&[kyc_core::Violation]>,
) -> PyErr {
    let attach = || -> PyResult<()> {
        let value = err.value(py);
        value.setattr("code", code)?;
        value.setattr("message", message)?;
        if let Some(violations) = violations {
            let list = PyList::empty(py);
            for v in violations {
                let d = PyDict::new(py);
                d.set_item("path", &v.path)?;
                d.set_item("code", &v.code)?;
                d.set_item("message", &v.message)?;
                list.append(d)?;
            }
            value.setattr("violations", list)?;
        }
        Ok(())
    };
    match attach() {
        Ok(()) => err,
        Err(other) => other,
    }
}

/// An `InvalidInputError` with `code`, `message` and `violations` (a list of dicts with `path`,
/// `code`, `message`).
pub(crate) fn scenario_error(py: Python<'_>, e: &kyc_core::ScenarioError) -> PyErr {
    let message = e.to_string();
    with_attrs(
        py,
        InvalidInputError::new_err(message.clone()),
        e.code(),
        &message,
        Some(&e.violations()),
    )
}

/// An `InvalidInputError` with a core code and no per-path violations.
pub(crate) fn invalid_input(py: Python<'_>, code: &str, message: &str) -> PyErr {
    with_attrs(
        py,
        InvalidInputError::new_err(message.to_owned()),
        code,
        message,
        Some(&[]),
    )
}

/// The façade's public error as the matching Python class: `InvalidInputError` (with every
/// violation), `ModelUnavailableError`, or `KycError`; `code` and `message` on each.
pub(crate) fn public_error(py: Python<'_>, e: &PublicError) -> PyErr {
    match e.kind {
        ErrorKind::InvalidInput => with_attrs(
            py,
            InvalidInputError::new_err(e.message.clone()),
            &e.code,
            &e.message,
            Some(&e.violations),
        ),
        ErrorKind::ModelUnavailable => with_attrs(
            py,
            ModelUnavailableError::new_err(e.message.clone()),
            &e.code,
            &e.message,
            None,
        ),
        ErrorKind::Other => with_attrs(
            py,
            KycError::new_err(e.message.clone()),
            &e.code,
            &e.message,
            None,
        ),
    }
}

/// The core error as the matching Python class, with its `code` and `message`.
pub(crate) fn core_error(py: Python<'_>, e: &Error) -> PyErr {
    public_error(py, &PublicError::from(e))
}

/// Shorthand for errors convertible into the core's.
pub(crate) fn err(py: Python<'_>, e: impl Into<Error>) -> PyErr {
    core_error(py, &e.into())
}
