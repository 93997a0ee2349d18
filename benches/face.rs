//! Face pipeline stages on one selfie-sized image: decode, detect (YuNet, and MTCNN when its
//! models are installed), align, embed (SFace; MobileFaceNet for one face and for two faces in its
//! one batch-of-2 run), passive liveness (the image signals, and the FaceAntiSpoofing model when
//! installed), and the whole selfie path. Needs the models (`KYC_MODEL_DIR`); says so and
//! exits otherwise.
//! ONNX Runtime runs with one intra-op thread, the "one core" figure.

use std::hint::black_box;

use criterion::{Criterion, criterion_group};
use kyc_core::analysis::ImageData;
use kyc_core::face::antispoofing::FaceAntiSpoofing;
use kyc_core::face::detect::{DetectOptions, DetectorKind};
use kyc_core::face::embed::EmbedderKind;
use kyc_core::face::passive;
use kyc_core::face::pipeline::FacePipeline;
use kyc_core::image::{ImageLimits, decode};
use kyc_core::model::{ModelSource, Runtime, RuntimeOptions};

fn stages(c: &mut Criterion) {
    let Ok(source) = ModelSource::from_env() else {
        eprintln!("face bench skipped: KYC_MODEL_DIR is not set");
        return;
    };
    let Ok(runtime) = Runtime::new(RuntimeOptions::default(), &source) else {
        eprintln!("face bench skipped: ONNX Runtime not available");
        return;
    };
    let Ok(pipeline) = FacePipeline::load(&runtime, &source, DetectOptions::default()) else {
        eprintln!("face bench skipped: models not loadable");
        return;
    };
    let path = concat!(env!("CARGO_MANIFEST_DIR"), "/fixtures/faces/astronaut.png");
    let Ok(bytes) = std::fs::read(path) else {
        eprintln!("face bench skipped: {path} missing");
        return;
    };
    let data = ImageData::Encoded(bytes);
    let limits = ImageLimits::default();
    let Ok(image) = decode(&data, &limits) else {
        return;
    };
    let Ok(faces) = pipeline.detect(&image) else {
        return;
    };
    let Some(face) = faces.first().cloned() else {
        eprintln!("face bench skipped: no face in the fixture");
        return;
    };

    let mut g = c.benchmark_group("face");
    g.bench_function("decode_png", |b| {
        b.iter(|| decode(black_box(&data), &limits))
    });
    g.bench_function("detect_yunet", |b| {
        b.iter(|| pipeline.detect(black_box(&image)))
    });
    match FacePipeline::load_with(
        &runtime,
        &source,
        DetectorKind::Mtcnn,
        DetectOptions::default(),
    ) {
        Ok(mtcnn) => {
            g.bench_function("detect_mtcnn", |b| {
                b.iter(|| mtcnn.detect(black_box(&image)))
            });
        }
        Err(e) => eprintln!("detect_mtcnn skipped: {e}"),
    }
    g.bench_function("align_112", |b| {
        b.iter(|| kyc_core::face::geometry::align_arcface(black_box(&image), &face.landmarks))
    });
    g.bench_function("embed_sface", |b| {
        b.iter(|| pipeline.embed(black_box(&image), &face))
    });
    match FacePipeline::load_with_embedder(
        &runtime,
        &source,
        DetectOptions::default(),
        EmbedderKind::MobileFaceNet,
    ) {
        Ok(mobile) => {
            g.bench_function("embed_mobilefacenet_one", |b| {
                b.iter(|| mobile.embed(black_box(&image), &face))
            });
            g.bench_function("embed_mobilefacenet_two", |b| {
                b.iter(|| mobile.embed_many(&[(black_box(&image), &face), (&image, &face)]))
            });
            g.bench_function("embed_sface_two", |b| {
                b.iter(|| pipeline.embed_many(&[(black_box(&image), &face), (&image, &face)]))
            });
        }
        Err(e) => eprintln!("MobileFaceNet benches skipped: {e}"),
    }
    g.bench_function("liveness_signals", |b| {
        b.iter(|| passive::assess(black_box(&image), &face, &passive::PASSIVE_SIGNALS))
    });
    match FaceAntiSpoofing::load(&runtime, &source) {
        Ok(model) => {
            g.bench_function("liveness_model", |b| {
                b.iter(|| model.score(black_box(&image), &face.bbox))
            });
        }
        Err(e) => eprintln!("liveness_model skipped: {e}"),
    }
    g.bench_function("selfie_end_to_end", |b| {
        b.iter(|| {
            let img = decode(black_box(&data), &limits).ok()?;
            pipeline.main_face(&img).ok()?
        })
    });
    g.finish();
}

criterion_group!(benches, stages);

fn main() {
    benches();
    criterion::Criterion::default()
        .configure_from_args()
        .final_summary();
}
