//! MRZ text to the core's report.

use jiff::civil::Date;

use super::PublicError;
use crate::document::mrz;

/// Parses MRZ text (lines separated by newlines) as of `today` (`YYYY-MM-DD`, the host's date:
/// the engine reads no clock); with `ocr`, reads OCR output and reports the repairs made. Returns
/// the core's report JSON (`schema_version`, `format`, `valid`, `fields`, `checks`, ...). A
/// readable MRZ whose check digits fail is no error (`valid` is false).
pub fn parse_mrz(text: &str, today: &str, ocr: bool) -> Result<String, PublicError> {
    let today: Date = today.parse().map_err(|e: jiff::Error| {
        PublicError::invalid_input("input.bad_date", format!("{today:?}: {e}"))
    })?;
    let report = if ocr {
        let read = mrz::read_ocr_text(text, today)?;
        read.mrz.report_with(read.repairs, None)
    } else {
        mrz::parse_text(text, today)?.report()
    };
    Ok(serde_json::to_string(&report).unwrap_or_default())
}
