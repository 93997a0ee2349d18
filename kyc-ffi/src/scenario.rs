//! Scenario calls.

use crate::KycError;

/// What a valid scenario holds, in short.
#[derive(Debug, Clone, PartialEq, Eq, uniffi::Record)]
pub struct ScenarioSummary {
    /// Scenario id.
    pub id: String,
    /// Name.
    pub name: String,
    /// Step ids in order.
    pub step_ids: Vec<String>,
}

/// Parses and validates a scenario; the error lists every problem with its path and code, exactly as
/// the Rust API reports them.
#[uniffi::export]
pub fn validate_scenario(json: String) -> Result<ScenarioSummary, KycError> {
    let scenario = kyc_core::Scenario::from_json(&json)?;
    Ok(ScenarioSummary {
        id: scenario.id.clone(),
        name: scenario.name.clone(),
        step_ids: scenario.steps.iter().map(|s| s.id().to_owned()).collect(),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn errors_carry_the_cores_codes_and_paths() {
        match validate_scenario("{\"id\": 3}".to_owned()) {
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
        let summary = validate_scenario(fixture).unwrap();
        assert_eq!(summary.step_ids, ["passport", "selfie"]);
    }
}
