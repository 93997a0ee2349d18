//! Passive-liveness evaluation on a synthetic attack set built from genuine faces: each genuine
//! photo is also shown on a simulated screen (RGB-stripe panel at a random pitch and angle,
//! photographed through a soft lens: moire), printed in colour (CMY halftone at a random cell and
//! screen angles) and copied in grey (black halftone). Prints APCER per attack type and BPCER at
//! the shipped thresholds, and each signal's range per class for calibration.
//!
//! ```text
//! cargo run --release --example eval_liveness -- [--seed 1] [--faces ../shared/data/faces] \
//!     [--detector yunet|mtcnn] [--verbose] \
//!     [--presented ../shared/data/documents/passporteye]
//! ```
//!
//! `--presented <folder>` also judges every photo in the folder as a real attack (for example the
//! specimen documents of `../shared/data/documents/`: a document's portrait held up as a selfie)
//! and prints its APCER for the signals, the model and both.
//!
//! With the optional FaceAntiSpoofing model installed, its score on each face is tallied too: on its
//! own, and combined with the image signals (what the analysers decide). `--detector` picks the
//! detector whose box the crop is made from (the package that ships the model used MTCNN's).
//!
//! The genuine photos are `../shared/data/faces/` (evaluation only, never committed) or, without
//! it, the committed `fixtures/faces/astronaut.png`. The attacks are simulations: real screens and
//! printers vary more, so these figures bound what the signals can do, not what they will do.

use std::path::Path;

use image::{Rgb, RgbImage};
use kyc_core::CheckOutcome;
use kyc_core::analysis::ImageData;
use kyc_core::face::antispoofing::{FaceAntiSpoofing, MAX_SPOOF_SCORE};
use kyc_core::face::detect::{DetectOptions, DetectorKind, largest};
use kyc_core::face::passive::{PassiveLiveness, assess};
use kyc_core::face::pipeline::FacePipeline;
use kyc_core::image::{ImageLimits, decode, fit_within};
use kyc_examples::{SplitMix, jpeg, models_or_skip, photos_in, read_file, shared_faces_dir};

fn sample(img: &RgbImage, x: f64, y: f64) -> [f64; 3] {
    let xi = x.clamp(0.0, f64::from(img.width() - 1)) as u32;
    let yi = y.clamp(0.0, f64::from(img.height() - 1)) as u32;
    img.get_pixel(xi, yi).0.map(f64::from)
}

fn blur(img: &RgbImage, sigma: f32) -> RgbImage {
    image::imageops::blur(img, sigma)
}

/// The photo shown on an RGB-stripe panel and photographed: each panel pixel is three vertical
/// stripes with a dark line under it, `pitch` camera pixels wide, rotated by `angle`. Each camera
/// pixel integrates the light over its own area (4x4 samples), which is what turns the grid into
/// moire when the pitch is close to the camera's.
fn screen(img: &RgbImage, rng: &mut SplitMix) -> RgbImage {
    let pitch = rng.range(1.4, 3.5);
    let angle = rng.range(-4.0, 4.0).to_radians();
    let (s, c) = angle.sin_cos();
    let gain = rng.range(0.9, 1.2);
    let emit = |fx: f64, fy: f64| -> [f64; 3] {
        let (u, v) = ((c * fx - s * fy) / pitch, (s * fx + c * fy) / pitch);
        let src = sample(img, fx, fy);
        let stripe = ((u.fract() + 1.0).fract() * 3.0) as usize;
        let mut q = [0.0; 3];
        if (v.fract() + 1.0).fract() < 0.85 {
            q[stripe.min(2)] = src[stripe.min(2)] * 3.0;
        }
        q
    };
    let out = RgbImage::from_fn(img.width(), img.height(), |x, y| {
        let mut acc = [0.0; 3];
        for j in 0..4 {
            for i in 0..4 {
                let e = emit(
                    f64::from(x) + (f64::from(i) + 0.5) / 4.0,
                    f64::from(y) + (f64::from(j) + 0.5) / 4.0,
                );
                for k in 0..3 {
                    acc[k] += e[k] / 16.0;
                }
            }
        }
        Rgb(acc.map(|v| (v * gain).clamp(0.0, 255.0) as u8))
    });
    blur(&out, rng.range(0.4, 0.9) as f32)
}

/// Halftone value at a point: dots on a square screen of `cell` pixels rotated by `angle`.
fn dot(x: f64, y: f64, cell: f64, angle: f64, coverage: f64) -> bool {
    let (s, c) = angle.sin_cos();
    let (u, v) = ((c * x - s * y) / cell, (s * x + c * y) / cell);
    let (du, dv) = (u.fract().abs() - 0.5, v.fract().abs() - 0.5);
    // A round dot whose area is the ink coverage.
    (du * du + dv * dv).sqrt() < (coverage / std::f64::consts::PI).sqrt()
}

/// A colour print: cyan, magenta and yellow halftone screens at their classic angles on paper.
fn print(img: &RgbImage, rng: &mut SplitMix) -> RgbImage {
    let cell = rng.range(3.0, 6.0);
    let base = rng.range(0.0, 90.0).to_radians();
    let angles = [15.0f64, 75.0, 0.0].map(|a| a.to_radians() + base);
    let paper = [
        rng.range(235.0, 250.0),
        rng.range(232.0, 248.0),
        rng.range(220.0, 240.0),
    ];
    let out = RgbImage::from_fn(img.width(), img.height(), |x, y| {
        let p = img.get_pixel(x, y).0;
        let (fx, fy) = (f64::from(x), f64::from(y));
        let mut q = paper;
        for k in 0..3 {
            let coverage = 1.0 - f64::from(p[k]) / 255.0;
            if dot(fx, fy, cell, angles[k], coverage) {
                q[k] *= 0.15;
            }
        }
        Rgb(q.map(|v| v.clamp(0.0, 255.0) as u8))
    });
    blur(&out, rng.range(0.6, 1.1) as f32)
}

/// A grey copy: one black halftone screen.
fn grey_copy(img: &RgbImage, rng: &mut SplitMix) -> RgbImage {
    let cell = rng.range(3.0, 6.0);
    let angle = rng.range(0.0, 90.0).to_radians();
    let paper = rng.range(225.0, 245.0);
    let out = RgbImage::from_fn(img.width(), img.height(), |x, y| {
        let p = img.get_pixel(x, y).0;
        let grey =
            (f64::from(p[0]) * 0.299 + f64::from(p[1]) * 0.587 + f64::from(p[2]) * 0.114) / 255.0;
        let v = if dot(f64::from(x), f64::from(y), cell, angle, 1.0 - grey) {
            paper * 0.12
        } else {
            paper
        };
        Rgb([v as u8; 3])
    });
    blur(&out, rng.range(0.6, 1.1) as f32)
}

const KINDS: [&str; 4] = ["genuine", "screen", "print", "grey_copy"];

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let mut seed = 1u64;
    let mut detector = DetectorKind::Yunet;
    let mut verbose = false;
    let mut presented: Option<std::path::PathBuf> = None;
    let mut faces_dir = shared_faces_dir();
    let mut args = std::env::args().skip(1);
    while let Some(a) = args.next() {
        match a.as_str() {
            "--seed" => seed = args.next().ok_or("--seed needs a number")?.parse()?,
            "--faces" => faces_dir = args.next().ok_or("--faces needs a folder")?.into(),
            "--verbose" => verbose = true,
            "--presented" => {
                presented = Some(args.next().ok_or("--presented needs a folder")?.into())
            }
            "--detector" => {
                detector = args
                    .next()
                    .ok_or("--detector needs yunet or mtcnn")?
                    .parse()?;
            }
            _ => return Err(format!("unknown argument {a}").into()),
        }
    }
    let Some((source, runtime)) = models_or_skip(1)? else {
        return Ok(());
    };
    let pipeline = FacePipeline::load_with(&runtime, &source, detector, DetectOptions::default())?;
    let model = match FaceAntiSpoofing::load(&runtime, &source) {
        Ok(m) => Some(m),
        Err(e) => {
            println!("FaceAntiSpoofing not loaded ({e}): image signals only");
            None
        }
    };
    let photos = if faces_dir.exists() {
        photos_in(&faces_dir)?
    } else {
        println!(
            "{} is absent: using the committed astronaut only",
            faces_dir.display()
        );
        vec![Path::new(env!("CARGO_MANIFEST_DIR")).join("fixtures/faces/astronaut.png")]
    };
    let mut rng = SplitMix(seed);
    let limits = ImageLimits::default();
    // Per kind: (judged, accepted as live, no face found), and each signal's values (the model's
    // score last, NaN without the model).
    let mut tally = [(0usize, 0usize, 0usize); 4];
    // Per kind: accepted by the model alone, and by the signals and the model together.
    let mut model_tally = [(0usize, 0usize); 4];
    let mut values: Vec<Vec<[f64; 4]>> = vec![Vec::new(); 4];
    for path in &photos {
        let Ok(bytes) = read_file(path) else { continue };
        let Ok(photo) = decode(&ImageData::Encoded(bytes), &limits) else {
            continue;
        };
        // A phone selfie's size: the screen grid and dots are measured at capture resolution.
        let (photo, _) = fit_within(&photo, 1280)?;
        if pipeline.detect(&photo)?.is_empty() {
            continue;
        }
        for (k, kind) in KINDS.iter().enumerate() {
            let attacked = match *kind {
                "genuine" => photo.clone(),
                "screen" => screen(&photo, &mut rng),
                "print" => print(&photo, &mut rng),
                _ => grey_copy(&photo, &mut rng),
            };
            let quality = rng.range(80.0, 95.0) as u8;
            let image = decode(&ImageData::Encoded(jpeg(&attacked, quality)), &limits)?;
            let Judgement::Judged {
                verdict,
                spoof,
                side,
            } = judge(&image, &pipeline, model.as_ref())?
            else {
                tally[k].2 += 1;
                continue;
            };
            tally[k].0 += 1;
            if verdict.live {
                tally[k].1 += 1;
            }
            if spoof <= MAX_SPOOF_SCORE {
                model_tally[k].0 += 1;
                if verdict.live {
                    model_tally[k].1 += 1;
                }
            }
            if verbose {
                let name = path.file_name().unwrap_or_default().to_string_lossy();
                println!(
                    "{kind:<10} {name:<40} side {side:6.0}  live {}  spoof {spoof:.3}",
                    verdict.live
                );
            }
            let signal = |i: usize| verdict.signals[i].score.unwrap_or(f64::NAN);
            values[k].push([signal(0), signal(1), signal(2), spoof]);
        }
    }
    let rate = |k: usize, live: usize, n: usize| {
        let rate = live as f64 / n.max(1) as f64;
        if k == 0 {
            format!("BPCER {:.3}", 1.0 - rate)
        } else {
            format!("APCER {rate:.3}")
        }
    };
    println!(
        "passive liveness, seed {seed}, {} photos, {detector:?} boxes",
        photos.len()
    );
    println!("image signals");
    println!("kind       judged  accepted  no face  rate");
    for (k, kind) in KINDS.iter().enumerate() {
        let (n, live, none) = tally[k];
        println!(
            "{kind:<10} {n:>6} {live:>9} {none:>8}  {}",
            rate(k, live, n)
        );
    }
    if model.is_some() {
        println!("FaceAntiSpoofing at {MAX_SPOOF_SCORE} alone, and with the image signals");
        println!("kind       judged  model  both  rates");
        for (k, kind) in KINDS.iter().enumerate() {
            let n = tally[k].0;
            let (alone, both) = model_tally[k];
            println!(
                "{kind:<10} {n:>6} {alone:>6} {both:>5}  {} / {}",
                rate(k, alone, n),
                rate(k, both, n)
            );
        }
    }
    println!(
        "signal ranges (min / median / max): screen peaks, halftone peaks, colourfulness, spoof score"
    );
    for (k, kind) in KINDS.iter().enumerate() {
        let mut line = format!("{kind:<10}");
        for s in 0..4 {
            let mut v: Vec<f64> = values[k].iter().map(|x| x[s]).collect();
            v.sort_by(f64::total_cmp);
            if let (Some(lo), Some(hi)) = (v.first(), v.last()) {
                line += &format!("  {lo:6.2} / {:6.2} / {hi:6.2}", v[v.len() / 2]);
            }
        }
        println!("{line}");
    }
    if let Some(dir) = presented {
        judge_presented(&dir, &pipeline, model.as_ref(), &limits)?;
    }
    Ok(())
}

/// What the image signals and the model made of an image's largest face.
enum Judgement {
    /// No face found.
    NoFace,
    /// A face too small for the image signals.
    TooSmall,
    /// The signals' verdict, the model's spoof score (NaN without the model) and the face's side.
    Judged {
        verdict: PassiveLiveness,
        spoof: f64,
        side: f32,
    },
}

fn judge(
    image: &RgbImage,
    pipeline: &FacePipeline,
    model: Option<&FaceAntiSpoofing>,
) -> Result<Judgement, Box<dyn std::error::Error>> {
    let faces = pipeline.detect(image)?;
    let Some(face) = largest(&faces) else {
        return Ok(Judgement::NoFace);
    };
    let verdict = assess(image, face, &kyc_core::face::passive::PASSIVE_SIGNALS);
    if verdict.signals[0].outcome == CheckOutcome::Unavailable {
        return Ok(Judgement::TooSmall);
    }
    let spoof = match model {
        Some(m) => m.score(image, &face.bbox)?.score,
        None => f64::NAN,
    };
    Ok(Judgement::Judged {
        verdict,
        spoof,
        side: face.bbox.width.max(face.bbox.height),
    })
}

/// Judges every photo in `dir` as an attack: per photo the signals' and the model's verdicts, then
/// the APCER of each and of both together.
fn judge_presented(
    dir: &Path,
    pipeline: &FacePipeline,
    model: Option<&FaceAntiSpoofing>,
    limits: &ImageLimits,
) -> Result<(), Box<dyn std::error::Error>> {
    let (mut judged, mut by_signals, mut by_model, mut by_both, mut unjudged) = (0, 0, 0, 0, 0);
    println!("presented attacks from {}", dir.display());
    for path in photos_in(dir)? {
        let Ok(bytes) = read_file(&path) else {
            continue;
        };
        let Ok(image) = decode(&ImageData::Encoded(bytes), limits) else {
            continue;
        };
        let name = path.file_name().unwrap_or_default().to_string_lossy();
        let (verdict, spoof) = match judge(&image, pipeline, model)? {
            Judgement::NoFace => {
                println!("  {name:<32} no face");
                unjudged += 1;
                continue;
            }
            Judgement::TooSmall => {
                println!("  {name:<32} face too small for the signals");
                unjudged += 1;
                continue;
            }
            Judgement::Judged { verdict, spoof, .. } => (verdict, spoof),
        };
        let model_live = spoof <= MAX_SPOOF_SCORE;
        judged += 1;
        by_signals += usize::from(verdict.live);
        by_model += usize::from(model_live);
        by_both += usize::from(verdict.live && model_live);
        println!(
            "  {name:<32} signals {}  model {spoof:.3}",
            if verdict.live { "live " } else { "spoof" }
        );
    }
    let rate = |n: usize| n as f64 / judged.max(1) as f64;
    println!(
        "accepted as live of {judged} judged ({unjudged} without a judgeable face): signals \
         {by_signals} (APCER {:.3}), model {by_model} (APCER {:.3}), both {by_both} (APCER {:.3})",
        rate(by_signals),
        rate(by_model),
        rate(by_both)
    );
    Ok(())
}
