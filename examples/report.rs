//! Exports stored sessions as CSV or JSON Lines, streaming: memory stays flat however many there are.
//!
//! ```text
//! cargo run --release --example report -- --sessions <sessions.jsonl> [--status declined ...] \
//!     [--from 2026-11-01T00:00:00Z --to 2026-12-01T00:00:00Z] [--scenario <id> ...] \
//!     [--field name=value ...] [--error-code <code> ...] [--bom] --format csv|jsonl
//! ```
//!
//! `--status`, `--scenario` and `--error-code` may repeat (any of them matches); every `--field` must
//! match (case and spacing ignored; `full_name` is given names and surname). The range is half-open
//! on the creation time. Lines that are not sessions are reported on stderr as JSON and skipped.
//! Exit code 0 on success, 2 on bad arguments.

use std::fs::File;
use std::io::{BufReader, BufWriter, Write};
use std::path::PathBuf;
use std::process::ExitCode;

use kyc_core::SessionStatus;
use kyc_core::report::{self, CsvOptions, ExportFormat, FieldFilter, ReportFilter, SessionLines};
use kyc_examples::error_json;

struct Args {
    sessions: PathBuf,
    filter: ReportFilter,
    format: ExportFormat,
}

fn parse_status(word: &str) -> Result<SessionStatus, String> {
    serde_json::from_value(serde_json::Value::String(word.to_owned()))
        .map_err(|_| format!("unknown status {word}"))
}

fn parse_args() -> Result<Args, String> {
    let mut sessions = None;
    let mut filter = ReportFilter::default();
    let mut format = None;
    let mut bom = false;
    let mut it = std::env::args().skip(1);
    while let Some(flag) = it.next() {
        let mut value = || it.next().ok_or_else(|| format!("{flag} needs a value"));
        match flag.as_str() {
            "--sessions" => sessions = Some(PathBuf::from(value()?)),
            "--status" => filter.statuses.push(parse_status(&value()?)?),
            "--from" => filter.from = Some(value()?.parse().map_err(|e| format!("--from: {e}"))?),
            "--to" => filter.to = Some(value()?.parse().map_err(|e| format!("--to: {e}"))?),
            "--scenario" => filter.scenario_ids.push(value()?),
            "--error-code" => filter.error_codes.push(value()?),
            "--field" => {
                let v = value()?;
                let (name, val) = v
                    .split_once('=')
                    .ok_or_else(|| format!("--field wants name=value, got {v}"))?;
                filter.fields.push(FieldFilter {
                    name: name.to_owned(),
                    value: val.to_owned(),
                });
            }
            "--format" => format = Some(value()?),
            "--bom" => bom = true,
            other => return Err(format!("unknown argument {other}")),
        }
    }
    let format = match format.as_deref() {
        Some("csv") => ExportFormat::Csv(CsvOptions { bom }),
        Some("jsonl") => ExportFormat::Jsonl,
        Some(other) => return Err(format!("--format is csv or jsonl, not {other}")),
        None => return Err("--format csv|jsonl is required".to_owned()),
    };
    Ok(Args {
        sessions: sessions.ok_or("--sessions <file.jsonl> is required")?,
        filter,
        format,
    })
}

fn main() -> ExitCode {
    let args = match parse_args() {
        Ok(a) => a,
        Err(message) => {
            eprintln!(
                "{}",
                serde_json::json!({"ok": false, "error": {"code": "usage", "message": message}})
            );
            return ExitCode::from(2);
        }
    };
    let file = match File::open(&args.sessions) {
        Ok(f) => f,
        Err(e) => {
            let message = format!("{}: {e}", args.sessions.display());
            eprintln!(
                "{}",
                serde_json::json!({"ok": false, "error": {"code": "io", "message": message}})
            );
            return ExitCode::from(2);
        }
    };
    // Lines that are not sessions are reported and skipped; the export goes on.
    let sessions = SessionLines::new(BufReader::new(file)).filter_map(|r| match r {
        Ok(s) => Some(Ok(s)),
        Err(e) => {
            eprintln!("{}", error_json(&e, &e.to_string()));
            None
        }
    });
    let out = BufWriter::new(std::io::stdout().lock());
    match report::export(sessions, &args.filter, args.format, out) {
        Ok((stats, mut out)) => {
            let _ = out.flush();
            eprintln!(
                "{}",
                serde_json::json!({"ok": true, "read": stats.read, "written": stats.written})
            );
            ExitCode::SUCCESS
        }
        Err(e) => {
            eprintln!("{}", error_json(&e, &e.to_string()));
            ExitCode::from(if e.code() == "report.invalid_filter" {
                2
            } else {
                1
            })
        }
    }
}
