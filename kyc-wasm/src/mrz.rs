//! MRZ text parsing and validation in the browser: the core's parser and report, unchanged.

use wasm_bindgen::prelude::*;

use crate::KycError;

/// Parses MRZ text (lines separated by `\n`) relative to `today` (`YYYY-MM-DD`, the host's date)
/// and returns the core's report as JSON: `schema_version`, `format`, `valid`, `fields`, `checks`,
/// `evidence`, `structure`, `policy`. A readable MRZ with failing check digits is not an error
/// (`valid` is false); unreadable text throws a `KycError` (`mrz.line_length`, `mrz.charset`...).
#[wasm_bindgen(js_name = parseMrz)]
pub fn parse_mrz(text: &str, today: &str) -> Result<String, KycError> {
    let today: jiff::civil::Date = today
        .parse()
        .map_err(|e: jiff::Error| KycError::input("input.bad_date", format!("{today:?}: {e}")))?;
    let parsed = kyc_core::document::mrz::parse_text(text, today)?;
    serde_json::to_string(&parsed.report())
        .map_err(|e| KycError::input("mrz.encode", e.to_string()))
}
