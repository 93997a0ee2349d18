//! kyc-console: the reference host of the kyc engine, a KYC operator's console. It stores
//! sessions, events, scenarios, links, face lists, history, operators, their audit and callback
//! deliveries in SQLite (or PostgreSQL), runs the engine through kyc-core's public API, and
//! serves the operator's pages (Logs, Reports, Editor, Links, ...) and the capture page a link
//! opens. See docs/console.md.

pub mod app;
pub mod db;
pub mod error;
pub mod session_key;
pub mod store;
pub mod web;
pub mod workers;

pub use app::{App, Config};
pub use error::{ConsoleError, Result};

/// Now, in Unix milliseconds (the console's own clock; the engine gets `SystemClock`).
pub fn now_ms() -> i64 {
    jiff::Timestamp::now().as_millisecond()
}

/// Fills `buf` from the operating system's random source.
pub fn random_bytes(buf: &mut [u8]) -> Result<()> {
    getrandom::fill(buf).map_err(|e| ConsoleError::Internal(format!("no randomness: {e}")))
}

/// `n` random bytes as hex.
pub fn random_hex(n: usize) -> Result<String> {
    let mut buf = vec![0u8; n];
    random_bytes(&mut buf)?;
    Ok(buf.iter().map(|b| format!("{b:02x}")).collect())
}

/// 32 random bytes, base64url: cookies, CSRF tokens, capture grants.
pub fn random_token() -> Result<String> {
    use base64::Engine as _;
    let mut buf = [0u8; 32];
    random_bytes(&mut buf)?;
    Ok(base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(buf))
}
