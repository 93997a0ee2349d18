//! The scenario's data types. Input is strict (`deny_unknown_fields`): a misspelt option is an error,
//! not a silently ignored line of configuration.

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

use super::SecretKey;

/// A verification flow as a customer configures it.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "snake_case", deny_unknown_fields)]
pub struct Scenario {
    /// Identifier API and SDK callers use to start sessions of this flow.
    pub id: String,
    /// Name for people.
    pub name: String,
    /// Encrypts and signs callbacks. Never printed in `Debug`, logs or results.
    pub secret_key: SecretKey,
    /// Where the mobile flow redirects after success.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub mobile_redirect_url: Option<String>,
    /// Face list of known customers searched with the selfie.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub customer_face_list_id: Option<String>,
    /// Face list whose hit blocks the session.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub blacklist_id: Option<String>,
    /// Attempts, lifetime, retention and age.
    #[serde(default)]
    pub limits: Limits,
    /// Cross-capture fraud rules.
    #[serde(default)]
    pub fraud: FraudPolicy,
    /// Where and how results are pushed to the customer's backend.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub callback: Option<CallbackConfig>,
    /// Registry checks the decision waits for once the steps have ended: the session is not
    /// approved until each source has answered or its deadline has passed (then it goes to
    /// review). At most 16, each source once.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub database_checks: Vec<DatabaseCheckRule>,
    /// AML screening of the verified person against the sanctions and PEP lists the host
    /// attached (`aml.sanctions`, `aml.pep`), as soon as a document is read.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub aml: Option<AmlScreening>,
    /// The steps, in the order the person goes through them.
    pub steps: Vec<Step>,
}

/// Counters and lifetimes.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "snake_case", deny_unknown_fields, default)]
pub struct Limits {
    /// Failed critical (fraud) checks before the session is blocked; protects against brute-forcing
    /// fraudulent images. 1 to 100.
    pub critical_errors_before_block: u32,
    /// Failed captures allowed per step before the session is declined. 0 to 100.
    pub failed_attempts_allowed: u32,
    /// Days session data is kept; 0 keeps it without limit. At most 3650.
    pub retention_days: u32,
    /// Minutes after creation when the session freezes and takes no new images. 1 to 43200 (30 days).
    pub session_lifetime_minutes: u32,
    /// Allowed age range, from the document's birth date.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub age_range: Option<AgeRange>,
}

impl Default for Limits {
    fn default() -> Self {
        Self {
            critical_errors_before_block: 3,
            failed_attempts_allowed: 3,
            retention_days: 0,
            session_lifetime_minutes: 24 * 60,
            age_range: None,
        }
    }
}

/// Inclusive age bounds in whole years.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "snake_case", deny_unknown_fields)]
pub struct AgeRange {
    /// Youngest allowed age.
    pub min: u8,
    /// Oldest allowed age.
    pub max: u8,
}

/// Fraud rules that look across captures and sessions.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "snake_case", deny_unknown_fields, default)]
pub struct FraudPolicy {
    /// Block when two different documents appear in one step (e.g. front of one card, back of another).
    pub block_different_documents_in_step: bool,
    /// Block when the same person already submitted the same document type with different data.
    pub block_history_mismatch: bool,
    /// Match the issuing authority against the division-code database (Russian internal passport).
    pub check_division_code: bool,
}

impl Default for FraudPolicy {
    fn default() -> Self {
        Self {
            block_different_documents_in_step: true,
            block_history_mismatch: false,
            check_division_code: false,
        }
    }
}

/// Callback delivery to the customer's backend.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "snake_case", deny_unknown_fields)]
pub struct CallbackConfig {
    /// The backend's HTTPS URL.
    pub url: String,
    /// Encrypt the body with the scenario's secret key.
    #[serde(default)]
    pub encrypt: bool,
    /// Send statuses only, never personal data.
    #[serde(default)]
    pub statuses_only: bool,
    /// Notify only when the session is finalised.
    #[serde(default)]
    pub final_only: bool,
    /// Send each database (registry) check as soon as it is ready.
    #[serde(default)]
    pub database_checks_as_ready: bool,
    /// Secrets being retired, at most three: while a receiver still verifies with an old secret,
    /// every callback is also signed with each of these (Standard Webhooks' several signatures in
    /// one header). Bodies are encrypted with the scenario's own secret only, so a receiver that
    /// decrypts takes the new secret first.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub retiring_secret_keys: Vec<SecretKey>,
}

/// A registry check the decision waits for.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "snake_case", deny_unknown_fields)]
pub struct DatabaseCheckRule {
    /// The source, as its answers are recorded (e.g. `mvd.invalid_passports`,
    /// `fssp.enforcement_proceedings`, or a host's own registry).
    pub source: String,
    /// Minutes the decision waits for the answer after the capture that ended the last step,
    /// 1 to 10080 (a week). An answer that has not come by then sends the session to review.
    #[serde(default = "default_deadline_minutes")]
    pub deadline_minutes: u32,
}

/// Which AML lists the verified person is screened against, and what a potential match does.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "snake_case", deny_unknown_fields, default)]
pub struct AmlScreening {
    /// Screen against sanctions lists (`aml.sanctions`).
    pub sanctions: bool,
    /// Screen against lists of politically exposed persons (`aml.pep`).
    pub pep: bool,
    /// What a potential match does to the session: `review` (the default) or `decline`.
    pub on_match: AmlOnMatch,
}

impl AmlScreening {
    /// The check ids screening runs, in order.
    pub fn enabled(&self) -> Vec<&'static str> {
        use crate::check::catalogue::aml;
        [(self.sanctions, aml::SANCTIONS.id), (self.pep, aml::PEP.id)]
            .into_iter()
            .filter_map(|(on, id)| on.then_some(id))
            .collect()
    }
}

/// What a potential AML match does.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum AmlOnMatch {
    /// Hold the session for an operator's review.
    #[default]
    Review,
    /// Decline the session.
    Decline,
}

fn default_deadline_minutes() -> u32 {
    60
}

/// One step of the flow.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum Step {
    /// Photograph a document.
    Document(DocumentStep),
    /// Take a selfie.
    Selfie(SelfieStep),
    /// Prove liveness.
    Liveness(LivenessStep),
}

impl Step {
    /// The step's id, unique within the scenario.
    pub fn id(&self) -> &str {
        match self {
            Self::Document(s) => &s.id,
            Self::Selfie(s) => &s.id,
            Self::Liveness(s) => &s.id,
        }
    }

    /// The step's kind as a word, for results and events.
    pub fn kind(&self) -> StepKind {
        match self {
            Self::Document(_) => StepKind::Document,
            Self::Selfie(_) => StepKind::Selfie,
            Self::Liveness(_) => StepKind::Liveness,
        }
    }
}

/// The kinds of step.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum StepKind {
    /// A document step.
    Document,
    /// A selfie step.
    Selfie,
    /// A liveness step.
    Liveness,
}

/// A document capture step.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "snake_case", deny_unknown_fields)]
pub struct DocumentStep {
    /// Step id, unique within the scenario.
    pub id: String,
    /// Document types accepted in this step.
    pub document_types: Vec<DocumentType>,
    /// Issuing countries accepted (ICAO alpha-3, e.g. `DEU`, `RUS`); empty accepts any.
    #[serde(default)]
    pub countries: Vec<String>,
    /// Sides to capture, each an image of the capture.
    #[serde(default = "default_sides")]
    pub sides: Vec<DocumentSide>,
    /// Which checks run.
    #[serde(default)]
    pub checks: DocumentChecks,
    /// How the capture frame is laid out; vertical helps low-end devices with portrait cameras.
    #[serde(default)]
    pub capture_orientation: CaptureOrientation,
}

fn default_sides() -> Vec<DocumentSide> {
    vec![DocumentSide::Front]
}

/// Document types.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum DocumentType {
    /// International passport (TD3).
    Passport,
    /// National identity card (TD1/TD2).
    IdCard,
    /// Driving licence.
    DrivingLicence,
    /// Visa (MRV-A/MRV-B).
    Visa,
    /// Residence permit.
    ResidencePermit,
    /// Russian internal passport (MRZ document code `PN`).
    RussianInternalPassport,
}

/// A side of a card.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum DocumentSide {
    /// The side with the portrait.
    Front,
    /// The other side (often with the MRZ on ID cards).
    Back,
}

/// Capture frame layout.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum CaptureOrientation {
    /// Landscape frame.
    #[default]
    Horizontal,
    /// Portrait frame.
    Vertical,
}

/// Document checks a step enables.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "snake_case", deny_unknown_fields, default)]
pub struct DocumentChecks {
    /// The whole document is in the frame.
    pub fully_visible: bool,
    /// A readable MRZ with valid check digits is required.
    pub mrz_required: bool,
    /// Signs of digital editing.
    pub editing: bool,
    /// A photo of a screen.
    pub screen_photo: bool,
    /// A printout or photocopy.
    pub printout: bool,
    /// Field logic: birth before issue before expiry, not expired, age.
    pub field_logic: bool,
    /// Glare and blur.
    pub glare_blur: bool,
    /// Signature, stamp and other mandatory elements: the holder's signature in its field (the
    /// stamp has its own switch, `stamp_required`, since most documents carry none).
    pub mandatory_elements: bool,
    /// The issuer's round stamp (violet or blue ink) must be on the page, as on the photo pages of
    /// documents whose issuers stamp them; a page without one fails.
    pub stamp_required: bool,
    /// The visual zone read by OCR and compared with the MRZ (names, number, dates), its fields
    /// added to the document data and its printed title naming the type. Recognising the page's
    /// other text costs time on every image, so it is a switch.
    pub visual_mrz_match: bool,
}

impl Default for DocumentChecks {
    fn default() -> Self {
        Self {
            fully_visible: true,
            mrz_required: false,
            editing: true,
            screen_photo: true,
            printout: true,
            field_logic: true,
            glare_blur: true,
            mandatory_elements: false,
            stamp_required: false,
            visual_mrz_match: VISUAL_MRZ_MATCH_DEFAULT,
        }
    }
}

/// Whether [`DocumentChecks::visual_mrz_match`] is on when a scenario does not say.
pub const VISUAL_MRZ_MATCH_DEFAULT: bool = true;

/// A selfie step.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "snake_case", deny_unknown_fields)]
pub struct SelfieStep {
    /// Step id, unique within the scenario.
    pub id: String,
    /// Which checks run.
    #[serde(default)]
    pub checks: SelfieChecks,
}

/// Selfie checks a step enables.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "snake_case", deny_unknown_fields, default)]
pub struct SelfieChecks {
    /// Match the face against the document portrait.
    pub face_match: bool,
    /// Not digitally modified and not a photo of a screen.
    pub not_modified: bool,
    /// A photo of a screen.
    pub screen_photo: bool,
    /// With `screen_photo`: also hold the face to the FaceAntiSpoofing model
    /// (`selfie.screen_photo.model`), which catches a document's portrait or a clean print held
    /// up to the camera. Off by default, as `LivenessStep::spoof_model`.
    pub spoof_model: bool,
    /// The person holds the document in the selfie.
    pub document_in_hand: bool,
    /// Estimated age and gender agree with the document.
    pub age_gender_match: bool,
    /// Deepfake or synthetic face: the file's metadata must carry no label of a generative model
    /// (IPTC digital source type, C2PA credentials, generator parameters). Pixels are not
    /// examined, so an unlabelled or stripped file passes (see also `generator_framing`).
    pub deepfake: bool,
    /// A square selfie whose face sits where StyleGAN-style generators put every face they make
    /// fails (`selfie.deepfake.generator_alignment`, not a fraud signal: the capture is retaken).
    /// Off by default: a capture that crops selfies square around the face can frame a real face
    /// that way.
    pub generator_framing: bool,
    /// Face size, pose, sharpness and lighting.
    pub quality: bool,
}

impl Default for SelfieChecks {
    fn default() -> Self {
        Self {
            face_match: true,
            not_modified: true,
            screen_photo: true,
            spoof_model: false,
            document_in_hand: false,
            age_gender_match: false,
            deepfake: false,
            generator_framing: false,
            quality: true,
        }
    }
}

/// A liveness step.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "snake_case", deny_unknown_fields)]
pub struct LivenessStep {
    /// Step id, unique within the scenario.
    pub id: String,
    /// Passive (one image) or active (a random challenge over frames).
    pub mode: LivenessMode,
    /// Number of challenges in active mode, 1 to 5.
    #[serde(default = "default_challenges")]
    pub challenges: u8,
    /// Passive mode: also hold the face to the FaceAntiSpoofing model (`<step>.model`). Off by
    /// default: the model is exact to its TFLite source but flagged about a third of the ordinary
    /// web portraits it was tried on as spoofs (`examples/eval_liveness.rs`), so a host turns it on
    /// once it has seen it on its own users' captures.
    #[serde(default)]
    pub spoof_model: bool,
}

fn default_challenges() -> u8 {
    2
}

/// Liveness modes.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum LivenessMode {
    /// From a single selfie.
    Passive,
    /// From a sequence of frames answering random challenges (turn left, turn right, nod).
    Active,
}

impl DocumentChecks {
    /// Ids of the enabled checks, as they appear in results.
    pub fn enabled(&self) -> Vec<&'static str> {
        use crate::check::catalogue::{document as d, mrz};
        [
            (self.fully_visible, d::FULLY_VISIBLE.id),
            (self.mrz_required, mrz::MRZ.id),
            (self.editing, d::EDITING.id),
            (self.screen_photo, d::SCREEN_PHOTO.id),
            (self.printout, d::PRINTOUT.id),
            (self.field_logic, d::FIELD_LOGIC.id),
            (self.glare_blur, d::GLARE_BLUR.id),
            (self.mandatory_elements, d::MANDATORY_ELEMENTS.id),
            (self.stamp_required, d::STAMP.id),
            (self.visual_mrz_match, d::VISUAL_MRZ_MATCH.id),
        ]
        .into_iter()
        .filter_map(|(on, id)| on.then_some(id))
        .collect()
    }
}

impl SelfieChecks {
    /// Ids of the enabled checks, as they appear in results.
    pub fn enabled(&self) -> Vec<&'static str> {
        use crate::check::catalogue::selfie as s;
        [
            (self.face_match, s::FACE_MATCH.id),
            (self.not_modified, s::NOT_MODIFIED.id),
            (self.screen_photo, s::SCREEN_PHOTO.id),
            (self.document_in_hand, s::DOCUMENT_IN_HAND.id),
            (self.age_gender_match, s::AGE_GENDER_MATCH.id),
            (self.deepfake, s::DEEPFAKE.id),
            (self.generator_framing, s::GENERATOR_ALIGNMENT.id),
            (self.quality, s::QUALITY.id),
        ]
        .into_iter()
        .filter_map(|(on, id)| on.then_some(id))
        .collect()
    }
}

impl LivenessStep {
    /// The id of this step's liveness check.
    pub fn check_id(&self) -> &'static str {
        use crate::check::catalogue::liveness;
        match self.mode {
            LivenessMode::Passive => liveness::PASSIVE.id,
            LivenessMode::Active => liveness::ACTIVE.id,
        }
    }
}
