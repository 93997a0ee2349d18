//! Which sessions a report takes, in which order, which page.

use jiff::Timestamp;

use super::{ReportError, ReportRow};
use crate::session::SessionStatus;

/// Largest page.
pub const MAX_PAGE_SIZE: usize = 10_000;

/// A document field to match.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct FieldFilter {
    /// Field name (`full_name`, `document_number`, `city`, ...).
    pub name: String,
    /// Value; compared ignoring case and runs of whitespace.
    pub value: String,
}

/// What a session must satisfy; empty lists match everything.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct ReportFilter {
    /// Created at or after.
    pub from: Option<Timestamp>,
    /// Created before (the range is half-open).
    pub to: Option<Timestamp>,
    /// Any of these statuses.
    pub statuses: Vec<SessionStatus>,
    /// Any of these scenarios.
    pub scenario_ids: Vec<String>,
    /// Every one of these fields.
    pub fields: Vec<FieldFilter>,
    /// Any of these error codes, each matching itself and the codes under it (`document.mrz`
    /// matches `document.mrz.check_digit_refuted`).
    pub error_codes: Vec<String>,
}

fn normalise(text: &str) -> String {
    text.split_whitespace()
        .map(str::to_lowercase)
        .collect::<Vec<_>>()
        .join(" ")
}

impl ReportFilter {
    /// Refuses filters that can match nothing by mistake.
    pub fn validate(&self) -> Result<(), ReportError> {
        if let (Some(from), Some(to)) = (self.from, self.to)
            && from > to
        {
            return Err(ReportError::InvalidFilter("from is after to".to_owned()));
        }
        if self.fields.iter().any(|f| f.name.trim().is_empty()) {
            return Err(ReportError::InvalidFilter("empty field name".to_owned()));
        }
        Ok(())
    }

    /// Whether `row` passes.
    pub fn matches(&self, row: &ReportRow) -> bool {
        if self.from.is_some_and(|from| row.created_at < from)
            || self.to.is_some_and(|to| row.created_at >= to)
        {
            return false;
        }
        if !self.statuses.is_empty() && !self.statuses.contains(&row.status) {
            return false;
        }
        if !self.scenario_ids.is_empty() && !self.scenario_ids.contains(&row.scenario_id) {
            return false;
        }
        let fields_ok = self.fields.iter().all(|f| {
            row.field(&f.name)
                .is_some_and(|v| normalise(v) == normalise(&f.value))
        });
        if !fields_ok {
            return false;
        }
        self.error_codes.is_empty()
            || self.error_codes.iter().any(|wanted| {
                row.error_codes.iter().any(|code| {
                    code == wanted
                        || code
                            .strip_prefix(wanted.as_str())
                            .is_some_and(|rest| rest.starts_with('.'))
                })
            })
    }
}

/// What to sort by.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum SortKey {
    /// Opening time.
    #[default]
    CreatedAt,
    /// Last change.
    UpdatedAt,
    /// Status word.
    Status,
    /// Session id.
    SessionId,
    /// Scenario id.
    ScenarioId,
}

/// Order.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Sort {
    /// The key.
    pub key: SortKey,
    /// Largest first.
    pub descending: bool,
}

impl Sort {
    /// Compares two rows; ties keep input order (the caller breaks them by position).
    pub fn compare(&self, a: &ReportRow, b: &ReportRow) -> std::cmp::Ordering {
        let ord = match self.key {
            SortKey::CreatedAt => a.created_at.cmp(&b.created_at),
            SortKey::UpdatedAt => a.updated_at.cmp(&b.updated_at),
            SortKey::Status => a.status.as_str().cmp(b.status.as_str()),
            SortKey::SessionId => a.session_id.cmp(&b.session_id),
            SortKey::ScenarioId => a.scenario_id.cmp(&b.scenario_id),
        };
        if self.descending { ord.reverse() } else { ord }
    }
}

/// Which slice of the sorted matches.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct PageRequest {
    /// Rows skipped.
    pub offset: usize,
    /// Rows returned, at most [`MAX_PAGE_SIZE`].
    pub limit: usize,
}

impl Default for PageRequest {
    fn default() -> Self {
        Self {
            offset: 0,
            limit: 100,
        }
    }
}
