//! `kyc.CallbackReceiver`: verify (and decrypt) callbacks on the customer's server.

use kyc_core::callback::{InMemorySeenIds, VerifyOptions, WebhookHeaders, verify_and_decrypt};
use kyc_core::scenario::SecretKey;
use pyo3::prelude::*;

use crate::error::core_error;

/// Verifies callbacks for one scenario secret, remembering seen ids to refuse replays.
#[pyclass(module = "kyc", frozen)]
pub(crate) struct CallbackReceiver {
    secret: SecretKey,
    seen: InMemorySeenIds,
}

#[pymethods]
impl CallbackReceiver {
    #[new]
    fn new(secret_key: &str) -> Self {
        Self {
            secret: SecretKey::new(secret_key),
            seen: InMemorySeenIds::new(100_000),
        }
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
        let now = match now {
            Some(s) => jiff::Timestamp::from_second(s)
                .map_err(|e| pyo3::exceptions::PyValueError::new_err(e.to_string()))?,
            // This binding is a host: it may read the clock the engine never reads.
            None => jiff::Timestamp::now(),
        };
        let headers =
            WebhookHeaders::from_pairs(headers.iter().map(|(k, v)| (k.as_str(), v.as_str())));
        let verified = verify_and_decrypt(
            &self.secret,
            &headers,
            body,
            now,
            &self.seen,
            VerifyOptions::default(),
        )
        .map_err(|e| core_error(py, &kyc_core::Error::from(e)))?;
        let text = serde_json::to_string(&verified.notification)
            .map_err(|e| pyo3::exceptions::PyValueError::new_err(e.to_string()))?;
        py.import("json")?.call_method1("loads", (text,))
    }
}
