//! The scenario: the verification flow a customer configures. Plain serde data with a published JSON
//! Schema; [`Scenario::from_json`] parses and validates it, reporting every problem with its JSON path.

mod public;
mod secret;
mod types;
mod validate;

pub use secret::{HKDF_SALT, KeyPurpose, SecretKey, SubKey};
pub use types::*;
pub use validate::{ScenarioError, URL_CREDENTIALS, URL_INVALID, URL_SCHEME, Violation};

impl Scenario {
    /// Parses and validates a scenario from JSON text (at most [`crate::json::MAX_JSON_BYTES`]).
    pub fn from_json(text: &str) -> Result<Self, ScenarioError> {
        let scenario: Scenario = crate::json::from_str(text).map_err(ScenarioError::Json)?;
        scenario.validate()?;
        Ok(scenario)
    }

    /// Serialises the scenario (including its secret key: hosts store scenarios) as pretty JSON.
    pub fn to_json(&self) -> String {
        // Serialising plain data with string keys cannot fail.
        serde_json::to_string_pretty(self).unwrap_or_default()
    }

    /// Checks every value's range and the steps' consistency, returning all problems at once.
    pub fn validate(&self) -> Result<(), ScenarioError> {
        let violations = validate::violations(self);
        if violations.is_empty() {
            Ok(())
        } else {
            Err(ScenarioError::Invalid(violations))
        }
    }

    /// The step with id `step_id`, with its position in the flow.
    pub fn step(&self, step_id: &str) -> Option<(usize, &Step)> {
        self.steps
            .iter()
            .enumerate()
            .find(|(_, step)| step.id() == step_id)
    }
}
