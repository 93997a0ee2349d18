//! Dates and times the host passes in, as text or seconds.

use crate::KycError;

fn bad(code: &str, message: String) -> KycError {
    KycError::InvalidInput {
        code: code.to_owned(),
        detail: message,
        violations: Vec::new(),
    }
}

/// `YYYY-MM-DD`.
pub(crate) fn parse_date(text: &str) -> Result<jiff::civil::Date, KycError> {
    text.parse()
        .map_err(|e: jiff::Error| bad("input.bad_date", format!("{text:?}: {e}")))
}

/// Seconds since the Unix epoch.
pub(crate) fn timestamp(seconds: i64) -> Result<jiff::Timestamp, KycError> {
    jiff::Timestamp::from_second(seconds)
        .map_err(|e| bad("input.bad_time", format!("{seconds}: {e}")))
}
