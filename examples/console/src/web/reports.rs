//! KYC Reports: filters (created date range, status, scenario, error code, name and document
//! number and city by prefix, ignoring case in Latin and Cyrillic alike), paging, and a CSV
//! download streamed through `kyc_core::report` chunk by chunk.

use std::fmt::Write as _;
use std::io::Write;

use axum::body::Body;
use axum::extract::{Query, State};
use axum::http::header;
use axum::response::{IntoResponse, Response};
use kyc_core::report::{CsvExport, CsvOptions, ReportRow};
use serde::Deserialize;

use super::html::{self, esc};
use super::{AppState, Op, WebError, blocking, html_response};
use crate::error::{ConsoleError, Result};
use crate::store::{COUNT_CAP_PUB, ReportQuery};

/// Rows per page.
const PAGE: i64 = 50;
/// Longest filter value.
const MAX_FILTER: usize = 200;

/// The filters as the form sends them.
#[derive(Debug, Default, Deserialize)]
pub struct Filters {
    #[serde(default)]
    from: String,
    #[serde(default)]
    to: String,
    #[serde(default)]
    status: String,
    #[serde(default)]
    scenario: String,
    #[serde(default)]
    error_code: String,
    #[serde(default)]
    name: String,
    #[serde(default)]
    number: String,
    #[serde(default)]
    city: String,
    #[serde(default)]
    page: i64,
    #[serde(default)]
    bom: String,
}

const STATUSES: &[&str] = &[
    "created",
    "in_progress",
    "approved",
    "declined",
    "blocked",
    "frozen",
    "manual_review",
    "awaiting_database_checks",
];

fn day_ms(text: &str, next: bool) -> Result<Option<i64>> {
    let text = text.trim();
    if text.is_empty() {
        return Ok(None);
    }
    let date: jiff::civil::Date = text.parse().map_err(|_| {
        ConsoleError::invalid("report.bad_date", format!("{text:?} is not YYYY-MM-DD"))
    })?;
    let date = if next {
        date.tomorrow()
            .map_err(|e| ConsoleError::invalid("report.bad_date", e.to_string()))?
    } else {
        date
    };
    let ts = date
        .to_zoned(jiff::tz::TimeZone::UTC)
        .map_err(|e| ConsoleError::invalid("report.bad_date", e.to_string()))?
        .timestamp();
    Ok(Some(ts.as_millisecond()))
}

impl Filters {
    fn query(&self) -> Result<ReportQuery> {
        let all = [
            &self.from,
            &self.to,
            &self.status,
            &self.scenario,
            &self.error_code,
            &self.name,
            &self.number,
            &self.city,
        ];
        if all.iter().any(|v| v.len() > MAX_FILTER) {
            return Err(ConsoleError::invalid(
                "report.filter_too_long",
                format!("filters are at most {MAX_FILTER} bytes"),
            ));
        }
        let opt = |v: &str| Some(v.trim().to_owned()).filter(|v| !v.is_empty());
        let status = opt(&self.status);
        if let Some(s) = &status
            && !STATUSES.contains(&s.as_str())
        {
            return Err(ConsoleError::invalid(
                "report.bad_status",
                format!("unknown status {s:?}"),
            ));
        }
        Ok(ReportQuery {
            from_ms: day_ms(&self.from, false)?,
            to_ms: day_ms(&self.to, true)?,
            statuses: status.into_iter().collect(),
            scenario_id: opt(&self.scenario),
            error_code: opt(&self.error_code),
            name_prefix: opt(&self.name),
            number_prefix: opt(&self.number),
            city_prefix: opt(&self.city),
        })
    }

    fn url_query(&self, page: i64) -> String {
        let mut out = String::new();
        for (k, v) in [
            ("from", &self.from),
            ("to", &self.to),
            ("status", &self.status),
            ("scenario", &self.scenario),
            ("error_code", &self.error_code),
            ("name", &self.name),
            ("number", &self.number),
            ("city", &self.city),
        ] {
            if !v.is_empty() {
                let _ = write!(out, "{k}={}&", url_encode(v));
            }
        }
        let _ = write!(out, "page={page}");
        out
    }
}

/// Percent-encodes a query value.
pub fn url_encode(text: &str) -> String {
    let mut out = String::new();
    for b in text.bytes() {
        if b.is_ascii_alphanumeric() || matches!(b, b'-' | b'_' | b'.' | b'~') {
            out.push(char::from(b));
        } else {
            let _ = write!(out, "%{b:02X}");
        }
    }
    out
}

/// The Reports page.
pub async fn page(
    State(state): State<AppState>,
    op: Op,
    Query(f): Query<Filters>,
) -> Result<Response, WebError> {
    let q = f.query()?;
    let page = f.page.max(0);
    let app = state.app.clone();
    let (sessions, total, scenarios) = blocking(move || {
        let (s, t) = app.store.report_page(&q, page * PAGE, PAGE)?;
        let ids: Vec<String> = app
            .store
            .scenarios()?
            .into_iter()
            .map(|r| r.scenario.id)
            .collect();
        Ok((s, t, ids))
    })
    .await?;
    let mut status_opts = vec![("", "any")];
    status_opts.extend(STATUSES.iter().map(|s| (*s, *s)));
    let mut scenario_opts = vec![("", "any")];
    scenario_opts.extend(scenarios.iter().map(|s| (s.as_str(), s.as_str())));
    let mut body = format!(
        "<form method=\"get\" action=\"/reports\" class=\"filters\" id=\"filters\">\
<label>Created from <input type=\"date\" name=\"from\" value=\"{from}\"></label>\
<label>to <input type=\"date\" name=\"to\" value=\"{to}\"></label>\
<label>Status <select name=\"status\">{statuses}</select></label>\
<label>Scenario <select name=\"scenario\">{scen}</select></label>\
<label>Error code <input name=\"error_code\" value=\"{code}\" placeholder=\"document.mrz\"></label>\
<label>Name starts with <input name=\"name\" id=\"f-name\" value=\"{name}\"></label>\
<label>Number starts with <input name=\"number\" id=\"f-number\" value=\"{number}\"></label>\
<label>City starts with <input name=\"city\" value=\"{city}\"></label>\
<button type=\"submit\" id=\"apply\">Apply</button></form>",
        from = esc(&f.from),
        to = esc(&f.to),
        statuses = html::options(status_opts, &f.status),
        scen = html::options(scenario_opts, &f.scenario),
        code = esc(&f.error_code),
        name = esc(&f.name),
        number = esc(&f.number),
        city = esc(&f.city),
    );
    let shown_total = if total > COUNT_CAP_PUB {
        format!("more than {COUNT_CAP_PUB}")
    } else {
        total.to_string()
    };
    let _ = write!(
        body,
        "<p><span id=\"total\" data-total=\"{total}\">{shown_total}</span> sessions match. <a id=\"csv\" href=\"/reports.csv?{q}\">Download CSV</a></p>\
<table class=\"report\" id=\"report\"><tr><th>created</th><th>session</th><th>scenario</th><th>status</th><th>name</th><th>number</th><th>type</th><th>errors</th></tr>",
        q = esc(&f.url_query(0)),
    );
    for s in &sessions {
        let r = ReportRow::from_session(s);
        let _ = write!(
            body,
            "<tr data-session=\"{id}\"><td>{created}</td><td><a href=\"/sessions/{id}\">{short}</a></td><td>{scenario}</td><td class=\"status-{status}\">{status}</td><td>{name}</td><td>{number}</td><td>{ty}</td><td>{errors}</td></tr>",
            id = esc(&s.id),
            short = esc(&s.id.chars().take(12).collect::<String>()),
            created = html::ts(s.created_at),
            scenario = esc(&s.scenario_id),
            status = s.status.as_str(),
            name = esc(r.full_name.as_deref().unwrap_or("")),
            number = esc(r.document_number.as_deref().unwrap_or("")),
            ty = esc(&r
                .document_type
                .map(|t| crate::app::serde_word(&t))
                .unwrap_or_default()),
            errors = esc(&r.error_codes.join(" ")),
        );
    }
    body.push_str("</table><p class=\"pager\">");
    if page > 0 {
        let _ = write!(
            body,
            "<a href=\"/reports?{}\">← previous</a> ",
            esc(&f.url_query(page - 1))
        );
    }
    let _ = write!(body, "page {}", page + 1);
    if (page + 1) * PAGE < total {
        let _ = write!(
            body,
            " <a id=\"next\" href=\"/reports?{}\">next →</a>",
            esc(&f.url_query(page + 1))
        );
    }
    body.push_str("</p>");
    Ok(html_response(html::page(
        &super::logs::chrome(&state, &op),
        "/reports",
        "KYC Reports",
        &body,
        &[],
    )))
}

/// Bytes handed to the response as they are written, 64 KiB at a time.
struct ChunkWriter {
    buf: Vec<u8>,
    tx: tokio::sync::mpsc::Sender<std::io::Result<Vec<u8>>>,
}

impl Write for ChunkWriter {
    fn write(&mut self, data: &[u8]) -> std::io::Result<usize> {
        self.buf.extend_from_slice(data);
        if self.buf.len() >= 64 * 1024 {
            self.flush()?;
        }
        Ok(data.len())
    }

    fn flush(&mut self) -> std::io::Result<()> {
        if !self.buf.is_empty() {
            let chunk = std::mem::take(&mut self.buf);
            self.tx
                .blocking_send(Ok(chunk))
                .map_err(|_| std::io::Error::new(std::io::ErrorKind::BrokenPipe, "client gone"))?;
        }
        Ok(())
    }
}

/// The CSV of every session the filters match, streamed.
pub async fn csv(
    State(state): State<AppState>,
    _op: Op,
    Query(f): Query<Filters>,
) -> Result<Response, WebError> {
    let q = f.query()?;
    let bom = f.bom == "1";
    let (tx, rx) = tokio::sync::mpsc::channel::<std::io::Result<Vec<u8>>>(4);
    let app = state.app.clone();
    tokio::task::spawn_blocking(move || {
        let writer = ChunkWriter {
            buf: Vec::new(),
            tx: tx.clone(),
        };
        let run = || -> Result<()> {
            let mut export = CsvExport::new(writer, CsvOptions { bom })?;
            app.store.report_each(&q, 500, |sessions| {
                for s in &sessions {
                    export.write(&ReportRow::from_session(s))?;
                }
                Ok(true)
            })?;
            let mut w = export.finish()?;
            w.flush().map_err(|e| ConsoleError::Internal(e.to_string()))
        };
        if let Err(e) = run() {
            let _ = tx.blocking_send(Err(std::io::Error::other(e.to_string())));
        }
    });
    let stream = futures_util::stream::unfold(rx, |mut rx| async move {
        rx.recv().await.map(|item| (item, rx))
    });
    Ok((
        [
            (header::CONTENT_TYPE, "text/csv; charset=utf-8"),
            (
                header::CONTENT_DISPOSITION,
                "attachment; filename=\"kyc-report.csv\"",
            ),
        ],
        Body::from_stream(stream),
    )
        .into_response())
}
