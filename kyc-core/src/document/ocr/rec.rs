//! Text-line recognition with PP-OCR's CTC recogniser: the 48-pixel-high input as RapidOCR prepares
//! it (BGR, `(x / 255 - 0.5) / 0.5`, right-padded with zeros), and greedy CTC decoding with the
//! dictionary the model carries in its metadata (blank first, space last), with a confidence per
//! character.

use image::RgbImage;

/// Input height of the recogniser.
pub const INPUT_HEIGHT: u32 = 48;
/// Widest line input; wider crops are squeezed to it. An MRZ line of 44 characters is about 31
/// times as wide as it is high at PP-OCR's crop height.
pub const MAX_INPUT_WIDTH: u32 = 2048;

/// A recognised line.
#[derive(Clone, Debug, PartialEq)]
pub struct RecognizedText {
    /// The text.
    pub text: String,
    /// One confidence (0 to 1) per character of `text`.
    pub confidences: Vec<f32>,
}

impl RecognizedText {
    /// Mean character confidence (0 for an empty line).
    pub fn mean_confidence(&self) -> f32 {
        if self.confidences.is_empty() {
            0.0
        } else {
            self.confidences.iter().sum::<f32>() / self.confidences.len() as f32
        }
    }
}

/// The recogniser's dictionary: index 0 is the CTC blank, then the metadata's characters (one per
/// line), then a space, as RapidOCR's `CTCLabelDecode` builds it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Dictionary {
    symbols: Vec<String>,
}

impl Dictionary {
    /// From the model's `character` metadata (characters separated by newlines).
    pub fn from_metadata(text: &str) -> Self {
        let mut symbols = Vec::with_capacity(text.len() / 2 + 2);
        symbols.push(String::new());
        symbols.extend(
            text.split('\n')
                .map(|s| s.strip_suffix('\r').unwrap_or(s).to_owned()),
        );
        symbols.push(" ".to_owned());
        Self { symbols }
    }

    /// Classes including the blank.
    pub fn len(&self) -> usize {
        self.symbols.len()
    }

    /// True when only the blank and the space are known.
    pub fn is_empty(&self) -> bool {
        self.symbols.len() <= 2
    }

    fn symbol(&self, index: usize) -> Option<&str> {
        self.symbols.get(index).map(String::as_str)
    }
}

/// The width a crop of `width` x `height` takes at the recogniser's height.
pub fn scaled_width(width: u32, height: u32) -> u32 {
    let ratio = width as f32 / height.max(1) as f32;
    ((INPUT_HEIGHT as f32 * ratio).ceil() as u32).clamp(8, MAX_INPUT_WIDTH)
}

/// Writes the CHW tensor of `line` (already `INPUT_HEIGHT` high) into `out`, a `3 x 48 x
/// batch_width` slot initialised to zeros, which is the padding.
pub fn fill_tensor(line: &RgbImage, batch_width: usize, out: &mut [f32]) {
    let h = INPUT_HEIGHT as usize;
    let plane = h * batch_width;
    for (x, y, p) in line.enumerate_pixels() {
        let (x, y) = (x as usize, y as usize);
        if x >= batch_width || y >= h {
            continue;
        }
        let [r, g, b] = p.0;
        for (c, value) in [b, g, r].into_iter().enumerate() {
            if let Some(slot) = out.get_mut(c * plane + y * batch_width + x) {
                *slot = f32::from(value) / 127.5 - 1.0;
            }
        }
    }
}

/// Greedy CTC decoding of one line's `steps` x `classes` probabilities: best class per step,
/// repeats merged, blanks dropped; each character's confidence is its step's probability.
pub fn ctc_decode(
    probs: &[f32],
    steps: usize,
    classes: usize,
    dict: &Dictionary,
) -> RecognizedText {
    let mut text = String::new();
    let mut confidences = Vec::new();
    let mut previous = usize::MAX;
    for t in 0..steps {
        let Some(row) = probs.get(t * classes..(t + 1) * classes) else {
            break;
        };
        let (best, p) =
            row.iter().enumerate().fold(
                (0usize, f32::MIN),
                |acc, (i, &v)| {
                    if v > acc.1 { (i, v) } else { acc }
                },
            );
        if best != 0
            && best != previous
            && let Some(s) = dict.symbol(best)
        {
            text.push_str(s);
            confidences.extend(std::iter::repeat_n(p, s.chars().count()));
        }
        previous = best;
    }
    RecognizedText { text, confidences }
}

#[cfg(feature = "onnx")]
pub use onnx::TextRecognizer;

#[cfg(feature = "onnx")]
mod onnx {
    use image::RgbImage;
    use ort::value::TensorRef;

    use super::*;
    use crate::model::{ModelError, ModelSource, OnnxModel, Runtime};

    /// PP-OCR recognition on ONNX Runtime.
    #[derive(Debug)]
    pub struct TextRecognizer {
        model: OnnxModel,
        dict: Dictionary,
    }

    impl TextRecognizer {
        /// Loads `ppocr_rec` and its dictionary.
        pub fn load(runtime: &Runtime, source: &ModelSource) -> Result<Self, ModelError> {
            let model = runtime.load(source, "ppocr_rec")?;
            let text = model
                .metadata("character")?
                .ok_or_else(|| ModelError::Inference {
                    name: "ppocr_rec".to_owned(),
                    detail: "no 'character' dictionary in the model metadata".to_owned(),
                })?;
            Ok(Self {
                model,
                dict: Dictionary::from_metadata(&text),
            })
        }

        /// Recognises lines already cropped to `INPUT_HEIGHT` pixels high, in one batch padded to
        /// the widest.
        pub fn recognize(&self, lines: &[RgbImage]) -> Result<Vec<RecognizedText>, crate::Error> {
            if lines.is_empty() {
                return Ok(Vec::new());
            }
            let width = lines
                .iter()
                .map(|l| l.width())
                .max()
                .unwrap_or(8)
                .clamp(8, MAX_INPUT_WIDTH) as usize;
            let h = INPUT_HEIGHT as usize;
            let slot = 3 * h * width;
            let mut input = vec![0.0f32; slot * lines.len()];
            for (line, chunk) in lines.iter().zip(input.chunks_mut(slot)) {
                fill_tensor(line, width, chunk);
            }
            let n = lines.len();
            let (shape, probs) = self.model.with_session(|session| {
                let tensor = TensorRef::from_array_view(([n, 3, h, width], input.as_slice()))?;
                let outputs = session.run(ort::inputs![tensor])?;
                let (_, value) = outputs
                    .iter()
                    .next()
                    .ok_or_else(|| ort::Error::new("recogniser has no output"))?;
                let (shape, data) = value.try_extract_tensor::<f32>()?;
                Ok((shape.to_vec(), data.to_vec()))
            })?;
            let [batch, steps, classes] = shape.as_slice() else {
                return Err(crate::Error::Analysis {
                    code: "ocr.output_shape",
                    message: format!("recogniser output shape {shape:?}, expected [n, T, C]"),
                });
            };
            let (batch, steps, classes) = (*batch as usize, *steps as usize, *classes as usize);
            if classes != self.dict.len() || batch != n {
                return Err(crate::Error::Analysis {
                    code: "ocr.dictionary_mismatch",
                    message: format!(
                        "recogniser gives {classes} classes for {batch} lines, dictionary has {}",
                        self.dict.len()
                    ),
                });
            }
            Ok((0..n)
                .map(|i| {
                    let per = steps * classes;
                    let slice = probs.get(i * per..(i + 1) * per).unwrap_or(&[]);
                    ctc_decode(slice, steps, classes, &self.dict)
                })
                .collect())
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ctc_merges_repeats_and_drops_blanks() {
        let dict = Dictionary::from_metadata("A\nB\n<");
        assert_eq!(dict.len(), 5);
        // Steps: A A blank A < < B  -> "AA<B"
        let classes = 5;
        let best = [1usize, 1, 0, 1, 3, 3, 2];
        let mut probs = vec![0.0f32; best.len() * classes];
        for (t, &b) in best.iter().enumerate() {
            probs[t * classes + b] = 0.9;
        }
        probs[classes + 1] = 0.5; // second A, merged anyway
        let r = ctc_decode(&probs, best.len(), classes, &dict);
        assert_eq!(r.text, "AA<B");
        assert_eq!(r.confidences.len(), 4);
        assert!((r.mean_confidence() - 0.9).abs() < 1e-6);
    }

    #[test]
    fn widths_follow_the_aspect_ratio_within_bounds() {
        assert_eq!(scaled_width(960, 30), 1536);
        assert_eq!(scaled_width(1, 1000), 8);
        assert_eq!(scaled_width(100_000, 10), MAX_INPUT_WIDTH);
    }
}
