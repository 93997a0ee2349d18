//! How close a selfie's face may come to the document portrait's before it is the portrait itself
//! (`selfie.portrait_copy`): the similarity of genuine pairs (two photographs of one person) against
//! the similarity of a document's portrait presented as the selfie.
//!
//! ```text
//! cargo run --release --example eval_portrait_copy -- [--faces ../shared/data/faces]
//!     [--documents <folder>]... [--verbose]
//! ```
//!
//! Genuine pairs: the same-person pairs of `pairs.jsonl` and every pair of photos of one identity
//! in `manifest.csv`, each set by its source (`deepface`, `face_recognition`); byte-identical files
//! are one photograph and are skipped. Attacks, per document image (default: `fixtures/documents`
//! and `../shared/data/documents`), against the portrait the engine takes from that image
//! (`FacePipeline::main_face`):
//! - `page`: the document photo itself submitted as the selfie;
//! - `close-up`: the portrait photographed from close by (its box with a margin, scaled so the face
//!   spans about 260 px, re-saved as JPEG at 85);
//! - `recaptured`: the close-up through a camera (turned up to 4 degrees, blurred, noise, a
//!   brightness and contrast change, JPEG at 70 to 85), seeded.
//!
//! It prints the distribution of each and how many of each a bound accepts.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use image::RgbImage;
use kyc_core::analysis::ImageData;
use kyc_core::document::ocr::geometry::{RotatedRect, sample_rect};
use kyc_core::face::FaceTemplate;
use kyc_core::face::detect::{DetectOptions, DetectorKind};
use kyc_core::face::embed::{EmbedderKind, cosine};
use kyc_core::face::matcher::portrait_copy_bound;
use kyc_core::face::pipeline::FacePipeline;
use kyc_core::image::{ImageLimits, decode};
use kyc_examples::{SplitMix, jpeg, models_or_skip, photos_in, read_file, shared_faces_dir};

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let mut faces = shared_faces_dir();
    let mut documents: Vec<PathBuf> = Vec::new();
    let mut verbose = false;
    let mut embedder = EmbedderKind::default();
    let mut args = std::env::args().skip(1);
    while let Some(a) = args.next() {
        match a.as_str() {
            "--faces" => faces = args.next().ok_or("--faces needs a folder")?.into(),
            "--documents" => {
                documents.push(args.next().ok_or("--documents needs a folder")?.into())
            }
            "--verbose" => verbose = true,
            "--embedder" => {
                embedder = args
                    .next()
                    .ok_or("--embedder needs sface or mobilefacenet")?
                    .parse()?
            }
            _ => return Err(format!("unknown argument {a}").into()),
        }
    }
    if documents.is_empty() {
        let root = Path::new(env!("CARGO_MANIFEST_DIR"));
        documents.push(root.join("fixtures/documents"));
        documents.push(root.join("../shared/data/documents"));
    }
    let Some((source, runtime)) = models_or_skip(1)? else {
        return Ok(());
    };
    let pipeline = FacePipeline::load_models(
        &runtime,
        &source,
        DetectorKind::Yunet,
        DetectOptions::default(),
        embedder,
    )?;
    let limits = ImageLimits::default();
    let model = pipeline.embedder().model_name();
    let bound = portrait_copy_bound(model).ok_or("no portrait-copy bound for this embedder")?;
    println!("embedder {model}, bound {bound}");

    if faces.join("pairs.jsonl").exists() {
        let by_source = genuine_pairs(&faces, &pipeline, &limits, verbose)?;
        println!("pairs of one person's photos, cosine similarity:");
        for ((set, copy), mut scores) in by_source {
            if copy {
                report(&format!("copies {set}"), &mut scores, bound, true);
            } else {
                report(&format!("genuine {set}"), &mut scores, bound, false);
            }
        }
    } else {
        println!("{} is absent: no genuine pairs", faces.display());
    }
    let mut rng = SplitMix(7);
    for dir in documents.iter().filter(|d| d.exists()) {
        let mut kinds: BTreeMap<&str, Vec<f32>> = BTreeMap::new();
        let mut no_portrait = 0;
        for path in photos_in(dir)? {
            let Ok(image) = decode(&ImageData::Encoded(read_file(&path)?), &limits) else {
                continue;
            };
            let Some(portrait) = pipeline.main_face(&image)? else {
                no_portrait += 1;
                continue;
            };
            let b = portrait.face.bbox;
            let attacks = [
                ("page", image.clone()),
                (
                    "close-up",
                    close_up(&image, [b.x, b.y, b.width, b.height], None),
                ),
                (
                    "recaptured",
                    close_up(&image, [b.x, b.y, b.width, b.height], Some(&mut rng)),
                ),
            ];
            for (kind, selfie) in attacks {
                let selfie = match kind {
                    "page" => selfie,
                    _ => {
                        let q = if kind == "close-up" {
                            85
                        } else {
                            rng.range(70.0, 86.0) as u8
                        };
                        decode(&ImageData::Encoded(jpeg(&selfie, q)), &limits)?
                    }
                };
                let score = match pipeline.main_face(&selfie)? {
                    Some(s) => cosine(&s.template, &portrait.template),
                    None => None,
                };
                if verbose {
                    println!(
                        "  {:<44} {kind:<10} {}",
                        path.file_name().unwrap_or_default().to_string_lossy(),
                        score.map_or("no face".into(), |s| format!("{s:.3}"))
                    );
                }
                if let Some(s) = score {
                    kinds.entry(kind).or_default().push(s);
                }
            }
        }
        println!(
            "attacks from {} ({no_portrait} images without a portrait):",
            dir.display()
        );
        for (kind, mut scores) in kinds {
            report(&format!("attack {kind}"), &mut scores, bound, true);
        }
    }
    Ok(())
}

/// Prints a set's spread and how many of it the bound lets through as a new photograph.
fn report(name: &str, scores: &mut [f32], bound: f64, attack: bool) {
    scores.sort_by(f32::total_cmp);
    let n = scores.len();
    if n == 0 {
        println!("  {name:<28} none");
        return;
    }
    let q = |p: f64| scores[((n - 1) as f64 * p).round() as usize];
    let accepted = scores.iter().filter(|&&s| f64::from(s) < bound).count();
    let rate = if attack {
        format!("APCER {:.3}", accepted as f64 / n as f64)
    } else {
        format!("BPCER {:.3}", (n - accepted) as f64 / n as f64)
    };
    println!(
        "  {name:<28} n {n:3}  min {:.3}  median {:.3}  p95 {:.3}  max {:.3}  under {bound}: {accepted} ({rate})",
        scores[0],
        q(0.5),
        q(0.95),
        scores[n - 1]
    );
}

/// Files of `face_recognition` that are one photograph (the official portrait, resized, cropped or
/// with part of the face cut off), told apart by eye: a pair of two of them is a copy, not two
/// photographs. `examples/obama.jpg`, `tests/test_images/obama.jpg` and
/// `knn_examples/train/obama/obama.jpg` are also byte-identical.
const ONE_PHOTOGRAPH: &[&str] = &[
    "face_recognition/examples/obama.jpg",
    "face_recognition/tests/test_images/obama.jpg",
    "face_recognition/examples/knn_examples/train/obama/obama.jpg",
    "face_recognition/examples/obama-240p.jpg",
    "face_recognition/examples/obama-480p.jpg",
    "face_recognition/examples/obama-720p.jpg",
    "face_recognition/examples/obama-1080p.jpg",
    "face_recognition/examples/obama_small.jpg",
    "face_recognition/tests/test_images/obama_partial_face.jpg",
    "face_recognition/tests/test_images/obama_partial_face2.jpg",
];

/// Same-person pairs by (source, whether both are one photograph), each pair's similarity
/// (byte-identical files skipped).
type PairScores = BTreeMap<(String, bool), Vec<f32>>;

fn genuine_pairs(
    faces: &Path,
    pipeline: &FacePipeline,
    limits: &ImageLimits,
    verbose: bool,
) -> Result<PairScores, Box<dyn std::error::Error>> {
    let mut pairs: Vec<(String, String)> = Vec::new();
    for line in std::fs::read_to_string(faces.join("pairs.jsonl"))?.lines() {
        let v: serde_json::Value = serde_json::from_str(line)?;
        if v["same"].as_bool() == Some(true) {
            let (Some(a), Some(b)) = (v["a"].as_str(), v["b"].as_str()) else {
                continue;
            };
            pairs.push((a.to_owned(), b.to_owned()));
        }
    }
    let mut identities: BTreeMap<String, Vec<String>> = BTreeMap::new();
    if let Ok(manifest) = std::fs::read_to_string(faces.join("manifest.csv")) {
        for row in manifest.lines().skip(1) {
            let cols: Vec<&str> = row.split(',').collect();
            if let (Some(path), Some(id)) = (cols.get(2), cols.get(5))
                && !id.is_empty()
            {
                identities
                    .entry((*id).to_owned())
                    .or_default()
                    .push((*path).to_owned());
            }
        }
    }
    for photos in identities.values() {
        for (i, a) in photos.iter().enumerate() {
            for b in &photos[i + 1..] {
                pairs.push((a.clone(), b.clone()));
            }
        }
    }
    pairs.sort();
    pairs.dedup();
    let mut templates: BTreeMap<String, Option<(Vec<u8>, FaceTemplate)>> = BTreeMap::new();
    let mut by_source = PairScores::new();
    for (a, b) in pairs {
        for p in [&a, &b] {
            if !templates.contains_key(p) {
                let got = match read_file(&faces.join(p)) {
                    Ok(bytes) => match decode(&ImageData::Encoded(bytes.clone()), limits) {
                        Ok(img) => pipeline.main_face(&img)?.map(|f| (bytes, f.template)),
                        Err(_) => None,
                    },
                    Err(_) => None,
                };
                templates.insert(p.clone(), got);
            }
        }
        let (Some(Some((bytes_a, ta))), Some(Some((bytes_b, tb)))) =
            (templates.get(&a), templates.get(&b))
        else {
            continue;
        };
        if bytes_a == bytes_b {
            continue;
        }
        let Some(s) = cosine(ta, tb) else {
            continue;
        };
        if verbose {
            println!("  {s:.3}  {a}  {b}");
        }
        let set = a.split('/').next().unwrap_or("").to_owned();
        let copy = ONE_PHOTOGRAPH.contains(&a.as_str()) && ONE_PHOTOGRAPH.contains(&b.as_str());
        by_source.entry((set, copy)).or_default().push(s);
    }
    Ok(by_source)
}

/// The portrait's box (x, y, w, h) with a margin, scaled so the face spans about 260 px; through
/// a simulated camera when `camera` is given.
fn close_up(image: &RgbImage, b: [f32; 4], camera: Option<&mut SplitMix>) -> RgbImage {
    let [x, y, w, h] = b;
    let side = w.max(h) * 2.2;
    let out_side = (side * 260.0 / w.max(1.0)).round().clamp(16.0, 2048.0) as u32;
    let (angle, blur, noise, gain, offset) = match camera {
        Some(rng) => (
            rng.range(-4.0, 4.0).to_radians(),
            rng.range(0.6, 1.6) as f32,
            rng.range(2.0, 6.0),
            rng.range(0.8, 1.15),
            rng.range(-15.0, 15.0),
        ),
        None => (0.0, 0.0, 0.0, 1.0, 0.0),
    };
    // The camera's frame: a square round the portrait, turned by `angle`, sampled at the output
    // size (the OCR's own rotated-crop sampler).
    let (sin, cos) = (angle.sin() as f32, angle.cos() as f32);
    let frame = RotatedRect {
        center: [x + w / 2.0, y + h / 2.0],
        u: [cos, sin],
        width: side,
        height: side,
    };
    let mut out = sample_rect(image, &frame, out_side, out_side);
    let mut noise_rng = SplitMix(u64::from(out_side));
    for px in out.pixels_mut() {
        for c in &mut px.0 {
            let n = if noise > 0.0 {
                (noise_rng.unit() + noise_rng.unit() + noise_rng.unit() - 1.5) * 2.0 * noise
            } else {
                0.0
            };
            *c = (f64::from(*c) * gain + offset + n).clamp(0.0, 255.0) as u8;
        }
    }
    if blur > 0.0 {
        image::imageops::blur(&out, blur)
    } else {
        out
    }
}
