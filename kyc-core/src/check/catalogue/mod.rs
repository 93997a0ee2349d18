//! The check catalogue: every check the engine can report, defined once. A row ([`CheckSpec`])
//! gives the check's id, the scenario switch that enables it, which steps emit it, the threshold
//! and comparison it is held to, its pass, fail and unavailable reason codes, whether a failure
//! is critical (a fraud signal that counts towards blocking), whether it speaks to the document's
//! authenticity, and one line on what it measures.
//!
//! Analysers and the engine make evidence only through a row ([`CheckSpec::scored`],
//! [`CheckSpec::rule`], [`CheckSpec::unavailable`], ...), so a check id, threshold or reason code
//! is written in exactly one place: here. `docs/checks.md` is generated from [`ALL`] (a test keeps
//! it current), and a test runs the analysers over the fixtures and fails when an emitted id or
//! reason code is not in the catalogue, or a row is never emitted.
//!
//! Rows live by area: [`document`] (quality, anti-fraud, reading), [`engine`] (the engine's own
//! rules and the registries), and the others as they are added. Each threshold is a documented constant beside its row, saying what it separates, on
//! which data and with what margin.

pub mod capture;
pub mod document;
pub mod engine;

use crate::check::{CheckOutcome, CheckResult, Comparison};
use crate::scenario::StepKind;

/// Reason codes every check may answer with when it could not be made: no analyser was
/// configured for it, or the analyser gave no evidence for an enabled check.
pub const GENERIC_UNAVAILABLE: &[&str] = &["analysis.unavailable", "analysis.no_evidence"];

/// What a check's score is held to.
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum HeldTo {
    /// A fixed threshold, compared one way.
    Threshold(f64, Comparison),
    /// A threshold that depends on the model that made the score (face templates): the one
    /// calibrated for that model, given when the check is made ([`CheckSpec::scored_against`]).
    PerModel(Comparison),
    /// A rule: passed scores 1, failed 0, held to at least 1.
    Rule,
}

/// What turns a check on.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum EnabledBy {
    /// A step's check switch, by its JSON path under the step (`checks.glare_blur`).
    Switch(&'static str),
    /// A scenario property (`fraud.block_history_mismatch`, `limits.age_range`, `blacklist_id`).
    Scenario(&'static str),
    /// Always made when its step runs.
    Always,
    /// Made only by the in-page pre-check (WebAssembly), before anything reaches the engine.
    Precheck,
}

/// One row of the catalogue.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct CheckSpec {
    /// Dotted id, as results carry it.
    pub id: &'static str,
    /// What turns it on.
    pub enabled_by: EnabledBy,
    /// Which kinds of step emit it.
    pub steps: &'static [StepKind],
    /// What its score is held to.
    pub held_to: HeldTo,
    /// Reason codes of a pass; the first is the default.
    pub pass: &'static [&'static str],
    /// Reason codes of a failure; the first is the default.
    pub fail: &'static [&'static str],
    /// Reason codes when the check could not be made (besides [`GENERIC_UNAVAILABLE`]).
    pub unavailable: &'static [&'static str],
    /// A failure is a fraud signal: it counts towards `critical_errors_before_block`.
    pub critical: bool,
    /// It speaks to the document's authenticity (the result's `document.authenticity`).
    pub authenticity: bool,
    /// What it measures, in one line.
    pub measures: &'static str,
}

impl CheckSpec {
    /// The threshold, when it is fixed.
    pub const fn threshold(&self) -> Option<f64> {
        match self.held_to {
            HeldTo::Threshold(t, _) => Some(t),
            _ => None,
        }
    }

    fn first(codes: &'static [&'static str]) -> &'static str {
        codes.first().copied().unwrap_or("catalogue.no_reason")
    }

    fn stamp(&self, mut result: CheckResult) -> CheckResult {
        result.critical = self.critical;
        result
    }

    /// Holds `score` to the row's fixed threshold, with the default pass and fail codes. A NaN
    /// fails. A row without a fixed threshold fails the same way (a programming error the
    /// catalogue test catches): never a silent pass.
    pub fn scored(&self, score: f64, message: impl Into<String>) -> CheckResult {
        match self.held_to {
            HeldTo::Threshold(threshold, comparison) => {
                self.scored_with(score, threshold, comparison, message)
            }
            HeldTo::PerModel(comparison) => self.scored_with(score, f64::NAN, comparison, message),
            HeldTo::Rule => self.scored_with(score, f64::NAN, Comparison::AtLeast, message),
        }
    }

    /// Holds `score` to `threshold` (a row held to [`HeldTo::PerModel`]: the model's own).
    pub fn scored_against(
        &self,
        score: f64,
        threshold: f64,
        message: impl Into<String>,
    ) -> CheckResult {
        let comparison = match self.held_to {
            HeldTo::Threshold(_, c) | HeldTo::PerModel(c) => c,
            HeldTo::Rule => Comparison::AtLeast,
        };
        self.scored_with(score, threshold, comparison, message)
    }

    fn scored_with(
        &self,
        score: f64,
        threshold: f64,
        comparison: Comparison,
        message: impl Into<String>,
    ) -> CheckResult {
        self.stamp(CheckResult::scored(
            self.id,
            score,
            threshold,
            comparison,
            Self::first(self.pass),
            Self::first(self.fail),
            message,
        ))
    }

    /// A rule's verdict with the default pass or fail code.
    pub fn rule(&self, passed: bool, message: impl Into<String>) -> CheckResult {
        let reason = if passed {
            Self::first(self.pass)
        } else {
            Self::first(self.fail)
        };
        self.stamp(CheckResult::rule(self.id, passed, reason, message))
    }

    /// A rule's verdict under a named reason code (one of the row's pass or fail codes).
    pub fn rule_as(&self, passed: bool, reason: &str, message: impl Into<String>) -> CheckResult {
        self.stamp(CheckResult::rule(self.id, passed, reason, message))
    }

    /// A scored verdict under a named reason code, for a row whose score can pass or fail for
    /// several reasons.
    pub fn scored_as(&self, score: f64, reason: &str, message: impl Into<String>) -> CheckResult {
        let mut result = self.scored(score, message);
        result.reason_code = reason.to_owned();
        result
    }

    /// The check could not be made, under one of the row's unavailable codes.
    pub fn unavailable(&self, reason: &str, message: impl Into<String>) -> CheckResult {
        CheckResult::unavailable(self.id, reason, message)
    }

    /// The check could not be made, under the row's first unavailable code.
    pub fn not_made(&self, message: impl Into<String>) -> CheckResult {
        self.unavailable(Self::first(self.unavailable), message)
    }

    /// Whether `code` is one of this row's reason codes for `outcome`.
    pub fn allows(&self, outcome: CheckOutcome, code: &str) -> bool {
        match outcome {
            CheckOutcome::Passed => self.pass.contains(&code),
            CheckOutcome::Failed => self.fail.contains(&code),
            CheckOutcome::Unavailable => {
                self.unavailable.contains(&code) || GENERIC_UNAVAILABLE.contains(&code)
            }
        }
    }
}

/// Every row, area by area.
pub fn all() -> impl Iterator<Item = &'static CheckSpec> {
    document::ALL
        .iter()
        .chain(engine::ALL)
        .chain(capture::ALL)
        .copied()
}

/// The row of check `id`.
pub fn find(id: &str) -> Option<&'static CheckSpec> {
    all().find(|row| row.id == id)
}

/// Why `result` does not fit the catalogue, if it does not: an unknown id, a reason code the row
/// does not list for the outcome, a critical flag or threshold other than the row's.
pub fn misfit(result: &CheckResult) -> Option<String> {
    let Some(row) = find(&result.check) else {
        return Some(format!("check id {} is not in the catalogue", result.check));
    };
    if !row.allows(result.outcome, &result.reason_code) {
        return Some(format!(
            "{}: reason {} is not one of the row's {:?} codes",
            result.check, result.reason_code, result.outcome
        ));
    }
    if result.outcome != CheckOutcome::Unavailable {
        if result.critical != row.critical {
            return Some(format!(
                "{}: critical {} unlike its row",
                result.check, result.critical
            ));
        }
        if let Some(t) = row.threshold()
            && result.threshold != Some(t)
        {
            return Some(format!(
                "{}: threshold {:?}, the row says {t}",
                result.check, result.threshold
            ));
        }
    }
    None
}

/// Whether `result` counts towards the document's authenticity.
pub fn is_authenticity(result: &CheckResult) -> bool {
    find(&result.check).is_some_and(|row| row.authenticity)
}

/// Check ids whose failure is a hit in the scenario's blacklist.
const BLACKLIST_CHECKS: &[&str] = &[engine::BLACKLIST.id];

/// Whether `check` is a failed blacklist search: the face is on the scenario's blacklist.
pub fn is_blacklist_hit(check: &CheckResult) -> bool {
    check.outcome == CheckOutcome::Failed && BLACKLIST_CHECKS.contains(&check.check.as_str())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ids_are_unique_and_every_row_has_codes() {
        let rows: Vec<&CheckSpec> = all().collect();
        for (i, row) in rows.iter().enumerate() {
            assert!(rows[..i].iter().all(|r| r.id != row.id), "{} twice", row.id);
            assert!(!row.pass.is_empty(), "{} has no pass code", row.id);
            assert!(!row.measures.is_empty(), "{} says nothing", row.id);
            assert!(!row.steps.is_empty(), "{} belongs to no step", row.id);
        }
    }
}
