//! `kyc.report_rows` and `kyc.report_csv`: stored sessions as rows (dicts) or CSV, through the
//! core's filter and export.

use kyc_core::SessionStatus;
use kyc_core::report::{self, CsvOptions, ExportFormat, FieldFilter, ReportError, ReportFilter};
use pyo3::prelude::*;
use pyo3::types::{PyBytes, PyString};

use crate::convert::{json_loads, timestamp};
use crate::engine::Session;
use crate::error::err;

/// Sessions given as stored JSON text (`str`/`bytes`) or `kyc.Session` handles.
fn sessions(items: &Bound<'_, PyAny>) -> PyResult<Vec<Result<kyc_core::Session, ReportError>>> {
    let mut out = Vec::new();
    for (i, item) in items.try_iter()?.enumerate() {
        let item = item?;
        let line = u64::try_from(i + 1).unwrap_or(u64::MAX);
        let text = if let Ok(s) = item.cast::<Session>() {
            s.get().stored()
        } else if let Ok(s) = item.cast::<PyString>() {
            s.to_cow()?.into_owned()
        } else if let Ok(b) = item.cast::<PyBytes>() {
            String::from_utf8_lossy(b.as_bytes()).into_owned()
        } else {
            s_json_text(&item)?
        };
        out.push(
            kyc_core::Session::from_json(&text).map_err(|e| ReportError::BadSession {
                line,
                code: e.code(),
                message: e.to_string(),
            }),
        );
    }
    Ok(out)
}

/// A dict (as `Session.to_dict` gives) back to JSON text.
fn s_json_text(item: &Bound<'_, PyAny>) -> PyResult<String> {
    item.py()
        .import("json")?
        .call_method1("dumps", (item,))?
        .extract()
}

/// The filter from keyword arguments; statuses by name.
#[allow(clippy::too_many_arguments)]
fn filter(
    py: Python<'_>,
    statuses: Vec<String>,
    scenario_ids: Vec<String>,
    error_codes: Vec<String>,
    fields: Vec<(String, String)>,
    created_from: Option<&Bound<'_, PyAny>>,
    created_to: Option<&Bound<'_, PyAny>>,
) -> PyResult<ReportFilter> {
    let statuses = statuses
        .into_iter()
        .map(|word| {
            serde_json::from_value::<SessionStatus>(serde_json::Value::String(word.clone()))
                .map_err(|_| {
                    err(
                        py,
                        ReportError::InvalidFilter(format!("unknown status {word}")),
                    )
                })
        })
        .collect::<PyResult<Vec<_>>>()?;
    Ok(ReportFilter {
        from: created_from.map(timestamp).transpose()?,
        to: created_to.map(timestamp).transpose()?,
        statuses,
        scenario_ids,
        fields: fields
            .into_iter()
            .map(|(name, value)| FieldFilter { name, value })
            .collect(),
        error_codes,
    })
}

fn run(
    py: Python<'_>,
    items: &Bound<'_, PyAny>,
    filter: &ReportFilter,
    format: ExportFormat,
) -> PyResult<String> {
    let sessions = sessions(items)?;
    let (_, out) = py
        .detach(|| report::export(sessions, filter, format, Vec::new()))
        .map_err(|e| err(py, e))?;
    String::from_utf8(out).map_err(|e| pyo3::exceptions::PyValueError::new_err(e.to_string()))
}

/// Stored sessions as report rows (dicts), filtered, in input order.
#[pyfunction]
#[pyo3(signature = (sessions, *, statuses=vec![], scenario_ids=vec![], error_codes=vec![], fields=vec![], created_from=None, created_to=None))]
#[allow(clippy::too_many_arguments)]
pub(crate) fn report_rows<'py>(
    py: Python<'py>,
    sessions: &Bound<'py, PyAny>,
    statuses: Vec<String>,
    scenario_ids: Vec<String>,
    error_codes: Vec<String>,
    fields: Vec<(String, String)>,
    created_from: Option<&Bound<'py, PyAny>>,
    created_to: Option<&Bound<'py, PyAny>>,
) -> PyResult<Vec<Bound<'py, PyAny>>> {
    let f = filter(
        py,
        statuses,
        scenario_ids,
        error_codes,
        fields,
        created_from,
        created_to,
    )?;
    let text = run(py, sessions, &f, ExportFormat::Jsonl)?;
    text.lines().map(|line| json_loads(py, line)).collect()
}

/// Stored sessions as CSV text (header first; cells that a spreadsheet would run as formulas are
/// neutralised), filtered, in input order.
#[pyfunction]
#[pyo3(signature = (sessions, *, bom=false, statuses=vec![], scenario_ids=vec![], error_codes=vec![], fields=vec![], created_from=None, created_to=None))]
#[allow(clippy::too_many_arguments)]
pub(crate) fn report_csv(
    py: Python<'_>,
    sessions: &Bound<'_, PyAny>,
    bom: bool,
    statuses: Vec<String>,
    scenario_ids: Vec<String>,
    error_codes: Vec<String>,
    fields: Vec<(String, String)>,
    created_from: Option<&Bound<'_, PyAny>>,
    created_to: Option<&Bound<'_, PyAny>>,
) -> PyResult<String> {
    let f = filter(
        py,
        statuses,
        scenario_ids,
        error_codes,
        fields,
        created_from,
        created_to,
    )?;
    run(py, sessions, &f, ExportFormat::Csv(CsvOptions { bom }))
}
