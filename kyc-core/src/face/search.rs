//! Where to look again when one pass of the detector over the whole photo finds too few faces:
//! overlapping tiles, each fitted to the detector's input on its own, so a small face in a large
//! photo is seen at a higher resolution; and the photo turned by quarter turns, for photos taken
//! sideways or upside down without an orientation tag.
//!
//! Pure geometry: the tiles, and the mapping of faces found in a tile or a turned photo back to the
//! photo's own coordinates. The detector passes themselves are in `pipeline.rs`.

use super::detect::Face;
use super::geometry::BoundingBox;

/// A rectangle of the photo searched on its own.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Tile {
    /// Left edge in the photo.
    pub x: u32,
    /// Top edge in the photo.
    pub y: u32,
    /// Width.
    pub width: u32,
    /// Height.
    pub height: u32,
}

/// At most this many tiles per photo: the search costs one detector pass per tile.
pub const MAX_TILES: usize = 9;

/// Square tiles of half the photo's longer side (never smaller than the detector's input),
/// overlapping by a quarter of a tile at least, covering the photo. Each tile is searched at twice
/// the whole photo's resolution; a face smaller than a quarter of a tile is wholly inside one of
/// them. Empty when the photo already fits the input at twice its scale or better, where tiling
/// would show nothing new.
pub fn tiles(width: u32, height: u32, input_side: u32) -> Vec<Tile> {
    let longer = width.max(height);
    if longer < 2 * input_side {
        return Vec::new();
    }
    let side = (longer / 2).max(input_side);
    let step = side - side / 4;
    let starts = |extent: u32| -> Vec<u32> {
        if extent <= side {
            return vec![0];
        }
        let mut at: Vec<u32> = (0..)
            .map(|i| i * step)
            .take_while(|s| s + side < extent)
            .collect();
        at.push(extent - side);
        at
    };
    let (xs, ys) = (starts(width), starts(height));
    let mut out = Vec::with_capacity(xs.len() * ys.len());
    for &y in &ys {
        for &x in &xs {
            out.push(Tile {
                x,
                y,
                width: side.min(width - x),
                height: side.min(height - y),
            });
        }
    }
    out.truncate(MAX_TILES);
    out
}

/// Moves faces found in `tile` to the photo's coordinates, dropping any that touch an edge of the
/// tile inside the photo: such a face is cut off, its box and landmarks wrong, and the tile beside
/// it (or the whole-photo pass) sees it whole.
pub fn from_tile(faces: Vec<Face>, tile: &Tile, photo_width: u32, photo_height: u32) -> Vec<Face> {
    const MARGIN: f32 = 2.0;
    let (tx, ty) = (tile.x as f32, tile.y as f32);
    let (tw, th) = (tile.width as f32, tile.height as f32);
    faces
        .into_iter()
        .filter(|f| {
            let b = &f.bbox;
            let cut_left = tile.x > 0 && b.x < MARGIN;
            let cut_top = tile.y > 0 && b.y < MARGIN;
            let cut_right = tile.x + tile.width < photo_width && b.x + b.width > tw - MARGIN;
            let cut_bottom = tile.y + tile.height < photo_height && b.y + b.height > th - MARGIN;
            !(cut_left || cut_top || cut_right || cut_bottom)
        })
        .map(|mut f| {
            f.bbox.x += tx;
            f.bbox.y += ty;
            for l in &mut f.landmarks {
                l[0] += tx;
                l[1] += ty;
            }
            f
        })
        .collect()
}

/// A turn of the photo, clockwise.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Turn {
    /// 90 degrees.
    Quarter,
    /// 180 degrees.
    Half,
    /// 270 degrees.
    ThreeQuarters,
}

impl Turn {
    /// The turns tried, most likely first: phones held sideways, then upside down.
    pub const ALL: [Turn; 3] = [Turn::Quarter, Turn::ThreeQuarters, Turn::Half];

    /// The photo turned.
    pub fn apply(self, image: &image::RgbImage) -> image::RgbImage {
        match self {
            Turn::Quarter => image::imageops::rotate90(image),
            Turn::Half => image::imageops::rotate180(image),
            Turn::ThreeQuarters => image::imageops::rotate270(image),
        }
    }

    /// A point of the turned photo in the photo before the turn (`width` x `height`).
    fn undo(self, [x, y]: [f32; 2], width: u32, height: u32) -> [f32; 2] {
        let (w, h) = (width as f32, height as f32);
        match self {
            // Turned clockwise, the photo's (x, y) went to (h - y, x).
            Turn::Quarter => [y, h - x],
            Turn::Half => [w - x, h - y],
            // Turned counter-clockwise, (x, y) went to (y, w - x).
            Turn::ThreeQuarters => [w - y, x],
        }
    }

    /// Moves faces found in the turned photo back to the photo before the turn. Landmarks map
    /// exactly (alignment only needs them); the box becomes the upright box around the turned one.
    pub fn undo_faces(self, faces: Vec<Face>, width: u32, height: u32) -> Vec<Face> {
        faces
            .into_iter()
            .map(|mut f| {
                let b = f.bbox;
                let corners = [[b.x, b.y], [b.x + b.width, b.y + b.height]]
                    .map(|p| self.undo(p, width, height));
                let (x0, x1) = (
                    corners[0][0].min(corners[1][0]),
                    corners[0][0].max(corners[1][0]),
                );
                let (y0, y1) = (
                    corners[0][1].min(corners[1][1]),
                    corners[0][1].max(corners[1][1]),
                );
                f.bbox = BoundingBox {
                    x: x0,
                    y: y0,
                    width: x1 - x0,
                    height: y1 - y0,
                };
                f.landmarks = f.landmarks.map(|p| self.undo(p, width, height));
                f
            })
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use image::{Rgb, RgbImage};

    use super::*;

    #[test]
    fn small_photos_are_not_tiled() {
        assert!(tiles(1279, 900, 640).is_empty());
        assert!(tiles(640, 480, 640).is_empty());
    }

    #[test]
    fn tiles_cover_the_photo_with_overlap_and_stay_inside_it() {
        for (w, h) in [
            (1280, 960),
            (1920, 1080),
            (4000, 3000),
            (1280, 5000),
            (3000, 1300),
        ] {
            let ts = tiles(w, h, 640);
            assert!(!ts.is_empty() && ts.len() <= MAX_TILES, "{w}x{h}: {ts:?}");
            for t in &ts {
                assert!(t.x + t.width <= w && t.y + t.height <= h, "{w}x{h}: {t:?}");
                assert!(t.width.max(t.height) >= 640);
            }
            // Every pixel on a coarse grid is inside a tile.
            for y in (0..h).step_by(37) {
                for x in (0..w).step_by(41) {
                    assert!(
                        ts.iter().any(|t| x >= t.x
                            && x < t.x + t.width
                            && y >= t.y
                            && y < t.y + t.height),
                        "{w}x{h}: ({x}, {y}) uncovered by {ts:?}"
                    );
                }
            }
        }
    }

    fn face_at(x: f32, y: f32, side: f32) -> Face {
        Face {
            bbox: BoundingBox {
                x,
                y,
                width: side,
                height: side,
            },
            landmarks: [[x + 1.0, y + 2.0]; 5],
            score: 0.95,
        }
    }

    #[test]
    fn faces_cut_by_an_inner_tile_edge_are_dropped_and_the_rest_moved() {
        let tile = Tile {
            x: 100,
            y: 0,
            width: 500,
            height: 400,
        };
        let kept = from_tile(
            vec![
                face_at(0.5, 50.0, 30.0),   // cut at the tile's left, inside the photo
                face_at(200.0, 0.5, 30.0),  // at the photo's own top edge: whole
                face_at(480.0, 50.0, 30.0), // cut at the tile's right
                face_at(50.0, 60.0, 30.0),
            ],
            &tile,
            1000,
            400,
        );
        let xs: Vec<f32> = kept.iter().map(|f| f.bbox.x).collect();
        assert_eq!(xs, [300.0, 150.0]);
        assert_eq!(kept[1].landmarks[0], [151.0, 62.0]);
    }

    #[test]
    fn turned_faces_map_back_onto_the_same_pixels() {
        // A marked pixel, found in each turned copy, lands on itself when mapped back.
        let (w, h) = (7u32, 5u32);
        let mut photo = RgbImage::new(w, h);
        photo.put_pixel(5, 1, Rgb([255, 0, 0]));
        for turn in Turn::ALL {
            let turned = turn.apply(&photo);
            let (tx, ty) = turned
                .enumerate_pixels()
                .find(|(_, _, p)| p.0[0] == 255)
                .map(|(x, y, _)| (x, y))
                .unwrap();
            // Pixel centres: the mapping is between continuous coordinates.
            let mut face = face_at(tx as f32, ty as f32, 1.0);
            face.landmarks = [[tx as f32 + 0.5, ty as f32 + 0.5]; 5];
            let back = turn.undo_faces(vec![face], w, h);
            assert_eq!(back[0].landmarks[0], [5.5, 1.5], "{turn:?}");
            let b = back[0].bbox;
            assert_eq!(
                (b.x, b.y, b.width, b.height),
                (5.0, 1.0, 1.0, 1.0),
                "{turn:?}"
            );
        }
    }
}
