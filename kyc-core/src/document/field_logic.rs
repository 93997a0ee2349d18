//! Field logic: checks over what was read, needing no pixels. Birth before issue before expiry, not
//! expired, a sane age at issue, and the scenario's allowed age range.

use jiff::civil::Date;

use super::{DocumentData, field};
use crate::check::CheckResult;
use crate::check::catalogue::document as catalogue;
use crate::scenario::AgeRange;

/// The oldest age at which anyone is taken to hold a document.
const MAX_PLAUSIBLE_AGE: i16 = 130;

/// Date-order, expiry and age-at-issue checks. Missing dates make the check unavailable, never a pass.
pub fn check(document: &DocumentData, today: Date) -> Vec<CheckResult> {
    let birth = date_field(document, field::BIRTH_DATE);
    let issue = date_field(document, field::ISSUE_DATE);
    let expiry = date_field(document, field::EXPIRY_DATE);
    let mut checks = Vec::with_capacity(3);

    let dates = &catalogue::FIELD_LOGIC_DATES;
    checks.push(match (birth, expiry) {
        (Some(Ok(b)), Some(Ok(e))) => {
            let ordered =
                b <= today && b < e && issue.and_then(Result::ok).is_none_or(|i| b <= i && i <= e);
            let age = years_between(b, today);
            let plausible = (0..=MAX_PLAUSIBLE_AGE).contains(&age);
            dates.rule_as(
                ordered && plausible,
                if !ordered {
                    catalogue::DATE_ORDER
                } else if !plausible {
                    catalogue::IMPLAUSIBLE_AGE
                } else {
                    catalogue::DATES_CONSISTENT
                },
                format!("birth {b}, issue {}, expiry {e}, today {today}", opt(issue)),
            )
        }
        (Some(Err(raw)), _) | (_, Some(Err(raw))) => dates.rule_as(
            false,
            catalogue::UNREADABLE_DATE,
            format!("'{raw}' is not a date"),
        ),
        _ => dates.unavailable(
            catalogue::MISSING_DATES,
            "birth and expiry dates were not read",
        ),
    });

    let not_expired = &catalogue::FIELD_LOGIC_NOT_EXPIRED;
    checks.push(match expiry {
        Some(Ok(e)) => not_expired.rule(e >= today, format!("expiry {e}, today {today}")),
        _ => not_expired.unavailable(catalogue::MISSING_DATES, "expiry date was not read"),
    });

    checks
}

/// `document.age_range`: the scenario's age range against the document's birth date. The
/// evidence is the age itself, held to the bound it must meet.
pub fn check_age(document: &DocumentData, range: AgeRange, today: Date) -> CheckResult {
    let row = &catalogue::AGE_RANGE;
    match date_field(document, field::BIRTH_DATE) {
        Some(Ok(birth)) => {
            let age = years_between(birth, today);
            row.bounded(
                f64::from(age),
                (f64::from(range.min), f64::from(range.max)),
                (catalogue::TOO_YOUNG, catalogue::TOO_OLD),
                format!("age {age}, allowed {}..={}", range.min, range.max),
            )
        }
        Some(Err(raw)) => row.rule_as(
            false,
            catalogue::UNREADABLE_DATE,
            format!("'{raw}' is not a date"),
        ),
        None => row.unavailable(catalogue::MISSING_DATES, "birth date was not read"),
    }
}

/// Whole years from `from` to `to` (negative when `to` is earlier).
pub fn years_between(from: Date, to: Date) -> i16 {
    let mut years = to.year() - from.year();
    if (to.month(), to.day()) < (from.month(), from.day()) {
        years -= 1;
    }
    years
}

fn date_field<'a>(document: &'a DocumentData, name: &str) -> Option<Result<Date, &'a str>> {
    document
        .field(name)
        .map(|f| f.value.parse::<Date>().map_err(|_| f.value.as_str()))
}

fn opt(date: Option<Result<Date, &str>>) -> String {
    match date {
        Some(Ok(d)) => d.to_string(),
        _ => "-".to_owned(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::check::CheckOutcome;
    use crate::document::{DocumentField, FieldSource};

    fn doc(fields: &[(&str, &str)]) -> DocumentData {
        DocumentData {
            fields: fields
                .iter()
                .map(|(n, v)| DocumentField {
                    name: (*n).to_owned(),
                    value: (*v).to_owned(),
                    confidence: 1.0,
                    source: FieldSource::Mrz,
                })
                .collect(),
            ..DocumentData::default()
        }
    }

    fn today() -> Date {
        Date::constant(2026, 11, 28)
    }

    #[test]
    fn consistent_dates_pass() {
        let d = doc(&[
            ("birth_date", "1990-05-01"),
            ("issue_date", "2020-01-10"),
            ("expiry_date", "2030-01-09"),
        ]);
        let checks = check(&d, today());
        assert!(
            checks.iter().all(|c| c.outcome == CheckOutcome::Passed),
            "{checks:?}"
        );
    }

    #[test]
    fn issue_before_birth_is_a_critical_failure() {
        let d = doc(&[
            ("birth_date", "1990-05-01"),
            ("issue_date", "1989-01-10"),
            ("expiry_date", "2030-01-09"),
        ]);
        let c = &check(&d, today())[0];
        assert_eq!(c.reason_code, "document.field_logic.date_order");
        assert!(c.is_critical_failure());
    }

    #[test]
    fn expired_the_day_before_fails_and_today_passes() {
        let expired = doc(&[("birth_date", "1990-05-01"), ("expiry_date", "2026-11-27")]);
        assert_eq!(
            check(&expired, today())[1].reason_code,
            "document.field_logic.expired"
        );
        let last_day = doc(&[("birth_date", "1990-05-01"), ("expiry_date", "2026-11-28")]);
        assert_eq!(check(&last_day, today())[1].outcome, CheckOutcome::Passed);
    }

    #[test]
    fn missing_dates_are_unavailable_not_passed() {
        let checks = check(&doc(&[]), today());
        assert!(
            checks
                .iter()
                .all(|c| c.outcome == CheckOutcome::Unavailable)
        );
    }

    #[test]
    fn age_range_bounds_are_inclusive_to_the_day() {
        let range = AgeRange { min: 18, max: 65 };
        let turns_18_today = doc(&[("birth_date", "2008-11-28")]);
        assert_eq!(
            check_age(&turns_18_today, range, today()).outcome,
            CheckOutcome::Passed
        );
        let turns_18_tomorrow = doc(&[("birth_date", "2008-11-29")]);
        let c = check_age(&turns_18_tomorrow, range, today());
        assert_eq!(c.reason_code, "document.age_range.too_young");
        assert_eq!(c.score, Some(17.0));
        assert_eq!(c.threshold, Some(18.0));
    }

    #[test]
    fn years_between_handles_leap_days() {
        let born = Date::constant(2000, 2, 29);
        assert_eq!(years_between(born, Date::constant(2018, 2, 28)), 17);
        assert_eq!(years_between(born, Date::constant(2018, 3, 1)), 18);
    }
}
