//! Geometry of text boxes: connected components of the detector's mask, their minimum-area
//! rectangles, and sampling a rotated rectangle out of an image. Written here (not OpenCV) so the
//! same code runs wherever the engine does, including WebAssembly.

use image::RgbImage;

/// A point in pixels.
pub type Point = [f32; 2];

/// A rotated rectangle: centre, unit direction of its first side `u`, side lengths.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct RotatedRect {
    /// Centre.
    pub center: Point,
    /// Unit vector along the `width` side.
    pub u: Point,
    /// Length along `u`.
    pub width: f32,
    /// Length along the normal of `u`.
    pub height: f32,
}

impl RotatedRect {
    /// The unit normal of `u`, pointing "down" when `u` points right (image coordinates, y down).
    pub fn v(&self) -> Point {
        [-self.u[1], self.u[0]]
    }

    /// Corners: top-left, top-right, bottom-right, bottom-left in the rectangle's own frame.
    pub fn corners(&self) -> [Point; 4] {
        let [cx, cy] = self.center;
        let [ux, uy] = self.u;
        let [vx, vy] = self.v();
        let (hw, hh) = (self.width / 2.0, self.height / 2.0);
        let at = |a: f32, b: f32| [cx + a * ux + b * vx, cy + a * uy + b * vy];
        [at(-hw, -hh), at(hw, -hh), at(hw, hh), at(-hw, hh)]
    }

    /// The shorter side.
    pub fn short_side(&self) -> f32 {
        self.width.min(self.height)
    }

    /// The same rectangle described with `u` along its longer side.
    pub fn long_side_first(self) -> Self {
        if self.width >= self.height {
            self
        } else {
            Self {
                u: [-self.u[1], self.u[0]],
                width: self.height,
                height: self.width,
                ..self
            }
        }
    }

    /// Grown by `d` on every side (the minimum-area rectangle of a rectangle offset by `d` with
    /// round joins, which is what DB's "unclip" amounts to for a rectangle).
    pub fn grown(self, d: f32) -> Self {
        Self {
            width: self.width + 2.0 * d,
            height: self.height + 2.0 * d,
            ..self
        }
    }

    /// Scaled about the origin by `sx`, `sy` (from detector input to source coordinates). Exact
    /// for axis-aligned rectangles, close enough for the small skews of documents.
    pub fn scaled(self, sx: f32, sy: f32) -> Self {
        let dir = [self.u[0] * sx, self.u[1] * sy];
        let len = (dir[0] * dir[0] + dir[1] * dir[1]).sqrt().max(f32::EPSILON);
        let v = self.v();
        let vlen = ((v[0] * sx).powi(2) + (v[1] * sy).powi(2)).sqrt();
        Self {
            center: [self.center[0] * sx, self.center[1] * sy],
            u: [dir[0] / len, dir[1] / len],
            width: self.width * len,
            height: self.height * vlen,
        }
    }

    /// Whether `p` is inside.
    pub fn contains(&self, p: Point) -> bool {
        let d = [p[0] - self.center[0], p[1] - self.center[1]];
        let a = d[0] * self.u[0] + d[1] * self.u[1];
        let v = self.v();
        let b = d[0] * v[0] + d[1] * v[1];
        a.abs() <= self.width / 2.0 && b.abs() <= self.height / 2.0
    }
}

/// The points of one connected component that matter for its hull: the first and last set pixel
/// of each of its rows (pixel corners, so that a one-pixel component has an area).
#[derive(Clone, Debug, Default)]
pub struct Component {
    /// Hull-relevant points.
    pub points: Vec<Point>,
    /// Pixels in the component.
    pub pixels: usize,
}

/// 8-connected components of `mask` (`width` x `height`, row-major), at most `max` of them (the
/// largest kept when there are more), skipping any under `min_pixels`.
pub fn components(
    mask: &[bool],
    width: usize,
    height: usize,
    max: usize,
    min_pixels: usize,
) -> Vec<Component> {
    let n = width.saturating_mul(height).min(mask.len());
    let mut label = vec![u32::MAX; n];
    let mut out: Vec<Component> = Vec::new();
    let mut stack: Vec<usize> = Vec::new();
    // Per component, per row: min and max x; collected in a map keyed by row while filling.
    let mut rows: Vec<(i32, i32)> = vec![(i32::MAX, i32::MIN); height];
    let mut touched: Vec<usize> = Vec::new();
    for start in 0..n {
        if !mask.get(start).copied().unwrap_or(false) || label.get(start) != Some(&u32::MAX) {
            continue;
        }
        let id = out.len() as u32;
        if let Some(l) = label.get_mut(start) {
            *l = id;
        }
        stack.push(start);
        let mut pixels = 0usize;
        while let Some(i) = stack.pop() {
            pixels += 1;
            let (x, y) = ((i % width) as i32, (i / width) as i32);
            if let Some(r) = rows.get_mut(y as usize) {
                if r.0 == i32::MAX {
                    touched.push(y as usize);
                }
                r.0 = r.0.min(x);
                r.1 = r.1.max(x);
            }
            for dy in -1i32..=1 {
                for dx in -1i32..=1 {
                    let (nx, ny) = (x + dx, y + dy);
                    if nx < 0 || ny < 0 || nx >= width as i32 || ny >= height as i32 {
                        continue;
                    }
                    let j = ny as usize * width + nx as usize;
                    if mask.get(j).copied().unwrap_or(false)
                        && let Some(l) = label.get_mut(j)
                        && *l == u32::MAX
                    {
                        *l = id;
                        stack.push(j);
                    }
                }
            }
        }
        let mut points = Vec::with_capacity(touched.len() * 4);
        for &y in &touched {
            if let Some(r) = rows.get_mut(y) {
                let (x0, x1, yf) = (r.0 as f32, r.1 as f32 + 1.0, y as f32);
                points.extend([[x0, yf], [x0, yf + 1.0], [x1, yf], [x1, yf + 1.0]]);
                *r = (i32::MAX, i32::MIN);
            }
        }
        touched.clear();
        out.push(Component { points, pixels });
    }
    out.retain(|c| c.pixels >= min_pixels);
    if out.len() > max {
        out.sort_by_key(|c| std::cmp::Reverse(c.pixels));
        out.truncate(max);
    }
    out
}

fn cross(o: Point, a: Point, b: Point) -> f32 {
    (a[0] - o[0]) * (b[1] - o[1]) - (a[1] - o[1]) * (b[0] - o[0])
}

/// Convex hull (Andrew's monotone chain), counter-clockwise in y-up terms.
pub fn convex_hull(mut points: Vec<Point>) -> Vec<Point> {
    points.sort_by(|a, b| a[0].total_cmp(&b[0]).then(a[1].total_cmp(&b[1])));
    points.dedup();
    if points.len() < 3 {
        return points;
    }
    let mut hull: Vec<Point> = Vec::with_capacity(points.len() * 2);
    for pass in 0..2 {
        let start = hull.len();
        let iter: Box<dyn Iterator<Item = &Point>> = if pass == 0 {
            Box::new(points.iter())
        } else {
            Box::new(points.iter().rev())
        };
        for &p in iter {
            while hull.len() >= start + 2 {
                let (Some(&a), Some(&b)) = (hull.get(hull.len() - 2), hull.last()) else {
                    break;
                };
                if cross(a, b, p) <= 0.0 {
                    hull.pop();
                } else {
                    break;
                }
            }
            hull.push(p);
        }
        hull.pop();
    }
    hull
}

/// The minimum-area rectangle around `points` (rotating over the hull's edges), `u` along its
/// longer side and pointing right (or down for vertical rectangles).
pub fn min_area_rect(points: Vec<Point>) -> Option<RotatedRect> {
    let hull = convex_hull(points);
    let first = *hull.first()?;
    let mut best: Option<(f32, RotatedRect)> = None;
    let n = hull.len();
    for i in 0..n.max(1) {
        let a = *hull.get(i)?;
        let b = *hull.get((i + 1) % n)?;
        let (dx, dy) = (b[0] - a[0], b[1] - a[1]);
        let len = (dx * dx + dy * dy).sqrt();
        let u = if len > f32::EPSILON {
            [dx / len, dy / len]
        } else {
            [1.0, 0.0]
        };
        let v = [-u[1], u[0]];
        let (mut s0, mut s1, mut t0, mut t1) = (f32::MAX, f32::MIN, f32::MAX, f32::MIN);
        for p in &hull {
            let (px, py) = (p[0] - first[0], p[1] - first[1]);
            let s = px * u[0] + py * u[1];
            let t = px * v[0] + py * v[1];
            s0 = s0.min(s);
            s1 = s1.max(s);
            t0 = t0.min(t);
            t1 = t1.max(t);
        }
        let area = (s1 - s0) * (t1 - t0);
        if best.as_ref().is_none_or(|(a, _)| area < *a) {
            let (sc, tc) = ((s0 + s1) / 2.0, (t0 + t1) / 2.0);
            let center = [
                first[0] + sc * u[0] + tc * v[0],
                first[1] + sc * u[1] + tc * v[1],
            ];
            best = Some((
                area,
                RotatedRect {
                    center,
                    u,
                    width: s1 - s0,
                    height: t1 - t0,
                },
            ));
        }
    }
    best.map(|(_, r)| canonical(r.long_side_first()))
}

/// `u` turned to point right (x > 0), or down for a vertical `u`, so equal rectangles compare equal.
fn canonical(r: RotatedRect) -> RotatedRect {
    let flip = r.u[0] < -1e-6 || (r.u[0].abs() <= 1e-6 && r.u[1] < 0.0);
    if flip {
        RotatedRect {
            u: [-r.u[0], -r.u[1]],
            ..r
        }
    } else {
        r
    }
}

/// The mean of `values` (`width` x `height`) over the pixels whose centres fall inside `rect`.
pub fn mean_inside(values: &[f32], width: usize, height: usize, rect: &RotatedRect) -> f32 {
    let corners = rect.corners();
    let (mut x0, mut x1, mut y0, mut y1) = (f32::MAX, f32::MIN, f32::MAX, f32::MIN);
    for c in corners {
        x0 = x0.min(c[0]);
        x1 = x1.max(c[0]);
        y0 = y0.min(c[1]);
        y1 = y1.max(c[1]);
    }
    let clamp = |v: f32, hi: usize| (v.max(0.0) as usize).min(hi.saturating_sub(1));
    let (x0, x1, y0, y1) = (
        clamp(x0.floor(), width),
        clamp(x1.ceil(), width),
        clamp(y0.floor(), height),
        clamp(y1.ceil(), height),
    );
    let (mut sum, mut count) = (0.0f64, 0usize);
    for y in y0..=y1 {
        for x in x0..=x1 {
            if rect.contains([x as f32 + 0.5, y as f32 + 0.5])
                && let Some(v) = values.get(y * width + x)
            {
                sum += f64::from(*v);
                count += 1;
            }
        }
    }
    if count == 0 {
        0.0
    } else {
        (sum / count as f64) as f32
    }
}

/// Samples `rect` out of `image` into an `out_width` x `out_height` image, `u` becoming the x axis
/// and `v` the y axis; each output pixel averages up to 3x3 bilinear samples when shrinking, so
/// that thin strokes survive. Outside the image reads as the nearest edge pixel.
pub fn sample_rect(
    image: &RgbImage,
    rect: &RotatedRect,
    out_width: u32,
    out_height: u32,
) -> RgbImage {
    let (ow, oh) = (out_width.max(1), out_height.max(1));
    let step_u = rect.width / ow as f32;
    let step_v = rect.height / oh as f32;
    let ss = (step_u.max(step_v).ceil() as u32).clamp(1, 3);
    let v = rect.v();
    let origin = [
        rect.center[0] - rect.u[0] * rect.width / 2.0 - v[0] * rect.height / 2.0,
        rect.center[1] - rect.u[1] * rect.width / 2.0 - v[1] * rect.height / 2.0,
    ];
    let mut out = RgbImage::new(ow, oh);
    let inv = 1.0 / (ss * ss) as f32;
    for (x, y, px) in out.enumerate_pixels_mut() {
        let mut acc = [0.0f32; 3];
        for j in 0..ss {
            for i in 0..ss {
                let a = (x as f32 + (i as f32 + 0.5) / ss as f32) * step_u;
                let b = (y as f32 + (j as f32 + 0.5) / ss as f32) * step_v;
                let sx = origin[0] + a * rect.u[0] + b * v[0] - 0.5;
                let sy = origin[1] + a * rect.u[1] + b * v[1] - 0.5;
                let s = bilinear(image, sx, sy);
                for c in 0..3 {
                    acc[c] += s[c];
                }
            }
        }
        px.0 = [
            (acc[0] * inv).round().clamp(0.0, 255.0) as u8,
            (acc[1] * inv).round().clamp(0.0, 255.0) as u8,
            (acc[2] * inv).round().clamp(0.0, 255.0) as u8,
        ];
    }
    out
}

fn bilinear(image: &RgbImage, x: f32, y: f32) -> [f32; 3] {
    let (w, h) = (image.width(), image.height());
    if w == 0 || h == 0 {
        return [0.0; 3];
    }
    let x = x.clamp(0.0, (w - 1) as f32);
    let y = y.clamp(0.0, (h - 1) as f32);
    let (x0, y0) = (x.floor() as u32, y.floor() as u32);
    let (x1, y1) = ((x0 + 1).min(w - 1), (y0 + 1).min(h - 1));
    let (fx, fy) = (x - x0 as f32, y - y0 as f32);
    let p = |xx: u32, yy: u32| image.get_pixel_checked(xx, yy).map_or([0u8; 3], |p| p.0);
    let (a, b, c, d) = (p(x0, y0), p(x1, y0), p(x0, y1), p(x1, y1));
    let mut out = [0.0f32; 3];
    for (k, o) in out.iter_mut().enumerate() {
        let top = f32::from(a[k]) * (1.0 - fx) + f32::from(b[k]) * fx;
        let bottom = f32::from(c[k]) * (1.0 - fx) + f32::from(d[k]) * fx;
        *o = top * (1.0 - fy) + bottom * fy;
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn components_split_and_measure() {
        // Two blobs: a 4x2 bar and a single pixel.
        let (w, h) = (8, 4);
        let mut mask = vec![false; w * h];
        for y in 0..2 {
            for x in 1..5 {
                mask[y * w + x] = true;
            }
        }
        mask[3 * w + 7] = true;
        let comps = components(&mask, w, h, 10, 1);
        assert_eq!(comps.len(), 2);
        assert_eq!(comps[0].pixels, 8);
        let rect = min_area_rect(comps[0].points.clone()).unwrap();
        assert!((rect.width - 4.0).abs() < 1e-4 && (rect.height - 2.0).abs() < 1e-4);
        assert!((rect.center[0] - 3.0).abs() < 1e-4 && (rect.center[1] - 1.0).abs() < 1e-4);
        assert_eq!(components(&mask, w, h, 10, 2).len(), 1);
    }

    #[test]
    fn min_area_rect_follows_a_tilted_bar() {
        // A bar 40 long, 4 thick, tilted by about 0.1 rad.
        let mut pts = Vec::new();
        for i in 0..=40 {
            for j in 0..=4 {
                let (a, b) = (i as f32, j as f32);
                let (c, s) = (0.1f32.cos(), 0.1f32.sin());
                pts.push([10.0 + a * c - b * s, 10.0 + a * s + b * c]);
            }
        }
        let r = min_area_rect(pts).unwrap();
        assert!((r.width - 40.0).abs() < 0.1, "{r:?}");
        assert!((r.height - 4.0).abs() < 0.1);
        assert!((r.u[1] / r.u[0] - 0.1f32.tan()).abs() < 1e-3);
    }

    #[test]
    fn sampling_an_axis_aligned_rect_copies_pixels() {
        let mut img = RgbImage::new(10, 10);
        for (x, y, p) in img.enumerate_pixels_mut() {
            p.0 = [(x * 20) as u8, (y * 20) as u8, 0];
        }
        let rect = RotatedRect {
            center: [5.0, 5.0],
            u: [1.0, 0.0],
            width: 4.0,
            height: 2.0,
        };
        let out = sample_rect(&img, &rect, 4, 2);
        assert_eq!(out.get_pixel(0, 0).0, [60, 80, 0]);
        assert_eq!(out.get_pixel(3, 1).0, [120, 100, 0]);
        // Upside down: u pointing left reads the same pixels in reverse.
        let flipped = RotatedRect {
            u: [-1.0, 0.0],
            ..rect
        };
        let out = sample_rect(&img, &flipped, 4, 2);
        assert_eq!(out.get_pixel(0, 0).0, [120, 100, 0]);
    }
}
