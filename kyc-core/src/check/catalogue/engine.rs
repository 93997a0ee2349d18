//! Checks the engine makes itself from what the analysers read (`session/rules.rs`): accepted
//! types and countries, one document per step, history, the face lists, the division code; and
//! the registries' answers.

use super::{CheckSpec, Critical, EnabledBy, HeldTo};
use crate::check::Comparison::{AtLeast, AtMost};
use crate::scenario::StepKind;

const DOC: &[StepKind] = &[StepKind::Document];
const FACE: &[StepKind] = &[StepKind::Selfie, StepKind::Liveness];

/// `document.type_accepted`.
pub const TYPE_ACCEPTED: CheckSpec = CheckSpec {
    id: "document.type_accepted",
    enabled_by: EnabledBy::Always,
    steps: DOC,
    held_to: HeldTo::Rule,
    pass: &["document.type_accepted"],
    fail: &["document.type_not_accepted"],
    unavailable: &["document.type_unknown"],
    critical: Critical::No,
    authenticity: false,
    measures: "the recognised document type is one the step accepts",
};

/// `document.country_accepted`.
pub const COUNTRY_ACCEPTED: CheckSpec = CheckSpec {
    id: "document.country_accepted",
    enabled_by: EnabledBy::Scenario("steps[].document.countries"),
    steps: DOC,
    held_to: HeldTo::Rule,
    pass: &["document.country_accepted"],
    fail: &["document.country_not_accepted"],
    unavailable: &["document.country_unknown"],
    critical: Critical::No,
    authenticity: false,
    measures: "the issuing state is one the step accepts",
};

/// Reason: the capture shows two documents (two outlines, two MRZs, sides that disagree).
pub const TWO_DOCUMENTS_IN_CAPTURE: &str = "document.two_documents_in_capture";

/// `document.single_document`.
pub const SINGLE_DOCUMENT: CheckSpec = CheckSpec {
    id: "document.single_document",
    enabled_by: EnabledBy::Scenario("fraud.block_different_documents_in_step"),
    steps: DOC,
    held_to: HeldTo::Rule,
    pass: &["document.single_document"],
    fail: &["document.different_documents", TWO_DOCUMENTS_IN_CAPTURE],
    unavailable: &["document.number_not_read"],
    critical: Critical::Yes,
    authenticity: true,
    measures: "one document throughout the step: the same number as earlier captures, one \
               document in the frame, front and back that agree",
};

/// Reason: the person's earlier document had the same data.
pub const HISTORY_CONSISTENT: &str = "document.history.consistent";
/// Reason: a newer document of the same person (new number, later issue or expiry date).
pub const HISTORY_RENEWAL: &str = "document.history.renewal";
/// Reason: the fields that identify the person or document were not all read from a verified MRZ.
pub const HISTORY_INCOMPLETE: &str = "document.history.incomplete";

/// `document.history`.
pub const HISTORY: CheckSpec = CheckSpec {
    id: "document.history",
    enabled_by: EnabledBy::Scenario("fraud.block_history_mismatch"),
    steps: DOC,
    held_to: HeldTo::Rule,
    pass: &[HISTORY_CONSISTENT, HISTORY_RENEWAL],
    fail: &["document.history.conflict"],
    unavailable: &[HISTORY_INCOMPLETE, "history.unavailable"],
    critical: Critical::Yes,
    authenticity: true,
    measures: "the same person (type, name, birth date) against the documents of their earlier \
               approved sessions: other data that is not a renewal is a conflict",
};

/// Reason: the capture had no face template to search with.
pub const NO_TEMPLATE: &str = "selfie.no_template";

/// `selfie.blacklist`.
pub const BLACKLIST: CheckSpec = CheckSpec {
    id: "selfie.blacklist",
    enabled_by: EnabledBy::Scenario("blacklist_id"),
    steps: FACE,
    held_to: HeldTo::PerModel(AtMost),
    pass: &["selfie.blacklist.clear"],
    fail: &["selfie.blacklist.hit"],
    unavailable: &[NO_TEMPLATE],
    critical: Critical::OnFailure,
    authenticity: false,
    measures: "similarity of the face to the closest person on the scenario's blacklist (a hit \
               at or above the model's face-match threshold blocks the session)",
};

/// Reason: the face matches a known customer.
pub const CUSTOMER_RETURNING: &str = "selfie.customer_match.returning";
/// Reason: no enrolled customer's face reaches the threshold.
pub const CUSTOMER_NEW: &str = "selfie.customer_match.new";

/// `selfie.customer_match`: evidence for the operator, never a failure.
pub const CUSTOMER_MATCH: CheckSpec = CheckSpec {
    id: "selfie.customer_match",
    enabled_by: EnabledBy::Scenario("customer_face_list_id"),
    steps: FACE,
    held_to: HeldTo::PerModel(AtLeast),
    pass: &[CUSTOMER_NEW, CUSTOMER_RETURNING],
    fail: &[],
    unavailable: &[NO_TEMPLATE],
    critical: Critical::No,
    authenticity: false,
    measures: "similarity of the face to the closest enrolled customer: a returning customer \
               (with their person id) or a new one; informs the operator, decides nothing",
};

/// Reason: the code was issued by a unit that did not exist on the document's issue date.
pub const DIVISION_NOT_ON_ISSUE_DATE: &str = "document.division_code.not_on_issue_date";

/// `document.division_code`.
pub const DIVISION_CODE: CheckSpec = CheckSpec {
    id: "document.division_code",
    enabled_by: EnabledBy::Scenario("fraud.check_division_code"),
    steps: DOC,
    held_to: HeldTo::Rule,
    pass: &["document.division_code.known"],
    fail: &["document.division_code.unknown", DIVISION_NOT_ON_ISSUE_DATE],
    unavailable: &[
        "document.division_code.not_read",
        "document.division_code.no_database",
    ],
    critical: Critical::Yes,
    authenticity: true,
    measures: "the Russian internal passport's division code (from its MRZ) is in the \
               division-code database, and where the database dates its unit, the unit existed \
               on the issue date",
};

/// `document.division_code.authority_printed`.
pub const DIVISION_AUTHORITY_PRINTED: CheckSpec = CheckSpec {
    id: "document.division_code.authority_printed",
    enabled_by: EnabledBy::Scenario("fraud.check_division_code"),
    steps: DOC,
    held_to: HeldTo::Rule,
    pass: &["document.division_code.authority_matches"],
    fail: &["document.division_code.authority_differs"],
    unavailable: &["document.division_code.authority_not_read"],
    critical: Critical::No,
    authenticity: true,
    measures: "the issuing authority printed on the page names the unit the database gives for \
               the division code; unavailable when the page's text could not be read",
};

/// Why a registry could not answer: a ticket past its deadline, the scenario's deadline passed
/// unanswered, the document lacked what the registry looks up, the source failed.
const REGISTRY_UNAVAILABLE: &[&str] = &[
    "registry.timeout",
    "registry.deadline_passed",
    "registry.missing_input",
    "registry.source",
    "registry.io",
];

/// `mvd.invalid_passports`: the MVD's list of invalid passports (a registry answer, recorded as
/// a database check; a listed passport declines the session).
pub const MVD_INVALID_PASSPORTS: CheckSpec = CheckSpec {
    id: "mvd.invalid_passports",
    enabled_by: EnabledBy::Scenario("database_checks[].source"),
    steps: DOC,
    held_to: HeldTo::Rule,
    pass: &["registry.clear"],
    fail: &["registry.invalid_passport"],
    unavailable: REGISTRY_UNAVAILABLE,
    critical: Critical::No,
    authenticity: false,
    measures: "the Russian internal passport's ten-digit series and number is not on the list of                invalid passports",
};

/// `fssp.enforcement_proceedings`: open enforcement proceedings against the person.
pub const FSSP_ENFORCEMENT: CheckSpec = CheckSpec {
    id: "fssp.enforcement_proceedings",
    enabled_by: EnabledBy::Scenario("database_checks[].source"),
    steps: DOC,
    held_to: HeldTo::Rule,
    pass: &["registry.clear"],
    fail: &["registry.enforcement_proceedings"],
    unavailable: REGISTRY_UNAVAILABLE,
    critical: Critical::No,
    authenticity: false,
    measures: "no enforcement proceeding is open against the person (full name and birth date)",
};

/// Reason: the face is the same person as every earlier face of the session.
pub const IDENTITY_SAME: &str = "face.identity.same_person";
/// Reason: the face is another person than an earlier face of the session.
pub const IDENTITY_OTHER: &str = "face.identity.other_person";
/// Reason: the capture gave no face to bind.
pub const IDENTITY_NO_FACE: &str = "face.identity.no_face";
/// Reason: no earlier face of the session (selfie, document portrait) to bind it to.
pub const IDENTITY_NOTHING_TO_BIND: &str = "face.identity.nothing_to_bind";
/// Reason: the templates were made by different models.
pub const IDENTITY_INCOMPATIBLE: &str = "face.match.incompatible";

/// `liveness.identity`: the live face is the selfie's and the document portrait's person, so a
/// fraudster cannot pass liveness with their own face and submit a victim's photo as the selfie.
pub const LIVENESS_IDENTITY: CheckSpec = CheckSpec {
    id: "liveness.identity",
    enabled_by: EnabledBy::Always,
    steps: &[StepKind::Liveness],
    held_to: HeldTo::PerModel(AtLeast),
    pass: &[IDENTITY_SAME],
    fail: &[IDENTITY_OTHER],
    unavailable: &[
        IDENTITY_NO_FACE,
        IDENTITY_NOTHING_TO_BIND,
        IDENTITY_INCOMPATIBLE,
    ],
    critical: Critical::OnFailure,
    authenticity: false,
    measures: "lowest similarity of the liveness step's face (the passive image, or the active \
               sequence's first frame, to which each movement is held) to the session's selfie \
               faces and document portrait, at the model's face-match threshold",
};

/// `liveness.portrait_copy`: the live face is a new photograph, not the document portrait
/// presented again (a liveness step may be a scenario's only face capture). Made when the session
/// has a document portrait and the step a face; the bounds are `selfie.portrait_copy`'s.
pub const LIVENESS_PORTRAIT_COPY: CheckSpec = CheckSpec {
    id: "liveness.portrait_copy",
    enabled_by: EnabledBy::Always,
    steps: &[StepKind::Liveness],
    held_to: HeldTo::PerModel(AtMost),
    pass: &[super::selfie::PORTRAIT_NEW_PHOTO],
    fail: &[super::selfie::PORTRAIT_SAME_PHOTO],
    unavailable: &[IDENTITY_INCOMPATIBLE],
    critical: Critical::OnFailure,
    authenticity: false,
    measures: "cosine similarity of the liveness step's face (the passive image, or the active \
               sequence's first frame) and the document portrait's, held below the embedding \
               model's bound for two photographs of one person",
};

/// `selfie.identity`: a selfie taken after a liveness step is the live face's person.
pub const SELFIE_IDENTITY: CheckSpec = CheckSpec {
    id: "selfie.identity",
    enabled_by: EnabledBy::Always,
    steps: &[StepKind::Selfie],
    held_to: HeldTo::PerModel(AtLeast),
    pass: &[IDENTITY_SAME],
    fail: &[IDENTITY_OTHER],
    unavailable: &[IDENTITY_NO_FACE, IDENTITY_INCOMPATIBLE],
    critical: Critical::OnFailure,
    authenticity: false,
    measures: "lowest similarity of the selfie's face to the faces of earlier liveness steps, at \
               the model's face-match threshold (the portrait is face_match's)",
};

/// Every row of the engine's own checks.
pub const ALL: &[&CheckSpec] = &[
    &TYPE_ACCEPTED,
    &COUNTRY_ACCEPTED,
    &SINGLE_DOCUMENT,
    &HISTORY,
    &BLACKLIST,
    &CUSTOMER_MATCH,
    &DIVISION_CODE,
    &DIVISION_AUTHORITY_PRINTED,
    &MVD_INVALID_PASSPORTS,
    &FSSP_ENFORCEMENT,
    &LIVENESS_IDENTITY,
    &LIVENESS_PORTRAIT_COPY,
    &SELFIE_IDENTITY,
];
