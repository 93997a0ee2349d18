//! Shared test helpers: fixture paths, a fixed clock, and scripted analysers that return given
//! evidence so the engine's own logic (counting, blocking, deciding) is what the tests exercise.
#![allow(dead_code, clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use std::path::PathBuf;
use std::sync::{Arc, Mutex};

use jiff::Timestamp;
use kyc_core::analysis::{
    AnalysisContext, CaptureImage, DocumentAnalysis, DocumentAnalyzer, FaceAnalysis, FaceAnalyzer,
    ImageKind,
};
use kyc_core::check::{CheckResult, Comparison};
use kyc_core::document::{DocumentData, DocumentField, FieldSource};
use kyc_core::face::{FaceMatch, SelfieData};
use kyc_core::scenario::{DocumentStep, DocumentType, LivenessStep, SelfieStep};
use kyc_core::{CheckOutcome, Error, Scenario};

/// Whether golden files are to be rewritten: `KYC_UPDATE_GOLDEN` is exactly `1` (no other value
/// rewrites anything).
pub fn update_golden() -> bool {
    std::env::var("KYC_UPDATE_GOLDEN").as_deref() == Ok("1")
}

pub fn workspace() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("..")
}

pub fn fixture(rel: &str) -> PathBuf {
    workspace().join("fixtures").join(rel)
}

pub fn scenario(name: &str) -> Scenario {
    let text = std::fs::read_to_string(fixture(&format!("scenarios/{name}.json"))).unwrap();
    Scenario::from_json(&text).unwrap()
}

pub fn t0() -> Timestamp {
    "2026-11-28T09:00:00Z".parse().unwrap()
}

/// A tiny valid-looking JPEG header: enough for the engine's format precheck. Analysis is scripted.
pub fn jpeg() -> Vec<u8> {
    vec![0xFF, 0xD8, 0xFF, 0xE0, 0, 16, b'J', b'F', b'I', b'F', 0]
}

pub fn image(kind: ImageKind) -> CaptureImage {
    CaptureImage::encoded(kind, jpeg())
}

pub fn passport_data(number: &str, birth: &str, expiry: &str) -> DocumentData {
    let field = |name: &str, value: &str| DocumentField {
        name: name.to_owned(),
        value: value.to_owned(),
        confidence: 1.0,
        source: FieldSource::Mrz,
    };
    DocumentData {
        document_type: Some(DocumentType::Passport),
        type_confidence: 0.99,
        issuing_state: Some("UTO".to_owned()),
        fields: vec![
            field("surname", "ERIKSSON"),
            field("given_names", "ANNA MARIA"),
            field("document_number", number),
            field("birth_date", birth),
            field("expiry_date", expiry),
            field("sex", "F"),
            field("nationality", "UTO"),
        ],
        visual_comparison: Vec::new(),
        portrait: None,
    }
}

/// Scripted document reads, one per capture, in order.
pub struct ScriptedDocuments(pub Mutex<Vec<(DocumentData, Vec<CheckResult>)>>);

impl ScriptedDocuments {
    pub fn new(script: Vec<(DocumentData, Vec<CheckResult>)>) -> Arc<Self> {
        Arc::new(Self(Mutex::new(script.into_iter().rev().collect())))
    }
}

impl DocumentAnalyzer for ScriptedDocuments {
    fn analyze(
        &self,
        step: &DocumentStep,
        _images: &[CaptureImage],
        _ctx: &AnalysisContext<'_>,
    ) -> Result<DocumentAnalysis, Error> {
        let (document, mut checks) = self.0.lock().unwrap().pop().expect("script ran out");
        fill_passes(&step.checks.enabled(), &mut checks);
        Ok(DocumentAnalysis {
            document: Some(document),
            checks,
            documents_in_frame: None,
        })
    }
}

pub fn mrz_ok() -> CheckResult {
    CheckResult::rule(
        "document.mrz",
        true,
        "document.mrz.valid",
        "all check digits verified",
    )
}

pub fn mrz_bad() -> CheckResult {
    CheckResult::rule(
        "document.mrz",
        false,
        "document.mrz.check_digit_refuted",
        "check digit refuted",
    )
}

pub fn screen_photo(score: f64) -> CheckResult {
    CheckResult::scored(
        "document.screen_photo",
        score,
        0.5,
        Comparison::AtMost,
        "document.screen_photo.clear",
        "document.screen_photo.detected",
        "moire energy",
    )
    .critical()
}

/// A face analyser whose selfie matches the document at a given similarity.
pub struct ScriptedFaces {
    pub similarity: f64,
}

impl FaceAnalyzer for ScriptedFaces {
    fn analyze_selfie(
        &self,
        step: &SelfieStep,
        _images: &[CaptureImage],
        _ctx: &AnalysisContext<'_>,
    ) -> Result<FaceAnalysis, Error> {
        let check = CheckResult::scored(
            "selfie.face_match",
            self.similarity,
            0.42,
            Comparison::AtLeast,
            "selfie.face_match.same_person",
            "selfie.face_match.different_person",
            "cosine similarity to the document portrait",
        );
        let mut checks = vec![check.clone()];
        fill_passes(&step.checks.enabled(), &mut checks);
        Ok(FaceAnalysis {
            selfie: Some(SelfieData {
                faces_found: 1,
                estimated_age: Some(35.5),
                estimated_gender: None,
                template: None,
            }),
            face_match: Some(FaceMatch {
                score: self.similarity,
                threshold: 0.42,
                outcome: check.outcome,
                model: "scripted".to_owned(),
            }),
            checks,
        })
    }

    fn analyze_liveness(
        &self,
        step: &LivenessStep,
        _images: &[CaptureImage],
        _ctx: &AnalysisContext<'_>,
    ) -> Result<FaceAnalysis, Error> {
        Ok(FaceAnalysis {
            checks: vec![CheckResult::scored(
                step.check_id(),
                0.05,
                0.2,
                Comparison::AtMost,
                "liveness.live",
                "liveness.spoof",
                "spoof score",
            )],
            ..FaceAnalysis::default()
        })
    }
}

/// Scripted evidence for the enabled checks a script leaves out: a pass at a fixed score, so the
/// engine's own rules decide. (Field logic is the engine's, so it is never scripted.)
pub fn fill_passes(enabled: &[&str], checks: &mut Vec<CheckResult>) {
    for id in enabled {
        if *id != "document.field_logic" && !checks.iter().any(|c| c.check == *id) {
            checks.push(CheckResult::scored(
                id,
                0.9,
                0.5,
                Comparison::AtLeast,
                "scripted.pass",
                "scripted.fail",
                "scripted evidence",
            ));
        }
    }
}

pub fn outcomes(checks: &[CheckResult]) -> Vec<(String, CheckOutcome)> {
    checks
        .iter()
        .map(|c| (c.check.clone(), c.outcome))
        .collect()
}

/// Every personal field a document can yield, with a distinctive value each: the field names the
/// engine knows ([`kyc_core::document::field`]) and the others readers produce (addresses, places,
/// personal numbers, patronymics, issuing authorities).
pub const PERSONAL_FIELDS: &[(&str, &str)] = &[
    ("surname", "ZYXWSURNAME"),
    ("given_names", "QWERTGIVEN"),
    ("full_name", "QWERTGIVEN ZYXWSURNAME"),
    ("patronymic", "PATRONYMICVALUE"),
    ("document_number", "DN7731905"),
    ("birth_date", "1981-02-03"),
    ("issue_date", "2019-05-06"),
    ("expiry_date", "2031-07-08"),
    ("sex", "F"),
    ("nationality", "UTO"),
    ("place_of_birth", "BIRTHPLACECITY"),
    ("city", "RESIDENCECITY"),
    ("address", "42 SECRET STREET"),
    ("personal_number", "PN99887766"),
    ("issuing_authority", "AUTHORITYNAME"),
    ("division_code", "770-123"),
];

/// A passport read with every field of [`PERSONAL_FIELDS`].
pub fn personal_passport() -> DocumentData {
    DocumentData {
        document_type: Some(DocumentType::Passport),
        type_confidence: 0.99,
        issuing_state: Some("UTO".to_owned()),
        fields: PERSONAL_FIELDS
            .iter()
            .map(|(name, value)| DocumentField {
                name: (*name).to_owned(),
                value: (*value).to_owned(),
                confidence: 1.0,
                source: FieldSource::Visual,
            })
            .collect(),
        visual_comparison: Vec::new(),
        portrait: None,
    }
}

/// Says a test skipped for want of `what` (the models, `../shared`); with `CI=true` the test
/// fails instead: CI has both, so a skip there would hide a broken set-up.
pub fn skip(what: &str) {
    assert!(
        std::env::var("CI").as_deref() != Ok("true"),
        "CI=true, but {what}: this test must not skip in CI"
    );
    eprintln!("skipped: {what}");
}

/// ONNX Runtime and the installed models; `None`, saying the test skipped, when `KYC_MODEL_DIR`
/// is not set (scripts/setup.sh installs and exports them).
pub fn models() -> Option<(kyc_core::model::Runtime, kyc_core::model::ModelSource)> {
    use kyc_core::model::{ModelSource, Runtime, RuntimeOptions};
    let Ok(source) = ModelSource::from_env() else {
        skip("KYC_MODEL_DIR is not set (scripts/setup.sh installs the models)");
        return None;
    };
    Some((
        Runtime::new(RuntimeOptions::default(), &source).unwrap(),
        source,
    ))
}

/// The image file at `path`, decoded under the default limits.
pub fn decoded(path: &std::path::Path) -> image::RgbImage {
    let bytes = std::fs::read(path).unwrap();
    kyc_core::image::decode(
        &kyc_core::analysis::ImageData::Encoded(bytes),
        &kyc_core::image::ImageLimits::default(),
    )
    .unwrap()
}

/// A golden embeddings file of `fixtures/expected/` (made by `scripts/reference/`): its crop, the
/// crop mirrored left-right, and the expected unit vectors of both, in that order.
pub fn golden_embeddings(name: &str) -> ([image::RgbImage; 2], Vec<Vec<f32>>) {
    let golden: serde_json::Value = serde_json::from_str(
        &std::fs::read_to_string(fixture(&format!("expected/{name}"))).unwrap(),
    )
    .unwrap();
    let crop = decoded(&fixture(golden["crop"].as_str().unwrap()));
    let mirrored = image::imageops::flip_horizontal(&crop);
    let embeddings = golden["embeddings"]
        .as_array()
        .unwrap()
        .iter()
        .map(|row| {
            row.as_array()
                .unwrap()
                .iter()
                .map(|v| v.as_f64().unwrap() as f32)
                .collect()
        })
        .collect();
    ([crop, mirrored], embeddings)
}

/// The largest difference between two vectors of one length.
pub fn largest_difference(a: &[f32], b: &[f32]) -> f32 {
    assert_eq!(a.len(), b.len());
    a.iter()
        .zip(b)
        .map(|(x, y)| (x - y).abs())
        .fold(0.0f32, f32::max)
}

/// The committed astronaut photo (public domain), decoded.
pub fn astronaut() -> image::RgbImage {
    decoded(&fixture("faces/astronaut.png"))
}

/// `image` saved as a JPEG at quality 92.
pub fn encode_jpeg(image: &image::RgbImage) -> Vec<u8> {
    let mut out = Vec::new();
    image::codecs::jpeg::JpegEncoder::new_with_quality(&mut out, 92)
        .encode_image(image)
        .unwrap();
    out
}

/// The JPEG `file` with one more metadata segment (`marker`, e.g. 0xFE for a comment) right after
/// its start-of-image marker.
pub fn with_jpeg_segment(file: &[u8], marker: u8, body: &[u8]) -> Vec<u8> {
    let mut out = file[..2].to_vec();
    out.extend_from_slice(&[0xFF, marker]);
    out.extend_from_slice(&u16::try_from(body.len() + 2).unwrap().to_be_bytes());
    out.extend_from_slice(body);
    out.extend_from_slice(&file[2..]);
    out
}

/// An engine over `pipeline` (the document analyser only finds the portrait) and the
/// passport-and-selfie scenario without face lists or the history block.
pub fn face_engine(
    pipeline: Arc<kyc_core::face::pipeline::FacePipeline>,
) -> (kyc_core::Engine, Scenario) {
    use kyc_core::face::analyzer::{PipelineFaceAnalyzer, WithPortrait};
    let mut scenario = scenario("passport_selfie");
    scenario.blacklist_id = None;
    scenario.customer_face_list_id = None;
    scenario.fraud.block_history_mismatch = false;
    let engine = kyc_core::Engine::builder(
        Arc::new(kyc_core::FixedClock(t0())),
        Arc::new(kyc_core::SeededEntropy::from_u64(3)),
    )
    .document_analyzer(Arc::new(WithPortrait::new(None, pipeline.clone())))
    .face_analyzer(Arc::new(PipelineFaceAnalyzer::new(pipeline)))
    .build();
    (engine, scenario)
}

/// The same photo submitted as the passport capture and then as the selfie of `scenario` (the
/// face-engine scenario): the document step's report, the selfie step's report and the session.
pub fn submit_document_and_selfie(
    engine: &kyc_core::Engine,
    scenario: &Scenario,
    photo: &[u8],
) -> (
    kyc_core::session::CaptureReport,
    kyc_core::session::CaptureReport,
    kyc_core::session::Session,
) {
    let mut session = engine.create_session(scenario, kyc_core::session::Origin::Api);
    let mut submit = |step: &str, kind: ImageKind| {
        engine
            .submit_capture(
                scenario,
                &mut session,
                step,
                &[CaptureImage::encoded(kind, photo.to_vec())],
            )
            .unwrap()
    };
    let document = submit("passport", ImageKind::DocumentFront);
    let selfie = submit("selfie", ImageKind::Selfie);
    (document, selfie, session)
}

/// A selfie with the document in hand, composed from committed fixtures: the astronaut as the
/// person (enlarged to selfie size) and, beside the face, a synthetic passport whose portrait is
/// the same astronaut, at a third of the frame's width.
pub fn held_document_frame() -> Vec<u8> {
    let person = image::imageops::resize(
        &astronaut(),
        576,
        720,
        image::imageops::FilterType::CatmullRom,
    );
    let passport = decoded(&fixture("documents/0000_passport_genuine_clean.jpg"));
    let held = image::imageops::resize(&passport, 440, 310, image::imageops::FilterType::Triangle);
    let mut frame = image::RgbImage::from_pixel(1000, 720, image::Rgb([90, 100, 110]));
    image::imageops::overlay(&mut frame, &person, 0, 0);
    image::imageops::overlay(&mut frame, &held, 545, 380);
    encode_jpeg(&frame)
}

/// The astronaut's head turned by `yaw` degrees about a vertical axis and tipped by `pitch` degrees
/// about a horizontal one, modelling the head as a cylinder (sphere for pitch) whose radius is
/// the eye distance: points near the face's centre line move the most, as the nose does on a real
/// turn. A stand-in for recorded head movements, which no licence-clean fixture has.
pub fn moved_face(
    image: &image::RgbImage,
    face: &kyc_core::face::detect::Face,
    yaw: f32,
    pitch: f32,
) -> Vec<u8> {
    let [l, r, nose, ..] = face.landmarks;
    let eye = ((r[0] - l[0]).powi(2) + (r[1] - l[1]).powi(2)).sqrt();
    let radius = 1.1 * eye;
    let (yaw, pitch) = (yaw.to_radians(), pitch.to_radians());
    // Where the output pixel at offset `d` from the axis came from on the unturned surface.
    let source = |d: f32, angle: f32| {
        if d.abs() >= radius {
            return d;
        }
        radius * ((d / radius).asin() - angle).sin()
    };
    let out = image::RgbImage::from_fn(image.width(), image.height(), |x, y| {
        let (dx, dy) = (x as f32 - nose[0], y as f32 - nose[1]);
        let u = nose[0] + source(dx, yaw);
        let v = nose[1] + source(dy, pitch);
        let (u, v) = (
            u.clamp(0.0, image.width() as f32 - 1.0) as u32,
            v.clamp(0.0, image.height() as f32 - 1.0) as u32,
        );
        *image.get_pixel(u, v)
    });
    let mut png = Vec::new();
    out.write_to(&mut std::io::Cursor::new(&mut png), image::ImageFormat::Png)
        .unwrap();
    png
}

#[path = "../support/render.rs"]
mod render;
pub use render::{Surface, rendered_turn};
