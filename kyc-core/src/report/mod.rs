//! Reports over stored sessions: filter (date range, status, scenario, document field values,
//! error codes), sort and page in bounded memory ([`query`]), and streaming exports to CSV and JSON
//! Lines ([`export`]) that hold one row at a time, so a million sessions need no more memory than
//! one. Sessions come from any iterator; [`SessionLines`] reads them from JSON Lines.

mod error;
mod export;
mod filter;
mod lines;
mod query;
mod row;

pub use error::ReportError;
pub use export::{
    CSV_COLUMNS, CsvExport, CsvOptions, ExportFormat, ExportStats, JsonlExport, Rows, UTF8_BOM,
    export, neutralise, rows,
};
pub use filter::{FieldFilter, MAX_PAGE_SIZE, PageRequest, ReportFilter, Sort, SortKey};
pub use lines::SessionLines;
pub use query::{Page, query};
pub use row::{ReportField, ReportRow};
