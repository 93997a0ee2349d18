//! `kyc.Engine` and `kyc.Session`: sessions driven capture by capture, images from bytes, paths or
//! arrays, results as dicts or the core's JSON. The GIL is released while the engine works, so
//! threads run captures in parallel.

use std::path::PathBuf;
use std::sync::{Arc, Mutex, MutexGuard};

use kyc_core::analysis::{CaptureImage, ImageKind};
use kyc_core::facade::{Stores, Verifier};
use kyc_core::image::ImageLimits;
use kyc_core::session::{Origin, SessionEvent, SessionKey, SessionObserver, SessionStatus};
use kyc_core::{Clock, FixedClock, SystemClock, VerificationResult};
use pyo3::prelude::*;

use crate::convert::{SeededEntropy, entropy, image, json_loads, timestamp, to_py};
use crate::error::{core_error, err, public_error};
use crate::face::FaceTemplate;
use crate::scenario::Scenario;
use crate::stores::{FaceLists, History};

/// Runs sessions with the shipped models (or none: every check then reports `unavailable`), the
/// stores the host attaches (`face_lists`, `history`) and its event listener (`on_event`).
#[pyclass(module = "kyc", frozen)]
pub(crate) struct Engine {
    verifier: Verifier,
    engine: Arc<kyc_core::Engine>,
    limits: ImageLimits,
    session_key: Option<Arc<SessionKey>>,
}

/// Calls a helper of the pure-Python part of the package (`kyc._models`).
fn models_helper(py: Python<'_>, name: &str) -> PyResult<Option<PathBuf>> {
    py.import("kyc._models")?.call_method0(name)?.extract()
}

/// Hands every session event, as a dict, to the host's callable. An exception it raises cannot
/// stop the engine: Python reports it as unraisable.
struct PyListener(Py<PyAny>);

impl SessionObserver for PyListener {
    fn on_event(&self, event: &SessionEvent) {
        Python::attach(|py| {
            let text = serde_json::to_string(event).unwrap_or_default();
            let called = json_loads(py, &text).and_then(|dict| self.0.call1(py, (dict,)));
            if let Err(e) = called {
                e.write_unraisable(py, Some(self.0.bind(py)));
            }
        });
    }
}

#[pymethods]
impl Engine {
    #[new]
    #[pyo3(signature = (model_dir=None, *, models=true, onnxruntime_library=None, now=None, test_entropy=None, threads=1, face_lists=None, history=None, on_event=None, session_key=None))]
    #[allow(clippy::too_many_arguments)]
    fn new(
        py: Python<'_>,
        model_dir: Option<PathBuf>,
        models: bool,
        onnxruntime_library: Option<PathBuf>,
        now: Option<&Bound<'_, PyAny>>,
        test_entropy: Option<&Bound<'_, SeededEntropy>>,
        threads: usize,
        face_lists: Option<&Bound<'_, FaceLists>>,
        history: Option<&Bound<'_, History>>,
        on_event: Option<Py<PyAny>>,
        session_key: Option<&[u8]>,
    ) -> PyResult<Self> {
        let session_key = session_key
            .map(|k| SessionKey::new(k).map(Arc::new))
            .transpose()
            .map_err(|e| err(py, e))?;
        // This binding is the host: it chooses the clock and the entropy the engine gets.
        let clock: Arc<dyn Clock> = match now {
            Some(now) => Arc::new(FixedClock(timestamp(now)?)),
            None => Arc::new(SystemClock),
        };
        let entropy = entropy(test_entropy)?;
        let verifier = if models {
            // The one model-folder rule is the core's (`ModelSource::discover`); the ONNX Runtime
            // library is the installed `onnxruntime` package's, which only Python knows.
            let library = match onnxruntime_library {
                Some(lib) => Some(lib),
                None => models_helper(py, "onnxruntime_library")?,
            };
            py.detach(|| Verifier::load(model_dir, library, threads))
                .map_err(|e| public_error(py, &e))?
        } else {
            Verifier::without_models()
        };
        let verifier = verifier.with_stores(Stores {
            face_lists: face_lists.map(|f| f.get().0.clone()),
            history: history.map(|h| h.get().0.clone()),
            ..Stores::default()
        });
        let observer =
            on_event.map(|callable| Arc::new(PyListener(callable)) as Arc<dyn SessionObserver>);
        let engine = Arc::new(verifier.engine(clock, entropy, observer));
        Ok(Self {
            verifier,
            engine,
            limits: ImageLimits::default(),
            session_key,
        })
    }

    /// True when the models are loaded (else every analysed check is `unavailable`).
    #[getter]
    fn models_loaded(&self) -> bool {
        self.verifier.models_loaded()
    }

    /// Opens a session for `scenario`, with a random id or the host's own `session_id`.
    #[pyo3(signature = (scenario, session_id=None))]
    fn create_session(
        &self,
        py: Python<'_>,
        scenario: &Bound<'_, Scenario>,
        session_id: Option<&str>,
    ) -> PyResult<Session> {
        let scenario = scenario.get().0.clone();
        self.verifier.prepare(&scenario);
        let session = match session_id {
            Some(id) => self
                .engine
                .create_session_with_id(&scenario, id, Origin::Api)
                .map_err(|e| core_error(py, &e))?,
            None => self.engine.create_session(&scenario, Origin::Api),
        };
        Ok(self.wrap(scenario, session))
    }

    /// A stored session (from `Session.to_json`) to go on with. Under a `session_key`, only a
    /// sealed text whose seal matches loads (`session.seal_mismatch`, `session.unsealed`).
    fn load_session(
        &self,
        py: Python<'_>,
        scenario: &Bound<'_, Scenario>,
        stored: &str,
    ) -> PyResult<Session> {
        let session = kyc_core::Session::load(stored, self.session_key.as_deref())
            .map_err(|e| core_error(py, &e))?;
        let scenario = scenario.get().0.clone();
        self.verifier.prepare(&scenario);
        Ok(self.wrap(scenario, session))
    }

    /// The face template of the largest face in `image`, or `None` when there is no face.
    fn face_template(
        &self,
        py: Python<'_>,
        image: &Bound<'_, PyAny>,
    ) -> PyResult<Option<FaceTemplate>> {
        let data = crate::convert::image(py, image, &self.limits)?;
        py.detach(|| self.verifier.face_template(&data))
            .map(|t| t.map(FaceTemplate))
            .map_err(|e| public_error(py, &e))
    }

    fn __repr__(&self) -> String {
        format!("Engine(models_loaded={})", self.verifier.models_loaded())
    }
}

impl Engine {
    fn wrap(&self, scenario: Arc<kyc_core::Scenario>, session: kyc_core::Session) -> Session {
        Session {
            engine: self.engine.clone(),
            scenario,
            session: Mutex::new(session),
            limits: self.limits,
            session_key: self.session_key.clone(),
        }
    }
}

/// One person's verification. The host stores it (`to_json`) and reads its result.
#[pyclass(module = "kyc", frozen)]
pub(crate) struct Session {
    engine: Arc<kyc_core::Engine>,
    scenario: Arc<kyc_core::Scenario>,
    session: Mutex<kyc_core::Session>,
    limits: ImageLimits,
    session_key: Option<Arc<SessionKey>>,
}

impl Session {
    fn lock(&self) -> MutexGuard<'_, kyc_core::Session> {
        self.session
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner())
    }

    /// The step to capture for: the given one, else the current one (else the last, so that the
    /// engine reports why it takes no more).
    fn step_id(&self, step: Option<String>) -> String {
        if let Some(step) = step {
            return step;
        }
        let session = self.lock();
        match session.current_step(&self.scenario) {
            Some((_, record)) => record.step_id.clone(),
            None => self
                .scenario
                .steps
                .last()
                .map(|s| s.id().to_owned())
                .unwrap_or_default(),
        }
    }

    fn submit_images<'py>(
        &self,
        py: Python<'py>,
        step: Option<String>,
        images: Vec<(ImageKind, &Bound<'py, PyAny>)>,
    ) -> PyResult<Bound<'py, PyAny>> {
        let mut captured = Vec::with_capacity(images.len());
        for (kind, value) in images {
            captured.push(CaptureImage::new(kind, image(py, value, &self.limits)?));
        }
        let step_id = self.step_id(step);
        let report = py
            .detach(|| {
                let mut session = self.lock();
                self.engine
                    .submit_capture(&self.scenario, &mut session, &step_id, &captured)
            })
            .map_err(|e| core_error(py, &e))?;
        to_py(
            py,
            &serde_json::json!({
                "step_id": report.step_id,
                "attempt": report.attempt,
                "outcome": report.outcome,
                "reason_code": report.reason_code,
                "checks": report.checks,
                "step_outcome": report.step_outcome,
                "attempts_left": report.attempts_left,
                "status": report.status,
            }),
        )
    }
}

fn image_kind(py: Python<'_>, name: &str) -> PyResult<ImageKind> {
    serde_json::from_value(serde_json::Value::String(name.to_owned())).map_err(|_| {
        crate::error::invalid_input(
            py,
            "capture.unexpected_image",
            &format!(
                "unknown image kind '{name}': document_front, document_back, selfie, \
                 selfie_with_document or liveness_frame"
            ),
        )
    })
}

#[pymethods]
impl Session {
    /// The session id.
    #[getter]
    fn id(&self) -> String {
        self.lock().id.clone()
    }

    /// `created`, `in_progress`, `approved`, `declined`, `blocked`, `frozen` or `manual_review`.
    #[getter]
    fn status(&self) -> &'static str {
        self.lock().status.as_str()
    }

    /// True while the session takes captures.
    #[getter]
    fn accepts_captures(&self) -> bool {
        self.lock().status.accepts_captures()
    }

    /// The step the person is on, or `None` when every step has ended.
    #[getter]
    fn current_step(&self) -> Option<String> {
        let session = self.lock();
        session
            .current_step(&self.scenario)
            .map(|(_, r)| r.step_id.clone())
    }

    /// Submits one capture of a document: the front (or a passport's data page) and, for
    /// two-sided documents, the back. Returns the capture report as a dict.
    #[pyo3(signature = (front, back=None, *, step=None))]
    fn submit_document<'py>(
        &self,
        py: Python<'py>,
        front: &Bound<'py, PyAny>,
        back: Option<&Bound<'py, PyAny>>,
        step: Option<String>,
    ) -> PyResult<Bound<'py, PyAny>> {
        let mut images = vec![(ImageKind::DocumentFront, front)];
        if let Some(back) = back {
            images.push((ImageKind::DocumentBack, back));
        }
        self.submit_images(py, step, images)
    }

    /// Submits one selfie capture (and the selfie with the document in hand, when the step asks
    /// for it).
    #[pyo3(signature = (selfie, with_document=None, *, step=None))]
    fn submit_selfie<'py>(
        &self,
        py: Python<'py>,
        selfie: &Bound<'py, PyAny>,
        with_document: Option<&Bound<'py, PyAny>>,
        step: Option<String>,
    ) -> PyResult<Bound<'py, PyAny>> {
        let mut images = vec![(ImageKind::Selfie, selfie)];
        if let Some(with_document) = with_document {
            images.push((ImageKind::SelfieWithDocument, with_document));
        }
        self.submit_images(py, step, images)
    }

    /// Submits any capture: `images` is a list of `(kind, image)` pairs, kinds as in the result
    /// JSON (`document_front`, `document_back`, `selfie`, `selfie_with_document`,
    /// `liveness_frame`).
    #[pyo3(signature = (images, *, step=None))]
    fn submit<'py>(
        &self,
        py: Python<'py>,
        images: Vec<(String, Bound<'py, PyAny>)>,
        step: Option<String>,
    ) -> PyResult<Bound<'py, PyAny>> {
        let kinds = images
            .iter()
            .map(|(k, _)| image_kind(py, k))
            .collect::<PyResult<Vec<_>>>()?;
        let pairs = kinds
            .into_iter()
            .zip(images.iter().map(|(_, v)| v))
            .collect();
        self.submit_images(py, step, pairs)
    }

    /// An operator's decision (`approved`, `declined` or `blocked`) with a reason code.
    fn decide(
        &self,
        py: Python<'_>,
        operator_id: &str,
        decision: &str,
        reason: &str,
    ) -> PyResult<()> {
        let decision: SessionStatus = serde_json::from_value(serde_json::Value::String(
            decision.to_owned(),
        ))
        .map_err(|_| {
            crate::error::invalid_input(
                py,
                "session.bad_decision",
                &format!("unknown decision '{decision}'"),
            )
        })?;
        let mut session = self.lock();
        self.engine
            .decide_manually(&mut session, operator_id, decision, reason)
            .map_err(|e| core_error(py, &e))
    }

    /// Enrols the person of this approved session in the scenario's customer list as
    /// `person_id`, with their selfie's face: their next session recognises them
    /// (`selfie.customer_match`).
    fn enroll_customer(&self, py: Python<'_>, person_id: &str) -> PyResult<()> {
        let mut session = self.lock();
        self.engine
            .enroll_customer(&self.scenario, &mut session, person_id)
            .map_err(|e| core_error(py, &e))
    }

    /// What the session waits for, while it is open: a dict (`type` `capture` with `step_id`,
    /// `retake`, `attempts_left`; or `database_checks` with `sources`, `deadline`), else `None`.
    fn waiting_for<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
        let session = self.lock();
        to_py(
            py,
            &kyc_core::session::decide::waiting_for(&self.scenario, &session),
        )
    }

    /// Freezes the session if its lifetime is over, or hands a session whose registries missed
    /// their deadline to review; true when it moved.
    fn refresh(&self) -> bool {
        let mut session = self.lock();
        self.engine.refresh(&self.scenario, &mut session)
    }

    /// The result (schema_version 1) as a dict.
    fn result<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
        json_loads(py, &self.result_json())
    }

    /// The result as the core's pretty JSON text (byte for byte what every binding gives).
    fn result_json(&self) -> String {
        let session = self.lock();
        VerificationResult::build(&self.scenario, &session).to_json_pretty()
    }

    /// The stored form, for the host to keep (`Engine.load_session` reads it back): sealed when
    /// the engine has a `session_key`, else plain JSON.
    fn to_json(&self) -> String {
        self.lock().store(self.session_key.as_deref())
    }

    /// The session's data as a dict (never sealed: for reading, not for storing).
    fn to_dict<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
        let json = self.lock().to_json();
        json_loads(py, &json)
    }

    fn __repr__(&self) -> String {
        let session = self.lock();
        format!(
            "Session(id={:?}, status={:?})",
            session.id,
            session.status.as_str()
        )
    }
}

impl Session {
    /// The stored form (for reports).
    pub(crate) fn stored(&self) -> String {
        self.lock().to_json()
    }
}
