//! `kyc.Engine` and `kyc.Session`: sessions driven capture by capture, images from bytes, paths or
//! arrays, results as dicts or the core's JSON. The GIL is released while the engine works, so
//! threads run captures in parallel.
//!
//! Locks and the GIL: a session's lock (and the stores' locks inside the core) is only ever taken
//! with the GIL released, and the GIL is never taken while a Rust lock is held. Events the engine
//! emits during a call are kept on the calling thread and handed to the host's callable once the
//! call has released its locks. So no thread holds the GIL while it waits for a lock whose holder
//! waits for the GIL, and the callable may read the session it hears about.

use std::cell::RefCell;
use std::path::PathBuf;
use std::sync::{Arc, Mutex, MutexGuard};

use kyc_core::analysis::{CaptureImage, ImageKind};
use kyc_core::facade::{Stores, Verifier};
use kyc_core::image::ImageLimits;
use kyc_core::session::{Origin, SessionEvent, SessionKey, SessionObserver, SessionStatus};
use kyc_core::{Clock, FixedClock, SystemClock, VerificationResult};
use pyo3::exceptions::PyValueError;
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
/// stop the engine: Python reports it as unraisable. During a call made through [`without_gil`]
/// the events are held on the thread and handed over when the call returns.
struct PyListener(Arc<Py<PyAny>>);

/// An event and the callable it goes to.
type HeldEvent = (Arc<Py<PyAny>>, SessionEvent);

thread_local! {
    /// The events of the [`without_gil`] call under way on this thread (`None` outside one).
    static HELD: RefCell<Option<Vec<HeldEvent>>> = const { RefCell::new(None) };
}

impl SessionObserver for PyListener {
    fn on_event(&self, event: &SessionEvent) {
        let held = HELD.with(|held| match held.borrow_mut().as_mut() {
            Some(events) => {
                events.push((self.0.clone(), event.clone()));
                true
            }
            None => false,
        });
        if !held {
            Python::attach(|py| deliver(py, &self.0, event));
        }
    }
}

fn deliver(py: Python<'_>, callable: &Py<PyAny>, event: &SessionEvent) {
    let text = serde_json::to_string(event).unwrap_or_default();
    let called = json_loads(py, &text).and_then(|dict| callable.call1(py, (dict,)));
    if let Err(e) = called {
        e.write_unraisable(py, Some(callable.bind(py)));
    }
}

/// Clears this thread's held events however the call ends.
struct Holding;

impl Drop for Holding {
    fn drop(&mut self) {
        HELD.with(|held| *held.borrow_mut() = None);
    }
}

/// Runs `f` (engine work that may take locks and emit events) with the GIL released, then hands
/// the events it emitted to the host's callable with the GIL held and no lock held.
fn without_gil<R: Send>(py: Python<'_>, f: impl FnOnce() -> R + Send) -> R {
    let (out, events) = py.detach(|| {
        HELD.with(|held| *held.borrow_mut() = Some(Vec::new()));
        let holding = Holding;
        let out = f();
        let events = HELD
            .with(|held| held.borrow_mut().take())
            .unwrap_or_default();
        drop(holding);
        (out, events)
    });
    for (callable, event) in &events {
        deliver(py, callable, event);
    }
    out
}

#[pymethods]
impl Engine {
    #[new]
    #[pyo3(signature = (model_dir=None, *, models=true, onnxruntime_library=None, now=None, test_entropy=None, threads=1, face_lists=None, history=None, on_event=None, session_key=None, capture_timeout=None))]
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
        capture_timeout: Option<f64>,
    ) -> PyResult<Self> {
        let capture_timeout = capture_timeout
            .map(|seconds| {
                std::time::Duration::try_from_secs_f64(seconds)
                    .ok()
                    .filter(|d| !d.is_zero())
                    .ok_or_else(|| {
                        pyo3::exceptions::PyValueError::new_err(format!(
                            "capture_timeout is a positive number of seconds, not {seconds}"
                        ))
                    })
            })
            .transpose()?;
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
        let verifier = match capture_timeout {
            Some(budget) => verifier.with_capture_budget(budget),
            None => verifier,
        };
        let observer = on_event
            .map(|callable| Arc::new(PyListener(Arc::new(callable))) as Arc<dyn SessionObserver>);
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
        let session = without_gil(py, || {
            self.verifier.prepare(&scenario);
            match session_id {
                Some(id) => self
                    .engine
                    .create_session_with_id(&scenario, id, Origin::Api),
                None => Ok(self.engine.create_session(&scenario, Origin::Api)),
            }
        })
        .map_err(|e| core_error(py, &e))?;
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
        py.detach(|| self.verifier.prepare(&scenario));
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
    /// The lock; taken only inside [`Session::with`], with the GIL released.
    fn lock(&self) -> MutexGuard<'_, kyc_core::Session> {
        self.session
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner())
    }

    /// Runs `f` on the session with the GIL released (a capture on another thread holds the lock
    /// for as long as it runs); `f` copies out what the caller needs.
    fn with<R: Send>(
        &self,
        py: Python<'_>,
        f: impl FnOnce(&mut kyc_core::Session) -> R + Send,
    ) -> R {
        without_gil(py, || f(&mut self.lock()))
    }

    /// The step to capture for: the given one, else the current one (else the last, so that the
    /// engine reports why it takes no more).
    fn step_id(&self, session: &kyc_core::Session, step: Option<String>) -> String {
        if let Some(step) = step {
            return step;
        }
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
        let report = self
            .with(py, |session| {
                let step_id = self.step_id(session, step);
                self.engine
                    .submit_capture(&self.scenario, session, &step_id, &captured)
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
    fn id(&self, py: Python<'_>) -> String {
        self.with(py, |s| s.id.clone())
    }

    /// `created`, `in_progress`, `approved`, `declined`, `blocked`, `frozen` or `manual_review`.
    #[getter]
    fn status(&self, py: Python<'_>) -> &'static str {
        self.with(py, |s| s.status.as_str())
    }

    /// True while the session takes captures.
    #[getter]
    fn accepts_captures(&self, py: Python<'_>) -> bool {
        self.with(py, |s| s.status.accepts_captures())
    }

    /// The step the person is on, or `None` when every step has ended.
    #[getter]
    fn current_step(&self, py: Python<'_>) -> Option<String> {
        self.with(py, |s| {
            s.current_step(&self.scenario)
                .map(|(_, r)| r.step_id.clone())
        })
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
        self.with(py, |s| {
            self.engine
                .decide_manually(s, operator_id, decision, reason)
        })
        .map_err(|e| core_error(py, &e))
    }

    /// Enrols the person of this approved session in the scenario's customer list as
    /// `person_id`, with their selfie's face: their next session recognises them
    /// (`selfie.customer_match`).
    fn enroll_customer(&self, py: Python<'_>, person_id: &str) -> PyResult<()> {
        self.with(py, |s| {
            self.engine.enroll_customer(&self.scenario, s, person_id)
        })
        .map_err(|e| core_error(py, &e))
    }

    /// What the session waits for, while it is open: a dict (`type` `capture` with `step_id`,
    /// `retake`, `attempts_left`; or `database_checks` with `sources`, `deadline`), else `None`.
    fn waiting_for<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
        let waiting = self.with(py, |s| {
            serde_json::to_string(&kyc_core::session::decide::waiting_for(&self.scenario, s))
        });
        let text = waiting.map_err(|e| PyValueError::new_err(e.to_string()))?;
        json_loads(py, &text)
    }

    /// Freezes the session if its lifetime is over, or hands a session whose registries missed
    /// their deadline to review; true when it moved.
    fn refresh(&self, py: Python<'_>) -> bool {
        self.with(py, |s| self.engine.refresh(&self.scenario, s))
    }

    /// The result (schema_version 1) as a dict.
    fn result<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
        let text = self.result_json(py);
        json_loads(py, &text)
    }

    /// The result as the core's pretty JSON text (byte for byte what every binding gives).
    fn result_json(&self, py: Python<'_>) -> String {
        self.with(py, |s| {
            VerificationResult::build(&self.scenario, s).to_json_pretty()
        })
    }

    /// The stored form, for the host to keep (`Engine.load_session` reads it back): sealed when
    /// the engine has a `session_key`, else plain JSON.
    fn to_json(&self, py: Python<'_>) -> String {
        self.with(py, |s| s.store(self.session_key.as_deref()))
    }

    /// The session's data as a dict (never sealed: for reading, not for storing).
    fn to_dict<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
        let json = self.stored(py);
        json_loads(py, &json)
    }

    fn __repr__(&self, py: Python<'_>) -> String {
        self.with(py, |s| {
            format!("Session(id={:?}, status={:?})", s.id, s.status.as_str())
        })
    }
}

impl Session {
    /// The session's plain JSON (for reports and `to_dict`).
    pub(crate) fn stored(&self, py: Python<'_>) -> String {
        self.with(py, |s| s.to_json())
    }
}
