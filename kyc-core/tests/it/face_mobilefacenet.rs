//! MobileFaceNet, the alternative embedder, on real images with the converted model
//! (`models/converted/MobileFaceNet.onnx`, copied into `KYC_MODEL_DIR` by scripts/fetch_models.py).
//! Each test says it skipped when the models are not installed.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use std::sync::{Arc, OnceLock};

use kyc_core::CheckOutcome;
use kyc_core::analysis::ImageData;
use kyc_core::face::detect::DetectOptions;
use kyc_core::face::embed::{EmbedderKind, cosine};
use kyc_core::face::matcher::{
    FACE_MATCH_THRESHOLD, MOBILEFACENET_MATCH_THRESHOLD, compare_calibrated,
};
use kyc_core::face::mobilefacenet::{DIM, MAX_BATCH, MOBILEFACENET, MobileFaceNet};
use kyc_core::face::pipeline::FacePipeline;
use kyc_core::image::{ImageLimits, decode};

use crate::common::models as installed;

fn pipeline() -> Option<Arc<FacePipeline>> {
    static PIPELINE: OnceLock<Option<Arc<FacePipeline>>> = OnceLock::new();
    PIPELINE
        .get_or_init(|| {
            let (runtime, source) = installed()?;
            Some(Arc::new(
                FacePipeline::load_with_embedder(
                    &runtime,
                    &source,
                    DetectOptions::default(),
                    EmbedderKind::MobileFaceNet,
                )
                .unwrap(),
            ))
        })
        .clone()
}

use crate::common::astronaut;

#[test]
fn mobilefacenet_matches_the_tflite_source_on_the_golden_crop() {
    let Some((runtime, source)) = installed() else {
        return;
    };
    let model = MobileFaceNet::load(&runtime, &source).unwrap();
    let ([crop, mirrored], golden) =
        crate::common::golden_embeddings("mobilefacenet_astronaut.json");
    // One run with two different crops: each batch slot must give its own face's embedding.
    let templates = model.embed_aligned(&[&crop, &mirrored]).unwrap();
    assert_eq!(templates.len(), 2);
    for (template, expected) in templates.iter().zip(&golden) {
        assert_eq!(template.model, MOBILEFACENET);
        assert_eq!(template.vector.len(), DIM);
        let worst = crate::common::largest_difference(&template.vector, expected);
        // ONNX Runtime against the TFLite interpreter, on unit vectors: 4e-7 was measured.
        assert!(worst < 1e-4, "largest difference from TFLite {worst}");
    }
    // A lone crop runs alone (the batch is freed at load): the same template as in the pair.
    let alone = model.embed_aligned(&[&mirrored]).unwrap();
    assert_eq!(alone.len(), 1);
    assert!(cosine(&alone[0], &templates[1]).unwrap() > 0.99999);
    // More crops than one run takes: every template in order.
    let many: Vec<&image::RgbImage> = (0..MAX_BATCH + 1)
        .map(|i| if i % 2 == 0 { &crop } else { &mirrored })
        .collect();
    let all = model.embed_aligned(&many).unwrap();
    assert_eq!(all.len(), MAX_BATCH + 1);
    for (i, t) in all.iter().enumerate() {
        assert!(cosine(t, &templates[i % 2]).unwrap() > 0.99999, "crop {i}");
    }
    // A crop of the wrong size is a typed error, not a panic.
    let err = model
        .embed_aligned(&[&image::RgbImage::new(100, 112)])
        .unwrap_err();
    assert_eq!(err.code(), "model.inference");
}

#[test]
fn mobilefacenet_matches_the_same_face_flipped_and_rescaled() {
    let Some(p) = pipeline() else { return };
    assert_eq!(p.embedder().model_name(), MOBILEFACENET);
    assert_eq!(
        p.embedder().match_threshold(),
        MOBILEFACENET_MATCH_THRESHOLD
    );
    let img = astronaut();
    let reference = p.main_face(&img).unwrap().unwrap().template;
    assert_eq!(reference.vector.len(), DIM);
    let (w, h) = img.dimensions();
    let variants = [
        ("same photo", img.clone()),
        ("mirrored", image::imageops::flip_horizontal(&img)),
        (
            "scaled 0.85",
            image::imageops::resize(
                &img,
                w * 85 / 100,
                h * 85 / 100,
                image::imageops::FilterType::Triangle,
            ),
        ),
        (
            "scaled 1.2",
            image::imageops::resize(
                &img,
                w * 6 / 5,
                h * 6 / 5,
                image::imageops::FilterType::CatmullRom,
            ),
        ),
    ];
    for (name, variant) in variants {
        let template = p.main_face(&variant).unwrap().unwrap().template;
        let m = compare_calibrated(&reference, &template).unwrap();
        eprintln!("{name}: {:.4}", m.score);
        assert_eq!(m.threshold, MOBILEFACENET_MATCH_THRESHOLD);
        assert_eq!(m.outcome, CheckOutcome::Passed, "{name}: {}", m.score);
        assert!(m.score > 0.8, "{name}: {}", m.score);
    }
    // Two faces in one run give the templates one at a time gives.
    let face = p.detect(&img).unwrap().remove(0);
    let mirrored = image::imageops::flip_horizontal(&img);
    let face_m = p.detect(&mirrored).unwrap().remove(0);
    let pair = p
        .embed_many(&[(&img, &face), (&mirrored, &face_m)])
        .unwrap();
    assert!(cosine(&pair[0], &reference).unwrap() > 0.99999);
    assert!(cosine(&pair[1], &p.embed(&mirrored, &face_m).unwrap()).unwrap() > 0.99999);
}

#[test]
fn mobilefacenet_keeps_two_different_people_apart() {
    let Some(p) = pipeline() else { return };
    // The repository holds one real face (fixtures/README.md); the other person is a shared
    // evaluation photo, read at run time and never committed.
    let others =
        crate::common::workspace().join("../shared/data/faces/deepface/tests/unit/dataset");
    let reference = p.main_face(&astronaut()).unwrap().unwrap().template;
    let mut compared = 0;
    for name in ["img1.jpg", "img17.jpg", "img30.jpg"] {
        let Ok(bytes) = std::fs::read(others.join(name)) else {
            continue;
        };
        let image = decode(&ImageData::Encoded(bytes), &ImageLimits::default()).unwrap();
        let Some(other) = p.main_face(&image).unwrap() else {
            continue;
        };
        let m = compare_calibrated(&reference, &other.template).unwrap();
        eprintln!("astronaut vs {name}: {:.4}", m.score);
        assert_eq!(m.outcome, CheckOutcome::Failed, "{name}: {}", m.score);
        compared += 1;
    }
    if compared == 0 {
        crate::common::skip(&format!("{} is absent", others.display()));
    }
}

#[test]
fn mobilefacenet_and_sface_templates_never_compare() {
    let Some(p) = pipeline() else { return };
    let (runtime, source) = installed().unwrap();
    let sface = FacePipeline::load(&runtime, &source, DetectOptions::default()).unwrap();
    assert_eq!(sface.embedder().match_threshold(), FACE_MATCH_THRESHOLD);
    let img = astronaut();
    let a = p.main_face(&img).unwrap().unwrap().template;
    let b = sface.main_face(&img).unwrap().unwrap().template;
    assert_ne!(a.model, b.model);
    assert_eq!(cosine(&a, &b), None);
    assert!(compare_calibrated(&a, &b).is_none());
    assert!(compare_calibrated(&b, &a).is_none());
    // Even a vector of the other's size under the other's name is refused by the model name.
    let forged = kyc_core::face::FaceTemplate {
        model: b.model.clone(),
        vector: a.vector.clone(),
    };
    assert!(compare_calibrated(&forged, &b).is_none());
}

#[test]
fn the_engine_holds_mobilefacenet_matches_to_its_own_threshold() {
    let Some(p) = pipeline() else { return };
    let (engine, scenario) = crate::common::face_engine(p);
    let photo = std::fs::read(crate::common::fixture("faces/astronaut.png")).unwrap();
    let (_, selfie, _) = crate::common::submit_document_and_selfie(&engine, &scenario, &photo);
    let m = selfie
        .checks
        .iter()
        .find(|c| c.check == "selfie.face_match")
        .unwrap();
    assert_eq!(m.outcome, CheckOutcome::Passed, "{m:?}");
    assert_eq!(m.threshold, Some(MOBILEFACENET_MATCH_THRESHOLD));
}
