//! One whole verification in one call: scenario JSON and image bytes in, result JSON out.

use std::sync::Arc;

use kyc_core::analysis::ImageData;
use kyc_core::model::ModelSource;
use kyc_core::session::{CaptureSet, Origin};
use kyc_core::{Analyzers, Engine, FixedClock, Scenario, SeededEntropy, VerificationResult};

use crate::KycError;
use crate::time::timestamp;

/// The analysers over the models in one folder, loaded once and reused for many verifications.
#[derive(uniffi::Object)]
pub struct Verifier {
    analyzers: Analyzers,
}

#[uniffi::export]
impl Verifier {
    /// Loads the models (and ONNX Runtime) from `model_dir`, each file's hash checked. Without a
    /// folder, every check of every verification reports `unavailable`.
    #[uniffi::constructor]
    pub fn new(model_dir: Option<String>) -> Result<Arc<Self>, KycError> {
        let analyzers = match model_dir {
            Some(dir) => kyc_core::model::analyzers(&ModelSource::Dir(dir.into()))?,
            None => Analyzers::default(),
        };
        Ok(Arc::new(Self { analyzers }))
    }

    /// Runs `scenario_json` over the images: `documents` fill the document steps' sides in order
    /// (front, then back), `selfie` the selfie and passive-liveness steps; a step without its
    /// images stays open. `now_unix_seconds` and `seed` are the host's clock and randomness (the
    /// same inputs give the same result JSON, byte for byte). Returns the result JSON.
    pub fn verify(
        &self,
        scenario_json: String,
        documents: Vec<Vec<u8>>,
        selfie: Option<Vec<u8>>,
        now_unix_seconds: i64,
        seed: u64,
    ) -> Result<String, KycError> {
        let scenario = Scenario::from_json(&scenario_json)?;
        let engine = Engine::builder(
            Arc::new(FixedClock(timestamp(now_unix_seconds)?)),
            Arc::new(SeededEntropy::from_u64(seed)),
        )
        .analyzers(self.analyzers.clone())
        .build();
        let mut session = engine.create_session(&scenario, Origin::Api);
        let images = CaptureSet {
            documents: documents.into_iter().map(ImageData::Encoded).collect(),
            selfie: selfie.map(ImageData::Encoded),
            ..CaptureSet::default()
        };
        engine.run_captures(&scenario, &mut session, &images)?;
        Ok(VerificationResult::build(&scenario, &session).to_json_pretty())
    }
}

/// [`Verifier::new`] and [`Verifier::verify`] in one call (loads the models every time).
#[uniffi::export]
pub fn verify(
    scenario_json: String,
    documents: Vec<Vec<u8>>,
    selfie: Option<Vec<u8>>,
    model_dir: Option<String>,
    now_unix_seconds: i64,
    seed: u64,
) -> Result<String, KycError> {
    Verifier::new(model_dir)?.verify(scenario_json, documents, selfie, now_unix_seconds, seed)
}
