//! Is the face a surface with depth, or a flat photo or screen moved in front of the camera? A
//! flat object carries every point of its texture from one frame to another by one homography; a
//! head does not (the nose, the cheeks and the jaw turn at different depths). This measures how
//! far the texture of the face departs from the best homography between the first frame and a
//! movement's peak.
//!
//! Five landmarks are too few and too noisy for this (the detector's landmarks on a foreshortened
//! photo drift by a tenth of an eye distance, as much as a head's parallax), so the texture is
//! matched densely: a grid of patches over the face in the first frame, each found again in the
//! later frame by normalised cross-correlation around where the landmarks' affine map puts it; a
//! homography is fitted to the matches by least squares, the worst fifth dropped and fitted
//! again; the median distance of the matches from it, in eye distances, is the score.

use image::{GrayImage, RgbImage};

use super::geometry::Landmarks;

/// A match: a point of the first frame and where its texture was found in the later one.
type Pair = ([f64; 2], [f64; 2]);

/// Grid points per side over the face.
const GRID: usize = 11;
/// Patch side, in eye distances (at least 7 px).
const PATCH: f64 = 0.16;
/// Search radius around the predicted position, in eye distances.
const SEARCH: f64 = 0.2;
/// Patches with less grey-level spread than this (standard deviation) have no texture to match.
const MIN_TEXTURE: f64 = 6.0;
/// Matches weaker than this correlation are dropped.
const MIN_CORRELATION: f64 = 0.7;
/// Fewest matches a fit is made from.
const MIN_MATCHES: usize = 12;
/// Eye distance, in pixels, the frames are scaled down to when the face is larger: the matching's
/// work grows with the fourth power of the face's size, and the score is in eye distances anyway.
const WORK_EYE_DISTANCE: f64 = 64.0;

/// The face's departure from one homography between `first` and `later`, in eye distances: about
/// 0 for a flat photo or screen, more for a head. `None` when too few patches could be matched.
pub fn texture_residual(
    first: &RgbImage,
    first_landmarks: &Landmarks,
    later: &RgbImage,
    later_landmarks: &Landmarks,
) -> Option<f64> {
    let p = |q: [f32; 2]| [f64::from(q[0]), f64::from(q[1])];
    let eye = |l: &Landmarks| {
        let (e0, e1) = (p(l[0]), p(l[1]));
        (e1[0] - e0[0]).hypot(e1[1] - e0[1])
    };
    // Large faces are matched at a working scale (both frames by the same factor).
    let scale = (WORK_EYE_DISTANCE / eye(first_landmarks).max(eye(later_landmarks))).min(1.0);
    let grey = |img: &RgbImage| {
        let g = image::imageops::grayscale(img);
        if scale < 1.0 {
            let w = ((f64::from(g.width()) * scale).round() as u32).max(1);
            let h = ((f64::from(g.height()) * scale).round() as u32).max(1);
            image::imageops::resize(&g, w, h, image::imageops::FilterType::Triangle)
        } else {
            g
        }
    };
    let (a, b) = (grey(first), grey(later));
    let scaled = |l: &Landmarks| l.map(|q| [q[0] * scale as f32, q[1] * scale as f32]);
    let (first_landmarks, later_landmarks) = (&scaled(first_landmarks), &scaled(later_landmarks));
    let (eye_a, eye_b) = (eye(first_landmarks), eye(later_landmarks));
    if eye_a < 8.0 || eye_b < 8.0 {
        return None;
    }
    let guess = affine(first_landmarks, later_landmarks)?;
    let half = ((PATCH * eye_a / 2.0).round() as i64).max(3);
    let radius = ((SEARCH * eye_a).round() as i64).max(2);
    // The face: from above the eyes to below the mouth, a little wider than the eyes.
    let [l, r, _, ml, mr] = first_landmarks.map(p);
    let (x0, x1) = (
        l[0].min(ml[0]) - 0.35 * eye_a,
        r[0].max(mr[0]) + 0.35 * eye_a,
    );
    let (y0, y1) = (
        l[1].min(r[1]) - 0.45 * eye_a,
        ml[1].max(mr[1]) + 0.35 * eye_a,
    );
    let mut pairs = Vec::with_capacity(GRID * GRID);
    for i in 0..GRID {
        for j in 0..GRID {
            let x = x0 + (x1 - x0) * i as f64 / (GRID - 1) as f64;
            let y = y0 + (y1 - y0) * j as f64 / (GRID - 1) as f64;
            let (cx, cy) = (x.round() as i64, y.round() as i64);
            let Some(template) = patch(&a, cx, cy, half) else {
                continue;
            };
            if spread(&template) < MIN_TEXTURE {
                continue;
            }
            let predicted = apply_affine(&guess, [x, y]);
            if let Some((q, score)) = best_match(&b, &template, predicted, half, radius)
                && score >= MIN_CORRELATION
            {
                pairs.push(([x, y], q));
            }
        }
    }
    if pairs.len() < MIN_MATCHES {
        return None;
    }
    let distances = |pairs: &[Pair], h: &[f64; 9]| -> Vec<f64> {
        pairs
            .iter()
            .map(|(s, t)| {
                let m = apply_homography(h, *s);
                (m[0] - t[0]).hypot(m[1] - t[1])
            })
            .collect()
    };
    let h = fit_homography(&pairs)?;
    // Drop the worst fifth (mismatches), fit again, and take the median distance.
    let mut order: Vec<(f64, usize)> = distances(&pairs, &h)
        .into_iter()
        .enumerate()
        .map(|(i, d)| (d, i))
        .collect();
    order.sort_by(|x, y| x.0.total_cmp(&y.0));
    let kept: Vec<_> = order
        .iter()
        .take(pairs.len() * 4 / 5)
        .filter_map(|(_, i)| pairs.get(*i).copied())
        .collect();
    let h = fit_homography(&kept)?;
    let mut d = distances(&kept, &h);
    d.sort_by(f64::total_cmp);
    let median = *d.get(d.len() / 2)?;
    Some(median / eye_b)
}

/// The affine map taking `from`'s eyes and mouth corners to `to`'s, by least squares.
fn affine(from: &Landmarks, to: &Landmarks) -> Option<[f64; 6]> {
    let idx = [0usize, 1, 3, 4];
    // Solve for (a, b, c) in u = a x + b y + c, and likewise for v, by the normal equations.
    let mut m = [[0.0f64; 3]; 3];
    let (mut ru, mut rv) = ([0.0f64; 3], [0.0f64; 3]);
    for &i in &idx {
        let (x, y) = (f64::from(from[i][0]), f64::from(from[i][1]));
        let (u, v) = (f64::from(to[i][0]), f64::from(to[i][1]));
        let row = [x, y, 1.0];
        for r in 0..3 {
            for c in 0..3 {
                m[r][c] += row[r] * row[c];
            }
            ru[r] += row[r] * u;
            rv[r] += row[r] * v;
        }
    }
    let a = solve3(m, ru)?;
    let b = solve3(m, rv)?;
    Some([a[0], a[1], a[2], b[0], b[1], b[2]])
}

fn solve3(m: [[f64; 3]; 3], r: [f64; 3]) -> Option<[f64; 3]> {
    let det = |m: [[f64; 3]; 3]| {
        m[0][0] * (m[1][1] * m[2][2] - m[1][2] * m[2][1])
            - m[0][1] * (m[1][0] * m[2][2] - m[1][2] * m[2][0])
            + m[0][2] * (m[1][0] * m[2][1] - m[1][1] * m[2][0])
    };
    let d = det(m);
    if d.abs() < 1e-9 {
        return None;
    }
    let mut out = [0.0; 3];
    for (k, slot) in out.iter_mut().enumerate() {
        let mut mk = m;
        for row in 0..3 {
            mk[row][k] = r[row];
        }
        *slot = det(mk) / d;
    }
    Some(out)
}

fn apply_affine(a: &[f64; 6], [x, y]: [f64; 2]) -> [f64; 2] {
    [a[0] * x + a[1] * y + a[2], a[3] * x + a[4] * y + a[5]]
}

fn apply_homography(h: &[f64; 9], [x, y]: [f64; 2]) -> [f64; 2] {
    let w = h[6] * x + h[7] * y + h[8];
    let w = if w.abs() < 1e-12 { 1e-12 } else { w };
    [
        (h[0] * x + h[1] * y + h[2]) / w,
        (h[3] * x + h[4] * y + h[5]) / w,
    ]
}

/// The homography best taking each pair's first point to its second (least squares on the
/// linearised equations, with `h33` = 1, in coordinates centred and scaled for conditioning).
fn fit_homography(pairs: &[Pair]) -> Option<[f64; 9]> {
    let n = pairs.len() as f64;
    if pairs.len() < 4 {
        return None;
    }
    let centre = |pick: &dyn Fn(&Pair) -> [f64; 2]| {
        let (mut sx, mut sy) = (0.0, 0.0);
        for p in pairs {
            let q = pick(p);
            sx += q[0];
            sy += q[1];
        }
        let (cx, cy) = (sx / n, sy / n);
        let mut spread = 0.0;
        for p in pairs {
            let q = pick(p);
            spread += (q[0] - cx).hypot(q[1] - cy);
        }
        let scale = if spread > 0.0 { n / spread } else { 1.0 };
        (cx, cy, scale)
    };
    let (sx, sy, ss) = centre(&|p| p.0);
    let (tx, ty, ts) = centre(&|p| p.1);
    let mut ata = [[0.0f64; 8]; 8];
    let mut atb = [0.0f64; 8];
    for (s, t) in pairs {
        let (x, y) = ((s[0] - sx) * ss, (s[1] - sy) * ss);
        let (u, v) = ((t[0] - tx) * ts, (t[1] - ty) * ts);
        for (row, rhs) in [
            ([x, y, 1.0, 0.0, 0.0, 0.0, -u * x, -u * y], u),
            ([0.0, 0.0, 0.0, x, y, 1.0, -v * x, -v * y], v),
        ] {
            for i in 0..8 {
                for j in 0..8 {
                    ata[i][j] += row[i] * row[j];
                }
                atb[i] += row[i] * rhs;
            }
        }
    }
    let h = solve(ata, atb)?;
    // Undo the normalisations: H = T_to^-1 * Hn * T_from.
    let hn = [h[0], h[1], h[2], h[3], h[4], h[5], h[6], h[7], 1.0];
    let from = [ss, 0.0, -ss * sx, 0.0, ss, -ss * sy, 0.0, 0.0, 1.0];
    let to_inv = [1.0 / ts, 0.0, tx, 0.0, 1.0 / ts, ty, 0.0, 0.0, 1.0];
    let m = mul(&to_inv, &mul(&hn, &from));
    if m[8].abs() < 1e-12 {
        return None;
    }
    Some(m.map(|v| v / m[8]))
}

fn mul(a: &[f64; 9], b: &[f64; 9]) -> [f64; 9] {
    let mut out = [0.0; 9];
    for r in 0..3 {
        for c in 0..3 {
            out[r * 3 + c] = (0..3).map(|k| a[r * 3 + k] * b[k * 3 + c]).sum();
        }
    }
    out
}

/// Solves the 8 x 8 system by Gaussian elimination with partial pivoting.
fn solve(mut a: [[f64; 8]; 8], mut b: [f64; 8]) -> Option<[f64; 8]> {
    for col in 0..8 {
        let pivot = (col..8).max_by(|&r, &s| a[r][col].abs().total_cmp(&a[s][col].abs()))?;
        if a[pivot][col].abs() < 1e-12 {
            return None;
        }
        a.swap(col, pivot);
        b.swap(col, pivot);
        let pivot_row = a[col];
        for (row, line) in a.iter_mut().enumerate() {
            if row != col {
                let f = line[col] / pivot_row[col];
                for (cell, p) in line.iter_mut().zip(pivot_row.iter()).skip(col) {
                    *cell -= f * p;
                }
                b[row] -= f * b[col];
            }
        }
    }
    let mut x = [0.0; 8];
    for i in 0..8 {
        x[i] = b[i] / a[i][i];
    }
    Some(x)
}

/// The `(2 half + 1)²` grey levels around `(cx, cy)`, or `None` at the image's edge.
fn patch(img: &GrayImage, cx: i64, cy: i64, half: i64) -> Option<Vec<f64>> {
    let (w, h) = (i64::from(img.width()), i64::from(img.height()));
    if cx - half < 0 || cy - half < 0 || cx + half >= w || cy + half >= h {
        return None;
    }
    let mut out = Vec::with_capacity(((2 * half + 1) * (2 * half + 1)) as usize);
    for y in cy - half..=cy + half {
        for x in cx - half..=cx + half {
            out.push(f64::from(img.get_pixel(x as u32, y as u32).0[0]));
        }
    }
    Some(out)
}

fn spread(values: &[f64]) -> f64 {
    let n = values.len() as f64;
    let mean = values.iter().sum::<f64>() / n;
    (values.iter().map(|v| (v - mean).powi(2)).sum::<f64>() / n).sqrt()
}

/// Normalised cross-correlation of two patches of equal size.
fn ncc(a: &[f64], b: &[f64]) -> f64 {
    let n = a.len() as f64;
    let (ma, mb) = (a.iter().sum::<f64>() / n, b.iter().sum::<f64>() / n);
    let (mut num, mut da, mut db) = (0.0, 0.0, 0.0);
    for (x, y) in a.iter().zip(b) {
        num += (x - ma) * (y - mb);
        da += (x - ma).powi(2);
        db += (y - mb).powi(2);
    }
    if da <= 0.0 || db <= 0.0 {
        return 0.0;
    }
    num / (da * db).sqrt()
}

/// The best place for `template` in `img` within `radius` of `around`, with its correlation.
fn best_match(
    img: &GrayImage,
    template: &[f64],
    around: [f64; 2],
    half: i64,
    radius: i64,
) -> Option<([f64; 2], f64)> {
    let (cx, cy) = (around[0].round() as i64, around[1].round() as i64);
    let mut best: Option<([f64; 2], f64)> = None;
    for dy in -radius..=radius {
        for dx in -radius..=radius {
            let Some(candidate) = patch(img, cx + dx, cy + dy, half) else {
                continue;
            };
            let score = ncc(template, &candidate);
            if best.is_none_or(|(_, s)| score > s) {
                best = Some(([(cx + dx) as f64, (cy + dy) as f64], score));
            }
        }
    }
    best
}

#[cfg(test)]
mod tests {
    use super::*;
    use image::Rgb;

    /// A textured card: smooth blobs of varied grey, so patches match in one place only.
    fn card(w: u32, h: u32) -> RgbImage {
        card_at(w, h, 1.0)
    }

    /// The card's texture magnified by `zoom` (a larger photo of the same face).
    fn card_at(w: u32, h: u32, zoom: f64) -> RgbImage {
        RgbImage::from_fn(w, h, |x, y| {
            let (fx, fy) = (f64::from(x) / zoom, f64::from(y) / zoom);
            let v = 128.0
                + 50.0 * (fx / 7.0).sin() * (fy / 11.0).cos()
                + 40.0 * ((fx + 2.0 * fy) / 13.0).sin()
                + 25.0 * ((3.0 * fx - fy) / 5.0).cos();
            let g = v.clamp(0.0, 255.0) as u8;
            Rgb([g, g, g])
        })
    }

    const LANDMARKS: Landmarks = [
        [120.0, 110.0],
        [180.0, 110.0],
        [150.0, 145.0],
        [127.0, 175.0],
        [173.0, 175.0],
    ];

    /// `img` warped by the homography `h` (inverse-mapped, nearest neighbour), and `l` mapped.
    fn warped(img: &RgbImage, h: &[f64; 9], l: &Landmarks) -> (RgbImage, Landmarks) {
        let inv = invert(h);
        let out = RgbImage::from_fn(img.width(), img.height(), |x, y| {
            let [u, v] = apply_homography(&inv, [f64::from(x), f64::from(y)]);
            let (u, v) = (u.round(), v.round());
            if u >= 0.0 && v >= 0.0 && u < f64::from(img.width()) && v < f64::from(img.height()) {
                *img.get_pixel(u as u32, v as u32)
            } else {
                Rgb([0, 0, 0])
            }
        });
        let moved = l.map(|q| {
            let m = apply_homography(h, [f64::from(q[0]), f64::from(q[1])]);
            [m[0] as f32, m[1] as f32]
        });
        (out, moved)
    }

    fn invert(h: &[f64; 9]) -> [f64; 9] {
        let [a, b, c, d, e, f, g, hh, i] = *h;
        let det = a * (e * i - f * hh) - b * (d * i - f * g) + c * (d * hh - e * g);
        [
            (e * i - f * hh) / det,
            (c * hh - b * i) / det,
            (b * f - c * e) / det,
            (f * g - d * i) / det,
            (a * i - c * g) / det,
            (c * d - a * f) / det,
            (d * hh - e * g) / det,
            (b * g - a * hh) / det,
            (a * e - b * d) / det,
        ]
    }

    #[test]
    fn a_flat_card_under_perspective_fits_one_homography() {
        let img = card(300, 280);
        // A tilt: perspective foreshortening about a vertical axis, and a small shift.
        let h = [0.92, 0.02, 14.0, -0.01, 0.97, 6.0, -0.0004, 0.00005, 1.0];
        let (later, moved) = warped(&img, &h, &LANDMARKS);
        let r = texture_residual(&img, &LANDMARKS, &later, &moved).unwrap();
        assert!(r < 0.02, "{r}");
    }

    #[test]
    fn a_large_face_is_matched_at_the_working_scale_with_the_same_verdict() {
        // Three times the size: eyes 180 px apart, scaled to 64 for the matching.
        let img = card_at(900, 840, 3.0);
        let big = LANDMARKS.map(|q| [q[0] * 3.0, q[1] * 3.0]);
        let h = [0.95, 0.01, 30.0, -0.01, 0.98, 12.0, -0.00012, 0.00002, 1.0];
        let (later, moved) = warped(&img, &h, &big);
        let r = texture_residual(&img, &big, &later, &moved).unwrap();
        assert!(r < 0.02, "{r}");
    }

    #[test]
    fn a_surface_that_bulges_does_not() {
        let img = card(300, 280);
        // The middle moves further than the sides: a bump turning sideways.
        let out = RgbImage::from_fn(300, 280, |x, y| {
            let (dx, dy) = (f64::from(x) - 150.0, f64::from(y) - 145.0);
            let bump = 10.0 * (-(dx * dx + dy * dy) / (2.0 * 35.0 * 35.0)).exp();
            let u = (f64::from(x) - bump).round().clamp(0.0, 299.0) as u32;
            *img.get_pixel(u, y)
        });
        let mut moved = LANDMARKS;
        moved[2][0] += 10.0;
        let r = texture_residual(&img, &LANDMARKS, &out, &moved).unwrap();
        assert!(r > 0.025, "{r}");
    }

    #[test]
    fn too_little_texture_or_too_small_a_face_gives_no_measure() {
        let flat = RgbImage::from_pixel(300, 280, Rgb([90, 90, 90]));
        assert!(texture_residual(&flat, &LANDMARKS, &flat, &LANDMARKS).is_none());
        let tiny = LANDMARKS.map(|q| [q[0] / 20.0, q[1] / 20.0]);
        let img = card(300, 280);
        assert!(texture_residual(&img, &tiny, &img, &tiny).is_none());
    }
}
