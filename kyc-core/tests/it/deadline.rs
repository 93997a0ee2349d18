//! A capture bounded in time or cancelled by the host stops with a typed error and is not
//! recorded: the session is as it was, and the next capture counts as the first attempt.

use std::sync::Arc;
use std::time::Duration;

use kyc_core::analysis::{
    AnalysisContext, CaptureImage, DocumentAnalysis, DocumentAnalyzer, ImageKind,
};
use kyc_core::capture::{CancelHandle, Deadline, ManualTicker};
use kyc_core::scenario::DocumentStep;
use kyc_core::session::Origin;
use kyc_core::{Engine, Error, FixedClock, Scenario, SeededEntropy, SessionStatus};

use crate::common::{ScriptedDocuments, image, mrz_ok, passport_data, scenario, t0};

/// A document reader that takes `takes` of the ticker's time (and, when given a handle, has the
/// host cancel the capture while it reads), then answers as `inner` does.
struct Slow {
    ticker: Arc<ManualTicker>,
    takes: Duration,
    cancel: std::sync::Mutex<Option<CancelHandle>>,
    inner: Arc<ScriptedDocuments>,
}

impl DocumentAnalyzer for Slow {
    fn analyze(
        &self,
        step: &DocumentStep,
        images: &[CaptureImage],
        ctx: &AnalysisContext<'_>,
    ) -> Result<DocumentAnalysis, Error> {
        self.ticker.advance(self.takes);
        if let Some(handle) = self.cancel.lock().unwrap().take() {
            std::thread::spawn(move || handle.cancel()).join().unwrap();
        }
        self.inner.analyze(step, images, ctx)
    }
}

fn slow(ticker: &Arc<ManualTicker>, takes: Duration) -> Arc<Slow> {
    let read = || {
        (
            passport_data("L898902C3", "1974-08-12", "2032-04-15"),
            vec![mrz_ok()],
        )
    };
    Arc::new(Slow {
        ticker: Arc::clone(ticker),
        takes,
        cancel: std::sync::Mutex::new(None),
        inner: ScriptedDocuments::new(vec![read(), read()]),
    })
}

fn engine(reader: Arc<Slow>, ticker: &Arc<ManualTicker>) -> Engine {
    Engine::builder(
        Arc::new(FixedClock(t0())),
        Arc::new(SeededEntropy::from_u64(7)),
    )
    .document_analyzer(reader)
    .capture_deadline(ticker.clone(), Duration::from_secs(5))
    .build()
}

fn passport_only() -> Scenario {
    let mut s = scenario("passport_selfie");
    s.steps.truncate(1);
    s
}

#[test]
fn a_capture_past_its_budget_is_refused_and_not_recorded() {
    let ticker = Arc::new(ManualTicker::default());
    let reader = slow(&ticker, Duration::from_secs(6));
    let engine = engine(Arc::clone(&reader), &ticker);
    let scenario = passport_only();
    let mut session = engine.create_session(&scenario, Origin::Api);
    let before = session.clone();
    let err = engine
        .submit_capture(
            &scenario,
            &mut session,
            "passport",
            &[image(ImageKind::DocumentFront)],
        )
        .unwrap_err();
    assert_eq!(err.code(), "capture.deadline_exceeded", "{err}");
    assert!(err.to_string().contains("5000 ms"), "{err}");
    assert_eq!(
        session, before,
        "a refused capture leaves the session as it was"
    );

    // Within its budget the same capture is recorded as the first attempt.
    let ok_reader = slow(&ticker, Duration::from_secs(1));
    let engine = self::engine(ok_reader, &ticker);
    let report = engine
        .submit_capture(
            &scenario,
            &mut session,
            "passport",
            &[image(ImageKind::DocumentFront)],
        )
        .unwrap();
    assert_eq!(report.attempt, 1);
    assert_ne!(session.status, SessionStatus::Created);
}

#[test]
fn a_capture_the_host_cancels_stops_with_its_own_code() {
    let ticker = Arc::new(ManualTicker::default());
    let reader = slow(&ticker, Duration::ZERO);
    let deadline = Deadline::cancellable();
    *reader.cancel.lock().unwrap() = deadline.cancel_handle();
    let engine = engine(Arc::clone(&reader), &ticker);
    let scenario = passport_only();
    let mut session = engine.create_session(&scenario, Origin::Api);
    let before = session.clone();
    let err = engine
        .submit_capture_until(
            &scenario,
            &mut session,
            "passport",
            &[image(ImageKind::DocumentFront)],
            &deadline,
        )
        .unwrap_err();
    assert_eq!(err.code(), "capture.cancelled", "{err}");
    assert_eq!(session, before);
}
