//! Reports over stored sessions.

mod error;

pub use error::ReportError;

/// Largest page.
pub const MAX_PAGE_SIZE: usize = 10_000;
