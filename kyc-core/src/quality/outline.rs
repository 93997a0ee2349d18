//! Where the document is in the frame, without a model: the page is the largest bright, connected
//! region of a small grey copy (Otsu's threshold separates paper from the table, the hand or the
//! screen bezel around it), and its minimum-area rectangle is the outline. A document cut by the
//! frame shows up as bright region running along a frame edge.

use super::grey::Grey;
use super::regions::label;
use crate::document::ocr::geometry::{Point, min_area_rect};

/// Longer side of the grey copy the outline is searched on. 320 pixels keep a page's edge several
/// pixels long and the search well under a millisecond's worth of work per megapixel.
pub const OUTLINE_SIDE: u32 = 320;

/// The document's outline.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Outline {
    /// Corners of its minimum-area rectangle in source pixels (any order round the rectangle).
    pub corners: [Point; 4],
    /// Its longer side in source pixels.
    pub long_side: f64,
    /// Its shorter side in source pixels.
    pub short_side: f64,
    /// Share of the frame it covers, 0 to 1.
    pub frame_share: f64,
    /// Share of the frame's border pixels that belong to the document, 0 to 1: 0 when it lies
    /// wholly inside the frame, about 1 when the image is the document itself (a scan).
    pub border_share: f64,
    /// Which frame edges it touches: top, right, bottom, left.
    pub touches: [bool; 4],
    /// Source-pixel bounding box `[x0, y0, x1, y1]` of the region.
    pub bbox: [f64; 4],
}

impl Outline {
    /// True when the document touches every frame edge and fills most of it: a scan or a tight
    /// crop, where "inside the frame" cannot be judged from the edges.
    pub fn is_full_frame(&self) -> bool {
        self.touches.iter().all(|t| *t) && self.border_share > FULL_BORDER
    }
}

/// Otsu's threshold over values 0 to 255.
fn otsu(values: &[f32]) -> f32 {
    let mut hist = [0u64; 256];
    for v in values {
        let b = v.clamp(0.0, 255.0) as usize;
        if let Some(h) = hist.get_mut(b) {
            *h += 1;
        }
    }
    let total = values.len() as f64;
    let sum_all: f64 = hist
        .iter()
        .enumerate()
        .map(|(i, &h)| i as f64 * h as f64)
        .sum();
    let (mut w0, mut sum0, mut best, mut best_t) = (0.0f64, 0.0f64, -1.0f64, 128usize);
    for (t, &h) in hist.iter().enumerate() {
        w0 += h as f64;
        sum0 += t as f64 * h as f64;
        let w1 = total - w0;
        if w0 == 0.0 || w1 == 0.0 {
            continue;
        }
        let (m0, m1) = (sum0 / w0, (sum_all - sum0) / w1);
        let between = w0 * w1 * (m0 - m1) * (m0 - m1);
        if between > best {
            best = between;
            best_t = t;
        }
    }
    best_t as f32 + 0.5
}

/// The largest 4-connected component of `mask`, as a mask of the same size, and its size.
fn largest_component(mask: &[bool], w: usize, h: usize) -> (Vec<bool>, usize) {
    let (labels, count) = label(mask, w, h);
    let mut sizes = vec![0usize; count as usize + 1];
    for &l in &labels {
        if let Some(s) = sizes.get_mut(l as usize) {
            *s += 1;
        }
    }
    // Label 0 is the outside of every region.
    let best = (1..sizes.len()).max_by_key(|&l| (sizes[l], std::cmp::Reverse(l)));
    match best {
        Some(b) => (labels.iter().map(|&l| l as usize == b).collect(), sizes[b]),
        None => (vec![false; mask.len()], 0),
    }
}

/// Most times the threshold is raised when the region merges with the background.
const MAX_RAISES: usize = 8;
/// Grey levels the threshold is raised by each time.
const RAISE: f32 = 6.0;
/// A raise that leaves less than this share of the region separated it from the table.
const SEPARATED: f64 = 0.7;
/// The share of the separated page that must survive the next raise for it to be the page.
const STEADY: f64 = 0.9;
/// Share of the frame's border above which the region is taken for a scan filling the frame.
const FULL_BORDER: f64 = 0.9;

/// Pixels of `region` on the top, right, bottom and left rows and columns of the frame.
fn edge_runs(region: &[bool], w: usize, h: usize) -> [usize; 4] {
    let at = |x: usize, y: usize| region.get(y * w + x).copied().unwrap_or(false);
    [
        (0..w).filter(|&x| at(x, 0)).count(),
        (0..h).filter(|&y| at(w - 1, y)).count(),
        (0..w).filter(|&x| at(x, h - 1)).count(),
        (0..h).filter(|&y| at(0, y)).count(),
    ]
}

/// Which edges the runs touch: a touch is a run of some length (2 percent of the edge), not a
/// stray bright pixel of the table's texture.
fn touching(runs: [usize; 4], w: usize, h: usize) -> [bool; 4] {
    let [top, right, bottom, left] = runs;
    [top * 50 > w, right * 50 > h, bottom * 50 > w, left * 50 > h]
}

/// Finds the document in `grey` (a plane from [`Grey::shrunk`] at `scale`, small pixels per
/// source pixel). `None` when no bright region covers at least `min_share` of the frame.
pub fn find(grey: &Grey, scale: f64, min_share: f64) -> Option<Outline> {
    find_with_mask(grey, scale, min_share).map(|(o, _)| o)
}

/// [`find`], also returning the region's mask over `grey`.
pub(crate) fn find_with_mask(
    grey: &Grey,
    scale: f64,
    min_share: f64,
) -> Option<(Outline, Vec<bool>)> {
    let (w, h) = (grey.width, grey.height);
    if w < 8 || h < 8 || scale <= 0.0 {
        return None;
    }
    let otsu_t = otsu(&grey.data);
    let border = 2 * (w + h);
    let min_size = min_share * (w * h) as f64;
    // The largest bright region at the threshold raised `step` times, with its runs along the
    // frame's edges; `None` once it is too small to be the page.
    let region_at = |step: usize| {
        let t = otsu_t + RAISE * step as f32;
        let mask: Vec<bool> = grey.data.iter().map(|v| *v > t).collect();
        let (region, size) = largest_component(&mask, w, h);
        ((size as f64) >= min_size).then(|| {
            let runs = edge_runs(&region, w, h);
            (region, size, runs)
        })
    };
    let edges = |runs: [usize; 4]| touching(runs, w, h).iter().filter(|t| **t).count();
    let full = |runs: [usize; 4]| runs.iter().sum::<usize>() as f64 / border as f64 > FULL_BORDER;
    // A light, smooth table can sit above Otsu's threshold and merge with the page, so that the
    // "page" runs along three or four frame edges. A page cut by the frame runs along one or two;
    // a scan fills the whole border. So while the region runs along three edges or more but not
    // the whole border, raise the threshold (paper is lighter than such tables by a few tens of
    // levels) and keep the last region still large enough.
    let mut best = None;
    let mut step = 0;
    while step < MAX_RAISES {
        let Some(found) = region_at(step) else { break };
        let runs = found.2;
        best = Some(found);
        step += 1;
        if edges(runs) < 3 || full(runs) {
            break;
        }
    }
    // A lit patch of table merged with the page along one or two edges looks like a cut page.
    // Raised further, the two come apart in one step (the region loses a third or more and no
    // longer touches the frame) and the page then holds steady; a page truly cut only wears away
    // at its print, a few percent a step, and stays on the edge.
    if let Some((_, first_size, runs)) = &best
        && edges(*runs) > 0
        && !full(*runs)
    {
        let mut previous = *first_size;
        let mut candidate: Option<(Vec<bool>, usize, [usize; 4])> = None;
        while step < MAX_RAISES {
            let Some(found) = region_at(step) else { break };
            step += 1;
            if let Some(c) = candidate.take()
                && found.1 as f64 >= STEADY * c.1 as f64
            {
                best = Some(c);
                break;
            }
            let separated = (found.1 as f64) < SEPARATED * previous as f64 && edges(found.2) == 0;
            previous = found.1;
            if separated {
                candidate = Some(found);
            }
        }
    }
    let (region, size, [top, right, bottom, left]) = best?;
    let frame_share = size as f64 / (w * h) as f64;
    let at = |x: usize, y: usize| region.get(y * w + x).copied().unwrap_or(false);
    let touches = touching([top, right, bottom, left], w, h);
    let mut points: Vec<Point> = Vec::new();
    let (mut x0, mut y0, mut x1, mut y1) = (usize::MAX, usize::MAX, 0usize, 0usize);
    for y in 0..h {
        for x in 0..w {
            if !at(x, y) {
                continue;
            }
            x0 = x0.min(x);
            y0 = y0.min(y);
            x1 = x1.max(x + 1);
            y1 = y1.max(y + 1);
            // Only the region's boundary pixels matter for the hull.
            let inner = x > 0 && y > 0 && x + 1 < w && y + 1 < h && {
                at(x - 1, y) && at(x + 1, y) && at(x, y - 1) && at(x, y + 1)
            };
            if !inner {
                for (dx, dy) in [(0.0, 0.0), (1.0, 0.0), (1.0, 1.0), (0.0, 1.0)] {
                    points.push([x as f32 + dx, y as f32 + dy]);
                }
            }
        }
    }
    let rect = min_area_rect(points)?;
    let inv = (1.0 / scale) as f32;
    let corners = rect.corners().map(|[x, y]| [x * inv, y * inv]);
    let inv = 1.0 / scale;
    let outline = Outline {
        corners,
        long_side: f64::from(rect.width.max(rect.height)) * inv,
        short_side: f64::from(rect.width.min(rect.height)) * inv,
        frame_share,
        border_share: (top + bottom + left + right) as f64 / border as f64,
        touches,
        bbox: [
            x0 as f64 * inv,
            y0 as f64 * inv,
            x1 as f64 * inv,
            y1 as f64 * inv,
        ],
    };
    Some((outline, region))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn page(w: usize, h: usize, rect: [usize; 4]) -> Grey {
        let mut data = vec![90.0f32; w * h];
        for y in rect[1]..rect[3] {
            for x in rect[0]..rect[2] {
                data[y * w + x] = 230.0;
            }
        }
        Grey {
            width: w,
            height: h,
            data,
        }
    }

    #[test]
    fn a_page_inside_the_frame_is_found_and_touches_nothing() {
        let g = page(320, 240, [40, 30, 280, 200]);
        let o = find(&g, 0.5, 0.1).unwrap();
        assert_eq!(o.touches, [false; 4]);
        assert_eq!(o.border_share, 0.0);
        assert!((o.long_side - 480.0).abs() < 3.0, "{o:?}");
        assert!((o.short_side - 340.0).abs() < 3.0, "{o:?}");
        assert!(!o.is_full_frame());
    }

    /// A textured table (60 to 150), a lit patch of it (170) running to the right and bottom
    /// edges from `patch`, and the page (230) at `rect`.
    fn page_on_lit_table(rect: [usize; 4], patch: [usize; 2]) -> Grey {
        let mut g = page(320, 240, rect);
        for y in 0..240 {
            for x in 0..320 {
                let v = &mut g.data[y * 320 + x];
                if *v < 200.0 {
                    *v = if x >= patch[0] && y >= patch[1] {
                        170.0
                    } else {
                        60.0 + ((x * 7 + y * 13) % 91) as f32
                    };
                }
            }
        }
        g
    }

    #[test]
    fn a_page_merged_with_a_lit_patch_of_table_is_told_apart_from_a_cut_page() {
        // At Otsu's threshold (150) the patch and the page overlapping it are one region along
        // the right and bottom edges; raised, the patch drops away in one step.
        let o = find(&page_on_lit_table([40, 30, 200, 160], [150, 100]), 1.0, 0.1).unwrap();
        assert_eq!(o.touches, [false; 4], "{o:?}");
        assert_eq!(o.bbox, [40.0, 30.0, 200.0, 160.0]);
        // A page truly cut by the right edge stays cut, patch or not.
        let o = find(
            &page_on_lit_table([100, 30, 320, 200], [200, 200]),
            1.0,
            0.1,
        )
        .unwrap();
        assert!(o.touches[1], "{o:?}");
    }

    #[test]
    fn a_cut_page_touches_its_edge_and_a_scan_fills_the_frame() {
        let g = page(320, 240, [0, 30, 280, 200]);
        let o = find(&g, 1.0, 0.1).unwrap();
        assert_eq!(o.touches, [false, false, false, true]);
        assert!(o.border_share > 0.1);
        let scan = page(320, 240, [0, 0, 320, 240]);
        assert!(find(&scan, 1.0, 0.1).unwrap().is_full_frame());
        assert!(find(&page(320, 240, [0, 0, 10, 10]), 1.0, 0.1).is_none());
    }
}
