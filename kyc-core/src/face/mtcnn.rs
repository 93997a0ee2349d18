//! Face detection with MTCNN (Zhang et al. 2016), the alternative to YuNet: a cascade of three small
//! networks. P-Net slides over an image pyramid and proposes 12x12 windows; R-Net re-scores and
//! refines each proposal from a 24x24 crop; O-Net does the same from a 48x48 crop and places the five
//! landmarks.
//!
//! The cascade's maths is here in plain Rust, testable without the models: pyramid scales, P-Net
//! output decoding, box regression, squaring, non-maximum suppression and the crops. The networks
//! (a Keras port of the original Caffe weights, in ONNX) run behind the `onnx` feature. Like the
//! Caffe originals they read images transposed: every input and P-Net's output maps are laid out
//! width before height.
//!
//! Bounded on any input: images larger than [`MtcnnOptions::max_side`] are scaled down first, the
//! pyramid has at most [`MAX_SCALES`] levels, and each stage passes on at most a fixed number of
//! candidates, best first.

use image::RgbImage;

use super::detect::Face;
use super::geometry::BoundingBox;

/// P-Net's window side, in pixels of the pyramid level.
pub const CELL: f32 = 12.0;
/// P-Net's output stride, in pixels of the pyramid level.
pub const STRIDE: f32 = 2.0;
/// R-Net's input side.
pub const RNET_SIDE: u32 = 24;
/// O-Net's input side.
pub const ONET_SIDE: u32 = 48;
/// At most this many pyramid levels (a 1280 px photo with 20 px faces needs 12).
pub const MAX_SCALES: usize = 24;
/// At most this many P-Net windows per pyramid level are kept for suppression, best first.
pub const MAX_PER_SCALE: usize = 2000;

/// MTCNN's settings. The defaults are the published ones (minimum face 20 px, scale factor 0.709,
/// stage thresholds 0.6, 0.7, 0.7).
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct MtcnnOptions {
    /// Smallest face looked for, in pixels of the (possibly scaled-down) image.
    pub min_face: f32,
    /// Ratio between pyramid levels.
    pub scale_factor: f64,
    /// Face probability each stage requires (P-Net, R-Net, O-Net).
    pub thresholds: [f32; 3],
    /// Images whose longer side exceeds this are scaled down to it first. 800 keeps faces down to
    /// 2.5% of the photo's longer side (YuNet's 640 input: about 1.6%), and photos of 1600 px or
    /// more are searched again in tiles when no face is found (`face::search`). On the 33 shared
    /// photos, one thread: 143 ms per photo at 800 against 203 ms at 1280, every face found, and
    /// the 305 pairs still separated (margin 0.217 against 0.238).
    pub max_side: u32,
    /// At most this many P-Net proposals go to R-Net.
    pub max_proposals: usize,
    /// At most this many R-Net boxes go to O-Net.
    pub max_refined: usize,
    /// At most this many faces.
    pub max_faces: usize,
}

impl Default for MtcnnOptions {
    fn default() -> Self {
        Self {
            min_face: 20.0,
            scale_factor: 0.709,
            thresholds: [0.6, 0.7, 0.7],
            max_side: 800,
            max_proposals: 500,
            max_refined: 100,
            max_faces: 50,
        }
    }
}

/// The pyramid's scales for a `width` x `height` image: the first maps a `min_face` face to P-Net's
/// 12 px window, each next one is `factor` times smaller, until the shorter side would fall under
/// 12 px. Empty when the image is too small for even one window; at most [`MAX_SCALES`] levels.
/// In `f64`, as the reference computes them: level sizes are rounded up, and `100 * (12 / 20)` must
/// stay 60.
pub fn pyramid_scales(width: u32, height: u32, min_face: f32, factor: f64) -> Vec<f64> {
    let mut scales = Vec::new();
    if !(min_face.is_finite() && min_face > 0.0 && factor > 0.0 && factor < 1.0) {
        return scales;
    }
    let cell = f64::from(CELL);
    let first = cell / f64::from(min_face);
    let mut shorter = f64::from(width.min(height)) * first;
    let mut scale = first;
    while shorter >= cell && scales.len() < MAX_SCALES {
        scales.push(scale);
        scale *= factor;
        shorter *= factor;
    }
    scales
}

/// The size of the pyramid level at `scale` (rounded up, as the reference does), at least 1x1.
pub fn level_size(width: u32, height: u32, scale: f64) -> (u32, u32) {
    let side = |v: u32| ((f64::from(v) * scale).ceil() as u32).max(1);
    (side(width), side(height))
}

/// A candidate box, corners inclusive as in the reference (`x2 - x1 + 1` pixels wide), with its
/// score and the regression offsets its network gave.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Candidate {
    /// Left.
    pub x1: f32,
    /// Top.
    pub y1: f32,
    /// Right.
    pub x2: f32,
    /// Bottom.
    pub y2: f32,
    /// Face probability.
    pub score: f32,
    /// Offsets of the four corners, in box widths and heights.
    pub reg: [f32; 4],
}

impl Candidate {
    fn area(&self) -> f32 {
        (self.x2 - self.x1 + 1.0) * (self.y2 - self.y1 + 1.0)
    }

    fn is_sane(&self) -> bool {
        [self.x1, self.y1, self.x2, self.y2, self.score]
            .iter()
            .all(|v| v.is_finite())
            && self.x2 >= self.x1
            && self.y2 >= self.y1
    }
}

/// The windows P-Net found at one pyramid level, in the image's coordinates. `prob` and `reg` are
/// P-Net's outputs for one image: `out_w` x `out_h` cells laid out width first, two class
/// probabilities (background, face) and four offsets per cell. Cell (x, y) is the 12x12 window at
/// (2x, 2y) of the level.
pub fn decode_pnet(
    prob: &[f32],
    reg: &[f32],
    out_w: usize,
    out_h: usize,
    scale: f64,
    threshold: f32,
) -> Vec<Candidate> {
    let mut found = Vec::new();
    if !(scale.is_finite() && scale > 0.0) {
        return found;
    }
    for x in 0..out_w {
        for y in 0..out_h {
            let cell = x * out_h + y;
            let (Some(&score), Some(r)) = (prob.get(cell * 2 + 1), reg.get(cell * 4..cell * 4 + 4))
            else {
                continue;
            };
            if score.is_nan() || score < threshold {
                continue;
            }
            let (cx, cy) = (x as f64 * f64::from(STRIDE), y as f64 * f64::from(STRIDE));
            let at = |v: f64| (v / scale).trunc() as f32;
            found.push(Candidate {
                x1: at(cx + 1.0),
                y1: at(cy + 1.0),
                x2: at(cx + f64::from(CELL)),
                y2: at(cy + f64::from(CELL)),
                score,
                reg: [r[0], r[1], r[2], r[3]],
            });
        }
    }
    found
}

/// How two boxes' overlap is measured in [`nms`].
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Overlap {
    /// Intersection over union.
    Union,
    /// Intersection over the smaller box (drops boxes nested in a better one).
    Min,
}

/// Non-maximum suppression: the candidates kept, best first; a candidate is dropped when it
/// overlaps a better kept one by more than `threshold`. Areas count pixels inclusively.
pub fn nms(mut boxes: Vec<Candidate>, threshold: f32, overlap: Overlap) -> Vec<Candidate> {
    boxes.retain(Candidate::is_sane);
    boxes.sort_by(|a, b| b.score.total_cmp(&a.score));
    let mut kept: Vec<Candidate> = Vec::new();
    for b in boxes {
        let suppressed = kept.iter().any(|k| {
            let w = (k.x2.min(b.x2) - k.x1.max(b.x1) + 1.0).max(0.0);
            let h = (k.y2.min(b.y2) - k.y1.max(b.y1) + 1.0).max(0.0);
            let inter = w * h;
            let over = match overlap {
                Overlap::Union => inter / (k.area() + b.area() - inter),
                Overlap::Min => inter / k.area().min(b.area()),
            };
            over > threshold
        });
        if !suppressed {
            kept.push(b);
        }
    }
    kept
}

/// Moves the box's corners by its regression offsets, in units of its width and height; P-Net's
/// offsets count the width as `x2 - x1`, R-Net's and O-Net's as `x2 - x1 + 1` (`inclusive`).
pub fn regress(c: &Candidate, inclusive: bool) -> Candidate {
    let extra = if inclusive { 1.0 } else { 0.0 };
    let (w, h) = (c.x2 - c.x1 + extra, c.y2 - c.y1 + extra);
    Candidate {
        x1: c.x1 + c.reg[0] * w,
        y1: c.y1 + c.reg[1] * h,
        x2: c.x2 + c.reg[2] * w,
        y2: c.y2 + c.reg[3] * h,
        ..*c
    }
}

/// The square of the box's longer side with the same centre.
pub fn square(c: &Candidate) -> Candidate {
    let (w, h) = (c.x2 - c.x1, c.y2 - c.y1);
    let side = w.max(h);
    let x1 = c.x1 + w * 0.5 - side * 0.5;
    let y1 = c.y1 + h * 0.5 - side * 0.5;
    Candidate {
        x1,
        y1,
        x2: x1 + side,
        y2: y1 + side,
        ..*c
    }
}

/// The box with its corners truncated to whole pixels, as the reference does before cropping.
pub fn truncate(c: &Candidate) -> Candidate {
    Candidate {
        x1: c.x1.trunc(),
        y1: c.y1.trunc(),
        x2: c.x2.trunc(),
        y2: c.y2.trunc(),
        ..*c
    }
}

/// The pixel window a box crops: its left and top edge in image pixels and its inclusive size. The
/// reference counts corners from 1, so the window starts one pixel up and left of the corner.
pub fn crop_window(c: &Candidate) -> (f32, f32, f32, f32) {
    (c.x1 - 1.0, c.y1 - 1.0, c.x2 - c.x1 + 1.0, c.y2 - c.y1 + 1.0)
}

/// Normalises a channel value as the networks were trained: (v - 127.5) / 128.
pub fn normalise(v: f32) -> f32 {
    (v - 127.5) * 0.0078125
}

/// The level image as P-Net's input: normalised RGB, width before height (`[x][y][c]`).
pub fn transposed_input(level: &RgbImage) -> Vec<f32> {
    let (w, h) = (level.width() as usize, level.height() as usize);
    let mut data = vec![0.0f32; w * h * 3];
    for (x, y, p) in level.enumerate_pixels() {
        let at = (x as usize * h + y as usize) * 3;
        if let Some(dst) = data.get_mut(at..at + 3) {
            for (d, s) in dst.iter_mut().zip(p.0) {
                *d = normalise(f32::from(s));
            }
        }
    }
    data
}

/// Appends the `side` x `side` crop of the window (`left`, `top`, `width`, `height`, in image pixels,
/// see [`crop_window`]) to `out` as R-Net's or O-Net's input: normalised RGB, width before height.
/// Outside the image counts as black, as in the reference's zero padding. Each output pixel
/// averages up to 4x4 bilinear samples over its share of the window, so large windows are
/// smoothed like an area resize while the cost stays bounded whatever the window's size.
pub fn push_crop(
    image: &RgbImage,
    (left, top, width, height): (f32, f32, f32, f32),
    side: u32,
    out: &mut Vec<f32>,
) {
    let (iw, ih) = (image.width() as i64, image.height() as i64);
    let pixel = |x: i64, y: i64| -> [f32; 3] {
        if x < 0 || y < 0 || x >= iw || y >= ih {
            return [0.0; 3];
        }
        let p = image.get_pixel(x as u32, y as u32).0;
        [f32::from(p[0]), f32::from(p[1]), f32::from(p[2])]
    };
    // Bilinear at a continuous position (pixel k spans [k, k + 1)).
    let sample = |u: f32, v: f32| -> [f32; 3] {
        let (fx, fy) = (u - 0.5, v - 0.5);
        let (x0, y0) = (fx.floor(), fy.floor());
        let (ax, ay) = (fx - x0, fy - y0);
        let (x0, y0) = (x0 as i64, y0 as i64);
        let (p00, p10, p01, p11) = (
            pixel(x0, y0),
            pixel(x0 + 1, y0),
            pixel(x0, y0 + 1),
            pixel(x0 + 1, y0 + 1),
        );
        let mut v = [0.0; 3];
        for c in 0..3 {
            let top = p00[c] * (1.0 - ax) + p10[c] * ax;
            let bottom = p01[c] * (1.0 - ax) + p11[c] * ax;
            v[c] = top * (1.0 - ay) + bottom * ay;
        }
        v
    };
    let n = side.max(1) as f32;
    let (step_x, step_y) = (width / n, height / n);
    let per = |step: f32| (step.ceil() as usize).clamp(1, 4);
    let (sx, sy) = (per(step_x), per(step_y));
    let count = (sx * sy) as f32;
    for i in 0..side {
        for j in 0..side {
            let mut acc = [0.0f32; 3];
            for a in 0..sx {
                for b in 0..sy {
                    let u = left + (i as f32 + (a as f32 + 0.5) / sx as f32) * step_x;
                    let v = top + (j as f32 + (b as f32 + 0.5) / sy as f32) * step_y;
                    let s = sample(u, v);
                    for c in 0..3 {
                        acc[c] += s[c];
                    }
                }
            }
            out.extend(acc.iter().map(|v| normalise(v / count)));
        }
    }
}

/// O-Net's landmarks (x1..x5, y1..y5, relative to the window) in image pixels.
pub fn place_landmarks(c: &Candidate, rel: &[f32]) -> Option<[[f32; 2]; 5]> {
    let (left, top, w, h) = crop_window(c);
    let mut points = [[0.0f32; 2]; 5];
    for (n, p) in points.iter_mut().enumerate() {
        let (x, y) = (rel.get(n)?, rel.get(n + 5)?);
        *p = [left + x * w, top + y * h];
    }
    Some(points)
}

/// The face for a final box and its landmarks, scaled by `1 / scale` (undoing the scaling down of
/// large images).
pub fn to_face(c: &Candidate, landmarks: [[f32; 2]; 5], scale: f32) -> Face {
    let inv = if scale > 0.0 { 1.0 / scale } else { 1.0 };
    Face {
        bbox: BoundingBox {
            x: c.x1 * inv,
            y: c.y1 * inv,
            width: (c.x2 - c.x1) * inv,
            height: (c.y2 - c.y1) * inv,
        },
        landmarks: landmarks.map(|[x, y]| [x * inv, y * inv]),
        score: c.score,
    }
}

/// Keeps the best `max` candidates.
pub fn best(mut boxes: Vec<Candidate>, max: usize) -> Vec<Candidate> {
    boxes.sort_by(|a, b| b.score.total_cmp(&a.score));
    boxes.truncate(max);
    boxes
}

#[cfg(feature = "onnx")]
pub use onnx::Mtcnn;

#[cfg(feature = "onnx")]
mod onnx {
    use image::RgbImage;
    use ort::value::TensorRef;

    use super::*;
    use crate::face::detect::FaceDetector;
    use crate::image::{fit_within, resize};
    use crate::model::{GraphEdit, ModelError, ModelSource, OnnxModel, Runtime};

    /// R-Net and O-Net see at most this many crops per run.
    const BATCH: usize = 64;

    /// The MTCNN cascade on ONNX Runtime.
    #[derive(Debug)]
    pub struct Mtcnn {
        pnet: OnnxModel,
        rnet: OnnxModel,
        onet: OnnxModel,
        options: MtcnnOptions,
    }

    fn output(
        outputs: &ort::session::SessionOutputs<'_>,
        name: &str,
    ) -> Result<(Vec<i64>, Vec<f32>), ort::Error> {
        let value = outputs
            .get(name)
            .ok_or_else(|| ort::Error::new(format!("no output {name}")))?;
        let (shape, data) = value.try_extract_tensor::<f32>()?;
        Ok((shape.iter().copied().collect(), data.to_vec()))
    }

    impl Mtcnn {
        /// Loads the three networks (`mtcnn_pnet`, `mtcnn_rnet`, `mtcnn_onet`).
        pub fn load(
            runtime: &Runtime,
            source: &ModelSource,
            options: MtcnnOptions,
        ) -> Result<Self, ModelError> {
            Ok(Self {
                pnet: runtime.load_edited(source, "mtcnn_pnet", &[GraphEdit::PReluAsBatchNorm])?,
                rnet: runtime.load_edited(source, "mtcnn_rnet", &[GraphEdit::PReluAsBatchNorm])?,
                onet: runtime.load_edited(source, "mtcnn_onet", &[GraphEdit::PReluAsBatchNorm])?,
                options,
            })
        }

        /// Stage 1: P-Net over the pyramid; proposals squared, in whole pixels.
        fn propose(&self, image: &RgbImage) -> Result<Vec<Candidate>, crate::Error> {
            let o = &self.options;
            let (w, h) = image.dimensions();
            let mut all = Vec::new();
            for scale in pyramid_scales(w, h, o.min_face, o.scale_factor) {
                let (lw, lh) = level_size(w, h, scale);
                let level = resize(image, lw, lh)?;
                let input = transposed_input(&level);
                let (prob, reg) = self.pnet.with_session(|session| {
                    let tensor = TensorRef::from_array_view((
                        [1usize, lw as usize, lh as usize, 3],
                        input.as_slice(),
                    ))?;
                    let outputs = session.run(ort::inputs!["input_1" => tensor])?;
                    Ok((output(&outputs, "softmax")?, output(&outputs, "conv2d_4")?))
                })?;
                let (out_w, out_h) = match prob.0.as_slice() {
                    [_, ow, oh, _] => (*ow as usize, *oh as usize),
                    _ => {
                        return Err(ModelError::Inference {
                            name: "mtcnn_pnet".to_owned(),
                            detail: format!("unexpected output shape {:?}", prob.0),
                        }
                        .into());
                    }
                };
                let found = decode_pnet(&prob.1, &reg.1, out_w, out_h, scale, o.thresholds[0]);
                all.extend(nms(best(found, MAX_PER_SCALE), 0.5, Overlap::Union));
            }
            let kept = nms(best(all, MAX_PER_SCALE), 0.7, Overlap::Union);
            Ok(kept
                .iter()
                .map(|c| truncate(&square(&regress(c, false))))
                .filter(Candidate::is_sane)
                .take(o.max_proposals)
                .collect())
        }

        /// Runs R-Net or O-Net on the crops of `boxes`, in batches; returns each output per box.
        fn refine(
            &self,
            model: &OnnxModel,
            image: &RgbImage,
            boxes: &[Candidate],
            side: u32,
            input_name: &str,
            outputs: &[(&str, usize)],
        ) -> Result<Vec<Vec<Vec<f32>>>, crate::Error> {
            let mut per_output: Vec<Vec<Vec<f32>>> = vec![Vec::new(); outputs.len()];
            let s = side as usize;
            for chunk in boxes.chunks(BATCH) {
                let mut input = Vec::with_capacity(chunk.len() * s * s * 3);
                for c in chunk {
                    push_crop(image, crop_window(c), side, &mut input);
                }
                let got = model.with_session(|session| {
                    let tensor =
                        TensorRef::from_array_view(([chunk.len(), s, s, 3], input.as_slice()))?;
                    let result = session.run(ort::inputs![input_name => tensor])?;
                    outputs
                        .iter()
                        .map(|(name, _)| output(&result, name).map(|(_, d)| d))
                        .collect::<Result<Vec<_>, ort::Error>>()
                })?;
                for ((data, (name, width)), dst) in got.iter().zip(outputs).zip(&mut per_output) {
                    if data.len() != chunk.len() * width {
                        return Err(ModelError::Inference {
                            name: model.name().to_owned(),
                            detail: format!("output {name} has {} values", data.len()),
                        }
                        .into());
                    }
                    dst.extend(data.chunks_exact(*width).map(<[f32]>::to_vec));
                }
            }
            Ok(per_output)
        }

        /// Faces in `image`, best first, in the image's coordinates.
        pub fn detect(&self, image: &RgbImage) -> Result<Vec<Face>, crate::Error> {
            let o = &self.options;
            if image.width() == 0 || image.height() == 0 {
                return Ok(Vec::new());
            }
            let (work, scale) = fit_within(image, o.max_side.max(CELL as u32))?;
            let proposals = self.propose(&work)?;
            if proposals.is_empty() {
                return Ok(Vec::new());
            }

            // Stage 2: R-Net.
            let out = self.refine(
                &self.rnet,
                &work,
                &proposals,
                RNET_SIDE,
                "input_2",
                &[("dense_2", 4), ("softmax_1", 2)],
            )?;
            let (Some(reg), Some(prob)) = (out.first(), out.get(1)) else {
                return Ok(Vec::new());
            };
            let mut passed = Vec::new();
            for ((c, r), p) in proposals.iter().zip(reg).zip(prob) {
                let (Some(&score), [a, b, cc, d]) = (p.get(1), r.as_slice()) else {
                    continue;
                };
                if score > o.thresholds[1] {
                    passed.push(Candidate {
                        score,
                        reg: [*a, *b, *cc, *d],
                        ..*c
                    });
                }
            }
            let refined: Vec<Candidate> = nms(passed, 0.7, Overlap::Union)
                .iter()
                .map(|c| truncate(&square(&regress(c, true))))
                .filter(Candidate::is_sane)
                .take(o.max_refined)
                .collect();
            if refined.is_empty() {
                return Ok(Vec::new());
            }

            // Stage 3: O-Net, with landmarks.
            let out = self.refine(
                &self.onet,
                &work,
                &refined,
                ONET_SIDE,
                "input_3",
                &[("dense_5", 4), ("dense_6", 10), ("softmax_2", 2)],
            )?;
            let (Some(reg), Some(marks), Some(prob)) = (out.first(), out.get(1), out.get(2)) else {
                return Ok(Vec::new());
            };
            let mut finals = Vec::new();
            for (((c, r), m), p) in refined.iter().zip(reg).zip(marks).zip(prob) {
                let (Some(&score), [a, b, cc, d]) = (p.get(1), r.as_slice()) else {
                    continue;
                };
                if score <= o.thresholds[2] {
                    continue;
                }
                let Some(landmarks) = place_landmarks(c, m) else {
                    continue;
                };
                let moved = regress(
                    &Candidate {
                        score,
                        reg: [*a, *b, *cc, *d],
                        ..*c
                    },
                    true,
                );
                finals.push((moved, landmarks));
            }
            // Suppression by the smaller box's share, carrying each box's landmarks along.
            let kept = nms(finals.iter().map(|(c, _)| *c).collect(), 0.7, Overlap::Min);
            Ok(kept
                .iter()
                .take(o.max_faces)
                .filter_map(|k| {
                    finals
                        .iter()
                        .find(|(c, _)| c == k)
                        .map(|(c, l)| to_face(c, *l, scale))
                })
                .collect())
        }
    }

    impl FaceDetector for Mtcnn {
        fn name(&self) -> &'static str {
            "mtcnn"
        }

        fn input_side(&self) -> u32 {
            self.options.max_side
        }

        fn detect(&self, image: &RgbImage) -> Result<Vec<Face>, crate::Error> {
            Mtcnn::detect(self, image)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn cand(x1: f32, y1: f32, x2: f32, y2: f32, score: f32) -> Candidate {
        Candidate {
            x1,
            y1,
            x2,
            y2,
            score,
            reg: [0.0; 4],
        }
    }

    #[test]
    fn pyramid_follows_the_published_recipe_and_stops_under_12_px() {
        // 100x80 with 20 px faces: first scale 0.6 (shorter side 48), then x0.709 while the shorter
        // side stays >= 12: 48, 34.03, 24.13, 17.11, 12.13, then 8.6 stops.
        let s = pyramid_scales(100, 80, 20.0, 0.709);
        assert_eq!(s.len(), 5);
        assert!((s[0] - 0.6).abs() < 1e-6);
        assert!((s[1] - 0.4254).abs() < 1e-4);
        assert!((s[4] - 0.6 * 0.709f64.powi(4)).abs() < 1e-9);
        assert_eq!(level_size(100, 80, 0.6), (60, 48));
        assert_eq!(level_size(100, 80, s[1]), (43, 35)); // ceil(42.54), ceil(34.03)
        // Too small for one 12 px window at the first scale.
        assert!(pyramid_scales(19, 300, 20.0, 0.709).is_empty());
        assert!(pyramid_scales(0, 0, 20.0, 0.709).is_empty());
        assert_eq!(pyramid_scales(20, 20, 20.0, 0.709), vec![0.6]);
        // Bounded whatever the size, and nonsense settings give nothing.
        assert_eq!(
            pyramid_scales(u32::MAX, u32::MAX, 20.0, 0.709).len(),
            MAX_SCALES
        );
        assert!(pyramid_scales(100, 100, 0.0, 0.709).is_empty());
        assert!(pyramid_scales(100, 100, 20.0, 1.0).is_empty());
    }

    #[test]
    fn pnet_cells_become_12_px_windows_in_image_pixels() {
        // 3 x 2 cells, width first: cell (x, y) at index x * 2 + y.
        let (w, h) = (3usize, 2usize);
        let mut prob = vec![0.0f32; w * h * 2];
        let mut reg = vec![0.0f32; w * h * 4];
        let cell = 2 * h + 1; // x = 2, y = 1
        prob[cell * 2] = 0.1;
        prob[cell * 2 + 1] = 0.9;
        reg[cell * 4..cell * 4 + 4].copy_from_slice(&[0.1, -0.2, 0.3, 0.4]);
        let found = decode_pnet(&prob, &reg, w, h, 0.5, 0.6);
        assert_eq!(found.len(), 1);
        let c = found[0];
        // x: (2 * 2 + 1) / 0.5 = 10, (4 + 12) / 0.5 = 32; y: (2 + 1) / 0.5 = 6, (2 + 12) / 0.5 = 28.
        assert_eq!((c.x1, c.y1, c.x2, c.y2), (10.0, 6.0, 32.0, 28.0));
        assert_eq!(c.score, 0.9);
        assert_eq!(c.reg, [0.1, -0.2, 0.3, 0.4]);
        // Truncated, not rounded: scale 0.709 puts cell (0, 0) at (1.41 -> 1, 16.93 -> 16).
        let c = decode_pnet(&[0.0, 0.95], &[0.0; 4], 1, 1, 0.709, 0.6)[0];
        assert_eq!((c.x1, c.x2), (1.0, 16.0));
        // Short outputs and a bad scale do not panic.
        assert!(decode_pnet(&prob, &reg[..3], w, h, 0.5, 0.6).is_empty());
        assert!(decode_pnet(&prob, &reg, w, h, 0.0, 0.6).is_empty());
    }

    #[test]
    fn regression_moves_corners_by_box_sizes_and_squaring_keeps_the_centre() {
        let mut c = cand(10.0, 20.0, 30.0, 60.0, 0.9);
        c.reg = [0.1, 0.05, -0.1, 0.25];
        // Exclusive width 20, height 40.
        let r = regress(&c, false);
        assert_eq!((r.x1, r.y1, r.x2, r.y2), (12.0, 22.0, 28.0, 70.0));
        // Inclusive width 21, height 41.
        let r = regress(&c, true);
        assert!((r.x1 - 12.1).abs() < 1e-5 && (r.y1 - 22.05).abs() < 1e-5);
        assert!((r.x2 - 27.9).abs() < 1e-5 && (r.y2 - 70.25).abs() < 1e-5);
        // 20 x 40 box centred at (20, 40) -> 40 x 40 square at (0, 20).
        let s = square(&c);
        assert_eq!((s.x1, s.y1, s.x2, s.y2), (0.0, 20.0, 40.0, 60.0));
        let t = truncate(&cand(-1.7, 2.9, 10.5, 11.99, 0.5));
        assert_eq!((t.x1, t.y1, t.x2, t.y2), (-1.0, 2.0, 10.0, 11.0));
    }

    #[test]
    fn suppression_by_union_and_by_the_smaller_box() {
        // A: 0..9 (100 px), B: 5..14 x 0..9 overlaps A by 5x10 = 50; union 150 -> 0.333.
        let a = cand(0.0, 0.0, 9.0, 9.0, 0.9);
        let b = cand(5.0, 0.0, 14.0, 9.0, 0.8);
        let far = cand(100.0, 100.0, 109.0, 109.0, 0.7);
        let kept = nms(vec![b, far, a], 0.3, Overlap::Union);
        assert_eq!(kept, vec![a, far]);
        let kept = nms(vec![b, far, a], 0.4, Overlap::Union);
        assert_eq!(kept, vec![a, b, far]);
        // A small box inside a big one: IoU 0.25 but the smaller box's share is 1.
        let big = cand(0.0, 0.0, 19.0, 19.0, 0.8);
        let small = cand(0.0, 0.0, 9.0, 9.0, 0.9);
        assert_eq!(nms(vec![big, small], 0.7, Overlap::Union).len(), 2);
        assert_eq!(nms(vec![big, small], 0.7, Overlap::Min), vec![small]);
        // Non-finite boxes are dropped rather than compared.
        assert!(
            nms(
                vec![cand(f32::NAN, 0.0, 1.0, 1.0, 0.9)],
                0.5,
                Overlap::Union
            )
            .is_empty()
        );
    }

    #[test]
    fn crops_are_transposed_normalised_and_black_outside_the_image() {
        // 4x2 image, value = 10 * x + y in every channel, cropped 1:1 at its own size.
        let img = RgbImage::from_fn(4, 2, |x, y| {
            let v = (10 * x + y) as u8;
            image::Rgb([v, v, v])
        });
        let mut out = Vec::new();
        push_crop(&img, (0.0, 0.0, 2.0, 2.0), 2, &mut out);
        assert_eq!(out.len(), 2 * 2 * 3);
        // [x][y][c]: (0,0), (0,1), (1,0), (1,1).
        let want: Vec<f32> = [0.0, 1.0, 10.0, 11.0]
            .iter()
            .flat_map(|v| [normalise(*v); 3])
            .collect();
        assert_eq!(out, want);
        // Entirely outside: black, i.e. -127.5 / 128.
        let mut out = Vec::new();
        push_crop(&img, (50.0, 50.0, 8.0, 8.0), 2, &mut out);
        assert!(out.iter().all(|v| (*v - normalise(0.0)).abs() < 1e-6));
        // A huge window costs at most 4x4 samples per output pixel and stays finite.
        let mut out = Vec::new();
        push_crop(&img, (-1e6, -1e6, 3e6, 3e6), 24, &mut out);
        assert_eq!(out.len(), 24 * 24 * 3);
        assert!(out.iter().all(|v| v.is_finite()));
        // P-Net's input is transposed the same way.
        let t = transposed_input(&img);
        assert_eq!(t[(3 * 2 + 1) * 3], normalise(31.0));
    }

    #[test]
    fn landmarks_are_placed_in_the_window_and_faces_scaled_back() {
        // Window of box (11, 21)-(30, 40): starts at (10, 20), 20 x 20 pixels.
        let c = cand(11.0, 21.0, 30.0, 40.0, 0.99);
        let rel = [0.25, 0.75, 0.5, 0.3, 0.7, 0.4, 0.4, 0.6, 0.8, 0.8];
        let l = place_landmarks(&c, &rel).unwrap();
        assert_eq!(l[0], [15.0, 28.0]);
        assert_eq!(l[1], [25.0, 28.0]);
        assert_eq!(l[4], [24.0, 36.0]);
        assert!(place_landmarks(&c, &rel[..9]).is_none());
        let f = to_face(&c, l, 0.5);
        assert_eq!(
            (f.bbox.x, f.bbox.y, f.bbox.width, f.bbox.height),
            (22.0, 42.0, 38.0, 38.0)
        );
        assert_eq!(f.landmarks[0], [30.0, 56.0]);
    }
}
