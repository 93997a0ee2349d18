//! A portrait painted on a head-shaped surface (or a curved print, or a flat one) and turned: the
//! stand-in for head movements and for a new photograph of the fixture's one real face. Shared by
//! `#[path]` between the integration tests (`tests/it/common.rs`) and `examples/gen_selfie.rs`,
//! which made `fixtures/faces/holder_selfie.png` with it.

/// The shape a portrait is rendered on by [`rendered_turn`].
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum Surface {
    /// A head: an ellipsoid 2.3 eye distances wide, 3 high and as deep as wide, with a nose
    /// standing 0.45 eye distances out of it (a Gaussian ridge along the nose, 0.18 eye distances
    /// wide, running up towards the eyes): roughly an adult's proportions.
    Head,
    /// A print curved round a cylinder as wide as the head: depth, but no nose of its own.
    CurvedPrint,
    /// A flat photo or screen.
    Flat,
}

/// `image` painted on `surface` (placed by `face`'s landmarks), turned by `yaw` degrees about a
/// vertical axis and tipped by `pitch` degrees about a horizontal one through the face's centre,
/// seen from far away (orthographic), and re-encoded as PNG with `noise` added to each pixel (a
/// camera frame is never the same twice). A stand-in for recorded head movements: no
/// licence-clean recording exists. Each source pixel is splatted at twice the resolution, the
/// nearest surface kept, and the gaps filled from a neighbour.
pub fn rendered_turn(
    image: &image::RgbImage,
    face: &kyc_core::face::detect::Face,
    surface: Surface,
    yaw: f32,
    pitch: f32,
    noise: u64,
) -> Vec<u8> {
    let [l, r, nose, ml, mr] = face.landmarks;
    let eye = ((r[0] - l[0]).powi(2) + (r[1] - l[1]).powi(2)).sqrt();
    let centre = [
        (l[0] + r[0] + ml[0] + mr[0]) / 4.0,
        (l[1] + r[1] + ml[1] + mr[1]) / 4.0,
    ];
    let (a, b) = (1.15 * eye, 1.5 * eye);
    let depth = |x: f32, y: f32| -> f32 {
        let (dx, dy) = (x - centre[0], y - centre[1]);
        match surface {
            Surface::Flat => 0.0,
            Surface::CurvedPrint => {
                let q = 1.0 - (dx / a).powi(2);
                if q > 0.0 && (dy / b).abs() < 1.0 {
                    a * q.sqrt()
                } else {
                    0.0
                }
            }
            Surface::Head => {
                let q = 1.0 - (dx / a).powi(2) - (dy / b).powi(2);
                let head = if q > 0.0 { a * q.sqrt() } else { 0.0 };
                // The nose: a ridge from the tip up to between the eyes.
                let (nx, ny) = (x - nose[0], y - nose[1]);
                let along = if ny < 0.0 {
                    (ny / (0.55 * eye)).powi(2)
                } else {
                    (ny / (0.15 * eye)).powi(2)
                };
                let ridge = 0.45 * eye * (-(nx / (0.18 * eye)).powi(2) / 2.0 - along / 2.0).exp();
                head + ridge
            }
        }
    };
    let (sy, cy) = yaw.to_radians().sin_cos();
    let (sp, cp) = pitch.to_radians().sin_cos();
    let (w, h) = (image.width(), image.height());
    let mut out = image::RgbImage::new(w, h);
    let mut zbuf = vec![f32::NEG_INFINITY; (w * h) as usize];
    let mut x = 0.0f32;
    while x < w as f32 {
        let mut y = 0.0f32;
        while y < h as f32 {
            let z = depth(x, y);
            let (dx, dy) = (x - centre[0], y - centre[1]);
            // Yaw about the vertical axis, then pitch about the horizontal one.
            let (x1, z1) = (dx * cy + z * sy, -dx * sy + z * cy);
            let (y2, z2) = (dy * cp - z1 * sp, dy * sp + z1 * cp);
            let (u, v) = ((centre[0] + x1).round(), (centre[1] + y2).round());
            if u >= 0.0 && v >= 0.0 && u < w as f32 && v < h as f32 {
                let i = (v as u32 * w + u as u32) as usize;
                if z2 > zbuf[i] {
                    zbuf[i] = z2;
                    let src = image.get_pixel((x as u32).min(w - 1), (y as u32).min(h - 1));
                    out.put_pixel(u as u32, v as u32, *src);
                }
            }
            y += 0.5;
        }
        x += 0.5;
    }
    // Gaps (where the surface turned away) from the nearest filled neighbour on the row.
    for v in 0..h {
        let mut last: Option<image::Rgb<u8>> = None;
        for u in 0..w {
            let i = (v * w + u) as usize;
            if zbuf[i].is_finite() {
                last = Some(*out.get_pixel(u, v));
            } else if let Some(p) = last {
                out.put_pixel(u, v, p);
            }
        }
    }
    // A camera's noise: a small, deterministic perturbation per frame.
    let mut state = noise.wrapping_mul(0x9e37_79b9_7f4a_7c15) | 1;
    for p in out.pixels_mut() {
        state ^= state << 13;
        state ^= state >> 7;
        state ^= state << 17;
        let d = (state % 3) as i16 - 1;
        for c in &mut p.0 {
            *c = (i16::from(*c) + d).clamp(0, 255) as u8;
        }
    }
    let mut png = Vec::new();
    out.write_to(&mut std::io::Cursor::new(&mut png), image::ImageFormat::Png)
        .unwrap();
    png
}
