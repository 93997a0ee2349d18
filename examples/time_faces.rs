//! Times the face pipeline per selfie on one core, for `benches/compare_face.sh`.
//!
//! ```text
//! time_faces [--reps N] [--dump] [--embedder sface|mobilefacenet] <image>...
//! ```
//! Each image is decoded once, outside the timings (the Python side does the same), then timed
//! `N` times (after one warm-up run): detect (letterbox, YuNet, decoding, suppression), align
//! (the 112x112 crop of the largest face), embed (SFace, or the embedder chosen, on that crop), and the whole selfie
//! (`FacePipeline::main_face`: detect, pick the largest face, align, embed). ONNX Runtime runs
//! with one intra-op thread. Prints one JSON object: per image the median of each stage, and the
//! medians over the images. `--dump` prints each image's faces and template instead, to check
//! that a speed change left the outputs alone.

use std::error::Error;
use std::path::Path;
use std::time::Instant;

use kyc_core::analysis::ImageData;
use kyc_core::face::detect::{DetectOptions, largest};
use kyc_core::face::embed::{EmbedderKind, SFace};
use kyc_core::face::geometry::align_arcface;
use kyc_core::face::mobilefacenet::MobileFaceNet;
use kyc_core::face::pipeline::FacePipeline;
use kyc_core::image::{ImageLimits, decode};
use kyc_core::model::{ModelSource, Runtime, RuntimeOptions};
use kyc_examples::read_file;
use serde_json::{Value, json};

/// Embeds one aligned crop with the embedder chosen.
type EmbedCrop = Box<dyn Fn(&image::RgbImage) -> Result<(), Box<dyn Error>>>;

fn median(v: &mut [f64]) -> f64 {
    if v.is_empty() {
        return f64::NAN;
    }
    v.sort_by(f64::total_cmp);
    let n = v.len();
    if n % 2 == 1 {
        v[n / 2]
    } else {
        (v[n / 2 - 1] + v[n / 2]) / 2.0
    }
}

fn ms(t: Instant) -> f64 {
    t.elapsed().as_secs_f64() * 1e3
}

fn main() -> Result<(), Box<dyn Error>> {
    let mut reps = 5usize;
    let mut dump = false;
    let mut embedder = EmbedderKind::SFace;
    let mut paths = Vec::new();
    let mut args = std::env::args().skip(1);
    while let Some(a) = args.next() {
        match a.as_str() {
            "--reps" => reps = args.next().ok_or("--reps needs a number")?.parse()?,
            "--dump" => dump = true,
            "--embedder" => embedder = args.next().ok_or("--embedder needs a name")?.parse()?,
            _ => paths.push(a),
        }
    }
    let source = ModelSource::from_env()?;
    let runtime = Runtime::new(RuntimeOptions::default(), &source)?;
    let pipeline =
        FacePipeline::load_with_embedder(&runtime, &source, DetectOptions::default(), embedder)?;
    // A second handle on the embedder so that embedding can be timed apart from alignment.
    let embed_crop: EmbedCrop = match embedder {
        EmbedderKind::SFace => {
            let sface = SFace::load(&runtime, &source)?;
            Box::new(move |crop| {
                std::hint::black_box(sface.embed_aligned(crop)?);
                Ok(())
            })
        }
        EmbedderKind::MobileFaceNet => {
            let mobile = MobileFaceNet::load(&runtime, &source)?;
            Box::new(move |crop| {
                std::hint::black_box(mobile.embed_aligned(&[crop])?);
                Ok(())
            })
        }
    };
    let limits = ImageLimits::default();

    let mut per_image = Vec::new();
    let (mut det, mut ali, mut emb, mut selfie) = (Vec::new(), Vec::new(), Vec::new(), Vec::new());
    for path in &paths {
        let bytes = read_file(Path::new(path))?;
        let image = decode(&ImageData::Encoded(bytes), &limits)?;
        let faces = pipeline.detect(&image)?;
        let main = largest(&faces).cloned();
        if dump {
            let template = match &main {
                Some(f) => Some(pipeline.embed(&image, f)?.vector),
                None => None,
            };
            println!(
                "{}",
                json!({"image": path, "faces": faces, "template": template})
            );
            continue;
        }
        let (mut d, mut a, mut e, mut s) = (Vec::new(), Vec::new(), Vec::new(), Vec::new());
        for rep in 0..=reps {
            let t = Instant::now();
            let found = pipeline.detect(&image)?;
            let td = ms(t);
            let (mut ta, mut te) = (0.0, 0.0);
            if let Some(face) = largest(&found) {
                let t = Instant::now();
                let crop = align_arcface(&image, &face.landmarks).ok_or("cannot align")?;
                ta = ms(t);
                let t = Instant::now();
                embed_crop(&crop)?;
                te = ms(t);
            }
            let t = Instant::now();
            std::hint::black_box(pipeline.main_face(&image)?);
            let ts = ms(t);
            // The first run warms caches and ONNX Runtime's arenas: not counted.
            if rep > 0 {
                d.push(td);
                a.push(ta);
                e.push(te);
                s.push(ts);
            }
        }
        let row = [
            median(&mut d),
            median(&mut a),
            median(&mut e),
            median(&mut s),
        ];
        per_image.push(json!({
            "image": path,
            "faces": faces.len(),
            "width": image.width(),
            "height": image.height(),
            "detect_ms": row[0], "align_ms": row[1], "embed_ms": row[2], "selfie_ms": row[3],
        }));
        det.push(row[0]);
        selfie.push(row[3]);
        if main.is_some() {
            ali.push(row[1]);
            emb.push(row[2]);
        }
    }
    if dump {
        return Ok(());
    }
    let total: f64 = selfie.iter().sum();
    let summary: Value = json!({
        "impl": "kyc",
        "images": per_image.len(),
        "with_face": emb.len(),
        "reps": reps,
        "detect_ms": median(&mut det),
        "align_ms": median(&mut ali),
        "embed_ms": median(&mut emb),
        "selfie_ms": median(&mut selfie),
        "selfie_total_ms": total,
        "per_image": per_image,
    });
    println!("{summary}");
    Ok(())
}
