//! The whole document pipeline (decode, PP-OCR detection and recognition, MRZ repair, visual-zone
//! cross-check, evidence) on one 1250x880 synthetic passport JPEG, one intra-op thread; and the same
//! with the visual zone switched off. Needs KYC_MODEL_DIR (and
//! ORT_DYLIB_PATH); without them it prints "skipped".

use std::hint::black_box;
use std::path::PathBuf;
use std::sync::Arc;
use std::time::Duration;

use criterion::{Criterion, criterion_group, criterion_main};
use kyc_core::Scenario;
use kyc_core::analysis::{AnalysisContext, CaptureImage, DocumentAnalyzer, ImageData, ImageKind};
use kyc_core::document::ocr::det::DetOptions;
use kyc_core::document::ocr::{MrzReader, OcrDocumentAnalyzer};
use kyc_core::image::{ImageLimits, decode};
use kyc_core::model::{ModelSource, Runtime, RuntimeOptions};
use kyc_core::scenario::Step;

fn bench(c: &mut Criterion) {
    let root = PathBuf::from(env!("CARGO_MANIFEST_DIR"));
    let loaded = (|| -> Result<_, String> {
        let source = ModelSource::from_env().map_err(|e| e.to_string())?;
        let runtime =
            Runtime::new(RuntimeOptions::default(), &source).map_err(|e| e.to_string())?;
        let reader =
            MrzReader::load(&runtime, &source, DetOptions::default()).map_err(|e| e.to_string())?;
        let bytes = std::fs::read(root.join("fixtures/documents/0000_passport_genuine_clean.jpg"))
            .map_err(|e| e.to_string())?;
        let text = std::fs::read_to_string(root.join("fixtures/scenarios/passport_selfie.json"))
            .map_err(|e| e.to_string())?;
        let scenario = Scenario::from_json(&text).map_err(|e| e.to_string())?;
        Ok((Arc::new(reader), bytes, scenario))
    })();
    let (reader, bytes, scenario) = match loaded {
        Ok(l) => l,
        Err(e) => {
            println!("skipped: {e}");
            return;
        }
    };
    let Some(step) = scenario.steps.iter().find_map(|s| match s {
        Step::Document(d) => Some(d.clone()),
        _ => None,
    }) else {
        println!("skipped: the scenario has no document step");
        return;
    };
    let analyzer = OcrDocumentAnalyzer::new(reader.clone(), ImageLimits::default());
    let ctx = AnalysisContext {
        scenario: &scenario,
        session_id: "bench",
        today: jiff::civil::date(2026, 1, 1),
        document_portrait: None,
        document: None,
        deadline: &kyc_core::capture::NO_DEADLINE,
    };
    let images = [CaptureImage::encoded(
        ImageKind::DocumentFront,
        bytes.clone(),
    )];
    let mut g = c.benchmark_group("document");
    g.sample_size(10).measurement_time(Duration::from_secs(20));
    // The scenario's step as it is (the visual zone read and cross-checked with the MRZ when
    // `visual_mrz_match` is on, the default), and with that switch off: the MRZ-only pipeline.
    g.bench_function("analyze_passport_1250x880_jpeg", |b| {
        b.iter(|| black_box(analyzer.analyze(&step, &images, &ctx)))
    });
    let mut mrz_only = step.clone();
    mrz_only.checks.visual_mrz_match = false;
    g.bench_function("analyze_passport_1250x880_jpeg_mrz_only", |b| {
        b.iter(|| black_box(analyzer.analyze(&mrz_only, &images, &ctx)))
    });
    let limits = ImageLimits::default();
    let data = ImageData::Encoded(bytes);
    g.bench_function("decode_only", |b| {
        b.iter(|| black_box(decode(&data, &limits)))
    });
    if let Ok(img) = decode(&data, &limits) {
        g.bench_function("detect_only", |b| b.iter(|| black_box(reader.detect(&img))));
    }
    g.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
