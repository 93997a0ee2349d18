//! The capture page a link opens. `/l/{token}` spends the link (once, however many open it at
//! once), opens the session and sets a capture cookie reaching that session only; `/capture` shows
//! the scenario's steps (its description, never its secret), pre-checks each document photo in the
//! page with kyc-wasm (`precheckImage` with the step's capture orientation) and uploads it; the
//! engine decides and the link's status follows the session.

use std::fmt::Write as _;

use axum::extract::{Multipart, Path, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Redirect, Response};

use super::html::{self, esc};
use super::{ApiError, AppState, WebError, blocking, cookie, html_response, set_cookie};
use crate::error::ConsoleError;

const CAPTURE_COOKIE: &str = "kyc_capture";

/// Opens a link.
pub async fn open(State(state): State<AppState>, Path(token): Path<String>) -> Response {
    let app = state.app.clone();
    match blocking(move || app.open_link(&token)).await {
        Ok((grant, _session)) => {
            let mut r = Redirect::to("/capture").into_response();
            let (k, v) = set_cookie(
                CAPTURE_COOKIE,
                &grant,
                "/capture",
                crate::app::CAPTURE_GRANT_MS / 1000,
            );
            r.headers_mut().insert(k, v);
            r
        }
        Err(e) => {
            let status = match &e {
                ConsoleError::Invalid { code, .. }
                    if code == "link.already_used" || code == "link.expired" =>
                {
                    StatusCode::GONE
                }
                ConsoleError::Invalid { .. } | ConsoleError::Forbidden(_) => StatusCode::FORBIDDEN,
                _ => StatusCode::from_u16(e.status()).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR),
            };
            if status.is_server_error() {
                eprintln!("console: link: {}: {e}", e.code());
            }
            let body = html::bare(
                "This link cannot be used",
                &format!(
                    "<p class=\"error\" data-code=\"{code}\">{code}: {msg}</p>",
                    code = esc(&e.code()),
                    msg = esc(&e.to_string())
                ),
                &[],
            );
            (status, html_response(body)).into_response()
        }
    }
}

async fn granted(state: &AppState, headers: &HeaderMap) -> Result<String, ConsoleError> {
    let grant = cookie(headers, CAPTURE_COOKIE)
        .ok_or(ConsoleError::Forbidden("open the link you were sent"))?;
    if grant.len() > 128 {
        return Err(ConsoleError::Forbidden("open the link you were sent"));
    }
    let app = state.app.clone();
    blocking(move || {
        app.store
            .capture_session(&crate::store::operators_token_hash(&grant), crate::now_ms())
    })
    .await?
    .ok_or(ConsoleError::Forbidden("open the link you were sent"))
}

/// The capture page.
pub async fn page(State(state): State<AppState>, headers: HeaderMap) -> Result<Response, WebError> {
    let session_id = granted(&state, &headers).await?;
    let app = state.app.clone();
    let (session, scenario) = blocking(move || {
        let row = app
            .store
            .session(&session_id)?
            .ok_or_else(|| ConsoleError::NotFound("session".into()))?;
        let scenario = app.scenario(&row.session.scenario_id)?;
        Ok((row.session, scenario))
    })
    .await?;
    let description = state.app.describe(&scenario);
    let description_json = serde_json::to_value(&description).unwrap_or_default();
    let next = crate::app::next_step(&scenario, &session);
    let mut body = format!(
        "<p>{name}</p><p id=\"precheck-note\" class=\"hint\">{wasm}</p><div id=\"capture\" data-session=\"{sid}\" data-status=\"{status}\" data-next=\"{next}\">",
        name = esc(&description.name),
        wasm = if state.app.config.wasm_dir.is_some() {
            "Each document photo is checked in this page before it is sent."
        } else {
            "The in-page pre-check is not installed on this console; photos are checked on upload."
        },
        sid = esc(&session.id),
        status = session.status.as_str(),
        next = esc(next.as_deref().unwrap_or("")),
    );
    for step in &description.steps {
        let kind = crate::app::serde_word(&step.kind);
        let _ = write!(
            body,
            "<section class=\"step\" data-step=\"{id}\" data-kind=\"{kind}\" data-orientation=\"{o}\"><h2>{kind}: {id}</h2>",
            id = esc(&step.id),
            o = step
                .capture_orientation
                .map(|o| crate::app::serde_word(&o))
                .unwrap_or_default()
        );
        for image in &step.images {
            let word = crate::app::kind_word(*image);
            let multiple = if word == "liveness_frame" {
                " multiple"
            } else {
                ""
            };
            let _ = write!(
                body,
                "<label>{word} <input type=\"file\" accept=\"image/*\" capture=\"environment\" data-image=\"{word}\" name=\"{word}\"{multiple}></label><div class=\"precheck\" data-for=\"{word}\"></div>"
            );
        }
        let _ = write!(
            body,
            "<button type=\"button\" class=\"send\" data-step=\"{id}\">Send</button><p class=\"outcome\"></p></section>",
            id = esc(&step.id)
        );
    }
    let _ = write!(
        body,
        "</div><p id=\"final\" class=\"final\"></p><script type=\"application/json\" id=\"description\">{}</script>",
        super::editor::script_json(&description_json)
    );
    let wasm_flag = if state.app.config.wasm_dir.is_some() {
        "1"
    } else {
        "0"
    };
    let body = body.replace(
        "<div id=\"capture\"",
        &format!("<div data-wasm=\"{wasm_flag}\" id=\"capture-root\"></div><div id=\"capture\""),
    );
    Ok(html_response(html::bare(
        "Identity check",
        &body,
        &["capture.js"],
    )))
}

/// One capture from the page: `step_id` and the images by kind.
pub async fn submit(
    State(state): State<AppState>,
    headers: HeaderMap,
    mp: Multipart,
) -> Result<Response, ApiError> {
    let session_id = granted(&state, &headers).await?;
    let fields = super::faces::read_multipart(mp).await?;
    let step_id = super::faces::text_field(&fields, "step_id");
    let mut images = Vec::new();
    for (name, bytes) in fields {
        if let Some(kind) = crate::app::kind_of(&name)
            && !bytes.is_empty()
        {
            images.push((kind, bytes));
        }
    }
    let _permit = state
        .analyses
        .acquire()
        .await
        .map_err(|e| ConsoleError::Internal(e.to_string()))?;
    let app = state.app.clone();
    let view = blocking(move || app.submit(&session_id, &step_id, &images)).await?;
    Ok(axum::Json(view).into_response())
}
