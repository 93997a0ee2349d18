//! `kyc.Links`: one-time verification links for one scenario, kept in memory (the host may copy
//! the records out with `get`).

use std::sync::Arc;

use jiff::SignedDuration;
use kyc_core::link::{self, InMemoryLinkStore, LinkClaims, LinkError, LinkRecord};
use kyc_core::{Entropy, SessionStatus};
use pyo3::prelude::*;

use crate::convert::{SeededEntropy, entropy, now_or_system, to_py};
use crate::error::{err, invalid_input};
use crate::scenario::Scenario;

/// Issues, verifies and spends one-time links for one scenario.
#[pyclass(module = "kyc", frozen)]
pub(crate) struct Links {
    scenario: Arc<kyc_core::Scenario>,
    store: InMemoryLinkStore,
    entropy: Arc<dyn Entropy>,
}

fn claims<'py>(py: Python<'py>, c: &LinkClaims) -> PyResult<Bound<'py, PyAny>> {
    to_py(
        py,
        &serde_json::json!({
            "link_id": c.link_id,
            "scenario_id": c.scenario_id,
            "expires_at": c.expires_at,
        }),
    )
}

fn record<'py>(py: Python<'py>, r: &LinkRecord) -> PyResult<Bound<'py, PyAny>> {
    to_py(py, r)
}

#[pymethods]
impl Links {
    /// Links for `scenario`; tokens draw on the operating system's randomness, or, in tests, on
    /// `test_entropy` (`kyc.testing.SeededEntropy`) to be reproducible.
    #[new]
    #[pyo3(signature = (scenario, *, test_entropy=None))]
    fn new(
        scenario: &Bound<'_, Scenario>,
        test_entropy: Option<&Bound<'_, SeededEntropy>>,
    ) -> PyResult<Self> {
        Ok(Self {
            scenario: scenario.get().0.clone(),
            store: InMemoryLinkStore::new(),
            entropy: entropy(test_entropy)?,
        })
    }

    /// Issues `count` links valid for `lifetime_seconds` from `now` (default: the system clock).
    /// Each is a dict with `link_id`, `token` (give it to the person, once) and `expires_at`.
    #[pyo3(signature = (count=1, *, lifetime_seconds=86_400, now=None))]
    fn issue<'py>(
        &self,
        py: Python<'py>,
        count: u32,
        lifetime_seconds: i64,
        now: Option<&Bound<'py, PyAny>>,
    ) -> PyResult<Vec<Bound<'py, PyAny>>> {
        let now = now_or_system(now)?;
        let issued = link::issue(
            &self.store,
            &self.scenario,
            count,
            SignedDuration::from_secs(lifetime_seconds),
            now,
            self.entropy.as_ref(),
        )
        .map_err(|e| err(py, e))?;
        issued
            .iter()
            .map(|l| {
                to_py(
                    py,
                    &serde_json::json!({
                        "link_id": l.link_id,
                        "token": l.token.expose(),
                        "expires_at": l.expires_at,
                    }),
                )
            })
            .collect()
    }

    /// Verifies a token (scenario, signature, expiry) without spending it; returns its claims.
    #[pyo3(signature = (token, *, now=None))]
    fn verify<'py>(
        &self,
        py: Python<'py>,
        token: &str,
        now: Option<&Bound<'py, PyAny>>,
    ) -> PyResult<Bound<'py, PyAny>> {
        let now = now_or_system(now)?;
        let c = link::verify(&self.scenario, token, now).map_err(|e| err(py, e))?;
        claims(py, &c)
    }

    /// Opens a link: verifies the token and spends it; a second open raises `link.already_used`.
    #[pyo3(signature = (token, *, now=None))]
    fn open<'py>(
        &self,
        py: Python<'py>,
        token: &str,
        now: Option<&Bound<'py, PyAny>>,
    ) -> PyResult<Bound<'py, PyAny>> {
        let now = now_or_system(now)?;
        let r = link::open(&self.store, &self.scenario, token, now).map_err(|e| err(py, e))?;
        record(py, &r)
    }

    /// Opened → in progress, recording the session started from the link.
    fn start<'py>(
        &self,
        py: Python<'py>,
        link_id: &str,
        session_id: &str,
    ) -> PyResult<Bound<'py, PyAny>> {
        let r = link::start(&self.store, link_id, session_id).map_err(|e| err(py, e))?;
        record(py, &r)
    }

    /// In progress → success (`approved`) or failure (`declined`, `blocked`).
    fn finish<'py>(
        &self,
        py: Python<'py>,
        link_id: &str,
        session_status: &str,
    ) -> PyResult<Bound<'py, PyAny>> {
        let status: SessionStatus = serde_json::from_value(serde_json::Value::String(
            session_status.to_owned(),
        ))
        .map_err(|_| {
            invalid_input(
                py,
                "session.bad_decision",
                &format!("unknown session status '{session_status}'"),
            )
        })?;
        let r = link::finish(&self.store, link_id, status).map_err(|e| err(py, e))?;
        record(py, &r)
    }

    /// The stored record of a link, or `None`.
    fn get<'py>(&self, py: Python<'py>, link_id: &str) -> PyResult<Option<Bound<'py, PyAny>>> {
        use kyc_core::link::LinkStore;
        let r = self.store.get(link_id).map_err(|e: LinkError| err(py, e))?;
        r.map(|r| record(py, &r)).transpose()
    }
}
