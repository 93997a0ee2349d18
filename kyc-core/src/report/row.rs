//! One session as a report row: the flat, stable view exports are made of.

use jiff::Timestamp;
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

use crate::check::CheckOutcome;
use crate::document::field;
use crate::scenario::DocumentType;
use crate::session::{Decider, Origin, Session, SessionStatus};

/// A document field outside the row's fixed columns.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "snake_case", deny_unknown_fields)]
pub struct ReportField {
    /// Field name.
    pub name: String,
    /// Value as read.
    pub value: String,
}

/// One session, flattened.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "snake_case", deny_unknown_fields)]
pub struct ReportRow {
    /// The session.
    pub session_id: String,
    /// Its scenario.
    pub scenario_id: String,
    /// Where it stands.
    pub status: SessionStatus,
    /// Why.
    pub status_reason: String,
    /// Opened.
    pub created_at: Timestamp,
    /// Last changed.
    pub updated_at: Timestamp,
    /// `engine` or `operator:<id>`.
    pub decided_by: String,
    /// `api`, `link` or `manual`.
    pub origin: String,
    /// Recognised type.
    pub document_type: Option<DocumentType>,
    /// Issuing state.
    pub issuing_state: Option<String>,
    /// Given names and surname (or the document's full-name field).
    pub full_name: Option<String>,
    /// Surname.
    pub surname: Option<String>,
    /// Given names.
    pub given_names: Option<String>,
    /// Document number.
    pub document_number: Option<String>,
    /// Birth date.
    pub birth_date: Option<String>,
    /// Expiry date.
    pub expiry_date: Option<String>,
    /// Nationality.
    pub nationality: Option<String>,
    /// Reason codes of every failed or unavailable check (all captures and database checks) and,
    /// unless approved, of the status; sorted, without repeats.
    pub error_codes: Vec<String>,
    /// Every other document field, in the order read.
    pub other_fields: Vec<ReportField>,
}

/// The fields with their own column.
const OWN_COLUMNS: &[&str] = &[
    field::SURNAME,
    field::GIVEN_NAMES,
    "full_name",
    field::DOCUMENT_NUMBER,
    field::BIRTH_DATE,
    field::EXPIRY_DATE,
    field::NATIONALITY,
];

impl ReportRow {
    /// Flattens `session`.
    pub fn from_session(session: &Session) -> Self {
        // What passed (or went to review); failing that, what the last failed capture read, so
        // declined sessions can be found by name too.
        let doc = session.document().or_else(|| {
            session
                .steps
                .iter()
                .flat_map(|s| &s.captures)
                .filter_map(|c| c.document.clone())
                .next_back()
        });
        let value = |name: &str| -> Option<String> {
            doc.as_ref()
                .and_then(|d| d.field(name))
                .map(|f| f.value.clone())
        };
        let surname = value(field::SURNAME);
        let given_names = value(field::GIVEN_NAMES);
        let full_name = match (&given_names, &surname) {
            (Some(g), Some(s)) => Some(format!("{g} {s}")),
            (None, Some(s)) => Some(s.clone()),
            _ => value("full_name"),
        };
        let mut other_fields: Vec<ReportField> = Vec::new();
        if let Some(d) = &doc {
            for f in &d.fields {
                if !OWN_COLUMNS.contains(&f.name.as_str())
                    && !other_fields.iter().any(|o| o.name == f.name)
                    && let Some(best) = d.field(&f.name)
                {
                    other_fields.push(ReportField {
                        name: best.name.clone(),
                        value: best.value.clone(),
                    });
                }
            }
        }
        let mut error_codes: Vec<String> = session
            .steps
            .iter()
            .flat_map(|s| &s.captures)
            .flat_map(|c| &c.checks)
            .chain(session.database_checks.iter().map(|d| &d.result))
            .filter(|c| c.outcome != CheckOutcome::Passed)
            .map(|c| c.reason_code.clone())
            .collect();
        if session.status != SessionStatus::Approved {
            error_codes.push(session.status_reason.clone());
        }
        error_codes.sort();
        error_codes.dedup();
        Self {
            session_id: session.id.clone(),
            scenario_id: session.scenario_id.clone(),
            status: session.status,
            status_reason: session.status_reason.clone(),
            created_at: session.created_at,
            updated_at: session.updated_at,
            decided_by: match session.decider() {
                Decider::Engine => "engine".to_owned(),
                Decider::Operator { operator_id } => format!("operator:{operator_id}"),
            },
            origin: match session.origin {
                Origin::Api => "api",
                Origin::Link { .. } => "link",
                Origin::Manual { .. } => "manual",
            }
            .to_owned(),
            document_type: doc.as_ref().and_then(|d| d.document_type),
            issuing_state: doc.as_ref().and_then(|d| d.issuing_state.clone()),
            full_name,
            surname,
            given_names,
            document_number: value(field::DOCUMENT_NUMBER),
            birth_date: value(field::BIRTH_DATE),
            expiry_date: value(field::EXPIRY_DATE),
            nationality: value(field::NATIONALITY),
            error_codes,
            other_fields,
        }
    }

    /// The value of document field `name` (`full_name` included), for filtering.
    pub fn field(&self, name: &str) -> Option<&str> {
        let own = match name {
            "full_name" => &self.full_name,
            field::SURNAME => &self.surname,
            field::GIVEN_NAMES => &self.given_names,
            field::DOCUMENT_NUMBER => &self.document_number,
            field::BIRTH_DATE => &self.birth_date,
            field::EXPIRY_DATE => &self.expiry_date,
            field::NATIONALITY => &self.nationality,
            "issuing_state" => &self.issuing_state,
            _ => {
                return self
                    .other_fields
                    .iter()
                    .find(|f| f.name == name)
                    .map(|f| f.value.as_str());
            }
        };
        own.as_deref()
    }
}
