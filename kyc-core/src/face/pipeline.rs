//! The face pipeline on native hosts: detection, alignment and embedding with models loaded once.

use image::RgbImage;

use super::FaceTemplate;
use super::detect::{DetectOptions, DetectorKind, Face, FaceDetector, YuNet, largest, suppress};
use super::embed::{EmbedderKind, FaceEmbedder, SFace};
use super::mobilefacenet::MobileFaceNet;
use super::mtcnn::{Mtcnn, MtcnnOptions};
use super::search::{self, Turn};
use crate::model::{ModelError, ModelSource, Runtime};

/// A face found and embedded.
#[derive(Clone, Debug)]
pub struct EmbeddedFace {
    /// Where it is.
    pub face: Face,
    /// Its template.
    pub template: FaceTemplate,
}

/// A face detector (YuNet by default, or MTCNN) + a face embedder (SFace by default, or
/// MobileFaceNet), loaded once and reused.
#[derive(Debug)]
pub struct FacePipeline {
    detector: Box<dyn FaceDetector>,
    embedder: Box<dyn FaceEmbedder>,
    options: DetectOptions,
}

impl FacePipeline {
    /// Loads YuNet and SFace.
    pub fn load(
        runtime: &Runtime,
        source: &ModelSource,
        options: DetectOptions,
    ) -> Result<Self, ModelError> {
        Self::load_with(runtime, source, DetectorKind::Yunet, options)
    }

    /// Loads the detector `kind` and SFace. MTCNN keeps its own stage thresholds
    /// ([`MtcnnOptions`]); `options.score_threshold` is YuNet's.
    pub fn load_with(
        runtime: &Runtime,
        source: &ModelSource,
        kind: DetectorKind,
        options: DetectOptions,
    ) -> Result<Self, ModelError> {
        Self::load_models(runtime, source, kind, options, EmbedderKind::default())
    }

    /// Loads YuNet and the embedder `kind`.
    pub fn load_with_embedder(
        runtime: &Runtime,
        source: &ModelSource,
        options: DetectOptions,
        kind: EmbedderKind,
    ) -> Result<Self, ModelError> {
        Self::load_models(runtime, source, DetectorKind::Yunet, options, kind)
    }

    /// Loads the detector `detector` and the embedder `embedder`.
    pub fn load_models(
        runtime: &Runtime,
        source: &ModelSource,
        detector: DetectorKind,
        options: DetectOptions,
        embedder: EmbedderKind,
    ) -> Result<Self, ModelError> {
        let detector: Box<dyn FaceDetector> = match detector {
            DetectorKind::Yunet => Box::new(YuNet::load(runtime, source, options)?),
            DetectorKind::Mtcnn => Box::new(Mtcnn::load(
                runtime,
                source,
                MtcnnOptions {
                    max_faces: options.max_faces,
                    ..MtcnnOptions::default()
                },
            )?),
        };
        let embedder: Box<dyn FaceEmbedder> = match embedder {
            EmbedderKind::SFace => Box::new(SFace::load(runtime, source)?),
            EmbedderKind::MobileFaceNet => Box::new(MobileFaceNet::load(runtime, source)?),
        };
        Ok(Self {
            detector,
            embedder,
            options,
        })
    }

    /// The detector in use.
    pub fn detector(&self) -> &dyn FaceDetector {
        self.detector.as_ref()
    }

    /// The embedder: its model name and calibrated face-match threshold.
    pub fn embedder(&self) -> &dyn FaceEmbedder {
        self.embedder.as_ref()
    }

    /// Every face in `image`, best first; looks harder (see [`Self::detect_at_least`]) when the
    /// whole photo shows none.
    pub fn detect(&self, image: &RgbImage) -> Result<Vec<Face>, crate::Error> {
        self.detect_at_least(image, 1)
    }

    /// Every face in `image`, best first. One detector pass over the whole photo answers most
    /// photos; when it finds fewer than `wanted` faces, a large photo is searched again in tiles
    /// at twice the resolution (small faces: a portrait on a held document, a distant face), and
    /// a photo with no face at all is searched turned by quarter turns (taken sideways without an
    /// orientation tag). The extra passes cost a detector run each, so only photos that need them
    /// pay.
    pub fn detect_at_least(
        &self,
        image: &RgbImage,
        wanted: usize,
    ) -> Result<Vec<Face>, crate::Error> {
        let mut faces = self.detector.detect(image)?;
        if faces.len() >= wanted {
            return Ok(faces);
        }
        let (width, height) = image.dimensions();
        let tiles = search::tiles(width, height, self.detector.input_side());
        if !tiles.is_empty() {
            for tile in &tiles {
                let view =
                    image::imageops::crop_imm(image, tile.x, tile.y, tile.width, tile.height)
                        .to_image();
                faces.extend(search::from_tile(
                    self.detector.detect(&view)?,
                    tile,
                    width,
                    height,
                ));
            }
            faces = suppress(faces, self.options.nms_iou, self.options.max_faces);
        }
        if faces.is_empty() {
            for turn in Turn::ALL {
                let found = self.detector.detect(&turn.apply(image))?;
                if !found.is_empty() {
                    return Ok(turn.undo_faces(found, width, height));
                }
            }
        }
        Ok(faces)
    }

    /// The template of `face` in `image`.
    pub fn embed(&self, image: &RgbImage, face: &Face) -> Result<FaceTemplate, crate::Error> {
        Ok(self.embedder.embed(image, &face.landmarks)?)
    }

    /// The templates of several faces, in order, batched where the embedder can (MobileFaceNet
    /// embeds two per run: a selfie and a document portrait together).
    pub fn embed_many(
        &self,
        faces: &[(&RgbImage, &Face)],
    ) -> Result<Vec<FaceTemplate>, crate::Error> {
        let items: Vec<_> = faces
            .iter()
            .map(|(image, face)| (*image, &face.landmarks))
            .collect();
        Ok(self.embedder.embed_many(&items)?)
    }

    /// The largest face of `image`, embedded; `None` when there is no face.
    pub fn main_face(&self, image: &RgbImage) -> Result<Option<EmbeddedFace>, crate::Error> {
        let faces = self.detect(image)?;
        let Some(face) = largest(&faces).cloned() else {
            return Ok(None);
        };
        let template = self.embed(image, &face)?;
        Ok(Some(EmbeddedFace { face, template }))
    }
}
