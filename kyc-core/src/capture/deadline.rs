//! A capture's time bound and its cancellation: the host sets a budget per capture (or cancels one
//! from another thread), and every stage of the analysis checks it before it starts. A stage that
//! has started runs to its end (a model run cannot be interrupted), so a capture stops at most one
//! stage past its deadline; it then fails with a typed error and is not recorded (no attempt).
//!
//! Time comes from an injected [`Ticker`]: the engine never reads a clock by itself.

use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::Duration;

use crate::session::SessionError;

/// A monotonic time source: time since an arbitrary fixed origin, never going back.
pub trait Ticker: Send + Sync {
    /// Time since the origin.
    fn elapsed(&self) -> Duration;
}

/// The host's monotonic clock ([`std::time::Instant`]). Not in WebAssembly, where a page passes
/// its own (`performance.now()`).
#[cfg(not(target_arch = "wasm32"))]
#[derive(Debug, Clone, Copy)]
pub struct InstantTicker(std::time::Instant);

#[cfg(not(target_arch = "wasm32"))]
impl InstantTicker {
    /// Starts counting now.
    pub fn start() -> Self {
        Self(std::time::Instant::now())
    }
}

#[cfg(not(target_arch = "wasm32"))]
impl Ticker for InstantTicker {
    fn elapsed(&self) -> Duration {
        self.0.elapsed()
    }
}

/// Cancels the capture it came from, from any thread.
#[derive(Debug, Clone)]
pub struct CancelHandle(Arc<AtomicBool>);

impl CancelHandle {
    /// Asks the capture to stop at its next stage.
    pub fn cancel(&self) {
        self.0.store(true, Ordering::SeqCst);
    }
}

/// When a capture must stop: never (the default), past a time budget, or when cancelled.
#[derive(Clone, Default)]
pub struct Deadline {
    cancelled: Option<Arc<AtomicBool>>,
    until: Option<Until>,
}

/// No bound and no cancellation, for callers that need a `&'static` one.
pub static NO_DEADLINE: Deadline = Deadline::none();

#[derive(Clone)]
struct Until {
    ticker: Arc<dyn Ticker>,
    at: Duration,
    budget: Duration,
}

impl std::fmt::Debug for Deadline {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Deadline")
            .field(
                "cancelled",
                &self.cancelled.as_ref().map(|c| c.load(Ordering::SeqCst)),
            )
            .field("budget", &self.until.as_ref().map(|u| u.budget))
            .finish()
    }
}

impl Deadline {
    /// No time bound and no cancellation.
    pub const fn none() -> Self {
        Self {
            cancelled: None,
            until: None,
        }
    }

    /// No time bound; cancellable through [`Deadline::cancel_handle`].
    pub fn cancellable() -> Self {
        Self {
            cancelled: Some(Arc::default()),
            until: None,
        }
    }

    /// `budget` from now, by `ticker`; also cancellable.
    pub fn after(ticker: Arc<dyn Ticker>, budget: Duration) -> Self {
        let at = ticker.elapsed().saturating_add(budget);
        Self {
            cancelled: Some(Arc::default()),
            until: Some(Until { ticker, at, budget }),
        }
    }

    /// A handle that cancels this capture from another thread (none for [`Deadline::none`]).
    pub fn cancel_handle(&self) -> Option<CancelHandle> {
        self.cancelled.as_ref().map(|c| CancelHandle(Arc::clone(c)))
    }

    /// `Ok` while the capture may go on; before `stage` starts, the typed reason it may not.
    pub fn check(&self, stage: &'static str) -> Result<(), SessionError> {
        if self
            .cancelled
            .as_ref()
            .is_some_and(|c| c.load(Ordering::SeqCst))
        {
            return Err(SessionError::Cancelled { stage });
        }
        match &self.until {
            Some(u) if u.ticker.elapsed() > u.at => Err(SessionError::DeadlineExceeded {
                stage,
                budget_ms: u64::try_from(u.budget.as_millis()).unwrap_or(u64::MAX),
            }),
            _ => Ok(()),
        }
    }
}

/// A ticker that tests move by hand.
#[derive(Debug, Default)]
pub struct ManualTicker(std::sync::Mutex<Duration>);

impl ManualTicker {
    /// Moves time forward.
    pub fn advance(&self, by: Duration) {
        let mut now = self.0.lock().unwrap_or_else(|p| p.into_inner());
        *now = now.saturating_add(by);
    }
}

impl Ticker for ManualTicker {
    fn elapsed(&self) -> Duration {
        *self.0.lock().unwrap_or_else(|p| p.into_inner())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_budget_runs_out_and_says_where() {
        let ticker = Arc::new(ManualTicker::default());
        let deadline = Deadline::after(ticker.clone(), Duration::from_millis(300));
        assert!(deadline.check("document.read").is_ok());
        ticker.advance(Duration::from_millis(300));
        assert!(deadline.check("document.read").is_ok(), "at the deadline");
        ticker.advance(Duration::from_millis(1));
        let err = deadline.check("document.visual").unwrap_err();
        assert_eq!(err.code(), "capture.deadline_exceeded");
        assert!(err.to_string().contains("document.visual"), "{err}");
        assert!(err.to_string().contains("300 ms"), "{err}");
    }

    #[test]
    fn cancelling_from_another_thread_stops_the_next_stage() {
        assert!(Deadline::none().cancel_handle().is_none());
        let deadline = Deadline::cancellable();
        let handle = deadline.cancel_handle().unwrap();
        assert!(deadline.check("face.detect").is_ok());
        std::thread::spawn(move || handle.cancel()).join().unwrap();
        assert_eq!(
            deadline.check("face.detect").unwrap_err().code(),
            "capture.cancelled"
        );
        // Clones share the flag: the analysers hold clones.
        assert!(deadline.clone().check("face.embed").is_err());
    }
}
