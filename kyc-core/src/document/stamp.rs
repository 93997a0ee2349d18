//! Whether an office stamp is on the page (`document.mandatory_elements.stamp`): the round seal in
//! violet or blue ink that many issuers press over the portrait's corner. Ink is told by its hue
//! (blue well above green and red, darker than paper), so the page's pale tint and black print do
//! not count; a stamp is told from other blue print by its shape: ink around most of a circle and
//! little inside it, where a filled emblem or a field of guilloche lines has as much ink inside as
//! on its rim. Pure Rust on pixels, so it also runs in WebAssembly.
//!
//! Not seen: red and black stamps (red is also skin, black also print), rectangular stamps, and a
//! stamp so faint that its ring no longer reads as ink.

use image::RgbImage;

use crate::check::CheckResult;
use crate::check::catalogue::document as catalogue;
pub use crate::check::catalogue::document::MIN_STAMP_SCORE as MIN_SCORE;
use crate::image::{ImageError, resize};
use crate::quality::regions::label;

/// The check's id.
pub const CHECK_ID: &str = catalogue::STAMP.id;

/// The longer side the image is measured at.
const WORK_SIDE: u32 = 800;
/// Stamp radii looked for, as shares of the image's shorter side.
const RADIUS_RANGE: (f32, f32) = (0.05, 0.3);
/// ... and at least this many work pixels: smaller rings are letters (`O`, `0`) of a small image.
const MIN_RADIUS_PX: f32 = 16.0;
/// Radii tried by the circle vote, spaced evenly in proportion between the two.
const VOTE_RADII: usize = 16;
/// The vote's accumulator cell, in work pixels.
const VOTE_CELL: usize = 4;
/// A candidate's box may be this much longer one way than the other (a faint side shortens it).
const MAX_ASPECT: f32 = 1.7;
/// Angular bins around the rim.
const BINS: usize = 72;
/// The rim: radii from this share of the radius...
const RIM_FROM: f32 = 0.96;
/// ... to this one: thin, so that only ink at one common radius all round counts (a ring), not
/// ink scattered through a band (text, guilloche).
const RIM_TO: f32 = 1.0;
/// The inside compared with the rim: radii up to this share.
const INSIDE_TO: f32 = 0.45;
/// How much bluer than green and red ink is, and how dark at most (0-255).
const INK_BLUE_OVER_GREEN: i32 = 25;
const INK_BLUE_OVER_RED: i32 = 5;
const INK_MAX_LUMA: i32 = 175;
/// The inside's density against the rim's: full marks up to this ...
const HOLLOW_FULL: f64 = 0.25;
/// ... and none from this on.
const HOLLOW_NONE: f64 = 0.6;
/// Candidates refined over the full grid of centres and radii (the best after a quick refine).
const FULL_REFINES: usize = 4;
/// Centre offsets are tried in steps of this share of the radius.
const CENTRE_STEP: f32 = 0.05;
/// Pixels the ink mask is grown by before its regions are labelled, so that a stamp's letters,
/// rings and uneven ink join into one region.
const DILATION: usize = 2;
/// Candidates refined at most (the largest first).
const MAX_CANDIDATES: usize = 24;

/// The best stamp-like ring found.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Stamp {
    /// Centre in the image's pixels.
    pub center: [f32; 2],
    /// Radius in the image's pixels.
    pub radius: f32,
    /// Share of the rim's angular bins with ink.
    pub coverage: f64,
    /// Ink density inside against on the rim (0: empty inside, 1: as dense).
    pub inside_ratio: f64,
    /// The ring score held to [`MIN_SCORE`].
    pub score: f64,
}

/// The most stamp-like ring of ink in `image`, `None` when there is no ink of a stamp's colour
/// in a stamp's shape and size at all.
pub fn find(image: &RgbImage) -> Result<Option<Stamp>, ImageError> {
    let (w0, h0) = image.dimensions();
    let longer = w0.max(h0).max(1);
    let scale = (WORK_SIDE as f32 / longer as f32).min(1.0);
    let (w, h) = (
        ((w0 as f32 * scale).round() as u32).max(1),
        ((h0 as f32 * scale).round() as u32).max(1),
    );
    let small = if scale < 1.0 {
        resize(image, w, h)?
    } else {
        image.clone()
    };
    let (wu, hu) = (w as usize, h as usize);
    let ink: Vec<bool> = small.pixels().map(|p| is_ink(p.0)).collect();
    let grown = dilate(&ink, wu, hu, DILATION);
    let (labels, count) = label(&grown, wu, hu);
    let shorter = w.min(h) as f32;
    let (rmin, rmax) = (
        (RADIUS_RANGE.0 * shorter).max(MIN_RADIUS_PX),
        RADIUS_RANGE.1 * shorter,
    );
    let mut boxes = vec![[usize::MAX, usize::MAX, 0usize, 0usize]; count as usize];
    for (i, &l) in labels.iter().enumerate() {
        if let Some(b) = l.checked_sub(1).and_then(|l| boxes.get_mut(l as usize)) {
            let (x, y) = (i % wu, i / wu);
            *b = [b[0].min(x), b[1].min(y), b[2].max(x), b[3].max(y)];
        }
    }
    let mut candidates: Vec<[f32; 3]> = boxes
        .iter()
        .filter(|b| b[0] <= b[2])
        .filter_map(|b| {
            let (bw, bh) = ((b[2] - b[0] + 1) as f32, (b[3] - b[1] + 1) as f32);
            let r = bw.max(bh) / 2.0;
            let square = bw.max(bh) / bw.min(bh).max(1.0) <= MAX_ASPECT;
            (square && (rmin..=rmax).contains(&r)).then(|| {
                [
                    (b[0] + b[2]) as f32 / 2.0,
                    (b[1] + b[3]) as f32 / 2.0,
                    // The region's box includes the growth.
                    r - DILATION as f32,
                ]
            })
        })
        .collect();
    candidates.sort_by(|a, b| b[2].total_cmp(&a[2]));
    candidates.truncate(MAX_CANDIDATES);
    // A stamp whose ink touches other blue ink (a pen signature, dark clothing) is one region
    // with that ink, so its box misleads: circles voted for by the ink's edges are tried too.
    candidates.extend(voted_circles(&ink, wu, hu, rmin, rmax));
    let mask = Mask {
        ink: &ink,
        w: wu,
        h: hu,
    };
    // Every candidate refined cheaply; the most promising again over the full grid around its
    // own circle.
    let mut quick: Vec<(Stamp, [f32; 3])> = candidates
        .iter()
        .map(|&[cx, cy, r]| (refine_quick(&mask, cx, cy, r), [cx, cy, r]))
        .collect();
    quick.sort_by(|a, b| b.0.score.total_cmp(&a.0.score));
    let best = quick
        .iter()
        .take(FULL_REFINES)
        .map(|&(_, [cx, cy, r])| refine_full(&mask, cx, cy, r))
        .chain(quick.iter().map(|(s, _)| *s))
        // On a tie the larger ring: a stamp's inner ring scores as well as its outer one.
        .max_by(|a, b| {
            a.score
                .total_cmp(&b.score)
                .then(a.radius.total_cmp(&b.radius))
        });
    Ok(best.map(|s| Stamp {
        center: [s.center[0] / scale, s.center[1] / scale],
        radius: s.radius / scale,
        ..s
    }))
}

/// The evidence item for `found` (the best ring, or none at all).
pub fn check(found: Option<&Stamp>) -> CheckResult {
    let score = found.map_or(0.0, |s| s.score);
    let detail = match found {
        Some(s) => format!(
            "a ring of stamp ink around {:.0}% of its circumference (radius {:.0} px, inside {:.0}% as dense)",
            s.coverage * 100.0,
            s.radius,
            s.inside_ratio * 100.0
        ),
        None => "no ink of a stamp's colour in a stamp's shape".to_owned(),
    };
    catalogue::STAMP.scored(score, detail)
}

/// Violet or blue ink: blue well above green and somewhat above red, darker than paper.
fn is_ink([r, g, b]: [u8; 3]) -> bool {
    let (r, g, b) = (i32::from(r), i32::from(g), i32::from(b));
    let luma = (299 * r + 587 * g + 114 * b) / 1000;
    b - g >= INK_BLUE_OVER_GREEN && b - r >= INK_BLUE_OVER_RED && luma <= INK_MAX_LUMA
}

/// `mask` grown by `radius` pixels (a square neighbourhood).
fn dilate(mask: &[bool], w: usize, h: usize, radius: usize) -> Vec<bool> {
    let mut rows = vec![false; mask.len()];
    for (src, dst) in mask.chunks_exact(w).zip(rows.chunks_exact_mut(w)) {
        for (x, d) in dst.iter_mut().enumerate() {
            let lo = x.saturating_sub(radius);
            let hi = (x + radius + 1).min(w);
            *d = src.get(lo..hi).is_some_and(|s| s.iter().any(|&v| v));
        }
    }
    let mut out = vec![false; mask.len()];
    for y in 0..h {
        let lo = y.saturating_sub(radius);
        let hi = (y + radius + 1).min(h);
        for (x, o) in out.iter_mut().skip(y * w).take(w).enumerate() {
            *o = (lo..hi).any(|yy| rows.get(yy * w + x).copied().unwrap_or(false));
        }
    }
    out
}

struct Mask<'a> {
    ink: &'a [bool],
    w: usize,
    h: usize,
}

impl Mask<'_> {
    fn at(&self, x: f32, y: f32) -> bool {
        if x < 0.0 || y < 0.0 {
            return false;
        }
        let (x, y) = (x as usize, y as usize);
        x < self.w && y < self.h && self.ink.get(y * self.w + x).copied().unwrap_or(false)
    }

    /// The ring measures for a circle.
    fn ring(&self, cx: f32, cy: f32, r: f32) -> Stamp {
        let rim_steps = ((r * (RIM_TO - RIM_FROM)).ceil() as usize).max(2);
        let (mut bins_inked, mut rim_ink, mut rim_all) = (0usize, 0usize, 0usize);
        let (mut in_ink, mut in_all) = (0usize, 0usize);
        for bin in 0..BINS {
            // Two rays per bin, so that thin letters between rays are not missed.
            let mut inked = false;
            for half in 0..2 {
                let a = (bin as f32 + half as f32 * 0.5) / BINS as f32 * std::f32::consts::TAU;
                let (ux, uy) = (a.cos(), a.sin());
                for s in 0..=rim_steps {
                    let rr = r * (RIM_FROM + (RIM_TO - RIM_FROM) * s as f32 / rim_steps as f32);
                    let hit = self.at(cx + ux * rr, cy + uy * rr);
                    inked |= hit;
                    rim_ink += usize::from(hit);
                    rim_all += 1;
                }
                for s in 1..=6 {
                    let rr = r * INSIDE_TO * s as f32 / 6.0;
                    in_ink += usize::from(self.at(cx + ux * rr, cy + uy * rr));
                    in_all += 1;
                }
            }
            bins_inked += usize::from(inked);
        }
        let coverage = bins_inked as f64 / BINS as f64;
        let rim = rim_ink as f64 / rim_all.max(1) as f64;
        let inside = in_ink as f64 / in_all.max(1) as f64;
        let inside_ratio = if rim > 0.0 {
            (inside / rim).min(1.0)
        } else {
            1.0
        };
        // Full marks while the inside holds at most a quarter of the rim's density (a stamp's
        // middle line of letters), none from 0.6 on (fields of guilloche lines measure 0.5).
        let hollow = ((HOLLOW_NONE - inside_ratio) / (HOLLOW_NONE - HOLLOW_FULL)).clamp(0.0, 1.0);
        Stamp {
            center: [cx, cy],
            radius: r,
            coverage,
            inside_ratio,
            score: coverage * hollow,
        }
    }
}

/// Circles the edges of the ink vote for: each edge pixel votes, along its gradient both ways,
/// for a centre at every tried radius; the best-voted (per unit of circumference) come first.
fn voted_circles(ink: &[bool], w: usize, h: usize, rmin: f32, rmax: f32) -> Vec<[f32; 3]> {
    if w < 3 || h < 3 || rmin <= 0.0 || rmax <= rmin {
        return Vec::new();
    }
    let radii: Vec<f32> = (0..VOTE_RADII)
        .map(|k| rmin * (rmax / rmin).powf(k as f32 / (VOTE_RADII - 1) as f32))
        .collect();
    let (aw, ah) = (w.div_ceil(VOTE_CELL), h.div_ceil(VOTE_CELL));
    let mut votes = vec![0u32; aw * ah * radii.len()];
    let v = |x: usize, y: usize| f32::from(u8::from(ink.get(y * w + x).copied().unwrap_or(false)));
    for y in 1..h - 1 {
        for x in 1..w - 1 {
            let gx = v(x + 1, y - 1) + 2.0 * v(x + 1, y) + v(x + 1, y + 1)
                - v(x - 1, y - 1)
                - 2.0 * v(x - 1, y)
                - v(x - 1, y + 1);
            let gy = v(x - 1, y + 1) + 2.0 * v(x, y + 1) + v(x + 1, y + 1)
                - v(x - 1, y - 1)
                - 2.0 * v(x, y - 1)
                - v(x + 1, y - 1);
            let g = (gx * gx + gy * gy).sqrt();
            if g < 2.0 {
                continue;
            }
            let (ux, uy) = (gx / g, gy / g);
            for (k, &r) in radii.iter().enumerate() {
                for sign in [-1.0f32, 1.0] {
                    let (cx, cy) = (x as f32 + sign * r * ux, y as f32 + sign * r * uy);
                    if cx < 0.0 || cy < 0.0 {
                        continue;
                    }
                    let (ax, ay) = (cx as usize / VOTE_CELL, cy as usize / VOTE_CELL);
                    if ax < aw
                        && ay < ah
                        && let Some(slot) = votes.get_mut((k * ah + ay) * aw + ax)
                    {
                        *slot += 1;
                    }
                }
            }
        }
    }
    let mut peaks: Vec<(f32, [f32; 3])> = votes
        .iter()
        .enumerate()
        .filter(|&(_, &n)| n > 0)
        .map(|(i, &n)| {
            let (k, rest) = (i / (aw * ah), i % (aw * ah));
            let (ay, ax) = (rest / aw, rest % aw);
            let r = radii.get(k).copied().unwrap_or(rmin);
            let centre = |a: usize| (a * VOTE_CELL) as f32 + VOTE_CELL as f32 / 2.0;
            (n as f32 / r, [centre(ax), centre(ay), r])
        })
        .collect();
    peaks.sort_by(|a, b| b.0.total_cmp(&a.0));
    let mut out: Vec<[f32; 3]> = Vec::new();
    for (_, c) in peaks {
        if out.len() >= MAX_CANDIDATES {
            break;
        }
        // One candidate per circle: the others near it in centre and radius are its echoes.
        let echo = out.iter().any(|o| {
            let d = ((o[0] - c[0]).powi(2) + (o[1] - c[1]).powi(2)).sqrt();
            d < o[2].min(c[2]) * 0.5 && (o[2] / c[2]).max(c[2] / o[2]) < 1.5
        });
        if !echo {
            out.push(c);
        }
    }
    out
}

/// The best ring near a candidate's circle, found cheaply: the radius scaled, then the centre
/// moved, then the radius again, one at a time.
fn refine_quick(mask: &Mask<'_>, cx: f32, cy: f32, r: f32) -> Stamp {
    let mut best = mask.ring(cx, cy, r);
    for k in scales() {
        best = better(best, mask.ring(cx, cy, r * k));
    }
    let (r, step) = (best.radius, r * CENTRE_STEP);
    for (dx, dy) in offsets() {
        best = better(best, mask.ring(cx + dx * step, cy + dy * step, r));
    }
    let [cx, cy] = best.center;
    for k in scales() {
        best = better(best, mask.ring(cx, cy, r * k));
    }
    best
}

/// The best ring near a circle over every combination of centre and radius.
fn refine_full(mask: &Mask<'_>, cx: f32, cy: f32, r: f32) -> Stamp {
    let mut best = mask.ring(cx, cy, r);
    let step = r * CENTRE_STEP;
    for (dx, dy) in offsets() {
        for k in scales() {
            best = better(best, mask.ring(cx + dx * step, cy + dy * step, r * k));
        }
    }
    best
}

/// Radius scales tried around a candidate's.
fn scales() -> impl Iterator<Item = f32> {
    (0..13).map(|i| 0.85 + 0.025 * i as f32)
}

/// Centre offsets tried, in steps of [`CENTRE_STEP`] radii.
fn offsets() -> impl Iterator<Item = (f32, f32)> {
    (-2..=2).flat_map(|dy| (-2..=2).map(move |dx| (dx as f32, dy as f32)))
}

fn better(best: Stamp, s: Stamp) -> Stamp {
    if s.score > best.score { s } else { best }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::check::CheckOutcome;
    use image::Rgb;

    const PAPER: Rgb<u8> = Rgb([236, 230, 222]);
    const INK: [u8; 3] = [70, 56, 160];

    fn page() -> RgbImage {
        RgbImage::from_pixel(600, 400, PAPER)
    }

    /// Paints pixels within `[from, to]` of `(cx, cy)` with `colour` where `keep` says.
    fn paint(
        img: &mut RgbImage,
        (cx, cy): (f32, f32),
        (from, to): (f32, f32),
        colour: [u8; 3],
        keep: impl Fn(f32) -> bool,
    ) {
        for (x, y, p) in img.enumerate_pixels_mut() {
            let (dx, dy) = (x as f32 - cx, y as f32 - cy);
            let d = (dx * dx + dy * dy).sqrt();
            if d >= from && d <= to && keep(dy.atan2(dx)) {
                *p = Rgb(colour);
            }
        }
    }

    #[test]
    fn a_ring_of_violet_ink_is_a_stamp_and_its_circle_is_found() {
        let mut img = page();
        paint(&mut img, (300.0, 200.0), (54.0, 60.0), INK, |_| true);
        paint(&mut img, (300.0, 200.0), (40.0, 42.0), INK, |_| true);
        let s = find(&img).unwrap().unwrap();
        assert!(s.score >= MIN_SCORE, "{s:?}");
        assert!((s.center[0] - 300.0).abs() < 6.0 && (s.center[1] - 200.0).abs() < 6.0);
        assert!((s.radius - 57.0).abs() < 8.0, "{s:?}");
        let c = check(Some(&s));
        assert_eq!(c.outcome, CheckOutcome::Passed);
        assert_eq!(c.reason_code, "document.mandatory_elements.stamp_present");
    }

    #[test]
    fn a_ring_missing_a_third_still_counts_and_a_quarter_arc_does_not() {
        let mut img = page();
        paint(&mut img, (300.0, 200.0), (54.0, 60.0), INK, |a| a < 2.0);
        let s = find(&img).unwrap().unwrap();
        assert!(s.score >= MIN_SCORE, "{s:?}");
        let mut img = page();
        paint(&mut img, (300.0, 200.0), (54.0, 60.0), INK, |a| {
            (0.0..1.6).contains(&a)
        });
        let s = find(&img).unwrap();
        assert!(s.is_none_or(|s| s.score < MIN_SCORE), "{s:?}");
    }

    #[test]
    fn filled_discs_black_rings_and_a_plain_page_are_no_stamp() {
        // A filled blue emblem: as much ink inside as on the rim.
        let mut img = page();
        paint(&mut img, (300.0, 200.0), (0.0, 60.0), [0, 51, 153], |_| {
            true
        });
        let s = find(&img).unwrap();
        assert!(s.is_none_or(|s| s.score < MIN_SCORE), "{s:?}");
        // A black ring: print, not stamp ink.
        let mut img = page();
        paint(&mut img, (300.0, 200.0), (54.0, 60.0), [30, 30, 30], |_| {
            true
        });
        assert_eq!(find(&img).unwrap(), None);
        // Pale lavender paper: tint, not ink.
        let img = RgbImage::from_pixel(600, 400, Rgb([222, 220, 250]));
        assert_eq!(find(&img).unwrap(), None);
        let c = check(None);
        assert_eq!(c.outcome, CheckOutcome::Failed);
        assert_eq!(c.reason_code, "document.mandatory_elements.stamp_missing");
        assert_eq!(c.score, Some(0.0));
    }

    #[test]
    fn tiny_and_empty_images_are_no_stamp_and_no_panic() {
        for (w, h) in [(1, 1), (3, 500), (500, 3)] {
            let img = RgbImage::from_pixel(w, h, Rgb(INK));
            let s = find(&img).unwrap();
            assert!(s.is_none_or(|s| s.score < MIN_SCORE));
        }
    }
}
