//! Property tests of the MRZ engine: generate-then-parse round trips for every format, detection of
//! every single-character substitution in check-digit-protected numeric fields, and no panics on
//! arbitrary input.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use jiff::civil::{Date, date};
use kyc_core::document::mrz::{self, CheckedField, MrzData, MrzFormat, RepairReason};
use proptest::prelude::*;

const TODAY: Date = date(2026, 6, 1);

fn letters(min: usize, max: usize) -> impl Strategy<Value = String> {
    proptest::string::string_regex(&format!("[A-Z]{{{min},{max}}}")).expect("valid regex")
}

fn alnum(min: usize, max: usize) -> impl Strategy<Value = String> {
    proptest::string::string_regex(&format!("[A-Z0-9]{{{min},{max}}}")).expect("valid regex")
}

fn yymmdd() -> impl Strategy<Value = String> {
    (0u32..100, 1u32..13, 1u32..29).prop_map(|(y, m, d)| format!("{y:02}{m:02}{d:02}"))
}

fn country() -> impl Strategy<Value = String> {
    prop_oneof![
        Just("UTO"),
        Just("D"),
        Just("CHE"),
        Just("FRA"),
        Just("XXA"),
        Just("RUS"),
        Just("BEL")
    ]
    .prop_map(str::to_owned)
}

fn data(format: MrzFormat) -> impl Strategy<Value = MrzData> {
    let doc_code = match format {
        MrzFormat::MrvA | MrzFormat::MrvB => Just("V".to_owned()).boxed(),
        MrzFormat::Td3 => prop_oneof![Just("P".to_owned()), Just("PO".to_owned())].boxed(),
        _ => prop_oneof![
            Just("I".to_owned()),
            Just("ID".to_owned()),
            Just("AC".to_owned())
        ]
        .boxed(),
    };
    let max_number = if matches!(format, MrzFormat::Td1 | MrzFormat::Td2) {
        13
    } else {
        9
    };
    let max_opt = match format {
        MrzFormat::Td1 => 2,
        MrzFormat::Td2 => 1,
        MrzFormat::Td3 => 14,
        MrzFormat::MrvA => 16,
        MrzFormat::MrvB => 8,
    };
    (
        doc_code,
        country(),
        letters(1, 12),
        letters(1, 8),
        alnum(1, max_number),
        country(),
        yymmdd(),
        prop_oneof![Just('M'), Just('F'), Just('<')],
        yymmdd(),
        alnum(0, max_opt),
        alnum(0, if format == MrzFormat::Td1 { 11 } else { 0 }),
    )
        .prop_map(
            move |(code, st, sur, given, number, nat, birth, sex, exp, opt, opt2)| MrzData {
                format,
                document_code: code,
                issuing_state: st,
                surname: sur,
                given_names: given,
                document_number: number,
                nationality: nat,
                birth_date: birth,
                sex,
                expiry_date: exp,
                optional_data: opt,
                optional_data_2: opt2,
            },
        )
}

fn any_data() -> impl Strategy<Value = MrzData> {
    prop_oneof![
        data(MrzFormat::Td1),
        data(MrzFormat::Td2),
        data(MrzFormat::Td3),
        data(MrzFormat::MrvA),
        data(MrzFormat::MrvB)
    ]
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(512))]

    #[test]
    fn render_then_parse_round_trips(d in any_data()) {
        let lines = mrz::render(&d).expect("renders");
        let m = mrz::parse(&lines, TODAY).expect("parses");
        prop_assert_eq!(m.format(), d.format);
        prop_assert!(m.valid(), "{:?} {:?}", lines, m.checks().collect::<Vec<_>>());
        let f = m.fields();
        prop_assert_eq!(&f.document_code, &d.document_code);
        prop_assert_eq!(&f.issuing_state, &d.issuing_state);
        prop_assert_eq!(&f.nationality, &d.nationality);
        prop_assert_eq!(&f.document_number, &d.document_number);
        prop_assert_eq!(&f.birth_date_raw, &d.birth_date);
        prop_assert_eq!(&f.expiry_date_raw, &d.expiry_date);
        prop_assert_eq!(&f.optional_data, &d.optional_data);
        let name_room = lines.iter().map(String::len).max().unwrap_or(0);
        if d.surname.len() + d.given_names.len() + 2 <= name_room.min(30) {
            prop_assert_eq!(&f.surname, &d.surname);
            prop_assert_eq!(&f.given_names, &d.given_names);
        }
        // Dates are resolved: birth on or before today, expiry within ±50 years.
        let b = m.birth_date().expect("valid birth date");
        prop_assert!(b <= TODAY);
        let e = m.expiry_date().expect("valid expiry date");
        prop_assert!((e.year() - TODAY.year()).abs() <= 50);
    }

    #[test]
    fn every_single_digit_substitution_in_dates_is_detected(d in any_data(), which in 0usize..2, pos in 0usize..7, delta in 1u8..10) {
        let lines = mrz::render(&d).expect("renders");
        let l = d.format;
        // Birth date and expiry date with their check digits: positions on the line that holds them.
        let (line, start) = match (l, which) {
            (MrzFormat::Td1, 0) => (1, 0),
            (MrzFormat::Td1, _) => (1, 8),
            (_, 0) => (1, 13),
            (_, _) => (1, 21),
        };
        let mut bytes = lines[line].clone().into_bytes();
        let b = bytes[start + pos];
        prop_assume!(b.is_ascii_digit());
        bytes[start + pos] = b'0' + (b - b'0' + delta) % 10;
        let mut bad = lines.clone();
        bad[line] = String::from_utf8(bytes).expect("ascii");
        let m = mrz::parse(&bad, TODAY).expect("still parses");
        let field = if which == 0 { CheckedField::BirthDate } else { CheckedField::ExpiryDate };
        prop_assert!(!m.check(field).expect("checked").valid());
        prop_assert!(!m.valid());
        // OCR reading never turns it back into a valid MRZ silently: digit-for-digit is no look-alike.
        if let Ok(r) = mrz::read_ocr(&bad, TODAY) {
            prop_assert!(!r.mrz.valid() || !r.repairs.is_empty());
        }
    }

    #[test]
    fn lookalike_letters_in_numeric_fields_are_repaired_and_reported(d in any_data(), pos in 0usize..6) {
        let lines = mrz::render(&d).expect("renders");
        let start = if d.format == MrzFormat::Td1 { 0 } else { 13 };
        let mut bytes = lines[1].clone().into_bytes();
        let original = bytes[start + pos];
        let lookalike = match original {
            b'0' => b'O',
            b'1' => b'I',
            b'2' => b'Z',
            b'5' => b'S',
            b'6' => b'G',
            b'8' => b'B',
            _ => return Ok(()),
        };
        bytes[start + pos] = lookalike;
        let mut bad = lines.clone();
        bad[1] = String::from_utf8(bytes).expect("ascii");
        prop_assert!(!mrz::parse(&bad, TODAY).expect("parses").valid());
        let r = mrz::read_ocr(&bad, TODAY).expect("repairs");
        prop_assert!(r.mrz.valid());
        prop_assert_eq!(r.mrz.lines().collect::<Vec<_>>(), lines.iter().map(String::as_str).collect::<Vec<_>>());
        prop_assert!(r.repairs.iter().any(|x| x.reason == RepairReason::CharClass
            && x.line == 2 && x.column == start + pos + 1 && x.to == Some(char::from(original))));
    }

    #[test]
    fn arbitrary_lines_never_panic(lines in proptest::collection::vec(".{0,60}", 0..5)) {
        let _ = mrz::parse(&lines, TODAY).map(|m| m.report());
        let _ = mrz::read_ocr(&lines, TODAY).map(|r| r.mrz.report());
        let _ = mrz::parse_text(&lines.join("\n"), TODAY);
    }

    #[test]
    fn mrz_alphabet_lines_never_panic(
        lines in prop_oneof![
            proptest::collection::vec("[A-Z0-9<]{30}", 3..=3),
            proptest::collection::vec("[A-Z0-9<]{36}", 2..=2),
            proptest::collection::vec("[A-Z0-9<KOISBZ]{44}", 2..=2),
            proptest::collection::vec("[A-Za-z0-9< ]{28,46}", 1..6),
        ]
    ) {
        if let Ok(m) = mrz::parse(&lines, TODAY) {
            let r = m.report();
            prop_assert_eq!(r.valid, m.valid());
            let _ = serde_json::to_string(&r).expect("serialises");
        }
        let _ = mrz::read_ocr(&lines, TODAY);
    }
}
