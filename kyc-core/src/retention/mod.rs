//! Retention: from sessions and their scenarios, list what must be purged now
//! (`limits.retention_days`, 0 = without limit; see [`decide`] for the exact day boundary), and purge
//! personal data and images while keeping an anonymised [`AuditRecord`].

mod decide;
mod purge;

pub use decide::{DAY_SECONDS, PurgeItem, PurgeList, RetentionDecision, decide, due, due_at};
pub use purge::{
    AUDIT_SCHEMA_VERSION, AuditCapture, AuditCheck, AuditDatabaseCheck, AuditDecision, AuditRecord,
    ImageRef, Purged, purge,
};
