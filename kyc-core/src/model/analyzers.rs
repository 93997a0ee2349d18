//! The analysers a native host runs, built from one model source: face detection and matching
//! (YuNet, SFace), age and gender, the document reader (PP-OCR and the MRZ engine) with the portrait found on the
//! document. What the examples and every binding use, so that none of them assembles its own.

use std::sync::Arc;

use crate::analysis::{Analyzers, DocumentAnalyzer};
use crate::document::ocr::det::DetOptions;
use crate::document::ocr::{MrzReader, OcrDocumentAnalyzer};
use crate::error::Error;
use crate::face::age_gender::AgeGender;
use crate::face::analyzer::{PipelineFaceAnalyzer, WithPortrait};
use crate::face::antispoofing::{self, FaceAntiSpoofing};
use crate::face::detect::DetectOptions;
use crate::face::pipeline::FacePipeline;
use crate::image::ImageLimits;

use super::{LazyModel, ModelSource, Runtime, RuntimeOptions};

/// The document and face analysers over the models of `source`, with default options. Face lists
/// and history stay unset (the host configures those).
pub fn analyzers(source: &ModelSource) -> Result<Analyzers, Error> {
    ModelAnalyzers::load(source, RuntimeOptions::default()).map(|m| m.analyzers)
}

/// The shipped analysers, loaded and hash-checked, with the face pipeline kept for hosts that
/// also make face templates (face lists).
#[derive(Clone, Debug)]
pub struct ModelAnalyzers {
    /// Face detection and embedding.
    pub faces: Arc<FacePipeline>,
    /// Document and face analysers for the engine (face lists and history left to the host).
    pub analyzers: Analyzers,
    /// The passive-liveness model, built when a step first asks for it; `None` when its file is
    /// not in the source.
    pub anti_spoofing: Option<Arc<LazyModel<FaceAntiSpoofing>>>,
}

impl ModelAnalyzers {
    /// Loads ONNX Runtime per `options` (the host may name the library) and every model of
    /// `source`, with default options.
    pub fn load(source: &ModelSource, options: RuntimeOptions) -> Result<Self, Error> {
        let runtime = Runtime::new(options, source)?;
        let faces = Arc::new(FacePipeline::load(
            &runtime,
            source,
            DetectOptions::default(),
        )?);
        let reader = MrzReader::load(&runtime, source, DetOptions::default())?;
        let document: Option<Arc<dyn DocumentAnalyzer>> = Some(Arc::new(OcrDocumentAnalyzer::new(
            Arc::new(reader),
            ImageLimits::default(),
        )));
        let age_gender = Arc::new(AgeGender::load(&runtime, source)?);
        let mut face = PipelineFaceAnalyzer::new(faces.clone()).with_age_gender(age_gender.clone());
        // The anti-spoofing model is optional: a folder without it serves every step except the
        // ones that ask for it, whose check then reads unavailable. Few scenarios ask for it, so
        // it is built on first use; a file present but altered is an error then.
        let anti_spoofing = source.has(antispoofing::MODEL).then(|| {
            let (runtime, source) = (runtime.clone(), source.only(antispoofing::MODEL));
            Arc::new(LazyModel::new(antispoofing::MODEL, move || {
                FaceAntiSpoofing::load(&runtime, &source)
            }))
        });
        if let Some(model) = &anti_spoofing {
            face = face.with_lazy_anti_spoofing(model.clone());
        }
        let analyzers = Analyzers {
            document: Some(Arc::new(
                WithPortrait::new(document, faces.clone()).with_age_gender(age_gender),
            )),
            face: Some(Arc::new(face)),
            ..Analyzers::default()
        };
        Ok(Self {
            faces,
            analyzers,
            anti_spoofing,
        })
    }
}
