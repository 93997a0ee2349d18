//! Finding the MRZ among detected text: the page's reading direction from the boxes' angles, boxes
//! merged into text lines along it, long lines chosen for recognition, and MRZ-like texts kept for
//! the MRZ engine. Rotation by 90, 180 or 270 degrees becomes a choice of reading direction, so
//! detection runs once per image.

use super::det::TextBox;
use super::geometry::{Point, RotatedRect};

/// A reading direction hypothesis: the unit vector text runs along.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Reading {
    /// Unit vector along the text.
    pub u: Point,
}

impl Reading {
    /// The page's rotation this reading undoes, in degrees clockwise (0, 90, 180, 270), rounded.
    pub fn rotation_degrees(&self) -> u32 {
        let deg = self.u[1].atan2(self.u[0]).to_degrees();
        let q = ((deg / 90.0).round() as i32).rem_euclid(4);
        q as u32 * 90
    }

    fn v(&self) -> Point {
        [-self.u[1], self.u[0]]
    }
}

/// Lines shorter than this many times their height are not MRZ candidates (a TD1 line of 30
/// characters is about 15 times as long as its box is high).
pub const MIN_LINE_ASPECT: f32 = 10.0;
/// Lines recognised per reading, at most (the bottom-most in reading order).
pub const MAX_LINES: usize = 10;
/// Boxes considered, at most.
pub const MAX_BOXES: usize = 1000;

/// The two reading directions along the page's dominant text axis, most likely first: along the
/// axis pointing right (or down for vertical text), then the reverse. The axis is the
/// length-weighted mean of the long boxes' angles (doubled, so that opposite directions agree).
pub fn readings(boxes: &[TextBox]) -> [Reading; 2] {
    let (mut c, mut s) = (0.0f32, 0.0f32);
    for b in boxes.iter().take(MAX_BOXES) {
        let r = b.rect;
        if r.width < 3.0 * r.height {
            continue;
        }
        let phi = r.u[1].atan2(r.u[0]);
        c += r.width * (2.0 * phi).cos();
        s += r.width * (2.0 * phi).sin();
    }
    let phi = if c == 0.0 && s == 0.0 {
        0.0
    } else {
        s.atan2(c) / 2.0
    };
    let mut u = [phi.cos(), phi.sin()];
    // Point right, or down when nearly vertical.
    if u[0] < -1e-6 || (u[0].abs() <= 1e-6 && u[1] < 0.0) {
        u = [-u[0], -u[1]];
    }
    [Reading { u }, Reading { u: [-u[0], -u[1]] }]
}

/// A text line: boxes merged along the reading direction.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct TextLine {
    /// Its rectangle, `u` along the reading direction.
    pub rect: RotatedRect,
    /// Boxes merged into it.
    pub boxes: usize,
}

/// Boxes merged into lines in reading order (top to bottom as read). A box joins a line when
/// their extents across the text overlap by at least half the smaller height and the gap along
/// the text is at most three line heights.
pub fn text_lines(boxes: &[TextBox], reading: Reading) -> Vec<TextLine> {
    let u = reading.u;
    let v = reading.v();
    let dot = |p: Point, d: Point| p[0] * d[0] + p[1] * d[1];
    // (s0, s1, t0, t1, count) per line, in the (u, v) frame.
    let mut spans: Vec<(f32, f32, f32, f32)> = boxes
        .iter()
        .take(MAX_BOXES)
        .map(|b| {
            let (mut s0, mut s1, mut t0, mut t1) = (f32::MAX, f32::MIN, f32::MAX, f32::MIN);
            for c in b.rect.corners() {
                let (s, t) = (dot(c, u), dot(c, v));
                s0 = s0.min(s);
                s1 = s1.max(s);
                t0 = t0.min(t);
                t1 = t1.max(t);
            }
            (s0, s1, t0, t1)
        })
        .collect();
    spans.sort_by(|a, b| (a.2 + a.3).total_cmp(&(b.2 + b.3)));
    let mut lines: Vec<(f32, f32, f32, f32, usize)> = Vec::new();
    for (s0, s1, t0, t1) in spans {
        let h = t1 - t0;
        let mut best: Option<(usize, f32)> = None;
        for (i, l) in lines.iter().enumerate() {
            let overlap = t1.min(l.3) - t0.max(l.2);
            let min_h = h.min(l.3 - l.2);
            let gap = (s0 - l.1).max(l.0 - s1);
            if overlap >= 0.5 * min_h
                && gap <= 3.0 * h.max(l.3 - l.2)
                && best.is_none_or(|(_, o)| overlap > o)
            {
                best = Some((i, overlap));
            }
        }
        match best.and_then(|(i, _)| lines.get_mut(i)) {
            Some(l) => {
                // Keep the line's height that of its own boxes: a slightly taller neighbour
                // widens the crop, not the line's position.
                l.0 = l.0.min(s0);
                l.1 = l.1.max(s1);
                l.2 = l.2.min(t0);
                l.3 = l.3.max(t1);
                l.4 += 1;
            }
            None => lines.push((s0, s1, t0, t1, 1)),
        }
    }
    lines.sort_by(|a, b| (a.2 + a.3).total_cmp(&(b.2 + b.3)));
    lines
        .into_iter()
        .map(|(s0, s1, t0, t1, n)| {
            let (sc, tc) = ((s0 + s1) / 2.0, (t0 + t1) / 2.0);
            TextLine {
                rect: RotatedRect {
                    center: [sc * u[0] + tc * v[0], sc * u[1] + tc * v[1]],
                    u,
                    width: s1 - s0,
                    height: t1 - t0,
                },
                boxes: n,
            }
        })
        .collect()
}

/// The lines worth recognising as MRZ candidates, in reading order: long enough, at most
/// [`MAX_LINES`], the bottom-most kept (the MRZ is the last thing on a page read upright).
pub fn candidate_lines(lines: &[TextLine]) -> Vec<TextLine> {
    let long: Vec<TextLine> = lines
        .iter()
        .filter(|l| l.rect.width >= MIN_LINE_ASPECT * l.rect.height.max(1.0))
        .copied()
        .collect();
    let skip = long.len().saturating_sub(MAX_LINES);
    long.into_iter().skip(skip).collect()
}

/// OCR text cleaned towards the MRZ alphabet: upper case, no spaces, guillemets as fillers, and
/// accented Latin capitals as their base letter (the recogniser's dictionary has them, an MRZ
/// never does; a specimen printing `ESPAÑOLA` in its MRZ reads as `ESPANOLA`).
pub fn clean(text: &str) -> String {
    text.chars()
        .filter(|c| !c.is_whitespace())
        .map(|c| match c {
            '«' | '‹' | '≪' | '＜' => '<',
            c => base_letter(c.to_ascii_uppercase()),
        })
        .collect()
}

fn base_letter(c: char) -> char {
    match c {
        'À' | 'Á' | 'Â' | 'Ã' | 'Ä' | 'Å' => 'A',
        'Ç' => 'C',
        'È' | 'É' | 'Ê' | 'Ë' => 'E',
        'Ì' | 'Í' | 'Î' | 'Ï' => 'I',
        'Ñ' => 'N',
        'Ò' | 'Ó' | 'Ô' | 'Õ' | 'Ö' | 'Ø' => 'O',
        'Ù' | 'Ú' | 'Û' | 'Ü' => 'U',
        'Ý' => 'Y',
        c => c,
    }
}

/// Whether cleaned text looks like an MRZ line: at least 20 characters, nine in ten of them from
/// `A-Z 0-9 <`, and a filler somewhere (every MRZ line of every format has one, in practice).
pub fn is_mrz_like(cleaned: &str) -> bool {
    let n = cleaned.chars().count();
    if n < 20 {
        return false;
    }
    let ok = cleaned
        .chars()
        .filter(|c| c.is_ascii_uppercase() || c.is_ascii_digit() || *c == '<')
        .count();
    ok * 10 >= n * 9 && cleaned.contains('<')
}

/// Whether cleaned text could be an MRZ line filled with data to its end, which then has no
/// filler (a visa's second line with a full optional field): nearly a whole TD1 line long and
/// every character from `A-Z 0-9 <`. Such a line counts only beside one that
/// [`is_mrz_like`] accepts, since ordinary capitals and digits read the same.
pub fn is_unfilled_mrz_line(cleaned: &str) -> bool {
    cleaned.chars().count() >= 28
        && cleaned
            .chars()
            .all(|c| c.is_ascii_uppercase() || c.is_ascii_digit() || c == '<')
}

#[cfg(test)]
mod tests {
    use super::*;

    fn tb(cx: f32, cy: f32, w: f32, h: f32, u: Point) -> TextBox {
        TextBox {
            rect: RotatedRect {
                center: [cx, cy],
                u,
                width: w,
                height: h,
            },
            score: 0.9,
        }
    }

    #[test]
    fn upright_page_reads_left_to_right_first() {
        let boxes = [tb(100.0, 50.0, 200.0, 20.0, [1.0, 0.0])];
        let [a, b] = readings(&boxes);
        assert_eq!(a.rotation_degrees(), 0);
        assert_eq!(b.rotation_degrees(), 180);
    }

    #[test]
    fn vertical_page_reads_downwards_first() {
        let boxes = [tb(50.0, 100.0, 200.0, 20.0, [0.0, -1.0])];
        let [a, b] = readings(&boxes);
        assert_eq!(a.rotation_degrees(), 90);
        assert_eq!(b.rotation_degrees(), 270);
    }

    #[test]
    fn split_boxes_merge_into_lines_in_reading_order() {
        let r = [1.0, 0.0];
        let boxes = [
            tb(300.0, 200.0, 200.0, 20.0, r),
            tb(80.0, 200.0, 150.0, 20.0, r),
            tb(200.0, 170.0, 380.0, 20.0, r),
            tb(900.0, 200.0, 50.0, 20.0, r), // far away: its own line
        ];
        let lines = text_lines(&boxes, readings(&boxes)[0]);
        assert_eq!(lines.len(), 3);
        assert_eq!(lines[0].boxes, 1);
        assert!((lines[0].rect.center[1] - 170.0).abs() < 1e-3);
        let merged = lines.iter().find(|l| l.boxes == 2).unwrap();
        assert!((merged.rect.width - 395.0).abs() < 1e-3, "{merged:?}");
        // Upside down, the same boxes read in the other order.
        let flipped = text_lines(&boxes, readings(&boxes)[1]);
        assert!((flipped.last().unwrap().rect.center[1] - 170.0).abs() < 1e-3);
    }

    #[test]
    fn mrz_like_text() {
        assert!(is_mrz_like(&clean(
            "P<UTOERIKSSON<<ANNA<MARIA<<<<<<<<<<<<<<<<<<<"
        )));
        assert!(is_mrz_like(&clean(
            "l898902c36 uto7408122f1204159ze184226b<<<<<10"
        )));
        assert!(!is_mrz_like("PASSPORT PASSEPORT PASAPORTE"));
        assert_eq!(
            clean("ESPAÑOLA<ESPAÑOLA<CARMEN«"),
            "ESPANOLA<ESPANOLA<CARMEN<"
        );
        assert!(!is_mrz_like("P<UTO"));
        let visa_line = "555123ABC6GBR6502056F0412236IFLNDOOAMS803085";
        assert!(!is_mrz_like(visa_line));
        assert!(is_unfilled_mrz_line(visa_line));
        assert!(!is_unfilled_mrz_line(&clean(
            "UPON ENDORSEMENT SERVES AS TEMPORARY I-551 EVIDENCING"
        )));
        assert!(!is_unfilled_mrz_line("05FEB1965GRBRGRBRMAR"));
    }
}
