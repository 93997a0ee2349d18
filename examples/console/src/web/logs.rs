//! KYC Logs: a tile per session, live by Server-Sent Events (read from the events table, so every
//! console process sees every other's sessions), the right-hand pane with the session's result;
//! the session page with its images, callbacks, the manual decision and its audit trail.

use std::collections::HashSet;
use std::convert::Infallible;
use std::time::Duration;

use axum::Form;
use axum::extract::{Path, Query, State};
use axum::http::{StatusCode, header};
use axum::response::sse::{Event, KeepAlive, Sse};
use axum::response::{IntoResponse, Redirect, Response};
use futures_util::stream::Stream;
use kyc_core::report::ReportRow;
use kyc_core::{Session, SessionStatus};
use serde::Deserialize;

use super::html::{self, Chrome, esc};
use super::{ApiError, AppState, Op, WebError, blocking, html_response};
use crate::error::ConsoleError;

/// A tile's data.
pub fn tile(session: &Session) -> serde_json::Value {
    let row = ReportRow::from_session(session);
    serde_json::json!({
        "id": session.id,
        "scenario_id": session.scenario_id,
        "status": session.status.as_str(),
        "reason": session.status_reason,
        "full_name": row.full_name,
        "document_type": row.document_type,
        "origin": row.origin,
        "updated": html::ts(session.updated_at),
    })
}

fn tile_html(session: &Session) -> String {
    let row = ReportRow::from_session(session);
    format!(
        "<button class=\"tile status-{status}\" data-session=\"{id}\" data-status=\"{status}\">\
<span class=\"name\">{name}</span><span class=\"status\">{status}</span>\
<span class=\"meta\">{scenario} · {origin} · {updated}</span></button>",
        id = esc(&session.id),
        status = session.status.as_str(),
        name = esc(row.full_name.as_deref().unwrap_or("(no name read)")),
        scenario = esc(&session.scenario_id),
        origin = esc(&row.origin),
        updated = html::ts(session.updated_at),
    )
}

/// Where the stream starts.
#[derive(Debug, Deserialize)]
pub struct StreamQuery {
    after: Option<i64>,
}

/// The Logs page.
pub async fn page(State(state): State<AppState>, op: Op) -> Result<Response, WebError> {
    let app = state.app.clone();
    let (sessions, last) =
        blocking(move || Ok((app.store.recent_sessions(60)?, app.store.last_event_id()?))).await?;
    let tiles: String = sessions.iter().map(tile_html).collect();
    let body = format!(
        "<div class=\"logs\" data-after=\"{last}\"><div class=\"tiles\" id=\"tiles\">{tiles}</div>\
<section class=\"pane\" id=\"pane\"><p class=\"hint\">Choose a session.</p></section></div>"
    );
    Ok(html_response(html::page(
        &chrome(&state, &op),
        "/logs",
        "KYC Logs",
        &body,
        &["console.js"],
    )))
}

/// The page chrome of `op`.
pub fn chrome<'a>(state: &'a AppState, op: &'a Op) -> Chrome<'a> {
    Chrome {
        op: &op.0,
        banner: state.app.model_note.as_deref(),
        storage: state.app.store.pool().label(),
    }
}

/// Server-Sent Events: each new event as `{event_id, session_id, kind, tile}`. Reads the events
/// table every 700 ms, looking back over the last 200 rows as well, so an event committed late
/// by another process (a lower id appearing after a higher one) is still sent, once.
pub async fn stream(
    State(state): State<AppState>,
    _op: Op,
    Query(q): Query<StreamQuery>,
) -> Sse<impl Stream<Item = Result<Event, Infallible>>> {
    let start = q.after.unwrap_or(0).max(0);
    let init = (
        state.app.clone(),
        start,
        HashSet::<i64>::new(),
        Vec::<Event>::new(),
    );
    let s = futures_util::stream::unfold(
        init,
        move |(app, mut last, mut seen, mut queue)| async move {
            loop {
                if let Some(e) = queue.pop() {
                    return Some((Ok(e), (app, last, seen, queue)));
                }
                tokio::time::sleep(Duration::from_millis(700)).await;
                let a = app.clone();
                let from = (last - 200).max(0);
                let fetched = blocking(move || {
                    let events = a.store.events_after(from, 500)?;
                    let mut out = Vec::new();
                    for (id, e) in events {
                        let tile = a.store.session(&e.session_id)?.map(|r| tile(&r.session));
                        out.push((id, e, tile));
                    }
                    Ok(out)
                })
                .await;
                let Ok(fetched) = fetched else { continue };
                let mut fresh = Vec::new();
                for (id, e, t) in fetched {
                    if id <= start || !seen.insert(id) {
                        continue;
                    }
                    last = last.max(id);
                    let kind = serde_json::to_value(&e.kind)
                        .ok()
                        .and_then(|v| v.get("type").cloned())
                        .unwrap_or_default();
                    let data = serde_json::json!({"event_id": id, "session_id": e.session_id, "seq": e.seq, "kind": kind, "tile": t});
                    fresh.push(
                        Event::default()
                            .id(id.to_string())
                            .event("session")
                            .data(data.to_string()),
                    );
                }
                seen.retain(|id| *id > last - 400);
                fresh.reverse();
                queue = fresh;
            }
        },
    );
    Sse::new(s).keep_alive(KeepAlive::new().interval(Duration::from_secs(15)))
}

/// A session as the pane shows it: its result (never templates or secrets), events, images,
/// operator audit and callback deliveries with their attempts.
pub async fn session_json(
    State(state): State<AppState>,
    _op: Op,
    Path(id): Path<String>,
) -> Result<Response, ApiError> {
    let app = state.app.clone();
    let value = blocking(move || {
        let row = app.store.session(&id)?.ok_or_else(|| ConsoleError::NotFound(format!("session {id}")))?;
        let s = &row.session;
        let result = app.result_json(s).unwrap_or(serde_json::Value::Null);
        let deliveries = app.store.deliveries(Some(&id), 50)?;
        let mut with_attempts = Vec::new();
        for d in deliveries {
            let attempts = app.store.attempts(d.id)?;
            with_attempts.push(serde_json::json!({"delivery": d, "attempts": attempts}));
        }
        Ok(serde_json::json!({
            "tile": tile(s),
            "link_id": row.link_id,
            "result": result,
            "events": app.store.session_events(&id)?,
            "images": app.store.images_of(&id)?.iter().map(|i| serde_json::json!({"step_id": i.step_id, "attempt": i.attempt, "kind": i.kind})).collect::<Vec<_>>(),
            "audit": app.store.audit_entries(Some(&id), 100)?,
            "manual_decisions": s.manual_decisions,
            "deliveries": with_attempts,
            "final": s.status.is_final(),
        }))
    })
    .await?;
    Ok(axum::Json(value).into_response())
}

/// The session page: the pane, images, manual decision and audit trail.
pub async fn session_page(
    State(state): State<AppState>,
    op: Op,
    Path(id): Path<String>,
) -> Result<Response, WebError> {
    let app = state.app.clone();
    let id2 = id.clone();
    let (row, audit) = blocking(move || {
        let row = app
            .store
            .session(&id2)?
            .ok_or_else(|| ConsoleError::NotFound(format!("session {id2}")))?;
        Ok((row, app.store.audit_entries(Some(&id2), 200)?))
    })
    .await?;
    let s = &row.session;
    let decision = if s.status.accepts_manual_decision() {
        format!(
            "<form method=\"post\" action=\"/sessions/{id}/decision\" class=\"decision\" id=\"decision-form\">{csrf}\
<label>Decision <select name=\"decision\" id=\"decision\">{opts}</select></label>\
<label>Reason <textarea name=\"reason\" id=\"reason\" maxlength=\"4000\" required></textarea></label>\
<button type=\"submit\" id=\"decide\">Record decision</button></form>",
            id = esc(&s.id),
            csrf = html::csrf_field(&op.0),
            opts = html::options(
                [
                    ("approved", "approve"),
                    ("declined", "decline"),
                    ("blocked", "block")
                ],
                "declined"
            ),
        )
    } else {
        format!(
            "<p>The session is final ({}): no manual decision.</p>",
            s.status
        )
    };
    let mut trail = String::from(
        "<table class=\"audit\" id=\"audit-trail\"><tr><th>when</th><th>operator</th><th>action</th><th>detail</th></tr>",
    );
    for a in &audit {
        trail.push_str(&format!(
            "<tr data-action=\"{action}\"><td>{when}</td><td>{who}</td><td>{action}</td><td>{detail}</td></tr>",
            when = html::time(a.at_ms),
            who = esc(&a.operator_id),
            action = esc(&a.action),
            detail = esc(&a.detail),
        ));
    }
    trail.push_str("</table>");
    let faces = format!(
        "<form method=\"post\" action=\"/face-lists/add\" class=\"inline\" id=\"face-add\">{csrf}\
<input type=\"hidden\" name=\"session_id\" value=\"{id}\"><label>List <input name=\"list_id\" value=\"blacklist\" maxlength=\"128\"></label>\
<label>Person id <input name=\"person_id\" value=\"{id}\" maxlength=\"128\"></label><button type=\"submit\">Add the selfie face</button></form>",
        csrf = html::csrf_field(&op.0),
        id = esc(&s.id),
    );
    let body = format!(
        "<p><a href=\"/logs\">← KYC Logs</a></p><section class=\"pane wide\" id=\"pane\" data-session=\"{id}\"></section>\
<h2>Manual decision</h2>{decision}<h2>Audit trail</h2>{trail}<h2>Face lists</h2>{faces}",
        id = esc(&s.id)
    );
    Ok(html_response(html::page(
        &chrome(&state, &op),
        "/logs",
        &format!("Session {}", s.id),
        &body,
        &["console.js"],
    )))
}

/// What the decision form sends.
#[derive(Debug, Deserialize)]
pub struct DecisionForm {
    csrf: String,
    decision: String,
    reason: String,
}

/// Records an operator's decision.
pub async fn decision(
    State(state): State<AppState>,
    op: Op,
    Path(id): Path<String>,
    Form(form): Form<DecisionForm>,
) -> Result<Response, WebError> {
    op.check_csrf(&form.csrf)?;
    let decision: SessionStatus =
        serde_json::from_value(serde_json::Value::String(form.decision.clone())).map_err(|_| {
            ConsoleError::invalid("console.bad_decision", "approved, declined or blocked")
        })?;
    let app = state.app.clone();
    let operator = op.0.operator.username.clone();
    let id2 = id.clone();
    blocking(move || app.decide(&operator, &id2, decision, &form.reason)).await?;
    Ok(Redirect::to(&format!("/sessions/{id}")).into_response())
}

/// A capture's image (operators only).
pub async fn image(
    State(state): State<AppState>,
    _op: Op,
    Path((id, step, attempt, kind)): Path<(String, String, i64, String)>,
) -> Result<Response, WebError> {
    let app = state.app.clone();
    let bytes = blocking(move || app.store.image(&id, &step, attempt, &kind)).await?;
    let Some(bytes) = bytes else {
        return Ok(StatusCode::NOT_FOUND.into_response());
    };
    let ty = if bytes.starts_with(&[0xFF, 0xD8]) {
        "image/jpeg"
    } else if bytes.starts_with(b"\x89PNG") {
        "image/png"
    } else if bytes.len() > 12 && &bytes[8..12] == b"WEBP" {
        "image/webp"
    } else {
        "application/octet-stream"
    };
    Ok((
        [
            (header::CONTENT_TYPE, ty),
            (header::CACHE_CONTROL, "private, max-age=3600"),
        ],
        bytes,
    )
        .into_response())
}
