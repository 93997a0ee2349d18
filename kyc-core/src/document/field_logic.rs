//! Field logic: checks over what was read, needing no pixels. Birth before issue before expiry, not
//! expired, a sane age at issue, and the scenario's allowed age range. A Russian internal passport
//! prints no expiry: its validity is its replacement at 20 and 45 ([`russian_passport_expiry`]).

use jiff::ToSpan;
use jiff::civil::Date;

use super::{DocumentData, field};
use crate::check::CheckResult;
use crate::check::catalogue::document as catalogue;
use crate::scenario::AgeRange;
use crate::scenario::DocumentType;

/// The oldest age at which anyone is taken to hold a document.
const MAX_PLAUSIBLE_AGE: i16 = 130;

/// The youngest age at which a Russian internal passport is issued.
const RUSSIAN_PASSPORT_FIRST_AGE: i16 = 14;

/// The Russian internal passport's expiry, which its MRZ leaves as fillers: the passport is
/// replaced at 20 and at 45 (Regulation on the passport of a citizen of the Russian Federation,
/// item 7), and its holder has 90 days after the birthday to do so, so one issued before the 20th
/// birthday runs to that birthday plus 90 days, one issued before the 45th to that birthday plus
/// 90 days. One issued at 45 or later does not expire: `None`.
pub fn russian_passport_expiry(born: Date, issued: Date) -> Option<Date> {
    [20i16, 45].into_iter().find_map(|age| {
        let birthday = born.checked_add(age.years()).ok()?;
        (issued < birthday).then(|| birthday.checked_add(90.days()).ok())?
    })
}

/// Date-order, expiry and age-at-issue checks. Missing dates make the check unavailable, never a pass.
pub fn check(document: &DocumentData, today: Date) -> Vec<CheckResult> {
    let birth = date_field(document, field::BIRTH_DATE);
    let issue = date_field(document, field::ISSUE_DATE);
    let expiry = date_field(document, field::EXPIRY_DATE);
    if expiry.is_none() && document.document_type == Some(DocumentType::RussianInternalPassport) {
        return russian_passport(birth, issue, today);
    }
    let mut checks = Vec::with_capacity(3);

    let dates = &catalogue::FIELD_LOGIC_DATES;
    checks.push(match (birth, expiry) {
        (Some(Ok(b)), Some(Ok(e))) => dates_row(
            b,
            b <= today && b < e && issue.and_then(Result::ok).is_none_or(|i| b <= i && i <= e),
            None,
            today,
            format!("birth {b}, issue {}, expiry {e}, today {today}", opt(issue)),
        ),
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

/// The Russian internal passport's field logic: birth, then issue at 14 or later, on or before
/// today; valid until the replacement its age at issue calls for.
fn russian_passport(
    birth: Option<Result<Date, &str>>,
    issue: Option<Result<Date, &str>>,
    today: Date,
) -> Vec<CheckResult> {
    let dates = &catalogue::FIELD_LOGIC_DATES;
    let not_expired = &catalogue::FIELD_LOGIC_NOT_EXPIRED;
    let (b, i) = match (birth, issue) {
        (Some(Ok(b)), Some(Ok(i))) => (b, i),
        (Some(Err(raw)), _) | (_, Some(Err(raw))) => {
            return vec![
                dates.rule_as(
                    false,
                    catalogue::UNREADABLE_DATE,
                    format!("'{raw}' is not a date"),
                ),
                not_expired.unavailable(catalogue::MISSING_DATES, format!("'{raw}' is not a date")),
            ];
        }
        _ => {
            let message = "a Russian internal passport's validity needs its birth and issue dates";
            return vec![
                dates.unavailable(catalogue::MISSING_DATES, message),
                not_expired.unavailable(catalogue::MISSING_DATES, message),
            ];
        }
    };
    let at_issue = years_between(b, i);
    let dates_check = dates_row(
        b,
        b <= i && i <= today,
        Some((i, RUSSIAN_PASSPORT_FIRST_AGE)),
        today,
        format!(
            "birth {b}, issue {i} (at {at_issue}; first issued at {RUSSIAN_PASSPORT_FIRST_AGE}), \
             today {today}"
        ),
    );
    let validity = match russian_passport_expiry(b, i) {
        Some(due) => not_expired.rule_as(
            due >= today,
            if due >= today {
                "document.field_logic.valid_until"
            } else {
                catalogue::REPLACEMENT_OVERDUE
            },
            format!(
                "issued at {at_issue}: to be replaced at {}, by {due}; today {today}",
                if at_issue < 20 { 20 } else { 45 }
            ),
        ),
        None => not_expired.rule_as(
            true,
            catalogue::VALID_FOR_LIFE,
            format!("issued at {at_issue}, at 45 or later: not replaced again"),
        ),
    };
    vec![dates_check, validity]
}

/// The `document.field_logic.dates` row, for dates `ordered` as the document's rule orders them:
/// failed as out of order (`DATE_ORDER`), else as an implausible age (`IMPLAUSIBLE_AGE`) when the
/// holder born on `birth` is not 0 to [`MAX_PLAUSIBLE_AGE`] years old `today` or, for `issued`
/// (the issue date and the youngest age the document is issued at), was not that age to
/// [`MAX_PLAUSIBLE_AGE`] on the issue date; else passed (`DATES_CONSISTENT`).
fn dates_row(
    birth: Date,
    ordered: bool,
    issued: Option<(Date, i16)>,
    today: Date,
    message: String,
) -> CheckResult {
    let plausible = (0..=MAX_PLAUSIBLE_AGE).contains(&years_between(birth, today))
        && issued.is_none_or(|(issue, youngest)| {
            (youngest..=MAX_PLAUSIBLE_AGE).contains(&years_between(birth, issue))
        });
    catalogue::FIELD_LOGIC_DATES.rule_as(
        ordered && plausible,
        if !ordered {
            catalogue::DATE_ORDER
        } else if !plausible {
            catalogue::IMPLAUSIBLE_AGE
        } else {
            catalogue::DATES_CONSISTENT
        },
        message,
    )
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
    use crate::test_support::document;

    fn today() -> Date {
        Date::constant(2026, 11, 28)
    }

    fn russian(birth: &str, issue: Option<&str>) -> DocumentData {
        let mut fields = vec![("birth_date", birth), ("nationality", "RUS")];
        fields.extend(issue.map(|i| ("issue_date", i)));
        DocumentData {
            document_type: Some(DocumentType::RussianInternalPassport),
            ..document(&fields)
        }
    }

    fn outcome<'a>(checks: &'a [CheckResult], id: &str) -> (&'a CheckOutcome, &'a str) {
        let c = checks.iter().find(|c| c.check == id).expect(id);
        (&c.outcome, c.reason_code.as_str())
    }

    #[test]
    fn a_russian_passport_is_valid_until_its_replacement_at_20_and_45() {
        // Born 2005-03-10; issued at 14 (2019): due at 20 + 90 days, 2025-06-08.
        let overdue = check(&russian("2005-03-10", Some("2019-04-01")), today());
        assert_eq!(
            outcome(&overdue, "document.field_logic.dates"),
            (&CheckOutcome::Passed, catalogue::DATES_CONSISTENT)
        );
        assert_eq!(
            outcome(&overdue, "document.field_logic.not_expired"),
            (&CheckOutcome::Failed, catalogue::REPLACEMENT_OVERDUE)
        );
        // Born 1981-11-01: 45 on 2026-11-01, 90 days' grace to 2027-01-30 -- still valid today.
        let grace = check(&russian("1981-11-01", Some("2003-01-15")), today());
        assert_eq!(
            outcome(&grace, "document.field_logic.not_expired"),
            (&CheckOutcome::Passed, "document.field_logic.valid_until")
        );
        // Born 1980-01-01: 45 on 2025-01-01, due 2025-04-01, issued at 25: overdue.
        let past_45 = check(&russian("1980-01-01", Some("2005-02-01")), today());
        assert_eq!(
            outcome(&past_45, "document.field_logic.not_expired").1,
            catalogue::REPLACEMENT_OVERDUE
        );
        // Issued at 45 or later: valid for life.
        let life = check(&russian("1960-06-01", Some("2005-07-01")), today());
        assert_eq!(
            outcome(&life, "document.field_logic.not_expired"),
            (&CheckOutcome::Passed, catalogue::VALID_FOR_LIFE)
        );
        assert_eq!(
            outcome(&life, "document.field_logic.dates").0,
            &CheckOutcome::Passed
        );
    }

    #[test]
    fn a_russian_passport_issued_before_14_or_in_the_future_fails_its_dates() {
        let young = check(&russian("2015-01-01", Some("2024-01-01")), today());
        assert_eq!(
            outcome(&young, "document.field_logic.dates"),
            (&CheckOutcome::Failed, catalogue::IMPLAUSIBLE_AGE)
        );
        let future = check(&russian("2000-01-01", Some("2027-01-01")), today());
        assert_eq!(
            outcome(&future, "document.field_logic.dates"),
            (&CheckOutcome::Failed, catalogue::DATE_ORDER)
        );
    }

    #[test]
    fn a_russian_passport_without_its_issue_date_is_unavailable_not_passed() {
        let checks = check(&russian("1990-01-01", None), today());
        assert!(
            checks.iter().all(|c| c.outcome == CheckOutcome::Unavailable
                && c.reason_code == catalogue::MISSING_DATES),
            "{checks:?}"
        );
    }

    #[test]
    fn consistent_dates_pass() {
        let d = document(&[
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
        let d = document(&[
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
        let expired = document(&[("birth_date", "1990-05-01"), ("expiry_date", "2026-11-27")]);
        assert_eq!(
            check(&expired, today())[1].reason_code,
            "document.field_logic.expired"
        );
        let last_day = document(&[("birth_date", "1990-05-01"), ("expiry_date", "2026-11-28")]);
        assert_eq!(check(&last_day, today())[1].outcome, CheckOutcome::Passed);
    }

    #[test]
    fn missing_dates_are_unavailable_not_passed() {
        let checks = check(&document(&[]), today());
        assert!(
            checks
                .iter()
                .all(|c| c.outcome == CheckOutcome::Unavailable)
        );
    }

    #[test]
    fn age_range_bounds_are_inclusive_to_the_day() {
        let range = AgeRange { min: 18, max: 65 };
        let turns_18_today = document(&[("birth_date", "2008-11-28")]);
        assert_eq!(
            check_age(&turns_18_today, range, today()).outcome,
            CheckOutcome::Passed
        );
        let turns_18_tomorrow = document(&[("birth_date", "2008-11-29")]);
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
