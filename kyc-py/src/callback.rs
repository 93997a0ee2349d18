//! `kyc.CallbackReceiver`: verify (and decrypt) callbacks on the customer's server (the façade's
//! receiver).

use pyo3::prelude::*;

use crate::convert::json_loads;
use crate::error::public_error;

/// Verifies callbacks for one scenario secret, remembering seen ids to refuse replays.
#[pyclass(module = "kyc", frozen)]
pub(crate) struct CallbackReceiver(kyc_core::facade::CallbackReceiver);

#[pymethods]
impl CallbackReceiver {
    #[new]
    #[pyo3(signature = (secret_key, *, require_encryption=false))]
    fn new(secret_key: &str, require_encryption: bool) -> Self {
        Self(kyc_core::facade::CallbackReceiver::new(
            secret_key,
            require_encryption,
        ))
    }

    /// Checks signature, timestamp (300 s tolerance around `now`, Unix seconds; default the
    /// system clock) and replay; decrypts; returns the notification as a dict.
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
