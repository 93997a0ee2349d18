//! Face embeddings: the aligned 112x112 crop through an embedding model, L2-normalised, compared
//! by cosine similarity. SFace (128-d) is the default; MobileFaceNet (192-d,
//! [`super::mobilefacenet`]) the alternative. Both sit behind [`FaceEmbedder`].

use std::str::FromStr;

use image::RgbImage;

use super::FaceTemplate;
use super::geometry::Landmarks;
use super::matcher::{FACE_MATCH_THRESHOLD, MOBILEFACENET_MATCH_THRESHOLD};
use super::mobilefacenet::MOBILEFACENET;
use crate::model::ModelError;

/// The embedding model's name in templates and results.
pub const SFACE: &str = "sface-2021dec";

/// A face embedding model: the template of a face given by its five landmarks. Templates carry
/// [`Self::model_name`]; templates of different models never compare.
pub trait FaceEmbedder: Send + Sync + std::fmt::Debug {
    /// The name written into its templates.
    fn model_name(&self) -> &'static str;

    /// The cosine similarity at or above which two of its templates are the same person,
    /// calibrated for this model (see [`super::matcher`]).
    fn match_threshold(&self) -> f64;

    /// The template of the face with `landmarks` in `image`.
    fn embed(&self, image: &RgbImage, landmarks: &Landmarks) -> Result<FaceTemplate, ModelError>;

    /// The templates of several faces, in order. Models with a batch dimension run them together
    /// (MobileFaceNet: two per run); the default embeds one at a time.
    fn embed_many(
        &self,
        faces: &[(&RgbImage, &Landmarks)],
    ) -> Result<Vec<FaceTemplate>, ModelError> {
        faces
            .iter()
            .map(|(image, landmarks)| self.embed(image, landmarks))
            .collect()
    }
}

/// The embedding models a face pipeline can run.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum EmbedderKind {
    /// SFace 2021dec, 128-d: the default (fewer errors on the shared pairs, wider margin).
    #[default]
    SFace,
    /// MobileFaceNet, 192-d, converted from TFLite: smaller and faster, narrower margin.
    MobileFaceNet,
}

impl EmbedderKind {
    /// The model name its templates carry.
    pub fn model_name(self) -> &'static str {
        match self {
            Self::SFace => SFACE,
            Self::MobileFaceNet => MOBILEFACENET,
        }
    }

    /// Its calibrated face-match threshold.
    pub fn match_threshold(self) -> f64 {
        match self {
            Self::SFace => FACE_MATCH_THRESHOLD,
            Self::MobileFaceNet => MOBILEFACENET_MATCH_THRESHOLD,
        }
    }
}

impl FromStr for EmbedderKind {
    type Err = String;

    /// `sface` or `mobilefacenet` (case-insensitive).
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        match s.to_ascii_lowercase().as_str() {
            "sface" => Ok(Self::SFace),
            "mobilefacenet" => Ok(Self::MobileFaceNet),
            other => Err(format!(
                "unknown embedder '{other}': expected sface or mobilefacenet"
            )),
        }
    }
}

/// Cosine similarity of two templates of the same model; `None` when models or sizes differ or a
/// vector is empty or zero.
pub fn cosine(a: &FaceTemplate, b: &FaceTemplate) -> Option<f32> {
    if a.model != b.model || a.vector.len() != b.vector.len() || a.vector.is_empty() {
        return None;
    }
    let (mut dot, mut na, mut nb) = (0.0f32, 0.0f32, 0.0f32);
    for (x, y) in a.vector.iter().zip(&b.vector) {
        dot += x * y;
        na += x * x;
        nb += y * y;
    }
    let denom = (na * nb).sqrt();
    (denom > 0.0 && denom.is_finite()).then(|| dot / denom)
}

/// Scales `v` to unit length in place; false when it cannot (zero or not finite).
pub fn l2_normalise(v: &mut [f32]) -> bool {
    let norm = v.iter().map(|x| x * x).sum::<f32>().sqrt();
    if norm > 0.0 && norm.is_finite() {
        v.iter_mut().for_each(|x| *x /= norm);
        true
    } else {
        false
    }
}

/// NCHW input for SFace from an aligned crop: channels in RGB order, values 0..255 (the graph
/// normalises), as OpenCV's `FaceRecognizerSF::feature` feeds it (`blobFromImage(..., swapRB)`
/// on a BGR Mat).
pub fn sface_input(aligned: &RgbImage) -> Vec<f32> {
    let plane = (aligned.width() * aligned.height()) as usize;
    let mut data = vec![0.0f32; 3 * plane];
    for (i, p) in aligned.pixels().enumerate() {
        for (channel, value) in p.0.into_iter().enumerate() {
            if let Some(slot) = data.get_mut(channel * plane + i) {
                *slot = f32::from(value);
            }
        }
    }
    data
}

#[cfg(feature = "onnx")]
pub use onnx::SFace;

#[cfg(feature = "onnx")]
mod onnx {
    use image::RgbImage;
    use ort::value::TensorRef;

    use super::*;
    use crate::face::geometry::align_arcface;
    use crate::model::{GraphEdit, ModelSource, OnnxModel, Runtime};

    /// SFace on ONNX Runtime.
    #[derive(Debug)]
    pub struct SFace {
        model: OnnxModel,
    }

    impl SFace {
        /// Loads the model. Its 27 PRelus are rewritten at load (`GraphEdit::PReluAsBatchNorm`):
        /// the same templates (a golden test holds them to the unedited file's), in under
        /// half the time on one thread.
        pub fn load(runtime: &Runtime, source: &ModelSource) -> Result<Self, ModelError> {
            Ok(Self {
                model: runtime.load_edited(source, "sface", &[GraphEdit::PReluAsBatchNorm])?,
            })
        }

        /// The aligned crop for `landmarks` in `image`.
        pub fn align(
            &self,
            image: &RgbImage,
            landmarks: &Landmarks,
        ) -> Result<RgbImage, ModelError> {
            align_arcface(image, landmarks).ok_or_else(|| ModelError::Inference {
                name: "sface".to_owned(),
                detail: "degenerate landmarks: cannot align".to_owned(),
            })
        }

        /// The template of an aligned 112x112 crop.
        pub fn embed_aligned(&self, aligned: &RgbImage) -> Result<FaceTemplate, ModelError> {
            let input = sface_input(aligned);
            let mut vector = self.model.with_session(|session| {
                let tensor = TensorRef::from_array_view(([1usize, 3, 112, 112], input.as_slice()))?;
                let outputs = session.run(ort::inputs!["data" => tensor])?;
                let value = outputs
                    .get("fc1")
                    .ok_or_else(|| ort::Error::new("no output fc1"))?;
                Ok(value.try_extract_tensor::<f32>()?.1.to_vec())
            })?;
            if vector.len() != 128 || !l2_normalise(&mut vector) {
                return Err(ModelError::Inference {
                    name: "sface".to_owned(),
                    detail: format!("bad embedding of {} values", vector.len()),
                });
            }
            Ok(FaceTemplate {
                model: SFACE.to_owned(),
                vector,
            })
        }

        /// The template of the face with `landmarks` in `image`.
        pub fn embed(
            &self,
            image: &RgbImage,
            landmarks: &Landmarks,
        ) -> Result<FaceTemplate, ModelError> {
            self.embed_aligned(&self.align(image, landmarks)?)
        }
    }

    impl FaceEmbedder for SFace {
        fn model_name(&self) -> &'static str {
            SFACE
        }

        fn match_threshold(&self) -> f64 {
            FACE_MATCH_THRESHOLD
        }

        fn embed(
            &self,
            image: &RgbImage,
            landmarks: &Landmarks,
        ) -> Result<FaceTemplate, ModelError> {
            SFace::embed(self, image, landmarks)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::test_support::template as t;

    #[test]
    fn cosine_refuses_what_cannot_compare() {
        assert_eq!(
            cosine(&t("a", &[1.0, 0.0]), &t("a", &[0.0, 2.0])),
            Some(0.0)
        );
        assert!((cosine(&t("a", &[1.0, 1.0]), &t("a", &[2.0, 2.0])).unwrap() - 1.0).abs() < 1e-6);
        assert_eq!(cosine(&t("a", &[1.0]), &t("b", &[1.0])), None);
        assert_eq!(cosine(&t("a", &[1.0]), &t("a", &[1.0, 0.0])), None);
        assert_eq!(cosine(&t("a", &[0.0]), &t("a", &[1.0])), None);
        assert_eq!(cosine(&t("a", &[f32::NAN]), &t("a", &[1.0])), None);
    }

    #[test]
    fn embedder_kinds_parse_and_carry_their_own_threshold() {
        assert_eq!("sface".parse(), Ok(EmbedderKind::SFace));
        assert_eq!("MobileFaceNet".parse(), Ok(EmbedderKind::MobileFaceNet));
        assert!("arcface".parse::<EmbedderKind>().is_err());
        assert_eq!(EmbedderKind::default(), EmbedderKind::SFace);
        assert_ne!(
            EmbedderKind::SFace.model_name(),
            EmbedderKind::MobileFaceNet.model_name()
        );
        assert_eq!(EmbedderKind::SFace.match_threshold(), FACE_MATCH_THRESHOLD);
        assert_eq!(
            EmbedderKind::MobileFaceNet.match_threshold(),
            MOBILEFACENET_MATCH_THRESHOLD
        );
    }
}
