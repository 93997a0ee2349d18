//! Calibration and evaluation of the selfie quality checks (`kyc_core::face::selfie_quality`) on
//! genuine photos and on degraded copies of them: blurred (Gaussian, sigma a tenth of the eye
//! distance), dark (a quarter of the light), over-exposed (two and a half times the light) and
//! side-lit (light falling from 100% to 10% across the face). For each kind it prints how many
//! copies each check rejects, and each measure's range, so a threshold can be read off.
//!
//! ```text
//! cargo run --release --example eval_selfie_quality -- [--faces ../shared/data/faces]
//! ```
//!
//! The genuine photos are `../shared/data/faces/` (evaluation only, never committed) or, without
//! it, the committed `fixtures/faces/astronaut.png`. Head pose cannot be simulated on a flat photo:
//! its row shows how the genuine photos spread.

use std::path::Path;

use image::{Rgb, RgbImage};
use kyc_core::CheckOutcome;
use kyc_core::analysis::ImageData;
use kyc_core::face::detect::{DetectOptions, Face, largest};
use kyc_core::face::pipeline::FacePipeline;
use kyc_core::face::selfie_quality::{FaceQuality, checks, measure};
use kyc_core::image::{ImageLimits, decode, fit_within};
use kyc_examples::{faces_dir_from_args, models_or_skip, photos_in, read_file};

const KINDS: [&str; 5] = ["genuine", "blurred", "dark", "overexposed", "side_lit"];

const CHECKS: [&str; 6] = [
    "selfie.quality.pose_yaw",
    "selfie.quality.pose_pitch",
    "selfie.quality.sharpness",
    "selfie.quality.brightness",
    "selfie.quality.overexposure",
    "selfie.quality.lighting_balance",
];

fn scale_light(img: &RgbImage, gain: impl Fn(u32) -> f32) -> RgbImage {
    RgbImage::from_fn(img.width(), img.height(), |x, y| {
        let g = gain(x);
        Rgb(img
            .get_pixel(x, y)
            .0
            .map(|v| (f32::from(v) * g).round().clamp(0.0, 255.0) as u8))
    })
}

fn degrade(photo: &RgbImage, face: &Face, kind: &str) -> RgbImage {
    let eyes = face.landmarks[1][0] - face.landmarks[0][0];
    let (left, width) = (face.bbox.x, face.bbox.width.max(1.0));
    match kind {
        "blurred" => image::imageops::blur(photo, (0.1 * eyes.abs()).max(1.0)),
        "dark" => scale_light(photo, |_| 0.25),
        "overexposed" => scale_light(photo, |_| 2.5),
        "side_lit" => scale_light(photo, |x| {
            let t = ((x as f32 - left) / width).clamp(0.0, 1.0);
            1.0 - 0.9 * t
        }),
        _ => photo.clone(),
    }
}

fn measures(q: &FaceQuality) -> [f64; 6] {
    let (yaw, pitch) = q
        .pose
        .map_or((f64::NAN, f64::NAN), |p| (p.yaw.abs(), p.pitch));
    [
        yaw,
        pitch,
        q.sharpness,
        q.brightness,
        q.blown_share,
        q.balance,
    ]
}

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let faces_dir = faces_dir_from_args()?;
    let Some((source, runtime)) = models_or_skip(1)? else {
        return Ok(());
    };
    let pipeline = FacePipeline::load(&runtime, &source, DetectOptions::default())?;
    let photos = if faces_dir.exists() {
        photos_in(&faces_dir)?
    } else {
        println!(
            "{} is absent: using the committed astronaut only",
            faces_dir.display()
        );
        vec![Path::new(env!("CARGO_MANIFEST_DIR")).join("fixtures/faces/astronaut.png")]
    };
    let limits = ImageLimits::default();
    // Per kind: images judged, rejections per check, and the measures.
    let mut judged = [0usize; 5];
    let mut rejected = [[0usize; 6]; 5];
    let mut values: Vec<Vec<[f64; 6]>> = vec![Vec::new(); 5];
    for path in &photos {
        let Ok(bytes) = read_file(path) else { continue };
        let Ok(photo) = decode(&ImageData::Encoded(bytes), &limits) else {
            continue;
        };
        let (photo, _) = fit_within(&photo, 1280)?;
        let Some(face) = largest(&pipeline.detect(&photo)?).cloned() else {
            continue;
        };
        for (k, kind) in KINDS.iter().enumerate() {
            let copy = degrade(&photo, &face, kind);
            // The degraded copy is measured where the genuine face was found: a detector that
            // loses a dark or blurred face is a separate failure (face count), not this one's.
            let Some(q) = measure(&copy, &face) else {
                continue;
            };
            judged[k] += 1;
            let results = checks(&q);
            for (c, id) in CHECKS.iter().enumerate() {
                if results
                    .iter()
                    .any(|r| r.check == *id && r.outcome == CheckOutcome::Failed)
                {
                    rejected[k][c] += 1;
                }
            }
            values[k].push(measures(&q));
        }
    }
    println!("selfie quality, {} photos", photos.len());
    println!("rejected per check (yaw, pitch, sharpness, brightness, overexposure, balance)");
    for (k, kind) in KINDS.iter().enumerate() {
        let cells: Vec<String> = rejected[k].iter().map(|r| format!("{r:>4}")).collect();
        println!("{kind:<12} of {:>4}: {}", judged[k], cells.join(" "));
    }
    println!("measure ranges (p5 / median / p95)");
    let names = [
        "yaw",
        "pitch",
        "sharpness",
        "brightness",
        "blown",
        "balance",
    ];
    for (m, name) in names.iter().enumerate() {
        println!("  {name}");
        for (k, kind) in KINDS.iter().enumerate() {
            let mut v: Vec<f64> = values[k]
                .iter()
                .map(|x| x[m])
                .filter(|x| x.is_finite())
                .collect();
            v.sort_by(f64::total_cmp);
            if v.is_empty() {
                continue;
            }
            let at = |p: f64| v[((v.len() - 1) as f64 * p).round() as usize];
            println!(
                "    {kind:<12} {:9.3} / {:9.3} / {:9.3}",
                at(0.05),
                at(0.5),
                at(0.95)
            );
        }
    }
    Ok(())
}
