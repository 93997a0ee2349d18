//! Operator accounts (Argon2id password hashes), their signed-in sessions (only a SHA-256 of the
//! cookie is kept, with the CSRF token of that sign-in) and the operator audit: every action an
//! operator takes, with who, what, on what and when.

use argon2::password_hash::{PasswordHash, PasswordHasher, PasswordVerifier, SaltString};

use super::Store;
use crate::db::{Conn, Value};
use crate::error::{ConsoleError, Result};

/// An operator account.
#[derive(Clone, Debug)]
pub struct Operator {
    /// Stable id.
    pub id: String,
    /// Sign-in name.
    pub username: String,
}

/// A signed-in operator.
#[derive(Clone, Debug)]
pub struct WebSession {
    /// Who.
    pub operator: Operator,
    /// The CSRF token every form and POST of this sign-in carries.
    pub csrf: String,
}

/// One line of the operator audit.
#[derive(Clone, Debug, serde::Serialize)]
pub struct AuditEntry {
    /// When (Unix ms).
    pub at_ms: i64,
    /// Who.
    pub operator_id: String,
    /// What (`sign_in`, `decision`, `scenario_saved`, ...).
    pub action: String,
    /// On what (a session, scenario, list, batch id).
    pub target: String,
    /// Details.
    pub detail: String,
}

/// Sign-ins last 12 hours.
pub const WEB_SESSION_MS: i64 = 12 * 3600 * 1000;
/// Longest password accepted (Argon2 hashes any length; this bounds the work).
pub const MAX_PASSWORD: usize = 256;

fn hash_password(password: &str) -> Result<String> {
    let mut salt = [0u8; 16];
    crate::random_bytes(&mut salt)?;
    let salt = SaltString::encode_b64(&salt).map_err(|e| ConsoleError::Internal(e.to_string()))?;
    argon2::Argon2::default()
        .hash_password(password.as_bytes(), &salt)
        .map(|h| h.to_string())
        .map_err(|e| ConsoleError::Internal(e.to_string()))
}

fn sha256_hex(text: &str) -> String {
    use sha2::Digest;
    sha2::Sha256::digest(text.as_bytes())
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}

impl Store {
    /// Creates an operator (a name in use is refused).
    pub fn create_operator(&self, username: &str, password: &str) -> Result<Operator> {
        let username = username.trim();
        if username.is_empty() || username.len() > 64 {
            return Err(ConsoleError::invalid(
                "console.bad_username",
                "user names are 1 to 64 bytes",
            ));
        }
        if password.len() < 12 || password.len() > MAX_PASSWORD {
            return Err(ConsoleError::invalid(
                "console.weak_password",
                format!("passwords are 12 to {MAX_PASSWORD} bytes"),
            ));
        }
        let hash = hash_password(password)?;
        let id = format!("op_{}", crate::random_hex(8)?);
        self.with(|c| {
            let n = c.execute(
                "INSERT INTO operators (id, username, password_hash, created_ms) VALUES (?1, ?2, ?3, ?4) ON CONFLICT (username) DO NOTHING",
                &[id.as_str().into(), username.into(), hash.into(), crate::now_ms().into()],
            )?;
            if n == 0 {
                return Err(ConsoleError::invalid(
                    "console.username_taken",
                    "that user name is taken",
                ));
            }
            Ok(())
        })?;
        Ok(Operator {
            id,
            username: username.to_owned(),
        })
    }

    /// Operators in all.
    pub fn operator_count(&self) -> Result<i64> {
        self.with(|c| super::count(c, "SELECT COUNT(*) FROM operators", &[]))
    }

    /// The operator whose password this is, or `None` (the same answer, and about the same
    /// time, for an unknown name and a wrong password).
    pub fn check_password(&self, username: &str, password: &str) -> Result<Option<Operator>> {
        if password.len() > MAX_PASSWORD || username.len() > 64 {
            return Ok(None);
        }
        let row = self.with(|c| {
            c.query_one(
                "SELECT id, username, password_hash FROM operators WHERE username = ?1",
                &[username.trim().into()],
            )
        })?;
        // A hash for unknown names, so both paths hash once.
        static DUMMY: std::sync::OnceLock<String> = std::sync::OnceLock::new();
        let (operator, hash) = match &row {
            Some(r) => (
                Some(Operator {
                    id: r.text(0)?,
                    username: r.text(1)?,
                }),
                r.text(2)?,
            ),
            None => (
                None,
                DUMMY
                    .get_or_init(|| hash_password("no such operator").unwrap_or_default())
                    .clone(),
            ),
        };
        let ok = PasswordHash::new(&hash).is_ok_and(|parsed| {
            argon2::Argon2::default()
                .verify_password(password.as_bytes(), &parsed)
                .is_ok()
        });
        Ok(operator.filter(|_| ok))
    }

    /// Signs `operator` in: the cookie value (shown once) and the sign-in's CSRF token.
    pub fn open_web_session(&self, operator: &Operator) -> Result<(String, String)> {
        let cookie = crate::random_token()?;
        let csrf = crate::random_token()?;
        let now = crate::now_ms();
        self.with(|c| {
            c.execute(
                "INSERT INTO web_sessions (token_hash, operator_id, csrf, created_ms, expires_ms) VALUES (?1, ?2, ?3, ?4, ?5)",
                &[
                    sha256_hex(&cookie).into(),
                    operator.id.as_str().into(),
                    csrf.as_str().into(),
                    now.into(),
                    (now + WEB_SESSION_MS).into(),
                ],
            )?;
            c.execute("DELETE FROM web_sessions WHERE expires_ms < ?1", &[now.into()])?;
            Ok(())
        })?;
        Ok((cookie, csrf))
    }

    /// The sign-in a cookie value belongs to, while it lasts.
    pub fn web_session(&self, cookie: &str) -> Result<Option<WebSession>> {
        if cookie.len() > 128 {
            return Ok(None);
        }
        self.with(|c| {
            c.query_one(
                "SELECT o.id, o.username, w.csrf FROM web_sessions w JOIN operators o ON o.id = w.operator_id WHERE w.token_hash = ?1 AND w.expires_ms > ?2",
                &[sha256_hex(cookie).into(), crate::now_ms().into()],
            )?
            .map(|r| {
                Ok(WebSession {
                    operator: Operator {
                        id: r.text(0)?,
                        username: r.text(1)?,
                    },
                    csrf: r.text(2)?,
                })
            })
            .transpose()
        })
    }

    /// Signs a cookie out.
    pub fn close_web_session(&self, cookie: &str) -> Result<()> {
        self.with(|c| {
            c.execute(
                "DELETE FROM web_sessions WHERE token_hash = ?1",
                &[sha256_hex(cookie).into()],
            )
            .map(|_| ())
        })
    }

    /// Adds a line to the operator audit.
    pub fn audit(&self, operator_id: &str, action: &str, target: &str, detail: &str) -> Result<()> {
        self.with(|c| audit(c, operator_id, action, target, detail))
    }

    /// The newest audit lines (at most `limit`), optionally about one target.
    pub fn audit_entries(&self, target: Option<&str>, limit: i64) -> Result<Vec<AuditEntry>> {
        self.with(|c| {
            let rows = match target {
                Some(t) => c.query(
                    "SELECT at_ms, operator_id, action, target, detail FROM operator_audit WHERE target = ?1 ORDER BY id DESC LIMIT ?2",
                    &[t.into(), limit.into()],
                )?,
                None => c.query(
                    "SELECT at_ms, operator_id, action, target, detail FROM operator_audit ORDER BY id DESC LIMIT ?1",
                    &[limit.into()],
                )?,
            };
            rows.iter()
                .map(|r| {
                    Ok(AuditEntry {
                        at_ms: r.int(0)?,
                        operator_id: r.text(1)?,
                        action: r.text(2)?,
                        target: r.text(3)?,
                        detail: r.text(4)?,
                    })
                })
                .collect()
        })
    }
}

/// Hash of a bearer value (cookies, capture grants), as stored.
pub fn token_hash(token: &str) -> String {
    sha256_hex(token)
}

/// Adds a line to the operator audit on `c` (inside the caller's transaction).
pub fn audit(
    c: &mut dyn Conn,
    operator_id: &str,
    action: &str,
    target: &str,
    detail: &str,
) -> Result<()> {
    let detail: String = detail.chars().take(4000).collect();
    c.execute(
        "INSERT INTO operator_audit (at_ms, operator_id, action, target, detail) VALUES (?1, ?2, ?3, ?4, ?5)",
        &[
            Value::Int(crate::now_ms()),
            operator_id.into(),
            action.into(),
            target.into(),
            detail.into(),
        ],
    )?;
    Ok(())
}
