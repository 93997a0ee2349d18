//! Every MRZ entry point over arbitrary bytes: strict parse, text parse, OCR repair, and the
//! report built from whatever parses. Nothing may panic.
#![no_main]

use jiff::civil::date;
use kyc_core::document::mrz;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    let today = date(2026, 6, 1);
    let lines: Vec<&str> = text.split('\n').collect();
    if let Ok(m) = mrz::parse(&lines, today) {
        let _ = serde_json_free(&m);
    }
    let _ = mrz::parse_text(text, today);
    if let Ok(r) = mrz::read_ocr_text(text, today) {
        let _ = serde_json_free(&r.mrz);
    }
});

/// Exercise the report path without pulling serde_json into the fuzz crate.
fn serde_json_free(m: &mrz::Mrz) -> usize {
    let r = m.report();
    r.checks.len()
        + r.policy.len()
        + r.evidence.len()
        + usize::from(r.valid)
        + r.fields.surname.len()
}
