//! Reading committed synthetic documents end to end (PP-OCR + MRZ engine) when the models are
//! installed (`KYC_MODEL_DIR`); typed errors for bad input either way.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]
#![cfg(feature = "onnx")]

use std::path::PathBuf;
use std::sync::Arc;

use kyc_core::analysis::{AnalysisContext, CaptureImage, DocumentAnalyzer, ImageKind};
use kyc_core::document::field;
use kyc_core::document::ocr::det::DetOptions;
use kyc_core::document::ocr::{MrzReader, OcrDocumentAnalyzer};
use kyc_core::image::ImageLimits;
use kyc_core::model::{ModelSource, Runtime, RuntimeOptions};
use kyc_core::scenario::{DocumentStep, DocumentType};
use kyc_core::{CheckOutcome, Scenario};

fn fixture(name: &str) -> Vec<u8> {
    let path = PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("../fixtures/documents")
        .join(name);
    std::fs::read(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

fn analyzer() -> Option<OcrDocumentAnalyzer> {
    let Ok(source) = ModelSource::from_env() else {
        println!("skipped: KYC_MODEL_DIR not set");
        return None;
    };
    let runtime = Runtime::new(RuntimeOptions::default(), &source).unwrap();
    let reader = MrzReader::load(&runtime, &source, DetOptions::default()).unwrap();
    Some(OcrDocumentAnalyzer::new(
        Arc::new(reader),
        ImageLimits::default(),
    ))
}

fn passport_step() -> (Scenario, DocumentStep) {
    let text = std::fs::read_to_string(
        PathBuf::from(env!("CARGO_MANIFEST_DIR"))
            .join("../fixtures/scenarios/passport_selfie.json"),
    )
    .unwrap();
    let scenario = Scenario::from_json(&text).unwrap();
    let step = scenario
        .steps
        .iter()
        .find_map(|s| match s {
            kyc_core::scenario::Step::Document(d) => Some(d.clone()),
            _ => None,
        })
        .unwrap();
    (scenario, step)
}

#[test]
fn reads_the_synthetic_passport_and_the_rotated_id_card() {
    let Some(analyzer) = analyzer() else {
        return;
    };
    let (scenario, step) = passport_step();
    let ctx = AnalysisContext {
        scenario: &scenario,
        session_id: "test",
        today: jiff::civil::date(2026, 1, 1),
        document_portrait: None,
        document: None,
    };
    let images = [CaptureImage::encoded(
        ImageKind::DocumentFront,
        fixture("0000_passport_genuine_clean.jpg"),
    )];
    let a = analyzer.analyze(&step, &images, &ctx).unwrap();
    let doc = a.document.expect("a document");
    assert_eq!(doc.document_type, Some(DocumentType::Passport));
    assert_eq!(doc.issuing_state.as_deref(), Some("SWE"));
    let get = |n: &str| doc.field(n).map(|f| (f.value.clone(), f.confidence));
    assert_eq!(get(field::DOCUMENT_NUMBER), Some(("EF9669144".into(), 1.0)));
    assert_eq!(get(field::BIRTH_DATE), Some(("1956-11-10".into(), 1.0)));
    assert_eq!(get(field::EXPIRY_DATE), Some(("2034-07-13".into(), 1.0)));
    assert_eq!(doc.field(field::SURNAME).unwrap().value, "SOEDERBERG");
    assert_eq!(doc.field(field::GIVEN_NAMES).unwrap().value, "MAERTA");
    assert_eq!(doc.field(field::SEX).unwrap().value, "F");
    let mrz = a.checks.iter().find(|c| c.check == "document.mrz").unwrap();
    assert_eq!(mrz.outcome, CheckOutcome::Passed);
    assert_eq!(mrz.score, Some(1.0));
    // Quality and anti-fraud evidence from the pixels, one item per check: a clean genuine scan
    // passes them all (the full-frame outline of a passport-shaped image).
    for id in [
        "document.fully_visible",
        "document.glare_blur.blur",
        "document.glare_blur.glare",
        "document.glare_blur.mrz_resolution",
        "document.screen_photo",
        "document.printout.halftone",
        "document.editing.metadata",
    ] {
        let items: Vec<_> = a.checks.iter().filter(|c| c.check == id).collect();
        assert_eq!(items.len(), 1, "{id}: {:#?}", a.checks);
        assert_eq!(items[0].outcome, CheckOutcome::Passed, "{:?}", items[0]);
    }

    // The back of an ID card photographed upside down: the MRZ is read along the other direction.
    let images = [CaptureImage::encoded(
        ImageKind::DocumentBack,
        fixture("0003_id_card_back_genuine_photo_r180.jpg"),
    )];
    let a = analyzer.analyze(&step, &images, &ctx).unwrap();
    let doc = a.document.expect("a document");
    assert_eq!(doc.document_type, Some(DocumentType::IdCard));
    assert_eq!(
        doc.field(field::DOCUMENT_NUMBER).unwrap().value,
        "059RJ4PHH"
    );
}

#[test]
fn a_front_without_mrz_fails_the_mrz_check_and_bad_bytes_are_typed_errors() {
    let Some(analyzer) = analyzer() else {
        return;
    };
    let (scenario, step) = passport_step();
    let ctx = AnalysisContext {
        scenario: &scenario,
        session_id: "test",
        today: jiff::civil::date(2026, 1, 1),
        document_portrait: None,
        document: None,
    };
    let front = [CaptureImage::encoded(
        ImageKind::DocumentFront,
        fixture("0001_id_card_front_genuine_clean.jpg"),
    )];
    let a = analyzer.analyze(&step, &front, &ctx).unwrap();
    assert!(a.document.is_none());
    let mrz = a.checks.iter().find(|c| c.check == "document.mrz").unwrap();
    assert_eq!(mrz.outcome, CheckOutcome::Failed);
    assert_eq!(mrz.reason_code, "document.mrz.not_found");

    let mut truncated = fixture("0000_passport_genuine_clean.jpg");
    // Cut inside the JPEG headers: the decoder cannot recover (a cut in the scan data decodes, padded).
    truncated.truncate(100);
    for (bytes, code) in [
        (truncated, "image.decode"),
        (Vec::new(), "image.empty"),
        (b"not an image at all".to_vec(), "image.unsupported_format"),
    ] {
        let images = [CaptureImage::encoded(ImageKind::DocumentFront, bytes)];
        let err = analyzer.analyze(&step, &images, &ctx).unwrap_err();
        assert_eq!(err.code(), code, "{err}");
    }
}
