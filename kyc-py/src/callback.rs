//! `kyc.CallbackReceiver`: verify (and decrypt) callbacks on the customer's server (the façade's
//! receiver).

use pyo3::prelude::*;

use crate::convert::json_loads;
use crate::error::public_error;

/// Verifies callbacks for a scenario's secret (or, during a rotation, a list: the new secret and
/// those being retired), remembering seen ids to refuse replays (replay protection, not
/// idempotency).
#[pyclass(module = "kyc", frozen)]
pub(crate) struct CallbackReceiver(kyc_core::facade::CallbackReceiver);

#[pymethods]
impl CallbackReceiver {
    #[new]
    #[pyo3(signature = (secret_key, *, require_encryption=false, tolerance_seconds=300))]
    fn new(
        py: Python<'_>,
        secret_key: &Bound<'_, PyAny>,
        require_encryption: bool,
        tolerance_seconds: u32,
    ) -> PyResult<Self> {
        let secrets: Vec<String> = match secret_key.extract::<String>() {
            Ok(one) => vec![one],
            Err(_) => secret_key.extract().map_err(|_| {
                pyo3::exceptions::PyTypeError::new_err(
                    "secret_key is a str or a list of str (the new secret and those being retired)",
                )
            })?,
        };
        kyc_core::facade::CallbackReceiver::with_secrets(
            &secrets,
            require_encryption,
            tolerance_seconds,
        )
        .map(Self)
        .map_err(|e| public_error(py, &e))
    }

    /// Checks signature, timestamp (within `tolerance_seconds` of `now`, Unix seconds; default
    /// the system clock) and replay; decrypts; returns the notification as a dict.
    #[pyo3(signature = (headers, body, now=None))]
    fn verify<'py>(
        &self,
        py: Python<'py>,
        headers: std::collections::HashMap<String, String>,
        body: &[u8],
        now: Option<i64>,
    ) -> PyResult<Bound<'py, PyAny>> {
        // This binding is a host: it may read the clock the engine never reads.
        let now = now.unwrap_or_else(|| jiff::Timestamp::now().as_second());
        let pairs: Vec<(String, String)> = headers.into_iter().collect();
        let text = self
            .0
            .verify(&pairs, body, now)
            .map_err(|e| public_error(py, &e))?;
        json_loads(py, &text)
    }
}
