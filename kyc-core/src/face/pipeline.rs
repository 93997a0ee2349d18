//! The face pipeline on native hosts: detection, alignment and embedding with models loaded once.

use image::RgbImage;

use super::FaceTemplate;
use super::detect::{DetectOptions, Face, YuNet};
use super::embed::SFace;
use crate::model::{ModelError, ModelSource, Runtime};

/// A face found and embedded.
#[derive(Clone, Debug)]
pub struct EmbeddedFace {
    /// Where it is.
    pub face: Face,
    /// Its template.
    pub template: FaceTemplate,
}

/// YuNet + SFace, loaded once and reused.
#[derive(Debug)]
pub struct FacePipeline {
    detector: YuNet,
    embedder: SFace,
}

impl FacePipeline {
    /// Loads both models.
    pub fn load(
        runtime: &Runtime,
        source: &ModelSource,
        options: DetectOptions,
    ) -> Result<Self, ModelError> {
        Ok(Self {
            detector: YuNet::load(runtime, source, options)?,
            embedder: SFace::load(runtime, source)?,
        })
    }

    /// Every face in `image`, best first.
    pub fn detect(&self, image: &RgbImage) -> Result<Vec<Face>, crate::Error> {
        self.detector.detect(image)
    }

    /// The template of `face` in `image`.
    pub fn embed(&self, image: &RgbImage, face: &Face) -> Result<FaceTemplate, crate::Error> {
        Ok(self.embedder.embed(image, &face.landmarks)?)
    }

    /// The largest face of `image`, embedded; `None` when there is no face.
    pub fn main_face(&self, image: &RgbImage) -> Result<Option<EmbeddedFace>, crate::Error> {
        let faces = self.detect(image)?;
        let Some(face) = faces.into_iter().max_by(|a, b| {
            (a.bbox.width * a.bbox.height).total_cmp(&(b.bbox.width * b.bbox.height))
        }) else {
            return Ok(None);
        };
        let template = self.embed(image, &face)?;
        Ok(Some(EmbeddedFace { face, template }))
    }
}
