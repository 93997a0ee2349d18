//! The document portrait's person against the data the document prints (`document.portrait.age`,
//! `document.portrait.sex`): a portrait replaced by another face shows someone of another age or
//! sex than the birth date and sex beside it. The estimate is the selfie's ([`super::age_gender`]);
//! the thresholds are the selfie's too (defined once in the catalogue), so only gross mismatches
//! fail, and a failure sends the session to review rather than blocking it.
//!
//! The photo's date is not printed: the holder's age is taken at the issue date when the page
//! prints one, else anywhere in the longest validity before the expiry date (a ten-year passport
//! photographed at 30 shows 30 to 40 by its data), else in the ten years before `today`.

use jiff::civil::Date;
use jiff::{Span, ToSpan};

use super::age_gender::AgeGenderEstimate;
use crate::check::CheckResult;
use crate::check::catalogue::document as catalogue;
use crate::document::field_logic::years_between;
use crate::document::{DocumentData, field};

/// The longest a document is valid, in years, for the window the photo may have been taken in
/// when the page prints no issue date.
pub const MAX_VALIDITY_YEARS: i16 = 10;

fn date(document: &DocumentData, name: &str) -> Option<Date> {
    document.field(name)?.value.parse().ok()
}

/// The holder's youngest and oldest age when the photo could have been taken.
pub fn documented_ages(document: &DocumentData, today: Date) -> Option<(i16, i16)> {
    let birth = date(document, field::BIRTH_DATE)?;
    if let Some(issued) = date(document, field::ISSUE_DATE).filter(|d| *d >= birth) {
        let age = years_between(birth, issued);
        return Some((age, age));
    }
    let latest = date(document, field::EXPIRY_DATE).map_or(today, |e| e.min(today));
    let span: Span = i64::from(MAX_VALIDITY_YEARS).years();
    let earliest = latest.checked_sub(span).ok()?.max(birth);
    Some((
        years_between(birth, earliest).max(0),
        years_between(birth, latest.max(birth)).max(0),
    ))
}

/// The evidence for a portrait whose age and sex were estimated (`estimate`), against `document`.
pub fn checks(
    estimate: &AgeGenderEstimate,
    document: Option<&DocumentData>,
    today: Date,
) -> Vec<CheckResult> {
    let age = match document.and_then(|d| documented_ages(d, today)) {
        Some((young, old)) => {
            let (young, old) = (f64::from(young), f64::from(old));
            let gap = if estimate.age < young {
                young - estimate.age
            } else if estimate.age > old {
                estimate.age - old
            } else {
                0.0
            };
            catalogue::PORTRAIT_AGE.scored(
                gap,
                format!(
                    "portrait's estimated age {:.1} (spread {:.1}) against the holder's {young:.0} \
                     to {old:.0} when photographed: gap in years",
                    estimate.age, estimate.age_spread
                ),
            )
        }
        None => catalogue::PORTRAIT_AGE.unavailable(
            catalogue::PORTRAIT_PERSON_NO_BIRTH_DATE,
            "the document gave no birth date to compare with",
        ),
    };
    let printed = document
        .and_then(|d| d.field(field::SEX))
        .map(|f| f.value.as_str());
    let sex = match (printed, printed.and_then(|s| estimate.probability_of(s))) {
        // The document states no binary sex (ICAO's X): there is nothing to hold the face to,
        // and the holder is not sent to review for it.
        (Some("X"), _) => return vec![age],
        (Some(s), Some(p)) => catalogue::PORTRAIT_SEX.scored(
            p,
            format!("probability the portrait shows the document's sex {s}"),
        ),
        _ => catalogue::PORTRAIT_SEX.unavailable(
            catalogue::PORTRAIT_PERSON_NO_SEX,
            "the document gave no M or F sex to compare with",
        ),
    };
    vec![age, sex]
}

/// Both checks unavailable under `reason` (no model, no face to estimate).
pub fn unavailable(reason: &str, message: &str) -> Vec<CheckResult> {
    vec![
        catalogue::PORTRAIT_AGE.unavailable(reason, message),
        catalogue::PORTRAIT_SEX.unavailable(reason, message),
    ]
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::check::CheckOutcome;
    use crate::test_support::document;

    fn estimate(age: f64, male: f64) -> AgeGenderEstimate {
        AgeGenderEstimate {
            age,
            age_spread: 5.0,
            male_probability: male,
        }
    }

    #[test]
    fn the_photo_is_dated_by_the_issue_date_or_the_validity_before_expiry() {
        let today = jiff::civil::date(2026, 12, 7);
        let issued = document(&[
            (field::BIRTH_DATE, "1974-08-12"),
            (field::ISSUE_DATE, "2007-04-16"),
            (field::EXPIRY_DATE, "2012-04-15"),
        ]);
        assert_eq!(documented_ages(&issued, today), Some((32, 32)));
        let unissued = document(&[
            (field::BIRTH_DATE, "1974-08-12"),
            (field::EXPIRY_DATE, "2012-04-15"),
        ]);
        assert_eq!(documented_ages(&unissued, today), Some((27, 37)));
        // Not expired: the window ends today.
        let current = document(&[
            (field::BIRTH_DATE, "2000-01-01"),
            (field::EXPIRY_DATE, "2031-01-01"),
        ]);
        assert_eq!(documented_ages(&current, today), Some((16, 26)));
        assert_eq!(documented_ages(&document(&[]), today), None);
    }

    #[test]
    fn a_retiree_on_a_young_holders_page_fails_and_the_sex_is_held_to_the_data() {
        let today = jiff::civil::date(2026, 12, 7);
        let page = document(&[
            (field::BIRTH_DATE, "1974-08-12"),
            (field::ISSUE_DATE, "2007-04-16"),
            (field::SEX, "F"),
        ]);
        let fine = checks(&estimate(38.0, 0.2), Some(&page), today);
        assert!(
            fine.iter().all(|c| c.outcome == CheckOutcome::Passed),
            "{fine:?}"
        );
        assert_eq!(fine[0].score, Some(6.0));
        let old = checks(&estimate(71.0, 0.2), Some(&page), today);
        assert_eq!(old[0].outcome, CheckOutcome::Failed);
        assert_eq!(old[0].reason_code, "document.portrait.age.mismatch");
        let man = checks(&estimate(33.0, 0.95), Some(&page), today);
        assert_eq!(man[1].outcome, CheckOutcome::Failed);
        assert_eq!(man[1].reason_code, "document.portrait.sex.mismatch");
        // Unsure of the sex: no failure.
        let unsure = checks(&estimate(33.0, 0.6), Some(&page), today);
        assert_eq!(unsure[1].outcome, CheckOutcome::Passed);
        // No data: unavailable, never a pass.
        let none = checks(&estimate(33.0, 0.6), None, today);
        assert!(none.iter().all(|c| c.outcome == CheckOutcome::Unavailable));
        // A page stating no binary sex (X): the sex check does not apply, so it cannot send the
        // holder to review; the age check stands.
        let x = document(&[
            (field::BIRTH_DATE, "1974-08-12"),
            (field::ISSUE_DATE, "2007-04-16"),
            (field::SEX, "X"),
        ]);
        let only_age = checks(&estimate(38.0, 0.5), Some(&x), today);
        assert_eq!(only_age.len(), 1, "{only_age:?}");
        assert_eq!(only_age[0].check, "document.portrait.age");
    }
}
