//! The MRZ reader: detection once per image, then for each reading direction (upright first) the
//! long lines are cropped along it, recognised, and handed to the MRZ engine's OCR repair. The
//! first fully valid reading wins; otherwise the one with the most verified check digits.

use image::RgbImage;
use jiff::civil::Date;

use super::det::{DetOptions, TextBox, TextDetector};
use super::geometry::{RotatedRect, sample_rect};
use super::mrz_locate::{Reading, candidate_lines, clean, is_mrz_like, readings, text_lines};
use super::rec::{INPUT_HEIGHT, RecognizedText, TextRecognizer, scaled_width};
use crate::document::mrz::{self, MrzError, Repaired};
use crate::model::{ModelError, ModelSource, Runtime};

/// One recognised MRZ-like line.
#[derive(Clone, Debug)]
pub struct OcrLine {
    /// Where it is in the image.
    pub rect: RotatedRect,
    /// What was read.
    pub text: RecognizedText,
}

/// An MRZ read from an image.
#[derive(Clone, Debug)]
pub struct MrzReading {
    /// The MRZ engine's reading, with its repairs.
    pub repaired: Repaired,
    /// The MRZ-like lines it was read from, in reading order.
    pub lines: Vec<OcrLine>,
    /// Clockwise rotation of the page that was undone (0, 90, 180, 270).
    pub rotation: u32,
}

impl MrzReading {
    /// Mean character confidence of the OCR lines.
    pub fn ocr_confidence(&self) -> f32 {
        let (sum, n) = self.lines.iter().fold((0.0f32, 0usize), |(s, n), l| {
            (
                s + l.text.confidences.iter().sum::<f32>(),
                n + l.text.confidences.len(),
            )
        });
        if n == 0 { 0.0 } else { sum / n as f32 }
    }

    /// Mean height of the MRZ lines' boxes, in source pixels.
    pub fn line_height(&self) -> f32 {
        if self.lines.is_empty() {
            return 0.0;
        }
        self.lines.iter().map(|l| l.rect.height).sum::<f32>() / self.lines.len() as f32
    }

    fn verified(&self) -> usize {
        self.repaired.mrz.checks().filter(|c| c.valid()).count()
    }
}

/// What reading an image gave.
#[derive(Clone, Debug)]
pub struct ReadOutcome {
    /// The best MRZ reading, if any MRZ was found.
    pub reading: Option<MrzReading>,
    /// Why none was found (the MRZ engine's error on the last attempt).
    pub error: Option<MrzError>,
    /// Text boxes detected.
    pub boxes: usize,
}

/// PP-OCR detection and recognition, loaded once.
#[derive(Debug)]
pub struct MrzReader {
    det: TextDetector,
    rec: TextRecognizer,
}

impl MrzReader {
    /// Loads `ppocr_det` and `ppocr_rec`.
    pub fn load(
        runtime: &Runtime,
        source: &ModelSource,
        options: DetOptions,
    ) -> Result<Self, ModelError> {
        Ok(Self {
            det: TextDetector::load(runtime, source, options)?,
            rec: TextRecognizer::load(runtime, source)?,
        })
    }

    /// The recogniser, for callers that crop lines themselves.
    pub fn recognizer(&self) -> &TextRecognizer {
        &self.rec
    }

    /// Text boxes in `image` (the detection step alone, for timing and debugging).
    pub fn detect(&self, image: &RgbImage) -> Result<Vec<TextBox>, crate::Error> {
        self.det.detect(image)
    }

    /// Reads the MRZ of `image`; `today` resolves the MRZ's two-digit years.
    pub fn read(&self, image: &RgbImage, today: Date) -> Result<ReadOutcome, crate::Error> {
        let boxes = self.det.detect(image)?;
        let first = self.read_boxes(image, &boxes, today)?;
        let options = self.det.options();
        let longer = image.width().max(image.height());
        let valid = first
            .reading
            .as_ref()
            .is_some_and(|r| r.repaired.mrz.valid());
        if valid || options.retry_max_side <= options.max_side || longer <= options.max_side {
            return Ok(first);
        }
        let boxes = self.det.detect_at(image, options.retry_max_side)?;
        let second = self.read_boxes(image, &boxes, today)?;
        let verified = |o: &ReadOutcome| o.reading.as_ref().map_or(0, |r| r.verified() + 1);
        Ok(if verified(&second) > verified(&first) {
            second
        } else {
            first
        })
    }

    /// Reads the MRZ from already detected boxes.
    pub fn read_boxes(
        &self,
        image: &RgbImage,
        boxes: &[TextBox],
        today: Date,
    ) -> Result<ReadOutcome, crate::Error> {
        let mut best: Option<MrzReading> = None;
        let mut error = None;
        for reading in readings(boxes) {
            match self.read_along(image, boxes, reading, today)? {
                Ok(r) => {
                    let valid = r.repaired.mrz.valid();
                    if best.as_ref().is_none_or(|b| r.verified() > b.verified()) {
                        best = Some(r);
                    }
                    if valid {
                        break;
                    }
                }
                Err(e) => error = Some(e),
            }
        }
        Ok(ReadOutcome {
            error: if best.is_some() { None } else { error },
            reading: best,
            boxes: boxes.len(),
        })
    }

    fn read_along(
        &self,
        image: &RgbImage,
        boxes: &[TextBox],
        reading: Reading,
        today: Date,
    ) -> Result<Result<MrzReading, MrzError>, crate::Error> {
        let lines = candidate_lines(&text_lines(boxes, reading));
        if lines.is_empty() {
            return Ok(Err(MrzError::NotFound));
        }
        // Bottom-up, one line at a time: the MRZ is the last block read upright, so a passport
        // needs two recogniser runs, and each runs at its own width (no padding to the widest).
        let mut ocr: Vec<OcrLine> = Vec::new();
        let mut last = Err(MrzError::NotFound);
        for line in lines.iter().rev() {
            let w = scaled_width(
                line.rect.width.round() as u32,
                line.rect.height.round() as u32,
            );
            let crop = sample_rect(image, &line.rect, w, INPUT_HEIGHT);
            let Some(text) = self.rec.recognize(std::slice::from_ref(&crop))?.pop() else {
                continue;
            };
            if !is_mrz_like(&clean(&text.text)) {
                if ocr.is_empty() {
                    continue;
                }
                break;
            }
            ocr.insert(
                0,
                OcrLine {
                    rect: line.rect,
                    text,
                },
            );
            if ocr.len() >= 2 {
                let cleaned: Vec<String> = ocr.iter().map(|l| clean(&l.text.text)).collect();
                last = mrz::read_ocr(&cleaned, today);
                if last.as_ref().is_ok_and(|r| r.mrz.valid()) || ocr.len() >= 3 {
                    break;
                }
            }
        }
        Ok(last.map(|repaired| MrzReading {
            repaired,
            lines: ocr,
            rotation: reading.rotation_degrees(),
        }))
    }
}
