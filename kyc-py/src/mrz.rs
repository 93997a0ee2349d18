//! `kyc.parse_mrz`: the MRZ engine's report (fields, check digits, evidence, policy) as a dict.

use kyc_core::document::mrz;
use pyo3::prelude::*;
use pyo3::types::PyString;

use crate::convert::{date, to_py};
use crate::error::err;

/// Parses MRZ text (lines separated by newlines, or a list of lines) relative to `today`
/// (default: the system clock's UTC date). `ocr=True` reads OCR output and reports repairs.
#[pyfunction]
#[pyo3(signature = (text, *, today=None, ocr=false))]
pub(crate) fn parse_mrz<'py>(
    py: Python<'py>,
    text: &Bound<'py, PyAny>,
    today: Option<&Bound<'py, PyAny>>,
    ocr: bool,
) -> PyResult<Bound<'py, PyAny>> {
    let today = match today {
        Some(d) => date(d)?,
        // This binding is a host: it may read the clock the engine never reads.
        None => jiff::Timestamp::now()
            .to_zoned(jiff::tz::TimeZone::UTC)
            .date(),
    };
    let read = if let Ok(s) = text.cast::<PyString>() {
        let s = s.to_cow()?;
        if ocr {
            mrz::read_ocr_text(&s, today).map(|r| (r.mrz, r.repairs))
        } else {
            mrz::parse_text(&s, today).map(|m| (m, Vec::new()))
        }
    } else {
        let lines: Vec<String> = text.extract()?;
        if ocr {
            mrz::read_ocr(&lines, today).map(|r| (r.mrz, r.repairs))
        } else {
            mrz::parse(&lines, today).map(|m| (m, Vec::new()))
        }
    };
    let (m, repairs) = read.map_err(|e| err(py, e))?;
    to_py(py, &m.report_with(repairs, None))
}
