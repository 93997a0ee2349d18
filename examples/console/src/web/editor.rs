//! KYC Editor: scenarios listed, created, edited and deleted. The form is built in the page from
//! the published scenario JSON Schema (`kyc_core::schema::scenario()`); saving sends the JSON,
//! the core validates it (`Scenario::from_json`) and every violation comes back with its JSON path
//! for the page to show at its field. The secret key is write-only: pages never receive it; a new
//! scenario gets a random one unless the operator types one, an edit keeps it unless replaced.

use std::fmt::Write as _;

use axum::Form;
use axum::extract::{Path, State};
use axum::http::HeaderMap;
use axum::response::{IntoResponse, Redirect, Response};
use kyc_core::Scenario;
use serde::Deserialize;

use super::html::{self, esc};
use super::{ApiError, AppState, Op, WebError, blocking, html_response};
use crate::error::ConsoleError;

/// JSON for a `<script type="application/json">` block.
pub fn script_json(v: &serde_json::Value) -> String {
    v.to_string()
        .replace('<', "\\u003c")
        .replace('>', "\\u003e")
        .replace('&', "\\u0026")
}

/// The list.
pub async fn list(State(state): State<AppState>, op: Op) -> Result<Response, WebError> {
    let app = state.app.clone();
    let rows = blocking(move || app.store.scenarios()).await?;
    let mut body = String::from(
        "<p><a class=\"button\" id=\"new-scenario\" href=\"/editor/new\">New scenario</a></p><table class=\"report\" id=\"scenarios\"><tr><th>id</th><th>name</th><th>steps</th><th>callback</th><th>updated</th><th></th></tr>",
    );
    for r in &rows {
        let s = &r.scenario;
        let steps: Vec<String> = s.steps.iter().map(|st| st.id().to_owned()).collect();
        let _ = write!(
            body,
            "<tr data-scenario=\"{id}\"><td><a href=\"/editor/{id}\">{id}</a></td><td>{name}</td><td>{steps}</td><td>{cb}</td><td>{updated}</td>\
<td><form method=\"post\" action=\"/editor/{id}/delete\" class=\"inline\" onsubmit=\"return confirm('Delete this scenario?')\">{csrf}<button type=\"submit\">Delete</button></form></td></tr>",
            id = esc(&s.id),
            name = esc(&s.name),
            steps = esc(&steps.join(", ")),
            cb = esc(s.callback.as_ref().map(|c| c.url.as_str()).unwrap_or("-")),
            updated = html::time(r.updated_ms),
            csrf = html::csrf_field(&op.0),
        );
    }
    body.push_str("</table>");
    Ok(html_response(html::page(
        &super::logs::chrome(&state, &op),
        "/editor",
        "KYC Editor",
        &body,
        &[],
    )))
}

fn template() -> serde_json::Value {
    serde_json::json!({
        "id": "new-scenario",
        "name": "New scenario",
        "limits": {"critical_errors_before_block": 3, "failed_attempts_allowed": 3, "retention_days": 90, "session_lifetime_minutes": 60},
        "steps": [
            {"document": {"id": "passport", "document_types": ["passport"], "sides": ["front"], "capture_orientation": "horizontal"}},
            {"selfie": {"id": "selfie"}}
        ]
    })
}

fn editor_page(
    state: &AppState,
    op: &Op,
    mode: &str,
    version: i64,
    public: &serde_json::Value,
) -> Response {
    let body = format!(
        "<div id=\"editor\" data-mode=\"{mode}\" data-version=\"{version}\">\
<p class=\"hint\">Built from the scenario JSON Schema. Every problem the engine finds is shown at its field.</p>\
<div id=\"violations\" class=\"violations\"></div>\
<form id=\"scenario-form\" autocomplete=\"off\"><div id=\"form-root\"></div>\
<fieldset class=\"secret\"><legend>secret_key</legend><label>{secret_label} <input type=\"password\" id=\"secret-key\" autocomplete=\"new-password\" maxlength=\"512\"></label></fieldset>\
<p><button type=\"submit\" id=\"save\">Save scenario</button> <span id=\"save-status\"></span></p></form>\
<details><summary>JSON</summary><textarea id=\"json-view\" rows=\"20\" readonly></textarea></details></div>\
<script type=\"application/json\" id=\"scenario-data\">{data}</script>",
        secret_label = if mode == "create" {
            "Secret key (empty: a random one)"
        } else {
            "New secret key (empty: keep the current one)"
        },
        data = script_json(public),
    );
    html_response(html::page(
        &super::logs::chrome(state, op),
        "/editor",
        if mode == "create" {
            "New scenario"
        } else {
            "Edit scenario"
        },
        &body,
        &["editor.js"],
    ))
}

/// A new scenario's form.
pub async fn new_page(State(state): State<AppState>, op: Op) -> Response {
    editor_page(&state, &op, "create", 0, &template())
}

/// An existing scenario's form (without its secret).
pub async fn edit_page(
    State(state): State<AppState>,
    op: Op,
    Path(id): Path<String>,
) -> Result<Response, WebError> {
    let app = state.app.clone();
    let row = blocking(move || {
        app.store
            .scenario(&id)?
            .ok_or_else(|| ConsoleError::NotFound(format!("scenario {id}")))
    })
    .await?;
    let public: serde_json::Value =
        serde_json::from_str(&row.scenario.to_public_json()).unwrap_or_default();
    Ok(editor_page(&state, &op, "edit", row.version, &public))
}

/// The scenario JSON Schema.
pub async fn schema() -> Response {
    axum::Json(kyc_core::schema::scenario()).into_response()
}

/// What the editor sends.
#[derive(Deserialize)]
pub struct SaveRequest {
    mode: String,
    #[serde(default)]
    version: i64,
    scenario: serde_json::Value,
    #[serde(default)]
    secret_key: String,
}

impl std::fmt::Debug for SaveRequest {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("SaveRequest")
            .field("mode", &self.mode)
            .finish_non_exhaustive()
    }
}

/// Validates and saves; `{id}` or every violation with its path.
pub async fn save(
    State(state): State<AppState>,
    op: Op,
    headers: HeaderMap,
    axum::Json(req): axum::Json<SaveRequest>,
) -> Result<Response, ApiError> {
    op.check_header(&headers)?;
    let app = state.app.clone();
    let operator = op.0.operator.username.clone();
    let id = blocking(move || {
        let serde_json::Value::Object(mut object) = req.scenario else {
            return Err(ConsoleError::invalid(
                "json.invalid_type",
                "the scenario must be a JSON object",
            ));
        };
        let id = object
            .get("id")
            .and_then(|v| v.as_str())
            .unwrap_or_default()
            .to_owned();
        let existing = if req.mode == "edit" {
            app.store.scenario(&id)?
        } else {
            None
        };
        if req.mode == "edit" && existing.is_none() {
            return Err(ConsoleError::NotFound(format!("scenario {id}")));
        }
        let secret = if !req.secret_key.is_empty() {
            req.secret_key.clone()
        } else if let Some(row) = &existing {
            String::from_utf8_lossy(row.scenario.secret_key.expose()).into_owned()
        } else {
            crate::random_hex(32)?
        };
        object.insert("secret_key".to_owned(), serde_json::Value::String(secret));
        let text = serde_json::Value::Object(object).to_string();
        let scenario = Scenario::from_json(&text)?;
        match existing {
            Some(_) => app.store.update_scenario(&scenario, req.version)?,
            None => app.store.insert_scenario(&scenario)?,
        }
        app.store
            .audit(&operator, "scenario_saved", &scenario.id, &req.mode)?;
        Ok(scenario.id)
    })
    .await?;
    Ok(axum::Json(serde_json::json!({ "id": id })).into_response())
}

/// The delete form.
#[derive(Debug, Deserialize)]
pub struct DeleteForm {
    csrf: String,
}

/// Deletes a scenario.
pub async fn delete(
    State(state): State<AppState>,
    op: Op,
    Path(id): Path<String>,
    Form(form): Form<DeleteForm>,
) -> Result<Response, WebError> {
    op.check_csrf(&form.csrf)?;
    let app = state.app.clone();
    let operator = op.0.operator.username.clone();
    blocking(move || {
        if app.store.delete_scenario(&id)? {
            app.store.audit(&operator, "scenario_deleted", &id, "")?;
        }
        Ok(())
    })
    .await?;
    Ok(Redirect::to("/editor").into_response())
}
