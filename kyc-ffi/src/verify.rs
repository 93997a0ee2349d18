//! Verifications: scenario JSON and image bytes in, result JSON out, over the models loaded once
//! and the stores the app attached; events to the app's listener as they happen.

use std::path::PathBuf;
use std::sync::Arc;

use kyc_core::analysis::ImageData;
use kyc_core::facade::PublicError;
use kyc_core::facade::Stores;
use kyc_core::face::FaceTemplate;
use kyc_core::session::{CaptureSet, SessionEvent, SessionObserver};
use kyc_core::{Entropy, FixedClock, OsEntropy, SeededEntropy};

use crate::KycError;
use crate::stores::{FaceLists, History};
use crate::time::timestamp;

/// Receives every session event (as JSON: `session_id`, `seq`, `at`, `kind`...) as it happens.
#[uniffi::export(with_foreign)]
pub trait EventListener: Send + Sync {
    /// One event.
    fn on_event(&self, event_json: String);
}

struct Listener(Arc<dyn EventListener>);

impl SessionObserver for Listener {
    fn on_event(&self, event: &SessionEvent) {
        self.0
            .on_event(serde_json::to_string(event).unwrap_or_default());
    }
}

/// The models (loaded once, hash-checked) and the stores verifications run with.
#[derive(uniffi::Object)]
pub struct Verifier(kyc_core::facade::Verifier);

#[uniffi::export]
impl Verifier {
    /// Loads ONNX Runtime and the models from `model_dir` (else `KYC_MODEL_DIR`, else
    /// `$KYC_CACHE/models`, else `~/.cache/kyc/models`), each file's hash checked, and attaches
    /// `face_lists` and `history` (each may be left out: the checks needing it then report
    /// `unavailable`). With `models` false, no model is loaded and every analysed check reports
    /// `unavailable`.
    #[uniffi::constructor]
    pub fn new(
        model_dir: Option<String>,
        models: bool,
        face_lists: Option<Arc<FaceLists>>,
        history: Option<Arc<History>>,
    ) -> Result<Arc<Self>, KycError> {
        let verifier = if models {
            kyc_core::facade::Verifier::load(model_dir.map(PathBuf::from), None, 1)?
        } else {
            kyc_core::facade::Verifier::without_models()
        };
        Ok(Arc::new(Self(verifier.with_stores(Stores {
            face_lists: face_lists.map(|l| l.0.clone()),
            history: history.map(|h| h.0.clone()),
            ..Stores::default()
        }))))
    }

    /// Runs `scenario_json` over the images: `documents` fill the document steps' sides in order
    /// (front, then back), `selfie` the selfie and passive-liveness steps; a step without its
    /// images stays open. `now_unix_seconds` is the host's clock; session ids and nonces draw on
    /// the operating system's randomness, afresh each time (a forked process never repeats them).
    /// Returns the result JSON.
    pub fn verify(
        &self,
        scenario_json: String,
        documents: Vec<Vec<u8>>,
        selfie: Option<Vec<u8>>,
        now_unix_seconds: i64,
        listener: Option<Arc<dyn EventListener>>,
    ) -> Result<String, KycError> {
        let entropy = OsEntropy::new().map_err(|e| {
            KycError::from(PublicError::invalid_input(
                "entropy.unavailable",
                format!("no OS randomness: {e}"),
            ))
        })?;
        self.run(
            scenario_json,
            documents,
            selfie,
            now_unix_seconds,
            Arc::new(entropy),
            listener,
        )
    }

    /// Tests and golden files only: [`Verifier::verify`] with session ids and nonces from a
    /// stream seeded by `seed`, so the same inputs give the same result JSON, byte for byte. A
    /// seeded stream repeats in every process forked from one that holds it: never for hosts.
    pub fn verify_with_test_seed(
        &self,
        scenario_json: String,
        documents: Vec<Vec<u8>>,
        selfie: Option<Vec<u8>>,
        now_unix_seconds: i64,
        seed: u64,
        listener: Option<Arc<dyn EventListener>>,
    ) -> Result<String, KycError> {
        self.run(
            scenario_json,
            documents,
            selfie,
            now_unix_seconds,
            Arc::new(SeededEntropy::from_u64(seed)),
            listener,
        )
    }

    /// The template of the largest face in `image` (to enrol in [`FaceLists`]), or none.
    pub fn face_template(&self, image: Vec<u8>) -> Result<Option<FaceTemplate>, KycError> {
        Ok(self.0.face_template(&ImageData::Encoded(image))?)
    }
}

impl Verifier {
    fn run(
        &self,
        scenario_json: String,
        documents: Vec<Vec<u8>>,
        selfie: Option<Vec<u8>>,
        now_unix_seconds: i64,
        entropy: Arc<dyn Entropy>,
        listener: Option<Arc<dyn EventListener>>,
    ) -> Result<String, KycError> {
        let images = CaptureSet {
            documents: documents.into_iter().map(ImageData::Encoded).collect(),
            selfie: selfie.map(ImageData::Encoded),
            ..CaptureSet::default()
        };
        Ok(self.0.verify(
            &scenario_json,
            &images,
            Arc::new(FixedClock(timestamp(now_unix_seconds)?)),
            entropy,
            listener.map(|l| Arc::new(Listener(l)) as Arc<dyn SessionObserver>),
        )?)
    }
}

/// [`Verifier::new`] (no stores) and [`Verifier::verify`] in one call (loads the models every
/// time).
#[uniffi::export]
pub fn verify(
    scenario_json: String,
    documents: Vec<Vec<u8>>,
    selfie: Option<Vec<u8>>,
    model_dir: Option<String>,
    now_unix_seconds: i64,
) -> Result<String, KycError> {
    Verifier::new(model_dir, true, None, None)?.verify(
        scenario_json,
        documents,
        selfie,
        now_unix_seconds,
        None,
    )
}
