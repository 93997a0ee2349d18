//! Face tools over the engine's face pipeline.
//!
//! ```text
//! cargo run --release --example face -- detect <image>
//! ```
//! Needs the models (`python3 scripts/fetch_models.py`) and `KYC_MODEL_DIR` pointing at them.

use std::path::PathBuf;
use std::process::ExitCode;

use kyc_core::ErrorCode;
use kyc_core::analysis::ImageData;
use kyc_core::face::detect::{DetectOptions, YuNet};
use kyc_core::image::{ImageLimits, decode};
use kyc_core::model::{ModelSource, Runtime, RuntimeOptions};
use kyc_examples::{error_json, read_file};

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    match run(&args) {
        Ok(out) => {
            println!("{out}");
            ExitCode::SUCCESS
        }
        Err(e) => {
            println!("{}", error_json(e.as_ref(), &e_message(e.as_ref())));
            ExitCode::from(2)
        }
    }
}

fn e_message(e: &dyn ErrorCode) -> String {
    format!("{}", ErrorMessage(e))
}

struct ErrorMessage<'a>(&'a dyn ErrorCode);
impl std::fmt::Display for ErrorMessage<'_> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.0.code())
    }
}

fn run(args: &[String]) -> Result<serde_json::Value, Box<dyn ErrorCode>> {
    let usage = || -> Box<dyn ErrorCode> { Box::new(Usage("usage: face detect <image>".into())) };
    let (cmd, path) = match args {
        [cmd, path] => (cmd.as_str(), PathBuf::from(path)),
        _ => return Err(usage()),
    };
    let source = ModelSource::from_env()
        .map_err(|e| Box::new(kyc_core::Error::from(e)) as Box<dyn ErrorCode>)?;
    let runtime = Runtime::new(RuntimeOptions::default(), &source)
        .map_err(|e| Box::new(kyc_core::Error::from(e)) as Box<dyn ErrorCode>)?;
    let bytes = read_file(&path).map_err(|m| Box::new(Usage(m)) as Box<dyn ErrorCode>)?;
    let image = decode(&ImageData::Encoded(bytes), &ImageLimits::default())
        .map_err(|e| Box::new(kyc_core::Error::from(e)) as Box<dyn ErrorCode>)?;
    match cmd {
        "detect" => {
            let detector = YuNet::load(&runtime, &source, DetectOptions::default())
                .map_err(|e| Box::new(kyc_core::Error::from(e)) as Box<dyn ErrorCode>)?;
            let faces = detector
                .detect(&image)
                .map_err(|e| Box::new(e) as Box<dyn ErrorCode>)?;
            Ok(
                serde_json::json!({"ok": true, "width": image.width(), "height": image.height(), "faces": faces}),
            )
        }
        "embed" => {
            let detector = YuNet::load(&runtime, &source, DetectOptions::default())
                .map_err(|e| Box::new(kyc_core::Error::from(e)) as Box<dyn ErrorCode>)?;
            let faces = detector
                .detect(&image)
                .map_err(|e| Box::new(e) as Box<dyn ErrorCode>)?;
            let sface = kyc_core::face::embed::SFace::load(&runtime, &source)
                .map_err(|e| Box::new(kyc_core::Error::from(e)) as Box<dyn ErrorCode>)?;
            let face = faces.first().ok_or_else(usage)?;
            let t = sface
                .embed(&image, &face.landmarks)
                .map_err(|e| Box::new(kyc_core::Error::from(e)) as Box<dyn ErrorCode>)?;
            Ok(serde_json::json!({"ok": true, "vector": t.vector}))
        }
        _ => Err(usage()),
    }
}

struct Usage(String);
impl ErrorCode for Usage {
    fn code(&self) -> &'static str {
        "usage"
    }
}
