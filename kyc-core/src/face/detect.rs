//! Face detection with YuNet (2023mar): scaling, decoding of its stride-8, 16 and 32 output heads,
//! and non-maximum suppression, written here rather than borrowed from OpenCV so that the same code
//! runs wherever the engine does. The model was exported for a 640x640 input, but it is fully
//! convolutional: kyc frees its height and width when it loads it (`model::GraphEdit`), scales the
//! photo's longer side to 640 as before and pads only up to whole 32-pixel cells, so a 4:3 photo
//! runs at 640x480 instead of being padded to a square (same scale, same faces, a quarter less
//! work; 16:9 nearly half).

use image::RgbImage;
use serde::{Deserialize, Serialize};

use super::geometry::{BoundingBox, Landmarks};

/// The longer side of YuNet's input.
pub const INPUT_SIDE: u32 = 640;
/// The input's sides are whole multiples of the coarsest stride.
const CELL: u32 = 32;
/// The output heads' strides.
pub const STRIDES: [u32; 3] = [8, 16, 32];

/// One detected face, in the coordinates of the image given to the detector.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Face {
    /// The face box.
    pub bbox: BoundingBox,
    /// Five landmarks (see [`Landmarks`]).
    pub landmarks: Landmarks,
    /// Detector confidence, 0 to 1.
    pub score: f32,
}

/// Detection thresholds.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct DetectOptions {
    /// Minimum score (OpenCV's default for YuNet is 0.9).
    pub score_threshold: f32,
    /// IoU above which the weaker of two boxes is dropped.
    pub nms_iou: f32,
    /// At most this many faces.
    pub max_faces: usize,
}

impl Default for DetectOptions {
    fn default() -> Self {
        Self {
            score_threshold: 0.9,
            nms_iou: 0.3,
            max_faces: 50,
        }
    }
}

/// A face detector: YuNet (the default) or MTCNN, chosen with [`DetectorKind`].
pub trait FaceDetector: Send + Sync + std::fmt::Debug {
    /// Its name (`yunet`, `mtcnn`).
    fn name(&self) -> &'static str;
    /// The side of the image it works on: photos at least twice as large are worth searching in
    /// tiles (see `face::search::tiles`).
    fn input_side(&self) -> u32;
    /// Faces in `image`, best first, in the image's coordinates; landmarks in [`Landmarks`] order.
    fn detect(&self, image: &RgbImage) -> Result<Vec<Face>, crate::Error>;
}

/// Which face detector to load.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum DetectorKind {
    /// YuNet (one network, 640x640 input): the default.
    #[default]
    Yunet,
    /// MTCNN (P-Net, R-Net, O-Net cascade over an image pyramid): `face::mtcnn`.
    Mtcnn,
}

impl DetectorKind {
    /// Its name, as [`FaceDetector::name`] gives it.
    pub fn name(self) -> &'static str {
        match self {
            Self::Yunet => "yunet",
            Self::Mtcnn => "mtcnn",
        }
    }
}

impl std::str::FromStr for DetectorKind {
    type Err = String;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        match s {
            "yunet" => Ok(Self::Yunet),
            "mtcnn" => Ok(Self::Mtcnn),
            other => Err(format!("unknown detector '{other}' (yunet or mtcnn)")),
        }
    }
}

/// How an image was fitted into the input: scaled by `scale` (the longer side to 640), padded right
/// and bottom to whole 32-pixel cells.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Letterbox {
    /// Input pixels per source pixel.
    pub scale: f32,
    /// Scaled width.
    pub width: u32,
    /// Scaled height.
    pub height: u32,
}

impl Letterbox {
    /// The letterbox for a `width` x `height` image.
    pub fn for_size(width: u32, height: u32) -> Self {
        let scale = INPUT_SIDE as f32 / width.max(height).max(1) as f32;
        Self {
            scale,
            width: ((width as f32 * scale).round() as u32).clamp(1, INPUT_SIDE),
            height: ((height as f32 * scale).round() as u32).clamp(1, INPUT_SIDE),
        }
    }

    /// The input's width and height: the scaled image padded to whole 32-pixel cells.
    pub fn input_size(&self) -> (u32, u32) {
        (
            self.width.div_ceil(CELL) * CELL,
            self.height.div_ceil(CELL) * CELL,
        )
    }
}

/// The NCHW float input of `input_width` x `input_height`, BGR 0..255 as the model was trained,
/// zero padding.
pub fn input_tensor(scaled: &RgbImage, input_width: u32, input_height: u32) -> Vec<f32> {
    let (side, rows) = (input_width as usize, input_height as usize);
    let plane = side * rows;
    let mut data = vec![0.0f32; 3 * plane];
    let width = scaled.width() as usize;
    if width == 0 {
        return data;
    }
    let cols = width.min(side);
    // Row by row over the raw bytes into the three planes: no per-pixel coordinates or bounds
    // checks, which made this loop a visible part of detection.
    let (blue, rest) = data.split_at_mut(plane);
    let (green, red) = rest.split_at_mut(plane);
    let lines = scaled.as_raw().chunks_exact(width * 3).take(rows);
    for (y, src) in lines.enumerate() {
        let at = y * side..y * side + cols;
        let (Some(b), Some(g), Some(r)) = (
            blue.get_mut(at.clone()),
            green.get_mut(at.clone()),
            red.get_mut(at),
        ) else {
            continue;
        };
        for (((p, b), g), r) in src.chunks_exact(3).zip(b).zip(g).zip(r) {
            *b = f32::from(p[2]);
            *g = f32::from(p[1]);
            *r = f32::from(p[0]);
        }
    }
    data
}

/// The raw heads for one stride, row-major over the stride's grid.
pub struct Heads<'a> {
    /// Stride: 8, 16 or 32.
    pub stride: u32,
    /// Classification scores, one per cell.
    pub cls: &'a [f32],
    /// Objectness, one per cell.
    pub obj: &'a [f32],
    /// Box offsets, four per cell.
    pub bbox: &'a [f32],
    /// Landmark offsets, ten per cell.
    pub kps: &'a [f32],
}

/// Decodes the heads of an input `input_width` wide into faces in input coordinates, before
/// suppression.
pub fn decode(heads: &[Heads<'_>], threshold: f32, input_width: u32) -> Vec<Face> {
    let mut faces = Vec::new();
    for h in heads {
        let cols = (input_width / h.stride.max(1)).max(1) as usize;
        let s = h.stride as f32;
        let cells = h
            .cls
            .len()
            .min(h.obj.len())
            .min(h.bbox.len() / 4)
            .min(h.kps.len() / 10);
        for i in 0..cells {
            let (Some(cls), Some(obj)) = (h.cls.get(i), h.obj.get(i)) else {
                continue;
            };
            let score = (cls.clamp(0.0, 1.0) * obj.clamp(0.0, 1.0)).sqrt();
            if score.is_nan() || score < threshold {
                continue;
            }
            let (Some(b), Some(k)) = (h.bbox.get(i * 4..i * 4 + 4), h.kps.get(i * 10..i * 10 + 10))
            else {
                continue;
            };
            let (r, c) = ((i / cols) as f32, (i % cols) as f32);
            let (cx, cy) = ((c + b[0]) * s, (r + b[1]) * s);
            let (w, hgt) = (b[2].exp() * s, b[3].exp() * s);
            let mut landmarks = [[0.0f32; 2]; 5];
            for (n, l) in landmarks.iter_mut().enumerate() {
                *l = [(k[2 * n] + c) * s, (k[2 * n + 1] + r) * s];
            }
            faces.push(Face {
                bbox: BoundingBox {
                    x: cx - w / 2.0,
                    y: cy - hgt / 2.0,
                    width: w,
                    height: hgt,
                },
                landmarks,
                score,
            });
        }
    }
    faces
}

/// The face with the largest box: the subject of a selfie, the portrait of a document page.
pub fn largest(faces: &[Face]) -> Option<&Face> {
    faces
        .iter()
        .max_by(|a, b| (a.bbox.width * a.bbox.height).total_cmp(&(b.bbox.width * b.bbox.height)))
}

/// Keeps the best-scoring faces, dropping any that overlaps a better one by more than `iou`.
pub fn suppress(mut faces: Vec<Face>, iou: f32, max: usize) -> Vec<Face> {
    faces.sort_by(|a, b| b.score.total_cmp(&a.score));
    let mut kept: Vec<Face> = Vec::new();
    for face in faces {
        if kept.len() >= max {
            break;
        }
        if kept.iter().all(|k| k.bbox.iou(&face.bbox) <= iou) {
            kept.push(face);
        }
    }
    kept
}

/// Maps faces from input coordinates back to the source image.
pub fn unletterbox(faces: &mut [Face], letterbox: &Letterbox) {
    let inv = 1.0 / letterbox.scale;
    for f in faces {
        f.bbox.x *= inv;
        f.bbox.y *= inv;
        f.bbox.width *= inv;
        f.bbox.height *= inv;
        for l in &mut f.landmarks {
            l[0] *= inv;
            l[1] *= inv;
        }
    }
}

#[cfg(feature = "onnx")]
pub use onnx::YuNet;

#[cfg(feature = "onnx")]
mod onnx {
    use image::RgbImage;
    use ort::value::TensorRef;

    use super::*;
    use crate::image::resize;
    use crate::model::{GraphEdit, ModelError, ModelSource, OnnxModel, Runtime};

    /// The heads copied out of the session's outputs.
    struct OwnedHeads {
        stride: u32,
        cls: Vec<f32>,
        obj: Vec<f32>,
        bbox: Vec<f32>,
        kps: Vec<f32>,
    }

    impl OwnedHeads {
        fn view(&self) -> Heads<'_> {
            Heads {
                stride: self.stride,
                cls: &self.cls,
                obj: &self.obj,
                bbox: &self.bbox,
                kps: &self.kps,
            }
        }
    }

    /// YuNet on ONNX Runtime.
    #[derive(Debug)]
    pub struct YuNet {
        model: OnnxModel,
        options: DetectOptions,
    }

    impl YuNet {
        /// Loads the model.
        pub fn load(
            runtime: &Runtime,
            source: &ModelSource,
            options: DetectOptions,
        ) -> Result<Self, ModelError> {
            Ok(Self {
                model: runtime.load_edited(
                    source,
                    "yunet",
                    &[GraphEdit::FreeInputDims {
                        input: "input",
                        dims: &[2, 3],
                    }],
                )?,
                options,
            })
        }

        /// Faces in `image`, best first, in the image's coordinates.
        pub fn detect(&self, image: &RgbImage) -> Result<Vec<Face>, crate::Error> {
            let letterbox = Letterbox::for_size(image.width(), image.height());
            let scaled = resize(image, letterbox.width, letterbox.height)?;
            let (width, height) = letterbox.input_size();
            let input = input_tensor(&scaled, width, height);
            let owned = self.model.with_session(|session| {
                let shape = [1usize, 3, height as usize, width as usize];
                let tensor = TensorRef::from_array_view((shape, input.as_slice()))?;
                let outputs = session.run(ort::inputs!["input" => tensor])?;
                let get = |head: &str, stride: u32| -> Result<Vec<f32>, ort::Error> {
                    let name = format!("{head}_{stride}");
                    let value = outputs
                        .get(&name)
                        .ok_or_else(|| ort::Error::new(format!("no output {name}")))?;
                    Ok(value.try_extract_tensor::<f32>()?.1.to_vec())
                };
                STRIDES
                    .into_iter()
                    .map(|stride| {
                        Ok(OwnedHeads {
                            stride,
                            cls: get("cls", stride)?,
                            obj: get("obj", stride)?,
                            bbox: get("bbox", stride)?,
                            kps: get("kps", stride)?,
                        })
                    })
                    .collect::<Result<Vec<_>, ort::Error>>()
            })?;
            let heads: Vec<Heads<'_>> = owned.iter().map(OwnedHeads::view).collect();
            let mut found = suppress(
                decode(&heads, self.options.score_threshold, width),
                self.options.nms_iou,
                self.options.max_faces,
            );
            unletterbox(&mut found, &letterbox);
            Ok(found)
        }
    }

    impl FaceDetector for YuNet {
        fn name(&self) -> &'static str {
            "yunet"
        }

        fn input_side(&self) -> u32 {
            INPUT_SIDE
        }

        fn detect(&self, image: &RgbImage) -> Result<Vec<Face>, crate::Error> {
            YuNet::detect(self, image)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn decodes_one_confident_cell_at_its_grid_position() {
        let cols = (INPUT_SIDE / 32) as usize;
        let n = cols * cols;
        let mut cls = vec![0.0; n];
        let mut obj = vec![0.0; n];
        let mut bbox = vec![0.0; n * 4];
        let kps = vec![0.5; n * 10];
        let cell = 3 * cols + 5; // row 3, column 5
        cls[cell] = 0.96;
        obj[cell] = 1.0;
        bbox[cell * 4 + 2] = 1.0f32.ln() + 2.0f32.ln(); // width 2 strides
        bbox[cell * 4 + 3] = 3.0f32.ln(); // height 3 strides
        let faces = decode(
            &[Heads {
                stride: 32,
                cls: &cls,
                obj: &obj,
                bbox: &bbox,
                kps: &kps,
            }],
            0.9,
            INPUT_SIDE,
        );
        assert_eq!(faces.len(), 1);
        let f = &faces[0];
        assert!((f.score - 0.96f32.sqrt()).abs() < 1e-6);
        assert!((f.bbox.width - 64.0).abs() < 1e-3 && (f.bbox.height - 96.0).abs() < 1e-3);
        assert!((f.bbox.x - (5.0 * 32.0 - 32.0)).abs() < 1e-3);
        assert!((f.bbox.y - (3.0 * 32.0 - 48.0)).abs() < 1e-3);
        assert!((f.landmarks[0][0] - 5.5 * 32.0).abs() < 1e-3);
    }

    #[test]
    fn suppression_keeps_the_better_of_overlapping_faces() {
        let face = |x: f32, score: f32| Face {
            bbox: BoundingBox {
                x,
                y: 0.0,
                width: 10.0,
                height: 10.0,
            },
            landmarks: [[0.0; 2]; 5],
            score,
        };
        let kept = suppress(
            vec![face(0.0, 0.91), face(1.0, 0.95), face(50.0, 0.92)],
            0.3,
            10,
        );
        let scores: Vec<f32> = kept.iter().map(|f| f.score).collect();
        assert_eq!(scores, [0.95, 0.92]);
    }

    #[test]
    fn input_tensor_is_bgr_planes_with_zero_padding() {
        let img = RgbImage::from_fn(7, 5, |x, y| image::Rgb([x as u8, y as u8, (x * y) as u8]));
        let (side, rows) = (32usize, 64usize);
        let t = input_tensor(&img, side as u32, rows as u32);
        let plane = side * rows;
        assert_eq!(t.len(), 3 * plane);
        for y in 0..rows {
            for x in 0..side {
                let i = y * side + x;
                let want = if x < 7 && y < 5 {
                    [(x * y) as f32, y as f32, x as f32]
                } else {
                    [0.0; 3]
                };
                assert_eq!([t[i], t[plane + i], t[2 * plane + i]], want, "({x}, {y})");
            }
        }
    }

    #[test]
    fn letterbox_maps_back() {
        let lb = Letterbox::for_size(1280, 960);
        assert_eq!((lb.width, lb.height), (640, 480));
        assert_eq!(lb.input_size(), (640, 480));
        assert_eq!(Letterbox::for_size(1920, 1080).input_size(), (640, 384));
        assert_eq!(Letterbox::for_size(192, 240).input_size(), (512, 640));
        let mut faces = vec![Face {
            bbox: BoundingBox {
                x: 10.0,
                y: 20.0,
                width: 30.0,
                height: 40.0,
            },
            landmarks: [[10.0, 20.0]; 5],
            score: 1.0,
        }];
        unletterbox(&mut faces, &lb);
        assert_eq!(faces[0].bbox.x, 20.0);
        assert_eq!(faces[0].landmarks[4], [20.0, 40.0]);
    }
}
