//! The check catalogue against what the analysers really emit: every check item made over the
//! committed fixtures (documents through an engine with every switch on, the astronaut and
//! variants of it through selfie and liveness steps, the MRZ evidence over the MRZ samples and
//! corruptions of them, and an engine without analysers, which answers every enabled check as
//! unavailable) must fit its row, and every row must be emitted at least once. Also keeps
//! `docs/checks.md` equal to the catalogue's Markdown (`KYC_UPDATE_GOLDEN=1` rewrites it).
//!
//! Needs the models (`KYC_MODEL_DIR`) for the analysers; without them the model-based part is
//! skipped with a note, unless `CI` is `true`, where their absence fails.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]
#![cfg(feature = "onnx")]

use std::collections::BTreeSet;
use std::sync::Arc;

use kyc_core::analysis::{AnalysisContext, CaptureImage, ImageData, ImageKind, PixelFormat};
use kyc_core::check::catalogue;
use kyc_core::document::DocumentData;
use kyc_core::document::ocr::analyzer::mrz_check;
use kyc_core::face::FaceTemplate;
use kyc_core::model::{ModelAnalyzers, RuntimeOptions};
use kyc_core::scenario::{
    AgeRange, DocumentChecks, DocumentStep, DocumentType, LivenessMode, LivenessStep, SelfieChecks,
    SelfieStep, Step,
};
use kyc_core::session::Origin;
use kyc_core::{CheckResult, Engine, FixedClock, Scenario, SeededEntropy};

use crate::common::{astronaut, encode_jpeg, fixture, t0, with_jpeg_segment};

/// Every check item emitted, each with where it came from.
#[derive(Default)]
struct Emitted(Vec<(String, CheckResult)>);

impl Emitted {
    fn add(&mut self, source: &str, checks: impl IntoIterator<Item = CheckResult>) {
        self.0
            .extend(checks.into_iter().map(|c| (source.to_owned(), c)));
    }

    /// The items that do not fit their rows, and the rows never emitted, as one message each.
    fn judge(&self) -> (Vec<String>, Vec<&'static str>) {
        let mut misfits = BTreeSet::new();
        for (source, c) in &self.0 {
            if let Some(why) = catalogue::misfit(c) {
                misfits.insert(format!("{why} ({source}: {})", c.message));
            }
        }
        let ids: BTreeSet<&str> = self.0.iter().map(|(_, c)| c.check.as_str()).collect();
        let never = catalogue::all()
            .map(|row| row.id)
            .filter(|id| !ids.contains(id))
            .collect();
        (misfits.into_iter().collect(), never)
    }

    fn codes(&self, id: &str) -> BTreeSet<&str> {
        self.0
            .iter()
            .filter(|(_, c)| c.check == id)
            .map(|(_, c)| c.reason_code.as_str())
            .collect()
    }
}

#[test]
fn every_emitted_check_fits_its_row_and_every_row_is_emitted() {
    let mut emitted = Emitted::default();
    mrz_evidence(&mut emitted);
    without_analysers(&mut emitted);
    engine_rules(&mut emitted);
    aml_screening(&mut emitted);
    let Some(analysers) = analysers() else {
        let (misfits, _) = emitted.judge();
        assert!(misfits.is_empty(), "misfits:\n{}", misfits.join("\n"));
        return;
    };
    documents(&analysers, &mut emitted);
    let (document, portrait) = passport_read(&analysers);
    selfies(&analysers, &document, &portrait, &mut emitted);
    liveness(&analysers, &mut emitted);
    // A face whose landmarks give no pose: no detector returns one, so the evidence is made
    // from the measurement directly.
    emitted.add(
        "degenerate landmarks",
        kyc_core::face::selfie_quality::checks(&kyc_core::face::selfie_quality::FaceQuality {
            pose: None,
            sharpness: 100.0,
            brightness: 120.0,
            blown_share: 0.0,
            balance: 0.9,
        }),
    );

    let (misfits, never) = emitted.judge();
    assert!(
        misfits.is_empty(),
        "{} items do not fit the catalogue:\n{}",
        misfits.len(),
        misfits.join("\n")
    );
    assert!(never.is_empty(), "rows never emitted: {never:?}");
}

/// `docs/checks.md` is the catalogue's Markdown; `KYC_UPDATE_GOLDEN=1` rewrites it.
#[test]
fn docs_checks_md_is_current() {
    let path = crate::common::workspace().join("docs/checks.md");
    let generated = catalogue::markdown();
    if std::env::var("KYC_UPDATE_GOLDEN").as_deref() == Ok("1") {
        std::fs::write(&path, &generated).unwrap();
        return;
    }
    let committed = std::fs::read_to_string(&path).unwrap_or_else(|e| {
        panic!(
            "{}: {e} (run with KYC_UPDATE_GOLDEN=1 to create)",
            path.display()
        )
    });
    assert!(
        committed == generated,
        "docs/checks.md differs from the catalogue: run with KYC_UPDATE_GOLDEN=1 and review the \
         diff\n{generated}"
    );
}

/// The shipped analysers, or `None` (with a note) when the models are not installed; in CI their
/// absence fails.
fn analysers() -> Option<ModelAnalyzers> {
    let Some((_, source)) = crate::common::models() else {
        assert!(
            std::env::var("CI").as_deref() != Ok("true"),
            "CI=true but KYC_MODEL_DIR is not set: the catalogue's emission test needs the models"
        );
        crate::common::skip("the model-based part of the catalogue test (no models)");
        return None;
    };
    Some(ModelAnalyzers::load(&source, RuntimeOptions::default()).unwrap())
}

fn engine(analysers: Option<&ModelAnalyzers>) -> Engine {
    let builder = Engine::builder(
        Arc::new(FixedClock(t0())),
        Arc::new(SeededEntropy::from_u64(7)),
    );
    match analysers {
        Some(a) => builder.analyzers(a.analyzers.clone()).build(),
        None => builder.build(),
    }
}

fn every_document_check() -> DocumentChecks {
    DocumentChecks {
        fully_visible: true,
        mrz_required: true,
        editing: true,
        screen_photo: true,
        printout: true,
        field_logic: true,
        glare_blur: true,
        mandatory_elements: true,
        stamp_required: true,
        visual_mrz_match: true,
    }
}

fn every_selfie_check() -> SelfieChecks {
    SelfieChecks {
        face_match: true,
        not_modified: true,
        screen_photo: true,
        spoof_model: true,
        document_in_hand: true,
        age_gender_match: true,
        deepfake: true,
        generator_framing: true,
        quality: true,
    }
}

fn document_step() -> DocumentStep {
    DocumentStep {
        id: "document".into(),
        document_types: vec![
            DocumentType::Passport,
            DocumentType::IdCard,
            DocumentType::ResidencePermit,
            DocumentType::Visa,
        ],
        countries: Vec::new(),
        sides: vec![kyc_core::scenario::DocumentSide::Front],
        checks: every_document_check(),
        capture_orientation: Default::default(),
    }
}

fn selfie_step() -> SelfieStep {
    SelfieStep {
        id: "selfie".into(),
        checks: every_selfie_check(),
    }
}

fn liveness_step(id: &str, mode: LivenessMode) -> LivenessStep {
    LivenessStep {
        id: id.into(),
        mode,
        challenges: 2,
        spoof_model: true,
    }
}

/// The passport-and-selfie fixture scenario with `steps`, an age range, and no face lists.
fn scenario_with(steps: Vec<Step>) -> Scenario {
    let mut scenario = crate::common::scenario("passport_selfie");
    scenario.blacklist_id = None;
    scenario.customer_face_list_id = None;
    scenario.limits.age_range = Some(AgeRange { min: 18, max: 60 });
    scenario.steps = steps;
    scenario
}

fn context<'a>(
    scenario: &'a Scenario,
    document: Option<&'a DocumentData>,
    portrait: Option<&'a FaceTemplate>,
) -> AnalysisContext<'a> {
    AnalysisContext {
        scenario,
        session_id: "catalogue",
        today: jiff::civil::date(2026, 11, 28),
        document_portrait: portrait,
        document,
        deadline: &kyc_core::capture::NO_DEADLINE,
    }
}

/// `document.mrz` over each MRZ sample and every single-character corruption of it (a flipped
/// check digit, a digit in a name or a country code, an unknown sex...), and with no MRZ at all.
fn mrz_evidence(emitted: &mut Emitted) {
    use kyc_core::document::mrz;
    let text = std::fs::read_to_string(fixture("mrz/samples.jsonl")).unwrap();
    let judge = |lines: &[String], today| match mrz::parse(lines, today) {
        Ok(m) => mrz_check(Some(&m), None),
        Err(e) => mrz_check(None, Some(&e)),
    };
    for line in text.lines().filter(|l| !l.trim().is_empty()) {
        let sample: serde_json::Value = serde_json::from_str(line).unwrap();
        let lines: Vec<String> = sample["lines"]
            .as_array()
            .unwrap()
            .iter()
            .map(|l| l.as_str().unwrap().to_owned())
            .collect();
        let today: jiff::civil::Date = sample["today"].as_str().unwrap().parse().unwrap();
        emitted.add("mrz sample", [judge(&lines, today)]);
        for (i, l) in lines.iter().enumerate() {
            for (at, found) in l.char_indices() {
                for replacement in ['0', '7', 'Q', '<'] {
                    if replacement == found {
                        continue;
                    }
                    let mut corrupted = lines.clone();
                    corrupted[i].replace_range(at..at + 1, &replacement.to_string());
                    emitted.add("mrz corrupted", [judge(&corrupted, today)]);
                }
            }
        }
    }
    emitted.add("no mrz", [mrz_check(None, Some(&mrz::MrzError::NotFound))]);
    let codes = emitted.codes(catalogue::mrz::MRZ.id);
    for code in [
        "document.mrz.valid",
        catalogue::mrz::MRZ_NOT_FOUND,
        "document.mrz.check_digit.document_number",
        "document.mrz.check_digit.birth_date",
        "document.mrz.check_digit.expiry_date",
        "document.mrz.check_digit.optional_data",
        "document.mrz.check_digit.composite",
        "document.mrz.structure.sex",
        "document.mrz.structure.name",
    ] {
        assert!(codes.contains(code), "{code} never emitted: {codes:?}");
    }
}

/// An engine without analysers over a step of each kind with every switch on: every enabled
/// check, parents included, answers unavailable.
fn without_analysers(emitted: &mut Emitted) {
    let engine = engine(None);
    let frame = || CaptureImage::encoded(ImageKind::LivenessFrame, crate::common::jpeg());
    let runs: [(Step, Vec<CaptureImage>); 4] = [
        (
            Step::Document(document_step()),
            vec![crate::common::image(ImageKind::DocumentFront)],
        ),
        (
            Step::Selfie(selfie_step()),
            vec![
                crate::common::image(ImageKind::Selfie),
                crate::common::image(ImageKind::SelfieWithDocument),
            ],
        ),
        (
            Step::Liveness(liveness_step("passive", LivenessMode::Passive)),
            vec![crate::common::image(ImageKind::Selfie)],
        ),
        (
            Step::Liveness(liveness_step("active", LivenessMode::Active)),
            (0..kyc_core::capture::MIN_LIVENESS_FRAMES)
                .map(|_| frame())
                .collect(),
        ),
    ];
    for (step, images) in runs {
        let id = step.id().to_owned();
        let scenario = scenario_with(vec![step]);
        let mut session = engine.create_session(&scenario, Origin::Api);
        let report = engine
            .submit_capture(&scenario, &mut session, &id, &images)
            .unwrap_or_else(|e| panic!("{id}: {e}"));
        emitted.add(&format!("no analysers, {id}"), report.checks);
    }
}

/// Every committed document image through the engine, one session each.
fn documents(analysers: &ModelAnalyzers, emitted: &mut Emitted) {
    let engine = engine(Some(analysers));
    let scenario = scenario_with(vec![Step::Document(document_step())]);
    let mut paths = Vec::new();
    let mut dirs = vec![fixture("documents")];
    while let Some(dir) = dirs.pop() {
        for entry in std::fs::read_dir(&dir).unwrap() {
            let path = entry.unwrap().path();
            if path.is_dir() {
                dirs.push(path);
            } else if path.extension().is_some_and(|e| e == "jpg" || e == "png") {
                paths.push(path);
            }
        }
    }
    paths.sort();
    assert!(paths.len() >= 20, "{paths:?}");
    for path in paths {
        let bytes = std::fs::read(&path).unwrap();
        let mut session = engine.create_session(&scenario, Origin::Api);
        let report = engine
            .submit_capture(
                &scenario,
                &mut session,
                "document",
                &[CaptureImage::encoded(ImageKind::DocumentFront, bytes)],
            )
            .unwrap_or_else(|e| panic!("{}: {e}", path.display()));
        let name = path.file_name().unwrap().to_string_lossy().into_owned();
        emitted.add(&name, report.checks);
    }
}

/// The genuine passport photo the selfies are held to: its data and its portrait's template.
fn passport_read(analysers: &ModelAnalyzers) -> (DocumentData, FaceTemplate) {
    let scenario = scenario_with(vec![Step::Document(document_step())]);
    let bytes = std::fs::read(fixture("documents/0002_passport_genuine_photo.jpg")).unwrap();
    let analysis = analysers
        .analyzers
        .document
        .as_ref()
        .unwrap()
        .analyze(
            &document_step(),
            &[CaptureImage::encoded(ImageKind::DocumentFront, bytes)],
            &context(&scenario, None, None),
        )
        .unwrap();
    let document = analysis.document.expect("the passport is read");
    let portrait = document.portrait.clone().expect("its portrait is found");
    (document, portrait)
}

/// The astronaut and variants of it through a selfie step with every switch on, held to the
/// passport's data and portrait.
fn selfies(
    analysers: &ModelAnalyzers,
    document: &DocumentData,
    portrait: &FaceTemplate,
    emitted: &mut Emitted,
) {
    let scenario = scenario_with(vec![
        Step::Document(document_step()),
        Step::Selfie(selfie_step()),
    ]);
    let face = analysers.analyzers.face.as_ref().unwrap();
    let photo = astronaut();
    let png = std::fs::read(fixture("faces/astronaut.png")).unwrap();
    let jpeg = encode_jpeg(&photo);
    let grey = image::DynamicImage::ImageRgb8(photo.clone())
        .grayscale()
        .to_rgb8();
    // The face a fifth of its size in a frame of the same size: too small for the signals.
    let small = image::imageops::resize(
        &photo,
        photo.width() / 5,
        photo.height() / 5,
        image::imageops::FilterType::Triangle,
    );
    let mut tiny =
        image::RgbImage::from_pixel(photo.width(), photo.height(), image::Rgb([90, 100, 110]));
    image::imageops::overlay(&mut tiny, &small, 40, 40);
    let main = kyc_core::face::detect::largest(&analysers.faces.detect(&photo).unwrap())
        .cloned()
        .unwrap();
    let transform = kyc_core::face::generated::ffhq_crop(&main.landmarks, 256).unwrap();
    let framed = kyc_core::face::geometry::warp_affine(&photo, &transform, 256, 256).unwrap();
    // An editor named in a comment and a generator's label in the XMP.
    let edited = with_jpeg_segment(&jpeg, 0xFE, b"Edited with GIMP");
    let xmp = b"http://ns.adobe.com/xap/1.0/\0<x:xmpmeta xmlns:x=\"adobe:ns:meta/\"><rdf:RDF>\
        <rdf:Description Iptc4xmpExt:DigitalSourceType=\"http://cv.iptc.org/newscodes/\
        digitalsourcetype/trainedAlgorithmicMedia\"/></rdf:RDF></x:xmpmeta>";
    let generated = with_jpeg_segment(&edited, 0xE1, xmp);
    let blank = image::RgbImage::from_pixel(400, 400, image::Rgb([120, 120, 120]));
    let raw = ImageData::Raw {
        width: photo.width(),
        height: photo.height(),
        format: PixelFormat::Rgb8,
        pixels: photo.as_raw().clone(),
    };
    let held = CaptureImage::encoded(
        ImageKind::SelfieWithDocument,
        crate::common::held_document_frame(),
    );
    let selfie = |data: ImageData| CaptureImage::new(ImageKind::Selfie, data);
    let runs: Vec<(&str, Vec<CaptureImage>)> = vec![
        ("astronaut", vec![selfie(ImageData::Encoded(png)), held]),
        ("astronaut, jpeg", vec![selfie(ImageData::Encoded(jpeg))]),
        (
            "astronaut, edited and labelled",
            vec![selfie(ImageData::Encoded(generated))],
        ),
        (
            "astronaut, grey",
            vec![selfie(ImageData::Encoded(encode_jpeg(&grey)))],
        ),
        (
            "astronaut, tiny",
            vec![selfie(ImageData::Encoded(encode_jpeg(&tiny)))],
        ),
        (
            "astronaut, rotated",
            vec![selfie(ImageData::Encoded(encode_jpeg(
                &image::imageops::rotate90(&photo),
            )))],
        ),
        (
            "astronaut, generator framing",
            vec![selfie(ImageData::Encoded(encode_jpeg(&framed)))],
        ),
        ("astronaut, raw frame", vec![selfie(raw)]),
        (
            "no face",
            vec![selfie(ImageData::Encoded(encode_jpeg(&blank)))],
        ),
    ];
    for (name, images) in runs {
        let analysis = face
            .analyze_selfie(
                &selfie_step(),
                &images,
                &context(&scenario, Some(document), Some(portrait)),
            )
            .unwrap_or_else(|e| panic!("{name}: {e}"));
        emitted.add(name, analysis.checks);
    }
    // Without a document read first: nothing to match or compare with.
    let analysis = face
        .analyze_selfie(
            &selfie_step(),
            &[CaptureImage::encoded(
                ImageKind::Selfie,
                encode_jpeg(&photo),
            )],
            &context(&scenario, None, None),
        )
        .unwrap();
    emitted.add("astronaut, no document", analysis.checks);
}

/// Passive liveness (with the FaceAntiSpoofing model) of the astronaut and of no face, and active
/// liveness of frames performing the session's challenge.
fn liveness(analysers: &ModelAnalyzers, emitted: &mut Emitted) {
    let face = analysers.analyzers.face.as_ref().unwrap();
    let passive = liveness_step("passive", LivenessMode::Passive);
    let scenario = scenario_with(vec![Step::Liveness(passive.clone())]);
    let png = std::fs::read(fixture("faces/astronaut.png")).unwrap();
    let blank = encode_jpeg(&image::RgbImage::from_pixel(
        400,
        400,
        image::Rgb([120, 120, 120]),
    ));
    for (name, bytes) in [
        ("passive, astronaut", png.clone()),
        ("passive, no face", blank),
    ] {
        let analysis = face
            .analyze_liveness(
                &passive,
                &[CaptureImage::encoded(ImageKind::Selfie, bytes)],
                &context(&scenario, None, None),
            )
            .unwrap();
        emitted.add(name, analysis.checks);
    }

    use kyc_core::face::active::{Challenge, challenges};
    let active = liveness_step("active", LivenessMode::Active);
    let scenario = scenario_with(vec![Step::Liveness(active.clone())]);
    let ctx = context(&scenario, None, None);
    let challenge = challenges(
        scenario.secret_key.expose(),
        ctx.session_id,
        &active.id,
        active.challenges,
    );
    let photo = astronaut();
    let main = analysers.faces.detect(&photo).unwrap().remove(0);
    let moved = |yaw, pitch| crate::common::moved_face(&photo, &main, yaw, pitch);
    let mut frames = vec![png.clone()];
    for c in &challenge {
        match c {
            Challenge::TurnLeft => frames.push(moved(40.0, 0.0)),
            Challenge::TurnRight => frames.push(moved(-40.0, 0.0)),
            Challenge::Nod => {
                frames.push(moved(0.0, 45.0));
                frames.push(moved(0.0, -35.0));
            }
        }
        frames.push(png.clone());
    }
    let frames: Vec<CaptureImage> = frames
        .into_iter()
        .map(|f| CaptureImage::encoded(ImageKind::LivenessFrame, f))
        .collect();
    let analysis = face.analyze_liveness(&active, &frames, &ctx).unwrap();
    emitted.add("active, the challenge performed", analysis.checks);
    // A still photo: no movement to compare.
    let still: Vec<CaptureImage> = (0..3)
        .map(|_| CaptureImage::encoded(ImageKind::LivenessFrame, png.clone()))
        .collect();
    let analysis = face.analyze_liveness(&active, &still, &ctx).unwrap();
    emitted.add("active, a still photo", analysis.checks);
}

/// The engine's own rules (`session/rules.rs`), the registries' answers and the pre-check's
/// orientation, each outcome reached through the engine with scripted analysers and the core's
/// in-memory stores.
fn engine_rules(emitted: &mut Emitted) {
    use crate::common::{ScriptedDocuments, mrz_ok, passport_data};
    use kyc_core::analysis::{
        AnalysisContext as Ctx, DocumentAnalysis, FaceAnalysis, FaceLists as _,
    };
    use kyc_core::document::mrz::{DivisionDbLimits, InMemoryDivisionDb};
    use kyc_core::document::{DocumentField, FieldSource};
    use kyc_core::face::SelfieData;
    use kyc_core::face::gallery::InMemoryFaceLists;
    use kyc_core::history::{HistoryKey, KeyedHistoryStore};
    use kyc_core::registry::RegistryAnswer;
    use kyc_core::scenario::{CaptureOrientation, DocumentType};

    struct Twice;
    impl kyc_core::analysis::DocumentAnalyzer for Twice {
        fn analyze(
            &self,
            _: &DocumentStep,
            _: &[CaptureImage],
            _: &Ctx<'_>,
        ) -> Result<DocumentAnalysis, kyc_core::Error> {
            Ok(DocumentAnalysis {
                document: Some(passport_data("L898902C3", "1974-08-12", "2032-04-15")),
                checks: vec![mrz_ok()],
                documents_in_frame: Some(2),
            })
        }
    }
    /// A selfie and a live face, each the given template (or none).
    struct Face(Option<FaceTemplate>, Option<FaceTemplate>);
    impl Face {
        fn one(template: Option<FaceTemplate>) -> Self {
            Self(template.clone(), template)
        }
    }
    impl kyc_core::analysis::FaceAnalyzer for Face {
        fn analyze_selfie(
            &self,
            _: &SelfieStep,
            _: &[CaptureImage],
            _: &Ctx<'_>,
        ) -> Result<FaceAnalysis, kyc_core::Error> {
            Ok(FaceAnalysis {
                selfie: Some(SelfieData {
                    faces_found: 1,
                    estimated_age: None,
                    estimated_gender: None,
                    template: self.0.clone(),
                }),
                ..FaceAnalysis::default()
            })
        }
        fn analyze_liveness(
            &self,
            _: &LivenessStep,
            _: &[CaptureImage],
            _: &Ctx<'_>,
        ) -> Result<FaceAnalysis, kyc_core::Error> {
            Ok(FaceAnalysis {
                selfie: Some(SelfieData {
                    faces_found: 1,
                    estimated_age: None,
                    estimated_gender: None,
                    template: self.1.clone(),
                }),
                ..FaceAnalysis::default()
            })
        }
    }

    let face = |i: usize| FaceTemplate {
        model: kyc_core::face::embed::SFACE.to_owned(),
        vector: (0..128).map(|j| if j == i { 1.0 } else { 0.0 }).collect(),
    };
    let with = |doc: &DocumentData, f: &dyn Fn(&mut DocumentData)| {
        let mut d = doc.clone();
        f(&mut d);
        d
    };
    let set = |d: &mut DocumentData, name: &str, value: &str| {
        d.fields.retain(|f| f.name != name);
        d.fields.push(DocumentField {
            name: name.to_owned(),
            value: value.to_owned(),
            confidence: 1.0,
            source: FieldSource::Mrz,
        });
    };
    let base = passport_data("L898902C3", "1974-08-12", "2032-04-15");
    let mut step = document_step();
    step.countries = vec!["UTO".into()];
    let mut scenario = scenario_with(vec![Step::Document(step)]);
    scenario.limits.failed_attempts_allowed = 20;
    scenario.limits.critical_errors_before_block = 20;
    let history = Arc::new(KeyedHistoryStore::in_memory(
        HistoryKey::new(&[1; 32]).unwrap(),
    ));
    let divisions: Arc<dyn kyc_core::document::mrz::DivisionCodeDb> = Arc::new(
        InMemoryDivisionDb::from_csv(
            std::fs::read(fixture("mrz/division_codes.csv"))
                .unwrap()
                .as_slice(),
            DivisionDbLimits::default(),
        )
        .unwrap(),
    );
    // Each run: a scenario's switches, the stores, and the captures of one session in order.
    let mut run = |label: &str,
                   history_on: bool,
                   division_on: bool,
                   stores: bool,
                   script: Vec<(DocumentData, Vec<CheckResult>)>| {
        let mut s = scenario.clone();
        s.fraud.block_history_mismatch = history_on;
        s.fraud.check_division_code = division_on;
        let n = script.len();
        let mut builder = Engine::builder(
            Arc::new(FixedClock(t0())),
            Arc::new(SeededEntropy::from_u64(8)),
        )
        .document_analyzer(ScriptedDocuments::new(script));
        if stores {
            builder = builder
                .history(history.clone())
                .division_codes(divisions.clone());
        }
        let engine = builder.build();
        let mut session = engine.create_session(&s, Origin::Api);
        for i in 0..n {
            let report = engine
                .submit_capture(
                    &s,
                    &mut session,
                    "document",
                    &[crate::common::image(ImageKind::DocumentFront)],
                )
                .unwrap_or_else(|e| panic!("{label} {i}: {e}"));
            emitted.add(
                &format!("engine rules, {label} {i}"),
                engine_made(report.checks),
            );
        }
    };
    let ok = |d: DocumentData| (d, vec![mrz_ok()]);
    let code = |c: &str, printed: Option<&str>| {
        with(&base, &|d| {
            set(d, "division_code", c);
            if let Some(p) = printed {
                set(d, "issuing_authority", p);
            }
        })
    };
    // One document, then another in the same step after a failed capture.
    run(
        "different documents",
        false,
        false,
        false,
        vec![
            (base.clone(), vec![crate::common::mrz_bad()]),
            ok(with(&base, &|d| set(d, "document_number", "N0000001"))),
        ],
    );
    run(
        "type and country refused",
        false,
        false,
        false,
        vec![ok(with(&base, &|d| {
            d.document_type = Some(DocumentType::IdCard);
            d.issuing_state = Some("XXX".into());
        }))],
    );
    run(
        "type, country and number unread",
        false,
        false,
        false,
        vec![ok(with(&base, &|d| {
            d.document_type = None;
            d.issuing_state = None;
            d.fields.retain(|f| f.name != "document_number");
        }))],
    );
    // History: the reference approved, a renewal, a conflict, and data from the visual zone only.
    run("history first", true, false, true, vec![ok(base.clone())]);
    run(
        "history renewal",
        true,
        false,
        true,
        vec![ok(with(&base, &|d| {
            set(d, "document_number", "N0000001");
            set(d, "expiry_date", "2036-04-15");
        }))],
    );
    run(
        "history conflict",
        true,
        false,
        true,
        vec![ok(with(&base, &|d| {
            set(d, "document_number", "Q5555555");
            set(d, "expiry_date", "2030-01-01");
        }))],
    );
    run(
        "history from the visual zone",
        true,
        false,
        true,
        vec![ok(with(&base, &|d| {
            d.fields
                .iter_mut()
                .for_each(|f| f.source = FieldSource::Visual)
        }))],
    );
    // Division codes: known (printed authority unread, matching, differing), unknown, not read,
    // and no table configured.
    for (label, doc, stores) in [
        ("division known", code("770-001", None), true),
        (
            "division printed",
            code("770-001", Some("ТЕСТОВОЕ ПОДРАЗДЕЛЕНИЕ 1 (МОСКВА)")),
            true,
        ),
        (
            "division printed otherwise",
            code("770-001", Some("ДРУГОЕ ПОДРАЗДЕЛЕНИЕ")),
            true,
        ),
        ("division unknown", code("999-999", None), true),
        ("division not read", base.clone(), true),
        ("division without a table", code("770-001", None), false),
    ] {
        run(label, false, true, stores, vec![ok(doc)]);
    }
    // A division code whose unit was formed after the passport's issue date.
    let dated: Arc<dyn kyc_core::document::mrz::DivisionCodeDb> = Arc::new(
        InMemoryDivisionDb::from_csv(
            "code,authority,valid_from,valid_to\n770-001,НОВОЕ,2020-01-01,\n".as_bytes(),
            DivisionDbLimits::default(),
        )
        .unwrap(),
    );
    {
        let mut s = scenario.clone();
        s.fraud.check_division_code = true;
        let engine = Engine::builder(
            Arc::new(FixedClock(t0())),
            Arc::new(SeededEntropy::from_u64(8)),
        )
        .document_analyzer(ScriptedDocuments::new(vec![ok(with(
            &code("770-001", None),
            &|d| set(d, "issue_date", "2015-01-01"),
        ))]))
        .division_codes(dated)
        .build();
        let mut session = engine.create_session(&s, Origin::Api);
        let report = engine
            .submit_capture(
                &s,
                &mut session,
                "document",
                &[crate::common::image(ImageKind::DocumentFront)],
            )
            .unwrap();
        emitted.add("engine rules, division undated", engine_made(report.checks));
    }
    // Two documents in one capture.
    let engine = Engine::builder(
        Arc::new(FixedClock(t0())),
        Arc::new(SeededEntropy::from_u64(10)),
    )
    .document_analyzer(Arc::new(Twice))
    .build();
    let mut session = engine.create_session(&scenario, Origin::Api);
    let report = engine
        .submit_capture(
            &scenario,
            &mut session,
            "document",
            &[crate::common::image(ImageKind::DocumentFront)],
        )
        .unwrap();
    emitted.add("engine rules, two documents", engine_made(report.checks));

    // Face lists: a blacklist hit and a clear face, a new and a returning customer, a face without
    // a template, no lists at all.
    let lists = Arc::new(InMemoryFaceLists::calibrated().with_lists(["blacklist", "customers"]));
    lists.enroll("blacklist", "b", &face(1)).unwrap();
    lists.enroll("customers", "c", &face(2)).unwrap();
    let mut faces = scenario_with(vec![Step::Selfie(SelfieStep {
        id: "selfie".into(),
        checks: SelfieChecks {
            face_match: false,
            not_modified: false,
            screen_photo: false,
            quality: false,
            ..SelfieChecks::default()
        },
    })]);
    faces.blacklist_id = Some("blacklist".into());
    faces.customer_face_list_id = Some("customers".into());
    faces.limits.critical_errors_before_block = 20;
    for (name, template, with_lists) in [
        ("blacklisted", Some(face(1)), true),
        ("customer", Some(face(2)), true),
        ("stranger", Some(face(3)), true),
        ("no template", None, true),
        ("no lists", Some(face(3)), false),
    ] {
        let mut builder = Engine::builder(
            Arc::new(FixedClock(t0())),
            Arc::new(SeededEntropy::from_u64(11)),
        )
        .face_analyzer(Arc::new(Face::one(template)));
        if with_lists {
            builder = builder.face_lists(lists.clone());
        }
        let engine = builder.build();
        let mut session = engine.create_session(&faces, Origin::Api);
        let report = engine
            .submit_capture(
                &faces,
                &mut session,
                "selfie",
                &[crate::common::image(ImageKind::Selfie)],
            )
            .unwrap();
        emitted.add(
            &format!("engine rules, face {name}"),
            engine_made(report.checks),
        );
    }

    // Identity: a live face after the selfie, and a selfie after a live face, the same person or
    // another, without a face, with templates of another model, and with nothing to bind to.
    let passive = || {
        Step::Liveness(LivenessStep {
            id: "liveness".into(),
            mode: LivenessMode::Passive,
            challenges: 1,
            spoof_model: false,
        })
    };
    let bare_selfie = || {
        Step::Selfie(SelfieStep {
            id: "selfie".into(),
            checks: SelfieChecks {
                face_match: false,
                not_modified: false,
                screen_photo: false,
                quality: false,
                ..SelfieChecks::default()
            },
        })
    };
    let alien = FaceTemplate {
        model: "another-model".into(),
        vector: vec![1.0; 128],
    };
    let mut selfie_first = scenario_with(vec![bare_selfie(), passive()]);
    selfie_first.limits.critical_errors_before_block = 20;
    let mut live_first = scenario_with(vec![passive(), bare_selfie()]);
    live_first.limits.critical_errors_before_block = 20;
    let mut after_document = scenario_with(vec![Step::Document(document_step()), passive()]);
    after_document.limits.critical_errors_before_block = 20;
    for (label, s, selfie, live) in [
        (
            "selfie then the same live face",
            &selfie_first,
            Some(face(4)),
            Some(face(4)),
        ),
        (
            "selfie then another live face",
            &selfie_first,
            Some(face(4)),
            Some(face(5)),
        ),
        (
            "selfie then no live face",
            &selfie_first,
            Some(face(4)),
            None,
        ),
        (
            "selfie then another model's face",
            &selfie_first,
            Some(face(4)),
            Some(alien.clone()),
        ),
        (
            "live face then the same selfie",
            &live_first,
            Some(face(4)),
            Some(face(4)),
        ),
        (
            "live face then another selfie",
            &live_first,
            Some(face(5)),
            Some(face(4)),
        ),
        (
            "live face then no selfie face",
            &live_first,
            None,
            Some(face(4)),
        ),
    ] {
        let engine = Engine::builder(
            Arc::new(FixedClock(t0())),
            Arc::new(SeededEntropy::from_u64(12)),
        )
        .face_analyzer(Arc::new(Face(selfie, live)))
        .build();
        let mut session = engine.create_session(s, Origin::Api);
        for step in &s.steps {
            let kind = if step.id() == "liveness" || step.id() == "selfie" {
                ImageKind::Selfie
            } else {
                ImageKind::DocumentFront
            };
            let report = engine
                .submit_capture(s, &mut session, step.id(), &[crate::common::image(kind)])
                .unwrap_or_else(|e| panic!("{label}: {e}"));
            emitted.add(
                &format!("engine rules, {label}"),
                engine_made(report.checks),
            );
        }
    }
    // A document, then a live face: without a portrait, nothing to bind it to; with one, a new
    // photograph of its person (cosine 0.8), the portrait itself again, and another model's
    // template.
    let new_photo = FaceTemplate {
        model: kyc_core::face::embed::SFACE.to_owned(),
        vector: (0..128)
            .map(|j| match j {
                4 => 0.8,
                5 => 0.6,
                _ => 0.0,
            })
            .collect(),
    };
    let with_portrait = with(&base, &|d| d.portrait = Some(face(4)));
    for (label, document, live) in [
        ("nothing to bind", &base, face(4)),
        ("portrait then a new photograph", &with_portrait, new_photo),
        ("portrait then the portrait again", &with_portrait, face(4)),
        ("portrait then another model", &with_portrait, alien.clone()),
    ] {
        let engine = Engine::builder(
            Arc::new(FixedClock(t0())),
            Arc::new(SeededEntropy::from_u64(13)),
        )
        .document_analyzer(ScriptedDocuments::new(vec![ok(document.clone())]))
        .face_analyzer(Arc::new(Face::one(Some(live))))
        .build();
        let s = &after_document;
        let mut session = engine.create_session(s, Origin::Api);
        for (step, kind) in [
            ("document", ImageKind::DocumentFront),
            ("liveness", ImageKind::Selfie),
        ] {
            let report = engine
                .submit_capture(s, &mut session, step, &[crate::common::image(kind)])
                .unwrap();
            emitted.add(
                &format!("engine rules, {label}"),
                engine_made(report.checks),
            );
        }
    }

    // Registries' answers, as recorded.
    for source in ["mvd.invalid_passports", "fssp.enforcement_proceedings"] {
        let listed = catalogue::find(source).unwrap().fail[0].to_owned();
        for answer in [
            RegistryAnswer::Clear,
            RegistryAnswer::Listed {
                reason_code: listed.clone(),
            },
            RegistryAnswer::Unavailable {
                reason_code: "registry.timeout".into(),
            },
        ] {
            emitted.add(&format!("registry {source}"), [answer.to_check(source)]);
        }
    }

    // The pre-check's orientation, both ways.
    let photo = std::fs::read(fixture("documents/0004_passport_genuine_photo.jpg")).unwrap();
    for orientation in [CaptureOrientation::Horizontal, CaptureOrientation::Vertical] {
        let out = kyc_core::quality::precheck(
            &kyc_core::analysis::ImageData::Encoded(photo.clone()),
            &kyc_core::image::ImageLimits::default(),
            Some(orientation),
        )
        .unwrap();
        emitted.add("precheck", out.checks);
    }
}

/// The checks the engine made itself: the scripted analysers' stand-in evidence left out.
fn engine_made(checks: Vec<CheckResult>) -> Vec<CheckResult> {
    checks
        .into_iter()
        .filter(|c| catalogue::engine::ALL.iter().any(|row| row.id == c.check))
        .collect()
}

/// AML screening (`aml.sanctions`, `aml.pep`) through the engine: a potential match, no match, no
/// list attached, and a document without a name.
fn aml_screening(emitted: &mut Emitted) {
    use crate::common::{ScriptedDocuments, image, mrz_ok, passport_data};
    use kyc_core::aml::{AmlLists, ListIndex};
    use kyc_core::scenario::{AmlOnMatch, AmlScreening};

    let list = r#"{"id":"s1","schema":"Person","properties":{"name":["Anna Maria Eriksson"],"birthDate":["1974-08-12"],"topics":["sanction"]}}
{"id":"p1","schema":"Person","properties":{"name":["Anna Maria Eriksson"],"birthDate":["1974"],"topics":["role.pep"]}}"#;
    let (entities, stats) = kyc_core::aml::ftm_entities(list.as_bytes(), None).unwrap();
    let lists = Arc::new(AmlLists::new());
    lists.replace(ListIndex::build("catalogue", entities, stats));
    let mut scenario = scenario_with(vec![Step::Document(document_step())]);
    scenario.aml = Some(AmlScreening {
        sanctions: true,
        pep: true,
        on_match: AmlOnMatch::Review,
    });
    let nameless = {
        let mut d = passport_data("L898902C3", "1974-08-12", "2032-04-15");
        d.fields
            .retain(|f| f.name != "surname" && f.name != "given_names");
        d
    };
    for (label, doc, attach) in [
        (
            "aml: the listed person",
            passport_data("L898902C3", "1974-08-12", "2032-04-15"),
            true,
        ),
        (
            "aml: a namesake",
            passport_data("L898902C3", "1990-01-01", "2032-04-15"),
            true,
        ),
        (
            "aml: no list",
            passport_data("L898902C3", "1974-08-12", "2032-04-15"),
            false,
        ),
        ("aml: no name", nameless, true),
    ] {
        let mut builder = Engine::builder(
            Arc::new(FixedClock(t0())),
            Arc::new(SeededEntropy::from_u64(25)),
        )
        .document_analyzer(ScriptedDocuments::new(vec![(doc, vec![mrz_ok()])]));
        if attach {
            builder = builder.aml_lists(lists.clone());
        }
        let engine = builder.build();
        let mut session = engine.create_session(&scenario, Origin::Api);
        engine
            .submit_capture(
                &scenario,
                &mut session,
                "document",
                &[image(ImageKind::DocumentFront)],
            )
            .unwrap();
        emitted.add(label, session.database_checks.into_iter().map(|d| d.result));
    }
}
