//! Filtering, sorting and paging over a stream of sessions in bounded memory.

use super::{PageRequest, ReportError, ReportFilter, ReportRow, Sort};
use crate::session::Session;

/// One page of a sorted report.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Page {
    /// The rows.
    pub rows: Vec<ReportRow>,
    /// Sessions that matched the filter in all.
    pub total_matched: u64,
    /// Sessions read.
    pub total_read: u64,
}

/// Filters `sessions`, sorts the matches and returns one page. Holds at most about
/// `2 × (offset + limit)` rows at a time however many sessions stream through, so `offset + limit`
/// is bounded by [`super::MAX_PAGE_SIZE`] × 10.
pub fn query<I>(
    sessions: I,
    filter: &ReportFilter,
    sort: Sort,
    page: PageRequest,
) -> Result<Page, ReportError>
where
    I: IntoIterator<Item = Result<Session, ReportError>>,
{
    filter.validate()?;
    if page.limit > super::MAX_PAGE_SIZE {
        return Err(ReportError::PageTooLarge(page.limit));
    }
    let keep = page.offset.saturating_add(page.limit);
    if keep > super::MAX_PAGE_SIZE * 10 {
        return Err(ReportError::PageTooLarge(keep));
    }
    let mut best: Vec<(u64, ReportRow)> = Vec::new();
    let (mut read, mut matched) = (0u64, 0u64);
    let cmp =
        |a: &(u64, ReportRow), b: &(u64, ReportRow)| sort.compare(&a.1, &b.1).then(a.0.cmp(&b.0));
    for session in sessions {
        let session = session?;
        read += 1;
        let row = ReportRow::from_session(&session);
        if !filter.matches(&row) {
            continue;
        }
        matched += 1;
        if keep == 0 {
            continue;
        }
        best.push((read, row));
        if best.len() >= keep.saturating_mul(2).max(64) {
            best.sort_by(cmp);
            best.truncate(keep);
        }
    }
    best.sort_by(cmp);
    best.truncate(keep);
    Ok(Page {
        rows: best.into_iter().skip(page.offset).map(|(_, r)| r).collect(),
        total_matched: matched,
        total_read: read,
    })
}
