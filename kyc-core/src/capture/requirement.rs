//! What one capture of each kind of step must hold, defined once: the session admits a capture by
//! it, [`crate::session::CaptureSet`] fills steps by it, and hosts that collect images ask it
//! what to prompt for.

use super::ImageKind;
use crate::scenario::{DocumentSide, LivenessMode, Step};

/// Fewest frames of an active-liveness capture: a frontal start and one movement need at least
/// a start, a peak and a return.
pub const MIN_LIVENESS_FRAMES: usize = 3;

/// Most frames of an active-liveness capture. Every frame is decoded and searched for a face, so
/// this bounds a capture's work; a host samples a longer recording down to it (a few frames a
/// second is enough to see a head turn).
pub const MAX_LIVENESS_FRAMES: usize = 64;

/// What one capture of a step must hold.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct CaptureRequirement {
    /// Images the capture must hold, each exactly once, in the order a host asks for them.
    pub images: Vec<ImageKind>,
    /// Active liveness: the fewest and most [`ImageKind::LivenessFrame`] images, in order.
    pub frames: Option<(usize, usize)>,
}

impl CaptureRequirement {
    /// Whether an image of `kind` belongs in the capture at all.
    pub fn allows(&self, kind: ImageKind) -> bool {
        self.images.contains(&kind) || (kind == ImageKind::LivenessFrame && self.frames.is_some())
    }
}

/// The image kind of a document side.
pub fn document_image_kind(side: DocumentSide) -> ImageKind {
    match side {
        DocumentSide::Front => ImageKind::DocumentFront,
        DocumentSide::Back => ImageKind::DocumentBack,
    }
}

impl Step {
    /// What one capture of this step must hold.
    pub fn capture_requirement(&self) -> CaptureRequirement {
        match self {
            Step::Document(d) => CaptureRequirement {
                images: d.sides.iter().map(|s| document_image_kind(*s)).collect(),
                frames: None,
            },
            Step::Selfie(s) => {
                let mut images = vec![ImageKind::Selfie];
                if s.checks.document_in_hand {
                    images.push(ImageKind::SelfieWithDocument);
                }
                CaptureRequirement {
                    images,
                    frames: None,
                }
            }
            Step::Liveness(l) => match l.mode {
                LivenessMode::Passive => CaptureRequirement {
                    images: vec![ImageKind::Selfie],
                    frames: None,
                },
                LivenessMode::Active => CaptureRequirement {
                    images: Vec::new(),
                    frames: Some((MIN_LIVENESS_FRAMES, MAX_LIVENESS_FRAMES)),
                },
            },
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::scenario::{LivenessStep, SelfieChecks, SelfieStep};

    #[test]
    fn each_step_kind_names_its_images() {
        let selfie = Step::Selfie(SelfieStep {
            id: "s".into(),
            checks: SelfieChecks {
                document_in_hand: true,
                ..SelfieChecks::default()
            },
        });
        let req = selfie.capture_requirement();
        assert_eq!(
            req.images,
            vec![ImageKind::Selfie, ImageKind::SelfieWithDocument]
        );
        assert!(!req.allows(ImageKind::LivenessFrame));
        let active = Step::Liveness(LivenessStep {
            id: "l".into(),
            mode: LivenessMode::Active,
            challenges: 2,
            spoof_model: false,
        });
        let req = active.capture_requirement();
        assert!(req.images.is_empty());
        assert_eq!(req.frames, Some((MIN_LIVENESS_FRAMES, MAX_LIVENESS_FRAMES)));
        assert!(req.allows(ImageKind::LivenessFrame));
        assert!(!req.allows(ImageKind::Selfie));
    }
}
