//! Scenario validation: every problem at once, each with its JSON path and a stable code.

use std::collections::HashSet;
use std::fmt;

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

use super::types::*;
use crate::json::JsonError;

/// One problem in a scenario.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Record))]
#[serde(rename_all = "snake_case", deny_unknown_fields)]
pub struct Violation {
    /// JSON path, e.g. `$.limits.session_lifetime_minutes`.
    pub path: String,
    /// Stable code, e.g. `scenario.out_of_range`.
    pub code: String,
    /// For people.
    pub message: String,
}

impl fmt::Display for Violation {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} ({}): {}", self.path, self.code, self.message)
    }
}

/// Why a scenario was refused.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum ScenarioError {
    /// The JSON could not be read as a scenario.
    #[error("scenario JSON: {0}")]
    Json(#[from] JsonError),
    /// The scenario was read but breaks rules; all of them are listed.
    #[error("scenario has {} problem(s); first: {}", .0.len(), .0.first().map(ToString::to_string).unwrap_or_default())]
    Invalid(Vec<Violation>),
}

impl ScenarioError {
    /// The stable code: the JSON error's own code, or `scenario.invalid`.
    pub fn code(&self) -> &'static str {
        match self {
            Self::Json(e) => e.code(),
            Self::Invalid(_) => "scenario.invalid",
        }
    }

    /// Every problem, each with its path and code. A JSON error is one problem.
    pub fn violations(&self) -> Vec<Violation> {
        match self {
            Self::Json(e) => vec![Violation {
                path: e.path().unwrap_or("$").to_owned(),
                code: e.code().to_owned(),
                message: e.to_string(),
            }],
            Self::Invalid(v) => v.clone(),
        }
    }
}

const MAX_ID_LEN: usize = 128;
const MAX_NAME_LEN: usize = 200;
const MAX_URL_LEN: usize = 2048;

/// A URL that does not parse as an absolute URL with a host, is too long, or holds white space.
pub const URL_INVALID: &str = "scenario.invalid_url";
/// A URL whose scheme is not allowed there (`javascript:`, `data:`, `ftp:`, an app's own scheme;
/// `http:` for a callback to anything but a loopback host).
pub const URL_SCHEME: &str = "scenario.url_scheme_not_allowed";

/// Most secrets a scenario retires at once (each signs every callback).
const MAX_RETIRING_KEYS: usize = 3;
/// A URL carrying a user name or password.
pub const URL_CREDENTIALS: &str = "scenario.url_has_credentials";

/// Which schemes a URL field accepts.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum UrlRule {
    /// `https`, or `http` to a loopback host (local tests): the callback, which carries results.
    HttpsOrLoopback,
    /// `http` or `https`: the redirect after approval.
    HttpAllowed,
}
const MAX_STEPS: usize = 20;
const MAX_COUNTRIES: usize = 300;
const MAX_DATABASE_CHECKS: usize = 16;
const MAX_DATABASE_DEADLINE_MINUTES: u64 = 7 * 24 * 60;

struct Collector(Vec<Violation>);

impl Collector {
    fn push(&mut self, path: impl Into<String>, code: &str, message: impl Into<String>) {
        self.0.push(Violation {
            path: path.into(),
            code: code.to_owned(),
            message: message.into(),
        });
    }

    fn range(&mut self, path: &str, value: u64, min: u64, max: u64) {
        if value < min || value > max {
            self.push(
                path,
                "scenario.out_of_range",
                format!("{value} is outside {min}..={max}"),
            );
        }
    }

    fn identifier(&mut self, path: &str, value: &str) {
        let ok_chars = value
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || matches!(b, b'-' | b'_' | b'.'));
        if value.is_empty() || value.len() > MAX_ID_LEN || !ok_chars {
            self.push(
                path,
                "scenario.invalid_identifier",
                format!("must be 1 to {MAX_ID_LEN} characters of A-Z, a-z, 0-9, '-', '_', '.'"),
            );
        }
    }

    /// A URL the engine hands on (the callback's target, the redirect after approval), parsed
    /// with a URL parser (WHATWG rules, as browsers and HTTP clients read it), never by its
    /// prefix. Only `https`, or `http` where [`UrlRule::HttpAllowed`] (a redirect) or to a
    /// loopback host for local tests (the callback); never credentials (`user:pass@`).
    fn url(&mut self, path: &str, value: &str, rule: UrlRule) {
        if value.len() > MAX_URL_LEN {
            return self.push(
                path,
                URL_INVALID,
                format!("longer than {MAX_URL_LEN} characters"),
            );
        }
        if value.chars().any(|c| c.is_control() || c.is_whitespace()) {
            return self.push(
                path,
                URL_INVALID,
                "contains white space or control characters",
            );
        }
        let parsed = match url::Url::parse(value) {
            Ok(u) => u,
            Err(e) => {
                return self.push(path, URL_INVALID, format!("not an absolute URL: {e}"));
            }
        };
        let loopback = match parsed.host() {
            Some(url::Host::Domain(d)) => d.eq_ignore_ascii_case("localhost"),
            Some(url::Host::Ipv4(ip)) => ip.is_loopback(),
            Some(url::Host::Ipv6(ip)) => ip.is_loopback(),
            None => false,
        };
        let allowed = match (parsed.scheme(), rule) {
            ("https", _) | ("http", UrlRule::HttpAllowed) => true,
            ("http", UrlRule::HttpsOrLoopback) => loopback,
            _ => false,
        };
        if !allowed {
            let message = match rule {
                UrlRule::HttpsOrLoopback => {
                    "must be an https:// URL (http only to a loopback host, for local tests)"
                }
                UrlRule::HttpAllowed => "must be an http:// or https:// URL",
            };
            return self.push(
                path,
                URL_SCHEME,
                format!("{message}, not {}:", parsed.scheme()),
            );
        }
        if parsed.host_str().is_none_or(str::is_empty) {
            return self.push(path, URL_INVALID, "has no host");
        }
        if !parsed.username().is_empty() || parsed.password().is_some() {
            self.push(
                path,
                URL_CREDENTIALS,
                "must not carry credentials (user:password@); the callback is signed instead",
            );
        }
    }
}

pub(super) fn violations(s: &Scenario) -> Vec<Violation> {
    let mut c = Collector(Vec::new());

    c.identifier("$.id", &s.id);
    if s.name.trim().is_empty()
        || s.name.chars().count() > MAX_NAME_LEN
        || s.name.chars().any(char::is_control)
    {
        c.push(
            "$.name",
            "scenario.invalid_name",
            format!("must be 1 to {MAX_NAME_LEN} printable characters"),
        );
    }
    // The message never quotes the key.
    let key_len = s.secret_key.len();
    if key_len < super::SecretKey::MIN_LEN {
        c.push(
            "$.secret_key",
            "scenario.secret_key_too_short",
            format!("must be at least {} characters", super::SecretKey::MIN_LEN),
        );
    } else if key_len > super::SecretKey::MAX_LEN {
        c.push(
            "$.secret_key",
            "scenario.secret_key_too_long",
            format!("must be at most {} characters", super::SecretKey::MAX_LEN),
        );
    }
    if let Some(url) = &s.mobile_redirect_url {
        c.url("$.mobile_redirect_url", url, UrlRule::HttpAllowed);
    }
    if let Some(id) = &s.customer_face_list_id {
        c.identifier("$.customer_face_list_id", id);
    }
    if let Some(id) = &s.blacklist_id {
        c.identifier("$.blacklist_id", id);
    }
    if let (Some(customers), Some(blacklist)) = (&s.customer_face_list_id, &s.blacklist_id)
        && customers == blacklist
    {
        c.push(
            "$.blacklist_id",
            "scenario.same_face_list",
            "the blacklist and the customer list must be different lists",
        );
    }

    let l = &s.limits;
    c.range(
        "$.limits.critical_errors_before_block",
        l.critical_errors_before_block.into(),
        1,
        100,
    );
    c.range(
        "$.limits.failed_attempts_allowed",
        l.failed_attempts_allowed.into(),
        0,
        100,
    );
    c.range("$.limits.retention_days", l.retention_days.into(), 0, 3650);
    c.range(
        "$.limits.session_lifetime_minutes",
        l.session_lifetime_minutes.into(),
        1,
        43_200,
    );
    if let Some(age) = l.age_range {
        c.range("$.limits.age_range.min", age.min.into(), 0, 150);
        c.range("$.limits.age_range.max", age.max.into(), 0, 150);
        if age.min > age.max {
            c.push(
                "$.limits.age_range",
                "scenario.empty_range",
                format!("min {} is above max {}", age.min, age.max),
            );
        }
    }

    // Every combination of the callback's flags means something: `final_only` limits status
    // notifications to final ones, `database_checks_as_ready` adds one per registry answer.
    if let Some(cb) = &s.callback {
        c.url("$.callback.url", &cb.url, UrlRule::HttpsOrLoopback);
        if cb.retiring_secret_keys.len() > MAX_RETIRING_KEYS {
            c.push(
                "$.callback.retiring_secret_keys",
                "scenario.too_many_retiring_keys",
                format!("at most {MAX_RETIRING_KEYS} secrets are retired at once"),
            );
        }
        for (i, key) in cb.retiring_secret_keys.iter().enumerate() {
            let path = format!("$.callback.retiring_secret_keys[{i}]");
            // The messages never quote a key.
            if key.len() < super::SecretKey::MIN_LEN || key.len() > super::SecretKey::MAX_LEN {
                c.push(
                    &path,
                    "scenario.retiring_key_length",
                    format!(
                        "must be {} to {} characters, as the scenario's secret",
                        super::SecretKey::MIN_LEN,
                        super::SecretKey::MAX_LEN
                    ),
                );
            } else if *key == s.secret_key {
                c.push(
                    &path,
                    "scenario.retiring_key_is_current",
                    "is the scenario's own secret: a retiring secret is an older one",
                );
            }
        }
    }

    if s.database_checks.len() > MAX_DATABASE_CHECKS {
        c.push(
            "$.database_checks",
            "scenario.too_many",
            format!("at most {MAX_DATABASE_CHECKS} database checks"),
        );
    }
    let mut sources = HashSet::new();
    for (i, rule) in s.database_checks.iter().enumerate() {
        c.identifier(&format!("$.database_checks[{i}].source"), &rule.source);
        if !sources.insert(rule.source.as_str()) {
            c.push(
                format!("$.database_checks[{i}].source"),
                "scenario.duplicate_source",
                format!("source '{}' is listed twice", rule.source),
            );
        }
        c.range(
            &format!("$.database_checks[{i}].deadline_minutes"),
            rule.deadline_minutes.into(),
            1,
            MAX_DATABASE_DEADLINE_MINUTES,
        );
    }

    if let Some(aml) = &s.aml {
        if aml.enabled().is_empty() {
            c.push(
                "$.aml",
                "scenario.aml_nothing_enabled",
                "enable `sanctions`, `pep` or both, or leave `aml` out",
            );
        }
        for (i, rule) in s.database_checks.iter().enumerate() {
            if aml.enabled().contains(&rule.source.as_str()) {
                c.push(
                    format!("$.database_checks[{i}].source"),
                    "scenario.duplicate_source",
                    format!("'{}' is run by `aml`; list it there only", rule.source),
                );
            }
        }
    }

    steps(&mut c, s);
    c.0
}

fn steps(c: &mut Collector, s: &Scenario) {
    if s.steps.is_empty() || s.steps.len() > MAX_STEPS {
        c.push(
            "$.steps",
            "scenario.step_count",
            format!("must have 1 to {MAX_STEPS} steps"),
        );
    }
    let mut ids = HashSet::new();
    let mut document_seen = false;
    let mut accepts_russian_passport = false;
    for (i, step) in s.steps.iter().enumerate() {
        let kind = match step.kind() {
            StepKind::Document => "document",
            StepKind::Selfie => "selfie",
            StepKind::Liveness => "liveness",
        };
        let base = format!("$.steps[{i}].{kind}");
        c.identifier(&format!("{base}.id"), step.id());
        if !ids.insert(step.id()) {
            c.push(
                format!("{base}.id"),
                "scenario.duplicate_step_id",
                format!("step id '{}' is used twice", step.id()),
            );
        }
        match step {
            Step::Document(d) => {
                document_seen = true;
                accepts_russian_passport |= d
                    .document_types
                    .contains(&DocumentType::RussianInternalPassport);
                document_step(c, &base, d);
            }
            Step::Selfie(selfie) => {
                if (selfie.checks.face_match || selfie.checks.age_gender_match) && !document_seen {
                    c.push(
                        format!("{base}.checks"),
                        "scenario.needs_document_step",
                        "face_match and age_gender_match compare with a document: put a document step before this one",
                    );
                }
            }
            Step::Liveness(l) => {
                if l.mode == LivenessMode::Active {
                    c.range(&format!("{base}.challenges"), l.challenges.into(), 1, 5);
                }
            }
        }
    }
    if s.fraud.check_division_code && !accepts_russian_passport {
        c.push(
            "$.fraud.check_division_code",
            "scenario.needs_document_type",
            "the division-code check needs a step accepting russian_internal_passport",
        );
    }
    if s.limits.age_range.is_some() && !document_seen {
        c.push(
            "$.limits.age_range",
            "scenario.needs_document_step",
            "the age range is read from a document: add a document step",
        );
    }
}

fn document_step(c: &mut Collector, base: &str, d: &DocumentStep) {
    if d.document_types.is_empty() {
        c.push(
            format!("{base}.document_types"),
            "scenario.empty_list",
            "list at least one document type",
        );
    }
    if has_duplicates(&d.document_types) {
        c.push(
            format!("{base}.document_types"),
            "scenario.duplicate_value",
            "a document type is listed twice",
        );
    }
    if d.countries.len() > MAX_COUNTRIES {
        c.push(
            format!("{base}.countries"),
            "scenario.too_many",
            format!("at most {MAX_COUNTRIES} countries"),
        );
    }
    for (j, country) in d.countries.iter().enumerate() {
        // ICAO codes are three letters, except Germany's single `D`.
        let ok = (country.len() == 3 || country == "D")
            && country.bytes().all(|b| b.is_ascii_uppercase());
        if !ok {
            c.push(
                format!("{base}.countries[{j}]"),
                "scenario.invalid_country",
                "must be an ICAO 9303 code: three upper-case letters, or D",
            );
        }
    }
    if has_duplicates(&d.countries) {
        c.push(
            format!("{base}.countries"),
            "scenario.duplicate_value",
            "a country is listed twice",
        );
    }
    if d.sides.is_empty() {
        c.push(
            format!("{base}.sides"),
            "scenario.empty_list",
            "list at least one side",
        );
    }
    if has_duplicates(&d.sides) {
        c.push(
            format!("{base}.sides"),
            "scenario.duplicate_value",
            "a side is listed twice",
        );
    }
}

fn has_duplicates<T: Eq + std::hash::Hash>(items: &[T]) -> bool {
    let mut seen = HashSet::with_capacity(items.len());
    !items.iter().all(|item| seen.insert(item))
}
