//! The engine: moves sessions through their scenario, capture by capture, and decides.

use std::sync::Arc;

use jiff::civil::Date;
use jiff::tz::TimeZone;
use jiff::{SignedDuration, Timestamp};

use super::event::{EventKind, NoopObserver, SessionEvent, SessionObserver};
use super::record::{
    CaptureOutcome, CaptureRecord, DatabaseCheck, ManualDecision, Origin, Session, StepOutcome,
    StepRecord,
};
use super::{SessionError, SessionStatus};
use crate::analysis::{
    AnalysisContext, Analyzers, CaptureImage, DocumentAnalysis, DocumentAnalyzer, FaceAnalysis,
    FaceAnalyzer, FaceLists, HistoryStore, HistoryVerdict, ImageKind,
};
use crate::check::{self, CheckOutcome, CheckResult};
use crate::clock::Clock;
use crate::document::visual::text::confusion_class;
use crate::document::{DocumentData, DocumentField, FieldSource, field, field_logic};
use crate::entropy::{Entropy, random_hex};
use crate::error::Error;
use crate::image::{ImageLimits, precheck};
use crate::scenario::{
    DocumentSide, DocumentStep, LivenessMode, LivenessStep, Scenario, SelfieStep, Step,
};

/// Limits on one capture, checked before analysis.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct CaptureLimits {
    /// Per image.
    pub image: ImageLimits,
    /// All images of one capture together, in bytes.
    pub max_total_bytes: usize,
    /// Fewest frames of an active-liveness capture.
    pub min_liveness_frames: usize,
    /// Most frames of an active-liveness capture.
    pub max_liveness_frames: usize,
}

impl Default for CaptureLimits {
    fn default() -> Self {
        Self {
            image: ImageLimits::default(),
            max_total_bytes: 200 << 20,
            min_liveness_frames: 3,
            max_liveness_frames: 64,
        }
    }
}

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
    analyzers: Analyzers,
    clock: Arc<dyn Clock>,
    entropy: Arc<dyn Entropy>,
    observer: Arc<dyn SessionObserver>,
    limits: CaptureLimits,
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
    /// Sets every analyser at once.
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
            },
        }
    }

    /// Today's date (UTC) by the engine's clock.
    pub fn today(&self) -> Date {
        self.clock.now().to_zoned(TimeZone::UTC).date()
    }

    /// The movements the person must perform in active-liveness step `step_id` of `session`, in
    /// order, for the host to prompt. Derived from the scenario's secret key, so the same on every
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
            scenario.secret_key.expose(),
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

    /// Freezes the session if its lifetime is over. Returns whether it froze now. Hosts call this
    /// from their own sweep; captures do it by themselves.
    pub fn refresh(&self, scenario: &Scenario, session: &mut Session) -> bool {
        if session.status.accepts_captures() && self.lifetime_over(scenario, session) {
            // Created and in-progress sessions may always freeze.
            let _moved = self.transition(session, SessionStatus::Frozen, "session.lifetime_over");
            true
        } else {
            false
        }
    }

    fn lifetime_over(&self, scenario: &Scenario, session: &Session) -> bool {
        let lifetime =
            SignedDuration::from_mins(i64::from(scenario.limits.session_lifetime_minutes));
        match session.created_at.checked_add(lifetime) {
            Ok(deadline) => self.clock.now() >= deadline,
            Err(_) => false,
        }
    }

    /// Analyses one capture for step `step_id`, records it and moves the session on.
    ///
    /// Refused captures (wrong step, wrong images, a frozen or finished session, an image the
    /// analyser cannot read) return an error and count as no attempt; the session is unchanged,
    /// except that a session whose lifetime ran out is frozen (and [`SessionError::Frozen`] says so).
    pub fn submit_capture(
        &self,
        scenario: &Scenario,
        session: &mut Session,
        step_id: &str,
        images: &[CaptureImage],
    ) -> Result<CaptureReport, Error> {
        if session.scenario_id != scenario.id {
            return Err(SessionError::ScenarioMismatch {
                session: session.scenario_id.clone(),
                given: scenario.id.clone(),
            }
            .into());
        }
        if self.refresh(scenario, session) || session.status == SessionStatus::Frozen {
            return Err(SessionError::Frozen.into());
        }
        if !session.status.accepts_captures() {
            return Err(SessionError::IllegalTransition {
                status: session.status,
                operation: "take captures",
            }
            .into());
        }
        let (step_index, step) = scenario
            .step(step_id)
            .ok_or_else(|| SessionError::UnknownStep(step_id.to_owned()))?;
        let record_index = session
            .steps
            .iter()
            .position(|s| s.step_id == step_id)
            .ok_or_else(|| SessionError::UnknownStep(step_id.to_owned()))?;
        match session.current_step(scenario) {
            Some((current, record)) if current < step_index => {
                return Err(SessionError::StepOutOfOrder {
                    given: step_id.to_owned(),
                    current: record.step_id.clone(),
                }
                .into());
            }
            Some((current, _)) if current > step_index => {
                return Err(SessionError::StepCompleted(step_id.to_owned()).into());
            }
            None => return Err(SessionError::StepCompleted(step_id.to_owned()).into()),
            Some(_) => {}
        }
        self.check_images(step, images)?;

        let document = session.document();
        let portrait = document.as_ref().and_then(|d| d.portrait.as_ref());
        let ctx = AnalysisContext {
            scenario,
            session_id: &session.id,
            today: self.today(),
            document_portrait: portrait,
            document: document.as_ref(),
        };
        let mut capture = match step {
            Step::Document(d) => {
                let analysis = self.analyze_document(d, images, &ctx)?;
                self.document_capture(scenario, session, record_index, d, analysis, &ctx)?
            }
            Step::Selfie(s) => {
                let mut analysis = self.analyze_selfie(s, images, &ctx)?;
                require_evidence(&s.checks.enabled(), &mut analysis.checks);
                self.face_capture(scenario, analysis)?
            }
            Step::Liveness(l) => {
                let mut analysis = self.analyze_liveness(l, images, &ctx)?;
                require_evidence(&[l.check_id()], &mut analysis.checks);
                self.face_capture(scenario, analysis)?
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
        let blacklisted = capture
            .checks
            .iter()
            .any(|c| c.check == "selfie.blacklist" && c.outcome == CheckOutcome::Failed);
        let Some(step) = session.steps.get_mut(record_index) else {
            return Err(SessionError::UnknownStep(String::new()).into());
        };
        step.captures.push(capture);
        let step_id = step.step_id.clone();
        let attempt = u32::try_from(step.captures.len()).unwrap_or(u32::MAX);
        let step_outcome = step.outcome(allowed);
        let attempts_left = allowed.saturating_sub(step.failed_attempts());

        self.emit(
            session,
            EventKind::CaptureRecorded {
                step_id: step_id.clone(),
                attempt,
                outcome,
            },
        );
        if session.status == SessionStatus::Created {
            self.transition(session, SessionStatus::InProgress, "session.first_capture")?;
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
        self.decide(scenario, session, step_outcome, blacklisted)?;
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

    /// The automatic decision after a capture. Fraud first, then exhausted attempts, then the end.
    fn decide(
        &self,
        scenario: &Scenario,
        session: &mut Session,
        step_outcome: Option<StepOutcome>,
        blacklisted: bool,
    ) -> Result<(), Error> {
        let (to, reason) = if blacklisted {
            (SessionStatus::Blocked, "decision.blacklist_hit")
        } else if session.critical_errors() >= scenario.limits.critical_errors_before_block {
            (SessionStatus::Blocked, "decision.critical_errors")
        } else if step_outcome == Some(StepOutcome::Failed) {
            (SessionStatus::Declined, "decision.attempts_exhausted")
        } else if session.current_step(scenario).is_some() {
            return Ok(());
        } else {
            self.final_verdict(scenario, session)
        };
        self.transition(session, to, reason)
    }

    fn final_verdict(
        &self,
        scenario: &Scenario,
        session: &Session,
    ) -> (SessionStatus, &'static str) {
        let allowed = scenario.limits.failed_attempts_allowed;
        let database = check::combine(
            &session
                .database_checks
                .iter()
                .map(|d| d.result.clone())
                .collect::<Vec<_>>(),
        );
        if session
            .database_checks
            .iter()
            .any(|d| d.result.outcome == CheckOutcome::Failed)
        {
            return (SessionStatus::Declined, "decision.database_check_failed");
        }
        let review = session
            .steps
            .iter()
            .any(|s| s.outcome(allowed) == Some(StepOutcome::NeedsReview));
        if review || (!session.database_checks.is_empty() && database != CheckOutcome::Passed) {
            (SessionStatus::ManualReview, "decision.needs_review")
        } else {
            (SessionStatus::Approved, "decision.all_steps_passed")
        }
    }

    /// Applies an operator's decision: `approved`, `declined` or `blocked`, with a reason. Allowed
    /// on any session not yet final (including frozen ones and those awaiting review).
    pub fn decide_manually(
        &self,
        session: &mut Session,
        operator_id: &str,
        decision: SessionStatus,
        reason: &str,
    ) -> Result<(), Error> {
        if !matches!(
            decision,
            SessionStatus::Approved | SessionStatus::Declined | SessionStatus::Blocked
        ) {
            return Err(SessionError::BadDecision(format!(
                "an operator decides approved, declined or blocked, not {decision}"
            ))
            .into());
        }
        if operator_id.trim().is_empty() || operator_id.len() > 128 {
            return Err(
                SessionError::BadDecision("operator id must be 1 to 128 bytes".into()).into(),
            );
        }
        if reason.trim().is_empty() || reason.len() > 4000 {
            return Err(SessionError::BadDecision("reason must be 1 to 4000 bytes".into()).into());
        }
        if !session.status.accepts_manual_decision() {
            return Err(SessionError::IllegalTransition {
                status: session.status,
                operation: "take a manual decision",
            }
            .into());
        }
        let at = self.clock.now();
        session.manual_decisions.push(ManualDecision {
            operator_id: operator_id.to_owned(),
            decision,
            reason: reason.to_owned(),
            at,
        });
        self.emit(
            session,
            EventKind::ManualDecisionRecorded {
                operator_id: operator_id.to_owned(),
                decision,
                reason: reason.to_owned(),
            },
        );
        self.set_status(session, decision, "decision.manual");
        Ok(())
    }

    /// Records a database (registry) check result as it arrives. It is evidence for the decision
    /// when the steps end; after a final decision it is kept and reported but changes nothing.
    pub fn record_database_check(&self, session: &mut Session, source: &str, result: CheckResult) {
        let check = DatabaseCheck {
            source: source.to_owned(),
            result,
            received_at: self.clock.now(),
        };
        session.database_checks.push(check.clone());
        self.emit(session, EventKind::DatabaseCheckRecorded { check });
    }

    fn transition(
        &self,
        session: &mut Session,
        to: SessionStatus,
        reason: &str,
    ) -> Result<(), Error> {
        if !session.status.can_move_to(to) {
            return Err(SessionError::IllegalTransition {
                status: session.status,
                operation: "move on",
            }
            .into());
        }
        self.set_status(session, to, reason);
        Ok(())
    }

    fn set_status(&self, session: &mut Session, to: SessionStatus, reason: &str) {
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

    fn emit(&self, session: &mut Session, kind: EventKind) {
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

    fn check_images(&self, step: &Step, images: &[CaptureImage]) -> Result<(), Error> {
        let bad = |code: &'static str, message: String| -> Error {
            SessionError::BadCapture { code, message }.into()
        };
        if images.is_empty() {
            return Err(bad(
                "capture.no_images",
                "a capture needs at least one image".into(),
            ));
        }
        let total: usize = images.iter().map(|i| i.data.len()).sum();
        if total > self.limits.max_total_bytes {
            return Err(bad(
                "capture.too_large",
                format!(
                    "capture holds {total} bytes, over {}",
                    self.limits.max_total_bytes
                ),
            ));
        }
        for image in images {
            precheck(&image.data, &self.limits.image)?;
        }
        let count = |kind: ImageKind| images.iter().filter(|i| i.kind == kind).count();
        let (wanted, allowed): (Vec<(ImageKind, usize)>, Vec<ImageKind>) = match step {
            Step::Document(d) => {
                let mut wanted = Vec::new();
                if d.sides.contains(&DocumentSide::Front) {
                    wanted.push((ImageKind::DocumentFront, 1));
                }
                if d.sides.contains(&DocumentSide::Back) {
                    wanted.push((ImageKind::DocumentBack, 1));
                }
                let allowed = wanted.iter().map(|(k, _)| *k).collect();
                (wanted, allowed)
            }
            Step::Selfie(s) => {
                let mut wanted = vec![(ImageKind::Selfie, 1)];
                if s.checks.document_in_hand {
                    wanted.push((ImageKind::SelfieWithDocument, 1));
                }
                let allowed = wanted.iter().map(|(k, _)| *k).collect();
                (wanted, allowed)
            }
            Step::Liveness(l) => match l.mode {
                LivenessMode::Passive => (vec![(ImageKind::Selfie, 1)], vec![ImageKind::Selfie]),
                LivenessMode::Active => {
                    let frames = count(ImageKind::LivenessFrame);
                    if frames < self.limits.min_liveness_frames
                        || frames > self.limits.max_liveness_frames
                    {
                        return Err(bad(
                            "capture.frame_count",
                            format!(
                                "active liveness needs {} to {} frames, got {frames}",
                                self.limits.min_liveness_frames, self.limits.max_liveness_frames
                            ),
                        ));
                    }
                    (Vec::new(), vec![ImageKind::LivenessFrame])
                }
            },
        };
        if let Some(other) = images.iter().find(|i| !allowed.contains(&i.kind)) {
            return Err(bad(
                "capture.unexpected_image",
                format!(
                    "a {:?} image does not belong to step '{}'",
                    other.kind,
                    step.id()
                ),
            ));
        }
        for (kind, n) in wanted {
            if count(kind) != n {
                return Err(bad(
                    "capture.missing_image",
                    format!("step '{}' needs exactly {n} {kind:?} image(s)", step.id()),
                ));
            }
        }
        Ok(())
    }

    fn analyze_document(
        &self,
        step: &DocumentStep,
        images: &[CaptureImage],
        ctx: &AnalysisContext<'_>,
    ) -> Result<DocumentAnalysis, Error> {
        match &self.analyzers.document {
            Some(analyzer) => analyzer.analyze(step, images, ctx),
            None => Ok(DocumentAnalysis {
                document: None,
                checks: unavailable(&step.checks.enabled(), "document"),
            }),
        }
    }

    fn analyze_selfie(
        &self,
        step: &SelfieStep,
        images: &[CaptureImage],
        ctx: &AnalysisContext<'_>,
    ) -> Result<FaceAnalysis, Error> {
        match &self.analyzers.face {
            Some(analyzer) => analyzer.analyze_selfie(step, images, ctx),
            None => Ok(FaceAnalysis {
                checks: unavailable(&step.checks.enabled(), "face"),
                ..FaceAnalysis::default()
            }),
        }
    }

    fn analyze_liveness(
        &self,
        step: &LivenessStep,
        images: &[CaptureImage],
        ctx: &AnalysisContext<'_>,
    ) -> Result<FaceAnalysis, Error> {
        match &self.analyzers.face {
            Some(analyzer) => analyzer.analyze_liveness(step, images, ctx),
            None => Ok(FaceAnalysis {
                checks: unavailable(&[step.check_id()], "face"),
                ..FaceAnalysis::default()
            }),
        }
    }

    /// The analyser's evidence plus the engine's own document rules: field logic, age range,
    /// accepted types and countries, one document per step, history.
    fn document_capture(
        &self,
        scenario: &Scenario,
        session: &Session,
        record_index: usize,
        step: &DocumentStep,
        analysis: DocumentAnalysis,
        ctx: &AnalysisContext<'_>,
    ) -> Result<CaptureRecord, Error> {
        let mut checks = analysis.checks;
        // The engine makes field logic itself; every other enabled check needs the analyser's evidence.
        let expected: Vec<&str> = step
            .checks
            .enabled()
            .into_iter()
            .filter(|id| *id != "document.field_logic" || analysis.document.is_none())
            .collect();
        require_evidence(&expected, &mut checks);
        if let Some(doc) = &analysis.document {
            if step.checks.field_logic {
                // The analyser's own placeholder for field logic gives way to the engine's rules.
                checks.retain(|c| c.check != "document.field_logic");
                checks.extend(field_logic::check(doc, ctx.today));
            }
            if let Some(range) = scenario.limits.age_range {
                checks.push(field_logic::check_age(doc, range, ctx.today));
            }
            checks.push(accepted_type(step, doc));
            if !step.countries.is_empty() {
                checks.push(accepted_country(step, doc));
            }
            if scenario.fraud.block_different_documents_in_step
                && let Some(step_record) = session.steps.get(record_index)
            {
                checks.push(same_document(step_record, doc));
            }
            if scenario.fraud.block_history_mismatch {
                checks.push(self.history_check(scenario, doc)?);
            }
        } else if scenario.limits.age_range.is_some() {
            checks.push(CheckResult::unavailable(
                "document.age_range",
                "document.not_read",
                "no document data to read the age from",
            ));
        }
        Ok(capture_record(
            self.clock.now(),
            checks,
            analysis.document,
            None,
            None,
        ))
    }

    fn history_check(&self, scenario: &Scenario, doc: &DocumentData) -> Result<CheckResult, Error> {
        let Some(history) = &self.analyzers.history else {
            return Ok(CheckResult::unavailable(
                "document.history",
                "analysis.unavailable",
                "no history store is configured",
            ));
        };
        let verdict = history.check_and_record(scenario, doc)?;
        Ok(CheckResult::rule(
            "document.history",
            verdict == HistoryVerdict::Consistent,
            match verdict {
                HistoryVerdict::Consistent => "document.history.consistent",
                HistoryVerdict::Conflict => "document.history.conflict",
            },
            "the same person and document type against earlier submissions",
        )
        .critical())
    }

    fn face_capture(
        &self,
        scenario: &Scenario,
        analysis: FaceAnalysis,
    ) -> Result<CaptureRecord, Error> {
        let mut checks = analysis.checks;
        let template = analysis.selfie.as_ref().and_then(|s| s.template.as_ref());
        if let Some(list_id) = &scenario.blacklist_id {
            checks.push(match (&self.analyzers.face_lists, template) {
                (Some(lists), Some(face)) => match lists.best_match(list_id, face)? {
                    Some(hit) => {
                        let mut c = CheckResult::scored(
                            "selfie.blacklist",
                            hit.score,
                            hit.threshold,
                            check::Comparison::AtMost,
                            "selfie.blacklist.clear",
                            "selfie.blacklist.hit",
                            format!("matches blacklisted person '{}'", hit.person_id),
                        );
                        // A hit at the threshold is a hit.
                        c.outcome = CheckOutcome::Failed;
                        c.reason_code = "selfie.blacklist.hit".to_owned();
                        c.critical()
                    }
                    None => CheckResult::rule(
                        "selfie.blacklist",
                        true,
                        "selfie.blacklist.clear",
                        "no blacklisted face at or above the threshold",
                    ),
                },
                (None, _) => CheckResult::unavailable(
                    "selfie.blacklist",
                    "analysis.unavailable",
                    "no face lists are configured",
                ),
                (Some(_), None) => CheckResult::unavailable(
                    "selfie.blacklist",
                    "selfie.no_template",
                    "no face template to search with",
                ),
            });
        }
        Ok(capture_record(
            self.clock.now(),
            checks,
            None,
            analysis.selfie,
            analysis.face_match,
        ))
    }
}

/// Adds an `unavailable` item for every enabled check the analyser gave no evidence for, so that a
/// forgetful analyser can never make a capture pass. A check counts as answered by its own id or by
/// sub-checks under it (`document.field_logic.dates` answers `document.field_logic`).
fn require_evidence(enabled: &[&str], checks: &mut Vec<CheckResult>) {
    for id in enabled {
        let answered = checks.iter().any(|c| {
            c.check == *id
                || c.check
                    .strip_prefix(id)
                    .is_some_and(|rest| rest.starts_with('.'))
        });
        if !answered {
            checks.push(CheckResult::unavailable(
                id,
                "analysis.no_evidence",
                "the analyser returned no evidence for this enabled check",
            ));
        }
    }
}

fn unavailable(check_ids: &[&str], analyser: &str) -> Vec<CheckResult> {
    check_ids
        .iter()
        .map(|id| {
            CheckResult::unavailable(
                id,
                "analysis.unavailable",
                format!("no {analyser} analyser is configured"),
            )
        })
        .collect()
}

fn capture_record(
    at: Timestamp,
    checks: Vec<CheckResult>,
    document: Option<DocumentData>,
    selfie: Option<crate::face::SelfieData>,
    face_match: Option<crate::face::FaceMatch>,
) -> CaptureRecord {
    let outcome = match check::combine(&checks) {
        CheckOutcome::Passed => CaptureOutcome::Passed,
        CheckOutcome::Failed => CaptureOutcome::Failed,
        CheckOutcome::Unavailable => CaptureOutcome::Unavailable,
    };
    let deciding = checks
        .iter()
        .find(|c| c.outcome == CheckOutcome::Failed)
        .or_else(|| {
            checks
                .iter()
                .find(|c| c.outcome == CheckOutcome::Unavailable)
        });
    let reason_code = match deciding {
        Some(c) => c.reason_code.clone(),
        None if checks.is_empty() => "capture.no_checks".to_owned(),
        None => "capture.passed".to_owned(),
    };
    CaptureRecord {
        at,
        images: Vec::new(),
        outcome,
        reason_code,
        checks,
        document,
        selfie,
        face_match,
    }
}

fn accepted_type(step: &DocumentStep, doc: &DocumentData) -> CheckResult {
    match doc.document_type {
        Some(t) => CheckResult::rule(
            "document.type_accepted",
            step.document_types.contains(&t),
            if step.document_types.contains(&t) {
                "document.type_accepted"
            } else {
                "document.type_not_accepted"
            },
            format!("recognised {t:?}"),
        ),
        None => CheckResult::unavailable(
            "document.type_accepted",
            "document.type_unknown",
            "the document type was not recognised",
        ),
    }
}

fn accepted_country(step: &DocumentStep, doc: &DocumentData) -> CheckResult {
    match &doc.issuing_state {
        Some(state) => {
            let ok = step.countries.iter().any(|c| c == state);
            CheckResult::rule(
                "document.country_accepted",
                ok,
                if ok {
                    "document.country_accepted"
                } else {
                    "document.country_not_accepted"
                },
                format!("issued by {state}"),
            )
        }
        None => CheckResult::unavailable(
            "document.country_accepted",
            "document.country_unknown",
            "the issuing state was not read",
        ),
    }
}

/// The same document number as every earlier capture of this step that read one.
fn same_document(step: &StepRecord, doc: &DocumentData) -> CheckResult {
    let Some(number) = doc.field(field::DOCUMENT_NUMBER) else {
        return CheckResult::unavailable(
            "document.single_document",
            "document.number_not_read",
            "no document number to compare",
        );
    };
    // A number read from the visual zone may carry the OCR's look-alike slips that the MRZ's
    // check digits rule out: against it, numbers compare through them (`O` as `0`).
    let canonical = |v: &str| -> String { v.chars().map(confusion_class).collect() };
    let differs = |earlier: &DocumentField| {
        if earlier.source == FieldSource::Visual || number.source == FieldSource::Visual {
            canonical(&earlier.value) != canonical(&number.value)
        } else {
            earlier.value != number.value
        }
    };
    let other = step
        .captures
        .iter()
        .filter_map(|c| c.document.as_ref()?.field(field::DOCUMENT_NUMBER))
        .find(|earlier| differs(earlier));
    CheckResult::rule(
        "document.single_document",
        other.is_none(),
        if other.is_none() {
            "document.single_document"
        } else {
            "document.different_documents"
        },
        match other {
            // Numbers are personal data: say that they differ, not what they are.
            Some(_) => "an earlier capture of this step showed a different document".to_owned(),
            None => "no other document seen in this step".to_owned(),
        },
    )
    .critical()
}
