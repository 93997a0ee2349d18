//! Face lists: add the selfie face of a session to a list, remove a person, search a list with a
//! photo; every change in the operator audit.

use std::fmt::Write as _;

use axum::Form;
use axum::extract::{Multipart, State};
use axum::response::{IntoResponse, Redirect, Response};
use serde::Deserialize;

use super::html::{self, esc};
use super::{AppState, Op, WebError, blocking, html_response};
use crate::error::ConsoleError;

/// The fields of a multipart form, each bounded: text fields to 4 KiB, files to the image limit.
pub async fn read_multipart(mut mp: Multipart) -> Result<Vec<(String, Vec<u8>)>, ConsoleError> {
    let mut out = Vec::new();
    while let Some(field) = mp
        .next_field()
        .await
        .map_err(|e| ConsoleError::invalid("console.bad_upload", e.body_text()))?
    {
        let name = field.name().unwrap_or_default().to_owned();
        let is_file = field.file_name().is_some();
        let bytes = field
            .bytes()
            .await
            .map_err(|e| ConsoleError::invalid("console.bad_upload", e.body_text()))?;
        let limit = if is_file {
            crate::app::MAX_IMAGE_BYTES
        } else {
            4096
        };
        if bytes.len() > limit {
            return Err(ConsoleError::TooLarge { limit });
        }
        if out.len() >= crate::app::MAX_IMAGES + 8 {
            return Err(ConsoleError::invalid(
                "console.bad_upload",
                "too many fields",
            ));
        }
        out.push((name, bytes.to_vec()));
    }
    Ok(out)
}

/// A text field of a multipart form.
pub fn text_field(fields: &[(String, Vec<u8>)], name: &str) -> String {
    fields
        .iter()
        .find(|(n, _)| n == name)
        .map(|(_, v)| String::from_utf8_lossy(v).trim().to_owned())
        .unwrap_or_default()
}

async fn render(state: &AppState, op: &Op, found: Option<String>) -> Result<Response, WebError> {
    let app = state.app.clone();
    let lists = blocking(move || {
        let mut out = Vec::new();
        for (id, n) in app.store.face_lists()? {
            let entries = app.store.face_entries(&id, 200)?;
            out.push((id, n, entries));
        }
        Ok(out)
    })
    .await?;
    let csrf = html::csrf_field(&op.0);
    let mut body = String::new();
    if let Some(found) = found {
        let _ = write!(
            body,
            "<p class=\"notice\" id=\"search-result\">{}</p>",
            esc(&found)
        );
    }
    let _ = write!(
        body,
        "<form method=\"post\" action=\"/face-lists/add\" class=\"filters\">{csrf}<label>Session <input name=\"session_id\" required maxlength=\"128\"></label>\
<label>List <input name=\"list_id\" value=\"blacklist\" required maxlength=\"128\"></label><label>Person id <input name=\"person_id\" required maxlength=\"128\"></label>\
<button type=\"submit\">Add the session's selfie face</button></form>\
<form method=\"post\" action=\"/face-lists/search\" enctype=\"multipart/form-data\" class=\"filters\">{csrf}<label>List <input name=\"list_id\" value=\"blacklist\" required maxlength=\"128\"></label>\
<label>Photo <input type=\"file\" name=\"image\" accept=\"image/*\" required></label><button type=\"submit\">Search</button></form>"
    );
    for (id, n, entries) in &lists {
        let _ = write!(
            body,
            "<h2>{} <small>{n} people</small></h2><table class=\"report\" data-list=\"{0}\"><tr><th>person</th><th>model</th><th>from session</th><th>added</th><th></th></tr>",
            esc(id)
        );
        for e in entries {
            let _ = write!(
                body,
                "<tr><td>{p}</td><td>{m}</td><td>{s}</td><td>{t}</td><td><form method=\"post\" action=\"/face-lists/remove\" class=\"inline\">{csrf}\
<input type=\"hidden\" name=\"list_id\" value=\"{l}\"><input type=\"hidden\" name=\"person_id\" value=\"{p}\"><button type=\"submit\">Remove</button></form></td></tr>",
                p = esc(&e.person_id),
                m = esc(&e.model),
                l = esc(&e.list_id),
                s = e
                    .source_session
                    .as_deref()
                    .map(|s| format!("<a href=\"/sessions/{0}\">{0}</a>", esc(s)))
                    .unwrap_or_default(),
                t = html::time(e.created_ms),
            );
        }
        body.push_str("</table>");
    }
    Ok(html_response(html::page(
        &super::logs::chrome(state, op),
        "/face-lists",
        "Face lists",
        &body,
        &[],
    )))
}

/// The face lists page.
pub async fn page(State(state): State<AppState>, op: Op) -> Result<Response, WebError> {
    render(&state, &op, None).await
}

/// The add form.
#[derive(Debug, Deserialize)]
pub struct AddForm {
    csrf: String,
    session_id: String,
    list_id: String,
    person_id: String,
}

/// Adds a session's selfie face.
pub async fn add(
    State(state): State<AppState>,
    op: Op,
    Form(f): Form<AddForm>,
) -> Result<Response, WebError> {
    op.check_csrf(&f.csrf)?;
    let app = state.app.clone();
    let operator = op.0.operator.username.clone();
    blocking(move || app.add_session_face(&operator, &f.session_id, &f.list_id, &f.person_id))
        .await?;
    Ok(Redirect::to("/face-lists").into_response())
}

/// The remove form.
#[derive(Debug, Deserialize)]
pub struct RemoveForm {
    csrf: String,
    list_id: String,
    person_id: String,
}

/// Removes a person.
pub async fn remove(
    State(state): State<AppState>,
    op: Op,
    Form(f): Form<RemoveForm>,
) -> Result<Response, WebError> {
    op.check_csrf(&f.csrf)?;
    let app = state.app.clone();
    let operator = op.0.operator.username.clone();
    blocking(move || {
        if app.store.remove_face(&f.list_id, &f.person_id)? {
            app.store
                .audit(&operator, "face_removed", &f.list_id, &f.person_id)?;
        }
        Ok(())
    })
    .await?;
    Ok(Redirect::to("/face-lists").into_response())
}

/// Searches a list with a photo.
pub async fn search(
    State(state): State<AppState>,
    op: Op,
    mp: Multipart,
) -> Result<Response, WebError> {
    let fields = read_multipart(mp).await?;
    op.check_csrf(&text_field(&fields, "csrf"))?;
    let list_id = text_field(&fields, "list_id");
    let image = fields
        .into_iter()
        .find(|(n, _)| n == "image")
        .map(|(_, b)| b)
        .unwrap_or_default();
    let app = state.app.clone();
    let _permit = state
        .analyses
        .acquire()
        .await
        .map_err(|e| ConsoleError::Internal(e.to_string()))?;
    let l2 = list_id.clone();
    let hit = blocking(move || app.search_face(&l2, image)).await?;
    let text = match hit {
        Some(h) => format!(
            "Closest in {list_id}: {} with similarity {:.4} (threshold {:.2}): {}",
            h.person_id,
            h.score,
            h.threshold,
            if h.score >= h.threshold {
                "a hit"
            } else {
                "no hit"
            }
        ),
        None => format!("{list_id} is empty"),
    };
    render(&state, &op, Some(text)).await
}
