//! WebAssembly bindings: pre-checks in the browser before upload. A thin wrapper over kyc-core's
//! façade (`kyc_core::facade`), one to one and under its names; every rule and threshold comes
//! from kyc-core, the same code the native engine runs. No ONNX Runtime runs here, so the
//! façade's verifier and face stores are not offered.

use wasm_bindgen::prelude::*;

mod error;
mod image;
mod mrz;

pub use error::KycError;
pub use image::precheck_image;
pub use mrz::parse_mrz;

/// Verifies callbacks for one scenario secret on a JavaScript server, remembering seen ids (the
/// façade's receiver).
#[wasm_bindgen]
pub struct CallbackReceiver(kyc_core::facade::CallbackReceiver);

#[wasm_bindgen]
impl CallbackReceiver {
    /// A receiver for `secret_key`; with `require_encryption`, plain bodies are refused.
    #[wasm_bindgen(constructor)]
    pub fn new(secret_key: &str, require_encryption: Option<bool>) -> Self {
        Self(kyc_core::facade::CallbackReceiver::new(
            secret_key,
            require_encryption.unwrap_or(false),
        ))
    }

    /// Checks signature, timestamp (300 s around `now_unix_seconds`) and replay; decrypts; returns
    /// the notification JSON. `headers_json` is an object of header names to values.
    pub fn verify(
        &self,
        headers_json: &str,
        body: &[u8],
        now_unix_seconds: f64,
    ) -> Result<String, KycError> {
        let headers: std::collections::BTreeMap<String, String> =
            kyc_core::json::from_str(headers_json)
                .map_err(|e| KycError::input(e.code(), e.to_string()))?;
        let pairs: Vec<(String, String)> = headers.into_iter().collect();
        if !now_unix_seconds.is_finite() {
            return Err(KycError::input(
                "callback.bad_time",
                "now_unix_seconds is not a number".to_owned(),
            ));
        }
        Ok(self.0.verify(&pairs, body, now_unix_seconds as i64)?)
    }
}

/// Parses and validates a scenario. Returns the façade's description JSON (`id`, `name`, each
/// step's `images`, `frames` and `capture_orientation`, and `scenario`, the scenario without its
/// secret key: browsers must never hold it), or throws a `KycError` with every violation.
#[wasm_bindgen(js_name = describeScenario)]
pub fn describe_scenario(json: &str) -> Result<String, KycError> {
    Ok(kyc_core::facade::describe_scenario(json)?.to_json())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_and_paths_match_the_core() {
        let err = describe_scenario("{\"id\": 3}").unwrap_err();
        assert_eq!(err.code, "json.invalid_type");
        assert_eq!(err.kind, "invalid_input");
        assert!(err.violations.contains("\"$.id\""));
        let receiver = CallbackReceiver::new("fixture-only-secret-key-0123456789abcdef", None);
        let err = receiver.verify("{}", b"{}", 1_795_856_400.0).unwrap_err();
        assert_eq!(err.code, "callback.missing_header");
        let fixture = include_str!("../../fixtures/scenarios/passport_selfie.json");
        let description = describe_scenario(fixture).unwrap();
        assert!(!description.contains("secret"));
        assert!(description.contains("\"passport-selfie\""));
    }
}
