//! Scenario calls.

use crate::KycError;

/// Parses and validates scenario JSON; returns the façade's description as JSON (`id`, `name`,
/// each step's `images`, `frames` and `capture_orientation`, and the scenario without its secret
/// key). The error lists every problem with its path and code, as the Rust API reports them.
#[uniffi::export]
pub fn describe_scenario(json: String) -> Result<String, KycError> {
    Ok(kyc_core::facade::describe_scenario(&json)?.to_json())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn errors_carry_the_cores_codes_and_paths() {
        match describe_scenario("{\"id\": 3}".to_owned()) {
            Err(KycError::InvalidInput {
                code, violations, ..
            }) => {
                assert_eq!(code, "json.invalid_type");
                assert_eq!(violations[0].path, "$.id");
            }
            other => panic!("{other:?}"),
        }
        let fixture = std::fs::read_to_string(concat!(
            env!("CARGO_MANIFEST_DIR"),
            "/../fixtures/scenarios/passport_selfie.json"
        ))
        .unwrap();
        let description = describe_scenario(fixture).unwrap();
        assert!(description.contains("\"capture_orientation\":\"horizontal\""));
        assert!(!description.contains("secret"));
    }
}
