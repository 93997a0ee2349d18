//! Exports: CSV with stable columns (optional UTF-8 BOM for spreadsheets, formula cells neutralised)
//! and JSON Lines. Both write row by row, so an export of any size holds one row at a time.

use std::borrow::Cow;
use std::io::Write;

use super::{ReportError, ReportFilter, ReportRow};
use crate::session::Session;

/// The CSV columns, in order. Part of the API: new columns are only ever appended.
pub const CSV_COLUMNS: &[&str] = &[
    "session_id",
    "scenario_id",
    "status",
    "status_reason",
    "created_at",
    "updated_at",
    "decided_by",
    "origin",
    "document_type",
    "issuing_state",
    "full_name",
    "surname",
    "given_names",
    "document_number",
    "birth_date",
    "expiry_date",
    "nationality",
    "error_codes",
    "other_fields",
];

/// The UTF-8 byte-order mark some spreadsheets need to read UTF-8.
pub const UTF8_BOM: &[u8] = b"\xEF\xBB\xBF";

/// Characters that make a spreadsheet read a cell as a formula (or a DDE command) when they lead
/// it, including the full-width forms some spreadsheets also accept.
const FORMULA_LEADS: &[char] = &[
    '=', '+', '-', '@', '\t', '\r', '\n', '\u{FF1D}', '\u{FF0B}', '\u{FF0D}', '\u{FF20}',
];

/// Makes a cell safe for spreadsheets: a cell whose first character, or first character after
/// leading spaces, would start a formula gets a leading apostrophe, so it shows as text. Other cells
/// are returned unchanged. (CSV quoting itself is the `csv` crate's.)
pub fn neutralise(cell: &str) -> Cow<'_, str> {
    let first = cell.chars().next();
    let after_spaces = cell
        .trim_start_matches([' ', '\u{A0}', '\u{3000}'])
        .chars()
        .next();
    let risky = |c: Option<char>| c.is_some_and(|c| FORMULA_LEADS.contains(&c));
    if risky(first) || risky(after_spaces) {
        Cow::Owned(format!("'{cell}"))
    } else {
        Cow::Borrowed(cell)
    }
}

/// CSV options.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct CsvOptions {
    /// Start with a UTF-8 BOM.
    pub bom: bool,
}

/// Writes rows as CSV: header first, then one record per row.
pub struct CsvExport<W: Write> {
    writer: csv::Writer<W>,
    record: Vec<String>,
}

impl<W: Write> std::fmt::Debug for CsvExport<W> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("CsvExport(..)")
    }
}

impl<W: Write> CsvExport<W> {
    /// Writes the BOM (if asked) and the header.
    pub fn new(mut out: W, options: CsvOptions) -> Result<Self, ReportError> {
        if options.bom {
            out.write_all(UTF8_BOM)?;
        }
        let mut export = Self::continuing(out);
        export.writer.write_record(CSV_COLUMNS)?;
        Ok(export)
    }

    /// Writes records only, no BOM and no header: a later part of an export that a streaming host
    /// hands out in parts (the first part from [`CsvExport::new`], each part `finish`ed), so the
    /// parts joined are the export made in one go.
    pub fn continuing(out: W) -> Self {
        let writer = csv::WriterBuilder::new()
            .quote_style(csv::QuoteStyle::Necessary)
            .from_writer(out);
        Self {
            writer,
            record: Vec::with_capacity(CSV_COLUMNS.len()),
        }
    }

    /// Writes one row.
    pub fn write(&mut self, row: &ReportRow) -> Result<(), ReportError> {
        let opt = |v: &Option<String>| v.clone().unwrap_or_default();
        self.record.clear();
        self.record.extend([
            row.session_id.clone(),
            row.scenario_id.clone(),
            row.status.as_str().to_owned(),
            row.status_reason.clone(),
            row.created_at.to_string(),
            row.updated_at.to_string(),
            row.decided_by.clone(),
            row.origin.clone(),
            row.document_type
                .and_then(|t| serde_json::to_value(t).ok())
                .and_then(|v| v.as_str().map(str::to_owned))
                .unwrap_or_default(),
            opt(&row.issuing_state),
            opt(&row.full_name),
            opt(&row.surname),
            opt(&row.given_names),
            opt(&row.document_number),
            opt(&row.birth_date),
            opt(&row.expiry_date),
            opt(&row.nationality),
            row.error_codes.join(";"),
            row.other_fields
                .iter()
                .map(|f| format!("{}={}", f.name, f.value))
                .collect::<Vec<_>>()
                .join(";"),
        ]);
        self.writer
            .write_record(self.record.iter().map(|c| neutralise(c).into_owned()))?;
        Ok(())
    }

    /// Flushes and returns the writer.
    pub fn finish(self) -> Result<W, ReportError> {
        self.writer
            .into_inner()
            .map_err(|e| ReportError::Io(e.error().to_string()))
    }
}

/// Writes rows as JSON Lines: one [`ReportRow`] object per line, values as they are (JSON is not
/// run as formulas).
#[derive(Debug)]
pub struct JsonlExport<W: Write> {
    out: W,
}

impl<W: Write> JsonlExport<W> {
    /// A new export.
    pub fn new(out: W) -> Self {
        Self { out }
    }

    /// Writes one row.
    pub fn write(&mut self, row: &ReportRow) -> Result<(), ReportError> {
        serde_json::to_writer(&mut self.out, row).map_err(|e| ReportError::Io(e.to_string()))?;
        self.out.write_all(b"\n")?;
        Ok(())
    }

    /// Flushes and returns the writer.
    pub fn finish(mut self) -> Result<W, ReportError> {
        self.out.flush()?;
        Ok(self.out)
    }
}

/// Export formats.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ExportFormat {
    /// CSV with the given options.
    Csv(CsvOptions),
    /// JSON Lines.
    Jsonl,
}

/// Counts of a streaming export.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct ExportStats {
    /// Sessions read.
    pub read: u64,
    /// Rows written.
    pub written: u64,
}

/// The rows of `sessions` that a filter keeps, in input order, one at a time ([`rows`]).
#[derive(Debug)]
pub struct Rows<'f, I> {
    sessions: I,
    filter: &'f ReportFilter,
    stats: ExportStats,
}

/// The rows of `sessions` that `filter` keeps, in input order, one in memory at a time: what
/// [`export`] writes, for hosts that hand rows on themselves. An error is yielded where it occurs;
/// the rows before it have been yielded.
pub fn rows<I>(sessions: I, filter: &ReportFilter) -> Result<Rows<'_, I::IntoIter>, ReportError>
where
    I: IntoIterator<Item = Result<Session, ReportError>>,
{
    filter.validate()?;
    Ok(Rows {
        sessions: sessions.into_iter(),
        filter,
        stats: ExportStats::default(),
    })
}

impl<I> Rows<'_, I> {
    /// Sessions read and rows yielded so far.
    pub fn stats(&self) -> ExportStats {
        self.stats
    }
}

impl<I> Iterator for Rows<'_, I>
where
    I: Iterator<Item = Result<Session, ReportError>>,
{
    type Item = Result<ReportRow, ReportError>;

    fn next(&mut self) -> Option<Self::Item> {
        for session in self.sessions.by_ref() {
            let session = match session {
                Ok(s) => s,
                Err(e) => return Some(Err(e)),
            };
            self.stats.read += 1;
            let row = ReportRow::from_session(&session);
            if self.filter.matches(&row) {
                self.stats.written += 1;
                return Some(Ok(row));
            }
        }
        None
    }
}

/// Streams `sessions` through `filter` into `out`, in input order, one row in memory at a time.
pub fn export<I, W>(
    sessions: I,
    filter: &ReportFilter,
    format: ExportFormat,
    out: W,
) -> Result<(ExportStats, W), ReportError>
where
    I: IntoIterator<Item = Result<Session, ReportError>>,
    W: Write,
{
    let mut rows = rows(sessions, filter)?;
    enum Sink<W: Write> {
        Csv(Box<CsvExport<W>>),
        Jsonl(JsonlExport<W>),
    }
    let mut sink = match format {
        ExportFormat::Csv(options) => Sink::Csv(Box::new(CsvExport::new(out, options)?)),
        ExportFormat::Jsonl => Sink::Jsonl(JsonlExport::new(out)),
    };
    for row in rows.by_ref() {
        let row = row?;
        match &mut sink {
            Sink::Csv(s) => s.write(&row)?,
            Sink::Jsonl(s) => s.write(&row)?,
        }
    }
    let stats = rows.stats();
    let out = match sink {
        Sink::Csv(s) => s.finish()?,
        Sink::Jsonl(s) => s.finish()?,
    };
    Ok((stats, out))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn plain_cells_pass_unchanged() {
        for cell in [
            "",
            "ANNA",
            "2026-01-01",
            "L898902C3",
            "a=b",
            "x-y",
            "'quoted",
        ] {
            assert!(matches!(neutralise(cell), Cow::Borrowed(_)), "{cell}");
        }
    }
}
