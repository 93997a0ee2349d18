//! MRZ text parsing and validation in the browser: the core's parser and report, unchanged.

use wasm_bindgen::prelude::*;

use crate::KycError;

/// Parses MRZ text (lines separated by `\n`) relative to `today` (`YYYY-MM-DD`, the host's date)
/// and returns the core's report as JSON: `schema_version`, `format`, `valid`, `fields`, `checks`,
/// `evidence`, `structure`, `policy`. A readable MRZ with failing check digits is not an error
/// (`valid` is false); unreadable text throws a `KycError` (`mrz.line_length`, `mrz.charset`...).
#[wasm_bindgen(js_name = parseMrz)]
pub fn parse_mrz(text: &str, today: &str) -> Result<String, KycError> {
    Ok(kyc_core::facade::parse_mrz(text, today, false)?)
}
