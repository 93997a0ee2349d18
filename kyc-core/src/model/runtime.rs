//! ONNX Runtime: loaded once per process from the pinned library, sessions built once and reused.

use std::path::PathBuf;
use std::sync::{Mutex, OnceLock};

use ort::session::Session;
use ort::session::builder::GraphOptimizationLevel;

use super::store::{ModelError, ModelSource};

/// How sessions are built.
#[derive(Clone, Debug)]
pub struct RuntimeOptions {
    /// The ONNX Runtime library; `None` uses `ORT_DYLIB_PATH`, then `libonnxruntime.so` beside the
    /// models.
    pub library: Option<PathBuf>,
    /// Threads inside one inference (1 on a busy server, 2+ for one request at a time).
    pub intra_threads: usize,
}

impl Default for RuntimeOptions {
    fn default() -> Self {
        Self {
            library: None,
            intra_threads: 1,
        }
    }
}

/// A handle to the process-wide ONNX Runtime environment.
#[derive(Clone)]
pub struct Runtime {
    env: ort::environment::Environment,
    options: RuntimeOptions,
}

impl std::fmt::Debug for Runtime {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Runtime")
            .field("options", &self.options)
            .finish()
    }
}

// ONNX Runtime's library can be loaded once per process; every Runtime shares it.
static ENVIRONMENT: OnceLock<Result<ort::environment::Environment, String>> = OnceLock::new();

impl Runtime {
    /// Loads ONNX Runtime (once per process) and remembers how to build sessions.
    pub fn new(options: RuntimeOptions, source: &ModelSource) -> Result<Self, ModelError> {
        let library = options
            .library
            .clone()
            .or_else(|| std::env::var_os("ORT_DYLIB_PATH").map(PathBuf::from))
            .or_else(|| match source {
                ModelSource::Dir(dir) => Some(dir.join("libonnxruntime.so")),
                ModelSource::Bytes(_) => None,
            })
            .ok_or_else(|| {
                ModelError::RuntimeUnavailable("no library path: set ORT_DYLIB_PATH".to_owned())
            })?;
        let env = ENVIRONMENT
            .get_or_init(|| {
                if !library.exists() {
                    return Err(format!("{} does not exist", library.display()));
                }
                ort::init_from(&library)
                    .map_err(|e| format!("{}: {e}", library.display()))?
                    .with_name("kyc")
                    .build()
                    .map_err(|e| e.to_string())
            })
            .clone()
            .map_err(ModelError::RuntimeUnavailable)?;
        Ok(Self { env, options })
    }

    /// A session for model `name`, its bytes checked against the manifest first.
    pub fn load(&self, source: &ModelSource, name: &str) -> Result<OnnxModel, ModelError> {
        let bytes = source.load(name)?;
        let fail = |detail: String| ModelError::Inference {
            name: name.to_owned(),
            detail,
        };
        let session = Session::builder(&self.env)
            .map_err(|e| fail(e.to_string()))?
            .with_optimization_level(GraphOptimizationLevel::Level3)
            .map_err(|e| fail(e.to_string()))?
            .with_intra_threads(self.options.intra_threads.max(1))
            .map_err(|e| fail(e.to_string()))?
            .commit_from_memory(&bytes)
            .map_err(|e| fail(e.to_string()))?;
        Ok(OnnxModel {
            name: name.to_owned(),
            session: Mutex::new(session),
        })
    }
}

/// A loaded model. Running needs exclusive access to the session, so calls on one model are
/// serialised; parallel callers use one model per thread or accept the queue.
pub struct OnnxModel {
    name: String,
    session: Mutex<Session>,
}

impl std::fmt::Debug for OnnxModel {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "OnnxModel({})", self.name)
    }
}

impl OnnxModel {
    /// The model's manifest name.
    pub fn name(&self) -> &str {
        &self.name
    }

    /// Runs `f` with the session locked; errors name the model.
    pub fn with_session<T>(
        &self,
        f: impl FnOnce(&mut Session) -> Result<T, ort::Error>,
    ) -> Result<T, ModelError> {
        let mut session = self
            .session
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner());
        f(&mut session).map_err(|e| ModelError::Inference {
            name: self.name.clone(),
            detail: e.to_string(),
        })
    }

    /// A custom metadata value of the model (e.g. the OCR dictionary).
    pub fn metadata(&self, key: &str) -> Result<Option<String>, ModelError> {
        self.with_session(|s| Ok(s.metadata()?.custom(key)))
    }
}
