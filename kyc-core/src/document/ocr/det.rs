//! Text detection with PP-OCR's DB (differentiable binarisation) detector: the input tensor as
//! RapidOCR prepares it (sides multiples of 32, BGR, `(x / 255 - 0.5) / 0.5`) and the
//! post-processing (threshold 0.3, 2x2 dilation, components, minimum-area boxes scored on the
//! probability map, box threshold, "unclip" growth).

use image::RgbImage;

use super::geometry::{RotatedRect, components, mean_inside, min_area_rect};

/// Detection settings; the defaults are RapidOCR 3.10's `config.yaml`, except the size limit.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct DetOptions {
    /// The longer side of the detector input, at most (RapidOCR raises the shorter side to 736
    /// instead; MRZ characters are large enough at a smaller size, and time grows with area).
    pub max_side: u32,
    /// Probability above which a pixel is text.
    pub thresh: f32,
    /// Mean probability a box needs.
    pub box_thresh: f32,
    /// Growth of the shrunk text kernel back to the text box.
    pub unclip_ratio: f32,
    /// Components looked at, at most.
    pub max_candidates: usize,
    /// When nothing valid was read at `max_side`, detection runs once more at this size (if the
    /// image is larger): a document filling a small part of a photo has small text.
    pub retry_max_side: u32,
}

impl Default for DetOptions {
    fn default() -> Self {
        Self {
            max_side: 640,
            thresh: 0.3,
            box_thresh: 0.5,
            unclip_ratio: 1.6,
            max_candidates: 1000,
            retry_max_side: 1280,
        }
    }
}

/// The detector input size for a `width` x `height` image: scaled (never up) so the longer side is
/// at most `max_side`, each side rounded to a multiple of 32 (at least 32).
pub fn input_size(width: u32, height: u32, max_side: u32) -> (u32, u32) {
    let longer = width.max(height).max(1) as f32;
    let ratio = (max_side as f32 / longer).min(1.0);
    let round32 = |v: u32| -> u32 {
        let scaled = (v as f32 * ratio).round();
        (((scaled / 32.0).round() as u32) * 32).max(32)
    };
    (round32(width), round32(height))
}

/// The NCHW tensor for an image already resized to the input size.
pub fn input_tensor(resized: &RgbImage) -> Vec<f32> {
    let (w, h) = (resized.width() as usize, resized.height() as usize);
    let plane = w * h;
    let mut data = vec![0.0f32; 3 * plane];
    for (i, p) in resized.pixels().enumerate() {
        let [r, g, b] = p.0;
        // BGR, as the Paddle models were trained through OpenCV.
        for (c, value) in [b, g, r].into_iter().enumerate() {
            if let Some(slot) = data.get_mut(c * plane + i) {
                *slot = f32::from(value) / 127.5 - 1.0;
            }
        }
    }
    data
}

/// One detected text box, in source-image coordinates.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct TextBox {
    /// The box, `u` along its longer side.
    pub rect: RotatedRect,
    /// Mean text probability inside the kernel.
    pub score: f32,
}

/// Boxes from the probability map (`width` x `height`, the input size), scaled to the source
/// image by `scale_x`, `scale_y` (source pixels per input pixel).
pub fn postprocess(
    prob: &[f32],
    width: usize,
    height: usize,
    scale_x: f32,
    scale_y: f32,
    options: &DetOptions,
) -> Vec<TextBox> {
    let n = width.saturating_mul(height);
    if prob.len() < n || n == 0 {
        return Vec::new();
    }
    // Threshold, then dilate with a 2x2 kernel as RapidOCR does (use_dilation), which joins the
    // characters of a line whose kernels almost touch.
    let bin: Vec<bool> = prob.iter().take(n).map(|&p| p > options.thresh).collect();
    let mut mask = bin.clone();
    for y in 0..height {
        for x in 0..width {
            let at = |xx: usize, yy: usize| bin.get(yy * width + xx).copied().unwrap_or(false);
            let on = at(x, y)
                || (x > 0 && at(x - 1, y))
                || (y > 0 && at(x, y - 1))
                || (x > 0 && y > 0 && at(x - 1, y - 1));
            if let Some(m) = mask.get_mut(y * width + x) {
                *m = on;
            }
        }
    }
    let mut boxes = Vec::new();
    for comp in components(&mask, width, height, options.max_candidates, 4) {
        let Some(rect) = min_area_rect(comp.points) else {
            continue;
        };
        if rect.short_side() < 3.0 {
            continue;
        }
        let score = mean_inside(prob, width, height, &rect);
        if score < options.box_thresh {
            continue;
        }
        // Unclip: the polygon offset by area * ratio / perimeter (pyclipper in RapidOCR); for a
        // rectangle the result's minimum-area rectangle is the rectangle grown by that distance.
        let perimeter = 2.0 * (rect.width + rect.height);
        let d = rect.width * rect.height * options.unclip_ratio / perimeter.max(f32::EPSILON);
        let grown = rect.grown(d);
        if grown.short_side() < 5.0 {
            continue;
        }
        boxes.push(TextBox {
            rect: grown.scaled(scale_x, scale_y),
            score,
        });
    }
    boxes
}

#[cfg(feature = "onnx")]
pub use onnx::TextDetector;

#[cfg(feature = "onnx")]
mod onnx {
    use image::RgbImage;
    use ort::value::TensorRef;

    use super::*;
    use crate::image::resize;
    use crate::model::{ModelError, ModelSource, OnnxModel, Runtime};

    /// PP-OCR detection on ONNX Runtime.
    #[derive(Debug)]
    pub struct TextDetector {
        model: OnnxModel,
        options: DetOptions,
    }

    impl TextDetector {
        /// Loads `ppocr_det`.
        pub fn load(
            runtime: &Runtime,
            source: &ModelSource,
            options: DetOptions,
        ) -> Result<Self, ModelError> {
            Ok(Self {
                model: runtime.load(source, "ppocr_det")?,
                options,
            })
        }

        /// The settings.
        pub fn options(&self) -> &DetOptions {
            &self.options
        }

        /// Text boxes in `image`, in its coordinates.
        pub fn detect(&self, image: &RgbImage) -> Result<Vec<TextBox>, crate::Error> {
            self.detect_at(image, self.options.max_side)
        }

        /// Text boxes in `image` with the input's longer side at most `max_side`.
        pub fn detect_at(
            &self,
            image: &RgbImage,
            max_side: u32,
        ) -> Result<Vec<TextBox>, crate::Error> {
            let (w, h) = input_size(image.width(), image.height(), max_side);
            let resized = resize(image, w, h)?;
            let input = input_tensor(&resized);
            let (w, h) = (w as usize, h as usize);
            let prob = self.model.with_session(|session| {
                let tensor = TensorRef::from_array_view(([1usize, 3, h, w], input.as_slice()))?;
                let outputs = session.run(ort::inputs![tensor])?;
                let (_, value) = outputs
                    .iter()
                    .next()
                    .ok_or_else(|| ort::Error::new("detector has no output"))?;
                Ok(value.try_extract_tensor::<f32>()?.1.to_vec())
            })?;
            let sx = image.width() as f32 / w as f32;
            let sy = image.height() as f32 / h as f32;
            Ok(postprocess(&prob, w, h, sx, sy, &self.options))
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn input_sizes_are_multiples_of_32_within_the_limit() {
        assert_eq!(input_size(1280, 900, 960), (960, 672));
        assert_eq!(input_size(1280, 900, 640), (640, 448));
        assert_eq!(input_size(300, 200, 960), (288, 192));
        assert_eq!(input_size(10, 10, 960), (32, 32));
    }

    #[test]
    fn one_text_bar_gives_one_grown_box() {
        let (w, h) = (64, 32);
        let mut prob = vec![0.0f32; w * h];
        for y in 10..14 {
            for x in 8..48 {
                prob[y * w + x] = 0.9;
            }
        }
        let boxes = postprocess(&prob, w, h, 2.0, 2.0, &DetOptions::default());
        assert_eq!(boxes.len(), 1);
        let b = boxes[0];
        // The dilated row and column hold no probability: 40 x 4 of 41 x 5 pixels at 0.9.
        assert!((b.score - 0.9 * 160.0 / 205.0).abs() < 0.01, "{b:?}");
        // Kernel 41 x 5 after dilation; grown by about 0.8 x its height on each side, then doubled.
        assert!(
            b.rect.width > 2.0 * 41.0 && b.rect.height > 2.0 * 5.0 * 2.0,
            "{b:?}"
        );
        assert!((b.rect.center[1] - 2.0 * 12.0).abs() < 2.0);
    }

    #[test]
    fn short_maps_are_ignored() {
        assert!(postprocess(&[0.9; 3], 4, 4, 1.0, 1.0, &DetOptions::default()).is_empty());
    }
}
