//! What the engine asks of analysers, and what they give back. Document and face analysis, face lists
//! and the history store plug in here; until a real one is configured, the defaults answer
//! `unavailable` for every check, which the decision treats as "not passed", never as a pass.

use std::sync::Arc;

use jiff::civil::Date;
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

pub use crate::capture::{CaptureImage, ImageData, ImageKind, PixelFormat};
use crate::check::CheckResult;
use crate::document::DocumentData;
use crate::error::Error;
use crate::face::{FaceMatch, FaceTemplate, SelfieData};
use crate::scenario::{DocumentStep, LivenessStep, Scenario, SelfieStep};

/// What an analyser may read besides the images.
#[derive(Debug, Clone, Copy)]
pub struct AnalysisContext<'a> {
    /// The scenario being run.
    pub scenario: &'a Scenario,
    /// The session's id (active liveness derives its challenge from it).
    pub session_id: &'a str,
    /// Today's date from the engine's clock, for expiry and age.
    pub today: Date,
    /// The document portrait's face template, when a document step found one.
    pub document_portrait: Option<&'a FaceTemplate>,
    /// What earlier document steps read (birth date and sex for the age and gender check).
    pub document: Option<&'a DocumentData>,
}

/// A document capture, analysed.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct DocumentAnalysis {
    /// What was read, when anything was.
    pub document: Option<DocumentData>,
    /// Evidence for each enabled check.
    pub checks: Vec<CheckResult>,
}

/// A selfie or liveness capture, analysed.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct FaceAnalysis {
    /// What was measured of the face.
    pub selfie: Option<SelfieData>,
    /// The selfie matched against the document portrait.
    pub face_match: Option<FaceMatch>,
    /// Evidence for each enabled check.
    pub checks: Vec<CheckResult>,
}

/// Reads documents from images.
pub trait DocumentAnalyzer: Send + Sync {
    /// Analyses one capture of a document step.
    fn analyze(
        &self,
        step: &DocumentStep,
        images: &[CaptureImage],
        ctx: &AnalysisContext<'_>,
    ) -> Result<DocumentAnalysis, Error>;
}

/// Analyses faces: selfies and liveness.
pub trait FaceAnalyzer: Send + Sync {
    /// Analyses one capture of a selfie step.
    fn analyze_selfie(
        &self,
        step: &SelfieStep,
        images: &[CaptureImage],
        ctx: &AnalysisContext<'_>,
    ) -> Result<FaceAnalysis, Error>;

    /// Analyses one capture of a liveness step.
    fn analyze_liveness(
        &self,
        step: &LivenessStep,
        images: &[CaptureImage],
        ctx: &AnalysisContext<'_>,
    ) -> Result<FaceAnalysis, Error>;
}

/// A person found in a face list.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "snake_case", deny_unknown_fields)]
pub struct FaceListHit {
    /// The list's own id of the person.
    pub person_id: String,
    /// Cosine similarity.
    pub score: f64,
    /// The threshold it was held to.
    pub threshold: f64,
}

/// Face lists (customers, blacklist) the host keeps.
pub trait FaceLists: Send + Sync {
    /// The best match in `list_id` at or above the list's threshold, if any. `Err` when the list
    /// cannot be searched (unknown id, incompatible template).
    fn best_match(&self, list_id: &str, face: &FaceTemplate) -> Result<Option<FaceListHit>, Error>;
}

/// The answer of a history lookup.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum HistoryVerdict {
    /// Never seen, or seen with the same data.
    Consistent,
    /// The same person submitted the same document type with different data.
    Conflict,
}

/// Remembers who submitted which document data, to catch the same person with different data.
pub trait HistoryStore: Send + Sync {
    /// Checks `document` against what was seen before for the same person, then remembers it.
    fn check_and_record(
        &self,
        scenario: &Scenario,
        document: &DocumentData,
    ) -> Result<HistoryVerdict, Error>;
}

/// The analysers an engine runs. Any left out answers `unavailable`.
#[derive(Clone, Default)]
pub struct Analyzers {
    /// Document analysis.
    pub document: Option<Arc<dyn DocumentAnalyzer>>,
    /// Face analysis.
    pub face: Option<Arc<dyn FaceAnalyzer>>,
    /// Face lists.
    pub face_lists: Option<Arc<dyn FaceLists>>,
    /// History of submissions.
    pub history: Option<Arc<dyn HistoryStore>>,
}

impl std::fmt::Debug for Analyzers {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Analyzers")
            .field("document", &self.document.is_some())
            .field("face", &self.face.is_some())
            .field("face_lists", &self.face_lists.is_some())
            .field("history", &self.history.is_some())
            .finish()
    }
}
