//! Face-match evaluation over `../shared/data/faces/pairs.jsonl`: false matches and false non-matches
//! at the embedder's shipped threshold, the margin between the closest genuine and impostor pairs,
//! and a DET curve written as PNG and CSV (`face_det.*` for SFace, `face_det_<embedder>.*`
//! otherwise). Skips with a message when the data or the models are absent.
//!
//! ```text
//! cargo run --release --example eval_faces -- [--out target/eval] [--detector yunet|mtcnn]
//!     [--embedder sface|mobilefacenet]
//! ```
//! `--detector mtcnn` finds the faces and their landmarks with MTCNN instead of YuNet;
//! `--embedder mobilefacenet` embeds with MobileFaceNet instead of SFace, held to its own
//! threshold; the DET curve's files then carry the detector's and the embedder's names.

use std::collections::BTreeMap;
use std::path::PathBuf;
use std::time::Instant;

use kyc_core::analysis::ImageData;
use kyc_core::face::detect::{DetectOptions, DetectorKind, largest};
use kyc_core::face::embed::{EmbedderKind, cosine};
use kyc_core::face::pipeline::FacePipeline;
use kyc_core::image::{ImageLimits, decode};
use kyc_examples::{det_curve_png, models_or_skip, read_file, shared_faces_dir};

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let mut out = PathBuf::from("target/eval");
    let mut kind = DetectorKind::default();
    let mut embedder = EmbedderKind::default();
    let mut args = std::env::args().skip(1);
    while let Some(a) = args.next() {
        if a == "--out" {
            out = args.next().ok_or("--out needs a folder")?.into();
        } else if a == "--detector" {
            kind = args
                .next()
                .ok_or("--detector needs yunet or mtcnn")?
                .parse()?;
        } else if a == "--embedder" {
            embedder = args
                .next()
                .ok_or("--embedder needs sface or mobilefacenet")?
                .parse()?;
        }
    }
    let faces = shared_faces_dir();
    let pairs_path = faces.join("pairs.jsonl");
    if !pairs_path.exists() {
        println!("skipped: {} is absent", pairs_path.display());
        return Ok(());
    }
    let Some((source, runtime)) = models_or_skip(2)? else {
        return Ok(());
    };
    let pipeline =
        FacePipeline::load_models(&runtime, &source, kind, DetectOptions::default(), embedder)?;
    println!("detector {}", kind.name());
    println!(
        "embedder {} (threshold {})",
        pipeline.embedder().model_name(),
        pipeline.embedder().match_threshold()
    );

    let mut pairs = Vec::new();
    for line in std::fs::read_to_string(&pairs_path)?.lines() {
        let v: serde_json::Value = serde_json::from_str(line)?;
        let (Some(a), Some(b), Some(same)) =
            (v["a"].as_str(), v["b"].as_str(), v["same"].as_bool())
        else {
            continue;
        };
        pairs.push((a.to_owned(), b.to_owned(), same));
    }
    let mut templates = BTreeMap::new();
    let started = Instant::now();
    let mut detecting = std::time::Duration::ZERO;
    for name in pairs.iter().flat_map(|(a, b, _)| [a, b]) {
        if templates.contains_key(name) {
            continue;
        }
        let bytes = read_file(&faces.join(name))?;
        let image = decode(&ImageData::Encoded(bytes), &ImageLimits::default())?;
        // Detection timed on its own: the detectors are what this evaluation compares.
        let t = Instant::now();
        let faces = pipeline.detect(&image)?;
        detecting += t.elapsed();
        let template = match largest(&faces) {
            Some(face) => Some(pipeline.embed(&image, face)?),
            None => {
                println!("no face: {name}");
                None
            }
        };
        templates.insert(name.clone(), template);
    }
    let elapsed = started.elapsed();
    let found = templates.values().filter(|t| t.is_some()).count();

    let mut genuine = Vec::new();
    let mut impostor = Vec::new();
    let mut unscored = 0;
    for (a, b, same) in &pairs {
        let score = match (templates.get(a), templates.get(b)) {
            (Some(Some(ta)), Some(Some(tb))) => cosine(ta, tb),
            _ => None,
        };
        match (score, same) {
            (Some(s), true) => genuine.push(s),
            (Some(s), false) => impostor.push(s),
            (None, _) => unscored += 1,
        }
    }
    let t = pipeline.embedder().match_threshold() as f32;
    let false_non_match = genuine.iter().filter(|s| **s < t).count();
    let false_match = impostor.iter().filter(|s| **s >= t).count();
    let min_genuine = genuine.iter().copied().fold(f32::INFINITY, f32::min);
    let max_impostor = impostor.iter().copied().fold(f32::NEG_INFINITY, f32::max);
    println!(
        "images {} in {:.2} s ({:.0} ms each, decode+detect+embed)",
        templates.len(),
        elapsed.as_secs_f64(),
        elapsed.as_secs_f64() * 1000.0 / templates.len().max(1) as f64
    );
    println!(
        "detect {:.0} ms per image ({})",
        detecting.as_secs_f64() * 1000.0 / templates.len().max(1) as f64,
        kind.name()
    );
    println!("faces found {found}/{}", templates.len());
    println!(
        "pairs {} (genuine {}, impostor {}, unscored {unscored})",
        pairs.len(),
        genuine.len(),
        impostor.len()
    );
    println!(
        "threshold {t:.3}: false non-matches {false_non_match}/{}, false matches {false_match}/{}",
        genuine.len(),
        impostor.len()
    );
    println!(
        "lowest genuine {min_genuine:.4}, highest impostor {max_impostor:.4}, margin {:.4}",
        min_genuine - max_impostor
    );

    // The gap between the classes, and where the threshold sits in it (0 = at the highest
    // impostor, 1 = at the lowest genuine).
    if min_genuine > max_impostor {
        println!(
            "threshold at {:.2} of the gap from the impostor side",
            (t - max_impostor) / (min_genuine - max_impostor)
        );
    }

    std::fs::create_dir_all(&out)?;
    // face_det for YuNet + SFace; otherwise the names of what differs.
    let mut stem = "face_det".to_owned();
    if kind != DetectorKind::Yunet {
        stem.push_str(&format!("_{}", kind.name()));
    }
    if embedder == EmbedderKind::MobileFaceNet {
        stem.push_str("_mobilefacenet");
    }
    let mut csv = String::from("threshold,fmr,fnmr\n");
    let mut points = Vec::new();
    for i in 0..=200 {
        let th = -0.2 + 1.2 * i as f32 / 200.0;
        let fmr =
            impostor.iter().filter(|s| **s >= th).count() as f32 / impostor.len().max(1) as f32;
        let fnmr = genuine.iter().filter(|s| **s < th).count() as f32 / genuine.len().max(1) as f32;
        csv.push_str(&format!("{th:.3},{fmr:.5},{fnmr:.5}\n"));
        points.push((fmr, fnmr));
    }
    std::fs::write(out.join(format!("{stem}.csv")), csv)?;
    let png = out.join(format!("{stem}.png"));
    det_curve_png(&points, &png)?;
    println!("DET curve: {}", png.display());
    if false_match + false_non_match + unscored > 0 {
        std::process::exit(1);
    }
    Ok(())
}
