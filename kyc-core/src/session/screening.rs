//! AML screening in the session: `aml.sanctions` and `aml.pep` asked once a document is read, as
//! the scenario's `aml` section enables them, and asked again by a rescreening batch
//! ([`crate::aml::rescreen`]). Each answer is a database check carrying the screening (the
//! lists read, the threshold, every potential match explained), so it reaches the observer and,
//! with `database_checks_as_ready`, the callbacks like any registry's answer.

use super::engine::Engine;
use super::record::Session;
use crate::check::CheckOutcome;
use crate::scenario::Scenario;

/// What screening one session again came to.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct RescreenOutcome {
    /// A new answer was recorded (other potential matches, or a check now made or no longer
    /// possible).
    pub changed: bool,
    /// The new answer has a potential match the previous one did not.
    pub new_match: bool,
}

impl Engine {
    /// Screens `session`'s person for every AML check the scenario enables that has not answered
    /// (or answered that the document gave no name).
    pub(super) fn screen_aml(&self, scenario: &Scenario, session: &mut Session) {
        let Some(aml) = &scenario.aml else { return };
        for check in aml.enabled() {
            // Once per session; again only when the document gave no name before (a retake
            // may read it).
            let latest = session
                .database_checks
                .iter()
                .rev()
                .find(|d| d.source == check);
            if latest.is_some_and(|d| d.result.reason_code != crate::check::catalogue::aml::NO_NAME)
            {
                continue;
            }
            let lists = self.analyzers.aml.as_deref();
            if let Some((result, screening)) = crate::aml::screen_session(lists, check, session) {
                self.push_screened_check(session, check, result, screening);
            }
        }
    }

    /// Screens `session`'s person again against the lists as they are now, for every AML check
    /// the scenario enables, and records an answer that differs from the latest one; an open
    /// session is then decided again. See [`crate::aml::rescreen`] for the batch.
    pub fn rescreen_session(&self, scenario: &Scenario, session: &mut Session) -> RescreenOutcome {
        let mut outcome = RescreenOutcome::default();
        let Some(aml) = &scenario.aml else {
            return outcome;
        };
        if session.scenario_id != scenario.id || session.document().is_none() {
            return outcome;
        }
        for check in aml.enabled() {
            let lists = self.analyzers.aml.as_deref();
            let Some((result, screening)) = crate::aml::screen_session(lists, check, session)
            else {
                continue;
            };
            let latest = session
                .database_checks
                .iter()
                .rev()
                .find(|d| d.source == check);
            let before = latest.map(|d| {
                (
                    d.result.outcome,
                    d.screening
                        .as_ref()
                        .map(|s| {
                            s.match_ids()
                                .into_iter()
                                .map(|(l, e)| (l.to_owned(), e.to_owned()))
                                .collect::<Vec<_>>()
                        })
                        .unwrap_or_default(),
                )
            });
            let ids: Vec<(String, String)> = screening
                .as_ref()
                .map(|s| {
                    s.match_ids()
                        .into_iter()
                        .map(|(l, e)| (l.to_owned(), e.to_owned()))
                        .collect()
                })
                .unwrap_or_default();
            if before.as_ref() == Some(&(result.outcome, ids.clone())) {
                continue;
            }
            let had: &[(String, String)] = before.as_ref().map_or(&[], |(_, ids)| ids.as_slice());
            outcome.changed = true;
            outcome.new_match |=
                result.outcome == CheckOutcome::Failed && ids.iter().any(|id| !had.contains(id));
            self.push_screened_check(session, check, result, screening);
        }
        if outcome.changed {
            // A history store's refusal on approval cannot be reported from a batch; the approval
            // stands (see `apply_decision`).
            let _recorded = self.apply_decision(scenario, session);
        }
        outcome
    }
}
