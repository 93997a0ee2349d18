//! The operator's other pages: adding a session by hand (images uploaded), callback deliveries
//! with every attempt, the retention sweeps and purged sessions' audit records, and the operator
//! audit.

use std::fmt::Write as _;

use axum::Form;
use axum::extract::{Multipart, State};
use axum::response::{IntoResponse, Redirect, Response};
use serde::Deserialize;

use super::html::{self, esc};
use super::{AppState, Op, WebError, blocking, html_response};
use crate::error::ConsoleError;

/// The form to add a session.
pub async fn new_session_page(State(state): State<AppState>, op: Op) -> Result<Response, WebError> {
    let app = state.app.clone();
    let ids: Vec<String> = blocking(move || {
        Ok(app
            .store
            .scenarios()?
            .into_iter()
            .map(|r| r.scenario.id)
            .collect())
    })
    .await?;
    let body = format!(
        "<p>Open a session by hand (for tests or manual verification): the images go through the scenario's steps in order.</p>\
<form method=\"post\" action=\"/sessions/new\" enctype=\"multipart/form-data\" class=\"stack\" id=\"new-session\">{csrf}\
<label>Scenario <select name=\"scenario\">{opts}</select></label>\
<label>Document front <input type=\"file\" name=\"document_front\" accept=\"image/*\"></label>\
<label>Document back <input type=\"file\" name=\"document_back\" accept=\"image/*\"></label>\
<label>Selfie <input type=\"file\" name=\"selfie\" accept=\"image/*\"></label>\
<button type=\"submit\">Add session</button></form>",
        csrf = html::csrf_field(&op.0),
        opts = html::options(ids.iter().map(|s| (s.as_str(), s.as_str())), ""),
    );
    Ok(html_response(html::page(
        &super::logs::chrome(&state, &op),
        "/sessions/new",
        "Add a session",
        &body,
        &[],
    )))
}

/// Adds a session.
pub async fn new_session(
    State(state): State<AppState>,
    op: Op,
    mp: Multipart,
) -> Result<Response, WebError> {
    let fields = super::faces::read_multipart(mp).await?;
    op.check_csrf(&super::faces::text_field(&fields, "csrf"))?;
    let scenario = super::faces::text_field(&fields, "scenario");
    let mut documents = Vec::new();
    let mut selfie = None;
    for (name, bytes) in fields {
        if bytes.is_empty() {
            continue;
        }
        match name.as_str() {
            "document_front" => documents.push((kyc_core::ImageKind::DocumentFront, bytes)),
            "document_back" => documents.push((kyc_core::ImageKind::DocumentBack, bytes)),
            "selfie" => selfie = Some(bytes),
            _ => {}
        }
    }
    let _permit = state
        .analyses
        .acquire()
        .await
        .map_err(|e| ConsoleError::Internal(e.to_string()))?;
    let app = state.app.clone();
    let operator = op.0.operator.username.clone();
    let (id, _outcomes) =
        blocking(move || app.manual_session(&operator, &scenario, documents, selfie)).await?;
    Ok(Redirect::to(&format!("/sessions/{id}")).into_response())
}

/// Callback deliveries and their attempts.
pub async fn callbacks(State(state): State<AppState>, op: Op) -> Result<Response, WebError> {
    let app = state.app.clone();
    let rows = blocking(move || {
        let mut out = Vec::new();
        for d in app.store.deliveries(None, 200)? {
            let attempts = app.store.attempts(d.id)?;
            out.push((d, attempts));
        }
        Ok(out)
    })
    .await?;
    let mut body = String::from(
        "<p>Each notification is signed (and encrypted when the scenario says so) anew for every attempt; failed attempts are retried on the engine's schedule.</p><table class=\"report\" id=\"deliveries\"><tr><th>webhook-id</th><th>session</th><th>seq</th><th>state</th><th>attempts</th><th>next</th><th>each attempt</th></tr>",
    );
    for (d, attempts) in &rows {
        let mut each = String::new();
        for a in attempts {
            let _ = write!(
                each,
                "<div class=\"attempt\" data-outcome=\"{o}\">#{n} {t}: {o} {s} {ms} ms {e}</div>",
                n = a.attempt,
                t = html::time(a.at_ms),
                o = esc(&a.outcome),
                s = a
                    .http_status
                    .map(|s| format!("HTTP {s}"))
                    .unwrap_or_default(),
                ms = a.duration_ms,
                e = esc(&a.error),
            );
        }
        let _ = write!(
            body,
            "<tr data-webhook=\"{w}\" data-state=\"{st}\"><td>{w}</td><td><a href=\"/sessions/{s}\">{s}</a></td><td>{seq}</td><td>{st}</td><td>{n}</td><td>{next}</td><td>{each}</td></tr>",
            w = esc(&d.webhook_id),
            s = esc(&d.session_id),
            seq = d.seq,
            st = esc(&d.state),
            n = d.attempts,
            next = if d.state == "pending" {
                html::time(d.next_at_ms)
            } else {
                String::new()
            },
        );
    }
    body.push_str("</table>");
    Ok(html_response(html::page(
        &super::logs::chrome(&state, &op),
        "/callbacks",
        "Callbacks",
        &body,
        &[],
    )))
}

/// Retention sweeps and audit records.
pub async fn retention(State(state): State<AppState>, op: Op) -> Result<Response, WebError> {
    let app = state.app.clone();
    let (runs, records, scenarios) = blocking(move || {
        Ok((
            app.store.retention_runs(50)?,
            app.store.audit_records(100)?,
            app.store.scenarios()?,
        ))
    })
    .await?;
    let mut body = format!(
        "<p>Sessions are purged {every} s apart, each at its scenario's <code>limits.retention_days</code> after its creation (the core's rule): an anonymised audit record stays.</p>\
<form method=\"post\" action=\"/retention/run\" class=\"inline\">{csrf}<button type=\"submit\" id=\"run-retention\">Sweep now</button></form><h2>Retention by scenario</h2><ul>",
        every = state.app.config.retention_every,
        csrf = html::csrf_field(&op.0),
    );
    for s in &scenarios {
        let d = s.scenario.limits.retention_days;
        let _ = write!(
            body,
            "<li>{}: {}</li>",
            esc(&s.scenario.id),
            if d == 0 {
                "kept without limit".to_owned()
            } else {
                format!("{d} days")
            }
        );
    }
    body.push_str("</ul><h2>Sweeps</h2><table class=\"report\" id=\"retention-runs\"><tr><th>when</th><th>examined</th><th>purged</th><th>unknown scenario</th><th>next due</th></tr>");
    for r in &runs {
        let _ = write!(
            body,
            "<tr><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td></tr>",
            html::time(r.at_ms),
            r.examined,
            r.purged,
            r.unknown_scenario,
            r.next_due_ms.map(html::time).unwrap_or_default()
        );
    }
    body.push_str("</table><h2>Purged sessions (audit records)</h2><table class=\"report\"><tr><th>session</th><th>scenario</th><th>purged</th><th>record</th></tr>");
    for (id, scenario, at, json) in &records {
        let _ = write!(
            body,
            "<tr><td>{}</td><td>{}</td><td>{}</td><td><details><summary>JSON</summary><pre>{}</pre></details></td></tr>",
            esc(id),
            esc(scenario),
            html::time(*at),
            esc(json)
        );
    }
    body.push_str("</table>");
    Ok(html_response(html::page(
        &super::logs::chrome(&state, &op),
        "/retention",
        "Retention",
        &body,
        &[],
    )))
}

/// A form with only its CSRF token.
#[derive(Debug, Deserialize)]
pub struct CsrfOnly {
    csrf: String,
}

/// Runs a sweep now.
pub async fn retention_run(
    State(state): State<AppState>,
    op: Op,
    Form(f): Form<CsrfOnly>,
) -> Result<Response, WebError> {
    op.check_csrf(&f.csrf)?;
    let app = state.app.clone();
    let operator = op.0.operator.username.clone();
    blocking(move || {
        let run = app.store.sweep_retention(jiff::Timestamp::now())?;
        app.store.audit(
            &operator,
            "retention_sweep",
            "retention",
            &format!("{} purged", run.purged),
        )
    })
    .await?;
    Ok(Redirect::to("/retention").into_response())
}

/// The operator audit.
pub async fn audit(State(state): State<AppState>, op: Op) -> Result<Response, WebError> {
    let app = state.app.clone();
    let entries = blocking(move || app.store.audit_entries(None, 500)).await?;
    let mut body = String::from(
        "<table class=\"report\" id=\"audit\"><tr><th>when</th><th>operator</th><th>action</th><th>target</th><th>detail</th></tr>",
    );
    for a in &entries {
        let _ = write!(
            body,
            "<tr data-action=\"{act}\"><td>{}</td><td>{}</td><td>{act}</td><td>{}</td><td>{}</td></tr>",
            html::time(a.at_ms),
            esc(&a.operator_id),
            esc(&a.target),
            esc(&a.detail),
            act = esc(&a.action)
        );
    }
    body.push_str("</table>");
    Ok(html_response(html::page(
        &super::logs::chrome(&state, &op),
        "/audit",
        "Operator audit",
        &body,
        &[],
    )))
}
