//! The console's HTTP side (axum): the operator's pages behind sign-in and CSRF tokens, the
//! capture page behind a link's token, and the console's own scripts and styles. Database work
//! runs on blocking threads; analyses are limited to two at once (the machine's cores).

mod auth;
mod capture;
mod editor;
mod faces;
pub mod html;
mod links;
mod logs;
mod ops;
mod reports;

use std::sync::Arc;

use axum::Router;
use axum::body::Body;
use axum::extract::{DefaultBodyLimit, Path, State};
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::{get, post};

use crate::app::App;
use crate::error::ConsoleError;

pub use auth::Op;

/// Shared state of every handler.
#[derive(Clone, Debug)]
pub struct AppState {
    /// The console.
    pub app: Arc<App>,
    /// Analyses running at once.
    pub analyses: Arc<tokio::sync::Semaphore>,
}

/// Largest request body: a capture of a few images.
pub const MAX_BODY: usize = 3 * crate::app::MAX_IMAGE_BYTES + 64 * 1024;

/// The router.
pub fn router(app: Arc<App>) -> Router {
    let state = AppState {
        app,
        analyses: Arc::new(tokio::sync::Semaphore::new(2)),
    };
    Router::new()
        .route("/", get(|| async { Redirect::to("/logs") }))
        .route("/login", get(auth::login_page).post(auth::login))
        .route("/logout", post(auth::logout))
        .route("/logs", get(logs::page))
        .route("/logs/stream", get(logs::stream))
        .route("/api/sessions/{id}", get(logs::session_json))
        .route(
            "/sessions/new",
            get(ops::new_session_page).post(ops::new_session),
        )
        .route("/sessions/{id}", get(logs::session_page))
        .route("/sessions/{id}/decision", post(logs::decision))
        .route(
            "/sessions/{id}/images/{step}/{attempt}/{kind}",
            get(logs::image),
        )
        .route("/reports", get(reports::page))
        .route("/reports.csv", get(reports::csv))
        .route("/editor", get(editor::list))
        .route("/editor/new", get(editor::new_page))
        .route("/editor/{id}", get(editor::edit_page))
        .route("/editor/{id}/delete", post(editor::delete))
        .route("/api/scenarios", post(editor::save))
        .route("/schema/scenario.json", get(editor::schema))
        .route("/links", get(links::page).post(links::make))
        .route("/links.csv", get(links::csv))
        .route("/face-lists", get(faces::page))
        .route("/face-lists/add", post(faces::add))
        .route("/face-lists/remove", post(faces::remove))
        .route("/face-lists/search", post(faces::search))
        .route("/callbacks", get(ops::callbacks))
        .route("/retention", get(ops::retention))
        .route("/retention/run", post(ops::retention_run))
        .route("/audit", get(ops::audit))
        .route("/l/{token}", get(capture::open))
        .route("/capture", get(capture::page))
        .route("/capture/submit", post(capture::submit))
        .route("/assets/{file}", get(asset))
        .route("/wasm/{file}", get(wasm))
        .route("/health", get(|| async { "ok" }))
        .layer(DefaultBodyLimit::max(MAX_BODY))
        .with_state(state)
}

/// Runs `f` on a blocking thread.
pub async fn blocking<T: Send + 'static>(
    f: impl FnOnce() -> crate::Result<T> + Send + 'static,
) -> crate::Result<T> {
    tokio::task::spawn_blocking(f)
        .await
        .map_err(|e| ConsoleError::Internal(format!("worker: {e}")))?
}

/// An error as a page.
#[derive(Debug)]
pub struct WebError(pub ConsoleError);

impl From<ConsoleError> for WebError {
    fn from(e: ConsoleError) -> Self {
        Self(e)
    }
}

impl IntoResponse for WebError {
    fn into_response(self) -> Response {
        let status =
            StatusCode::from_u16(self.0.status()).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR);
        if status.is_server_error() {
            eprintln!("console: {}: {}", self.0.code(), self.0);
        }
        let body = html::bare(
            "Something went wrong",
            &format!(
                "<p class=\"error\" data-code=\"{code}\">{code}: {msg}</p><p><a href=\"/\">Back</a></p>",
                code = html::esc(&self.0.code()),
                msg = html::esc(&self.0.to_string())
            ),
            &[],
        );
        (
            status,
            [(header::CONTENT_TYPE, "text/html; charset=utf-8")],
            body,
        )
            .into_response()
    }
}

/// An error as JSON: code, message and (for scenarios) every violation with its path.
#[derive(Debug)]
pub struct ApiError(pub ConsoleError);

impl From<ConsoleError> for ApiError {
    fn from(e: ConsoleError) -> Self {
        Self(e)
    }
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        let status =
            StatusCode::from_u16(self.0.status()).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR);
        if status.is_server_error() {
            eprintln!("console: {}: {}", self.0.code(), self.0);
        }
        let violations = match &self.0 {
            ConsoleError::Engine(e) => serde_json::to_value(&e.violations).unwrap_or_default(),
            _ => serde_json::Value::Array(Vec::new()),
        };
        let body = serde_json::json!({
            "code": self.0.code(),
            "message": self.0.to_string(),
            "violations": violations,
        });
        (status, axum::Json(body)).into_response()
    }
}

/// HTML with no caching.
pub fn html_response(body: String) -> Response {
    (
        [
            (header::CONTENT_TYPE, "text/html; charset=utf-8"),
            (header::CACHE_CONTROL, "no-store"),
        ],
        body,
    )
        .into_response()
}

const ASSETS: &[(&str, &str, &str)] = &[
    (
        "console.css",
        "text/css",
        include_str!("../../assets/console.css"),
    ),
    (
        "console.js",
        "text/javascript",
        include_str!("../../assets/console.js"),
    ),
    (
        "editor.js",
        "text/javascript",
        include_str!("../../assets/editor.js"),
    ),
    (
        "capture.js",
        "text/javascript",
        include_str!("../../assets/capture.js"),
    ),
];

async fn asset(Path(file): Path<String>) -> Response {
    match ASSETS.iter().find(|(name, _, _)| *name == file) {
        Some((_, ty, body)) => ([(header::CONTENT_TYPE, *ty)], *body).into_response(),
        None => StatusCode::NOT_FOUND.into_response(),
    }
}

/// The kyc-wasm package's files, from the folder `scripts/build_wasm.sh` wrote.
async fn wasm(State(state): State<AppState>, Path(file): Path<String>) -> Response {
    let allowed = ["kyc_wasm.js", "kyc_wasm_bg.wasm"];
    let Some(dir) = state.app.config.wasm_dir.clone() else {
        return StatusCode::NOT_FOUND.into_response();
    };
    if !allowed.contains(&file.as_str()) {
        return StatusCode::NOT_FOUND.into_response();
    }
    match tokio::fs::read(dir.join(&file)).await {
        Ok(bytes) => {
            let ty = if file.ends_with(".wasm") {
                "application/wasm"
            } else {
                "text/javascript"
            };
            ([(header::CONTENT_TYPE, ty)], Body::from(bytes)).into_response()
        }
        Err(_) => StatusCode::NOT_FOUND.into_response(),
    }
}

/// A cookie's value from the request.
pub fn cookie(headers: &HeaderMap, name: &str) -> Option<String> {
    headers
        .get_all(header::COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(';'))
        .filter_map(|kv| kv.trim().split_once('='))
        .find(|(k, _)| *k == name)
        .map(|(_, v)| v.to_owned())
}

/// A `Set-Cookie` header: HttpOnly, SameSite=Strict, the path given.
pub fn set_cookie(
    name: &str,
    value: &str,
    path: &str,
    max_age: i64,
) -> (header::HeaderName, HeaderValue) {
    let v = format!("{name}={value}; Path={path}; HttpOnly; SameSite=Strict; Max-Age={max_age}");
    (
        header::SET_COOKIE,
        HeaderValue::from_str(&v).unwrap_or_else(|_| HeaderValue::from_static("")),
    )
}
