//! WebAssembly bindings: pre-checks in the browser before upload. Converts types and maps errors;
//! every rule and threshold comes from kyc-core, the same code the native engine runs.

use wasm_bindgen::prelude::*;

/// An error with the core's stable code. `violations` is JSON: a list of `{path, code, message}`.
#[wasm_bindgen(getter_with_clone)]
#[derive(Debug, Clone)]
pub struct KycError {
    /// Stable code, e.g. `json.unknown_field`.
    pub code: String,
    /// For people.
    pub message: String,
    /// JSON array of violations (empty when the error has none).
    pub violations: String,
}

impl From<kyc_core::ScenarioError> for KycError {
    fn from(e: kyc_core::ScenarioError) -> Self {
        Self {
            code: e.code().to_owned(),
            message: e.to_string(),
            violations: serde_json::to_string(&e.violations()).unwrap_or_else(|_| "[]".to_owned()),
        }
    }
}

/// Parses and validates a scenario. Returns the normalised scenario JSON without its secret key
/// (browsers must never hold it), or throws a `KycError`.
#[wasm_bindgen(js_name = validateScenario)]
pub fn validate_scenario(json: &str) -> Result<String, KycError> {
    let scenario = kyc_core::Scenario::from_json(json)?;
    let mut value = serde_json::to_value(&scenario).unwrap_or_default();
    if let Some(object) = value.as_object_mut() {
        object.remove("secret_key");
    }
    Ok(value.to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_and_paths_match_the_core() {
        let err = validate_scenario("{\"id\": 3}").unwrap_err();
        assert_eq!(err.code, "json.invalid_type");
        assert!(err.violations.contains("\"$.id\""));
        let fixture = include_str!("../../fixtures/scenarios/passport_selfie.json");
        let normalised = validate_scenario(fixture).unwrap();
        assert!(!normalised.contains("secret"));
        assert!(normalised.contains("\"passport-selfie\""));
    }
}
