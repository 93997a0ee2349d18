//! Runs in a JavaScript engine (Node) under wasm-bindgen-test: the same codes and the same JSON as
//! the native core. The golden files under `fixtures/expected/` are written by the native tests
//! (kyc-ffi/tests/golden.rs), so equality here is equality with the native engine.
#![cfg(target_arch = "wasm32")]
#![allow(clippy::unwrap_used)]

use wasm_bindgen_test::wasm_bindgen_test;

const TD3: &str =
    "P<UTOERIKSSON<<ANNA<MARIA<<<<<<<<<<<<<<<<<<<\nL898902C36UTO7408122F1204159ZE184226B<<<<<10";

#[wasm_bindgen_test]
fn scenario_errors_keep_their_codes_in_wasm() {
    let err = kyc_wasm::describe_scenario("{").unwrap_err();
    assert_eq!(err.code, "json.malformed");
    let err = kyc_wasm::describe_scenario("[1, 2]").unwrap_err();
    assert_eq!(err.code, "json.invalid_type");
    let err = kyc_wasm::describe_scenario(&"[".repeat(2 << 20)).unwrap_err();
    assert_eq!(err.code, "json.too_large");
    let fixture = include_str!("../../fixtures/scenarios/id_card_liveness.json");
    assert!(kyc_wasm::describe_scenario(fixture).is_ok());
}

#[wasm_bindgen_test]
fn mrz_report_equals_the_native_golden() {
    let report = kyc_wasm::parse_mrz(TD3, "2010-06-01").unwrap();
    assert_eq!(
        report,
        include_str!("../../fixtures/expected/mrz_td3_report.json")
    );
}

#[wasm_bindgen_test]
fn precheck_equals_the_native_golden() {
    let photo = include_bytes!("../../fixtures/documents/0004_passport_genuine_photo.jpg");
    let result = kyc_wasm::precheck_image(photo, None).unwrap();
    assert_eq!(
        result,
        include_str!("../../fixtures/expected/precheck_0004_passport_genuine_photo.json")
    );
}

#[wasm_bindgen_test]
fn mrz_garbage_is_a_kyc_error_with_code() {
    for (text, today, code) in [
        ("", "2010-06-01", "mrz.empty"),
        ("P<UTO\n123", "2010-06-01", "mrz.line_length"),
        (&"x".repeat(10_000), "2010-06-01", "mrz.too_long"),
        (
            &TD3.replacen("ERIKSSON", "eriksson", 1),
            "2010-06-01",
            "mrz.charset",
        ),
        (TD3, "2010-13-45", "input.bad_date"),
    ] {
        let err = kyc_wasm::parse_mrz(text, today).unwrap_err();
        assert_eq!(err.code, code, "{text:?}");
    }
}

#[wasm_bindgen_test]
fn image_garbage_is_a_kyc_error_with_code() {
    let png = include_bytes!("../../fixtures/faces/astronaut.png");
    let mut truncated = png.to_vec();
    truncated.truncate(png.len() / 2);
    // A valid PNG header claiming 100000 x 100000 pixels: refused from the header, not decoded.
    let mut huge = png.to_vec();
    huge[16..20].copy_from_slice(&100_000u32.to_be_bytes());
    huge[20..24].copy_from_slice(&100_000u32.to_be_bytes());
    for (bytes, codes) in [
        (&b""[..], &["image.empty"][..]),
        (b"hello, not an image", &["image.unsupported_format"]),
        (b"\xff\xd8\xff\xe0 corrupt jpeg", &["image.decode"]),
        (&truncated, &["image.decode"]),
        (
            &huge,
            &[
                "image.bad_dimensions",
                "image.limit_exceeded",
                "image.decode",
            ],
        ),
    ] {
        let err = kyc_wasm::precheck_image(bytes, None).unwrap_err();
        assert!(codes.contains(&err.code.as_str()), "{}", err.code);
    }
    let too_big = vec![0xFF; 26 << 20];
    assert_eq!(
        kyc_wasm::precheck_image(&too_big, None).unwrap_err().code,
        "image.too_large"
    );
}

/// The façade's parity cases (fixtures/expected/parity.json, written by the native core): the
/// same inputs through this binding give the same output, or the same error kind, code and
/// violations.
#[wasm_bindgen_test]
fn parity_with_the_native_facade() {
    use base64::Engine as _;
    let cases: serde_json::Value =
        serde_json::from_str(include_str!("../../fixtures/expected/parity.json")).unwrap();
    let expect = |name: &str, got: Result<String, kyc_wasm::KycError>| {
        let result = &cases[name]["result"];
        match got {
            Ok(out) => assert_eq!(result["output"].as_str(), Some(out.as_str()), "{name}"),
            Err(e) => {
                assert_eq!(result["error"]["code"], e.code.as_str(), "{name}");
                assert_eq!(result["error"]["kind"], e.kind.as_str(), "{name}");
                let violations: serde_json::Value = serde_json::from_str(&e.violations).unwrap();
                assert_eq!(result["error"]["violations"], violations, "{name}");
            }
        }
    };
    expect(
        "describe_scenario",
        kyc_wasm::describe_scenario(include_str!(
            "../../fixtures/scenarios/passport_selfie.json"
        )),
    );
    expect(
        "describe_scenario_error",
        kyc_wasm::describe_scenario(cases["describe_scenario_error"]["input"].as_str().unwrap()),
    );
    expect(
        "precheck_image",
        kyc_wasm::precheck_image(
            include_bytes!("../../fixtures/documents/0004_passport_genuine_photo.jpg"),
            Some("vertical".to_owned()),
        ),
    );
    expect(
        "precheck_image_error",
        kyc_wasm::precheck_image(b"not an image", None),
    );
    for name in ["parse_mrz", "parse_mrz_error"] {
        let case = &cases[name];
        expect(
            name,
            kyc_wasm::parse_mrz(
                case["input"].as_str().unwrap(),
                case["today"].as_str().unwrap(),
            ),
        );
    }
    let callback = &cases["callback"];
    let headers: serde_json::Map<String, serde_json::Value> = callback["headers"]
        .as_array()
        .unwrap()
        .iter()
        .map(|pair| (pair[0].as_str().unwrap().to_owned(), pair[1].clone()))
        .collect();
    let headers = serde_json::Value::Object(headers).to_string();
    let body = base64::engine::general_purpose::STANDARD
        .decode(callback["body_base64"].as_str().unwrap())
        .unwrap();
    let receiver = kyc_wasm::CallbackReceiver::new(callback["secret"].as_str().unwrap(), None);
    let now = callback["now"].as_f64().unwrap();
    expect("callback", receiver.verify(&headers, &body, now));
    expect("callback_replay", receiver.verify(&headers, &body, now));
}
