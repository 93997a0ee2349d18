//! The Russian internal passport MRZ, written from the published rules (no shared vector covers it).
//!
//! Sources (found with the project's search tool; see also `russian.rs`):
//! - docs.cntd.ru/document/902288198 — FMS rules for the passport's machine-readable record (2011),
//!   Table 3: second line = series and number (1-9), check digit (10), nationality (11-13), birth
//!   date (14-19), check (20), sex (21), expiry (22-27), check (28), additional data (29-42), check
//!   (43), final check (44); check digits 7-3-1 modulo 10.
//! - ya.ru/neurum answer citing the order: positions 1-9 carry the first three digits of the series
//!   and the full number; the expiry is filled with fillers (validity depends on age).
//! - A public parser's docstring (Russian passport MRZ service): additional data = last digit of the
//!   series + issue date + division code.
//! - ornatus.ru (citing MVD order 773, appendix 24): names use the "модернизированный клер" cipher,
//!   e.g. Ё → 2, Й → Q; thieux.fr (Wikipedia MRZ article copy): Ч → 3 in Russian internal passports.
//!
//! The expected lines below were computed by hand (an independent Python 7-3-1 script), not by the
//! crate's generator.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use jiff::civil::{Date, date};
use kyc_core::document::mrz::{
    self, CheckOutcome, CheckedField, DivisionDbLimits, InMemoryDivisionDb, PolicyOutcome,
    RussianData,
};

const TODAY: Date = date(2026, 6, 1);
const LINES: [&str; 2] = [
    "PNRUSIVANOV<<IVAN<IVANOVI3<<<<<<<<<<<<<<<<<<",
    "4501234568RUS8001014M<<<<<<<9150101770001<62",
];

fn fixture_db() -> InMemoryDivisionDb {
    let path =
        std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../fixtures/mrz/division_codes.csv");
    let f = std::fs::File::open(path).expect("fixture present");
    InMemoryDivisionDb::from_csv(f, DivisionDbLimits::default()).expect("fixture loads")
}

#[test]
fn reads_series_number_issue_date_division_and_cyrillic_names() {
    let m = mrz::parse(&LINES, TODAY).unwrap();
    assert!(m.is_russian_internal());
    assert!(m.valid(), "{:?}", m.checks().collect::<Vec<_>>());
    // No expiry on this passport: `<<<<<<` with a `<` check digit is an allowed empty field.
    assert_eq!(
        m.check(CheckedField::ExpiryDate).unwrap().outcome,
        CheckOutcome::Absent
    );
    assert_eq!(
        m.check(CheckedField::OptionalData).unwrap().outcome,
        CheckOutcome::Verified
    );
    let db = fixture_db();
    let r = m.russian_passport(Some(&db)).unwrap();
    assert_eq!(r.series, "4509");
    assert_eq!(r.number, "123456");
    assert_eq!(r.issue_date, Some(date(2015, 1, 1)));
    assert_eq!(r.division_code, "770-001");
    assert_eq!(r.division_code_problem, None);
    assert_eq!(
        r.issuing_authority.as_deref(),
        Some("ТЕСТОВОЕ ПОДРАЗДЕЛЕНИЕ 1 (МОСКВА)")
    );
    assert_eq!(r.surname.as_deref(), Some("ИВАНОВ"));
    assert_eq!(r.given_name.as_deref(), Some("ИВАН"));
    assert_eq!(r.patronymic.as_deref(), Some("ИВАНОВИЧ"));
    assert!(!r.name_may_be_truncated);
    let report = m.report_with(Vec::new(), Some(&db));
    assert!(
        report
            .policy
            .iter()
            .any(|p| p.check == "expiry" && p.outcome == PolicyOutcome::Warn)
    );
    assert!(
        report
            .policy
            .iter()
            .any(|p| p.check == "division_code_lookup" && p.outcome == PolicyOutcome::Pass)
    );
}

#[test]
fn generator_agrees_with_the_hand_computed_lines() {
    let lines = mrz::render_russian(&RussianData {
        surname: "Иванов".into(),
        given_name: "Иван".into(),
        patronymic: "Иванович".into(),
        series: "4509".into(),
        number: "123456".into(),
        birth_date: "800101".into(),
        sex: 'M',
        issue_date: "150101".into(),
        division_code: "770-001".into(),
    })
    .unwrap();
    assert_eq!(lines, LINES);
}

#[test]
fn digit_letters_round_trip() {
    // Every digit letter of the cipher: Ё2 Ч3 Ш4 Э6 Ю7 Я8 Ь9, plus Щ W, Ъ X, Ы Y, Й Q, Ж J.
    let lines = mrz::render_russian(&RussianData {
        surname: "Шёлкова-Чэщъюя".into(),
        given_name: "Ольга".into(),
        patronymic: "Йыжовна".into(),
        series: "5002".into(),
        number: "000001".into(),
        birth_date: "991231".into(),
        sex: 'F',
        issue_date: "200115".into(),
        division_code: "500002".into(),
    })
    .unwrap();
    assert_eq!(&lines[0][..30], "PNRUS42LKOVA<36WX78<<OL9GA<QYJ");
    let m = mrz::parse(&lines, TODAY).unwrap();
    assert!(m.valid());
    let r = m.russian_passport(None).unwrap();
    assert_eq!(r.surname.as_deref(), Some("ШЁЛКОВА ЧЭЩЪЮЯ"));
    assert_eq!(r.given_name.as_deref(), Some("ОЛЬГА"));
    assert_eq!(r.patronymic.as_deref(), Some("ЙЫЖОВНА"));
    assert_eq!(r.division_code, "500-002");
    assert!(!r.division_code_looked_up);
}

#[test]
fn bad_division_code_and_ocr_on_the_cipher() {
    // Region prefix 00 does not exist: reported as a policy failure, not a parse error.
    let lines = mrz::render_russian(&RussianData {
        surname: "Петров".into(),
        given_name: "Пётр".into(),
        patronymic: String::new(),
        series: "4509".into(),
        number: "654321".into(),
        birth_date: "850505".into(),
        sex: 'M',
        issue_date: "100606".into(),
        division_code: "000123".into(),
    })
    .unwrap();
    let m = mrz::parse(&lines, TODAY).unwrap();
    let report = m.report();
    assert!(
        report
            .policy
            .iter()
            .any(|p| p.reason == "document.mrz.russian.division_code.region")
    );
    // OCR repair keeps the cipher's digits in the name (`P2TR` is Пётр, not PZTR).
    let r = mrz::read_ocr(&lines, TODAY).unwrap();
    assert!(r.repairs.is_empty());
    assert_eq!(
        r.mrz.russian_passport(None).unwrap().given_name.as_deref(),
        Some("ПЁТР")
    );
}

#[test]
fn the_internal_passport_expires_ninety_days_after_the_twentieth_or_forty_fifth_birthday() {
    use kyc_core::document::field_logic::russian_passport_expiry;
    let d = |y, m, day| jiff::civil::date(y, m, day);
    let born = d(1990, 1, 1);
    assert_eq!(
        russian_passport_expiry(born, d(2005, 2, 1)),
        Some(d(2010, 4, 1))
    );
    assert_eq!(
        russian_passport_expiry(born, d(2015, 1, 1)),
        Some(d(2035, 4, 1))
    );
    assert_eq!(russian_passport_expiry(born, d(2035, 1, 1)), None);
}

/// A Russian internal passport read from its MRZ (the analyser's own `document_data`) through the
/// engine and `fixtures/scenarios/russian_passport.json`: names in Cyrillic and in ICAO Latin, and
/// validity by the replacement at 20 and 45 (no expiry in the MRZ), so field logic is a real check.
#[cfg(feature = "onnx")]
#[test]
fn through_the_engine_a_replaced_passport_passes_field_logic_and_an_overdue_one_fails_it() {
    use std::sync::Arc;

    use kyc_core::analysis::{
        AnalysisContext, CaptureImage, DocumentAnalysis, DocumentAnalyzer, ImageKind,
    };
    use kyc_core::document::ocr::analyzer::document_data;
    use kyc_core::document::{DocumentData, field};
    use kyc_core::scenario::DocumentStep;
    use kyc_core::session::Origin;
    use kyc_core::{CheckOutcome as Outcome, Engine, Error, FixedClock, SeededEntropy};

    struct Reads(DocumentData);
    impl DocumentAnalyzer for Reads {
        fn analyze(
            &self,
            step: &DocumentStep,
            _: &[CaptureImage],
            _: &AnalysisContext<'_>,
        ) -> Result<DocumentAnalysis, Error> {
            let mut checks = Vec::new();
            crate::common::fill_passes(&step.checks.enabled(), &mut checks);
            Ok(DocumentAnalysis {
                document: Some(self.0.clone()),
                checks,
                documents_in_frame: None,
            })
        }
    }

    let read = |birth: &str, issue: &str| {
        let lines = mrz::render_russian(&RussianData {
            surname: "Ёлкина".to_owned(),
            given_name: "Юлия".to_owned(),
            patronymic: "Петровна".to_owned(),
            series: "4509".to_owned(),
            number: "123456".to_owned(),
            birth_date: birth.to_owned(),
            sex: 'F',
            issue_date: issue.to_owned(),
            division_code: "770-001".to_owned(),
        })
        .unwrap();
        let lines: Vec<&str> = lines.iter().map(String::as_str).collect();
        document_data(&mrz::parse(&lines, TODAY).unwrap(), 0.99)
    };
    let scenario = crate::common::scenario("russian_passport");
    let field_logic = |document: DocumentData| {
        let engine = Engine::builder(
            Arc::new(FixedClock("2026-06-01T09:00:00Z".parse().unwrap())),
            Arc::new(SeededEntropy::from_u64(3)),
        )
        .document_analyzer(Arc::new(Reads(document)))
        .build();
        let mut session = engine.create_session(&scenario, Origin::Api);
        let report = engine
            .submit_capture(
                &scenario,
                &mut session,
                "ru-passport",
                &[crate::common::image(ImageKind::DocumentFront)],
            )
            .unwrap();
        report
            .checks
            .into_iter()
            .filter(|c| c.check.starts_with("document.field_logic"))
            .map(|c| (c.check, c.outcome, c.reason_code))
            .collect::<Vec<_>>()
    };

    // Born 1990-03-10, issued at 25 (2015): valid until 45 + 90 days.
    let current = read("900310", "150401");
    assert_eq!(current.field(field::SURNAME).unwrap().value, "ЁЛКИНА");
    assert_eq!(current.field(field::SURNAME_LATIN).unwrap().value, "ELKINA");
    assert_eq!(
        current.field(field::GIVEN_NAMES_LATIN).unwrap().value,
        "IULIIA PETROVNA"
    );
    assert!(
        current.field(field::EXPIRY_DATE).is_none(),
        "the MRZ has none"
    );
    let checks = field_logic(current);
    assert!(
        checks
            .iter()
            .any(|(id, o, r)| id == "document.field_logic.not_expired"
                && *o == Outcome::Passed
                && r == "document.field_logic.valid_until"),
        "{checks:?}"
    );

    // Born 1980-01-01, issued at 25 (2005), 45 on 2025-01-01: replacement overdue.
    let checks = field_logic(read("800101", "050201"));
    assert!(
        checks
            .iter()
            .any(|(id, o, r)| id == "document.field_logic.not_expired"
                && *o == Outcome::Failed
                && r == "document.field_logic.replacement_overdue"),
        "{checks:?}"
    );
}
