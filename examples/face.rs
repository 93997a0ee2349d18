//! Face tools over the engine's face pipeline; each prints one JSON object.
//!
//! ```text
//! cargo run --release --example face -- detect <image>      # faces: box, score, landmarks
//! cargo run --release --example face -- --detector mtcnn detect <image>   # MTCNN instead of YuNet
//! cargo run --release --example face -- match <a> <b>       # similarity, threshold, match
//! cargo run --release --example face -- match <a> <b> --embedder mobilefacenet  # not SFace
//! cargo run --release --example face -- liveness <image>    # score, threshold, live, signals
//! cargo run --release --example face -- liveness <image> --spoof-model  # + FaceAntiSpoofing
//! ```
//! Needs the models (`python3 scripts/fetch_models.py`) and `KYC_MODEL_DIR` pointing at them.
//! Exit code 0 with `"ok": true`, 2 with `"ok": false` and an error code.

use std::path::Path;
use std::process::ExitCode;

use kyc_core::Error;
use kyc_core::analysis::ImageData;
use kyc_core::check::CheckOutcome;
use kyc_core::face::antispoofing::FaceAntiSpoofing;
use kyc_core::face::detect::{DetectOptions, DetectorKind, largest};
use kyc_core::face::embed::EmbedderKind;
use kyc_core::face::matcher::compare_calibrated;
use kyc_core::face::pipeline::FacePipeline;
use kyc_core::image::{ImageLimits, decode};
use kyc_core::model::{ModelSource, Runtime, RuntimeOptions};
use kyc_examples::read_file;
use serde_json::{Value, json};

const USAGE: &str = "usage: face [--detector yunet|mtcnn] [--embedder sface|mobilefacenet] [--spoof-model] \
     detect <image> | match <a> <b> | liveness <image>";

enum Failure {
    Usage(String),
    Engine(Error),
}

impl<E: Into<Error>> From<E> for Failure {
    fn from(e: E) -> Self {
        Self::Engine(e.into())
    }
}

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let (out, code) = match run(&args) {
        Ok(v) => (v, ExitCode::SUCCESS),
        Err(Failure::Usage(m)) => (
            json!({"ok": false, "error": {"code": "usage", "message": m}}),
            ExitCode::from(2),
        ),
        Err(Failure::Engine(e)) => (
            json!({"ok": false, "error": {"code": e.code(), "message": e.to_string()}}),
            ExitCode::from(2),
        ),
    };
    println!("{out}");
    code
}

fn load_image(path: &str) -> Result<image::RgbImage, Failure> {
    let bytes = read_file(Path::new(path)).map_err(Failure::Usage)?;
    Ok(decode(&ImageData::Encoded(bytes), &ImageLimits::default())?)
}

fn run(args: &[String]) -> Result<Value, Failure> {
    // `--detector <kind>` and `--embedder <kind>` anywhere; YuNet and SFace when absent.
    let mut kind = DetectorKind::default();
    let mut embedder = EmbedderKind::default();
    let mut spoof_model = false;
    let mut rest = Vec::new();
    let mut it = args.iter();
    while let Some(a) = it.next() {
        if a == "--detector" {
            let name = it
                .next()
                .ok_or_else(|| Failure::Usage("--detector needs yunet or mtcnn".into()))?;
            kind = name.parse().map_err(Failure::Usage)?;
        } else if a == "--spoof-model" {
            spoof_model = true;
        } else if a == "--embedder" {
            let name = it
                .next()
                .ok_or_else(|| Failure::Usage("--embedder needs sface or mobilefacenet".into()))?;
            embedder = name.parse().map_err(Failure::Usage)?;
        } else {
            rest.push(a.clone());
        }
    }
    let args = rest.as_slice();
    let source = ModelSource::from_env()?;
    let runtime = Runtime::new(RuntimeOptions::default(), &source)?;
    let pipeline =
        FacePipeline::load_models(&runtime, &source, kind, DetectOptions::default(), embedder)?;
    match args {
        [cmd, path] if cmd == "detect" => {
            let image = load_image(path)?;
            let faces = pipeline.detect(&image)?;
            Ok(json!({
                "ok": true,
                "detector": pipeline.detector().name(),
                "width": image.width(),
                "height": image.height(),
                "faces": faces,
            }))
        }
        [cmd, a, b] if cmd == "match" => {
            let mut templates = Vec::new();
            for path in [a, b] {
                let face = pipeline.main_face(&load_image(path)?)?.ok_or_else(|| {
                    Failure::Engine(Error::Analysis {
                        code: "face.no_face",
                        message: format!("no face found in {path}"),
                    })
                })?;
                templates.push(face.template);
            }
            let m = match templates.as_slice() {
                [ta, tb] => compare_calibrated(ta, tb),
                _ => None,
            }
            .ok_or_else(|| Failure::Usage("templates cannot be compared".into()))?;
            Ok(json!({
                "ok": true,
                "similarity": m.score,
                "threshold": m.threshold,
                "match": m.outcome == CheckOutcome::Passed,
                "model": m.model,
            }))
        }
        [cmd, path] if cmd == "liveness" => {
            let image = load_image(path)?;
            let faces = pipeline.detect(&image)?;
            let face = largest(&faces).ok_or_else(|| {
                Failure::Engine(Error::Analysis {
                    code: "face.no_face",
                    message: format!("no face found in {path}"),
                })
            })?;
            let mut verdict = kyc_core::face::passive::assess(
                &image,
                face,
                &kyc_core::face::passive::PASSIVE_SIGNALS,
            );
            if spoof_model {
                let model = FaceAntiSpoofing::load(&runtime, &source)?;
                let spoof = model.score(&image, &face.bbox)?;
                verdict.add_signal(
                    spoof.check(kyc_core::face::passive::PASSIVE_SIGNALS.model),
                    spoof.ratio(),
                );
            }
            Ok(json!({
                "ok": true,
                "score": verdict.score,
                "threshold": verdict.threshold,
                "live": verdict.live,
                "signals": verdict.signals,
            }))
        }
        _ => Err(Failure::Usage(USAGE.into())),
    }
}
