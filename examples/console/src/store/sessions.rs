//! Sessions (the engine's JSON plus indexed columns for the Reports filters), their events and
//! their images. A session is saved by compare-and-set on its `version`, so two processes (or two
//! requests) that moved the same session cannot both win: the loser reloads and tries again.

use kyc_core::report::ReportRow;
use kyc_core::session::SessionKey;
use kyc_core::{Session, SessionEvent};

use super::Store;
use crate::db::{Conn, Row, Value};
use crate::error::{ConsoleError, Result};

/// A session as stored.
#[derive(Clone, Debug)]
pub struct SessionRow {
    /// The engine's session.
    pub session: Session,
    /// Its compare-and-set version.
    pub version: i64,
    /// The link it was opened from.
    pub link_id: Option<String>,
}

/// An image of a capture.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct StoredImage {
    /// The step.
    pub step_id: String,
    /// 1-based attempt.
    pub attempt: i64,
    /// `document_front`, `selfie`, ...
    pub kind: String,
}

/// Text as the Reports filters compare it: lower case (Latin, Cyrillic and every other cased
/// script, by Unicode's rules), `ё` as `е`, runs of whitespace as one space.
pub fn fold(text: &str) -> String {
    text.split_whitespace()
        .map(|w| w.to_lowercase().replace('ё', "е"))
        .collect::<Vec<_>>()
        .join(" ")
}

/// The indexed columns of `session`: folded full name, surname, document number, city, and the
/// error codes as `;a;b;`.
pub fn index_columns(
    session: &Session,
) -> (
    Option<String>,
    Option<String>,
    Option<String>,
    Option<String>,
    String,
) {
    let row = ReportRow::from_session(session);
    let city = row
        .field("city")
        .or_else(|| row.field("place_of_birth"))
        .map(fold);
    let codes = if row.error_codes.is_empty() {
        String::new()
    } else {
        format!(";{};", row.error_codes.join(";"))
    };
    (
        row.full_name.as_deref().map(fold),
        row.surname.as_deref().map(fold),
        row.document_number.as_deref().map(fold),
        city,
        codes,
    )
}

fn origin_word(session: &Session) -> &'static str {
    match session.origin {
        kyc_core::session::Origin::Api => "api",
        kyc_core::session::Origin::Link { .. } => "link",
        kyc_core::session::Origin::Manual { .. } => "manual",
    }
}

/// The values of an INSERT of `session` (columns as in [`INSERT_SESSION`]), its JSON sealed under
/// `key` when there is one.
pub fn session_row_of(
    session: &Session,
    link_id: Option<&str>,
    key: Option<&SessionKey>,
) -> Vec<Value> {
    let (full_name, surname, number, city, codes) = index_columns(session);
    vec![
        session.id.as_str().into(),
        session.scenario_id.as_str().into(),
        session.status.as_str().into(),
        origin_word(session).into(),
        link_id.map(str::to_owned).into(),
        Value::Int(session.created_at.as_millisecond()),
        Value::Int(session.updated_at.as_millisecond()),
        full_name.into(),
        surname.into(),
        number.into(),
        city.into(),
        codes.into(),
        session.store(key).into(),
    ]
}

/// Inserts a session at version 1.
pub const INSERT_SESSION: &str = "INSERT INTO sessions (id, scenario_id, status, origin, link_id, created_ms, updated_ms, full_name, surname, document_number, city, error_codes, json, version) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, 1)";

/// What the Reports page asks for.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct ReportQuery {
    /// Created at or after (Unix ms).
    pub from_ms: Option<i64>,
    /// Created before (Unix ms).
    pub to_ms: Option<i64>,
    /// Any of these statuses.
    pub statuses: Vec<String>,
    /// This scenario.
    pub scenario_id: Option<String>,
    /// This error code or one under it.
    pub error_code: Option<String>,
    /// Full name or surname starts with (folded).
    pub name_prefix: Option<String>,
    /// Document number starts with (folded).
    pub number_prefix: Option<String>,
    /// City starts with (folded).
    pub city_prefix: Option<String>,
}

/// Past the last character a prefix can be followed by, for index range scans.
const TOP: char = '\u{10FFFF}';

fn like_escape(text: &str) -> String {
    text.replace('\\', "\\\\")
        .replace('%', "\\%")
        .replace('_', "\\_")
}

impl ReportQuery {
    /// The WHERE clause (with a leading `WHERE` when not empty) and its values, numbered from
    /// `?1`.
    pub fn where_clause(&self) -> (String, Vec<Value>) {
        let mut terms: Vec<String> = Vec::new();
        let mut params: Vec<Value> = Vec::new();
        let p = |v: Value, params: &mut Vec<Value>| {
            params.push(v);
            format!("?{}", params.len())
        };
        if let Some(from) = self.from_ms {
            terms.push(format!("created_ms >= {}", p(from.into(), &mut params)));
        }
        if let Some(to) = self.to_ms {
            terms.push(format!("created_ms < {}", p(to.into(), &mut params)));
        }
        if !self.statuses.is_empty() {
            let list: Vec<String> = self
                .statuses
                .iter()
                .map(|s| p(s.as_str().into(), &mut params))
                .collect();
            terms.push(format!("status IN ({})", list.join(", ")));
        }
        if let Some(s) = &self.scenario_id {
            terms.push(format!(
                "scenario_id = {}",
                p(s.as_str().into(), &mut params)
            ));
        }
        if let Some(code) = &self.error_code {
            let code = like_escape(code.trim());
            let exact = p(format!("%;{code};%").into(), &mut params);
            let under = p(format!("%;{code}.%").into(), &mut params);
            terms.push(format!(
                "(error_codes LIKE {exact} ESCAPE '\\' OR error_codes LIKE {under} ESCAPE '\\')"
            ));
        }
        let mut range = |columns: &[&str], prefix: &Option<String>, params: &mut Vec<Value>| {
            if let Some(prefix) = prefix.as_deref().map(fold).filter(|p| !p.is_empty()) {
                let lo = p(prefix.as_str().into(), params);
                let hi = p(format!("{prefix}{TOP}").into(), params);
                let any: Vec<String> = columns
                    .iter()
                    .map(|c| format!("({c} >= {lo} AND {c} < {hi})"))
                    .collect();
                terms.push(format!("({})", any.join(" OR ")));
            }
        };
        range(&["full_name", "surname"], &self.name_prefix, &mut params);
        range(&["document_number"], &self.number_prefix, &mut params);
        range(&["city"], &self.city_prefix, &mut params);
        if terms.is_empty() {
            (String::new(), params)
        } else {
            (format!("WHERE {}", terms.join(" AND ")), params)
        }
    }
}

/// The session stored in column `at` of `row`, its seal checked under `key`: a session changed
/// in the database, or stored without the seal, is the engine's error (`session.seal_mismatch`,
/// `session.unsealed`).
fn session_of(row: &Row, at: usize, key: Option<&SessionKey>) -> Result<Session> {
    Ok(Session::load(&row.text(at)?, key)?)
}

/// Most rows a count walks before saying "more than".
pub const COUNT_CAP: i64 = 10_000;

impl Store {
    /// The session `id`.
    pub fn session(&self, id: &str) -> Result<Option<SessionRow>> {
        self.with(|c| load_session(c, id, self.session_key()))
    }

    /// One page of sessions matching `q`, newest first, and the number matching (counted up
    /// to [`COUNT_CAP`] + 1).
    pub fn report_page(
        &self,
        q: &ReportQuery,
        offset: i64,
        limit: i64,
    ) -> Result<(Vec<Session>, i64)> {
        let (clause, mut params) = q.where_clause();
        self.with(|c| {
            let total = super::count(
                c,
                &format!(
                    "SELECT COUNT(*) FROM (SELECT 1 FROM sessions {clause} LIMIT {}) t",
                    COUNT_CAP + 1
                ),
                &params,
            )?;
            let n = params.len();
            params.push(limit.into());
            params.push(offset.into());
            let rows = c.query(
                &format!(
                    "SELECT json FROM sessions {clause} ORDER BY created_ms DESC, id DESC LIMIT ?{} OFFSET ?{}",
                    n + 1,
                    n + 2
                ),
                &params,
            )?;
            let sessions = rows
                .iter()
                .map(|r| session_of(r, 0, self.session_key()))
                .collect::<Result<Vec<_>>>()?;
            Ok((sessions, total))
        })
    }

    /// Every session matching `q`, newest first, handed to `each` in chunks of `chunk` read by
    /// key (created time, id), so an export of any size holds one chunk at a time.
    pub fn report_each(
        &self,
        q: &ReportQuery,
        chunk: i64,
        mut each: impl FnMut(Vec<Session>) -> Result<bool>,
    ) -> Result<()> {
        let (clause, params) = q.where_clause();
        let mut after: Option<(i64, String)> = None;
        loop {
            let mut params = params.clone();
            let mut sql = format!("SELECT created_ms, id, json FROM sessions {clause}");
            if let Some((ms, id)) = &after {
                params.push(Value::Int(*ms));
                let a = params.len();
                params.push(id.as_str().into());
                let b = params.len();
                sql.push_str(if clause.is_empty() {
                    " WHERE "
                } else {
                    " AND "
                });
                sql.push_str(&format!(
                    "(created_ms < ?{a} OR (created_ms = ?{a} AND id < ?{b}))"
                ));
            }
            params.push(chunk.into());
            sql.push_str(&format!(
                " ORDER BY created_ms DESC, id DESC LIMIT ?{}",
                params.len()
            ));
            let rows = self.with(|c| c.query(&sql, &params))?;
            let Some(last) = rows.last() else {
                return Ok(());
            };
            after = Some((last.int(0)?, last.text(1)?));
            let full = i64::try_from(rows.len()).unwrap_or(i64::MAX) == chunk;
            let sessions = rows
                .iter()
                .map(|r| session_of(r, 2, self.session_key()))
                .collect::<Result<Vec<_>>>()?;
            if !each(sessions)? || !full {
                return Ok(());
            }
        }
    }

    /// The `limit` sessions changed last.
    pub fn recent_sessions(&self, limit: i64) -> Result<Vec<Session>> {
        self.with(|c| {
            c.query(
                "SELECT json FROM sessions ORDER BY updated_ms DESC, id DESC LIMIT ?1",
                &[limit.into()],
            )?
            .iter()
            .map(|r| session_of(r, 0, self.session_key()))
            .collect()
        })
    }

    /// Events with a row id above `after` (at most `limit`), as (row id, event).
    pub fn events_after(&self, after: i64, limit: i64) -> Result<Vec<(i64, SessionEvent)>> {
        self.with(|c| {
            let rows = c.query(
                "SELECT id, json FROM events WHERE id > ?1 ORDER BY id LIMIT ?2",
                &[after.into(), limit.into()],
            )?;
            let mut out = Vec::with_capacity(rows.len());
            for r in rows {
                let event: SessionEvent = serde_json::from_str(&r.text(1)?)
                    .map_err(|e| ConsoleError::Db(format!("stored event does not read: {e}")))?;
                out.push((r.int(0)?, event));
            }
            Ok(out)
        })
    }

    /// The newest event row id.
    pub fn last_event_id(&self) -> Result<i64> {
        self.with(|c| super::count(c, "SELECT COALESCE(MAX(id), 0) FROM events", &[]))
    }

    /// A session's events, in order.
    pub fn session_events(&self, session_id: &str) -> Result<Vec<SessionEvent>> {
        self.with(|c| {
            c.query(
                "SELECT json FROM events WHERE session_id = ?1 ORDER BY seq",
                &[session_id.into()],
            )?
            .iter()
            .map(|r| {
                serde_json::from_str(&r.text(0)?)
                    .map_err(|e| ConsoleError::Db(format!("stored event does not read: {e}")))
            })
            .collect()
        })
    }

    /// The images a session's captures kept.
    pub fn images_of(&self, session_id: &str) -> Result<Vec<StoredImage>> {
        self.with(|c| {
            c.query(
                "SELECT step_id, attempt, kind FROM images WHERE session_id = ?1 ORDER BY step_id, attempt, kind",
                &[session_id.into()],
            )?
            .iter()
            .map(|r| {
                Ok(StoredImage {
                    step_id: r.text(0)?,
                    attempt: r.int(1)?,
                    kind: r.text(2)?,
                })
            })
            .collect()
        })
    }

    /// One image's bytes.
    pub fn image(
        &self,
        session_id: &str,
        step_id: &str,
        attempt: i64,
        kind: &str,
    ) -> Result<Option<Vec<u8>>> {
        self.with(|c| {
            c.query_one(
                "SELECT bytes FROM images WHERE session_id = ?1 AND step_id = ?2 AND attempt = ?3 AND kind = ?4",
                &[session_id.into(), step_id.into(), attempt.into(), kind.into()],
            )?
            .map(|r| r.blob(0))
            .transpose()
        })
    }

    /// Sessions stored.
    pub fn session_count(&self) -> Result<i64> {
        self.with(|c| super::count(c, "SELECT COUNT(*) FROM sessions", &[]))
    }
}

/// The session `id` on `c`, its seal checked under `key`.
pub fn load_session(
    c: &mut dyn Conn,
    id: &str,
    key: Option<&SessionKey>,
) -> Result<Option<SessionRow>> {
    let Some(r) = c.query_one(
        "SELECT json, version, link_id FROM sessions WHERE id = ?1",
        &[id.into()],
    )?
    else {
        return Ok(None);
    };
    Ok(Some(SessionRow {
        session: session_of(&r, 0, key)?,
        version: r.int(1)?,
        link_id: r.opt_text(2)?,
    }))
}

/// Inserts a new session, sealed under `key`.
pub fn insert_session(
    c: &mut dyn Conn,
    session: &Session,
    link_id: Option<&str>,
    key: Option<&SessionKey>,
) -> Result<()> {
    c.execute(INSERT_SESSION, &session_row_of(session, link_id, key))?;
    Ok(())
}

/// Saves `session` (sealed under `key`) if it is still at `version`; its new version, or
/// [`ConsoleError::Conflict`].
pub fn save_session(
    c: &mut dyn Conn,
    session: &Session,
    version: i64,
    key: Option<&SessionKey>,
) -> Result<i64> {
    let (full_name, surname, number, city, codes) = index_columns(session);
    let n = c.execute(
        "UPDATE sessions SET status = ?1, updated_ms = ?2, full_name = ?3, surname = ?4, document_number = ?5, city = ?6, error_codes = ?7, json = ?8, version = version + 1 WHERE id = ?9 AND version = ?10",
        &[
            session.status.as_str().into(),
            Value::Int(session.updated_at.as_millisecond()),
            full_name.into(),
            surname.into(),
            number.into(),
            city.into(),
            codes.into(),
            session.store(key).into(),
            session.id.as_str().into(),
            version.into(),
        ],
    )?;
    if n == 1 {
        Ok(version + 1)
    } else {
        Err(ConsoleError::Conflict)
    }
}

/// Records events (an event already there is kept: `seq` is unique per session).
pub fn insert_events(c: &mut dyn Conn, events: &[SessionEvent]) -> Result<()> {
    for e in events {
        let kind = serde_json::to_value(&e.kind)
            .ok()
            .and_then(|v| v.get("type").and_then(|t| t.as_str()).map(str::to_owned))
            .unwrap_or_default();
        let json = serde_json::to_string(e).map_err(|e| ConsoleError::Internal(e.to_string()))?;
        c.execute(
            "INSERT INTO events (session_id, seq, at_ms, kind, json) VALUES (?1, ?2, ?3, ?4, ?5) ON CONFLICT (session_id, seq) DO NOTHING",
            &[
                e.session_id.as_str().into(),
                Value::Int(i64::try_from(e.seq).unwrap_or(i64::MAX)),
                Value::Int(e.at.as_millisecond()),
                kind.into(),
                json.into(),
            ],
        )?;
    }
    Ok(())
}

/// Keeps a capture's image.
pub fn insert_image(
    c: &mut dyn Conn,
    session_id: &str,
    step_id: &str,
    attempt: i64,
    kind: &str,
    bytes: &[u8],
) -> Result<()> {
    c.execute(
        "INSERT INTO images (session_id, step_id, attempt, kind, bytes) VALUES (?1, ?2, ?3, ?4, ?5) ON CONFLICT (session_id, step_id, attempt, kind) DO NOTHING",
        &[
            session_id.into(),
            step_id.into(),
            attempt.into(),
            kind.into(),
            bytes.to_vec().into(),
        ],
    )?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn folding_ignores_case_in_latin_and_cyrillic() {
        assert_eq!(fold("  ANNA   Maria "), "anna maria");
        assert_eq!(fold("ИВАНОВ Пётр"), "иванов петр");
        assert_eq!(fold("Ёлкин"), fold("ЕЛКИН"));
    }

    #[test]
    fn filters_become_one_where_clause() {
        let q = ReportQuery {
            statuses: vec!["approved".into(), "declined".into()],
            name_prefix: Some("Ив".into()),
            error_code: Some("document.mrz".into()),
            ..ReportQuery::default()
        };
        let (clause, params) = q.where_clause();
        assert!(clause.starts_with("WHERE status IN (?1, ?2)"), "{clause}");
        assert!(clause.contains("full_name >= ?5"), "{clause}");
        assert_eq!(params.len(), 6);
        assert_eq!(params[4], Value::Text("ив".into()));
    }
}
