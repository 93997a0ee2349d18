//! Evidence: what every check returns. A check never answers with a bare boolean; it says what it
//! measured, what it was held to and why it came out as it did, under a stable reason code.

pub mod catalogue;

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

/// How a check came out.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum CheckOutcome {
    /// The evidence met the threshold.
    Passed,
    /// The evidence did not meet the threshold.
    Failed,
    /// The check could not be made (no analyser, no model, input it cannot judge). Never a pass:
    /// the decision treats it as "not passed" and sends the session to manual review.
    Unavailable,
}

/// Which way a score is held to its threshold.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum Comparison {
    /// Passes when `score >= threshold` (similarity, sharpness, confidence).
    AtLeast,
    /// Passes when `score <= threshold` (moire energy, glare area, spoof probability).
    AtMost,
}

/// One check's evidence.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "snake_case", deny_unknown_fields)]
pub struct CheckResult {
    /// Dotted check id, e.g. `document.mrz.check_digits`.
    pub check: String,
    /// How it came out.
    pub outcome: CheckOutcome,
    /// What was measured, when the check measures something.
    pub score: Option<f64>,
    /// What the score was held to.
    pub threshold: Option<f64>,
    /// Which way the score is compared with the threshold.
    pub comparison: Option<Comparison>,
    /// Stable machine-readable reason, e.g. `document.mrz.check_digit_refuted`.
    pub reason_code: String,
    /// For people; may change between versions.
    pub message: String,
    /// A failed critical check is a fraud signal: it counts towards blocking the session.
    pub critical: bool,
}

impl CheckResult {
    /// Holds `score` to `threshold` and names the outcome.
    ///
    /// A score that is not a number fails: a NaN must never slip through a comparison as a pass.
    pub fn scored(
        check: &str,
        score: f64,
        threshold: f64,
        comparison: Comparison,
        pass_reason: &str,
        fail_reason: &str,
        message: impl Into<String>,
    ) -> Self {
        let passed = match comparison {
            Comparison::AtLeast => score >= threshold,
            Comparison::AtMost => score <= threshold,
        };
        Self {
            check: check.to_owned(),
            outcome: if passed {
                CheckOutcome::Passed
            } else {
                CheckOutcome::Failed
            },
            score: Some(score),
            threshold: Some(threshold),
            comparison: Some(comparison),
            reason_code: if passed { pass_reason } else { fail_reason }.to_owned(),
            message: message.into(),
            critical: false,
        }
    }

    /// A check decided by a rule rather than a score (a date order, a code list). The score is 1 for
    /// a pass and 0 for a fail, held to a threshold of 1, so every item still carries both.
    pub fn rule(check: &str, passed: bool, reason_code: &str, message: impl Into<String>) -> Self {
        Self {
            check: check.to_owned(),
            outcome: if passed {
                CheckOutcome::Passed
            } else {
                CheckOutcome::Failed
            },
            score: Some(if passed { 1.0 } else { 0.0 }),
            threshold: Some(1.0),
            comparison: Some(Comparison::AtLeast),
            reason_code: reason_code.to_owned(),
            message: message.into(),
            critical: false,
        }
    }

    /// A check that could not be made.
    pub fn unavailable(check: &str, reason_code: &str, message: impl Into<String>) -> Self {
        Self {
            check: check.to_owned(),
            outcome: CheckOutcome::Unavailable,
            score: None,
            threshold: None,
            comparison: None,
            reason_code: reason_code.to_owned(),
            message: message.into(),
            critical: false,
        }
    }

    /// Marks the check as a fraud signal: when it fails it counts towards blocking.
    #[must_use]
    pub fn critical(mut self) -> Self {
        self.critical = true;
        self
    }

    /// True when this check failed and is a fraud signal.
    pub fn is_critical_failure(&self) -> bool {
        self.critical && self.outcome == CheckOutcome::Failed
    }
}

/// The verdict of a set of checks: failed beats unavailable beats passed.
pub fn combine(checks: &[CheckResult]) -> CheckOutcome {
    if checks.iter().any(|c| c.outcome == CheckOutcome::Failed) {
        CheckOutcome::Failed
    } else if checks.is_empty()
        || checks
            .iter()
            .any(|c| c.outcome == CheckOutcome::Unavailable)
    {
        // No evidence at all is not a pass either.
        CheckOutcome::Unavailable
    } else {
        CheckOutcome::Passed
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn nan_score_fails_either_way() {
        for cmp in [Comparison::AtLeast, Comparison::AtMost] {
            let c = CheckResult::scored("x", f64::NAN, 0.5, cmp, "ok", "bad", "");
            assert_eq!(c.outcome, CheckOutcome::Failed);
            assert_eq!(c.reason_code, "bad");
        }
    }

    #[test]
    fn comparisons_hold_scores_to_thresholds() {
        let at_least = CheckResult::scored("x", 0.5, 0.5, Comparison::AtLeast, "ok", "bad", "");
        assert_eq!(at_least.outcome, CheckOutcome::Passed);
        let at_most = CheckResult::scored("x", 0.51, 0.5, Comparison::AtMost, "ok", "bad", "");
        assert_eq!(at_most.outcome, CheckOutcome::Failed);
    }

    #[test]
    fn combine_never_passes_without_evidence() {
        assert_eq!(combine(&[]), CheckOutcome::Unavailable);
        let pass = CheckResult::rule("a", true, "ok", "");
        let fail = CheckResult::rule("b", false, "bad", "");
        let none = CheckResult::unavailable("c", "no_analyser", "");
        assert_eq!(combine(std::slice::from_ref(&pass)), CheckOutcome::Passed);
        assert_eq!(
            combine(&[pass.clone(), none.clone()]),
            CheckOutcome::Unavailable
        );
        assert_eq!(combine(&[pass, none, fail]), CheckOutcome::Failed);
    }
}
