//! `docs/checks.md`: the catalogue as one table per area, generated from the rows (a test in
//! `kyc-core/tests/it/catalogue.rs` keeps the file current).

use std::fmt::Write;

use super::{AREAS, CheckSpec, Critical, EnabledBy, GENERIC_UNAVAILABLE, HeldTo};
use crate::check::Comparison;
use crate::scenario::StepKind;

/// The catalogue as Markdown: a short header, then a table per area.
pub fn markdown() -> String {
    let mut out = String::new();
    out.push_str(
        "# Checks\n\n\
         Generated from the check catalogue (`kyc_core::check::catalogue::markdown`, rows in \
         `kyc-core/src/check/catalogue/`); do not edit by hand. Regenerate with\n\
         `KYC_UPDATE_GOLDEN=1 cargo test -p kyc-core --test it catalogue::docs` and review the \
         diff.\n\n\
         Every check carries a score, the threshold it is held to, an outcome and a reason code. \
         A threshold reads `≥ t` (passes at or above `t`) or `≤ t`; *per model* is the embedding \
         model's own calibrated threshold; *rule* scores 1 for a pass and 0 for a failure, held \
         to at least 1; *group* is a parent answered by its sub-checks and emitted itself only \
         as unavailable. Besides the codes listed, every check may be unavailable with ",
    );
    let generic: Vec<String> = GENERIC_UNAVAILABLE.iter().map(|c| code(c)).collect();
    out.push_str(&generic.join(" or "));
    out.push_str(
        " (no analyser configured, or none answered it). A *critical* failure is a fraud \
         signal that counts towards `critical_errors_before_block`; *authenticity* checks \
         make the result's `document.authenticity`.\n",
    );
    for (area, rows) in AREAS {
        let _ = write!(
            out,
            "\n## {area}\n\n\
             | id | enabled by | steps | threshold | pass | fail | unavailable | critical | \
             authenticity | measures |\n\
             |---|---|---|---|---|---|---|---|---|---|\n"
        );
        for row in rows.iter() {
            line(&mut out, row);
        }
    }
    out
}

fn line(out: &mut String, row: &CheckSpec) {
    let codes = |list: &[&str]| list.iter().map(|c| code(c)).collect::<Vec<_>>().join(", ");
    let _ = writeln!(
        out,
        "| {} | {} | {} | {} | {} | {} | {} | {} | {} | {} |",
        code(row.id),
        enabled_by(row.enabled_by),
        row.steps
            .iter()
            .map(|s| step(*s))
            .collect::<Vec<_>>()
            .join(", "),
        held_to(row.held_to),
        codes(row.pass),
        codes(row.fail),
        codes(row.unavailable),
        critical(row.critical),
        if row.authenticity { "yes" } else { "no" },
        row.measures.replace('|', "\\|"),
    );
}

fn code(c: &str) -> String {
    format!("`{c}`")
}

fn step(kind: StepKind) -> &'static str {
    match kind {
        StepKind::Document => "document",
        StepKind::Selfie => "selfie",
        StepKind::Liveness => "liveness",
    }
}

fn enabled_by(e: EnabledBy) -> String {
    match e {
        EnabledBy::Switch(path) => code(path),
        EnabledBy::Scenario(path) => format!("scenario {}", code(path)),
        EnabledBy::Always => "always".to_owned(),
        EnabledBy::Precheck => "pre-check".to_owned(),
    }
}

fn comparison(c: Comparison) -> &'static str {
    match c {
        Comparison::AtLeast => "≥",
        Comparison::AtMost => "≤",
    }
}

fn held_to(h: HeldTo) -> String {
    match h {
        HeldTo::Threshold(t, c) => format!("{} {t}", comparison(c)),
        HeldTo::ThresholdOrRule(t, c) => format!("{} {t}, or rule", comparison(c)),
        HeldTo::PerModel(c) => format!("{} per model", comparison(c)),
        HeldTo::Rule => "rule".to_owned(),
        HeldTo::Scenario(path) => format!("within scenario {}", code(path)),
        HeldTo::Group => "group".to_owned(),
    }
}

fn critical(c: Critical) -> String {
    match c {
        Critical::No => "no".to_owned(),
        Critical::Yes => "yes".to_owned(),
        Critical::OnFailure => "yes (flagged on failure only)".to_owned(),
        Critical::Except(codes) => format!(
            "yes, except {}",
            codes.iter().map(|c| code(c)).collect::<Vec<_>>().join(", ")
        ),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_row_has_one_table_line() {
        let text = markdown();
        for row in super::super::all() {
            let start = format!("\n| `{}` |", row.id);
            assert_eq!(text.matches(&start).count(), 1, "{}", row.id);
        }
        assert!(
            text.contains(
                "| `document.glare_blur.blur` | `checks.glare_blur` | document | ≥ 200 |"
            )
        );
    }
}
