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
use crate::document::mrz::DivisionCodeDb;
use crate::error::Error;
use crate::face::{FaceMatch, FaceTemplate, SelfieData};
use crate::registry::RegistrySource;
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
    /// When the capture must stop: analysers check it before each stage
    /// ([`Deadline::check`](crate::capture::Deadline::check)).
    pub deadline: &'a crate::capture::Deadline,
}

/// A document capture, analysed.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct DocumentAnalysis {
    /// What was read, when anything was.
    pub document: Option<DocumentData>,
    /// Evidence for each enabled check.
    pub checks: Vec<CheckResult>,
    /// How many distinct documents the capture shows, when the analyser can tell: two outlines
    /// or two MRZs in one frame, or a front and a back whose data disagree, count 2. `None` when
    /// it cannot tell. Read by `fraud.block_different_documents_in_step`.
    pub documents_in_frame: Option<u32>,
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

/// The closest person found in a face list.
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
    /// The person in `list_id` whose face is closest to `face`, with the similarity and the
    /// threshold a hit is held to; `None` when the list is empty. `Err` when the list cannot be
    /// searched (unknown id, incompatible template).
    fn closest(&self, list_id: &str, face: &FaceTemplate) -> Result<Option<FaceListHit>, Error>;

    /// Adds `face` to `list_id` as `person_id` (replacing what the list held for that person).
    fn enroll(&self, list_id: &str, person_id: &str, face: &FaceTemplate) -> Result<(), Error>;

    /// The closest person in `list_id` at or above the threshold, if any.
    fn best_match(&self, list_id: &str, face: &FaceTemplate) -> Result<Option<FaceListHit>, Error> {
        Ok(self.closest(list_id, face)?.filter(FaceListHit::is_hit))
    }
}

impl FaceListHit {
    /// Whether the similarity reaches the threshold (a score at the threshold is a hit).
    pub fn is_hit(&self) -> bool {
        self.score >= self.threshold
    }
}

/// The answer of a history lookup.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum HistoryVerdict {
    /// Never seen, or seen with the same document data.
    Consistent,
    /// The same person with a newer document of the same type: another number, a later issue
    /// (or, when the issue date is not read, expiry) date. Not a conflict.
    Renewal,
    /// The same person submitted the same document type with other data that is not a renewal.
    Conflict,
    /// The document lacks what attributes it to a person reliably: the type, and the name, birth
    /// date and number read from an MRZ whose check digits verify. Nothing can be said.
    Incomplete,
}

/// Remembers who showed which document in approved sessions, to catch the same person with
/// different data. Only the engine records, and only what an approved session read from a
/// verified MRZ: a misread or a refused attempt never becomes the reference.
pub trait HistoryStore: Send + Sync {
    /// Checks `document` against the documents recorded for the same person, without recording.
    fn check(&self, document: &DocumentData) -> Result<HistoryVerdict, Error>;

    /// Records `document` as the person's reference (a renewal replaces the older document).
    /// Returns false when the document is [`HistoryVerdict::Incomplete`] and nothing was kept.
    fn record(&self, document: &DocumentData) -> Result<bool, Error>;
}

/// The analysers and stores an engine runs with. Any left out makes the checks that need it
/// answer `unavailable`.
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
    /// The Russian division-code database (`fraud.check_division_code`).
    pub division_codes: Option<Arc<dyn DivisionCodeDb>>,
    /// Registries that answer at once (offline lists): when a scenario's `database_checks`
    /// names one, the engine asks it as soon as the document is read.
    pub registries: Vec<Arc<dyn RegistrySource>>,
    /// AML lists (sanctions, PEP): screened when a scenario's `aml` section enables them.
    pub aml: Option<Arc<crate::aml::AmlLists>>,
}

impl std::fmt::Debug for Analyzers {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Analyzers")
            .field("document", &self.document.is_some())
            .field("face", &self.face.is_some())
            .field("face_lists", &self.face_lists.is_some())
            .field("history", &self.history.is_some())
            .field("division_codes", &self.division_codes.is_some())
            .field(
                "registries",
                &self
                    .registries
                    .iter()
                    .map(|r| r.source())
                    .collect::<Vec<_>>(),
            )
            .field("aml", &self.aml)
            .finish()
    }
}
