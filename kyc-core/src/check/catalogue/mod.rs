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
//! Rows live by area ([`AREAS`]): [`document`] (image quality, anti-fraud, the portrait, field
//! logic), [`mrz`] (what the MRZ reader measures), [`selfie`], [`liveness`], [`engine`] (the engine's own rules and
//! the registries), [`aml`] (sanctions and PEP screening) and [`capture`] (the in-page pre-check). Each threshold is a
//! documented constant beside its row, saying what it separates, on which data and with what
//! margin; the modules that measure re-export the constants they use.

pub mod aml;
pub mod capture;
pub mod document;
pub mod engine;
pub mod liveness;
mod markdown;
pub mod mrz;
pub mod selfie;

pub use markdown::markdown;

use crate::check::{CheckOutcome, CheckResult, Comparison};
use crate::scenario::StepKind;

/// Reason codes every check may answer with when it could not be made: no analyser was
/// configured for it, or the analyser gave no evidence for an enabled check.
pub const GENERIC_UNAVAILABLE: &[&str] = &[NO_ANALYSER, NO_EVIDENCE];

/// Reason: no analyser or store the check needs is configured.
pub const NO_ANALYSER: &str = "analysis.unavailable";
/// Reason: the analyser returned no evidence for an enabled check.
pub const NO_EVIDENCE: &str = "analysis.no_evidence";

/// What a check's score is held to.
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum HeldTo {
    /// A fixed threshold, compared one way.
    Threshold(f64, Comparison),
    /// A fixed threshold where the check measures, and a rule (held to 1) where it decides without
    /// a measurement ([`CheckSpec::rule_as`]): `document.fully_visible` holds the border a
    /// document covers to its threshold, but passes a frame-filling scan and fails a frame without
    /// a document by rule.
    ThresholdOrRule(f64, Comparison),
    /// A threshold that depends on the model that made the score (face templates): the one
    /// calibrated for that model, given when the check is made ([`CheckSpec::scored_against`]).
    PerModel(Comparison),
    /// A rule: passed scores 1, failed 0, held to at least 1.
    Rule,
    /// Bounds the scenario sets, by their path (`limits.age_range`): the score is held to the
    /// lower bound when below it, else to the upper ([`CheckSpec::bounded`]).
    Scenario(&'static str),
    /// Nothing of its own: a parent answered by its sub-checks (`document.glare_blur` by
    /// `document.glare_blur.blur`, ...), emitted itself only as unavailable, when none of them
    /// could be made (no analyser, no face, no image).
    Group,
}

/// Whether a check's failure is a fraud signal (counts towards `critical_errors_before_block`),
/// and which of its verdicts carry the `critical` flag.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Critical {
    /// Not a fraud signal: no verdict carries the flag.
    No,
    /// A failure is a fraud signal; every verdict carries the flag, passes too.
    Yes,
    /// A failure is a fraud signal; only a failure carries the flag (a pass says `false`).
    OnFailure,
    /// As [`Critical::Yes`], except a failure under one of these codes, which is no fraud signal
    /// (a date that could not be read is a reading failure, not a forged date).
    Except(&'static [&'static str]),
}

impl Critical {
    /// The `critical` flag of a verdict with `outcome` under `reason`; never on an unavailable one.
    pub fn flags(self, outcome: CheckOutcome, reason: &str) -> bool {
        match (self, outcome) {
            (_, CheckOutcome::Unavailable) | (Self::No, _) => false,
            (Self::Yes, _) => true,
            (Self::OnFailure, o) => o == CheckOutcome::Failed,
            (Self::Except(codes), o) => !(o == CheckOutcome::Failed && codes.contains(&reason)),
        }
    }
}

/// What turns a check on.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum EnabledBy {
    /// A step's check switch, by its JSON path under the step (`checks.glare_blur`,
    /// `spoof_model`), or the liveness step's `mode` with the value that runs the check
    /// (`mode: active`).
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
    /// Whether a failure is a fraud signal (counts towards `critical_errors_before_block`), and
    /// which verdicts carry the flag.
    pub critical: Critical,
    /// It speaks to the document's authenticity (the result's `document.authenticity`).
    pub authenticity: bool,
    /// What it measures, in one line.
    pub measures: &'static str,
}

impl CheckSpec {
    /// The threshold, when it is fixed.
    pub const fn threshold(&self) -> Option<f64> {
        match self.held_to {
            HeldTo::Threshold(t, _) | HeldTo::ThresholdOrRule(t, _) => Some(t),
            _ => None,
        }
    }

    fn first(codes: &'static [&'static str]) -> &'static str {
        codes.first().copied().unwrap_or("catalogue.no_reason")
    }

    fn stamp(&self, mut result: CheckResult) -> CheckResult {
        result.critical = self.critical.flags(result.outcome, &result.reason_code);
        result
    }

    /// Holds `score` to the row's fixed threshold, with the default pass and fail codes. A NaN
    /// fails. A row without a fixed threshold fails the same way (a programming error the
    /// catalogue test catches): never a silent pass.
    pub fn scored(&self, score: f64, message: impl Into<String>) -> CheckResult {
        match self.held_to {
            HeldTo::Threshold(threshold, comparison)
            | HeldTo::ThresholdOrRule(threshold, comparison) => {
                self.scored_with(score, threshold, comparison, message)
            }
            HeldTo::PerModel(comparison) => self.scored_with(score, f64::NAN, comparison, message),
            HeldTo::Rule | HeldTo::Scenario(_) | HeldTo::Group => {
                self.scored_with(score, f64::NAN, Comparison::AtLeast, message)
            }
        }
    }

    /// Holds `score` to the row's fixed threshold like [`CheckSpec::scored`]; a failure names
    /// `fail_reason` (one of the row's fail codes: the first refuted check digit, the field that
    /// differs).
    pub fn scored_failing_as(
        &self,
        score: f64,
        fail_reason: &str,
        message: impl Into<String>,
    ) -> CheckResult {
        let result = self.scored(score, message);
        if result.outcome == CheckOutcome::Failed {
            self.renamed(result, fail_reason)
        } else {
            result
        }
    }

    /// Holds `value` between `min` and `max` (a row held to [`HeldTo::Scenario`] bounds): passes
    /// inside them, both included, under the first pass code; fails under `below` or `above`. The
    /// verdict carries the bound `value` must meet: the lower one when below it, else the upper.
    pub fn bounded(
        &self,
        value: f64,
        (min, max): (f64, f64),
        (below, above): (&str, &str),
        message: impl Into<String>,
    ) -> CheckResult {
        let (threshold, comparison) = if value < min {
            (min, Comparison::AtLeast)
        } else {
            (max, Comparison::AtMost)
        };
        let result = self.scored_with(value, threshold, comparison, message);
        if result.outcome == CheckOutcome::Failed {
            self.renamed(result, if value < min { below } else { above })
        } else {
            result
        }
    }

    fn renamed(&self, mut result: CheckResult, reason: &str) -> CheckResult {
        reason.clone_into(&mut result.reason_code);
        self.stamp(result)
    }

    /// Holds `score` to `threshold` (a row held to [`HeldTo::PerModel`]: the model's own).
    pub fn scored_against(
        &self,
        score: f64,
        threshold: f64,
        message: impl Into<String>,
    ) -> CheckResult {
        let comparison = match self.held_to {
            HeldTo::Threshold(_, c) | HeldTo::ThresholdOrRule(_, c) | HeldTo::PerModel(c) => c,
            HeldTo::Rule | HeldTo::Scenario(_) | HeldTo::Group => Comparison::AtLeast,
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
        let result = self.scored(score, message);
        self.renamed(result, reason)
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

/// The areas, each with a title and its rows, in the order `docs/checks.md` lists them.
pub const AREAS: &[(&str, &[&CheckSpec])] = &[
    ("Document", document::ALL),
    ("MRZ", mrz::ALL),
    ("Selfie", selfie::ALL),
    ("Liveness", liveness::ALL),
    ("Engine rules and registries", engine::ALL),
    ("AML screening", aml::ALL),
    ("Capture (in-page pre-check)", capture::ALL),
];

/// Every row, area by area.
pub fn all() -> impl Iterator<Item = &'static CheckSpec> {
    AREAS.iter().flat_map(|(_, rows)| rows.iter().copied())
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
    if result.critical != row.critical.flags(result.outcome, &result.reason_code) {
        return Some(format!(
            "{}: critical {} unlike its row ({:?})",
            result.check, result.critical, row.critical
        ));
    }
    if result.outcome != CheckOutcome::Unavailable
        && let Some(t) = row.threshold()
        && result.threshold != Some(t)
        && !(matches!(row.held_to, HeldTo::ThresholdOrRule(..)) && is_rule_verdict(result))
    {
        return Some(format!(
            "{}: threshold {:?}, the row says {t}",
            result.check, result.threshold
        ));
    }
    None
}

/// Whether `result` is a rule's verdict: scored 1 or 0, held to at least 1.
fn is_rule_verdict(result: &CheckResult) -> bool {
    let ruled = CheckResult::rule(
        &result.check,
        result.outcome == CheckOutcome::Passed,
        "",
        "",
    );
    (result.score, result.threshold, result.comparison)
        == (ruled.score, ruled.threshold, ruled.comparison)
}

/// Whether `result` counts towards the document's authenticity.
pub fn is_authenticity(result: &CheckResult) -> bool {
    find(&result.check).is_some_and(|row| row.authenticity)
}

/// Rows that inform the operator and never fail (so list no fail code).
pub const INFORMATIVE: &[&str] = &[engine::CUSTOMER_MATCH.id];

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
            if row.held_to == HeldTo::Group {
                // A group gives no verdict of its own.
                assert!(row.pass.is_empty() && row.fail.is_empty(), "{}", row.id);
            } else {
                assert!(!row.pass.is_empty(), "{} has no pass code", row.id);
                assert!(
                    !row.fail.is_empty() || INFORMATIVE.contains(&row.id),
                    "{} has no fail code",
                    row.id
                );
            }
            assert!(!row.measures.is_empty(), "{} says nothing", row.id);
            assert!(!row.steps.is_empty(), "{} belongs to no step", row.id);
            if let Critical::Except(codes) = row.critical {
                assert!(codes.iter().all(|c| row.fail.contains(c)), "{}", row.id);
            }
        }
    }

    #[test]
    fn every_sub_check_has_its_parent() {
        // `document.glare_blur.blur` under `document.glare_blur`: require_evidence answers an
        // enabled parent by its sub-checks, so each parent the scenario switches on is a row.
        for row in all() {
            let mut id = row.id;
            while let Some((parent, _)) = id.rsplit_once('.') {
                if parent.contains('.') {
                    assert!(find(parent).is_some(), "{}: no row {parent}", row.id);
                }
                id = parent;
            }
        }
    }

    const ROW: CheckSpec = CheckSpec {
        id: "test.row",
        enabled_by: EnabledBy::Always,
        steps: &[StepKind::Document],
        held_to: HeldTo::Threshold(0.5, Comparison::AtLeast),
        pass: &["test.ok"],
        fail: &["test.low", "test.other"],
        unavailable: &["test.none"],
        critical: Critical::Except(&["test.other"]),
        authenticity: false,
        measures: "a test",
    };

    #[test]
    fn verdicts_carry_the_rows_codes_threshold_and_critical_flag() {
        let pass = ROW.scored(0.7, "");
        assert_eq!(
            (pass.outcome, pass.reason_code.as_str(), pass.critical),
            (CheckOutcome::Passed, "test.ok", true)
        );
        assert_eq!(pass.threshold, Some(0.5));
        let fail = ROW.scored_failing_as(0.1, "test.other", "");
        assert_eq!(
            (fail.outcome, fail.reason_code.as_str(), fail.critical),
            (CheckOutcome::Failed, "test.other", false)
        );
        let passing = ROW.scored_failing_as(0.9, "test.other", "");
        assert_eq!(passing.reason_code, "test.ok");
        assert!(ROW.scored(f64::NAN, "").is_critical_failure());
        let none = ROW.not_made("");
        assert_eq!(
            (none.reason_code.as_str(), none.critical),
            ("test.none", false)
        );

        let on_failure = CheckSpec {
            critical: Critical::OnFailure,
            ..ROW
        };
        assert!(!on_failure.rule(true, "").critical);
        assert!(on_failure.rule(false, "").critical);
    }

    #[test]
    fn bounded_holds_to_the_bound_it_must_meet() {
        let row = CheckSpec {
            held_to: HeldTo::Scenario("limits.test"),
            critical: Critical::No,
            ..ROW
        };
        let low = row.bounded(17.0, (18.0, 65.0), ("test.low", "test.other"), "");
        assert_eq!(low.reason_code, "test.low");
        assert_eq!(
            (low.threshold, low.comparison),
            (Some(18.0), Some(Comparison::AtLeast))
        );
        let high = row.bounded(66.0, (18.0, 65.0), ("test.low", "test.other"), "");
        assert_eq!(high.reason_code, "test.other");
        assert_eq!(
            (high.threshold, high.comparison),
            (Some(65.0), Some(Comparison::AtMost))
        );
        for edge in [18.0, 65.0] {
            let inside = row.bounded(edge, (18.0, 65.0), ("test.low", "test.other"), "");
            assert_eq!(inside.outcome, CheckOutcome::Passed);
            assert_eq!(inside.reason_code, "test.ok");
        }
    }

    #[test]
    fn misfit_names_unknown_ids_codes_and_flags() {
        let row = &document::SCREEN_PHOTO;
        assert!(misfit(&row.scored(1.0, "")).is_none());
        let mut wrong = row.scored(1.0, "");
        wrong.critical = false;
        assert!(misfit(&wrong).unwrap().contains("critical"));
        let mut wrong = row.scored(1.0, "");
        wrong.threshold = Some(1.0);
        assert!(misfit(&wrong).unwrap().contains("threshold"));
        let wrong = row.unavailable("document.screen_photo.gone", "");
        assert!(misfit(&wrong).unwrap().contains("reason"));
        assert!(
            misfit(&ROW.scored(1.0, ""))
                .unwrap()
                .contains("not in the catalogue")
        );
        assert!(misfit(&row.unavailable("analysis.no_evidence", "")).is_none());
        // A rule's verdict on a row held to a threshold fits only where the row says so.
        let scan = document::FULLY_VISIBLE.rule_as(true, document::FULLY_VISIBLE_FULL_FRAME, "");
        assert!(misfit(&scan).is_none());
        let mut ruled = row.rule(true, "");
        ruled.critical = true;
        assert!(misfit(&ruled).unwrap().contains("threshold"));
    }
}
