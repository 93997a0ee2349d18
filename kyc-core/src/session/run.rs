//! A whole verification from one set of images: each step of the scenario gets the images it asks
//! for, in order, until one is missing or the session stops taking captures. What the `verify`
//! example and the bindings' one-call verification share, so that no host re-implements it.

use crate::analysis::{CaptureImage, ImageData, ImageKind};
use crate::error::Error;
use crate::scenario::{Scenario, Step};

use super::engine::Engine;
use super::record::Session;

/// The images a person gave, by role. Document images fill the document steps' sides in order
/// (front, then back, step after step).
#[derive(Clone, Default)]
pub struct CaptureSet {
    /// Document images, in the order the steps' sides ask for them.
    pub documents: Vec<ImageData>,
    /// The selfie (also the passive-liveness image).
    pub selfie: Option<ImageData>,
    /// A selfie holding the document, for selfie steps that ask for one.
    pub selfie_with_document: Option<ImageData>,
    /// Active-liveness frames, in order.
    pub liveness_frames: Vec<ImageData>,
}

impl Engine {
    /// Submits `images` to the steps of `scenario` in order. A step whose images are not in the
    /// set is left open (the person stopped there); a refused capture returns its error.
    pub fn run_captures(
        &self,
        scenario: &Scenario,
        session: &mut Session,
        images: &CaptureSet,
    ) -> Result<(), Error> {
        let mut documents = images.documents.iter();
        for step in &scenario.steps {
            let Some(captures) = images_for(step, &mut documents, images) else {
                break;
            };
            self.submit_capture(scenario, session, step.id(), &captures)?;
            if !session.status.accepts_captures() {
                break;
            }
        }
        Ok(())
    }
}

fn image(kind: ImageKind, data: &ImageData) -> CaptureImage {
    CaptureImage::new(kind, data.clone())
}

fn images_for<'a>(
    step: &Step,
    documents: &mut impl Iterator<Item = &'a ImageData>,
    set: &CaptureSet,
) -> Option<Vec<CaptureImage>> {
    let required = step.capture_requirement();
    let mut captures: Vec<CaptureImage> = required
        .images
        .iter()
        .map(|kind| {
            let data = match kind {
                ImageKind::DocumentFront | ImageKind::DocumentBack => documents.next()?,
                ImageKind::Selfie => set.selfie.as_ref()?,
                ImageKind::SelfieWithDocument => set.selfie_with_document.as_ref()?,
                ImageKind::LivenessFrame => return None,
            };
            Some(image(*kind, data))
        })
        .collect::<Option<_>>()?;
    if required.frames.is_some() {
        if set.liveness_frames.is_empty() {
            return None;
        }
        captures.extend(
            set.liveness_frames
                .iter()
                .map(|f| image(ImageKind::LivenessFrame, f)),
        );
    }
    Some(captures)
}
