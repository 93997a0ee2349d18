//! ONNX Runtime: loaded once per process from the pinned library, sessions built once and reused.

use std::path::PathBuf;
use std::sync::{Mutex, OnceLock};

use ort::session::Session;
use ort::session::builder::GraphOptimizationLevel;

use super::graph_edit::{GraphEdit, apply};
use super::initializer_inputs::strip_initializer_inputs;
use super::store::{ModelError, ModelSource};

/// How sessions are built.
#[derive(Clone, Debug)]
pub struct RuntimeOptions {
    /// The ONNX Runtime library; `None` uses `ORT_DYLIB_PATH`, then `libonnxruntime.so` beside the
    /// models.
    pub library: Option<PathBuf>,
    /// Threads inside one inference (1 on a busy server, 2+ for one request at a time).
    pub intra_threads: usize,
    /// Whether the library must be the one `models.json` pins.
    pub library_check: LibraryCheck,
}

impl Default for RuntimeOptions {
    fn default() -> Self {
        Self {
            library: None,
            intra_threads: 1,
            library_check: LibraryCheck::Pinned,
        }
    }
}

/// How the ONNX Runtime library is checked before it is loaded (once per process, by the first
/// [`Runtime::new`]).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum LibraryCheck {
    /// It must be the file `models.json` pins, by size and sha256, as every model is (a mismatch
    /// is [`ModelError::HashMismatch`] named `onnxruntime`). The pinned file is the Linux x86-64
    /// build of the registry package.
    #[default]
    Pinned,
    /// The host ships and verifies its own build (another platform, an app bundle whose
    /// signature the OS checks): loaded as it is.
    HostVerified,
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
        // Checked before the first load only: once loaded, the process keeps that library (a
        // race of two first calls checks twice, harmlessly). A library that is not there stays
        // `model.runtime_unavailable`, below.
        if ENVIRONMENT.get().is_none()
            && options.library_check == LibraryCheck::Pinned
            && library.exists()
        {
            super::store::check_library(&library)?;
        }
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
        self.load_edited(source, name, &[])
    }

    /// [`Runtime::load`] with `edits` made to the checked bytes before the session is built.
    pub fn load_edited(
        &self,
        source: &ModelSource,
        name: &str,
        edits: &[GraphEdit],
    ) -> Result<OnnxModel, ModelError> {
        let bytes = source.load(name)?;
        let malformed = |e: super::proto::ProtoError| ModelError::Malformed {
            name: name.to_owned(),
            detail: e.to_string(),
        };
        // Weights listed as graph inputs could be overridden at run time, so ONNX Runtime would
        // not fold them: make them constants (SFace embeds about 13% faster on one thread).
        let bytes = strip_initializer_inputs(&bytes).map_err(malformed)?;
        let bytes = if edits.is_empty() {
            bytes
        } else {
            std::borrow::Cow::Owned(apply(&bytes, edits).map_err(malformed)?)
        };
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

#[cfg(test)]
mod tests {
    use super::super::initializer_inputs::graph_inputs;
    use super::*;

    /// The runtime and models when installed (`KYC_MODEL_DIR`, `ORT_DYLIB_PATH`), else `None`.
    fn installed() -> Option<(Runtime, ModelSource)> {
        let Ok(source) = ModelSource::from_env() else {
            eprintln!("skipped: KYC_MODEL_DIR is not set (scripts/setup.sh installs the models)");
            return None;
        };
        Some((
            Runtime::new(RuntimeOptions::default(), &source).unwrap(),
            source,
        ))
    }

    fn sface_output(session: &mut Session, input: &[f32]) -> Vec<f32> {
        let tensor =
            ort::value::TensorRef::from_array_view(([1usize, 3, 112, 112], input)).unwrap();
        let outputs = session.run(ort::inputs!["data" => tensor]).unwrap();
        outputs
            .get("fc1")
            .unwrap()
            .try_extract_tensor::<f32>()
            .unwrap()
            .1
            .to_vec()
    }

    #[test]
    fn sface_without_overridable_weights_has_one_input_and_the_same_embeddings() {
        let Some((runtime, source)) = installed() else {
            return;
        };
        let original = source.load("sface").unwrap();
        let stripped = strip_initializer_inputs(&original).unwrap();
        // SFace lists its 174 weights beside its one real input; ONNX Runtime counts only the
        // latter as session inputs either way, but treats the others as overridable.
        assert!(graph_inputs(&original).unwrap() > 100);
        assert_eq!(graph_inputs(&stripped).unwrap(), 1);
        let build = |bytes: &[u8]| {
            Session::builder(&runtime.env)
                .unwrap()
                .with_intra_threads(1)
                .unwrap()
                .commit_from_memory(bytes)
                .unwrap()
        };
        let mut before = build(&original);
        let mut after = build(&stripped);
        assert_eq!(after.inputs().len(), 1);
        assert_eq!(after.inputs()[0].name(), "data");
        // A few deterministic 0..255 crops (SFace normalises inside the graph).
        for seed in 1u32..4 {
            let mut x = seed;
            let input: Vec<f32> = (0..3 * 112 * 112)
                .map(|_| {
                    x ^= x << 13;
                    x ^= x >> 17;
                    x ^= x << 5;
                    (x % 256) as f32
                })
                .collect();
            let (a, b) = (
                sface_output(&mut before, &input),
                sface_output(&mut after, &input),
            );
            assert_eq!(a.len(), 128);
            let norm = a.iter().map(|v| v * v).sum::<f32>().sqrt();
            for (p, q) in a.iter().zip(&b) {
                assert!((p - q).abs() / norm < 1e-5, "{p} vs {q} (norm {norm})");
            }
        }
        // What the runtime builds is the stripped model.
        let model = runtime.load(&source, "sface").unwrap();
        assert_eq!(model.with_session(|s| Ok(s.inputs().len())).unwrap(), 1);
    }

    #[test]
    fn every_shipped_onnx_model_reads_and_keeps_its_real_inputs() {
        let Some((runtime, source)) = installed() else {
            return;
        };
        for spec in &super::super::manifest().models {
            if !spec.file.ends_with(".onnx") {
                continue;
            }
            let bytes = source.load(&spec.name).unwrap();
            let stripped = strip_initializer_inputs(&bytes).unwrap();
            let model = runtime.load(&source, &spec.name).unwrap();
            let inputs = model.with_session(|s| Ok(s.inputs().len())).unwrap();
            eprintln!(
                "{}: {} -> {} bytes, {inputs} input(s)",
                spec.name,
                bytes.len(),
                stripped.len()
            );
            assert!((1..=2).contains(&inputs), "{}: {inputs} inputs", spec.name);
        }
    }
}
