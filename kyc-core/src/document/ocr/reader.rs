//! The MRZ reader: detection once per image, then for each reading direction (upright first) the
//! long lines are cropped along it, recognised, and handed to the MRZ engine's OCR repair. The
//! first fully valid reading wins; otherwise the one with the most verified check digits.

use image::RgbImage;
use jiff::civil::Date;

use super::det::{DetOptions, TextBox, TextDetector};
use super::geometry::{RotatedRect, sample_rect};
use super::mrz_locate::{
    MAX_BOXES, Reading, TextLine, candidate_lines, clean, is_mrz_like, is_unfilled_mrz_line,
    readings, text_lines,
};
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
    /// The reading direction the MRZ was read along, which the rest of the page shares.
    pub direction: Reading,
}

impl MrzReading {
    /// Mean character confidence of the OCR lines.
    pub fn ocr_confidence(&self) -> f32 {
        mean_confidence(&self.lines)
    }

    /// Mean height of the MRZ lines' boxes, in source pixels.
    pub fn line_height(&self) -> f32 {
        if self.lines.is_empty() {
            return 0.0;
        }
        self.lines.iter().map(|l| l.rect.height).sum::<f32>() / self.lines.len() as f32
    }

    /// Mean width of one character along the MRZ lines' boxes, in source pixels.
    pub fn pitch(&self) -> f32 {
        let chars = self.repaired.mrz.format().width().max(1) as f32;
        if self.lines.is_empty() {
            return 0.0;
        }
        self.lines.iter().map(|l| l.rect.width / chars).sum::<f32>() / self.lines.len() as f32
    }

    fn verified(&self) -> usize {
        self.repaired.mrz.checks().filter(|c| c.valid()).count()
    }

    /// How good a reading is, for choosing between two: a valid MRZ first, then the more check
    /// digits verified.
    pub fn rank(&self) -> (bool, usize) {
        (self.repaired.mrz.valid(), self.verified())
    }
}

/// The text the visual pass read on one image.
#[derive(Clone, Debug, Default)]
pub struct VisualText {
    /// The lines recognised, in reading order.
    pub lines: Vec<OcrLine>,
    /// The boxes of the finer detection size, when the pass detected the page again at it (the
    /// MRZ's pitch was too small at the first size); a later search of that size reuses them.
    pub finer: Option<Vec<TextBox>>,
}

impl From<Vec<OcrLine>> for VisualText {
    fn from(lines: Vec<OcrLine>) -> Self {
        Self { lines, finer: None }
    }
}

/// What reading an image gave.
#[derive(Clone, Debug)]
pub struct ReadOutcome {
    /// The best MRZ reading, if any MRZ was found.
    pub reading: Option<MrzReading>,
    /// Why none was found (the MRZ engine's error on the last attempt).
    pub error: Option<MrzError>,
    /// Text boxes detected (in the detection pass the reading came from).
    pub boxes: Vec<TextBox>,
    /// The longer side of the detector's input those boxes came from.
    pub detected_at: u32,
}

/// The MRZ's character pitch, in the detector's input pixels, below which the visual pass detects
/// the page again at the finer size of [`DetOptions`]. ICAO fixes the pitch (ten characters to the
/// inch), so it measures the page's scale where the boxes' heights do not (the first size's boxes
/// are as tall on photos as on flat scans: 43 to 72 pixels against 60 to 65). At the first size
/// the generated flat scans' pitch is 13.1 pixels and their labels are found; the photos' is 8.4
/// to 10.7, and read at it their issue date's label went unseen (1 of 10 on generator seed 2,
/// against 9 of 10 with the finer boxes). Fitted on seed 2 and the fixtures.
pub const MIN_VISUAL_MRZ_PITCH: f32 = 12.0;

/// Text boxes recognised in the visual zone of an image, at most: the largest, since a page's
/// values are printed larger than its labels, and the recogniser's time grows with each one.
pub const MAX_VISUAL_BOXES: usize = 40;
/// Mean character confidence below which an image without MRZ is read once more along the reverse
/// direction (an upside-down page reads as low-confidence noise).
const UPRIGHT_CONFIDENCE: f32 = 0.75;

/// The narrowest input MRZ-like lines are recognised at again when, at the widths their boxes'
/// proportions gave, they did not validate: 44 characters (the longest MRZ line) at 24 pixels
/// each. The recogniser gives one step per 8 input pixels, and a run of one character (the
/// fillers, a doubled letter) needs a blank step between its members, or CTC merges them. At 607 to
/// 658 pixels for 44 characters (a photo's boxes from the first detection size are tall for their
/// text), the fixture photos' name lines read `P<UTOVAN<DER<MR<AA<MARIA<<<<` and the second lines
/// lost a filler, so every passport photo paid for the finer detection (four times the first's
/// cost). Not the first width: widened, small clean lines lost letters of names that no check
/// digit guards (`ERIKSSON` read `ERIKSSDN`).
pub const MRZ_MIN_INPUT_WIDTH: u32 = 44 * 24;

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
        let first = ReadOutcome {
            detected_at: options.max_side,
            ..first
        };
        let longer = image.width().max(image.height());
        let valid = first
            .reading
            .as_ref()
            .is_some_and(|r| r.repaired.mrz.valid());
        if valid || options.retry_max_side <= options.max_side || longer <= options.max_side {
            return Ok(first);
        }
        let boxes = self.det.detect_at(image, options.retry_max_side)?;
        let second = ReadOutcome {
            detected_at: options.retry_max_side,
            ..self.read_boxes(image, &boxes, today)?
        };
        let rank = |o: &ReadOutcome| o.reading.as_ref().map(MrzReading::rank);
        if first.reading.is_none() && second.reading.is_none() {
            // With no MRZ either way, the finer boxes serve the visual pass: a card front
            // photographed from arm's length has label text too small to detect at the first
            // size. The more telling of the two errors is kept.
            let error = match second.error {
                None | Some(MrzError::NotFound) => first.error.or(second.error),
                telling => telling,
            };
            return Ok(ReadOutcome { error, ..second });
        }
        Ok(if rank(&second) > rank(&first) {
            second
        } else {
            first
        })
    }

    /// The text of `outcome`'s boxes outside the MRZ: at most [`MAX_VISUAL_BOXES`] (the largest),
    /// values first (see `Order::ValuesFirst`), each cropped along the page's reading direction
    /// (the MRZ's when one was read) and recognised on its own, until `enough` says the lines read
    /// so far (in that order) answer what the caller looks for. One box at a time: on CPU,
    /// batches were slower even when grouped by width (`examples/profile_document.rs`, the
    /// fixture passport's 30 boxes on one thread: 553 ms one by one, 608 to 640 ms in runs of
    /// widths within 1.25x, 628 to 814 ms within 1.5x or 2x; padded to the widest, 1.17 s against
    /// 1.52 s in eights on a slower core), and it lets a genuine page stop early. Without an MRZ
    /// the dominant direction is tried first, then its reverse if the first reading looks like
    /// noise. Returned in reading order.
    pub fn read_visual(
        &self,
        image: &RgbImage,
        outcome: &ReadOutcome,
        mut enough: impl FnMut(&[OcrLine]) -> bool,
    ) -> Result<VisualText, crate::Error> {
        if let Some(r) = &outcome.reading {
            let mrz: Vec<RotatedRect> = r.lines.iter().map(|l| l.rect).collect();
            return match self.finer_boxes(image, outcome, r)? {
                // The finer boxes' own axis, turned the MRZ's way: a slightly rotated photo's
                // coarse boxes give a less exact angle, and the crops follow it.
                Some(finer) => {
                    let direction = readings(&finer)
                        .into_iter()
                        .max_by(|a, b| dot(a.u, r.direction.u).total_cmp(&dot(b.u, r.direction.u)))
                        .unwrap_or(r.direction);
                    let lines =
                        self.read_boxes_along(image, &finer, direction, &mrz, &mut enough)?;
                    Ok(VisualText {
                        lines,
                        finer: Some(finer),
                    })
                }
                None => Ok(VisualText {
                    lines: self.read_boxes_along(
                        image,
                        &outcome.boxes,
                        r.direction,
                        &mrz,
                        &mut enough,
                    )?,
                    finer: None,
                }),
            };
        }
        let [upright, reverse] = readings(&outcome.boxes);
        let first = self.read_boxes_along(image, &outcome.boxes, upright, &[], &mut enough)?;
        if mean_confidence(&first) >= UPRIGHT_CONFIDENCE {
            return Ok(VisualText::from(first));
        }
        let second = self.read_boxes_along(image, &outcome.boxes, reverse, &[], &mut enough)?;
        Ok(VisualText::from(
            if mean_confidence(&second) > mean_confidence(&first) {
                second
            } else {
                first
            },
        ))
    }

    /// Boxes from the finer detection size when `outcome`'s came from a size at which the page's
    /// MRZ's pitch is under [`MIN_VISUAL_MRZ_PITCH`] (its small print would go unseen); `None`
    /// when its boxes serve.
    fn finer_boxes(
        &self,
        image: &RgbImage,
        outcome: &ReadOutcome,
        reading: &MrzReading,
    ) -> Result<Option<Vec<TextBox>>, crate::Error> {
        let options = self.det.options();
        let longer = image.width().max(image.height());
        if outcome.detected_at >= options.retry_max_side || longer <= outcome.detected_at {
            return Ok(None);
        }
        let scale = outcome.detected_at as f32 / longer as f32;
        if reading.pitch() * scale >= MIN_VISUAL_MRZ_PITCH {
            return Ok(None);
        }
        self.det.detect_at(image, options.retry_max_side).map(Some)
    }

    /// The first line `wanted` accepts among the boxes a finer detection (at the retry size of
    /// [`DetOptions`]) finds beyond those already read: small print that the first size misses,
    /// such as the signature field's label under a passport's larger fields. Boxes whose centres
    /// lie in `read` (lines already recognised) or in the MRZ are skipped; at most
    /// [`MAX_VISUAL_BOXES`] are recognised, largest first. Only for a page whose MRZ was read
    /// (it gives the reading direction; a page without one was already detected at the finer
    /// size), and `None` when the image is no larger than the first size or nothing matches.
    /// `visual` is what [`Self::read_visual`] gave for the image, if it was read: its finer
    /// boxes, when it detected them, are searched instead of detecting again.
    pub fn find_finer(
        &self,
        image: &RgbImage,
        outcome: &ReadOutcome,
        visual: Option<&VisualText>,
        wanted: impl Fn(&str) -> bool,
    ) -> Result<Option<OcrLine>, crate::Error> {
        let options = self.det.options();
        let Some(r) = &outcome.reading else {
            return Ok(None);
        };
        if image.width().max(image.height()) <= options.max_side
            || options.retry_max_side <= options.max_side
        {
            return Ok(None);
        }
        let detected;
        let boxes = match visual.and_then(|v| v.finer.as_deref()) {
            Some(finer) => finer,
            None => {
                detected = self.det.detect_at(image, options.retry_max_side)?;
                &detected
            }
        };
        let mut skip: Vec<RotatedRect> = r.lines.iter().map(|l| l.rect).collect();
        skip.extend(visual.iter().flat_map(|v| v.lines.iter().map(|l| l.rect)));
        for rect in visual_rects(boxes, r.direction, &skip, Order::Largest) {
            if let Some(line) = self.recognize_line(image, rect)?
                && wanted(&line.text.text)
            {
                return Ok(Some(line));
            }
        }
        Ok(None)
    }

    /// The text of `rect` in `image`, `None` when the recogniser reads nothing.
    fn recognize_line(
        &self,
        image: &RgbImage,
        rect: RotatedRect,
    ) -> Result<Option<OcrLine>, crate::Error> {
        let w = natural_width(&rect);
        let crop = sample_rect(image, &rect, w, INPUT_HEIGHT);
        Ok(self
            .rec
            .recognize(std::slice::from_ref(&crop))?
            .pop()
            .filter(|text| !text.text.trim().is_empty())
            .map(|text| OcrLine { rect, text }))
    }

    fn read_boxes_along(
        &self,
        image: &RgbImage,
        boxes: &[TextBox],
        reading: Reading,
        mrz: &[RotatedRect],
        enough: &mut impl FnMut(&[OcrLine]) -> bool,
    ) -> Result<Vec<OcrLine>, crate::Error> {
        let rects = visual_rects(boxes, reading, mrz, Order::ValuesFirst);
        let mut out = Vec::with_capacity(rects.len());
        for rect in rects {
            let Some(line) = self.recognize_line(image, rect)? else {
                continue;
            };
            out.push(line);
            if enough(&out) {
                break;
            }
        }
        // Reading order: top to bottom, then left to right, along the page.
        let key = |l: &OcrLine| {
            let v = [-reading.u[1], reading.u[0]];
            let c = l.rect.center;
            (
                ((c[0] * v[0] + c[1] * v[1]) / l.rect.height.max(1.0)).round() as i64,
                (c[0] * reading.u[0] + c[1] * reading.u[1]).round() as i64,
            )
        };
        out.sort_by_key(key);
        Ok(out)
    }

    /// Reads the MRZ from already detected boxes (taken to come from the first detection size).
    pub fn read_boxes(
        &self,
        image: &RgbImage,
        boxes: &[TextBox],
        today: Date,
    ) -> Result<ReadOutcome, crate::Error> {
        let mut best: Option<MrzReading> = None;
        let mut error = None;
        for reading in readings(boxes) {
            let lines = candidate_lines(&text_lines(boxes, reading));
            let mut got = self.read_along(image, &lines, reading, today, 0)?;
            // MRZ-like lines that did not validate, some recognised narrower than
            // `MRZ_MIN_INPUT_WIDTH`: once more at that width, before any finer detection. Only
            // then, since widening lines that read well at their own width can cost letters of
            // the names, which no check digit guards.
            let valid =
                |g: &Result<MrzReading, MrzError>| g.as_ref().is_ok_and(|r| r.repaired.mrz.valid());
            if !valid(&got)
                && !matches!(got, Err(MrzError::NotFound))
                && lines
                    .iter()
                    .any(|l| natural_width(&l.rect) < MRZ_MIN_INPUT_WIDTH)
            {
                let wide = self.read_along(image, &lines, reading, today, MRZ_MIN_INPUT_WIDTH)?;
                let rank = |g: &Result<MrzReading, MrzError>| g.as_ref().ok().map(MrzReading::rank);
                if rank(&wide) > rank(&got) {
                    got = wide;
                }
            }
            match got {
                Ok(r) => {
                    let valid = r.repaired.mrz.valid();
                    if best.as_ref().is_none_or(|b| r.rank() > b.rank()) {
                        best = Some(r);
                    }
                    if valid {
                        break;
                    }
                }
                // Another direction finding nothing does not hide what this one found.
                Err(MrzError::NotFound) if error.is_some() => {}
                Err(e) => error = Some(e),
            }
        }
        Ok(ReadOutcome {
            error: if best.is_some() { None } else { error },
            reading: best,
            boxes: boxes.to_vec(),
            detected_at: self.det.options().max_side,
        })
    }

    /// The MRZ read from `lines` (the candidate lines along `reading`), each recognised at least
    /// `min_width` wide.
    fn read_along(
        &self,
        image: &RgbImage,
        lines: &[TextLine],
        reading: Reading,
        today: Date,
        min_width: u32,
    ) -> Result<Result<MrzReading, MrzError>, crate::Error> {
        if lines.is_empty() {
            return Ok(Err(MrzError::NotFound));
        }
        // Bottom-up, one line at a time: the MRZ is the last block read upright, so a passport
        // needs two recogniser runs, and each runs at its own width (no padding to the widest).
        let mut ocr: Vec<OcrLine> = Vec::new();
        let mut last = Err(MrzError::NotFound);
        // Lines of the group that carry a filler: a group needs one (see `is_unfilled_mrz_line`).
        let mut with_filler = 0;
        for line in lines.iter().rev() {
            let w = natural_width(&line.rect).max(min_width);
            let crop = sample_rect(image, &line.rect, w, INPUT_HEIGHT);
            let Some(text) = self.rec.recognize(std::slice::from_ref(&crop))?.pop() else {
                continue;
            };
            let cleaned = clean(&text.text);
            if is_mrz_like(&cleaned) {
                with_filler += 1;
            } else if !is_unfilled_mrz_line(&cleaned) {
                if with_filler > 0 {
                    break;
                }
                // Capitals without a filler below the MRZ were not part of it.
                ocr.clear();
                continue;
            }
            ocr.insert(
                0,
                OcrLine {
                    rect: line.rect,
                    text,
                },
            );
            if ocr.len() >= 2 && with_filler > 0 {
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
            direction: reading,
        }))
    }
}

/// In what order the visual pass recognises its boxes.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Order {
    /// Largest area first: what a search for small print (a label) starts from.
    Largest,
    /// Values first: the tallest boxes of ordinary height, then the rest. A page prints its
    /// values larger than its labels (the fixture passports: values 40 to 47 pixels high, labels 33
    /// to 38), and a label's box is the wider, so the slower to recognise: a genuine page's fields
    /// are settled after fewer, narrower boxes. Boxes much taller than the page's typical line
    /// (watermarks, titles, the portrait's edges) come last.
    ValuesFirst,
}

/// A box taller than this many times the median box height is not a line of ordinary print.
const OUTSIZED_HEIGHT: f32 = 1.8;

/// The boxes the visual pass reads, along `reading`: at most [`MAX_VISUAL_BOXES`] of the first
/// [`MAX_BOXES`], the largest, leaving out slivers and those whose centres lie in `skip` (the MRZ,
/// lines already read), in `order`.
fn visual_rects(
    boxes: &[TextBox],
    reading: Reading,
    skip: &[RotatedRect],
    order: Order,
) -> Vec<RotatedRect> {
    let mut rects: Vec<RotatedRect> = boxes
        .iter()
        .take(MAX_BOXES)
        .map(|b| along(&b.rect, reading))
        .filter(|r| r.height >= 6.0 && r.width >= 0.5 * r.height)
        .filter(|r| !skip.iter().any(|m| m.contains(r.center)))
        .collect();
    rects.sort_by(|a, b| (b.width * b.height).total_cmp(&(a.width * a.height)));
    rects.truncate(MAX_VISUAL_BOXES);
    if order == Order::ValuesFirst {
        let mut heights: Vec<f32> = rects.iter().map(|r| r.height).collect();
        heights.sort_by(f32::total_cmp);
        let median = heights.get(heights.len() / 2).copied().unwrap_or(0.0);
        let outsized = |r: &RotatedRect| r.height > OUTSIZED_HEIGHT * median;
        // Stable: among equal heights the larger area (the order above) stays first.
        rects.sort_by(|a, b| {
            outsized(a)
                .cmp(&outsized(b))
                .then(b.height.round().total_cmp(&a.height.round()))
        });
    }
    rects
}

fn dot(a: [f32; 2], b: [f32; 2]) -> f32 {
    a[0] * b[0] + a[1] * b[1]
}

/// The recogniser's input width for `rect` by its own proportions.
fn natural_width(rect: &RotatedRect) -> u32 {
    scaled_width(rect.width.round() as u32, rect.height.round() as u32)
}

/// Mean character confidence over `lines` (0 when nothing was read).
fn mean_confidence(lines: &[OcrLine]) -> f32 {
    let (sum, n) = lines.iter().fold((0.0f32, 0usize), |(s, n), l| {
        (
            s + l.text.confidences.iter().sum::<f32>(),
            n + l.text.confidences.len(),
        )
    });
    if n == 0 { 0.0 } else { sum / n as f32 }
}

/// `rect` re-expressed along `reading`: the smallest rectangle with sides along and across the
/// reading direction that holds it, so that its crop reads upright.
fn along(rect: &RotatedRect, reading: Reading) -> RotatedRect {
    let u = reading.u;
    let v = [-u[1], u[0]];
    let (mut s0, mut s1, mut t0, mut t1) = (f32::MAX, f32::MIN, f32::MAX, f32::MIN);
    for [x, y] in rect.corners() {
        let (s, t) = (x * u[0] + y * u[1], x * v[0] + y * v[1]);
        s0 = s0.min(s);
        s1 = s1.max(s);
        t0 = t0.min(t);
        t1 = t1.max(t);
    }
    let (sc, tc) = ((s0 + s1) / 2.0, (t0 + t1) / 2.0);
    RotatedRect {
        center: [sc * u[0] + tc * v[0], sc * u[1] + tc * v[1]],
        u,
        width: s1 - s0,
        height: t1 - t0,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn boxed(x: f32, width: f32, height: f32) -> TextBox {
        TextBox {
            rect: RotatedRect {
                center: [x, 100.0],
                u: [1.0, 0.0],
                width,
                height,
            },
            score: 0.9,
        }
    }

    #[test]
    fn values_come_before_wider_labels_and_outsized_boxes_last() {
        // A watermark, a wide bilingual label, two values and another label, as the fixture
        // passport's boxes measure (source pixels).
        let boxes = [
            boxed(100.0, 480.0, 240.0),
            boxed(700.0, 212.0, 38.0),
            boxed(1000.0, 162.0, 45.0),
            boxed(1300.0, 174.0, 41.0),
            boxed(1600.0, 107.0, 35.0),
        ];
        let reading = Reading { u: [1.0, 0.0] };
        let widths = |order| -> Vec<f32> {
            visual_rects(&boxes, reading, &[], order)
                .iter()
                .map(|r| r.width.round())
                .collect()
        };
        assert_eq!(
            widths(Order::ValuesFirst),
            [162.0, 174.0, 212.0, 107.0, 480.0]
        );
        assert_eq!(widths(Order::Largest), [480.0, 212.0, 162.0, 174.0, 107.0]);
        // Boxes inside the MRZ are left out.
        let mrz = boxes[2].rect;
        assert!(!visual_rects(&boxes, reading, &[mrz], Order::ValuesFirst).contains(&mrz));
    }
}
