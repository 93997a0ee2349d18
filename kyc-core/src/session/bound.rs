//! A session's stored size, bounded so that the stored form always loads back under the JSON limit
//! ([`crate::json::MAX_JSON_BYTES`], less a seal's bytes). Without a bound a session grows with
//! every capture (a scenario may allow 100 failed attempts on each of 20 steps, each carrying
//! every check's evidence) until the host can no longer load what it stored.
//!
//! The rule, applied after each capture is recorded:
//! 1. every check message is cut to [`MAX_MESSAGE_CHARS`] characters;
//! 2. each step keeps the full record of its last [`FULL_CAPTURES_KEPT`] captures; older ones (all
//!    failed: a passed or unavailable capture ends its step) are compacted: their document,
//!    selfie and face data are dropped and only their failed checks kept;
//! 3. while the stored form is over [`SESSION_BUDGET`], the oldest compacted capture keeps only its
//!    critical failed checks, without messages, and one of each image kind.
//!
//! What the decision reads never changes: a compacted capture keeps its time, outcome, reason code
//! and critical failures, so attempts, critical errors and the document read (from captures that
//! did not fail) are the same before and after. Admission refuses a new capture to a session
//! still over the budget (`capture.session_full`), which the steps above make a corner case.

use super::record::{CaptureOutcome, CaptureRecord, Session};
use crate::check::CheckOutcome;
use crate::json::MAX_JSON_BYTES;

/// Longest check message kept, in characters (the catalogue's are under 200).
pub const MAX_MESSAGE_CHARS: usize = 1000;
/// Captures per step kept in full; older ones are compacted.
pub const FULL_CAPTURES_KEPT: usize = 3;
/// The stored form's budget in bytes: three quarters of the JSON limit, leaving room for the
/// seal, a capture's record, operators' decisions and registry answers.
pub const SESSION_BUDGET: usize = MAX_JSON_BYTES / 4 * 3;

/// Cuts `message` to [`MAX_MESSAGE_CHARS`] characters.
fn cut(message: &mut String) {
    if let Some((at, _)) = message.char_indices().nth(MAX_MESSAGE_CHARS) {
        message.truncate(at);
    }
}

/// Step 2's compaction: failed checks only, no document, selfie or face data.
fn compact(capture: &mut CaptureRecord) {
    capture.checks.retain(|c| c.outcome == CheckOutcome::Failed);
    capture.document = None;
    capture.selfie = None;
    capture.face_match = None;
    capture.customer_match = None;
    capture.compacted = true;
}

/// Step 3's: critical failures only, without messages; one of each image kind.
fn shrink(capture: &mut CaptureRecord) {
    compact(capture);
    capture.checks.retain(|c| c.is_critical_failure());
    for check in &mut capture.checks {
        check.message.clear();
    }
    let mut kinds = Vec::new();
    for kind in capture.images.drain(..) {
        if !kinds.contains(&kind) {
            kinds.push(kind);
        }
    }
    capture.images = kinds;
}

/// Indices of the failed captures before a step's last `keep` (a step's last capture is never
/// compacted: it may be the one that ended the step).
fn older_failed(captures: &[CaptureRecord], keep: usize) -> impl Iterator<Item = usize> + '_ {
    let end = captures.len().saturating_sub(keep);
    (0..end).filter(move |&i| captures[i].outcome == CaptureOutcome::Failed)
}

/// Applies the rule to `session` (after a capture was recorded).
pub(super) fn bound(session: &mut Session) {
    for step in &mut session.steps {
        for capture in &mut step.captures {
            for check in &mut capture.checks {
                cut(&mut check.message);
            }
        }
        for i in older_failed(&step.captures, FULL_CAPTURES_KEPT).collect::<Vec<_>>() {
            compact(&mut step.captures[i]);
        }
    }
    if stored_len(session) <= SESSION_BUDGET {
        return;
    }
    // Oldest first across steps, one capture at a time, until the session fits.
    let mut order: Vec<(jiff::Timestamp, usize, usize)> = Vec::new();
    for (s, step) in session.steps.iter().enumerate() {
        for i in older_failed(&step.captures, 1) {
            order.push((step.captures[i].at, s, i));
        }
    }
    order.sort();
    for chunk in order.chunks(16) {
        for &(_, s, i) in chunk {
            if let Some(capture) = session
                .steps
                .get_mut(s)
                .and_then(|st| st.captures.get_mut(i))
            {
                shrink(capture);
            }
        }
        if stored_len(session) <= SESSION_BUDGET {
            return;
        }
    }
}

/// The stored form's length in bytes (plain JSON; a seal adds [`super::SEAL_OVERHEAD`]).
pub fn stored_len(session: &Session) -> usize {
    session.to_json().len()
}

/// Whether the session is still over the budget (admission then refuses new captures).
pub(super) fn over_budget(session: &Session) -> bool {
    stored_len(session) > SESSION_BUDGET
}
