//! KYC Links: make 1 to 1000 one-time links for a scenario with a lifetime; the batch's URLs are
//! shown once (with a CSV of them made in the page); the list shows every link's status (created,
//! opened, in progress, success, failure, expired) and downloads as CSV (ids and statuses, no
//! tokens: the console keeps none).

use std::fmt::Write as _;

use axum::Form;
use axum::extract::State;
use axum::http::header;
use axum::response::{IntoResponse, Response};
use serde::Deserialize;

use super::html::{self, esc};
use super::{AppState, Op, WebError, blocking, html_response};
use crate::error::ConsoleError;

fn list_html(rows: &[crate::store::LinkRow], now: jiff::Timestamp) -> String {
    let mut out = String::from(
        "<table class=\"report\" id=\"links\"><tr><th>link</th><th>scenario</th><th>batch</th><th>status</th><th>created</th><th>expires</th><th>session</th></tr>",
    );
    for r in rows {
        let rec = &r.record;
        let status = crate::app::serde_word(&rec.status_at(now));
        let session = rec
            .session_id
            .as_ref()
            .map(|s| format!("<a href=\"/sessions/{0}\">{0}</a>", esc(s)))
            .unwrap_or_default();
        let _ = write!(
            out,
            "<tr data-link=\"{id}\" data-status=\"{status}\"><td>{id}</td><td>{scenario}</td><td>{batch}</td><td class=\"link-{status}\">{status}</td><td>{created}</td><td>{expires}</td><td>{session}</td></tr>",
            id = esc(&rec.link_id),
            scenario = esc(&rec.scenario_id),
            batch = esc(&r.batch_id),
            created = html::ts(rec.created_at),
            expires = html::ts(rec.expires_at),
        );
    }
    out.push_str("</table>");
    out
}

async fn render(
    state: &AppState,
    op: &Op,
    made: Option<(crate::app::Batch, String)>,
) -> Result<Response, WebError> {
    let app = state.app.clone();
    let (scenarios, rows) = blocking(move || {
        let ids: Vec<String> = app
            .store
            .scenarios()?
            .into_iter()
            .map(|r| r.scenario.id)
            .collect();
        Ok((ids, app.store.links(None, 300)?))
    })
    .await?;
    let opts = html::options(scenarios.iter().map(|s| (s.as_str(), s.as_str())), "");
    let mut body = format!(
        "<form method=\"post\" action=\"/links\" class=\"filters\" id=\"link-form\">{csrf}\
<label>Scenario <select name=\"scenario\" id=\"link-scenario\">{opts}</select></label>\
<label>Lifetime (minutes) <input type=\"number\" name=\"lifetime_minutes\" id=\"link-lifetime\" min=\"1\" max=\"43200\" value=\"1440\"></label>\
<label>Count <input type=\"number\" name=\"count\" id=\"link-count\" min=\"1\" max=\"1000\" value=\"1\"></label>\
<button type=\"submit\" id=\"make-links\">Make links</button></form>",
        csrf = html::csrf_field(&op.0),
    );
    if let Some((batch, base)) = made {
        let _ = write!(
            body,
            "<section class=\"batch\"><h2>Batch {b}: {n} links</h2><p>These URLs are shown this once; the console keeps no token. \
<button type=\"button\" id=\"batch-csv\" data-batch=\"{b}\">Download this batch (CSV)</button></p><table class=\"report\" id=\"batch\"><tr><th>link</th><th>URL</th><th>expires</th></tr>",
            b = esc(&batch.batch_id),
            n = batch.links.len(),
        );
        for l in &batch.links {
            let url = format!("{base}/l/{}", l.token.expose());
            let _ = write!(
                body,
                "<tr data-link=\"{id}\"><td>{id}</td><td><a class=\"link-url\" href=\"{url}\">{url}</a></td><td>{exp}</td></tr>",
                id = esc(&l.link_id),
                url = esc(&url),
                exp = html::ts(l.expires_at),
            );
        }
        body.push_str("</table></section>");
    }
    let _ = write!(
        body,
        "<h2>Links</h2><p><a href=\"/links.csv\" id=\"links-csv\">Download the list (CSV)</a></p>{}",
        list_html(&rows, jiff::Timestamp::now())
    );
    Ok(html_response(html::page(
        &super::logs::chrome(state, op),
        "/links",
        "KYC Links",
        &body,
        &["console.js"],
    )))
}

/// The Links page.
pub async fn page(State(state): State<AppState>, op: Op) -> Result<Response, WebError> {
    render(&state, &op, None).await
}

/// What the form sends.
#[derive(Debug, Deserialize)]
pub struct MakeForm {
    csrf: String,
    scenario: String,
    lifetime_minutes: i64,
    count: u32,
}

/// Makes a batch.
pub async fn make(
    State(state): State<AppState>,
    op: Op,
    Form(form): Form<MakeForm>,
) -> Result<Response, WebError> {
    op.check_csrf(&form.csrf)?;
    if !(1..=43_200).contains(&form.lifetime_minutes) {
        return Err(
            ConsoleError::invalid("link.lifetime_out_of_range", "1 minute to 30 days").into(),
        );
    }
    let app = state.app.clone();
    let operator = op.0.operator.username.clone();
    let batch = blocking(move || {
        app.make_links(&operator, &form.scenario, form.count, form.lifetime_minutes)
    })
    .await?;
    let base = state.app.config.public_url.trim_end_matches('/').to_owned();
    render(&state, &op, Some((batch, base))).await
}

/// Every link as CSV: id, scenario, batch, status, times, session.
pub async fn csv(State(state): State<AppState>, _op: Op) -> Result<Response, WebError> {
    let app = state.app.clone();
    let rows = blocking(move || app.store.links(None, 100_000)).await?;
    let now = jiff::Timestamp::now();
    let mut w = csv::Writer::from_writer(Vec::new());
    let err = |e: csv::Error| ConsoleError::Internal(e.to_string());
    w.write_record([
        "link_id",
        "scenario_id",
        "batch_id",
        "status",
        "created_at",
        "expires_at",
        "session_id",
    ])
    .map_err(err)?;
    for r in &rows {
        let rec = &r.record;
        w.write_record([
            rec.link_id.as_str(),
            rec.scenario_id.as_str(),
            r.batch_id.as_str(),
            &crate::app::serde_word(&rec.status_at(now)),
            &rec.created_at.to_string(),
            &rec.expires_at.to_string(),
            rec.session_id.as_deref().unwrap_or(""),
        ])
        .map_err(err)?;
    }
    let bytes = w
        .into_inner()
        .map_err(|e| ConsoleError::Internal(e.to_string()))?;
    Ok((
        [
            (header::CONTENT_TYPE, "text/csv; charset=utf-8"),
            (
                header::CONTENT_DISPOSITION,
                "attachment; filename=\"kyc-links.csv\"",
            ),
        ],
        bytes,
    )
        .into_response())
}
