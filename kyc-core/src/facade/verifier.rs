//! One verification in one call, and the engine a host drives capture by capture: the models
//! loaded once (found by [`ModelSource::discover`]), the stores attached, the host's clock,
//! randomness and event listener handed in.

use std::path::PathBuf;
use std::sync::Arc;

use super::{PublicError, Stores};
use crate::analysis::Analyzers;
use crate::capture::ImageData;
use crate::clock::Clock;
use crate::entropy::Entropy;
use crate::face::FaceTemplate;
use crate::result::VerificationResult;
use crate::scenario::Scenario;
use crate::session::{CaptureSet, Engine, NoopObserver, Origin, SessionObserver};

/// The models and stores verifications run with, loaded once and shared by many.
#[derive(Clone)]
pub struct Verifier {
    analyzers: Analyzers,
    #[cfg(feature = "onnx")]
    faces: Option<Arc<crate::face::pipeline::FacePipeline>>,
    stores: Stores,
    /// Each capture's time budget, measured from when it starts.
    #[cfg(not(target_arch = "wasm32"))]
    capture_budget: Option<std::time::Duration>,
}

impl std::fmt::Debug for Verifier {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Verifier")
            .field("analyzers", &self.analyzers)
            .field("stores", &self.stores)
            .finish()
    }
}

impl Verifier {
    /// No models: every analysed check reports `unavailable` (the engine's own rules still run).
    pub fn without_models() -> Self {
        Self {
            analyzers: Analyzers::default(),
            #[cfg(feature = "onnx")]
            faces: None,
            stores: Stores::default(),
            #[cfg(not(target_arch = "wasm32"))]
            capture_budget: None,
        }
    }

    /// Loads ONNX Runtime (`library`, else `ORT_DYLIB_PATH`, else the one beside the models) and
    /// every model of the folder [`crate::model::ModelSource::discover`] finds from `model_dir`,
    /// each file's hash checked; `threads` inside one inference.
    #[cfg(feature = "onnx")]
    pub fn load(
        model_dir: Option<PathBuf>,
        library: Option<PathBuf>,
        threads: usize,
    ) -> Result<Self, PublicError> {
        use crate::model::{ModelAnalyzers, ModelSource, RuntimeOptions};
        let source = ModelSource::discover(model_dir)?;
        let loaded = ModelAnalyzers::load(
            &source,
            RuntimeOptions {
                library,
                intra_threads: threads.max(1),
                ..RuntimeOptions::default()
            },
        )?;
        Ok(Self {
            analyzers: loaded.analyzers,
            faces: Some(loaded.faces),
            stores: Stores::default(),
            #[cfg(not(target_arch = "wasm32"))]
            capture_budget: None,
        })
    }

    /// Without the `onnx` feature (WebAssembly) models cannot be loaded.
    #[cfg(not(feature = "onnx"))]
    pub fn load(
        _model_dir: Option<PathBuf>,
        _library: Option<PathBuf>,
        _threads: usize,
    ) -> Result<Self, PublicError> {
        Err(crate::model::ModelError::RuntimeUnavailable(
            "this build has no ONNX Runtime".to_owned(),
        )
        .into())
    }

    /// With these stores attached to every engine it makes.
    #[must_use]
    pub fn with_stores(mut self, stores: Stores) -> Self {
        self.stores = stores;
        self
    }

    /// Bounds every capture of the engines made from now on by `budget` on the host's monotonic
    /// clock: past it, a capture stops before its next stage with `capture.deadline_exceeded` and
    /// is not recorded. Not in WebAssembly, where the page's clock is not the standard library's.
    #[cfg(not(target_arch = "wasm32"))]
    pub fn with_capture_budget(mut self, budget: std::time::Duration) -> Self {
        self.capture_budget = Some(budget);
        self
    }

    /// The stores attached.
    pub fn stores(&self) -> &Stores {
        &self.stores
    }

    /// Makes ready the in-memory face lists `scenario` names (its blacklist and customer list),
    /// empty until the host enrols someone: an in-memory store starts with nothing, so a list the
    /// scenario names is there to be searched. (A host's own `FaceLists` store is never touched:
    /// a list missing there is its error to report.)
    pub fn prepare(&self, scenario: &Scenario) {
        if let Some(lists) = &self.stores.face_lists {
            for id in [&scenario.blacklist_id, &scenario.customer_face_list_id]
                .into_iter()
                .flatten()
            {
                lists.create(id);
            }
        }
    }

    /// True when the models are loaded.
    pub fn models_loaded(&self) -> bool {
        self.analyzers.document.is_some()
    }

    /// An engine over the models and stores, with the host's clock, entropy and listener.
    pub fn engine(
        &self,
        clock: Arc<dyn Clock>,
        entropy: Arc<dyn Entropy>,
        observer: Option<Arc<dyn SessionObserver>>,
    ) -> Engine {
        let mut analyzers = self.analyzers.clone();
        self.stores.attach(&mut analyzers);
        let builder = Engine::builder(clock, entropy)
            .analyzers(analyzers)
            .observer(observer.unwrap_or_else(|| Arc::new(NoopObserver)));
        #[cfg(not(target_arch = "wasm32"))]
        let builder = match self.capture_budget {
            Some(budget) => {
                builder.capture_deadline(Arc::new(crate::capture::InstantTicker::start()), budget)
            }
            None => builder,
        };
        builder.build()
    }

    /// Runs `scenario_json` over `images` (documents fill the document steps' sides in order,
    /// the selfie the selfie and passive-liveness steps; a step without its images stays open)
    /// and returns the result JSON.
    pub fn verify(
        &self,
        scenario_json: &str,
        images: &CaptureSet,
        clock: Arc<dyn Clock>,
        entropy: Arc<dyn Entropy>,
        observer: Option<Arc<dyn SessionObserver>>,
    ) -> Result<String, PublicError> {
        let scenario = Scenario::from_json(scenario_json)?;
        self.prepare(&scenario);
        let engine = self.engine(clock, entropy, observer);
        let mut session = engine.create_session(&scenario, Origin::Api);
        engine.run_captures(&scenario, &mut session, images)?;
        Ok(VerificationResult::build(&scenario, &session).to_json_pretty())
    }

    /// The face template of the largest face in `image` (to enrol in a face list), or `None`
    /// when there is no face.
    pub fn face_template(&self, image: &ImageData) -> Result<Option<FaceTemplate>, PublicError> {
        #[cfg(feature = "onnx")]
        if let Some(faces) = &self.faces {
            let rgb = crate::image::decode(image, &crate::image::ImageLimits::default())?;
            return Ok(faces.main_face(&rgb)?.map(|f| f.template));
        }
        let _unread = image;
        Err(crate::model::ModelError::RuntimeUnavailable(
            "face templates need the models: this verifier has none".to_owned(),
        )
        .into())
    }
}
