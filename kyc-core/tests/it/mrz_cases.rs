//! Agreement with other projects' MRZ test vectors (`../shared/data/mrz/cases.jsonl`): every field
//! value and check digit the source asserts is compared; disagreements on overall validity must each
//! have a named policy cause. Skips, saying so, when the file is absent.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use std::collections::BTreeMap;
use std::path::PathBuf;

use jiff::civil::{Date, date};
use kyc_core::document::mrz::{self, CheckOutcome, CheckedField, CountryClass, Mrz, MrzError, Sex};
use serde_json::Value;

/// The vectors' dates are read relative to this day (fixed so that the test is reproducible).
const TODAY: Date = date(2026, 6, 1);

#[derive(Default)]
struct Tally {
    records: usize,
    field_agree: usize,
    field_total: usize,
    check_agree: usize,
    check_total: usize,
    valid_agree: usize,
    valid_total: usize,
    explained: Vec<String>,
    unexplained: Vec<String>,
}

impl Tally {
    fn field(&mut self, id: i64, what: &str, ok: bool, detail: String) {
        self.field_total += 1;
        if ok {
            self.field_agree += 1;
        } else {
            self.unexplained
                .push(format!("#{id} field {what}: {detail}"));
        }
    }
    fn check(&mut self, id: i64, what: &str, ok: bool, explained: Option<&str>, detail: String) {
        self.check_total += 1;
        if ok {
            self.check_agree += 1;
        } else if let Some(cause) = explained {
            self.explained
                .push(format!("#{id} check {what}: {detail} — {cause}"));
        } else {
            self.unexplained
                .push(format!("#{id} check {what}: {detail}"));
        }
    }
}

fn cases_path() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../shared/data/mrz/cases.jsonl")
}

fn source_of(v: &Value) -> String {
    let s = v["source"].as_str().unwrap_or("?");
    s.split('@')
        .next()
        .unwrap_or(s)
        .trim_start_matches("github:")
        .to_owned()
}

fn read(lines: &[String], repair: bool) -> Result<Mrz, MrzError> {
    if repair {
        mrz::read_ocr(lines, TODAY).map(|r| r.mrz)
    } else {
        mrz::parse(lines, TODAY)
    }
}

fn check_char(m: &Mrz, f: CheckedField) -> Option<char> {
    m.check(f).map(|c| c.found)
}

/// Why our overall validity differs from a source's, if it is a known policy difference.
fn validity_cause(m: &Mrz, expected: bool) -> Option<&'static str> {
    if m.valid() && !expected {
        let codes = [m.issuing_state_class(), m.nationality_class()];
        if codes
            .iter()
            .any(|c| matches!(c, CountryClass::Specimen | CountryClass::Unknown))
        {
            return Some("specimen/unknown country code: a policy item here, not part of `valid`");
        }
    }
    if !m.valid()
        && expected
        && m.checks()
            .any(|c| c.outcome == CheckOutcome::Refuted && c.found == '<')
    {
        return Some(
            "`<` as a check digit over a non-empty field: ICAO 9303 refutes it, the source accepts it",
        );
    }
    None
}

fn error_cause(e: &MrzError) -> Option<&'static str> {
    match e {
        MrzError::AmbiguousRepair { .. } => {
            Some("two OCR repairs validate: refused rather than picked")
        }
        MrzError::UnsupportedFormat { .. }
        | MrzError::LineCount { .. }
        | MrzError::LineLength { .. } => {
            Some("not an ICAO 9303 document (national format): rejected with a clear error")
        }
        _ => None,
    }
}

fn is_non_icao(v: &Value) -> bool {
    let f = v["expected"]["format"].as_str().unwrap_or("");
    let t = v["test"].as_str().unwrap_or("");
    f.contains("FRENCH") || f.contains("SWISS") || t.contains("French") || t.contains("Swiss")
}

fn sex_name(s: Sex) -> &'static str {
    match s {
        Sex::Male => "male",
        Sex::Female => "female",
        Sex::Unspecified => "unspecified",
        Sex::Invalid => "invalid",
    }
}

/// cheminfo's optional1 is the raw TD1 optional field, overflow of a long document number included.
fn cheminfo_optional1(m: &Mrz) -> String {
    let line = m.lines().next().unwrap_or("");
    let raw = line.get(15..30).unwrap_or("");
    raw.trim_end_matches('<')
        .split('<')
        .filter(|s| !s.is_empty())
        .collect::<Vec<_>>()
        .join(" ")
}

fn cheminfo(t: &mut Tally, id: i64, v: &Value) {
    let exp = &v["expected"];
    let repair = v["options"]["autocorrect"].as_bool().unwrap_or(false);
    let lines: Vec<String> = v["lines"]
        .as_array()
        .into_iter()
        .flatten()
        .filter_map(|l| l.as_str().map(str::to_owned))
        .collect();
    let res = read(&lines, repair);
    if exp.get("throws").is_some() {
        t.valid_total += 1;
        match &res {
            Err(_) => t.valid_agree += 1,
            Ok(_) => t
                .unexplained
                .push(format!("#{id}: source throws, we parse")),
        }
        return;
    }
    let m = match res {
        Ok(m) => m,
        Err(e) if exp["valid"] == Value::Bool(false) => {
            // The source reads it and calls it invalid; we refuse to read it: the same verdict.
            t.valid_total += 1;
            t.valid_agree += 1;
            let _ = e;
            return;
        }
        Err(e) => {
            t.valid_total += 1;
            match error_cause(&e) {
                Some(cause) if is_non_icao(v) || matches!(e, MrzError::AmbiguousRepair { .. }) => {
                    t.explained.push(format!("#{id}: {} — {cause}", e.code()))
                }
                _ => t.unexplained.push(format!("#{id}: error {e}")),
            }
            return;
        }
    };
    let f = m.fields();
    if let Some(fields) = exp["fields"].as_object() {
        for (k, want) in fields {
            let (ours, is_check): (Option<String>, bool) = match k.as_str() {
                "documentCode" => (Some(f.document_code.clone()), false),
                "issuingState" => (Some(f.issuing_state.clone()), false),
                "nationality" => (Some(f.nationality.clone()), false),
                "lastName" => (Some(f.surname.clone()), false),
                "firstName" => (Some(f.given_names.clone()), false),
                "documentNumber" => (Some(f.document_number.clone()), false),
                "birthDate" => (Some(f.birth_date_raw.clone()), false),
                "expirationDate" => (Some(f.expiry_date_raw.clone()), false),
                "sex" => (Some(sex_name(f.sex).to_owned()), false),
                "personalNumber" | "optional" => (Some(f.optional_data.clone()), false),
                "optional1" => (Some(cheminfo_optional1(&m)), false),
                "optional2" => (f.optional_data_2.clone(), false),
                "documentNumberCheckDigit" => (
                    check_char(&m, CheckedField::DocumentNumber).map(String::from),
                    true,
                ),
                "birthDateCheckDigit" => (
                    check_char(&m, CheckedField::BirthDate).map(String::from),
                    true,
                ),
                "expirationDateCheckDigit" => (
                    check_char(&m, CheckedField::ExpiryDate).map(String::from),
                    true,
                ),
                "personalNumberCheckDigit" => (
                    check_char(&m, CheckedField::OptionalData).map(String::from),
                    true,
                ),
                "compositeCheckDigit" => (
                    check_char(&m, CheckedField::Composite).map(String::from),
                    true,
                ),
                _ => continue,
            };
            match want.as_str() {
                Some(w) => {
                    // A long TD1 number's check digit is printed in the optional data; cheminfo
                    // reports that digit, we report the `<` printed in the check-digit position plus
                    // the digit as `found` on the check: compare with the check's found character.
                    let ok = ours.as_deref() == Some(w);
                    if is_check {
                        t.check(id, k, ok, None, format!("want {w:?}, ours {ours:?}"));
                    } else {
                        t.field(id, k, ok, format!("want {w:?}, ours {ours:?}"));
                    }
                }
                None => {
                    // cheminfo nulls a value it refuses: a country code outside its list (UTO).
                    let refused = match k.as_str() {
                        "issuingState" => m.issuing_state_class() != CountryClass::State,
                        "nationality" => m.nationality_class() != CountryClass::State,
                        _ => false,
                    };
                    t.field_total += 1;
                    if refused {
                        t.field_agree += 1;
                    } else {
                        t.unexplained
                            .push(format!("#{id} field {k}: source refuses, ours {ours:?}"));
                    }
                }
            }
        }
    }
    if let Some(per) = exp["per_field"].as_object() {
        for (k, p) in per {
            let value = p["value"].as_str();
            let ours = match k.as_str() {
                "documentNumber" => Some(f.document_number.clone()),
                "personalNumber" => Some(f.optional_data.clone()),
                "optional1" => Some(cheminfo_optional1(&m)),
                "optional2" => f.optional_data_2.clone(),
                "documentNumberCheckDigit" => {
                    check_char(&m, CheckedField::DocumentNumber).map(String::from)
                }
                "compositeCheckDigit" => check_char(&m, CheckedField::Composite).map(String::from),
                "personalNumberCheckDigit" => {
                    check_char(&m, CheckedField::OptionalData).map(String::from)
                }
                "birthDateCheckDigit" => check_char(&m, CheckedField::BirthDate).map(String::from),
                _ => continue,
            };
            if let Some(w) = value {
                t.field(
                    id,
                    k,
                    ours.as_deref() == Some(w),
                    format!("want {w:?}, ours {ours:?}"),
                );
            }
            let cd_field = match k.as_str() {
                "documentNumberCheckDigit" => Some(CheckedField::DocumentNumber),
                "compositeCheckDigit" => Some(CheckedField::Composite),
                "personalNumberCheckDigit" => Some(CheckedField::OptionalData),
                "birthDateCheckDigit" => Some(CheckedField::BirthDate),
                _ => None,
            };
            let valid = p["valid"]
                .as_bool()
                .or_else(|| p.get("error").map(|_| false));
            if let (Some(cf), Some(want)) = (cd_field, valid) {
                let ours = m.check(cf).is_some_and(|c| c.valid());
                t.check(
                    id,
                    k,
                    ours == want,
                    None,
                    format!("want valid={want}, ours {ours}"),
                );
            }
        }
    }
    if let Some(want) = exp["valid"].as_bool() {
        compare_validity(t, id, &m, want);
    }
}

fn compare_validity(t: &mut Tally, id: i64, m: &Mrz, want: bool) {
    t.valid_total += 1;
    if m.valid() == want {
        t.valid_agree += 1;
    } else if let Some(cause) = validity_cause(m, want) {
        t.explained.push(format!(
            "#{id}: valid ours={} source={want} — {cause}",
            m.valid()
        ));
    } else {
        t.unexplained.push(format!(
            "#{id}: valid ours={} source={want}, checks {:?}",
            m.valid(),
            m.checks().collect::<Vec<_>>()
        ));
    }
}

fn check_digit_record(t: &mut Tally, id: i64, exp: &Value) {
    let input = exp["check_digit_input"].as_str().unwrap_or("");
    let ours = mrz::check_digit(input.as_bytes());
    if let Some(n) = exp["check_digit"].as_u64() {
        t.check(
            id,
            "check_digit",
            ours.map(u64::from) == Some(n),
            None,
            format!("{input}: want {n}, ours {ours:?}"),
        );
    }
    if let Some(n) = exp["check_digit_not"].as_u64() {
        t.check(
            id,
            "check_digit_not",
            ours.map(u64::from) != Some(n),
            None,
            format!("{input}: want not {n}, ours {ours:?}"),
        );
    }
    if let (Some(g), Some(valid)) = (exp["check_digit_given"].as_str(), exp["valid"].as_bool()) {
        let ok = ours.map(|d| char::from(b'0' + d).to_string()).as_deref() == Some(g);
        t.check(
            id,
            "check_digit_given",
            ok == valid,
            None,
            format!("{input} given {g}: want valid={valid}, ours {ours:?}"),
        );
    }
}

fn dmrtd(t: &mut Tally, id: i64, v: &Value) {
    let exp = &v["expected"];
    let lines: Vec<String> = v["lines"]
        .as_array()
        .into_iter()
        .flatten()
        .filter_map(|l| l.as_str().map(str::to_owned))
        .collect();
    let raw = exp["fields_raw"].as_object();
    let res = mrz::parse(&lines, TODAY);
    match (raw, res) {
        // dmrtd's parser throws on any failing check digit or bad character: these records carry no
        // fields and expect that.
        (Some(r), res) if r.is_empty() => {
            t.valid_total += 1;
            match res {
                Err(_) => t.valid_agree += 1,
                Ok(m) if !m.valid() => t.valid_agree += 1,
                Ok(_) => t
                    .unexplained
                    .push(format!("#{id}: dmrtd throws, we read it as valid")),
            }
        }
        (Some(r), Ok(m)) => {
            let f = m.fields();
            let unq = |s: &str| s.trim_matches('\'').to_owned();
            let dt = |d: Option<Date>| {
                d.map(|d| format!("DateTime({}, {}, {})", d.year(), d.month(), d.day()))
            };
            for (k, want) in r {
                let w = want.as_str().unwrap_or("");
                let ok = match k.as_str() {
                    "documentCode" => unq(w) == f.document_code,
                    "documentNumber" => unq(w) == f.document_number,
                    "country" => unq(w) == f.issuing_state,
                    "nationality" => unq(w) == f.nationality,
                    "firstName" => unq(w) == f.given_names,
                    "lastName" => unq(w) == f.surname,
                    "gender" => unq(w) == f.sex_char(),
                    "dateOfBirth" => dt(f.birth_date).as_deref() == Some(w),
                    "dateOfExpiry" => dt(f.expiry_date).as_deref() == Some(w),
                    "optionalData" => unq(w) == f.optional_data,
                    "optionalData2" => match w {
                        // dmrtd returns null or '' for an all-filler field: both mean "no data".
                        "null" => f.optional_data_2.as_deref().is_none_or(str::is_empty),
                        _ => f.optional_data_2.as_deref() == Some(unq(w).as_str()),
                    },
                    "version" => w.ends_with(&m.format().as_str().to_ascii_lowercase()),
                    _ => continue,
                };
                t.field(
                    id,
                    k,
                    ok,
                    format!(
                        "want {w}, ours {:?}",
                        serde_json::to_string(&f).unwrap_or_default()
                    ),
                );
            }
            // dmrtd parses only what verifies.
            compare_validity(t, id, &m, true);
        }
        (_, Err(e)) => t.unexplained.push(format!("#{id}: error {e}")),
        (None, _) => {}
    }
}

trait SexChar {
    fn sex_char(&self) -> String;
}

impl SexChar for mrz::MrzFields {
    fn sex_char(&self) -> String {
        match self.sex {
            Sex::Male => "M",
            Sex::Female => "F",
            _ => "X",
        }
        .to_owned()
    }
}

/// mrz-parser's Rust assertions, read by pattern: check-digit getters, field getters, Ok/Err.
fn staroselskii(t: &mut Tally, id: i64, v: &Value) {
    let exp = &v["expected"];
    let asserts: Vec<&str> = exp["assertions_raw"]
        .as_array()
        .into_iter()
        .flatten()
        .filter_map(Value::as_str)
        .collect();
    let lines: Vec<String> = v["lines"]
        .as_array()
        .into_iter()
        .flatten()
        .filter_map(|l| l.as_str().map(str::to_owned))
        .collect();
    if lines.len() == 1 && lines[0].len() == 32 {
        // Checksum unit tests: `assert_checksum_matches(b"FIELD", N)`.
        for a in &asserts {
            if let Some(rest) = a.strip_prefix("assert_checksum_matches(b\"") {
                let mut it = rest.splitn(2, "\", ");
                let (field, n) = (
                    it.next().unwrap_or(""),
                    it.next().unwrap_or("").trim_end_matches([')', ';']),
                );
                let ours = mrz::check_digit(field.as_bytes()).map(|d| d.to_string());
                t.check(
                    id,
                    "checksum",
                    ours.as_deref() == Some(n),
                    None,
                    format!("{field}: want {n}, ours {ours:?}"),
                );
            }
        }
        return;
    }
    let test = v["test"].as_str().unwrap_or("");
    let repair = test.contains("ocr");
    let res = read(&lines, repair);
    let expects_ok = asserts
        .iter()
        .any(|a| a.contains("is_ok()") || a.contains("Ok(ParsedMRZ"));
    let expects_err = asserts
        .iter()
        .any(|a| a.contains("is_err()") || a.contains("Err(MRZParseError"));
    let m = match res {
        Ok(m) => m,
        Err(e) => {
            t.valid_total += 1;
            if expects_err || exp["valid_from_test_name"] == Value::Bool(false) {
                t.valid_agree += 1;
            } else if let Some(cause) =
                error_cause(&e).filter(|_| matches!(e, MrzError::AmbiguousRepair { .. }))
            {
                t.explained
                    .push(format!("#{id} ({test}): {} — {cause}", e.code()));
            } else {
                t.unexplained.push(format!("#{id} ({test}): error {e}"));
            }
            return;
        }
    };
    let f = m.fields();
    for a in &asserts {
        let neg = a.contains("!mrz.") || a.contains("( !mrz.");
        for (getter, cf) in [
            ("is_document_number_valid()", CheckedField::DocumentNumber),
            ("is_birth_date_valid()", CheckedField::BirthDate),
            ("is_expiry_date_valid()", CheckedField::ExpiryDate),
        ] {
            if a.contains(getter) {
                let want = if a.contains(", true)") { true } else { !neg };
                let ours = m.check(cf).is_some_and(|c| c.valid());
                t.check(
                    id,
                    getter,
                    ours == want,
                    None,
                    format!("want {want}, ours {ours}"),
                );
            }
        }
        if a.contains("is_final_check_valid()") {
            let c = m.check(CheckedField::Composite);
            let ours = c.map(|c| c.valid());
            if a.contains("Some(true)") {
                t.check(
                    id,
                    "final",
                    ours == Some(true),
                    None,
                    format!("want Some(true), ours {ours:?}"),
                );
            } else if a.contains("Some(false)") {
                t.check(
                    id,
                    "final",
                    ours == Some(false),
                    None,
                    format!("want Some(false), ours {ours:?}"),
                );
            } else if a.contains("None") {
                let filler = c.is_some_and(|c| c.found == '<');
                t.check(
                    id,
                    "final",
                    false,
                    filler.then_some("a `<` composite check digit: the source treats it as absent, ICAO 9303 requires a digit"),
                    format!("want None, ours {ours:?}"),
                );
            }
        }
        for (getter, ours) in [
            ("given_names()", f.given_names.clone()),
            ("surname()", f.surname.clone()),
            ("document_number()", f.document_number.clone()),
        ] {
            if let Some(pos) = a.find(getter)
                && let Some(w) = a.get(pos..).and_then(|s| s.split('"').nth(1))
            {
                t.field(id, getter, ours == w, format!("want {w:?}, ours {ours:?}"));
            }
        }
        for (getter, ours) in [
            ("nationality()", f.nationality.clone()),
            ("birth_date()", f.birth_date_raw.clone()),
            ("expiry_date()", f.expiry_date_raw.clone()),
        ] {
            if let Some(pos) = a.find(getter)
                && let Some(w) = a.get(pos..).and_then(|s| s.split('"').nth(1))
            {
                t.field(id, getter, ours == w, format!("want {w:?}, ours {ours:?}"));
            }
        }
        if a.contains("mrz.sex(), b'") {
            let w = a
                .split("b'")
                .nth(1)
                .and_then(|s| s.chars().next())
                .unwrap_or('?');
            t.field(
                id,
                "sex()",
                f.sex_char() == w.to_string(),
                format!("want {w}, ours {}", f.sex_char()),
            );
        }
    }
    match exp["valid_from_test_name"].as_bool() {
        Some(want) => compare_validity(t, id, &m, want),
        None if expects_ok && repair => compare_validity(t, id, &m, true),
        None => {}
    }
}

#[test]
fn agreement_with_other_projects_vectors() {
    let path = cases_path();
    let Ok(text) = std::fs::read_to_string(&path) else {
        println!(
            "SKIP mrz_cases: {} not found (the shared data is not beside the workspace)",
            path.display()
        );
        return;
    };
    let mut by_source: BTreeMap<String, Tally> = BTreeMap::new();
    for line in text.lines().filter(|l| !l.trim().is_empty()) {
        let v: Value = serde_json::from_str(line).expect("cases.jsonl line is JSON");
        let id = v["id"].as_i64().unwrap_or(-1);
        let source = source_of(&v);
        let t = by_source.entry(source.clone()).or_default();
        t.records += 1;
        if v["kind"] == "check_digit" {
            check_digit_record(t, id, &v["expected"]);
        } else if source.starts_with("cheminfo") {
            cheminfo(t, id, &v);
        } else if source.starts_with("ZeroPass") {
            dmrtd(t, id, &v);
        } else {
            staroselskii(t, id, &v);
        }
    }
    let mut unexplained = 0;
    for (source, t) in &by_source {
        println!(
            "{source}: {} records; fields {}/{} agree; check digits {}/{} agree; validity {}/{} agree, {} explained, {} unexplained",
            t.records,
            t.field_agree,
            t.field_total,
            t.check_agree,
            t.check_total,
            t.valid_agree,
            t.valid_total,
            t.explained.len(),
            t.unexplained.len()
        );
        for e in &t.explained {
            println!("  explained   {e}");
        }
        for e in &t.unexplained {
            println!("  UNEXPLAINED {e}");
        }
        unexplained += t.unexplained.len();
    }
    assert_eq!(
        unexplained, 0,
        "unexplained disagreements with the vectors (see the output above)"
    );
}
