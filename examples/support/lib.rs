//! What the runnable examples share: reading inputs from the command line with limits, turning
//! engine errors into the JSON the examples print, the evaluations' seeded randomness and JPEG
//! re-encoding, and their model set-up.

use std::path::{Path, PathBuf};

pub mod aml_gen;

use kyc_core::ErrorCode;

/// `../shared/data/faces` beside the project: the labelled face photos the evaluations read.
pub fn shared_faces_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../shared/data/faces")
}

/// The face folder of an evaluation whose one option is `--faces <folder>`
/// ([`shared_faces_dir`] without it).
pub fn faces_dir_from_args() -> Result<PathBuf, String> {
    let mut faces_dir = shared_faces_dir();
    let mut args = std::env::args().skip(1);
    while let Some(a) = args.next() {
        match a.as_str() {
            "--faces" => faces_dir = args.next().ok_or("--faces needs a folder")?.into(),
            _ => return Err(format!("unknown argument {a}")),
        }
    }
    Ok(faces_dir)
}

/// Whether the evaluation's photo folder is there; says the evaluation skipped when it is not.
pub fn photos_present(dir: &Path) -> bool {
    let present = dir.exists();
    if !present {
        println!(
            "skipped: {} is absent (the evaluation needs its photos)",
            dir.display()
        );
    }
    present
}

/// A small seeded generator (splitmix64) for the evaluations' random parameters: one seed, one set.
pub struct SplitMix(pub u64);

impl SplitMix {
    /// The next value in `[0, 1)`.
    pub fn unit(&mut self) -> f64 {
        self.0 = self.0.wrapping_add(0x9e37_79b9_7f4a_7c15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
        ((z ^ (z >> 31)) >> 11) as f64 / (1u64 << 53) as f64
    }

    /// The next value in `[lo, hi)`.
    pub fn range(&mut self, lo: f64, hi: f64) -> f64 {
        lo + (hi - lo) * self.unit()
    }
}

/// `img` saved as a JPEG at `quality`; empty when encoding fails (the decoder then refuses it).
pub fn jpeg(img: &image::RgbImage, quality: u8) -> Vec<u8> {
    let mut out = Vec::new();
    let mut enc = image::codecs::jpeg::JpegEncoder::new_with_quality(&mut out, quality);
    let _ = enc.encode_image(img);
    out
}

/// The largest file an example reads: 64 MiB.
pub const MAX_FILE_BYTES: u64 = 64 << 20;

/// The JPEG and PNG photos under `dir`, at any depth, sorted by path.
pub fn photos_in(dir: &Path) -> std::io::Result<Vec<PathBuf>> {
    let mut photos = Vec::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(dir) = stack.pop() {
        for entry in std::fs::read_dir(&dir)? {
            let path = entry?.path();
            if path.is_dir() {
                stack.push(path);
            } else if matches!(
                path.extension().and_then(|e| e.to_str()),
                Some("jpg" | "jpeg" | "png")
            ) {
                photos.push(path);
            }
        }
    }
    photos.sort();
    Ok(photos)
}

/// Reads a file, refusing ones over [`MAX_FILE_BYTES`] before reading them.
pub fn read_file(path: &Path) -> Result<Vec<u8>, String> {
    let meta = std::fs::metadata(path).map_err(|e| format!("{}: {e}", path.display()))?;
    if meta.len() > MAX_FILE_BYTES {
        return Err(format!(
            "{}: {} bytes, over the limit of {MAX_FILE_BYTES}",
            path.display(),
            meta.len()
        ));
    }
    std::fs::read(path).map_err(|e| format!("{}: {e}", path.display()))
}

/// `{"ok": false, "error": {"code", "message"}}` for an engine error.
pub fn error_json(err: &dyn ErrorCode, message: &str) -> serde_json::Value {
    serde_json::json!({"ok": false, "error": {"code": err.code(), "message": message}})
}

/// Writes a DET curve (false-match rate against false-non-match rate, both on log axes from 0.1%
/// to 100%) as a PNG. Points at zero are drawn on the axis.
pub fn det_curve_png(points: &[(f32, f32)], path: &Path) -> Result<(), String> {
    const SIZE: u32 = 480;
    const MARGIN: f32 = 40.0;
    let mut img = image::RgbImage::from_pixel(SIZE, SIZE, image::Rgb([255, 255, 255]));
    let span = SIZE as f32 - 2.0 * MARGIN;
    let axis = |rate: f32| -> f32 {
        // log10 from 1e-3 (0) to 1 (span)
        let r = rate.clamp(1e-3, 1.0);
        (r.log10() + 3.0) / 3.0 * span
    };
    let mut plot = |x: f32, y: f32, colour: [u8; 3]| {
        let (px, py) = (MARGIN + x, SIZE as f32 - MARGIN - y);
        if px >= 0.0 && py >= 0.0 && (px as u32) < SIZE && (py as u32) < SIZE {
            img.put_pixel(px as u32, py as u32, image::Rgb(colour));
        }
    };
    for decade in 0..=3 {
        let at = decade as f32 / 3.0 * span;
        for t in 0..=(span as u32) {
            plot(at, t as f32, [220, 220, 220]);
            plot(t as f32, at, [220, 220, 220]);
        }
    }
    for pair in points.windows(2) {
        let [(x0, y0), (x1, y1)] = [pair[0], pair[1]];
        let (ax0, ay0, ax1, ay1) = (axis(x0), axis(y0), axis(x1), axis(y1));
        let steps = ((ax1 - ax0).abs().max((ay1 - ay0).abs()) as u32).max(1);
        for s in 0..=steps {
            let t = s as f32 / steps as f32;
            plot(ax0 + (ax1 - ax0) * t, ay0 + (ay1 - ay0) * t, [200, 30, 30]);
        }
    }
    img.save(path).map_err(|e| e.to_string())
}

/// The analysers the examples run, from the installed models (`KYC_MODEL_DIR`, see
/// scripts/fetch_models.py). Without models every check stays `unavailable`, and the reason is
/// returned so the caller can say so.
pub fn analyzers_from_env() -> (kyc_core::Analyzers, Option<String>) {
    use kyc_core::model::{ModelAnalyzers, ModelSource, RuntimeOptions};

    // The same loading every binding does (kyc_core::model::ModelAnalyzers).
    let loaded = ModelSource::discover(None)
        .map_err(kyc_core::Error::from)
        .and_then(|source| ModelAnalyzers::load(&source, RuntimeOptions::default()));
    match loaded {
        Ok(models) => (models.analyzers, None),
        Err(e) => (
            kyc_core::Analyzers::default(),
            Some(format!("{}: {e}", e.code())),
        ),
    }
}

/// The evaluations' model set-up: the folder named by `KYC_MODEL_DIR` and ONNX Runtime with
/// `intra_threads` threads. `None`, after printing why, when no folder is named: an evaluation
/// then skips rather than fails.
pub fn models_or_skip(
    intra_threads: usize,
) -> Result<
    Option<(kyc_core::model::ModelSource, kyc_core::model::Runtime)>,
    kyc_core::model::ModelError,
> {
    let source = match kyc_core::model::ModelSource::from_env() {
        Ok(source) => source,
        Err(e) => {
            println!("skipped: {e}");
            return Ok(None);
        }
    };
    let options = kyc_core::model::RuntimeOptions {
        intra_threads,
        ..Default::default()
    };
    let runtime = kyc_core::model::Runtime::new(options, &source)?;
    Ok(Some((source, runtime)))
}
