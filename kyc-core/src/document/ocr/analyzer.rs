//! The engine's document analyser over the MRZ reader: each image decoded with limits, its MRZ read,
//! the best reading turned into document data and evidence; each image's quality
//! ([`crate::quality`]) and anti-fraud signals ([`crate::forensics`]) measured, the worst image
//! deciding each check. Checks it cannot make yet (mandatory elements) answer `unavailable`, never
//! a pass.

use image::RgbImage;

use super::geometry::RotatedRect;
use super::quality::{self, MrzQuality};
use crate::check::catalogue::mrz as mrz_rows;
use crate::check::{CheckOutcome, CheckResult};
use crate::document::mrz::{CheckedField, Mrz, MrzError, Sex};
use crate::document::visual::{self, VisualLine, cross_check};
use crate::document::{DocumentData, DocumentField, FieldSource, field};
use crate::forensics::{self, ForensicReport};
use crate::quality::{self as page_quality, QualityReport};
use crate::scenario::DocumentType;

pub use crate::check::catalogue::mrz::{MIN_LINE_HEIGHT, MIN_MRZ_MARGIN};

/// The document type an MRZ names: `P` passport, `I`/`A`/`C` identity card, `V` visa, and the
/// Russian internal passport (`PN`, `RUS`).
pub fn document_type(mrz: &Mrz) -> Option<DocumentType> {
    if mrz.is_russian_internal() {
        return Some(DocumentType::RussianInternalPassport);
    }
    match mrz.document_code().as_bytes().first()? {
        b'P' => Some(DocumentType::Passport),
        b'I' | b'A' | b'C' => Some(DocumentType::IdCard),
        b'V' => Some(DocumentType::Visa),
        _ => None,
    }
}

/// Document data from an MRZ: fields protected by a verified check digit get confidence 1, the
/// others the OCR's mean character confidence (lowered when the MRZ as a whole does not validate).
pub fn document_data(mrz: &Mrz, ocr_confidence: f64) -> DocumentData {
    let valid = mrz.valid();
    let base = if valid {
        ocr_confidence
    } else {
        ocr_confidence * 0.5
    }
    .clamp(0.0, 1.0);
    let by_check = |f: CheckedField| match mrz.check(f) {
        Some(c) if c.valid() => 1.0,
        Some(_) => 0.0,
        None => base,
    };
    let f = mrz.fields();
    let mut fields = Vec::with_capacity(8);
    let mut push = |name: &str, value: String, confidence: f64| {
        if !value.is_empty() {
            fields.push(DocumentField {
                name: name.to_owned(),
                value,
                confidence,
                source: FieldSource::Mrz,
            });
        }
    };
    push(field::SURNAME, f.surname, base);
    push(field::GIVEN_NAMES, f.given_names, base);
    push(
        field::DOCUMENT_NUMBER,
        f.document_number,
        by_check(CheckedField::DocumentNumber),
    );
    if let Some(d) = f.birth_date {
        push(
            field::BIRTH_DATE,
            d.to_string(),
            by_check(CheckedField::BirthDate),
        );
    }
    if let Some(d) = f.expiry_date {
        push(
            field::EXPIRY_DATE,
            d.to_string(),
            by_check(CheckedField::ExpiryDate),
        );
    }
    let sex = match f.sex {
        Sex::Male => "M",
        Sex::Female => "F",
        Sex::Unspecified => "X",
        Sex::Invalid => "",
    };
    push(field::SEX, sex.to_owned(), base);
    push(field::NATIONALITY, f.nationality, base);
    if let Some(rp) = mrz.russian_passport(None) {
        let optional = by_check(CheckedField::OptionalData);
        russian_fields(&mut fields, &rp, base, optional);
    }
    let document_type = document_type(mrz);
    DocumentData {
        document_type,
        type_confidence: if document_type.is_some() { base } else { 0.0 },
        issuing_state: Some(f.issuing_state).filter(|s| !s.is_empty()),
        fields,
        visual_comparison: Vec::new(),
        portrait: None,
    }
}

/// The Russian internal passport's own reading of its MRZ: the full ten-digit series and number
/// (the MRZ's number field holds only the first three series digits; the fourth sits in the
/// optional data, under its own check digit), the names deciphered to Cyrillic (given name and
/// patronymic together), and the issue date and division code from the optional data.
fn russian_fields(
    fields: &mut Vec<DocumentField>,
    rp: &crate::document::mrz::RussianPassport,
    base: f64,
    optional_check: f64,
) {
    let number_check = fields
        .iter()
        .find(|f| f.name == field::DOCUMENT_NUMBER)
        .map_or(0.0, |f| f.confidence);
    let mut set = |name: &str, value: String, confidence: f64| {
        fields.retain(|f| f.name != name);
        if !value.is_empty() {
            fields.push(DocumentField {
                name: name.to_owned(),
                value,
                confidence,
                source: FieldSource::Mrz,
            });
        }
    };
    if rp.series.len() == 4 && rp.number.len() == 6 {
        set(
            field::DOCUMENT_NUMBER,
            format!("{} {}", rp.series, rp.number),
            number_check.min(optional_check),
        );
    }
    // In Cyrillic as the page prints them, and in ICAO 9303's Latin as the holder's international
    // passport spells them.
    let latin = |text: &str| {
        crate::aml::translit::to_latin(text, crate::aml::translit::Scheme::Icao).to_uppercase()
    };
    if let Some(surname) = &rp.surname {
        set(field::SURNAME, surname.clone(), base);
        set(field::SURNAME_LATIN, latin(surname), base);
    }
    let given: Vec<&str> = [rp.given_name.as_deref(), rp.patronymic.as_deref()]
        .into_iter()
        .flatten()
        .collect();
    if !given.is_empty() {
        let given = given.join(" ");
        set(field::GIVEN_NAMES_LATIN, latin(&given), base);
        set(field::GIVEN_NAMES, given, base);
    }
    if let Some(issued) = rp.issue_date {
        set(field::ISSUE_DATE, issued.to_string(), optional_check);
    }
    if rp.division_code_problem.is_none() {
        set(
            field::DIVISION_CODE,
            rp.division_code.clone(),
            optional_check,
        );
    }
    for f in fields.iter_mut() {
        if f.name == field::SURNAME_LATIN || f.name == field::GIVEN_NAMES_LATIN {
            f.source = FieldSource::Derived;
        }
    }
}

/// `document.mrz`: the share of check digits that verify, held to 1; the first refuted check (or
/// structure issue) names the reason.
pub fn mrz_check(mrz: Option<&Mrz>, error: Option<&MrzError>) -> CheckResult {
    let row = &mrz_rows::MRZ;
    let Some(mrz) = mrz else {
        let code = error.map_or("mrz.not_found", MrzError::code);
        return row.scored_failing_as(
            0.0,
            mrz_rows::MRZ_NOT_FOUND,
            format!("no MRZ could be read ({code})"),
        );
    };
    let total = mrz.checks().count().max(1);
    let verified = mrz.checks().filter(|c| c.valid()).count();
    let issue = mrz.structure_issues().next();
    // A structure defect fails the check even when every digit verifies.
    let score = if issue.is_some() {
        verified as f64 / total as f64 * 0.99
    } else {
        verified as f64 / total as f64
    };
    let fail_reason = mrz
        .checks()
        .find(|c| !c.valid())
        .map(|c| c.reason())
        .or(issue.map(|i| i.reason()))
        .unwrap_or(mrz_rows::MRZ_INVALID);
    row.scored_failing_as(
        score,
        fail_reason,
        format!(
            "{} MRZ: {verified} of {total} check digits verified{}",
            mrz.format().as_str(),
            issue.map_or(String::new(), |i| format!(
                ", structure issue {}",
                i.reason()
            ))
        ),
    )
}

/// The MRZ's resolution as `document.glare_blur.mrz_resolution`, when an MRZ was read (blur, glare
/// and exposure are measured over the whole document by [`crate::quality`]).
pub fn quality_checks(q: Option<&MrzQuality>) -> Vec<CheckResult> {
    let Some(q) = q else {
        return Vec::new();
    };
    vec![mrz_rows::MRZ_RESOLUTION.scored(q.line_height, "MRZ line height in pixels")]
}

/// The smallest distance, in pixels, from a corner of the MRZ lines' boxes to the edge of a
/// `width` x `height` frame (negative when a box runs out of it).
pub fn mrz_margin(width: u32, height: u32, rects: &[RotatedRect]) -> Option<f64> {
    let (w, h) = (f64::from(width), f64::from(height));
    rects
        .iter()
        .flat_map(|r| r.corners())
        .map(|[x, y]| {
            let (x, y) = (f64::from(x), f64::from(y));
            x.min(y).min(w - x).min(h - y)
        })
        .reduce(f64::min)
}

/// `document.fully_visible.mrz`: the MRZ's boxes keep [`MIN_MRZ_MARGIN`] from the frame's edges.
pub fn mrz_margin_check(margin: f64) -> CheckResult {
    mrz_rows::MRZ_MARGIN.scored(
        margin,
        "distance in pixels from the MRZ to the frame's edge",
    )
}

/// The quality and anti-fraud evidence of one image for the `enabled` checks.
pub fn image_checks(
    enabled: &[&str],
    quality: &QualityReport,
    forensic: &ForensicReport,
) -> Vec<CheckResult> {
    let top = |id: &str| -> String { id.splitn(3, '.').take(2).collect::<Vec<_>>().join(".") };
    page_quality::checks(quality)
        .into_iter()
        .chain(forensics::checks(forensic))
        .filter(|c| enabled.contains(&top(&c.check).as_str()))
        .collect()
}

/// One item per check id over several images: the first failed one, else the first unavailable
/// one, else the first — so that one bad image of a capture decides.
pub fn worst_per_check(items: Vec<CheckResult>) -> Vec<CheckResult> {
    let rank = |c: &CheckResult| match c.outcome {
        CheckOutcome::Failed => 2,
        CheckOutcome::Unavailable => 1,
        CheckOutcome::Passed => 0,
    };
    let mut out: Vec<CheckResult> = Vec::with_capacity(items.len());
    for item in items {
        match out.iter_mut().find(|c| c.check == item.check) {
            Some(held) if rank(&item) > rank(held) => *held = item,
            Some(_) => {}
            None => out.push(item),
        }
    }
    out
}

/// The quality of the MRZ lines of a reading in `image`.
pub fn measure_lines(
    image: &RgbImage,
    rects: &[super::geometry::RotatedRect],
) -> Option<MrzQuality> {
    quality::measure(image, rects)
}

/// The visual zone's evidence and data: the cross-check against the MRZ's `document` (pushed to
/// `checks`), the fields it confirmed and each comparison added to the document, and the type its
/// printed title names. Without an MRZ the title alone may make a document (type only).
pub fn apply_visual(
    document: Option<DocumentData>,
    lines: &[VisualLine],
    checks: &mut Vec<CheckResult>,
) -> Option<DocumentData> {
    let located = document
        .as_ref()
        .map(|d| cross_check::compare_located(d, lines))
        .unwrap_or_default();
    let printed = visual::printed::printed(lines, &located);
    let comparisons: Vec<_> = located.into_iter().map(|(c, _)| c).collect();
    let labelled = visual::labelled_fields(lines);
    checks.push(cross_check::check(
        document.is_some(),
        lines.len(),
        &comparisons,
        &printed,
    ));
    let title = visual::document_type(lines);
    let Some(mut d) = document else {
        if title.is_none() && labelled.is_empty() {
            return None;
        }
        let (kind, confidence) = title.map_or((None, 0.0), |(k, c)| (Some(k), c));
        return Some(DocumentData {
            document_type: kind,
            type_confidence: confidence,
            fields: labelled,
            ..DocumentData::default()
        });
    };
    let confirmed = visual::visual_fields(&d, &comparisons);
    d.fields.extend(confirmed);
    // Fields the MRZ does not carry (a passport's issue date) are taken from their labels.
    let missing: Vec<_> = labelled
        .into_iter()
        .filter(|l| d.field(&l.name).is_none())
        .collect();
    d.fields.extend(missing);
    d.visual_comparison = comparisons;
    if let Some((kind, confidence)) = title {
        match d.document_type {
            // Two independent readings agree: either one alone would have to be wrong.
            Some(t) if t == kind => {
                d.type_confidence = 1.0 - (1.0 - d.type_confidence) * (1.0 - confidence);
            }
            // A TD1 or TD2 MRZ says "identity card" for residence permits too: the title is the
            // more specific reading.
            Some(DocumentType::IdCard) if kind == DocumentType::ResidencePermit => {
                d.document_type = Some(kind);
                d.type_confidence = confidence;
            }
            // A disagreement leaves the MRZ's type, held with less confidence.
            Some(_) => d.type_confidence *= 1.0 - confidence / 2.0,
            None => {
                d.document_type = Some(kind);
                d.type_confidence = confidence;
            }
        }
    }
    Some(d)
}

/// Whether the visual lines read so far settle what the visual pass is for: every compared field
/// of the MRZ's `document` found; without an MRZ never, since its dates are then found by their
/// labels anywhere on the page. A genuine page with an MRZ stops early; one whose fields differ
/// from the MRZ is read to the end, so its mismatch is measured on everything the pass reads.
pub fn visual_enough(document: Option<&DocumentData>, lines: &[VisualLine]) -> bool {
    match document {
        Some(d) => {
            let c = visual::compare(d, lines);
            let issue_date =
                |fields: &[DocumentField]| fields.iter().any(|f| f.name == field::ISSUE_DATE);
            // The MRZ has no issue date: the page is read on until its label gives one.
            !c.is_empty()
                && c.iter().all(|c| c.matched)
                && (issue_date(&d.fields) || issue_date(&visual::labelled_fields(lines)))
        }
        // Without an MRZ the fields can only come from their labels: the page is read to the end.
        None => false,
    }
}

#[cfg(feature = "onnx")]
pub use onnx::{OcrDocumentAnalyzer, visual_line};

#[cfg(feature = "onnx")]
mod onnx {
    use std::sync::Arc;

    use super::*;
    use crate::analysis::{
        AnalysisContext, CaptureImage, DocumentAnalysis, DocumentAnalyzer, ImageData,
    };
    use crate::check::catalogue::document as doc_rows;
    use crate::document::ocr::reader::{MrzReader, MrzReading, OcrLine, VisualText};
    use crate::document::ocr::signature;
    use crate::document::stamp;
    use crate::error::Error;
    use crate::image::ImageLimits;
    use crate::scenario::DocumentStep;

    /// A recognised line as the visual zone's, placed along its reading direction (the line's
    /// rectangle runs along it).
    pub fn visual_line(l: &OcrLine) -> VisualLine {
        let [ux, uy] = l.rect.u;
        let [cx, cy] = l.rect.center;
        VisualLine {
            text: l.text.text.clone(),
            confidence: f64::from(l.text.mean_confidence()),
            place: Some(crate::document::visual::LinePlace {
                along: f64::from(cx * ux + cy * uy),
                down: f64::from(cy * ux - cx * uy),
                width: f64::from(l.rect.width),
                height: f64::from(l.rect.height),
            }),
        }
    }

    /// Reads documents through [`MrzReader`].
    #[derive(Debug, Clone)]
    pub struct OcrDocumentAnalyzer {
        reader: Arc<MrzReader>,
        limits: ImageLimits,
    }

    impl OcrDocumentAnalyzer {
        /// An analyser over a loaded reader, with these image limits.
        pub fn new(reader: Arc<MrzReader>, limits: ImageLimits) -> Self {
            Self { reader, limits }
        }
    }

    impl DocumentAnalyzer for OcrDocumentAnalyzer {
        fn analyze(
            &self,
            step: &DocumentStep,
            images: &[CaptureImage],
            ctx: &AnalysisContext<'_>,
        ) -> Result<DocumentAnalysis, Error> {
            // Every image is read (front and back: the MRZ may be on either); the best reading
            // wins: valid first, then the most verified check digits.
            let enabled = step.checks.enabled();
            let mut best: Option<(MrzReading, Option<MrzQuality>)> = None;
            let mut error = None;
            let mut page_checks = Vec::new();
            let visual_on = enabled.contains(&doc_rows::VISUAL_MRZ_MATCH.id);
            let signature_on = enabled.contains(&doc_rows::MANDATORY_ELEMENTS.id);
            let stamp_on = enabled.contains(&doc_rows::STAMP.id);
            // The stamp may be on any of the images: the most stamp-like ring of them all.
            let mut best_stamp: Option<stamp::Stamp> = None;
            // Images kept for the visual pass, which needs the capture's best MRZ first.
            let mut pending = Vec::new();
            // The document number of every image whose MRZ verifies: a front and a back of two
            // different cards show two numbers.
            let mut numbers: Vec<String> = Vec::new();
            for img in images {
                ctx.deadline.check("document.read")?;
                let rgb = img.pixels(&self.limits)?;
                let outcome = self.reader.read(&rgb, ctx.today)?;
                let report = page_quality::assess(&rgb);
                if stamp_on
                    && let Some(found) = stamp::find(&rgb)?
                    && best_stamp.is_none_or(|b| found.score > b.score)
                {
                    best_stamp = Some(found);
                }
                // The file's own bytes carry its metadata; a raw camera frame has none.
                let original = match &img.data {
                    ImageData::Encoded(bytes) => Some(bytes.as_slice()),
                    ImageData::Raw { .. } => None,
                };
                let forensic =
                    forensics::assess(&rgb, report.outline.as_ref().map(|o| o.bbox), original);
                page_checks.extend(image_checks(&enabled, &report, &forensic));
                if enabled.contains(&doc_rows::FULLY_VISIBLE.id)
                    && let Some(r) = outcome.reading.as_ref()
                {
                    let rects: Vec<_> = r.lines.iter().map(|l| l.rect).collect();
                    page_checks.extend(
                        mrz_margin(rgb.width(), rgb.height(), &rects).map(mrz_margin_check),
                    );
                }
                let kept = (visual_on || signature_on).then(|| outcome.clone());
                match outcome.reading {
                    Some(r) => {
                        let number = &r.repaired.mrz.fields().document_number;
                        if r.repaired.mrz.valid() && !numbers.contains(number) {
                            numbers.push(number.clone());
                        }
                        if best.as_ref().is_none_or(|(b, _)| r.rank() > b.rank()) {
                            let rects: Vec<_> = r.lines.iter().map(|l| l.rect).collect();
                            let q = measure_lines(&rgb, &rects);
                            best = Some((r, q));
                        }
                    }
                    None => error = outcome.error.or(error),
                }
                if let Some(outcome) = kept {
                    pending.push((rgb, outcome));
                }
            }
            let mut checks = Vec::new();
            let mrz = best.as_ref().map(|(r, _)| &r.repaired.mrz);
            if enabled.contains(&mrz_rows::MRZ.id) {
                checks.push(mrz_check(mrz, error.as_ref()));
            }
            if enabled.contains(&doc_rows::GLARE_BLUR.id) {
                checks.extend(quality_checks(best.as_ref().and_then(|(_, q)| q.as_ref())));
            }
            checks.extend(worst_per_check(page_checks));
            let mut document = best
                .as_ref()
                .map(|(r, _)| document_data(&r.repaired.mrz, f64::from(r.ocr_confidence())));
            if visual_on || signature_on {
                // Every image's text (an ID card prints its names on the front and its MRZ on
                // the back), each read until the lines so far settle what is asked: the
                // comparison, and the signature's label.
                let mut lines: Vec<VisualLine> = Vec::new();
                let mut ink: Option<Option<f64>> = None;
                // Per image read, what the visual pass read: a finer search for the signature's
                // label skips its lines and reuses its finer boxes.
                let mut visuals: Vec<VisualText> = Vec::new();
                let settled = |all: &[VisualLine], labelled: bool| {
                    (!visual_on || visual_enough(document.as_ref(), all))
                        && (!signature_on || labelled)
                };
                for (rgb, outcome) in &pending {
                    if settled(&lines, ink.is_some()) {
                        break;
                    }
                    ctx.deadline.check("document.visual")?;
                    let read = self.reader.read_visual(rgb, outcome, |so_far| {
                        let mut all = lines.clone();
                        all.extend(so_far.iter().map(visual_line));
                        let labelled = ink.is_some()
                            || so_far
                                .iter()
                                .any(|l| signature::is_signature_label(&l.text.text));
                        settled(&all, labelled)
                    })?;
                    if signature_on && ink.is_none() {
                        ink = read
                            .lines
                            .iter()
                            .find(|l| signature::is_signature_label(&l.text.text))
                            .map(|l| signature::ink_under(rgb, &l.rect));
                    }
                    lines.extend(read.lines.iter().map(visual_line));
                    visuals.push(read);
                }
                // The label is small print: when the page's first detection size missed it, a
                // finer one looks again (passports' clean scans: 9 of 10 went unread before).
                if signature_on && ink.is_none() {
                    for (i, (rgb, outcome)) in pending.iter().enumerate() {
                        if let Some(label) = self.reader.find_finer(
                            rgb,
                            outcome,
                            visuals.get(i),
                            signature::is_signature_label,
                        )? {
                            ink = Some(signature::ink_under(rgb, &label.rect));
                            break;
                        }
                    }
                }
                if visual_on {
                    document = apply_visual(document, &lines, &mut checks);
                }
                if signature_on {
                    checks.push(signature::check(ink));
                }
            }
            if stamp_on {
                checks.push(stamp::check(best_stamp.as_ref()));
            }
            if document.as_ref().is_none_or(|d| d.fields.is_empty())
                && enabled.contains(&doc_rows::FIELD_LOGIC.id)
            {
                checks.push(doc_rows::FIELD_LOGIC.not_made("no fields were read"));
            }
            Ok(DocumentAnalysis {
                document,
                checks,
                // Only verified MRZs count: an unread side says nothing either way.
                documents_in_frame: (!numbers.is_empty())
                    .then(|| u32::try_from(numbers.len()).unwrap_or(u32::MAX)),
            })
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::check::CheckOutcome;
    use crate::document::mrz;

    #[test]
    fn a_valid_passport_mrz_gives_verified_fields_and_a_pass() {
        let today = jiff::civil::date(2026, 6, 1);
        let m = mrz::parse(
            &[
                "P<UTOERIKSSON<<ANNA<MARIA<<<<<<<<<<<<<<<<<<<",
                "L898902C36UTO7408122F1204159ZE184226B<<<<<10",
            ],
            today,
        )
        .unwrap();
        let d = document_data(&m, 0.95);
        assert_eq!(d.document_type, Some(DocumentType::Passport));
        assert_eq!(d.issuing_state.as_deref(), Some("UTO"));
        let num = d.field(field::DOCUMENT_NUMBER).unwrap();
        assert_eq!((num.value.as_str(), num.confidence), ("L898902C3", 1.0));
        assert_eq!(d.field(field::BIRTH_DATE).unwrap().value, "1974-08-12");
        assert_eq!(d.field(field::SURNAME).unwrap().confidence, 0.95);
        let c = mrz_check(Some(&m), None);
        assert_eq!(c.outcome, CheckOutcome::Passed);
        assert_eq!(c.score, Some(1.0));
    }

    #[test]
    fn the_worst_image_decides_each_check_and_mrz_margins_measure_to_the_frame() {
        let pass = CheckResult::rule("document.screen_photo", true, "ok", "");
        let fail = CheckResult::rule("document.screen_photo", false, "bad", "");
        let other = CheckResult::unavailable("document.editing.metadata", "no_file", "");
        let merged = worst_per_check(vec![pass.clone(), other.clone(), fail.clone(), pass]);
        assert_eq!(merged, vec![fail, other]);
        let rect = RotatedRect {
            center: [100.0, 50.0],
            u: [1.0, 0.0],
            width: 100.0,
            height: 20.0,
        };
        assert_eq!(mrz_margin(200, 100, &[rect]), Some(40.0));
        assert_eq!(mrz_margin(140, 100, &[rect]), Some(-10.0));
        assert_eq!(
            mrz_margin_check(-10.0).reason_code,
            "document.fully_visible.mrz_cut"
        );
        assert_eq!(mrz_margin(200, 100, &[]), None);
    }

    #[test]
    fn a_refuted_digit_fails_with_its_reason_and_no_mrz_fails_as_not_found() {
        let today = jiff::civil::date(2026, 6, 1);
        let m = mrz::parse(
            &[
                "P<UTOERIKSSON<<ANNA<MARIA<<<<<<<<<<<<<<<<<<<",
                "L898902C36UTO7408123F1204159ZE184226B<<<<<10",
            ],
            today,
        )
        .unwrap();
        let c = mrz_check(Some(&m), None);
        assert_eq!(c.outcome, CheckOutcome::Failed);
        assert_eq!(c.reason_code, "document.mrz.check_digit.birth_date");
        assert_eq!(
            document_data(&m, 0.9)
                .field(field::BIRTH_DATE)
                .unwrap()
                .confidence,
            0.0
        );
        let none = mrz_check(None, Some(&MrzError::NotFound));
        assert_eq!(none.reason_code, "document.mrz.not_found");
        assert_eq!(none.score, Some(0.0));
    }
}
