//! The scenario without its secret key: what a browser, an app or an operator's screen may hold.
//! Every other property is there, under the same names; a test keeps this view and [`Scenario`]
//! in step, so a property added to the scenario cannot be left out here unnoticed.

use serde::Serialize;

use super::types::{
    AmlScreening, CallbackConfig, DatabaseCheckRule, FraudPolicy, Limits, Scenario, Step,
};

/// [`Scenario`] borrowed without its `secret_key`.
#[derive(Serialize)]
struct PublicScenario<'a> {
    id: &'a str,
    name: &'a str,
    #[serde(skip_serializing_if = "Option::is_none")]
    mobile_redirect_url: &'a Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    customer_face_list_id: &'a Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    blacklist_id: &'a Option<String>,
    limits: &'a Limits,
    fraud: &'a FraudPolicy,
    #[serde(skip_serializing_if = "Option::is_none")]
    callback: &'a Option<CallbackConfig>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    database_checks: &'a Vec<DatabaseCheckRule>,
    #[serde(skip_serializing_if = "Option::is_none")]
    aml: &'a Option<AmlScreening>,
    steps: &'a Vec<Step>,
}

impl Scenario {
    /// The scenario as JSON without its secret key (everything else, under the same names).
    pub fn to_public_json(&self) -> String {
        let Scenario {
            id,
            name,
            secret_key: _,
            mobile_redirect_url,
            customer_face_list_id,
            blacklist_id,
            limits,
            fraud,
            callback,
            database_checks,
            aml,
            steps,
        } = self;
        let view = PublicScenario {
            id,
            name,
            mobile_redirect_url,
            customer_face_list_id,
            blacklist_id,
            limits,
            fraud,
            callback,
            database_checks,
            aml,
            steps,
        };
        serde_json::to_string(&view).unwrap_or_default()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_public_view_is_the_scenario_less_its_secret() {
        let text = include_str!("../../../fixtures/scenarios/russian_passport.json");
        let scenario = Scenario::from_json(text).unwrap();
        let mut full: serde_json::Value = serde_json::from_str(&scenario.to_json()).unwrap();
        let public: serde_json::Value = serde_json::from_str(&scenario.to_public_json()).unwrap();
        assert!(full.as_object_mut().unwrap().remove("secret_key").is_some());
        assert_eq!(public, full);
        assert!(!scenario.to_public_json().contains("fixture-only-secret"));
    }
}
