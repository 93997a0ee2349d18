//! The console's engine and what operators and people do with it, over the store: open a link,
//! submit a capture, add a session by hand, decide, put a face in a list. Each operation loads the
//! session, runs the engine on it, and saves the session, its events, the callbacks they call for
//! and the capture's images in one transaction, by compare-and-set on the session's version; a
//! lost race reloads and runs again.

use std::path::PathBuf;
use std::sync::Arc;

use jiff::{SignedDuration, Timestamp};
use kyc_core::analysis::{CaptureImage, FaceListHit, FaceLists, HistoryStore, ImageKind};
use kyc_core::capture::ImageData;
use kyc_core::facade::{ScenarioDescription, Verifier};
use kyc_core::history::{HistoryKey, KeyedHistoryStore};
use kyc_core::link::{self, IssuedLink};
use kyc_core::scenario::Step;
use kyc_core::session::{CaptureReport, Origin, RecordingObserver};
use kyc_core::{Engine, OsEntropy, Scenario, Session, SessionStatus, SystemClock};

use crate::error::{ConsoleError, Result};
use crate::store::{self, SqlFaceLists, SqlHistoryRecords, SqlLinks, Store};

/// Largest image accepted (each file of an upload).
pub const MAX_IMAGE_BYTES: usize = 10 * 1024 * 1024;
/// Most images in one capture (active liveness sends frames).
pub const MAX_IMAGES: usize = 64;
/// How long a capture cookie lasts once a link is opened.
pub const CAPTURE_GRANT_MS: i64 = 2 * 3600 * 1000;

/// How the console runs.
#[derive(Clone, Debug)]
pub struct Config {
    /// `sqlite:<file>` / a file path, or a `postgres://` URL.
    pub database: String,
    /// Where to listen.
    pub listen: std::net::SocketAddr,
    /// The base URL links point to (e.g. `http://127.0.0.1:8080`).
    pub public_url: String,
    /// The built kyc-wasm package (`scripts/build_wasm.sh <dir>`), served under `/wasm/`.
    pub wasm_dir: Option<PathBuf>,
    /// Scenario files loaded at first start (`fixtures/scenarios`).
    pub scenarios_dir: Option<PathBuf>,
    /// Load no models (every analysed check unavailable), e.g. for storage tests.
    pub no_models: bool,
    /// Seconds between retention sweeps.
    pub retention_every: u64,
    /// The first operator's name and password (else a password is printed once).
    pub admin: Option<(String, String)>,
    /// The key stored sessions are sealed under ([`crate::session_key`]); `None` stores them as
    /// plain JSON (storage tests only: the binary always seals).
    pub session_key: Option<kyc_core::session::SessionKey>,
    /// Callback retry policy: delay before the second attempt, seconds.
    pub callback_initial_delay: u64,
    /// Send callbacks to any host; otherwise to loopback addresses only (the fixtures' scenarios
    /// name `bank.example`, which must not be called from a test machine).
    pub callback_any_host: bool,
}

/// The running console: store, engine, stores attached.
pub struct App {
    /// Storage.
    pub store: Store,
    /// Configuration.
    pub config: Config,
    verifier: Verifier,
    /// Why the models are absent, when they are (shown as a banner).
    pub model_note: Option<String>,
    face_lists: Arc<SqlFaceLists>,
    history: Arc<dyn HistoryStore>,
    /// Randomness for the engine (session ids, link tokens, nonces, jitter): the OS's, read afresh
    /// on every draw, so worker processes forked from one console never share a stream.
    pub entropy: Arc<OsEntropy>,
}

impl std::fmt::Debug for App {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("App")
            .field("store", &self.store)
            .field("models", &self.verifier.models_loaded())
            .finish_non_exhaustive()
    }
}

/// What a capture came to, for the page.
#[derive(Clone, Debug, serde::Serialize)]
pub struct CaptureView {
    /// The session.
    pub session_id: String,
    /// The step.
    pub step_id: String,
    /// 1-based attempt.
    pub attempt: u32,
    /// `passed`, `failed`, `unavailable`.
    pub outcome: String,
    /// The deciding reason.
    pub reason_code: String,
    /// Attempts left in the step.
    pub attempts_left: u32,
    /// The session's status now.
    pub status: String,
    /// The step to capture next, if any.
    pub next_step: Option<String>,
}

/// A batch of links just made: the tokens, shown once.
#[derive(Clone, Debug)]
pub struct Batch {
    /// Its id.
    pub batch_id: String,
    /// The links.
    pub links: Vec<IssuedLink>,
}

impl App {
    /// Opens the store (migrating it), loads the models (or notes their absence), attaches the
    /// stores, loads the scenarios at first start and makes the first operator.
    pub fn start(config: Config) -> Result<Self> {
        let store = Store::open(&config.database)?;
        let store = match &config.session_key {
            Some(key) => store.sealed(key.clone()),
            None => store,
        };
        let (verifier, model_note) = if config.no_models {
            (
                Verifier::without_models(),
                Some("started without models (--no-models)".to_owned()),
            )
        } else {
            match Verifier::load(None, None, 1) {
                Ok(v) => (v, None),
                Err(e) => (
                    Verifier::without_models(),
                    Some(format!(
                        "models unavailable ({}): every analysed check answers unavailable; run KYC_SETUP=models source scripts/setup.sh",
                        e.code
                    )),
                ),
            }
        };
        // The tenant key of the history's keyed hashes: from the environment, else made once
        // and kept in the database.
        let key = match std::env::var("KYC_CONSOLE_HISTORY_KEY") {
            Ok(k) if !k.is_empty() => k,
            _ => store.setting_or_insert("history_key", &crate::random_hex(32)?)?,
        };
        let history_key = HistoryKey::new(key.as_bytes())
            .map_err(|e| ConsoleError::invalid(e.code(), e.to_string()))?;
        let history: Arc<dyn HistoryStore> = Arc::new(KeyedHistoryStore::new(
            history_key,
            SqlHistoryRecords::new(store.clone()),
        ));
        let app = Self {
            face_lists: Arc::new(SqlFaceLists::new(store.clone())),
            history,
            store,
            verifier,
            model_note,
            entropy: Arc::new(
                OsEntropy::new()
                    .map_err(|e| ConsoleError::Internal(format!("no randomness: {e}")))?,
            ),
            config,
        };
        app.first_start()?;
        Ok(app)
    }

    fn first_start(&self) -> Result<()> {
        if self.store.setting("scenarios_loaded")?.is_none() {
            if let Some(dir) = &self.config.scenarios_dir {
                let mut files: Vec<PathBuf> = std::fs::read_dir(dir)
                    .map_err(|e| ConsoleError::Internal(format!("{}: {e}", dir.display())))?
                    .filter_map(|e| e.ok().map(|e| e.path()))
                    .filter(|p| p.extension().is_some_and(|x| x == "json"))
                    .collect();
                files.sort();
                for file in files {
                    let text = std::fs::read_to_string(&file)
                        .map_err(|e| ConsoleError::Internal(format!("{}: {e}", file.display())))?;
                    let scenario = Scenario::from_json(&text)?;
                    match self.store.insert_scenario(&scenario) {
                        Ok(()) => eprintln!("console: scenario {} loaded", scenario.id),
                        Err(ConsoleError::Invalid { code, .. })
                            if code == "console.scenario_exists" => {}
                        Err(e) => return Err(e),
                    }
                }
            }
            self.store.set_setting("scenarios_loaded", "1")?;
        }
        if self.store.operator_count()? == 0 {
            let (user, password, printed) = match &self.config.admin {
                Some((u, p)) => (u.clone(), p.clone(), false),
                None => ("admin".to_owned(), crate::random_token()?, true),
            };
            match self.store.create_operator(&user, &password) {
                Ok(_) if printed => {
                    // Printed once, to the console's own terminal; never logged again.
                    println!("console: first operator '{user}' created with password {password}");
                }
                Ok(_) => eprintln!("console: first operator '{user}' created"),
                Err(ConsoleError::Invalid { code, .. }) if code == "console.username_taken" => {}
                Err(e) => return Err(e),
            }
        }
        Ok(())
    }

    /// True when the models are loaded.
    pub fn models_loaded(&self) -> bool {
        self.verifier.models_loaded()
    }

    /// An engine over the models and the database's stores, telling `observer`.
    pub fn engine(&self, observer: Arc<RecordingObserver>) -> Engine {
        let base = self
            .verifier
            .engine(Arc::new(SystemClock), self.entropy.clone(), None);
        let mut analyzers = base.analyzers().clone();
        analyzers.face_lists = Some(self.face_lists.clone() as Arc<dyn FaceLists>);
        analyzers.history = Some(self.history.clone());
        Engine::builder(Arc::new(SystemClock), self.entropy.clone())
            .analyzers(analyzers)
            .observer(observer)
            .build()
    }

    /// The scenario `id`.
    pub fn scenario(&self, id: &str) -> Result<Scenario> {
        self.store
            .scenario(id)?
            .map(|r| r.scenario)
            .ok_or_else(|| ConsoleError::NotFound(format!("scenario {id}")))
    }

    /// Makes `count` links for `scenario_id` lasting `lifetime_minutes`.
    pub fn make_links(
        &self,
        operator_id: &str,
        scenario_id: &str,
        count: u32,
        lifetime_minutes: i64,
    ) -> Result<Batch> {
        let scenario = self.scenario(scenario_id)?;
        let batch_id = format!("b_{}", crate::random_hex(6)?);
        let links = SqlLinks::new(self.store.clone(), &batch_id);
        let issued = link::issue(
            &links,
            &scenario,
            count,
            SignedDuration::from_mins(lifetime_minutes),
            Timestamp::now(),
            self.entropy.as_ref(),
        )?;
        self.store.audit(
            operator_id,
            "links_made",
            &batch_id,
            &format!("{count} links for scenario {scenario_id}, {lifetime_minutes} min"),
        )?;
        Ok(Batch {
            batch_id,
            links: issued,
        })
    }

    /// Opens a link: spends it (once, whatever the concurrency), opens its session and grants a
    /// capture cookie. Returns the cookie value and the session id.
    pub fn open_link(&self, token: &str) -> Result<(String, String)> {
        if token.len() > link::MAX_TOKEN_LEN {
            return Err(ConsoleError::Forbidden("not a link"));
        }
        let scenario_id = link::peek_scenario_id(token)?;
        let scenario = self
            .store
            .scenario(&scenario_id)?
            .map(|r| r.scenario)
            .ok_or(ConsoleError::Forbidden("the link's scenario is gone"))?;
        let links = SqlLinks::new(self.store.clone(), "");
        let record = link::open(&links, &scenario, token, Timestamp::now())?;
        let observer = Arc::new(RecordingObserver::default());
        let engine = self.engine(observer.clone());
        let session = engine.create_session(
            &scenario,
            Origin::Link {
                link_id: record.link_id.clone(),
            },
        );
        let grant = crate::random_token()?;
        let grant_hash = store::operators_token_hash(&grant);
        let expires = crate::now_ms() + CAPTURE_GRANT_MS;
        let key = self.store.session_key();
        self.store.tx(|c| {
            store::sessions::insert_session(c, &session, Some(&record.link_id), key)?;
            store::sessions::insert_events(c, &observer.take())?;
            Store::grant_capture(c, &grant_hash, &session.id, expires)?;
            Ok(())
        })?;
        let events = self.store.session_events(&session.id)?;
        self.queue_callbacks(&scenario, &session, &events)?;
        link::start(&links, &record.link_id, &session.id)?;
        Ok((grant, session.id))
    }

    fn queue_callbacks(
        &self,
        scenario: &Scenario,
        session: &Session,
        events: &[kyc_core::SessionEvent],
    ) -> Result<()> {
        let notes = kyc_core::callback::notifications(scenario, session, events);
        if notes.is_empty() {
            return Ok(());
        }
        self.store.tx(|c| {
            for n in &notes {
                store::enqueue(c, n)?;
            }
            Ok(())
        })
    }

    /// What the capture page shows of a session's scenario: validated, without the secret.
    pub fn describe(&self, scenario: &Scenario) -> ScenarioDescription {
        ScenarioDescription::of(scenario)
    }

    /// Submits one capture of `step_id` to session `session_id`.
    pub fn submit(
        &self,
        session_id: &str,
        step_id: &str,
        images: &[(ImageKind, Vec<u8>)],
    ) -> Result<CaptureView> {
        if images.is_empty() || images.len() > MAX_IMAGES {
            return Err(ConsoleError::invalid(
                "capture.image_count",
                format!("a capture holds 1 to {MAX_IMAGES} images"),
            ));
        }
        if let Some(big) = images.iter().find(|(_, b)| b.len() > MAX_IMAGE_BYTES) {
            let _ = big;
            return Err(ConsoleError::TooLarge {
                limit: MAX_IMAGE_BYTES,
            });
        }
        let captures: Vec<CaptureImage> = images
            .iter()
            .map(|(k, b)| CaptureImage::encoded(*k, b.clone()))
            .collect();
        for _ in 0..5 {
            let row = self
                .store
                .session(session_id)?
                .ok_or_else(|| ConsoleError::NotFound(format!("session {session_id}")))?;
            let scenario = self.scenario(&row.session.scenario_id)?;
            let mut session = row.session;
            let observer = Arc::new(RecordingObserver::default());
            let engine = self.engine(observer.clone());
            let report = engine.submit_capture(&scenario, &mut session, step_id, &captures);
            let events = observer.take();
            let saved = self.commit(
                &scenario,
                &session,
                row.version,
                &events,
                |c, attempt| {
                    if let Some(attempt) = attempt {
                        for (kind, bytes) in images {
                            store::sessions::insert_image(
                                c,
                                session_id,
                                step_id,
                                attempt,
                                kind_word(*kind),
                                bytes,
                            )?;
                        }
                    }
                    Ok(())
                },
                report.as_ref().ok().map(|r| i64::from(r.attempt)),
            );
            match saved {
                Err(ConsoleError::Conflict) => continue,
                Err(e) => return Err(e),
                Ok(()) => {}
            }
            if let Some(link_id) = &row.link_id {
                self.follow_link(link_id, session.status);
            }
            let report: CaptureReport = report?;
            return Ok(CaptureView {
                session_id: session.id.clone(),
                step_id: report.step_id,
                attempt: report.attempt,
                outcome: serde_word(&report.outcome),
                reason_code: report.reason_code,
                attempts_left: report.attempts_left,
                status: session.status.as_str().to_owned(),
                next_step: next_step(&scenario, &session),
            });
        }
        Err(ConsoleError::Conflict)
    }

    /// Saves a session moved by the engine, with its events, callbacks and (through `extra`)
    /// whatever else belongs to the same change, if it is still at `version`.
    fn commit(
        &self,
        scenario: &Scenario,
        session: &Session,
        version: i64,
        events: &[kyc_core::SessionEvent],
        extra: impl FnOnce(&mut dyn crate::db::Conn, Option<i64>) -> Result<()>,
        attempt: Option<i64>,
    ) -> Result<()> {
        if events.is_empty() {
            return Ok(());
        }
        let notes = kyc_core::callback::notifications(scenario, session, events);
        let key = self.store.session_key();
        self.store.tx(|c| {
            store::sessions::save_session(c, session, version, key)?;
            store::sessions::insert_events(c, events)?;
            for n in &notes {
                store::enqueue(c, n)?;
            }
            extra(c, attempt)
        })
    }

    /// The link's status follows its session (success on approval, failure on decline or
    /// block); a link already final stays.
    fn follow_link(&self, link_id: &str, status: SessionStatus) {
        let links = SqlLinks::new(self.store.clone(), "");
        // An illegal move means the link is already where it ends.
        let _ = link::finish(&links, link_id, status);
    }

    /// An operator opens a session by hand and submits `images` step by step: document images
    /// to the document steps in order, the selfie to the selfie (and passive liveness) steps.
    pub fn manual_session(
        &self,
        operator_id: &str,
        scenario_id: &str,
        documents: Vec<(ImageKind, Vec<u8>)>,
        selfie: Option<Vec<u8>>,
    ) -> Result<(String, Vec<std::result::Result<CaptureView, String>>)> {
        let scenario = self.scenario(scenario_id)?;
        let observer = Arc::new(RecordingObserver::default());
        let engine = self.engine(observer.clone());
        let session = engine.create_session(
            &scenario,
            Origin::Manual {
                operator_id: operator_id.to_owned(),
            },
        );
        let events = observer.take();
        let notes = kyc_core::callback::notifications(&scenario, &session, &events);
        let key = self.store.session_key();
        self.store.tx(|c| {
            store::sessions::insert_session(c, &session, None, key)?;
            store::sessions::insert_events(c, &events)?;
            for n in &notes {
                store::enqueue(c, n)?;
            }
            store::operators::audit(
                c,
                operator_id,
                "session_added",
                &session.id,
                &format!("scenario {scenario_id}"),
            )
        })?;
        let mut outcomes = Vec::new();
        for step in &scenario.steps {
            let required = step.capture_requirement();
            let images: Vec<(ImageKind, Vec<u8>)> = match step {
                Step::Document(_) => documents
                    .iter()
                    .filter(|(k, _)| required.images.contains(k))
                    .cloned()
                    .collect(),
                _ => match (&selfie, required.images.as_slice()) {
                    (Some(bytes), [kind])
                        if matches!(kind, ImageKind::Selfie | ImageKind::SelfieWithDocument) =>
                    {
                        vec![(*kind, bytes.clone())]
                    }
                    _ => Vec::new(),
                },
            };
            if images.is_empty() {
                break;
            }
            let r = self.submit(&session.id, step.id(), &images);
            let stop = !matches!(&r, Ok(v) if v.outcome == "passed");
            outcomes.push(r.map_err(|e| format!("{}: {e}", e.code())));
            if stop {
                break;
            }
        }
        Ok((session.id, outcomes))
    }

    /// An operator decides a session (approved, declined, blocked) with a reason: recorded in
    /// the session's own trail and in the operator audit, in one transaction.
    pub fn decide(
        &self,
        operator_id: &str,
        session_id: &str,
        decision: SessionStatus,
        reason: &str,
    ) -> Result<()> {
        for _ in 0..5 {
            let row = self
                .store
                .session(session_id)?
                .ok_or_else(|| ConsoleError::NotFound(format!("session {session_id}")))?;
            let scenario = self.scenario(&row.session.scenario_id)?;
            let mut session = row.session;
            let observer = Arc::new(RecordingObserver::default());
            let engine = self.engine(observer.clone());
            let decided = engine.decide_manually(&mut session, operator_id, decision, reason);
            let events = observer.take();
            if let Err(e) = decided
                && events.is_empty()
            {
                return Err(e.into());
            }
            let detail = format!("{decision}: {reason}");
            match self.commit(
                &scenario,
                &session,
                row.version,
                &events,
                |c, _| store::operators::audit(c, operator_id, "decision", session_id, &detail),
                None,
            ) {
                Err(ConsoleError::Conflict) => continue,
                Err(e) => return Err(e),
                Ok(()) => {}
            }
            if let Some(link_id) = &row.link_id {
                self.follow_link(link_id, session.status);
            }
            return Ok(());
        }
        Err(ConsoleError::Conflict)
    }

    /// Puts the selfie face of `session_id` into `list_id` as `person_id`.
    pub fn add_session_face(
        &self,
        operator_id: &str,
        session_id: &str,
        list_id: &str,
        person_id: &str,
    ) -> Result<()> {
        let row = self
            .store
            .session(session_id)?
            .ok_or_else(|| ConsoleError::NotFound(format!("session {session_id}")))?;
        let template = row
            .session
            .steps
            .iter()
            .flat_map(|s| &s.captures)
            .filter_map(|c| c.selfie.as_ref()?.template.as_ref())
            .next_back()
            .ok_or_else(|| {
                ConsoleError::invalid("console.no_selfie_face", "the session holds no selfie face")
            })?
            .clone();
        self.store
            .add_face(list_id, person_id, &template, Some(session_id))?;
        self.store.audit(
            operator_id,
            "face_added",
            list_id,
            &format!("{person_id} from session {session_id}"),
        )
    }

    /// The closest person to the face in `image` in `list_id`.
    pub fn search_face(&self, list_id: &str, image: Vec<u8>) -> Result<Option<FaceListHit>> {
        if image.len() > MAX_IMAGE_BYTES {
            return Err(ConsoleError::TooLarge {
                limit: MAX_IMAGE_BYTES,
            });
        }
        let template = self
            .verifier
            .face_template(&ImageData::Encoded(image))?
            .ok_or_else(|| ConsoleError::invalid("console.no_face", "no face in the image"))?;
        Ok(self.face_lists.closest(list_id, &template)?)
    }

    /// The session's result JSON (built from the stored session alone).
    pub fn result_json(&self, session: &Session) -> Result<serde_json::Value> {
        let scenario = self.scenario(&session.scenario_id)?;
        serde_json::to_value(kyc_core::VerificationResult::build(&scenario, session))
            .map_err(|e| ConsoleError::Internal(e.to_string()))
    }

    /// The retry policy of callbacks.
    pub fn retry_policy(&self) -> kyc_core::callback::RetryPolicy {
        let initial = self.config.callback_initial_delay.clamp(1, 3600);
        kyc_core::callback::RetryPolicy {
            initial_delay: SignedDuration::from_secs(i64::try_from(initial).unwrap_or(5)),
            ..kyc_core::callback::RetryPolicy::default()
        }
    }
}

/// The step the person captures next, if any.
pub fn next_step(scenario: &Scenario, session: &Session) -> Option<String> {
    if !session.status.accepts_captures() {
        return None;
    }
    session
        .current_step(scenario)
        .map(|(_, s)| s.step_id.clone())
}

/// An enum's JSON word.
pub fn serde_word<T: serde::Serialize>(v: &T) -> String {
    serde_json::to_value(v)
        .ok()
        .and_then(|v| v.as_str().map(str::to_owned))
        .unwrap_or_default()
}

/// An image kind's JSON word.
pub fn kind_word(kind: ImageKind) -> &'static str {
    match kind {
        ImageKind::DocumentFront => "document_front",
        ImageKind::DocumentBack => "document_back",
        ImageKind::Selfie => "selfie",
        ImageKind::SelfieWithDocument => "selfie_with_document",
        ImageKind::LivenessFrame => "liveness_frame",
    }
}

/// The image kind a JSON word names.
pub fn kind_of(word: &str) -> Option<ImageKind> {
    serde_json::from_value(serde_json::Value::String(word.to_owned())).ok()
}
