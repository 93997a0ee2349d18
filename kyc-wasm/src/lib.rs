//! WebAssembly bindings: pre-checks in the browser before upload. Converts types and maps errors;
//! every rule and threshold comes from kyc-core, the same code the native engine runs.

use wasm_bindgen::prelude::*;

mod error;
mod image;
mod mrz;

pub use error::KycError;
pub use image::precheck_image;
pub use mrz::parse_mrz;

/// Verifies callbacks for one scenario secret on a JavaScript server, remembering seen ids.
#[wasm_bindgen]
pub struct CallbackReceiver {
    secret: kyc_core::scenario::SecretKey,
    seen: kyc_core::callback::InMemorySeenIds,
}

#[wasm_bindgen]
impl CallbackReceiver {
    /// A receiver for `secret_key`.
    #[wasm_bindgen(constructor)]
    pub fn new(secret_key: &str) -> Self {
        Self {
            secret: kyc_core::scenario::SecretKey::new(secret_key),
            seen: kyc_core::callback::InMemorySeenIds::new(100_000),
        }
    }

    /// Checks signature, timestamp (300 s around `now_unix_seconds`) and replay; decrypts; returns
    /// the notification JSON. `headers_json` is an object of header names to values.
    pub fn verify(
        &self,
        headers_json: &str,
        body: &[u8],
        now_unix_seconds: f64,
    ) -> Result<String, KycError> {
        let bad = |code: &str, message: String| KycError {
            code: code.to_owned(),
            message,
            violations: "[]".to_owned(),
        };
        let headers: std::collections::HashMap<String, String> =
            kyc_core::json::from_str(headers_json).map_err(|e| bad(e.code(), e.to_string()))?;
        let now = jiff::Timestamp::from_second(now_unix_seconds as i64)
            .map_err(|e| bad("callback.bad_time", e.to_string()))?;
        let headers = kyc_core::callback::WebhookHeaders::from_pairs(
            headers.iter().map(|(k, v)| (k.as_str(), v.as_str())),
        );
        let verified = kyc_core::callback::verify_and_decrypt(
            &self.secret,
            &headers,
            body,
            now,
            &self.seen,
            kyc_core::callback::VerifyOptions::default(),
        )
        .map_err(kyc_core::Error::from)?;
        serde_json::to_string(&verified.notification)
            .map_err(|e| bad("callback.encode", e.to_string()))
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
        let receiver = CallbackReceiver::new("fixture-only-secret-key-0123456789abcdef");
        let err = receiver.verify("{}", b"{}", 1_795_856_400.0).unwrap_err();
        assert_eq!(err.code, "callback.missing_header");
        let fixture = include_str!("../../fixtures/scenarios/passport_selfie.json");
        let normalised = validate_scenario(fixture).unwrap();
        assert!(!normalised.contains("secret"));
        assert!(normalised.contains("\"passport-selfie\""));
    }
}
