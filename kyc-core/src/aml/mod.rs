//! AML screening: the verified person against sanctions and PEP lists the host provides, offline.
//!
//! - Lists: FollowTheMoney JSON Lines ([`read_ftm`], as OpenSanctions publishes them) and the OFAC
//!   SDN CSV layout ([`read_sdn`]), read as streams within [`ImportLimits`], skips counted in
//!   [`ImportStats`]; indexed once ([`ListIndex`]) and attached through [`AmlLists`], where an
//!   update replaces a list at once. The project downloads no list.
//! - Matching ([`score`]): names folded (`normalise.rs`: case, diacritics, honorifics,
//!   punctuation, order), Cyrillic through ICAO 9303 and a phonetic key under which the other
//!   transliterations meet (`translit.rs`), parts compared one to one (exact, transliteration,
//!   fuzzy, initial, missing), birth date and nationality adjusting. Every potential match carries
//!   its score, the threshold and each part's [`PartMatch`].
//! - In the decision: the scenario's `aml` section runs `aml.sanctions` and `aml.pep` as database
//!   checks as soon as a document is read ([`Engine`](crate::Engine) after a capture); their
//!   thresholds are the check catalogue's (`check::catalogue::aml`). A potential match holds the
//!   session for review, or declines it when `aml.on_match` is `decline`; screening enabled
//!   without a list is `unavailable` (review), never a pass. [`rescreen`] screens stored sessions
//!   again after a list changed.

mod countries;
mod error;
mod import_ftm;
mod import_sdn;
mod index;
mod list;
mod lists;
pub mod normalise;
pub mod score;
pub mod translit;

pub use countries::code as country_code;
pub use error::AmlError;
pub use import_ftm::{ftm_entities, read_ftm};
pub use import_sdn::{SOURCE as SDN_SOURCE, read_sdn, sdn_entities};
pub use index::{Candidate, ListIndex, MIN_FUZZY_KEY, Subject};
pub use list::{
    Entity, ImportLimits, ImportStats, ListBuilder, ListKind, MAX_SKIPPED_KEPT, PartialDate,
    SkippedLine,
};
pub use lists::{AmlLists, MAX_MATCHES, PotentialMatch, ScreenedList, Screening};
pub use score::{BirthHow, Explanation, NationalityHow, PartHow, PartMatch};

use crate::check::CheckResult;
use crate::check::catalogue::{self, CheckSpec};
use crate::document::{DocumentData, field};
use crate::session::Session;

impl Subject {
    /// The person a document names: given names and surname as one name, birth date, nationality.
    pub fn from_document(document: &DocumentData) -> Self {
        let value = |name: &str| {
            document
                .field(name)
                .map(|f| f.value.trim().to_owned())
                .filter(|v| !v.is_empty())
        };
        let full: Vec<String> = [value(field::GIVEN_NAMES), value(field::SURNAME)]
            .into_iter()
            .flatten()
            .collect();
        Self {
            names: if full.is_empty() {
                Vec::new()
            } else {
                vec![full.join(" ")]
            },
            birth_date: value(field::BIRTH_DATE).and_then(|d| d.parse().ok()),
            nationality: value(field::NATIONALITY),
        }
    }
}

/// The catalogue row and list kind of an AML check id.
pub fn row_of(check: &str) -> Option<(&'static CheckSpec, ListKind)> {
    match check {
        id if id == catalogue::aml::SANCTIONS.id => {
            Some((&catalogue::aml::SANCTIONS, ListKind::Sanctions))
        }
        id if id == catalogue::aml::PEP.id => Some((&catalogue::aml::PEP, ListKind::Pep)),
        _ => None,
    }
}

/// Whether `source` is an AML check's (its answers are screenings).
pub fn is_aml_source(source: &str) -> bool {
    row_of(source).is_some()
}

/// One screening as evidence: the best score held to the row's threshold (above it, a potential
/// match fails the check), or unavailable with the error's code. The screening itself, with the
/// explained matches, goes beside the evidence.
pub fn evidence(
    row: &CheckSpec,
    screened: Result<Screening, AmlError>,
) -> (CheckResult, Option<Screening>) {
    match screened {
        Ok(s) => {
            let message = match s.matches.first() {
                Some(m) => format!(
                    "{} potential match(es); best {} ({}) at {}",
                    s.matches.len(),
                    m.entity_id,
                    m.list,
                    m.score
                ),
                None => format!(
                    "nobody on {} list(s) scores above the threshold",
                    s.lists.len()
                ),
            };
            (row.scored(s.best_score, message), Some(s))
        }
        Err(e) => {
            let reason = match e {
                AmlError::NoName => catalogue::aml::NO_NAME,
                _ => catalogue::aml::NO_LIST,
            };
            (row.unavailable(reason, e.to_string()), None)
        }
    }
}

/// Screens the person of `session`'s document for check `check` (`aml.sanctions`, `aml.pep`)
/// against `lists` (none attached: unavailable).
pub fn screen_session(
    lists: Option<&AmlLists>,
    check: &str,
    session: &Session,
) -> Option<(CheckResult, Option<Screening>)> {
    let (row, kind) = row_of(check)?;
    let threshold = row.threshold()?;
    let subject = session
        .document()
        .map(|d| Subject::from_document(&d))
        .unwrap_or_default();
    let screened = match lists {
        None => Err(AmlError::NoList(match kind {
            ListKind::Sanctions => "sanctions",
            ListKind::Pep => "PEP",
        })),
        Some(lists) => lists.screen(&subject, kind, threshold),
    };
    Some(evidence(row, screened))
}

/// What a rescreening of stored sessions found.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct RescreenReport {
    /// Sessions screened again.
    pub screened: u64,
    /// Sessions whose answer changed (other potential matches, or a check now made), by id.
    pub changed: Vec<String>,
    /// Of those, the sessions that now have a potential match they did not have.
    pub new_matches: Vec<String>,
}

/// Screens every session in `sessions` again against the lists `engine` holds now, as a batch
/// job after a list changed: a session whose answer differs (other potential matches, or a check
/// that could not be made before) gets the new answer recorded (an event, and a callback when
/// the scenario sends database checks as they are ready); an open session is decided again,
/// a final one keeps its status for an operator to act on. Sessions of other scenarios, and
/// sessions whose document has not been read, are left alone.
pub fn rescreen<'a>(
    engine: &crate::Engine,
    scenario: &crate::Scenario,
    sessions: impl IntoIterator<Item = &'a mut Session>,
) -> RescreenReport {
    let mut report = RescreenReport::default();
    for session in sessions {
        if session.scenario_id != scenario.id || session.document().is_none() {
            continue;
        }
        report.screened += 1;
        let outcome = engine.rescreen_session(scenario, session);
        if outcome.changed {
            report.changed.push(session.id.clone());
        }
        if outcome.new_match {
            report.new_matches.push(session.id.clone());
        }
    }
    report
}
