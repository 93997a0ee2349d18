//! A replaced portrait, with the real models: the age and sex the network reads on the document's
//! portrait are held to the holder's data. The committed genuine passport (Märta, born 1986-03-28,
//! issued 2024, F) carries the astronaut's portrait, a woman photographed at about 37; the attack
//! pastes Grace Hopper's portrait (fixtures/faces, a woman photographed in her late seventies)
//! over it, as a fraudster swaps in their own photo.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use std::sync::Arc;

use kyc_core::analysis::{CaptureImage, ImageKind};
use kyc_core::model::{ModelAnalyzers, RuntimeOptions};
use kyc_core::session::Origin;
use kyc_core::{CheckOutcome, CheckResult, Engine, FixedClock, SeededEntropy};

/// The genuine passport's portrait box (fixtures/documents/labels.jsonl, `portrait_quad`).
const PORTRAIT: [u32; 4] = [60, 140, 410, 590];

fn analysers() -> Option<ModelAnalyzers> {
    let (_, source) = crate::common::models()?;
    Some(ModelAnalyzers::load(&source, RuntimeOptions::default()).unwrap())
}

fn document_checks(analysers: &ModelAnalyzers, page: Vec<u8>) -> Vec<CheckResult> {
    let engine = Engine::builder(
        Arc::new(FixedClock(crate::common::t0())),
        Arc::new(SeededEntropy::from_u64(5)),
    )
    .analyzers(analysers.analyzers.clone())
    .build();
    let scenario = crate::common::scenario("passport_selfie");
    let mut session = engine.create_session(&scenario, Origin::Api);
    engine
        .submit_capture(
            &scenario,
            &mut session,
            "passport",
            &[CaptureImage::encoded(ImageKind::DocumentFront, page)],
        )
        .unwrap()
        .checks
}

fn check<'a>(checks: &'a [CheckResult], id: &str) -> &'a CheckResult {
    checks
        .iter()
        .find(|c| c.check == id)
        .unwrap_or_else(|| panic!("{id} not reported: {checks:#?}"))
}

fn genuine_page() -> image::RgbImage {
    crate::common::decoded(&crate::common::fixture(
        "documents/0000_passport_genuine_clean.jpg",
    ))
}

#[test]
fn the_genuine_portrait_fits_its_holder_and_a_swapped_one_does_not() {
    let Some(analysers) = analysers() else { return };

    let genuine = document_checks(&analysers, crate::common::encode_jpeg(&genuine_page()));
    let age = check(&genuine, "document.portrait.age");
    assert_eq!(age.outcome, CheckOutcome::Passed, "{age:?}");
    assert_eq!(age.reason_code, "document.portrait.age.consistent");
    assert!(age.score.unwrap() <= age.threshold.unwrap(), "{age:?}");
    let sex = check(&genuine, "document.portrait.sex");
    assert_eq!(sex.outcome, CheckOutcome::Passed, "{sex:?}");

    // Grace Hopper's portrait pasted over the box, to its size.
    let mut page = genuine_page();
    let [x0, y0, x1, y1] = PORTRAIT;
    let hopper = crate::common::decoded(&crate::common::fixture("faces/grace_hopper.jpg"));
    let pasted = image::imageops::resize(
        &hopper,
        x1 - x0,
        y1 - y0,
        image::imageops::FilterType::Triangle,
    );
    image::imageops::replace(&mut page, &pasted, i64::from(x0), i64::from(y0));
    let swapped = document_checks(&analysers, crate::common::encode_jpeg(&page));
    assert_eq!(
        check(&swapped, "document.portrait").outcome,
        CheckOutcome::Passed,
        "the pasted face is found as the portrait: {swapped:#?}"
    );
    let age = check(&swapped, "document.portrait.age");
    assert_eq!(age.outcome, CheckOutcome::Failed, "{age:?}");
    assert_eq!(age.reason_code, "document.portrait.age.mismatch");
    assert!(
        age.score.unwrap() > age.threshold.unwrap(),
        "the gap exceeds its threshold: {age:?}"
    );
    assert!(
        !age.critical,
        "an estimate is a reason to look, not to block"
    );
}
