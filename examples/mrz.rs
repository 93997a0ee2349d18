//! Read MRZs as JSON Lines on stdin, write one JSON result per line.
//!
//! Input:  `{"lines": ["...", "..."], "today": "YYYY-MM-DD"?, "ocr": bool?}` per line.
//! Output: `{"ok": true, "format", "valid", "fields", "checks", "repairs", "policy", "evidence"}` or
//!         `{"ok": false, "error": {"code", "message"}}`.
//!
//! Flags: `--ocr` reads every record as OCR text (repairs reported); `--division-codes FILE` loads a
//! `code,authority` CSV for Russian passports; `--time N` parses every record N times and prints
//! only the parse throughput (for `benches/compare_mrz.sh`). Without `today`, the host's clock (UTC)
//! gives the date: the engine itself never reads a clock.

use std::io::{BufRead, Write};
use std::time::Instant;

use jiff::civil::Date;
use kyc_core::document::mrz::{self, DivisionDbLimits, InMemoryDivisionDb, MrzError};
use serde::Deserialize;
use serde_json::{Value, json};

/// Input lines longer than this are answered with an error, unread.
const MAX_RECORD_BYTES: usize = 64 * 1024;

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct Record {
    lines: Vec<String>,
    #[serde(default)]
    today: Option<Date>,
    #[serde(default)]
    ocr: Option<bool>,
}

fn error_json(code: &str, message: &str) -> Value {
    json!({"ok": false, "error": {"code": code, "message": message}})
}

fn answer(rec: &Record, today: Date, ocr: bool, db: Option<&InMemoryDivisionDb>) -> Value {
    let read = if ocr || rec.ocr == Some(true) {
        mrz::read_ocr(&rec.lines, today).map(|r| (r.mrz, r.repairs))
    } else {
        mrz::parse(&rec.lines, today).map(|m| (m, Vec::new()))
    };
    let (m, repairs) = match read {
        Ok(x) => x,
        Err(e) => return error_json(e.code(), &e.to_string()),
    };
    let report = m.report_with(repairs, db.map(|d| d as &dyn mrz::DivisionCodeDb));
    let mut v = match serde_json::to_value(&report) {
        Ok(v) => v,
        Err(e) => return error_json("example.serialise", &e.to_string()),
    };
    // Russian passports add their own fields next to the ICAO ones.
    if let (Some(r), Some(fields)) = (
        v.get("russian").cloned(),
        v.get_mut("fields").and_then(Value::as_object_mut),
    ) {
        for (k, out) in [
            ("series", "series"),
            ("number", "number"),
            ("issue_date", "issue_date"),
            ("division_code", "division_code"),
            ("issuing_authority", "issuing_authority"),
            ("surname", "surname_cyrillic"),
            ("given_name", "given_name_cyrillic"),
            ("patronymic", "patronymic_cyrillic"),
        ] {
            if let Some(x) = r.get(k) {
                fields.insert(out.to_owned(), x.clone());
            }
        }
    }
    if let Some(obj) = v.as_object_mut() {
        obj.insert("ok".into(), Value::Bool(true));
    }
    v
}

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let ocr = args.iter().any(|a| a == "--ocr");
    let flag = |name: &str| {
        args.iter()
            .position(|a| a == name)
            .and_then(|i| args.get(i + 1))
            .cloned()
    };
    let db = match flag("--division-codes") {
        Some(path) => match std::fs::File::open(&path)
            .map_err(|e| MrzError::DivisionDb {
                reason: e.to_string(),
            })
            .and_then(|f| InMemoryDivisionDb::from_csv(f, DivisionDbLimits::default()))
        {
            Ok(db) => Some(db),
            Err(e) => {
                eprintln!("{path}: {e}");
                std::process::exit(2);
            }
        },
        None => None,
    };
    let clock_today = jiff::Timestamp::now()
        .to_zoned(jiff::tz::TimeZone::UTC)
        .date();
    let stdin = std::io::stdin();
    let mut records: Vec<Result<Record, Value>> = Vec::new();
    let mut out = std::io::BufWriter::new(std::io::stdout().lock());
    let timing = flag("--time").and_then(|n| n.parse::<usize>().ok());
    for line in stdin.lock().lines() {
        let Ok(line) = line else { break };
        if line.trim().is_empty() {
            continue;
        }
        let rec = if line.len() > MAX_RECORD_BYTES {
            Err(error_json(
                "example.record_too_long",
                "record longer than 64 KiB",
            ))
        } else {
            serde_json::from_str::<Record>(&line)
                .map_err(|e| error_json("example.json", &e.to_string()))
        };
        if timing.is_some() {
            records.push(rec);
            continue;
        }
        let v = match rec {
            Ok(r) => answer(&r, r.today.unwrap_or(clock_today), ocr, db.as_ref()),
            Err(v) => v,
        };
        let _ = writeln!(out, "{v}");
    }
    if let Some(rounds) = timing {
        let parsed: Vec<Vec<String>> = records
            .into_iter()
            .filter_map(Result::ok)
            .map(|r| r.lines)
            .collect();
        let today = clock_today;
        let start = Instant::now();
        let mut valid = 0usize;
        for _ in 0..rounds.max(1) {
            for lines in &parsed {
                if let Ok(m) = mrz::parse(lines, today) {
                    valid += usize::from(m.valid());
                }
            }
        }
        let secs = start.elapsed().as_secs_f64();
        let n = parsed.len() * rounds.max(1);
        let _ = writeln!(
            out,
            "{}",
            json!({"impl": "kyc", "records": n, "valid": valid, "seconds": secs, "per_second": n as f64 / secs})
        );
    }
}
