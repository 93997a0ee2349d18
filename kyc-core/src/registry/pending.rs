//! Registry checks (MVD, FSSP and others) without an async runtime in the core.
//!
//! The host drives them: [`PendingChecks::start`] issues a ticket with a deadline and the query to
//! send; the host asks the registry however it likes (its own async client, a queue, a batch job)
//! and hands the answer to [`PendingChecks::complete`]; [`PendingChecks::expire`], called from the
//! host's timer or sweep, turns checks past their deadline into `unavailable` evidence. Every result
//! goes into the session through [`Engine::record_database_check`], so it emits the
//! `database_check_recorded` event and, when the scenario's callback says
//! `database_checks_as_ready`, a callback notification ([`crate::callback::notifications`]).
//! Offline sources answer at once through [`RegistrySource`] and [`check_now`].

use jiff::{SignedDuration, Timestamp};
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

use super::RegistryError;
use crate::check::CheckResult;
use crate::document::field;
use crate::entropy::{Entropy, random_hex};
use crate::scenario::{DocumentType, Scenario};
use crate::session::{Engine, Session};

/// Most checks pending for one session.
pub const MAX_PENDING: usize = 32;

/// What a registry is asked: the document's identifying data. Personal data: `Debug` hides it.
#[derive(Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "snake_case", deny_unknown_fields)]
pub struct RegistryQuery {
    /// Which registry.
    pub source: String,
    /// The session.
    pub session_id: String,
    /// The document type.
    pub document_type: Option<DocumentType>,
    /// Issuing state.
    pub issuing_state: Option<String>,
    /// Document number as read.
    pub document_number: Option<String>,
    /// Surname.
    pub surname: Option<String>,
    /// Given names.
    pub given_names: Option<String>,
    /// Birth date.
    pub birth_date: Option<String>,
}

impl std::fmt::Debug for RegistryQuery {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("RegistryQuery")
            .field("source", &self.source)
            .field("session_id", &self.session_id)
            .field("document_type", &self.document_type)
            .finish_non_exhaustive()
    }
}

impl RegistryQuery {
    /// The query for `session`'s document.
    pub fn for_session(source: &str, session: &Session) -> Self {
        let doc = session.document();
        let value = |name: &str| {
            doc.as_ref()
                .and_then(|d| d.field(name))
                .map(|f| f.value.clone())
        };
        Self {
            source: source.to_owned(),
            session_id: session.id.clone(),
            document_type: doc.as_ref().and_then(|d| d.document_type),
            issuing_state: doc.as_ref().and_then(|d| d.issuing_state.clone()),
            document_number: value(field::DOCUMENT_NUMBER),
            surname: value(field::SURNAME),
            given_names: value(field::GIVEN_NAMES),
            birth_date: value(field::BIRTH_DATE),
        }
    }
}

/// A registry's answer.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "snake_case", tag = "type")]
pub enum RegistryAnswer {
    /// Nothing against the document or person.
    Clear,
    /// Listed (invalid passport, enforcement proceedings, ...), with a stable reason code.
    Listed {
        /// E.g. `registry.invalid_passport`.
        reason_code: String,
    },
    /// The registry could not answer.
    Unavailable {
        /// E.g. `registry.source_error`.
        reason_code: String,
    },
}

impl RegistryAnswer {
    /// The evidence: check id = the source (its catalogue row when kyc knows the source);
    /// listed fails, unavailable is unavailable.
    pub fn to_check(&self, source: &str) -> CheckResult {
        if let Some(row) = crate::check::catalogue::find(source) {
            return match self {
                Self::Clear => row.rule(true, "not listed"),
                Self::Listed { reason_code } => {
                    row.rule_as(false, reason_code, "listed by the registry")
                }
                Self::Unavailable { reason_code } => {
                    row.unavailable(reason_code, "the registry could not answer")
                }
            };
        }
        match self {
            Self::Clear => CheckResult::rule(source, true, "registry.clear", "not listed"),
            Self::Listed { reason_code } => {
                CheckResult::rule(source, false, reason_code, "listed by the registry")
            }
            Self::Unavailable { reason_code } => {
                CheckResult::unavailable(source, reason_code, "the registry could not answer")
            }
        }
    }
}

/// A registry that answers at once (an offline list).
pub trait RegistrySource: Send + Sync {
    /// The source name, e.g. `mvd.invalid_passports`.
    fn source(&self) -> &str;
    /// Answers `query`.
    fn check(&self, query: &RegistryQuery) -> Result<RegistryAnswer, RegistryError>;
}

/// Asks `source` now and records its answer in `session`. A source error is recorded as
/// unavailable evidence (and returned), never as a pass.
pub fn check_now(
    engine: &Engine,
    scenario: &Scenario,
    session: &mut Session,
    source: &dyn RegistrySource,
) -> Result<CheckResult, RegistryError> {
    let query = RegistryQuery::for_session(source.source(), session);
    let (answer, error) = match source.check(&query) {
        Ok(a) => (a, None),
        Err(e) => (
            RegistryAnswer::Unavailable {
                reason_code: e.code().to_owned(),
            },
            Some(e),
        ),
    };
    let check = answer.to_check(source.source());
    engine.record_database_check(scenario, session, source.source(), check.clone());
    match error {
        Some(e) => Err(e),
        None => Ok(check),
    }
}

/// A check in flight.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "snake_case", deny_unknown_fields)]
pub struct Ticket {
    /// Random id.
    pub id: String,
    /// Which registry.
    pub source: String,
    /// The session.
    pub session_id: String,
    /// When it was started.
    pub started_at: Timestamp,
    /// When it times out.
    pub deadline: Timestamp,
}

/// The checks in flight for one session: plain data the host stores beside the session.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "snake_case", deny_unknown_fields)]
pub struct PendingChecks {
    /// Tickets not yet completed or expired.
    pub tickets: Vec<Ticket>,
}

impl PendingChecks {
    /// Starts a check of `session` at `source`, due within `timeout` (1 s to 24 h). Returns the
    /// ticket and the query to send.
    pub fn start(
        &mut self,
        session: &Session,
        source: &str,
        timeout: SignedDuration,
        now: Timestamp,
        entropy: &dyn Entropy,
    ) -> Result<(Ticket, RegistryQuery), RegistryError> {
        if timeout < SignedDuration::from_secs(1) || timeout > SignedDuration::from_hours(24) {
            return Err(RegistryError::TimeoutOutOfRange(timeout.as_secs()));
        }
        if self.tickets.len() >= MAX_PENDING {
            return Err(RegistryError::TooManyPending(self.tickets.len()));
        }
        let deadline = now
            .checked_add(timeout)
            .map_err(|_| RegistryError::TimeoutOutOfRange(timeout.as_secs()))?;
        let ticket = Ticket {
            id: random_hex::<16>(entropy),
            source: source.to_owned(),
            session_id: session.id.clone(),
            started_at: now,
            deadline,
        };
        self.tickets.push(ticket.clone());
        Ok((ticket, RegistryQuery::for_session(source, session)))
    }

    /// Records the answer to ticket `ticket_id` received at `now`. An answer after the deadline is
    /// refused ([`RegistryError::Late`]) and the check is recorded as timed out instead.
    pub fn complete(
        &mut self,
        engine: &Engine,
        scenario: &Scenario,
        session: &mut Session,
        ticket_id: &str,
        answer: RegistryAnswer,
        now: Timestamp,
    ) -> Result<CheckResult, RegistryError> {
        let index = self
            .tickets
            .iter()
            .position(|t| t.id == ticket_id)
            .ok_or(RegistryError::UnknownTicket)?;
        let Some(ticket) = self.tickets.get(index) else {
            return Err(RegistryError::UnknownTicket);
        };
        if ticket.session_id != session.id {
            return Err(RegistryError::SessionMismatch);
        }
        let ticket = self.tickets.remove(index);
        if now >= ticket.deadline {
            record_timeout(engine, scenario, session, &ticket);
            return Err(RegistryError::Late);
        }
        let check = answer.to_check(&ticket.source);
        engine.record_database_check(scenario, session, &ticket.source, check.clone());
        Ok(check)
    }

    /// Records every check of `session` past its deadline at `now` as unavailable
    /// (`registry.timeout`), and returns them.
    pub fn expire(
        &mut self,
        engine: &Engine,
        scenario: &Scenario,
        session: &mut Session,
        now: Timestamp,
    ) -> Vec<CheckResult> {
        let (due, kept): (Vec<Ticket>, Vec<Ticket>) = std::mem::take(&mut self.tickets)
            .into_iter()
            .partition(|t| t.session_id == session.id && now >= t.deadline);
        self.tickets = kept;
        due.iter()
            .map(|t| record_timeout(engine, scenario, session, t))
            .collect()
    }

    /// The earliest deadline, for the host's timer.
    pub fn next_deadline(&self) -> Option<Timestamp> {
        self.tickets.iter().map(|t| t.deadline).min()
    }
}

fn record_timeout(
    engine: &Engine,
    scenario: &Scenario,
    session: &mut Session,
    ticket: &Ticket,
) -> CheckResult {
    let check = RegistryAnswer::Unavailable {
        reason_code: "registry.timeout".to_owned(),
    }
    .to_check(&ticket.source);
    engine.record_database_check(scenario, session, &ticket.source, check.clone());
    check
}
