//! Loading model files: from a folder (a setting or `KYC_MODEL_DIR`) or from bytes the host hands
//! over, always checked against the manifest's size and sha256 before use.

use std::collections::HashMap;
use std::path::{Path, PathBuf};

use sha2::{Digest, Sha256};

use super::manifest::manifest;

/// Why a model could not be loaded or run.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum ModelError {
    /// The manifest has no model of that name.
    #[error("no model called '{0}' in the manifest")]
    Unknown(String),
    /// No model folder was configured.
    #[error(
        "no model folder: set KYC_MODEL_DIR or pass one (scripts/fetch_models.py installs them)"
    )]
    NoSource,
    /// The file is not there.
    #[error("model '{name}' not found at {path} (scripts/fetch_models.py installs it)")]
    Missing {
        /// Model name.
        name: String,
        /// Where it was looked for.
        path: String,
    },
    /// The file is not the one the manifest names.
    #[error("model '{name}' at {path} has sha256 {actual}, expected {expected}")]
    HashMismatch {
        /// Model name.
        name: String,
        /// Where it was read.
        path: String,
        /// The manifest's hash.
        expected: String,
        /// The file's hash.
        actual: String,
    },
    /// The file passed its hash check but could not be read as a model.
    #[error("model '{name}' is malformed: {detail}")]
    Malformed {
        /// Model name.
        name: String,
        /// What was wrong.
        detail: String,
    },
    /// ONNX Runtime could not be loaded.
    #[error("ONNX Runtime is not available: {0}")]
    RuntimeUnavailable(String),
    /// ONNX Runtime failed on the model.
    #[error("model '{name}': {detail}")]
    Inference {
        /// Model name.
        name: String,
        /// What the runtime said.
        detail: String,
    },
}

impl ModelError {
    /// The stable code.
    pub fn code(&self) -> &'static str {
        match self {
            Self::Unknown(_) => "model.unknown",
            Self::NoSource => "model.no_source",
            Self::Missing { .. } => "model.missing",
            Self::HashMismatch { .. } => "model.hash_mismatch",
            Self::Malformed { .. } => "model.malformed",
            Self::RuntimeUnavailable(_) => "model.runtime_unavailable",
            Self::Inference { .. } => "model.inference",
        }
    }
}

/// Where model files come from.
#[derive(Clone, Debug)]
pub enum ModelSource {
    /// A folder holding the files under their own names.
    Dir(PathBuf),
    /// Bytes the host already holds (e.g. from app assets), by model name.
    Bytes(HashMap<String, Vec<u8>>),
}

impl ModelSource {
    /// The folder named by `KYC_MODEL_DIR`.
    pub fn from_env() -> Result<Self, ModelError> {
        std::env::var_os("KYC_MODEL_DIR")
            .map(|dir| Self::Dir(PathBuf::from(dir)))
            .ok_or(ModelError::NoSource)
    }

    /// The model folder every binding and example uses, by one rule: `explicit` when given, else
    /// `KYC_MODEL_DIR`, else `$KYC_CACHE/models`, else `~/.cache/kyc/models` (where
    /// `scripts/fetch_models.py` installs them). The folder is not opened here: a missing or
    /// altered model is reported, by name, when it is loaded.
    pub fn discover(explicit: Option<PathBuf>) -> Result<Self, ModelError> {
        let var = |name: &str| std::env::var_os(name).filter(|v| !v.is_empty());
        let dir = explicit
            .or_else(|| var("KYC_MODEL_DIR").map(PathBuf::from))
            .or_else(|| var("KYC_CACHE").map(|c| PathBuf::from(c).join("models")))
            .or_else(|| var("HOME").map(|h| PathBuf::from(h).join(".cache/kyc/models")))
            .ok_or(ModelError::NoSource)?;
        Ok(Self::Dir(dir))
    }

    /// Whether a file or bytes for model `name` are there (not yet whether they are the right
    /// ones: [`ModelSource::load`] checks that).
    pub fn has(&self, name: &str) -> bool {
        match self {
            Self::Dir(dir) => manifest()
                .model(name)
                .is_some_and(|spec| dir.join(spec.file_name()).is_file()),
            Self::Bytes(map) => map.contains_key(name),
        }
    }

    /// A source holding only model `name` (a folder stays the folder; host bytes are copied for
    /// that one model), for a loader that outlives the call that was given the whole source.
    pub fn only(&self, name: &str) -> Self {
        match self {
            Self::Dir(dir) => Self::Dir(dir.clone()),
            Self::Bytes(map) => Self::Bytes(
                map.get(name)
                    .map(|bytes| (name.to_owned(), bytes.clone()))
                    .into_iter()
                    .collect(),
            ),
        }
    }

    /// The checked bytes of model `name`.
    pub fn load(&self, name: &str) -> Result<Vec<u8>, ModelError> {
        let spec = manifest()
            .model(name)
            .ok_or_else(|| ModelError::Unknown(name.to_owned()))?;
        let (bytes, path) = match self {
            Self::Dir(dir) => {
                let path = dir.join(spec.file_name());
                (
                    read_bounded(&path, &spec.name, spec.bytes, &spec.sha256)?,
                    path.display().to_string(),
                )
            }
            Self::Bytes(map) => {
                let bytes = map.get(name).cloned().ok_or_else(|| ModelError::Missing {
                    name: name.to_owned(),
                    path: "<host bytes>".to_owned(),
                })?;
                (bytes, "<host bytes>".to_owned())
            }
        };
        verify(&spec.name, &spec.sha256, &bytes, &path)?;
        Ok(bytes)
    }
}

/// Checks that the ONNX Runtime library at `path` is the one the manifest pins (size, then
/// sha256), as every model is: a library is native code run with the host's rights. Hashed as it
/// is read: unlike a model, its bytes are not needed afterwards (the runtime maps the file).
#[cfg(feature = "onnx")]
pub(crate) fn check_library(path: &Path) -> Result<(), ModelError> {
    let (name, spec) = ("onnxruntime", &manifest().onnxruntime);
    expect_size(path, name, spec.bytes, &spec.sha256)?;
    let mut hasher = Sha256::new();
    let mut hash_file = || -> std::io::Result<()> {
        use std::io::Read as _;
        let mut file = std::fs::File::open(path)?;
        let mut buf = vec![0u8; 1 << 16];
        loop {
            match file.read(&mut buf)? {
                0 => return Ok(()),
                n => hasher.update(&buf[..n]),
            }
        }
    };
    hash_file().map_err(|_| missing(path, name))?;
    verify_digest(
        name,
        &spec.sha256,
        hex(&hasher.finalize()),
        &path.display().to_string(),
    )
}

fn missing(path: &Path, name: &str) -> ModelError {
    ModelError::Missing {
        name: name.to_owned(),
        path: path.display().to_string(),
    }
}

/// Refuses a file whose size is not the manifest's before anything reads it: not the file, and
/// possibly a huge impostor.
fn expect_size(path: &Path, name: &str, size: u64, sha256: &str) -> Result<(), ModelError> {
    let len = std::fs::metadata(path)
        .map_err(|_| missing(path, name))?
        .len();
    if len == size {
        Ok(())
    } else {
        Err(ModelError::HashMismatch {
            name: name.to_owned(),
            path: path.display().to_string(),
            expected: sha256.to_owned(),
            actual: format!("(size {len}, expected {size})"),
        })
    }
}

fn read_bounded(path: &Path, name: &str, size: u64, sha256: &str) -> Result<Vec<u8>, ModelError> {
    expect_size(path, name, size, sha256)?;
    std::fs::read(path).map_err(|_| missing(path, name))
}

fn verify(name: &str, sha256: &str, bytes: &[u8], path: &str) -> Result<(), ModelError> {
    verify_digest(name, sha256, hex(&Sha256::digest(bytes)), path)
}

fn verify_digest(name: &str, sha256: &str, actual: String, path: &str) -> Result<(), ModelError> {
    if actual == sha256 {
        Ok(())
    } else {
        Err(ModelError::HashMismatch {
            name: name.to_owned(),
            path: path.to_owned(),
            expected: sha256.to_owned(),
            actual,
        })
    }
}

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn unknown_missing_and_altered_models_are_typed_errors() {
        let dir = std::env::temp_dir().join(format!("kyc-model-test-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let source = ModelSource::Dir(dir.clone());
        assert_eq!(source.load("nope").unwrap_err().code(), "model.unknown");
        assert_eq!(source.load("yunet").unwrap_err().code(), "model.missing");
        let spec = manifest().model("yunet").unwrap();
        std::fs::write(dir.join(spec.file_name()), vec![0u8; spec.bytes as usize]).unwrap();
        let err = source.load("yunet").unwrap_err();
        assert_eq!(err.code(), "model.hash_mismatch");
        assert!(
            err.to_string().contains(&spec.sha256),
            "names the expected hash: {err}"
        );
        std::fs::write(dir.join(spec.file_name()), b"short").unwrap();
        assert_eq!(
            source.load("yunet").unwrap_err().code(),
            "model.hash_mismatch"
        );
        let bytes = ModelSource::Bytes(HashMap::from([("yunet".to_owned(), b"x".to_vec())]));
        assert_eq!(
            bytes.load("yunet").unwrap_err().code(),
            "model.hash_mismatch"
        );
        std::fs::remove_dir_all(&dir).unwrap();
    }

    #[test]
    #[cfg(feature = "onnx")]
    fn only_the_pinned_runtime_library_passes_its_check() {
        let dir = std::env::temp_dir().join(format!("kyc-library-test-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let spec = &manifest().onnxruntime;
        let lib = dir.join("libonnxruntime.so");
        assert_eq!(check_library(&lib).unwrap_err().code(), "model.missing");
        // Another build of the right size (a patched library): refused, naming the pinned hash.
        std::fs::write(&lib, vec![0u8; spec.bytes as usize]).unwrap();
        let err = check_library(&lib).unwrap_err();
        assert_eq!(err.code(), "model.hash_mismatch");
        assert!(err.to_string().contains(&spec.sha256), "{err}");
        assert!(err.to_string().contains("onnxruntime"), "{err}");
        // Another size: refused without reading it.
        std::fs::write(&lib, b"\x7fELF").unwrap();
        assert_eq!(
            check_library(&lib).unwrap_err().code(),
            "model.hash_mismatch"
        );
        std::fs::remove_dir_all(&dir).unwrap();
        // The installed one passes (scripts/setup.sh installs it; CI=true demands it).
        match std::env::var_os("ORT_DYLIB_PATH") {
            Some(path) => check_library(Path::new(&path)).unwrap(),
            None if std::env::var("CI").as_deref() == Ok("true") => {
                panic!("CI=true but ORT_DYLIB_PATH is not set")
            }
            None => eprintln!("skipped the installed library: ORT_DYLIB_PATH is not set"),
        }
    }
}
