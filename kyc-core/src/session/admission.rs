//! Admission: a capture is analysed only when the session takes captures, it is for the step the
//! person is on, and it holds exactly the images that step requires, within the byte and pixel
//! limits. A refused capture is no attempt and leaves the session as it was (except that a session
//! whose lifetime ran out freezes).

use super::engine::Engine;
use super::record::Session;
use super::{SessionError, SessionStatus};
use crate::capture::{CaptureImage, ImageKind};
use crate::error::Error;
use crate::image::{ImageLimits, precheck};
use crate::scenario::{Scenario, Step};

/// Limits on one capture, checked before analysis.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct CaptureLimits {
    /// Per image.
    pub image: ImageLimits,
    /// All images of one capture together, in bytes.
    pub max_total_bytes: usize,
}

impl Default for CaptureLimits {
    fn default() -> Self {
        Self {
            image: ImageLimits::default(),
            max_total_bytes: 200 << 20,
        }
    }
}

impl Engine {
    /// Refuses what cannot be judged; otherwise returns the step's record index and the step.
    pub(super) fn admit<'s>(
        &self,
        scenario: &'s Scenario,
        session: &mut Session,
        step_id: &str,
        images: &[CaptureImage],
    ) -> Result<(usize, &'s Step), Error> {
        if session.scenario_id != scenario.id {
            return Err(SessionError::ScenarioMismatch {
                session: session.scenario_id.clone(),
                given: scenario.id.clone(),
            }
            .into());
        }
        self.refresh(scenario, session);
        if session.status == SessionStatus::Frozen {
            return Err(SessionError::Frozen.into());
        }
        if !session.status.accepts_captures() {
            return Err(SessionError::IllegalTransition {
                status: session.status,
                operation: "take captures",
            }
            .into());
        }
        let (step_index, step) = scenario
            .step(step_id)
            .ok_or_else(|| SessionError::UnknownStep(step_id.to_owned()))?;
        let record_index = session
            .steps
            .iter()
            .position(|s| s.step_id == step_id)
            .ok_or_else(|| SessionError::UnknownStep(step_id.to_owned()))?;
        match session.current_step(scenario) {
            Some((current, record)) if current < step_index => {
                return Err(SessionError::StepOutOfOrder {
                    given: step_id.to_owned(),
                    current: record.step_id.clone(),
                }
                .into());
            }
            Some((current, _)) if current > step_index => {
                return Err(SessionError::StepCompleted(step_id.to_owned()).into());
            }
            None => return Err(SessionError::StepCompleted(step_id.to_owned()).into()),
            Some(_) => {}
        }
        self.check_images(step, images)?;
        if super::bound::over_budget(session) {
            return Err(SessionError::BadCapture {
                code: "capture.session_full",
                message: format!(
                    "the stored session is over {} bytes even with older captures compacted",
                    super::bound::SESSION_BUDGET
                ),
            }
            .into());
        }
        Ok((record_index, step))
    }

    fn check_images(&self, step: &Step, images: &[CaptureImage]) -> Result<(), Error> {
        let bad = |code: &'static str, message: String| -> Error {
            SessionError::BadCapture { code, message }.into()
        };
        if images.is_empty() {
            return Err(bad(
                "capture.no_images",
                "a capture needs at least one image".into(),
            ));
        }
        let total: usize = images.iter().map(|i| i.data.len()).sum();
        if total > self.limits.max_total_bytes {
            return Err(bad(
                "capture.too_large",
                format!(
                    "capture holds {total} bytes, over {}",
                    self.limits.max_total_bytes
                ),
            ));
        }
        for image in images {
            precheck(&image.data, &self.limits.image)?;
        }
        let required = step.capture_requirement();
        let count = |kind: ImageKind| images.iter().filter(|i| i.kind == kind).count();
        if let Some((min, max)) = required.frames {
            let frames = count(ImageKind::LivenessFrame);
            if frames < min || frames > max {
                return Err(bad(
                    "capture.frame_count",
                    format!("active liveness needs {min} to {max} frames, got {frames}"),
                ));
            }
        }
        if let Some(other) = images.iter().find(|i| !required.allows(i.kind)) {
            return Err(bad(
                "capture.unexpected_image",
                format!(
                    "a {:?} image does not belong to step '{}'",
                    other.kind,
                    step.id()
                ),
            ));
        }
        for kind in &required.images {
            if count(*kind) != 1 {
                return Err(bad(
                    "capture.missing_image",
                    format!("step '{}' needs exactly one {kind:?} image", step.id()),
                ));
            }
        }
        Ok(())
    }
}
