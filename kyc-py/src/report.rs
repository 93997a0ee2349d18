//! `kyc.report_rows` and `kyc.report_csv`: stored sessions as rows (dicts) or CSV, through the
//! core's filter, rows and CSV export. Both stream: they return iterators that take sessions from
//! the host's iterable a chunk at a time, so a report of any size holds one chunk in memory.

use std::collections::VecDeque;

use kyc_core::SessionStatus;
use kyc_core::report::{
    self, CsvExport, CsvOptions, FieldFilter, ReportError, ReportFilter, ReportRow,
};
use pyo3::exceptions::PyValueError;
use pyo3::prelude::*;
use pyo3::types::{PyBytes, PyIterator, PyString};

use crate::convert::{timestamp, to_py};
use crate::engine::Session;
use crate::error::err;

/// Sessions taken from the host's iterable per step (the GIL is released to read them).
const CHUNK_SESSIONS: usize = 64;
/// Stored text taken per step, at most (a chunk ends early once it has this much).
const CHUNK_BYTES: usize = 4 << 20;

/// The host's sessions, read a chunk at a time, and the rows the filter kept from the chunk.
struct Source {
    items: Py<PyIterator>,
    filter: ReportFilter,
    /// Sessions taken so far (the 1-based position of an unreadable one is in its error).
    taken: u64,
    /// Rows read and not yet handed out.
    rows: VecDeque<ReportRow>,
    /// The error met after the rows in `rows`, raised once they have been handed out.
    failed: Option<PyErr>,
    /// The iterable has ended, or an error ended the report.
    ended: bool,
}

impl Source {
    fn new(items: &Bound<'_, PyAny>, filter: ReportFilter) -> PyResult<Self> {
        // Refuse a bad filter now, not at the first row.
        filter.validate().map_err(|e| err(items.py(), e))?;
        Ok(Self {
            items: items.try_iter()?.unbind(),
            filter,
            taken: 0,
            rows: VecDeque::new(),
            failed: None,
            ended: false,
        })
    }

    /// The next row; `None` at the end. Raises the error that ended the report after the rows
    /// before it.
    fn next_row(&mut self, py: Python<'_>) -> PyResult<Option<ReportRow>> {
        while self.rows.is_empty() && !self.ended {
            self.fill(py);
        }
        match self.rows.pop_front() {
            Some(row) => Ok(Some(row)),
            None => self.failed.take().map_or(Ok(None), Err),
        }
    }

    /// Rows up to the end of the next chunk that gives any, for the CSV's chunks; empty at the end.
    fn next_rows(&mut self, py: Python<'_>) -> PyResult<Vec<ReportRow>> {
        while self.rows.is_empty() && !self.ended {
            self.fill(py);
        }
        if self.rows.is_empty() {
            return self.failed.take().map_or(Ok(Vec::new()), Err);
        }
        Ok(self.rows.drain(..).collect())
    }

    /// Takes one chunk of stored sessions from the iterable (with the GIL), then reads, flattens
    /// and filters it (without).
    fn fill(&mut self, py: Python<'_>) {
        let mut texts = Vec::new();
        let mut bytes = 0;
        let mut items = self.items.bind(py).clone();
        while texts.len() < CHUNK_SESSIONS && bytes < CHUNK_BYTES {
            let item = match items.next() {
                None => {
                    self.ended = true;
                    break;
                }
                Some(item) => item.and_then(|item| stored_text(py, &item)),
            };
            match item {
                Ok(text) => {
                    bytes += text.len();
                    texts.push(text);
                }
                Err(e) => {
                    self.failed = Some(e);
                    self.ended = true;
                    break;
                }
            }
        }
        let first = self.taken;
        self.taken += texts.len() as u64;
        let filter = &self.filter;
        let (rows, failed) = py.detach(|| {
            let sessions = texts.iter().zip(first + 1..).map(|(text, line)| {
                kyc_core::Session::from_json(text).map_err(|e| ReportError::BadSession {
                    line,
                    code: e.code(),
                    message: e.to_string(),
                })
            });
            let mut rows = Vec::new();
            let mut failed = None;
            match report::rows(sessions, filter) {
                Ok(read) => {
                    for row in read {
                        match row {
                            Ok(row) => rows.push(row),
                            Err(e) => {
                                failed = Some(e);
                                break;
                            }
                        }
                    }
                }
                Err(e) => failed = Some(e),
            }
            (rows, failed)
        });
        self.rows.extend(rows);
        if let Some(e) = failed {
            // A bad session ends the report, as the core's export does, after the rows before it.
            self.failed = Some(err(py, e));
            self.ended = true;
        }
    }
}

/// A session given as stored JSON text (`str`/`bytes`), a `kyc.Session` handle or a dict (as
/// `Session.to_dict` gives).
fn stored_text(py: Python<'_>, item: &Bound<'_, PyAny>) -> PyResult<String> {
    if let Ok(s) = item.cast::<Session>() {
        Ok(s.get().stored(py))
    } else if let Ok(s) = item.cast::<PyString>() {
        Ok(s.to_cow()?.into_owned())
    } else if let Ok(b) = item.cast::<PyBytes>() {
        Ok(String::from_utf8_lossy(b.as_bytes()).into_owned())
    } else {
        py.import("json")?.call_method1("dumps", (item,))?.extract()
    }
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

/// `kyc.ReportRows`: the rows of `report_rows`, one dict at a time. Sessions are taken from the
/// iterable given a chunk at a time, as rows are asked for. Like a generator, one thread at a time.
#[pyclass(module = "kyc")]
pub(crate) struct ReportRows(Source);

#[pymethods]
impl ReportRows {
    fn __iter__(slf: PyRef<'_, Self>) -> PyRef<'_, Self> {
        slf
    }

    fn __next__<'py>(&mut self, py: Python<'py>) -> PyResult<Option<Bound<'py, PyAny>>> {
        match self.0.next_row(py)? {
            Some(row) => to_py(py, &row).map(Some),
            None => Ok(None),
        }
    }
}

/// `kyc.ReportCsv`: the CSV text of `report_csv` in chunks of whole lines (the first starts with
/// the BOM, when asked, and the header), each from one chunk of sessions. `read()` gives the rest
/// as one string. Like a generator, one thread at a time.
#[pyclass(module = "kyc")]
pub(crate) struct ReportCsv {
    source: Source,
    options: CsvOptions,
    /// The header (and BOM) is written.
    started: bool,
    done: bool,
}

impl ReportCsv {
    fn next_chunk(&mut self, py: Python<'_>) -> PyResult<Option<String>> {
        if self.done {
            return Ok(None);
        }
        let rows = match self.source.next_rows(py) {
            Ok(rows) => rows,
            Err(e) => {
                self.done = true;
                return Err(e);
            }
        };
        let first = !std::mem::replace(&mut self.started, true);
        let options = self.options;
        let chunk = py
            .detach(|| -> Result<Vec<u8>, ReportError> {
                let mut csv = if first {
                    CsvExport::new(Vec::new(), options)?
                } else {
                    CsvExport::continuing(Vec::new())
                };
                for row in &rows {
                    csv.write(row)?;
                }
                csv.finish()
            })
            .map_err(|e| err(py, e))?;
        if chunk.is_empty() {
            self.done = true;
            return Ok(None);
        }
        String::from_utf8(chunk)
            .map(Some)
            .map_err(|e| PyValueError::new_err(e.to_string()))
    }
}

#[pymethods]
impl ReportCsv {
    fn __iter__(slf: PyRef<'_, Self>) -> PyRef<'_, Self> {
        slf
    }

    fn __next__(&mut self, py: Python<'_>) -> PyResult<Option<String>> {
        self.next_chunk(py)
    }

    /// The rest of the CSV as one string (the whole of it when nothing was taken yet): for small
    /// reports and for callers that want text.
    fn read(&mut self, py: Python<'_>) -> PyResult<String> {
        let mut text = String::new();
        while let Some(chunk) = self.next_chunk(py)? {
            text.push_str(&chunk);
        }
        Ok(text)
    }
}

/// Stored sessions as report rows (dicts), filtered, in input order: an iterator that reads the
/// sessions as it goes (`list(...)` for all of them).
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
) -> PyResult<ReportRows> {
    let f = filter(
        py,
        statuses,
        scenario_ids,
        error_codes,
        fields,
        created_from,
        created_to,
    )?;
    Source::new(sessions, f).map(ReportRows)
}

/// Stored sessions as CSV (header first; cells that a spreadsheet would run as formulas are
/// neutralised), filtered, in input order: an iterator of text chunks of whole lines, read as it
/// goes (`.read()` for the whole text, `file.writelines(...)` to write it).
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
) -> PyResult<ReportCsv> {
    let f = filter(
        py,
        statuses,
        scenario_ids,
        error_codes,
        fields,
        created_from,
        created_to,
    )?;
    Ok(ReportCsv {
        source: Source::new(sessions, f)?,
        options: CsvOptions { bom },
        started: false,
        done: false,
    })
}
