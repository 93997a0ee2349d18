//! The façade's functions: `kyc.describe_scenario` and `kyc.precheck_image`.

use pyo3::prelude::*;

use crate::convert::json_loads;
use crate::error::public_error;

/// Validates scenario JSON; returns its description as a dict (`id`, `name`, each step's
/// `images`, `frames` and `capture_orientation`, and `scenario` without its secret key). Raises
/// `InvalidInputError` with every problem.
#[pyfunction]
pub(crate) fn describe_scenario<'py>(py: Python<'py>, json: &str) -> PyResult<Bound<'py, PyAny>> {
    let description =
        kyc_core::facade::describe_scenario(json).map_err(|e| public_error(py, &e))?;
    json_loads(py, &description.to_json())
}

/// Pre-checks an encoded document photo before upload (quality checks, and with `orientation`
/// `"horizontal"` or `"vertical"` the capture frame's orientation); returns the pre-check dict.
#[pyfunction]
#[pyo3(signature = (image, orientation=None))]
pub(crate) fn precheck_image<'py>(
    py: Python<'py>,
    image: &[u8],
    orientation: Option<&str>,
) -> PyResult<Bound<'py, PyAny>> {
    let text = py
        .detach(|| kyc_core::facade::precheck_image(image, orientation))
        .map_err(|e| public_error(py, &e))?;
    json_loads(py, &text)
}
