//! Sign-in: Argon2id-checked passwords, a random session cookie (HttpOnly, SameSite=Strict; only
//! its hash is stored), and a CSRF token per sign-in that every form and script POST carries.
//! The sign-in form itself carries a double-submit token (a cookie and a field that must agree).

use axum::Form;
use axum::extract::{FromRequestParts, State};
use axum::http::HeaderMap;
use axum::http::request::Parts;
use axum::response::{IntoResponse, Redirect, Response};
use serde::Deserialize;

use super::{AppState, WebError, blocking, cookie, html, set_cookie};
use crate::error::ConsoleError;
use crate::store::WebSession;

/// The session cookie's name.
pub const SESSION_COOKIE: &str = "kyc_session";
const LOGIN_COOKIE: &str = "kyc_login";

/// A signed-in operator, from the request's cookie; otherwise a redirect to the sign-in page.
#[derive(Clone, Debug)]
pub struct Op(pub WebSession);

impl FromRequestParts<AppState> for Op {
    type Rejection = Response;

    async fn from_request_parts(
        parts: &mut Parts,
        state: &AppState,
    ) -> Result<Self, Self::Rejection> {
        let Some(value) = cookie(&parts.headers, SESSION_COOKIE) else {
            return Err(Redirect::to("/login").into_response());
        };
        let app = state.app.clone();
        match blocking(move || app.store.web_session(&value)).await {
            Ok(Some(s)) => Ok(Op(s)),
            Ok(None) => Err(Redirect::to("/login").into_response()),
            Err(e) => Err(WebError(e).into_response()),
        }
    }
}

impl Op {
    /// Refuses a form or request whose CSRF token is not this sign-in's.
    pub fn check_csrf(&self, token: &str) -> Result<(), ConsoleError> {
        let a = self.0.csrf.as_bytes();
        let b = token.as_bytes();
        let same =
            a.len() == b.len() && a.iter().zip(b).fold(0u8, |acc, (x, y)| acc | (x ^ y)) == 0;
        if same {
            Ok(())
        } else {
            Err(ConsoleError::Forbidden("missing or wrong CSRF token"))
        }
    }

    /// The same, for a script's `x-csrf-token` header.
    pub fn check_header(&self, headers: &HeaderMap) -> Result<(), ConsoleError> {
        let token = headers
            .get("x-csrf-token")
            .and_then(|v| v.to_str().ok())
            .unwrap_or_default();
        self.check_csrf(token)
    }

    /// The operator's id.
    pub fn id(&self) -> &str {
        &self.0.operator.id
    }
}

fn login_form(token: &str, error: Option<&str>) -> String {
    let error = error
        .map(|e| format!("<p class=\"error\" id=\"login-error\">{}</p>", html::esc(e)))
        .unwrap_or_default();
    html::bare(
        "kyc console: sign in",
        &format!(
            "{error}<form method=\"post\" action=\"/login\" class=\"login\">\
<input type=\"hidden\" name=\"csrf\" value=\"{token}\">\
<label>User <input name=\"username\" id=\"username\" autocomplete=\"username\" maxlength=\"64\" required></label>\
<label>Password <input type=\"password\" name=\"password\" id=\"password\" autocomplete=\"current-password\" maxlength=\"256\" required></label>\
<button type=\"submit\" id=\"sign-in\">Sign in</button></form>"
        ),
        &[],
    )
}

/// The sign-in page.
pub async fn login_page() -> Response {
    let token = crate::random_token().unwrap_or_default();
    let mut response = super::html_response(login_form(&token, None));
    let (k, v) = set_cookie(LOGIN_COOKIE, &token, "/login", 3600);
    response.headers_mut().insert(k, v);
    response
}

/// What the sign-in form sends.
#[derive(Deserialize)]
pub struct LoginForm {
    csrf: String,
    username: String,
    password: String,
}

impl std::fmt::Debug for LoginForm {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("LoginForm")
            .field("username", &self.username)
            .finish_non_exhaustive()
    }
}

/// Checks the password; signs in.
pub async fn login(
    State(state): State<AppState>,
    headers: HeaderMap,
    Form(form): Form<LoginForm>,
) -> Response {
    let expected = cookie(&headers, LOGIN_COOKIE).unwrap_or_default();
    if expected.is_empty() || expected != form.csrf {
        return (
            axum::http::StatusCode::FORBIDDEN,
            super::html_response(login_form(
                &expected,
                Some("The form expired: reload the page."),
            )),
        )
            .into_response();
    }
    let app = state.app.clone();
    let username = form.username.clone();
    let checked = blocking(move || {
        let Some(op) = app.store.check_password(&form.username, &form.password)? else {
            return Ok(None);
        };
        let (cookie, _csrf) = app.store.open_web_session(&op)?;
        app.store.audit(&op.username, "sign_in", &op.username, "")?;
        Ok(Some(cookie))
    })
    .await;
    match checked {
        Ok(Some(value)) => {
            let mut r = Redirect::to("/logs").into_response();
            let (k, v) = set_cookie(
                SESSION_COOKIE,
                &value,
                "/",
                crate::store::operators_web_session_seconds(),
            );
            r.headers_mut().insert(k, v);
            r
        }
        Ok(None) => {
            eprintln!(
                "console: failed sign-in for {:?}",
                username.chars().take(64).collect::<String>()
            );
            (
                axum::http::StatusCode::UNAUTHORIZED,
                super::html_response(login_form(&expected, Some("Wrong user or password."))),
            )
                .into_response()
        }
        Err(e) => WebError(e).into_response(),
    }
}

/// What the sign-out form sends.
#[derive(Debug, Deserialize)]
pub struct CsrfForm {
    csrf: String,
}

/// Signs out.
pub async fn logout(
    State(state): State<AppState>,
    op: Op,
    headers: HeaderMap,
    Form(form): Form<CsrfForm>,
) -> Response {
    if let Err(e) = op.check_csrf(&form.csrf) {
        return WebError(e).into_response();
    }
    let value = cookie(&headers, SESSION_COOKIE).unwrap_or_default();
    let app = state.app.clone();
    let _ = blocking(move || app.store.close_web_session(&value)).await;
    let mut r = Redirect::to("/login").into_response();
    let (k, v) = set_cookie(SESSION_COOKIE, "", "/", 0);
    r.headers_mut().insert(k, v);
    r
}
