//! The engine's face analyser on native hosts: selfie checks from the face pipeline, and the
//! document portrait added to whatever document analyser runs.

use std::sync::Arc;

use image::RgbImage;

use super::active;
use super::age_gender::{self, AgeGender};
use super::antispoofing::{self, FaceAntiSpoofing};
use super::detect::{Face, largest};
use super::generated;
use super::matcher;
use super::passive;
use super::pipeline::FacePipeline;
use super::portrait_copy;
use super::portrait_person;
use super::pose;
use super::selfie_quality;
use super::{FaceTemplate, Gender, SelfieData};
use crate::analysis::{
    AnalysisContext, CaptureImage, DocumentAnalysis, DocumentAnalyzer, FaceAnalysis, FaceAnalyzer,
    ImageData, ImageKind,
};
use crate::check::CheckResult;
use crate::check::catalogue::document::{
    PORTRAIT, PORTRAIT_PERSON_NO_FACE, PORTRAIT_PERSON_NO_MODEL,
};
use crate::check::catalogue::liveness::PassiveRows;
use crate::check::catalogue::selfie as catalogue;
use crate::check::catalogue::{CheckSpec, liveness};
use crate::document::DocumentData;
use crate::error::Error;
use crate::forensics;
use crate::image::ImageLimits;
use crate::model::{LazyModel, ModelError};
use crate::scenario::{DocumentStep, LivenessMode, LivenessStep, SelfieStep};

pub use crate::check::catalogue::document::MIN_PORTRAIT_SCORE;
pub use crate::check::catalogue::selfie::MIN_EYE_DISTANCE_PX;

/// Smallest held document portrait, in pixels between the eyes, that is embedded at all. A
/// portrait on a card held at arm's length is small; below this the detector's landmarks are too
/// coarse for alignment, and the match is reported unavailable rather than guessed.
pub const MIN_HELD_PORTRAIT_EYE_DISTANCE_PX: f64 = 12.0;

/// Selfie analysis with the face pipeline (YuNet + its embedder), and the dlib age and gender networks when
/// they are loaded.
#[derive(Debug, Clone)]
pub struct PipelineFaceAnalyzer {
    pipeline: Arc<FacePipeline>,
    age_gender: Option<Arc<AgeGender>>,
    anti_spoofing: Option<Arc<LazyModel<FaceAntiSpoofing>>>,
    limits: ImageLimits,
}

impl PipelineFaceAnalyzer {
    /// Wraps a loaded pipeline.
    pub fn new(pipeline: Arc<FacePipeline>) -> Self {
        Self {
            pipeline,
            age_gender: None,
            anti_spoofing: None,
            limits: ImageLimits::default(),
        }
    }

    /// Adds age and gender estimation (without it `selfie.age_gender_match` is unavailable).
    pub fn with_age_gender(mut self, estimator: Arc<AgeGender>) -> Self {
        self.age_gender = Some(estimator);
        self
    }

    /// Adds the FaceAntiSpoofing model, for passive-liveness steps that ask for it (`spoof_model`;
    /// without the model their `.model` check is unavailable).
    pub fn with_anti_spoofing(self, model: Arc<FaceAntiSpoofing>) -> Self {
        self.with_lazy_anti_spoofing(Arc::new(LazyModel::ready(antispoofing::MODEL, model)))
    }

    /// Adds the FaceAntiSpoofing model, built the first time a step asks for it.
    pub fn with_lazy_anti_spoofing(mut self, model: Arc<LazyModel<FaceAntiSpoofing>>) -> Self {
        self.anti_spoofing = Some(model);
        self
    }

    /// Passive liveness of `face` under `rows`: the image signals, and the model's verdict when
    /// `spoof_model`.
    fn passive_liveness(
        &self,
        image: &RgbImage,
        face: &Face,
        rows: &PassiveRows,
        spoof_model: bool,
    ) -> Result<Vec<CheckResult>, Error> {
        let mut verdict = passive::assess(image, face, rows);
        if spoof_model {
            // A file removed after start-up reads as no model; an altered one is an error.
            let model = match self.anti_spoofing.as_ref().map(|m| m.get()) {
                Some(Ok(model)) => Some(model),
                Some(Err(ModelError::Missing { .. })) | None => None,
                Some(Err(e)) => return Err(e.into()),
            };
            match model {
                Some(model) => {
                    let spoof = model.score(image, &face.bbox)?;
                    verdict.add_signal(spoof.check(rows.model), spoof.ratio());
                }
                None => verdict.signals.push(
                    rows.model
                        .not_made("the FaceAntiSpoofing model is not loaded"),
                ),
            }
        }
        Ok(verdict.signals)
    }
}

/// The capture's image of `kind`, decoded once for every stage that reads it.
fn decode_kind(
    images: &[CaptureImage],
    kind: ImageKind,
    limits: &ImageLimits,
) -> Result<Option<Arc<RgbImage>>, Error> {
    images
        .iter()
        .find(|i| i.kind == kind)
        .map(|i| i.pixels(limits).map_err(Error::from))
        .transpose()
}

fn eye_distance(face: &Face) -> f64 {
    let [l, r] = [face.landmarks[0], face.landmarks[1]];
    f64::from(((r[0] - l[0]).powi(2) + (r[1] - l[1]).powi(2)).sqrt())
}

/// The face to embed: only a lone, large enough one (with several faces the engine cannot know
/// whose selfie it is; a much smaller one would have identity detail invented, not seen).
fn lone_face(faces: &[Face]) -> Option<&Face> {
    (faces.len() == 1)
        .then(|| largest(faces))
        .flatten()
        .filter(|f| eye_distance(f) >= MIN_EYE_DISTANCE_PX)
}

/// Face-count and face-size evidence for one image.
pub fn quality_checks(faces: &[Face]) -> Vec<CheckResult> {
    let count = faces.len();
    let mut checks = vec![catalogue::FACE_COUNT.rule_as(
        count == 1,
        match count {
            0 => catalogue::NO_FACE,
            1 => catalogue::ONE_FACE,
            _ => catalogue::SEVERAL_FACES,
        },
        format!("{count} face(s) found"),
    )];
    if let Some(main) = largest(faces) {
        checks.push(catalogue::FACE_SIZE.scored(eye_distance(main), "pixels between the eyes"));
    }
    checks
}

/// The match evidence of two templates under `row`, and the match itself when they could be
/// compared.
fn compared(
    row: &CheckSpec,
    a: &FaceTemplate,
    b: &FaceTemplate,
) -> (CheckResult, Option<super::FaceMatch>) {
    // The threshold is the one calibrated for the model that made both templates.
    match matcher::compare_calibrated(a, b) {
        Some(m) => (matcher::check(row, &m), Some(m)),
        None => (
            row.unavailable(
                catalogue::MATCH_INCOMPATIBLE,
                "templates of different models, or of a model without a calibrated threshold",
            ),
            None,
        ),
    }
}

fn face_match_check(
    template: Option<&FaceTemplate>,
    portrait: Option<&FaceTemplate>,
) -> (CheckResult, Option<super::FaceMatch>) {
    let row = &catalogue::FACE_MATCH;
    match (template, portrait) {
        (Some(t), Some(p)) => compared(row, t, p),
        (None, _) => (
            row.unavailable(catalogue::MATCH_NO_FACE, "no usable face in the selfie"),
            None,
        ),
        (_, None) => (
            row.unavailable(
                catalogue::MATCH_NO_PORTRAIT,
                "no portrait was found on the document",
            ),
            None,
        ),
    }
}

impl FaceAnalyzer for PipelineFaceAnalyzer {
    fn analyze_selfie(
        &self,
        step: &SelfieStep,
        images: &[CaptureImage],
        ctx: &AnalysisContext<'_>,
    ) -> Result<FaceAnalysis, Error> {
        let Some(image) = decode_kind(images, ImageKind::Selfie, &self.limits)? else {
            return Ok(FaceAnalysis::default());
        };
        ctx.deadline.check("selfie.face")?;
        let faces = self.pipeline.detect(&image)?;
        let mut checks = Vec::new();
        if step.checks.quality {
            checks.extend(quality_checks(&faces));
            if let Some(measured) = largest(&faces).and_then(|f| selfie_quality::measure(&image, f))
            {
                checks.extend(selfie_quality::checks(&measured));
            }
        }
        let main = lone_face(&faces);
        let template = match main {
            Some(face) => Some(self.pipeline.embed(&image, face)?),
            None => None,
        };
        let mut face_match = None;
        if step.checks.face_match {
            let (check, m) = face_match_check(template.as_ref(), ctx.document_portrait);
            checks.push(check);
            face_match = m;
            checks.push(portrait_copy::check(
                template.as_ref(),
                ctx.document_portrait,
            ));
        }
        if step.checks.document_in_hand {
            ctx.deadline.check("selfie.document_in_hand")?;
            checks.extend(self.document_in_hand(images, template.as_ref())?);
        }
        let estimate = match (&self.age_gender, main) {
            (Some(estimator), Some(face)) => estimator.estimate(&image, face)?,
            _ => None,
        };
        if step.checks.age_gender_match {
            match (&estimate, &self.age_gender) {
                (Some(e), _) => checks.extend(age_gender::match_checks(e, ctx.document, ctx.today)),
                (None, None) => checks.push(catalogue::AGE_GENDER_MATCH.unavailable(
                    catalogue::AGE_GENDER_NO_MODEL,
                    "the age and gender models are not loaded",
                )),
                (None, Some(_)) => checks.push(catalogue::AGE_GENDER_MATCH.unavailable(
                    catalogue::AGE_GENDER_NO_FACE,
                    "no single face large enough to estimate age and gender",
                )),
            }
        }
        if step.checks.screen_photo {
            let rows = &catalogue::SCREEN_PHOTO_SIGNALS;
            match largest(&faces) {
                Some(face) => checks.extend(self.passive_liveness(
                    &image,
                    face,
                    rows,
                    step.checks.spoof_model,
                )?),
                None => checks.push(rows.check.unavailable(rows.no_face, "no face to judge")),
            }
        }
        let original = images
            .iter()
            .find(|i| i.kind == ImageKind::Selfie)
            .and_then(|i| match &i.data {
                ImageData::Encoded(bytes) => Some(bytes.as_slice()),
                ImageData::Raw { .. } => None,
            });
        if step.checks.not_modified {
            // The file's metadata only: a JPEG ghost, which finds text pasted into a document,
            // misses a face swap (the pasted face is scaled, which erases the 8 x 8 grid it would
            // carry: 8 of 97 simulated swaps of the shared photos kept one, examples/
            // eval_selfie_edits.rs).
            checks.push(forensics::metadata_check(
                &catalogue::NOT_MODIFIED_METADATA,
                original.is_some(),
                original.and_then(forensics::editing_software),
            ));
        }
        if step.checks.deepfake {
            // Provenance labels only (and `generator_framing` below): no pixel-level detector of
            // generated or swapped faces could be validated here (no labelled set of them).
            checks.push(forensics::provenance::synthetic_media_check(
                &catalogue::DEEPFAKE,
                original.is_some(),
                original.and_then(forensics::synthetic_mark),
            ));
        }
        if step.checks.generator_framing {
            checks.push(generated::check(largest(&faces).and_then(|face| {
                generated::ffhq_offset(image.width(), image.height(), &face.landmarks)
            })));
        }
        Ok(FaceAnalysis {
            selfie: Some(SelfieData {
                faces_found: u32::try_from(faces.len()).unwrap_or(u32::MAX),
                estimated_age: estimate.map(|e| e.age),
                estimated_gender: estimate.map(|e| {
                    if e.male_probability >= 0.5 {
                        (Gender::Male, e.male_probability)
                    } else {
                        (Gender::Female, 1.0 - e.male_probability)
                    }
                }),
                template,
            }),
            face_match,
            checks,
        })
    }

    fn analyze_liveness(
        &self,
        step: &LivenessStep,
        images: &[CaptureImage],
        ctx: &AnalysisContext<'_>,
    ) -> Result<FaceAnalysis, Error> {
        match step.mode {
            LivenessMode::Active => self.active_liveness(step, images, ctx),
            LivenessMode::Passive => {
                let Some(image) = decode_kind(images, ImageKind::Selfie, &self.limits)? else {
                    return Ok(FaceAnalysis::default());
                };
                let faces = self.pipeline.detect(&image)?;
                let rows = &liveness::PASSIVE_SIGNALS;
                let checks = match largest(&faces) {
                    Some(face) => self.passive_liveness(&image, face, rows, step.spoof_model)?,
                    None => vec![rows.check.unavailable(rows.no_face, "no face to judge")],
                };
                // The live face's template: the engine binds it to the selfie and the document
                // portrait, and searches the face lists with it.
                let template = match lone_face(&faces) {
                    Some(face) => Some(self.pipeline.embed(&image, face)?),
                    None => None,
                };
                Ok(FaceAnalysis {
                    selfie: Some(SelfieData {
                        faces_found: u32::try_from(faces.len()).unwrap_or(u32::MAX),
                        estimated_age: None,
                        estimated_gender: None,
                        template,
                    }),
                    checks,
                    ..FaceAnalysis::default()
                })
            }
        }
    }
}

impl PipelineFaceAnalyzer {
    /// The selfie with the document in hand: a person and a document portrait in one frame, the
    /// person the same as in the selfie, and the held document's portrait the same person too.
    /// The largest face is taken as the person, the next largest as the held portrait.
    fn document_in_hand(
        &self,
        images: &[CaptureImage],
        selfie: Option<&FaceTemplate>,
    ) -> Result<Vec<CheckResult>, Error> {
        let Some(held) = decode_kind(images, ImageKind::SelfieWithDocument, &self.limits)? else {
            return Ok(vec![
                catalogue::DOCUMENT_IN_HAND.not_made("no selfie with the document was given"),
            ]);
        };
        let mut faces = self.pipeline.detect_at_least(&held, 2)?;
        faces.sort_by(|a, b| {
            (b.bbox.width * b.bbox.height).total_cmp(&(a.bbox.width * a.bbox.height))
        });
        let mut checks = vec![catalogue::DOCUMENT_IN_HAND.rule(
            faces.len() >= 2,
            format!("{} face(s) in the selfie with the document", faces.len()),
        )];
        let [person, portrait, ..] = faces.as_slice() else {
            return Ok(checks);
        };
        // The holder and a large enough held portrait are embedded together (one run for
        // embedders with a batch of two).
        let portrait_usable = eye_distance(portrait) >= MIN_HELD_PORTRAIT_EYE_DISTANCE_PX;
        let held: &RgbImage = &held;
        let mut wanted = vec![(held, person)];
        if portrait_usable {
            wanted.push((held, portrait));
        }
        let mut templates = self.pipeline.embed_many(&wanted)?.into_iter();
        let person_template = templates.next().ok_or_else(|| {
            Error::from(crate::model::ModelError::Inference {
                name: self.pipeline.embedder().model_name().to_owned(),
                detail: "no template for the holder".to_owned(),
            })
        })?;
        let same_person = &catalogue::IN_HAND_SAME_PERSON;
        checks.push(match selfie {
            Some(selfie) => compared(same_person, selfie, &person_template).0,
            None => same_person.unavailable(
                catalogue::MATCH_NO_FACE,
                "no usable face in the selfie to compare with",
            ),
        });
        // Without a selfie face the held portrait is still held to its holder.
        let reference = selfie.unwrap_or(&person_template);
        let portrait_match = &catalogue::IN_HAND_PORTRAIT_MATCH;
        checks.push(match templates.next() {
            Some(portrait_template) if portrait_usable => {
                let mut check = compared(portrait_match, reference, &portrait_template).0;
                if selfie.is_none() {
                    check.message.push_str(": the held portrait against its holder");
                }
                check
            }
            _ => portrait_match.unavailable(
                catalogue::PORTRAIT_TOO_SMALL,
                format!(
                    "the held portrait is {:.0} px between the eyes, below {MIN_HELD_PORTRAIT_EYE_DISTANCE_PX}",
                    eye_distance(portrait)
                ),
            ),
        });
        Ok(checks)
    }

    /// Judges an active-liveness sequence: pose per frame against the session's challenge, one
    /// face throughout, and the same person at the start and at every movement's peak. Frames are
    /// decoded one at a time, so a long sequence of large frames never sits in memory at once.
    fn active_liveness(
        &self,
        step: &LivenessStep,
        images: &[CaptureImage],
        ctx: &AnalysisContext<'_>,
    ) -> Result<FaceAnalysis, Error> {
        let challenge = active::challenges(
            ctx.scenario
                .secret_key
                .subkey(crate::scenario::KeyPurpose::LivenessChallenge)
                .expose(),
            ctx.session_id,
            &step.id,
            step.challenges,
        );
        let frames: Vec<&CaptureImage> = images
            .iter()
            .filter(|i| i.kind == ImageKind::LivenessFrame)
            .take(crate::capture::MAX_LIVENESS_FRAMES)
            .collect();
        let mut observations = Vec::with_capacity(frames.len());
        let mut mains: Vec<Option<Face>> = Vec::with_capacity(frames.len());
        for frame in &frames {
            ctx.deadline.check("liveness.frame")?;
            let image = frame.pixels(&self.limits)?;
            let faces = self.pipeline.detect(&image)?;
            let main = largest(&faces).cloned();
            observations.push(active::FrameObservation {
                faces: faces.len(),
                pose: main.as_ref().and_then(|f| pose::estimate(&f.landmarks)),
                landmarks: main.as_ref().map(|f| f.landmarks),
                size: (image.width(), image.height()),
                digest: active::pixel_digest(image.width(), image.height(), image.as_raw()),
            });
            mains.push(main);
        }
        let judgement = active::judge(&challenge, &observations);
        let mut checks = judgement.checks;

        // Identity and depth: the first frame's face against each movement's peak, in who it is
        // (embeddings) and in how its texture moved (one homography for a flat photo).
        let face_frame = |index: usize| -> Result<Option<(Arc<RgbImage>, &Face)>, Error> {
            let (Some(frame), Some(Some(face))) = (frames.get(index), mains.get(index)) else {
                return Ok(None);
            };
            Ok(Some((frame.pixels(&self.limits)?, face)))
        };
        let start = face_frame(0)?;
        let first = match &start {
            Some((image, face)) => Some(self.pipeline.embed(image, face)?),
            None => None,
        };
        let mut lowest: Option<f64> = None;
        let mut residuals = Vec::with_capacity(judgement.peaks.len());
        for &peak in &judgement.peaks {
            ctx.deadline.check("liveness.identity")?;
            let (Some((first_image, first_face)), Some((image, face))) =
                (&start, face_frame(peak)?)
            else {
                continue;
            };
            if let Some(a) = &first
                && let Some(similarity) =
                    super::embed::cosine(a, &self.pipeline.embed(&image, face)?)
            {
                let s = f64::from(similarity);
                lowest = Some(lowest.map_or(s, |l| l.min(s)));
            }
            residuals.extend(super::planarity::texture_residual(
                first_image,
                &first_face.landmarks,
                &image,
                &face.landmarks,
            ));
        }
        checks.push(active::depth_check(residuals));
        let same_person = &liveness::ACTIVE_SAME_PERSON;
        checks.push(match lowest {
            Some(similarity) => same_person.scored_against(
                similarity,
                self.pipeline.embedder().match_threshold(),
                "lowest similarity between the first frame and a movement's peak",
            ),
            None => same_person
                .not_made("no completed movement with a face to compare with the first frame"),
        });
        // The first frame's face stands for the sequence (each movement's peak is held to it
        // above): the engine binds it to the selfie and the portrait, and searches the face lists.
        Ok(FaceAnalysis {
            selfie: Some(SelfieData {
                faces_found: observations
                    .first()
                    .map_or(0, |o| u32::try_from(o.faces).unwrap_or(u32::MAX)),
                estimated_age: None,
                estimated_gender: None,
                template: first,
            }),
            checks,
            ..FaceAnalysis::default()
        })
    }
}

/// Adds the document portrait's face template to what another document analyser reads, so the
/// selfie can be matched against it.
pub struct WithPortrait {
    inner: Option<Arc<dyn DocumentAnalyzer>>,
    pipeline: Arc<FacePipeline>,
    age_gender: Option<Arc<AgeGender>>,
    limits: ImageLimits,
}

impl std::fmt::Debug for WithPortrait {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("WithPortrait")
            .field("inner", &self.inner.is_some())
            .finish_non_exhaustive()
    }
}

impl WithPortrait {
    /// Wraps `inner` (or nothing: then only the portrait is read).
    pub fn new(inner: Option<Arc<dyn DocumentAnalyzer>>, pipeline: Arc<FacePipeline>) -> Self {
        Self {
            inner,
            pipeline,
            age_gender: None,
            limits: ImageLimits::default(),
        }
    }

    /// Adds age and sex estimation of the portrait, held to the document's data (without it
    /// `document.portrait.age` and `.sex` are unavailable).
    pub fn with_age_gender(mut self, estimator: Arc<AgeGender>) -> Self {
        self.age_gender = Some(estimator);
        self
    }
}

impl DocumentAnalyzer for WithPortrait {
    fn analyze(
        &self,
        step: &DocumentStep,
        images: &[CaptureImage],
        ctx: &AnalysisContext<'_>,
    ) -> Result<DocumentAnalysis, Error> {
        let mut analysis = match &self.inner {
            Some(inner) => inner.analyze(step, images, ctx)?,
            None => DocumentAnalysis::default(),
        };
        ctx.deadline.check("document.portrait")?;
        let Some(front) = decode_kind(images, ImageKind::DocumentFront, &self.limits)? else {
            return Ok(analysis);
        };
        let portrait = self.pipeline.main_face(&front)?;
        analysis.checks.push(match &portrait {
            Some(p) => PORTRAIT.scored(
                f64::from(p.face.score),
                "face detector confidence on the document's portrait",
            ),
            None => PORTRAIT.not_made("no face found on the document"),
        });
        if step.checks.editing {
            let estimate = match (&self.age_gender, &portrait) {
                (Some(estimator), Some(p)) => estimator.estimate(&front, &p.face)?,
                _ => None,
            };
            analysis.checks.extend(match (estimate, &self.age_gender) {
                (Some(e), _) => portrait_person::checks(&e, analysis.document.as_ref(), ctx.today),
                (None, None) => portrait_person::unavailable(
                    PORTRAIT_PERSON_NO_MODEL,
                    "the age and gender models are not loaded",
                ),
                (None, Some(_)) => portrait_person::unavailable(
                    PORTRAIT_PERSON_NO_FACE,
                    "no portrait face large enough to estimate age and sex",
                ),
            });
        }
        if let Some(p) = portrait {
            analysis
                .document
                .get_or_insert_with(DocumentData::default)
                .portrait = Some(p.template);
        }
        Ok(analysis)
    }
}
