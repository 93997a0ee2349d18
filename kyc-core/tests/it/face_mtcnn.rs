//! MTCNN, the alternative face detector, against YuNet on the committed fixtures with the real
//! models. Runs when the models are installed (`KYC_MODEL_DIR`); otherwise says it skipped.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use std::sync::{Arc, OnceLock};

use kyc_core::face::detect::{DetectOptions, DetectorKind, Face};
use kyc_core::face::embed::cosine;
use kyc_core::face::mtcnn::{Mtcnn, MtcnnOptions};
use kyc_core::face::pipeline::FacePipeline;

/// The YuNet and the MTCNN pipelines, loaded once.
fn pipelines() -> Option<Arc<(FacePipeline, FacePipeline)>> {
    static PIPELINES: OnceLock<Option<Arc<(FacePipeline, FacePipeline)>>> = OnceLock::new();
    PIPELINES
        .get_or_init(|| {
            let (runtime, source) = crate::common::models()?;
            let load = |kind| {
                FacePipeline::load_with(&runtime, &source, kind, DetectOptions::default()).unwrap()
            };
            Some(Arc::new((
                load(DetectorKind::Yunet),
                load(DetectorKind::Mtcnn),
            )))
        })
        .clone()
}

use crate::common::astronaut;

fn eye_distance(f: &Face) -> f32 {
    let [l, r] = [f.landmarks[0], f.landmarks[1]];
    ((l[0] - r[0]).powi(2) + (l[1] - r[1]).powi(2)).sqrt()
}

#[test]
fn mtcnn_finds_the_astronaut_where_yunet_does_with_the_same_landmarks() {
    let Some(p) = pipelines() else { return };
    let (yunet, mtcnn) = (&p.0, &p.1);
    assert_eq!(mtcnn.detector().name(), "mtcnn");
    let img = astronaut();
    let y = yunet.detect(&img).unwrap();
    let m = mtcnn.detect(&img).unwrap();
    assert_eq!(m.len(), 1, "{m:?}");
    let (y, m) = (&y[0], &m[0]);
    assert!(m.score > 0.9, "{}", m.score);
    let iou = y.bbox.iou(&m.bbox);
    assert!(iou > 0.5, "IoU {iou}: {:?} vs {:?}", y.bbox, m.bbox);
    // Same five points in the same order (the image-left eye first): the eyes within 6% of the
    // distance between them, nose and mouth corners within 12% (measured: eyes 3.9% and 4.4%,
    // nose 8.6%, mouth 2.3% and 8.3%; the two detectors were trained on different annotations).
    let d = eye_distance(y);
    for (n, (a, b)) in y.landmarks.iter().zip(&m.landmarks).enumerate() {
        let off = ((a[0] - b[0]).powi(2) + (a[1] - b[1]).powi(2)).sqrt() / d;
        eprintln!(
            "landmark {n}: yunet {a:?} mtcnn {b:?} ({:.1}% of {d:.1} px)",
            off * 100.0
        );
        let bound = if n < 2 { 0.06 } else { 0.12 };
        assert!(off < bound, "landmark {n}: {a:?} vs {b:?}, {off} of {d}");
    }
    // SFace on the crop aligned from either detector's landmarks: the same face.
    let ty = yunet.embed(&img, y).unwrap();
    let tm = mtcnn.embed(&img, m).unwrap();
    let similarity = cosine(&ty, &tm).unwrap();
    eprintln!("SFace cosine, MTCNN vs YuNet landmarks: {similarity:.4}");
    assert!(similarity > 0.9, "{similarity}");
}

#[test]
fn mtcnn_sees_no_face_in_a_blank_image_and_survives_tiny_and_huge_ones() {
    let Some(p) = pipelines() else { return };
    let mtcnn = p.1.detector();
    let blank = image::RgbImage::from_pixel(640, 480, image::Rgb([128, 128, 128]));
    assert!(mtcnn.detect(&blank).unwrap().is_empty());
    for (w, h) in [(1, 1), (11, 11), (12, 12), (30, 7), (19, 400)] {
        let tiny = image::RgbImage::from_pixel(w, h, image::Rgb([200, 150, 120]));
        assert!(mtcnn.detect(&tiny).unwrap().is_empty(), "{w}x{h}");
    }
    // A huge noisy image: scaled to the working size first, candidates capped.
    let mut x = 12345u32;
    let huge = image::RgbImage::from_fn(4000, 3000, |_, _| {
        x ^= x << 13;
        x ^= x >> 17;
        x ^= x << 5;
        image::Rgb([x as u8, (x >> 8) as u8, (x >> 16) as u8])
    });
    let faces = mtcnn.detect(&huge).unwrap();
    assert!(faces.len() <= DetectOptions::default().max_faces);
    // The astronaut pasted small into a large photo is still found, in the photo's coordinates.
    let face = astronaut();
    let mut photo = image::RgbImage::from_pixel(3000, 2000, image::Rgb([90, 110, 130]));
    let small = image::imageops::resize(&face, 256, 256, image::imageops::FilterType::Triangle);
    image::imageops::replace(&mut photo, &small, 2000, 1200);
    let found = mtcnn.detect(&photo).unwrap();
    assert!(
        found.iter().any(|f| f.bbox.x > 2000.0
            && f.bbox.y > 1200.0
            && f.bbox.x + f.bbox.width < 2256.0 + 8.0),
        "{found:?}"
    );
}

#[test]
fn mtcnn_options_bound_the_faces_returned() {
    let Some((runtime, source)) = crate::common::models() else {
        return;
    };
    let options = MtcnnOptions {
        max_faces: 0,
        ..MtcnnOptions::default()
    };
    let mtcnn = Mtcnn::load(&runtime, &source, options).unwrap();
    assert!(mtcnn.detect(&astronaut()).unwrap().is_empty());
}
