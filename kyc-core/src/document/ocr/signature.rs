//! Whether the holder signed: the page's signature label found among the recognised lines, and pen
//! ink in the field under it (`document.mandatory_elements.signature`). Ink is what is much darker
//! than the field's own paper, so the background print and the light `SPECIMEN` overlays of
//! specimens do not count; a field left empty holds almost none.

use image::RgbImage;

use super::geometry::RotatedRect;
use crate::check::CheckResult;
use crate::check::catalogue::document as catalogue;
pub use crate::check::catalogue::document::MIN_INK;
use crate::document::visual::text::{FoldedLine, allowed_edits};

/// The check's id.
pub const CHECK_ID: &str = catalogue::SIGNATURE.id;

/// How much darker than the field's paper (its 75th brightness percentile, 0-255) ink is.
const INK_CONTRAST: f32 = 80.0;

/// The letters' share of a detected line's height.
const TEXT_SHARE: f32 = 0.5;

/// The field under a label, in letter heights: from the label's box to this far down.
const FIELD_DEPTH: f32 = 5.0;

/// The field's length at least, in letter heights (a short label like `Signature` heads a longer
/// field).
const MIN_FIELD_LENGTH: f32 = 14.0;

/// Samples taken at most; the grid is coarsened beyond.
const MAX_SAMPLES: f32 = 200_000.0;

/// Labels longer than this are sentences that mention a signature, not its field's label.
const MAX_LABEL_CHARS: usize = 40;

/// The word for signature in the languages of the issuers seen most, folded to `A`-`Z`.
const LABEL_WORDS: [&str; 12] = [
    "SIGNATURE",
    "FIRMA",
    "UNTERSCHRIFT",
    "PODPIS",
    "POTPIS",
    "PARASAS",
    "ALAIRAS",
    "UNDERSKRIFT",
    "NAMNTECKNING",
    "ALLEKIRJOITUS",
    "HANDTEKENING",
    "SEMNATURA",
];

/// Whether a recognised line is the label of the holder's signature field.
pub fn is_signature_label(text: &str) -> bool {
    if text.chars().count() > MAX_LABEL_CHARS {
        return false;
    }
    let line = FoldedLine::new(text);
    // Short words must be whole: `Plc f irt a` (a misread `Place of birth`) is no `FIRMA`.
    let slips = |w: &str| {
        if w.len() <= 6 {
            0
        } else {
            allowed_edits(w.len())
        }
    };
    LABEL_WORDS.iter().any(|w| line.find(w, slips(w)).is_some())
}

/// The share of ink in the field under `label` (a rectangle along the page's reading direction),
/// or `None` when less than half of that field lies inside the image.
pub fn ink_under(image: &RgbImage, label: &RotatedRect) -> Option<f64> {
    // Detection boxes are drawn about twice as high as the letters they hold.
    let h = (label.height * TEXT_SHARE).max(1.0);
    let (u, v) = (label.u, label.v());
    let along = (
        -label.width / 2.0 - h,
        -label.width / 2.0 + label.width.max(MIN_FIELD_LENGTH * h),
    );
    let across = (label.height / 2.0, label.height / 2.0 + FIELD_DEPTH * h);
    let area = (along.1 - along.0) * (across.1 - across.0);
    let step = (area / MAX_SAMPLES).sqrt().max(1.0);
    let (mut greys, mut total) = (Vec::new(), 0usize);
    let mut t = across.0;
    while t < across.1 {
        let mut s = along.0;
        while s < along.1 {
            total += 1;
            let x = label.center[0] + s * u[0] + t * v[0];
            let y = label.center[1] + s * u[1] + t * v[1];
            if x >= 0.0
                && y >= 0.0
                && let Some(p) = image.get_pixel_checked(x as u32, y as u32)
            {
                let [r, g, b] = p.0;
                greys.push(0.299 * f32::from(r) + 0.587 * f32::from(g) + 0.114 * f32::from(b));
            }
            s += step;
        }
        t += step;
    }
    if greys.is_empty() || greys.len() * 2 < total {
        return None;
    }
    greys.sort_by(f32::total_cmp);
    let paper = greys.get(greys.len() * 3 / 4).copied().unwrap_or(255.0);
    let ink = greys.partition_point(|&g| g < paper - INK_CONTRAST);
    Some(ink as f64 / greys.len() as f64)
}

/// The evidence: `ink` as measured under the signature label, `None` when no label was read or
/// its field lies outside the image.
pub fn check(ink: Option<Option<f64>>) -> CheckResult {
    let row = &catalogue::SIGNATURE;
    match ink {
        None => row.unavailable(
            catalogue::NO_SIGNATURE_LABEL,
            "no signature label was read on the document",
        ),
        Some(None) => row.unavailable(
            catalogue::SIGNATURE_OUT_OF_FRAME,
            "the signature field lies outside the image",
        ),
        Some(Some(ink)) => row.scored(
            ink,
            format!("pen ink covers {:.2}% of the signature field", ink * 100.0),
        ),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::check::CheckOutcome;
    use image::Rgb;

    fn label_at(x: f32, y: f32) -> RotatedRect {
        RotatedRect {
            center: [x, y],
            u: [1.0, 0.0],
            width: 100.0,
            height: 20.0,
        }
    }

    #[test]
    fn signature_labels_in_several_languages_and_not_look_alikes() {
        assert!(is_signature_label("Holder's signature / Signature"));
        assert!(is_signature_label("Hodr's signatr Signature"));
        assert!(is_signature_label("Firma del titular"));
        assert!(is_signature_label("Unterschrift des Inhabers"));
        assert!(!is_signature_label("Plc f irt a issac"));
        assert!(!is_signature_label("Date of expiry"));
        assert!(!is_signature_label(
            "This passport is valid only with the holder's signature on page 3"
        ));
    }

    #[test]
    fn ink_under_the_label_is_measured_and_an_empty_field_holds_none() {
        // Paper with a light background print, a dark label, and a pen stroke under it.
        let mut page = RgbImage::from_fn(400, 200, |x, y| {
            let shade = if (x + y) % 7 == 0 { 215 } else { 240 };
            Rgb([shade, shade, shade])
        });
        let label = label_at(80.0, 30.0);
        for x in 40..120 {
            for y in 26..34 {
                page.put_pixel(x, y, Rgb([20, 20, 20]));
            }
        }
        let empty = ink_under(&page, &label).unwrap();
        assert!(empty < MIN_INK, "{empty}");
        for x in 40..200u32 {
            let y = 60.0 + 15.0 * (x as f32 / 12.0).sin();
            for dy in 0..3 {
                page.put_pixel(x, y as u32 + dy, Rgb([30, 30, 90]));
            }
        }
        let signed = ink_under(&page, &label).unwrap();
        assert!(signed >= MIN_INK, "{signed}");
        assert_eq!(check(Some(Some(signed))).outcome, CheckOutcome::Passed);
        assert_eq!(
            check(Some(Some(empty))).reason_code,
            "document.mandatory_elements.signature_missing"
        );
        // A label at the image's lower edge: its field is not in the picture.
        assert_eq!(ink_under(&page, &label_at(80.0, 195.0)), None);
        assert_eq!(check(Some(None)).outcome, CheckOutcome::Unavailable);
        assert_eq!(
            check(None).reason_code,
            "document.mandatory_elements.no_signature_label"
        );
    }
}
