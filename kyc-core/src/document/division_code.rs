//! `fraud.check_division_code`: the Russian internal passport's division code, read from its MRZ,
//! held to the division-code database. A code the database does not know fails; where the
//! database dates its units, a code whose every unit was formed after, or dissolved before, the
//! passport's issue date fails; the database's authority name is the evidence's message. The
//! authority printed on the page is compared with it when the page's text gave one
//! (`issuing_authority`), and is unavailable otherwise: never guessed.

use crate::check::CheckResult;
use crate::check::catalogue::engine as rows;
use crate::document::mrz::{DivisionCodeDb, DivisionUnit};
use crate::document::{DocumentData, field};

/// Both division-code checks of `doc` against `db` (`None` when no database is configured).
pub fn checks(doc: &DocumentData, db: Option<&dyn DivisionCodeDb>) -> Vec<CheckResult> {
    let Some(code) = doc.field(field::DIVISION_CODE).map(|f| f.value.clone()) else {
        return vec![
            rows::DIVISION_CODE.unavailable(
                "document.division_code.not_read",
                "no division code was read (the MRZ's optional data carries it)",
            ),
            authority_not_read(),
        ];
    };
    let Some(db) = db else {
        return vec![
            rows::DIVISION_CODE.unavailable(
                "document.division_code.no_database",
                "no division-code database is configured",
            ),
            authority_not_read(),
        ];
    };
    let units = db.units(&code);
    if units.is_empty() {
        return vec![
            rows::DIVISION_CODE.rule(
                false,
                format!("division code {code} is not in the database"),
            ),
            rows::DIVISION_AUTHORITY_PRINTED.unavailable(
                "document.division_code.authority_not_read",
                "no authority to compare with: the code is unknown",
            ),
        ];
    }
    let issued = doc
        .field(field::ISSUE_DATE)
        .and_then(|f| f.value.parse::<jiff::civil::Date>().ok());
    let current: Vec<&DivisionUnit> = match issued {
        Some(day) => units.iter().filter(|u| u.existed_on(day)).collect(),
        None => units.iter().collect(),
    };
    let mut out = Vec::with_capacity(2);
    match (current.first(), issued) {
        (Some(unit), _) => {
            out.push(rows::DIVISION_CODE.rule(true, format!("{code}: {}", unit.authority)))
        }
        (None, Some(day)) => out.push(rows::DIVISION_CODE.rule_as(
            false,
            rows::DIVISION_NOT_ON_ISSUE_DATE,
            format!("division code {code} names no unit that existed on the issue date {day}"),
        )),
        // Every unit existed on no day: impossible without an issue date; kept total.
        (None, None) => out.push(rows::DIVISION_CODE.rule(false, format!("{code}: no unit"))),
    }
    out.push(match doc.field(field::ISSUING_AUTHORITY) {
        Some(printed) => {
            let printed = words(&printed.value);
            let same = current.iter().any(|u| words(&u.authority) == printed);
            rows::DIVISION_AUTHORITY_PRINTED.rule(
                same,
                if same {
                    "the printed authority is the unit the database names"
                } else {
                    "the printed authority is not the unit the database names for the code"
                },
            )
        }
        None => authority_not_read(),
    });
    out
}

/// Upper-case words, punctuation and spacing dropped: how two spellings of one name compare.
fn words(text: &str) -> String {
    text.split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty())
        .map(|w| w.to_uppercase())
        .collect::<Vec<_>>()
        .join(" ")
}

fn authority_not_read() -> CheckResult {
    rows::DIVISION_AUTHORITY_PRINTED.not_made(
        "the issuing authority printed on the page was not read (its text is Cyrillic, which \
         the shipped recogniser does not read)",
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::check::CheckOutcome;
    use crate::document::mrz::{DivisionDbLimits, InMemoryDivisionDb};
    use crate::test_support::document;

    fn db() -> InMemoryDivisionDb {
        let csv = "code,authority,valid_from,valid_to\n\
                   770-001,ОВД ТВЕРСКОЙ,1997-01-01,2004-12-31\n\
                   770-001,ОУФМС ТВЕРСКОЙ,2005-01-01,\n\
                   500-002,ТП МОСКОВСКОЙ ОБЛАСТИ,,\n";
        InMemoryDivisionDb::from_csv(csv.as_bytes(), DivisionDbLimits::default()).unwrap()
    }

    fn outcome(checks: &[CheckResult], id: &str) -> (CheckOutcome, String) {
        let c = checks.iter().find(|c| c.check == id).unwrap();
        (c.outcome, c.reason_code.clone())
    }

    #[test]
    fn known_dated_and_unknown_codes() {
        let db = db();
        let known = checks(
            &document(&[("division_code", "770-001"), ("issue_date", "2010-05-01")]),
            Some(&db),
        );
        assert_eq!(
            outcome(&known, "document.division_code").0,
            CheckOutcome::Passed
        );
        assert!(known[0].message.contains("ОУФМС ТВЕРСКОЙ"), "{known:?}");
        // Not on the page, never guessed.
        assert_eq!(
            outcome(&known, "document.division_code.authority_printed").0,
            CheckOutcome::Unavailable
        );

        let before = checks(
            &document(&[("division_code", "770-001"), ("issue_date", "1995-05-01")]),
            Some(&db),
        );
        assert_eq!(
            outcome(&before, "document.division_code"),
            (
                CheckOutcome::Failed,
                rows::DIVISION_NOT_ON_ISSUE_DATE.into()
            )
        );
        let unknown = checks(&document(&[("division_code", "999-999")]), Some(&db));
        assert_eq!(
            outcome(&unknown, "document.division_code"),
            (
                CheckOutcome::Failed,
                "document.division_code.unknown".into()
            )
        );
        assert!(
            unknown
                .iter()
                .all(|c| c.critical || c.outcome != CheckOutcome::Failed)
        );
    }

    #[test]
    fn the_printed_authority_is_compared_when_read() {
        let db = db();
        let same = checks(
            &document(&[
                ("division_code", "500-002"),
                ("issuing_authority", "ТП Московской области"),
            ]),
            Some(&db),
        );
        assert_eq!(
            outcome(&same, "document.division_code.authority_printed").0,
            CheckOutcome::Passed
        );
        let other = checks(
            &document(&[
                ("division_code", "500-002"),
                ("issuing_authority", "ОВД ХАМОВНИКИ"),
            ]),
            Some(&db),
        );
        assert_eq!(
            outcome(&other, "document.division_code.authority_printed").0,
            CheckOutcome::Failed
        );
    }

    #[test]
    fn nothing_to_hold_is_unavailable_never_a_pass() {
        for c in checks(&document(&[]), Some(&db()))
            .into_iter()
            .chain(checks(&document(&[("division_code", "770-001")]), None))
        {
            assert_eq!(c.outcome, CheckOutcome::Unavailable, "{c:?}");
        }
    }
}
