//! The engine: holds what the host configured (analysers, stores, clock, entropy, observer) and
//! moves a session through its scenario, one capture at a time:
//!
//! 1. admit the capture (`admission.rs`): the right step, the right images, a session that takes
//!    captures;
//! 2. analyse it (`analyse.rs`): the analysers' evidence, with every enabled check answered;
//! 3. add the engine's own rules (`rules.rs`): field logic, age, accepted types and countries,
//!    one document per step, history, face lists;
//! 4. record it and decide (`decide.rs`), telling the observer every change in order.
//!
//! Operators' decisions and registry answers arrive through `operator.rs`.

use std::sync::Arc;
use std::time::Duration;

use jiff::civil::Date;
use jiff::tz::TimeZone;

use super::admission::CaptureLimits;
use super::decide::{self, Verdict};
use super::event::{EventKind, NoopObserver, SessionEvent, SessionObserver};
use super::record::{CaptureOutcome, CaptureRecord, Origin, Session, StepOutcome, StepRecord};
use super::{SessionError, SessionStatus};
use crate::analysis::{
    AnalysisContext, Analyzers, CaptureImage, DocumentAnalysis, DocumentAnalyzer, FaceAnalysis,
    FaceAnalyzer, FaceLists, HistoryStore,
};
use crate::capture::{Deadline, Ticker};
use crate::check::CheckResult;
use crate::clock::Clock;
use crate::entropy::{Entropy, random_hex};
use crate::error::Error;
use crate::scenario::{DocumentStep, LivenessMode, Scenario, Step};

/// What a capture came to, for the host to show.
#[derive(Clone, Debug, PartialEq)]
pub struct CaptureReport {
    /// The step.
    pub step_id: String,
    /// 1-based attempt within the step.
    pub attempt: u32,
    /// How the capture came out.
    pub outcome: CaptureOutcome,
    /// The deciding reason code.
    pub reason_code: String,
    /// Every check's evidence.
    pub checks: Vec<CheckResult>,
    /// How the step ended, if this capture ended it.
    pub step_outcome: Option<StepOutcome>,
    /// Failed captures the step still allows.
    pub attempts_left: u32,
    /// The session's status afterwards.
    pub status: SessionStatus,
}

/// Runs sessions. Holds the analysers, the injected clock and entropy, and the event observer; the
/// sessions themselves are the host's data.
pub struct Engine {
    pub(super) analyzers: Analyzers,
    pub(super) clock: Arc<dyn Clock>,
    entropy: Arc<dyn Entropy>,
    observer: Arc<dyn SessionObserver>,
    pub(super) limits: CaptureLimits,
    /// Each capture's time budget and the ticker that measures it.
    capture_budget: Option<(Arc<dyn Ticker>, Duration)>,
}

impl std::fmt::Debug for Engine {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Engine")
            .field("analyzers", &self.analyzers)
            .field("limits", &self.limits)
            .finish_non_exhaustive()
    }
}

/// Builds an [`Engine`].
pub struct EngineBuilder {
    engine: Engine,
}

impl EngineBuilder {
    /// Sets every analyser and store at once.
    pub fn analyzers(mut self, analyzers: Analyzers) -> Self {
        self.engine.analyzers = analyzers;
        self
    }

    /// Sets the document analyser.
    pub fn document_analyzer(mut self, analyzer: Arc<dyn DocumentAnalyzer>) -> Self {
        self.engine.analyzers.document = Some(analyzer);
        self
    }

    /// Sets the face analyser.
    pub fn face_analyzer(mut self, analyzer: Arc<dyn FaceAnalyzer>) -> Self {
        self.engine.analyzers.face = Some(analyzer);
        self
    }

    /// Sets the face lists.
    pub fn face_lists(mut self, lists: Arc<dyn FaceLists>) -> Self {
        self.engine.analyzers.face_lists = Some(lists);
        self
    }

    /// Sets the history store.
    pub fn history(mut self, history: Arc<dyn HistoryStore>) -> Self {
        self.engine.analyzers.history = Some(history);
        self
    }

    /// Sets the division-code table (`fraud.check_division_code`).
    pub fn division_codes(mut self, table: Arc<dyn crate::document::mrz::DivisionCodeDb>) -> Self {
        self.engine.analyzers.division_codes = Some(table);
        self
    }

    /// Adds an offline registry, asked when a scenario's `database_checks` names it.
    pub fn registry(mut self, source: Arc<dyn crate::registry::RegistrySource>) -> Self {
        self.engine.analyzers.registries.push(source);
        self
    }

    /// Attaches AML lists (sanctions, PEP), screened when a scenario's `aml` section enables
    /// them. The host replaces a list in them at any time ([`crate::aml::AmlLists::replace`]).
    pub fn aml_lists(mut self, lists: Arc<crate::aml::AmlLists>) -> Self {
        self.engine.analyzers.aml = Some(lists);
        self
    }

    /// Sets the event observer.
    pub fn observer(mut self, observer: Arc<dyn SessionObserver>) -> Self {
        self.engine.observer = observer;
        self
    }

    /// Sets the capture limits.
    pub fn capture_limits(mut self, limits: CaptureLimits) -> Self {
        self.engine.limits = limits;
        self
    }

    /// Bounds every capture by `budget`, measured by `ticker`: a capture still running past it
    /// stops before its next stage with `capture.deadline_exceeded` and is not recorded.
    pub fn capture_deadline(mut self, ticker: Arc<dyn Ticker>, budget: Duration) -> Self {
        self.engine.capture_budget = Some((ticker, budget));
        self
    }

    /// The engine.
    pub fn build(self) -> Engine {
        self.engine
    }
}

impl Engine {
    /// An engine with no analysers (every check `unavailable`) and no observer; add them with the
    /// builder's methods.
    pub fn builder(clock: Arc<dyn Clock>, entropy: Arc<dyn Entropy>) -> EngineBuilder {
        EngineBuilder {
            engine: Engine {
                analyzers: Analyzers::default(),
                clock,
                entropy,
                observer: Arc::new(NoopObserver),
                limits: CaptureLimits::default(),
                capture_budget: None,
            },
        }
    }

    /// What the engine was configured with.
    pub fn analyzers(&self) -> &Analyzers {
        &self.analyzers
    }

    /// Today's date (UTC) by the engine's clock.
    pub fn today(&self) -> Date {
        self.clock.now().to_zoned(TimeZone::UTC).date()
    }

    /// The movements the person must perform in active-liveness step `step_id` of `session`, in
    /// order, for the host to prompt. Derived from the scenario secret's liveness subkey, so the same on every
    /// call and unpredictable to anyone without the key; the analyser judges the frames against it.
    pub fn liveness_challenge(
        &self,
        scenario: &Scenario,
        session: &Session,
        step_id: &str,
    ) -> Result<Vec<crate::face::active::Challenge>, Error> {
        let step = scenario.steps.iter().find_map(|s| match s {
            Step::Liveness(l) if l.id == step_id && l.mode == LivenessMode::Active => Some(l),
            _ => None,
        });
        let step = step.ok_or_else(|| SessionError::BadCapture {
            code: "capture.not_active_liveness",
            message: format!("step '{step_id}' is not an active-liveness step of the scenario"),
        })?;
        Ok(crate::face::active::challenges(
            scenario
                .secret_key
                .subkey(crate::scenario::KeyPurpose::LivenessChallenge)
                .expose(),
            &session.id,
            &step.id,
            step.challenges,
        ))
    }

    /// Opens a session with a random id.
    pub fn create_session(&self, scenario: &Scenario, origin: Origin) -> Session {
        let id = random_hex::<16>(self.entropy.as_ref());
        self.open(scenario, id, origin)
    }

    /// Opens a session with the host's own id (1 to 128 of `A-Za-z0-9-_.`).
    pub fn create_session_with_id(
        &self,
        scenario: &Scenario,
        id: &str,
        origin: Origin,
    ) -> Result<Session, Error> {
        let valid = !id.is_empty()
            && id.len() <= 128
            && id
                .bytes()
                .all(|b| b.is_ascii_alphanumeric() || matches!(b, b'-' | b'_' | b'.'));
        if !valid {
            return Err(SessionError::BadCapture {
                code: "session.invalid_id",
                message: "session id must be 1 to 128 characters of A-Z, a-z, 0-9, '-', '_', '.'"
                    .to_owned(),
            }
            .into());
        }
        Ok(self.open(scenario, id.to_owned(), origin))
    }

    fn open(&self, scenario: &Scenario, id: String, origin: Origin) -> Session {
        let now = self.clock.now();
        let mut session = Session {
            id,
            scenario_id: scenario.id.clone(),
            origin: origin.clone(),
            created_at: now,
            updated_at: now,
            status: SessionStatus::Created,
            status_reason: "session.created".to_owned(),
            steps: scenario
                .steps
                .iter()
                .map(|s| StepRecord {
                    step_id: s.id().to_owned(),
                    captures: Vec::new(),
                })
                .collect(),
            manual_decisions: Vec::new(),
            database_checks: Vec::new(),
            last_event_seq: 0,
        };
        self.emit(
            &mut session,
            EventKind::Created {
                scenario_id: scenario.id.clone(),
                origin,
            },
        );
        session
    }

    /// Applies what time alone decides: a session whose lifetime ran out before its steps ended
    /// freezes; one waiting for registries whose deadlines have passed records each missing answer
    /// as unavailable (`registry.deadline_passed`) and goes to review. Returns whether the status
    /// changed. Hosts call this from their own sweep; captures and registry answers do it by
    /// themselves.
    pub fn refresh(&self, scenario: &Scenario, session: &mut Session) -> bool {
        if session.scenario_id != scenario.id {
            return false;
        }
        let before = session.status;
        if session.status == SessionStatus::AwaitingDatabaseChecks {
            let now = self.clock.now();
            let overdue: Vec<String> = decide::missing_sources(scenario, session)
                .into_iter()
                .filter(|(_, deadline)| now >= *deadline)
                .map(|(source, _)| source.to_owned())
                .collect();
            for source in overdue {
                let check = crate::registry::RegistryAnswer::Unavailable {
                    reason_code: "registry.deadline_passed".to_owned(),
                }
                .to_check(&source);
                self.push_database_check(session, &source, check);
            }
        }
        // A store's refusal to record an approved document cannot be reported from a sweep; the
        // approval stands and the next capture or answer reports it.
        let _recorded = self.apply_decision(scenario, session);
        session.status != before
    }

    /// Analyses one capture for step `step_id`, records it and moves the session on.
    ///
    /// Refused captures (wrong step, wrong images, a frozen or finished session, an image the
    /// analyser cannot read) return an error and count as no attempt; the session is unchanged,
    /// except that a session whose lifetime ran out is frozen (and [`SessionError::Frozen`] says so).
    ///
    /// The capture is bounded by the engine's [`EngineBuilder::capture_deadline`], if set.
    pub fn submit_capture(
        &self,
        scenario: &Scenario,
        session: &mut Session,
        step_id: &str,
        images: &[CaptureImage],
    ) -> Result<CaptureReport, Error> {
        let deadline = match &self.capture_budget {
            Some((ticker, budget)) => Deadline::after(Arc::clone(ticker), *budget),
            None => Deadline::none(),
        };
        self.submit_capture_until(scenario, session, step_id, images, &deadline)
    }

    /// [`Engine::submit_capture`] bounded by `deadline` (the host's own budget, or a
    /// [`crate::capture::CancelHandle`] another thread may use): past it, or cancelled, the capture
    /// stops before its next stage with `capture.deadline_exceeded` or `capture.cancelled` and is
    /// not recorded.
    pub fn submit_capture_until(
        &self,
        scenario: &Scenario,
        session: &mut Session,
        step_id: &str,
        images: &[CaptureImage],
        deadline: &Deadline,
    ) -> Result<CaptureReport, Error> {
        let (record_index, step) = self.admit(scenario, session, step_id, images)?;
        deadline.check("analysis")?;
        let document = session.document();
        let portrait = document.as_ref().and_then(|d| d.portrait.as_ref());
        let ctx = AnalysisContext {
            scenario,
            session_id: &session.id,
            today: self.today(),
            document_portrait: portrait,
            document: document.as_ref(),
            deadline,
        };
        let analysis = match step {
            Step::Document(d) => StepAnalysis::Document(d, self.analyze_document(d, images, &ctx)?),
            Step::Selfie(s) => StepAnalysis::Face(self.analyze_selfie(s, images, &ctx)?),
            Step::Liveness(l) => StepAnalysis::Face(self.analyze_liveness(l, images, &ctx)?),
        };
        deadline.check("rules")?;
        let mut capture = match analysis {
            StepAnalysis::Document(d, analysis) => {
                self.document_capture(scenario, session, record_index, d, analysis, &ctx)?
            }
            StepAnalysis::Face(analysis) => {
                self.face_capture(scenario, session, record_index, step.kind(), analysis)?
            }
        };
        capture.images = images.iter().map(|i| i.kind).collect();
        self.record(scenario, session, record_index, capture)
    }

    fn record(
        &self,
        scenario: &Scenario,
        session: &mut Session,
        record_index: usize,
        capture: CaptureRecord,
    ) -> Result<CaptureReport, Error> {
        let allowed = scenario.limits.failed_attempts_allowed;
        let outcome = capture.outcome;
        let reason_code = capture.reason_code.clone();
        let checks = capture.checks.clone();
        let Some(step) = session.steps.get_mut(record_index) else {
            return Err(SessionError::UnknownStep(String::new()).into());
        };
        step.captures.push(capture);
        let step_id = step.step_id.clone();
        let attempt = u32::try_from(step.captures.len()).unwrap_or(u32::MAX);
        let step_outcome = step.outcome(allowed);
        let attempts_left = allowed.saturating_sub(step.failed_attempts());
        super::bound::bound(session);

        self.emit(
            session,
            EventKind::CaptureRecorded {
                step_id: step_id.clone(),
                attempt,
                outcome,
            },
        );
        if session.status == SessionStatus::Created {
            // Every session that took a capture passes through in progress, so a live log shows
            // when the person started.
            self.set_status(session, SessionStatus::InProgress, "session.first_capture");
        }
        if let Some(step_outcome) = step_outcome {
            self.emit(
                session,
                EventKind::StepCompleted {
                    step_id: step_id.clone(),
                    outcome: step_outcome,
                },
            );
        }
        if outcome != CaptureOutcome::Failed
            && session.steps[record_index]
                .captures
                .last()
                .is_some_and(|c| c.document.is_some())
        {
            self.ask_offline_registries(scenario, session);
            self.screen_aml(scenario, session);
        }
        self.apply_decision(scenario, session)?;
        Ok(CaptureReport {
            step_id,
            attempt,
            outcome,
            reason_code,
            checks,
            step_outcome,
            attempts_left,
            status: session.status,
        })
    }

    /// Moves `session` to where the decision rules put it, when the engine may move it: from
    /// created, in progress, or awaiting registries. Final, frozen and review sessions wait for an
    /// operator. A new reason under the same status (a retake after a first capture) is recorded
    /// without an event: the capture's own event already tells of it. An approval records the
    /// session's document in the history store; the store's refusal is returned (the approval
    /// stands).
    pub(super) fn apply_decision(
        &self,
        scenario: &Scenario,
        session: &mut Session,
    ) -> Result<(), Error> {
        if !matches!(
            session.status,
            SessionStatus::Created
                | SessionStatus::InProgress
                | SessionStatus::AwaitingDatabaseChecks
        ) {
            return Ok(());
        }
        let Verdict {
            status,
            reason_code,
        } = decide::decide(scenario, session, self.clock.now());
        if status == session.status {
            session.status_reason = reason_code.to_owned();
        } else if session.status.can_move_to(status) {
            self.set_status(session, status, reason_code);
            if status == SessionStatus::Approved {
                self.remember_history(session)?;
            }
        }
        Ok(())
    }

    /// Asks every offline registry the scenario requires and the host configured, once per
    /// session, as soon as a capture has read the document.
    fn ask_offline_registries(&self, scenario: &Scenario, session: &mut Session) {
        for rule in &scenario.database_checks {
            let answered = session
                .database_checks
                .iter()
                .any(|d| d.source == rule.source);
            let Some(source) = self
                .analyzers
                .registries
                .iter()
                .find(|r| r.source() == rule.source)
            else {
                continue;
            };
            if answered {
                continue;
            }
            let query = crate::registry::RegistryQuery::for_session(&rule.source, session);
            let answer = source.check(&query).unwrap_or_else(|e| {
                crate::registry::RegistryAnswer::Unavailable {
                    reason_code: e.code().to_owned(),
                }
            });
            let check = answer.to_check(&rule.source);
            self.push_database_check(session, &rule.source, check);
        }
    }

    pub(super) fn set_status(&self, session: &mut Session, to: SessionStatus, reason: &str) {
        let from = session.status;
        session.status = to;
        session.status_reason = reason.to_owned();
        self.emit(
            session,
            EventKind::StatusChanged {
                from,
                to,
                reason_code: reason.to_owned(),
            },
        );
    }

    pub(super) fn emit(&self, session: &mut Session, kind: EventKind) {
        let at = self.clock.now();
        session.last_event_seq += 1;
        session.updated_at = at;
        self.observer.on_event(&SessionEvent {
            session_id: session.id.clone(),
            seq: session.last_event_seq,
            at,
            kind,
        });
    }
}

/// A capture's analysis, between its analyser and the rules that turn it into a record.
enum StepAnalysis<'s> {
    /// A document step's, with its step.
    Document(&'s DocumentStep, DocumentAnalysis),
    /// A selfie or liveness step's.
    Face(FaceAnalysis),
}
