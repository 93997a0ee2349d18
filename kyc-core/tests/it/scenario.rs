//! Scenarios: the fixtures load, every property round-trips, every invalid value is reported with its
//! path and code, and bad JSON is a typed error.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use kyc_core::json::MAX_JSON_BYTES;
use kyc_core::scenario::*;
use proptest::prelude::*;
use serde_json::{Value, json};

const FIXTURES: [&str; 3] = ["passport_selfie", "id_card_liveness", "russian_passport"];

fn fixture_value(name: &str) -> Value {
    serde_json::from_str(
        &std::fs::read_to_string(crate::common::fixture(&format!("scenarios/{name}.json")))
            .unwrap(),
    )
    .unwrap()
}

fn violations(value: &Value) -> Vec<(String, String)> {
    match Scenario::from_json(&value.to_string()) {
        Ok(_) => Vec::new(),
        Err(e) => e
            .violations()
            .into_iter()
            .map(|v| (v.path, v.code))
            .collect(),
    }
}

#[test]
fn fixtures_load_and_round_trip_exactly() {
    for name in FIXTURES {
        let scenario = crate::common::scenario(name);
        let again = Scenario::from_json(&scenario.to_json()).unwrap();
        assert_eq!(scenario, again, "{name}");
        // Every key written in the fixture survives a round trip: nothing is dropped or renamed.
        let written = fixture_value(name);
        let reread: Value = serde_json::from_str(&scenario.to_json()).unwrap();
        assert_subset(&written, &reread, name);
    }
}

fn assert_subset(small: &Value, big: &Value, at: &str) {
    match (small, big) {
        (Value::Object(a), Value::Object(b)) => {
            for (k, v) in a {
                let other = b
                    .get(k)
                    .unwrap_or_else(|| panic!("{at}.{k} lost in round trip"));
                assert_subset(v, other, &format!("{at}.{k}"));
            }
        }
        (Value::Array(a), Value::Array(b)) => {
            assert_eq!(a.len(), b.len(), "{at}");
            for (i, (x, y)) in a.iter().zip(b).enumerate() {
                assert_subset(x, y, &format!("{at}[{i}]"));
            }
        }
        _ => assert_eq!(small, big, "{at}"),
    }
}

#[test]
fn fixtures_cover_the_three_flows() {
    let passport = crate::common::scenario("passport_selfie");
    assert!(
        matches!(passport.steps[0], Step::Document(ref d) if d.document_types == [DocumentType::Passport])
    );
    let id_card = crate::common::scenario("id_card_liveness");
    assert!(
        matches!(id_card.steps[0], Step::Document(ref d) if d.sides == [DocumentSide::Front, DocumentSide::Back])
    );
    assert!(matches!(id_card.steps[1], Step::Selfie(ref s) if s.checks.document_in_hand));
    assert!(matches!(id_card.steps[2], Step::Liveness(ref l) if l.mode == LivenessMode::Active));
    let russian = crate::common::scenario("russian_passport");
    assert!(russian.fraud.check_division_code);
}

#[test]
fn each_invalid_value_is_reported_with_its_path() {
    // (JSON pointer to change, new value, expected path, expected code)
    let cases: Vec<(&str, Value, &str, &str)> = vec![
        ("/id", json!(""), "$.id", "scenario.invalid_identifier"),
        (
            "/id",
            json!("has space"),
            "$.id",
            "scenario.invalid_identifier",
        ),
        ("/name", json!("  "), "$.name", "scenario.invalid_name"),
        (
            "/secret_key",
            json!("short"),
            "$.secret_key",
            "scenario.secret_key_too_short",
        ),
        (
            "/secret_key",
            json!("k".repeat(513)),
            "$.secret_key",
            "scenario.secret_key_too_long",
        ),
        (
            "/mobile_redirect_url",
            json!("not a url"),
            "$.mobile_redirect_url",
            "scenario.invalid_url",
        ),
        (
            "/customer_face_list_id",
            json!("a/b"),
            "$.customer_face_list_id",
            "scenario.invalid_identifier",
        ),
        (
            "/blacklist_id",
            json!("customers"),
            "$.blacklist_id",
            "scenario.same_face_list",
        ),
        (
            "/limits/critical_errors_before_block",
            json!(0),
            "$.limits.critical_errors_before_block",
            "scenario.out_of_range",
        ),
        (
            "/limits/critical_errors_before_block",
            json!(101),
            "$.limits.critical_errors_before_block",
            "scenario.out_of_range",
        ),
        (
            "/limits/failed_attempts_allowed",
            json!(101),
            "$.limits.failed_attempts_allowed",
            "scenario.out_of_range",
        ),
        (
            "/limits/retention_days",
            json!(3651),
            "$.limits.retention_days",
            "scenario.out_of_range",
        ),
        (
            "/limits/session_lifetime_minutes",
            json!(0),
            "$.limits.session_lifetime_minutes",
            "scenario.out_of_range",
        ),
        (
            "/limits/session_lifetime_minutes",
            json!(43_201),
            "$.limits.session_lifetime_minutes",
            "scenario.out_of_range",
        ),
        (
            "/limits/age_range",
            json!({"min": 30, "max": 20}),
            "$.limits.age_range",
            "scenario.empty_range",
        ),
        (
            "/limits/age_range",
            json!({"min": 18, "max": 200}),
            "$.limits.age_range.max",
            "scenario.out_of_range",
        ),
        (
            "/callback/url",
            json!("http://bank.example/cb"),
            "$.callback.url",
            "scenario.url_scheme_not_allowed",
        ),
        (
            "/database_checks",
            json!([{"source": "mvd.invalid_passports"}, {"source": "mvd.invalid_passports"}]),
            "$.database_checks[1].source",
            "scenario.duplicate_source",
        ),
        (
            "/database_checks",
            json!([{"source": "fssp", "deadline_minutes": 0}]),
            "$.database_checks[0].deadline_minutes",
            "scenario.out_of_range",
        ),
        (
            "/database_checks",
            json!([{"source": "fssp proceedings"}]),
            "$.database_checks[0].source",
            "scenario.invalid_identifier",
        ),
        ("/steps", json!([]), "$.steps", "scenario.step_count"),
        (
            "/steps/0/document/document_types",
            json!([]),
            "$.steps[0].document.document_types",
            "scenario.empty_list",
        ),
        (
            "/steps/0/document/document_types",
            json!(["passport", "passport"]),
            "$.steps[0].document.document_types",
            "scenario.duplicate_value",
        ),
        (
            "/steps/0/document/countries",
            json!(["DE"]),
            "$.steps[0].document.countries[0]",
            "scenario.invalid_country",
        ),
        (
            "/steps/0/document/countries",
            json!(["deu"]),
            "$.steps[0].document.countries[0]",
            "scenario.invalid_country",
        ),
        (
            "/steps/0/document/countries",
            json!(["FRA", "FRA"]),
            "$.steps[0].document.countries",
            "scenario.duplicate_value",
        ),
        (
            "/steps/0/document/sides",
            json!([]),
            "$.steps[0].document.sides",
            "scenario.empty_list",
        ),
        (
            "/steps/1/selfie/id",
            json!("passport"),
            "$.steps[1].selfie.id",
            "scenario.duplicate_step_id",
        ),
        (
            "/fraud/check_division_code",
            json!(true),
            "$.fraud.check_division_code",
            "scenario.needs_document_type",
        ),
    ];
    for (pointer, value, path, code) in cases {
        let mut scenario = fixture_value("passport_selfie");
        match scenario.pointer_mut(pointer) {
            Some(slot) => *slot = value,
            // A top-level property the fixture leaves out.
            None => scenario[pointer.trim_start_matches('/')] = value,
        }
        let found = violations(&scenario);
        assert!(
            found.contains(&(path.to_owned(), code.to_owned())),
            "{pointer}: expected {path} {code}, got {found:?}"
        );
    }
}

#[test]
fn every_combination_of_callback_flags_is_accepted() {
    for bits in 0u8..16 {
        let mut value = fixture_value("passport_selfie");
        for (i, flag) in [
            "encrypt",
            "statuses_only",
            "final_only",
            "database_checks_as_ready",
        ]
        .into_iter()
        .enumerate()
        {
            value["callback"][flag] = json!(bits & (1 << i) != 0);
        }
        assert_eq!(violations(&value), Vec::new(), "flags {bits:04b}");
    }
}

#[test]
fn every_problem_is_reported_at_once() {
    let mut s = fixture_value("passport_selfie");
    s["id"] = json!("");
    s["limits"]["retention_days"] = json!(5000);
    s["steps"][0]["document"]["countries"] = json!(["XX1"]);
    let found = violations(&s);
    assert_eq!(found.len(), 3, "{found:?}");
}

#[test]
fn selfie_before_any_document_cannot_match_faces() {
    let mut s = fixture_value("passport_selfie");
    let steps = s["steps"].as_array_mut().unwrap();
    steps.swap(0, 1);
    assert!(violations(&s).contains(&(
        "$.steps[0].selfie.checks".into(),
        "scenario.needs_document_step".into()
    )));
}

#[test]
fn shape_errors_are_typed_with_paths() {
    let cases: Vec<(String, &str, Option<&str>)> = vec![
        ("{\"id\": ".to_owned(), "json.malformed", None),
        ("not json".to_owned(), "json.malformed", None),
        ("42".to_owned(), "json.invalid_type", Some("$")),
        (
            {
                let mut s = fixture_value("passport_selfie");
                s["limits"]["colour"] = json!("blue");
                s.to_string()
            },
            "json.unknown_field",
            Some("$.limits.colour"),
        ),
        (
            {
                let mut s = fixture_value("passport_selfie");
                s["steps"][0]["document"]["checks"]["glare"] = json!(true);
                s.to_string()
            },
            "json.unknown_field",
            Some("$.steps[0].document.checks.glare"),
        ),
        (
            {
                let mut s = fixture_value("passport_selfie");
                s["limits"]["failed_attempts_allowed"] = json!(-1);
                s.to_string()
            },
            "json.invalid_value",
            Some("$.limits.failed_attempts_allowed"),
        ),
        (
            {
                let mut s = fixture_value("passport_selfie");
                s["limits"]["retention_days"] = json!("90");
                s.to_string()
            },
            "json.invalid_type",
            Some("$.limits.retention_days"),
        ),
        (
            {
                let mut s = fixture_value("passport_selfie");
                s["steps"][0]["document"]["document_types"] = json!(["passport", "library_card"]);
                s.to_string()
            },
            "json.invalid_value",
            Some("$.steps[0].document.document_types[1]"),
        ),
        (
            {
                let mut s = fixture_value("passport_selfie");
                s.as_object_mut().unwrap().remove("secret_key");
                s.to_string()
            },
            "json.missing_field",
            Some("$"),
        ),
        (
            {
                let mut s = fixture_value("passport_selfie");
                s["steps"][1] = json!({"fingerprint": {"id": "x"}});
                s.to_string()
            },
            "json.invalid_value",
            Some("$.steps[1]"),
        ),
    ];
    for (text, code, path) in cases {
        let err = Scenario::from_json(&text).unwrap_err();
        assert_eq!(err.code(), code, "{text:.80}: {err}");
        let v = err.violations();
        assert_eq!(v.len(), 1);
        if let Some(path) = path {
            assert_eq!(v[0].path, path, "{err}");
        }
    }
}

#[test]
fn json_over_one_mebibyte_is_refused_unread() {
    let mut s = fixture_value("passport_selfie");
    s["name"] = json!("x".repeat(MAX_JSON_BYTES));
    let err = Scenario::from_json(&s.to_string()).unwrap_err();
    assert_eq!(err.code(), "json.too_large");
}

#[test]
fn the_secret_key_never_shows() {
    let s = crate::common::scenario("passport_selfie");
    let secret = "fixture-only-secret-key-0123456789abcdef";
    assert!(!format!("{s:?}").contains(secret));
    let mut bad = fixture_value("passport_selfie");
    bad["secret_key"] = json!("tiny-secret");
    let err = Scenario::from_json(&bad.to_string()).unwrap_err();
    assert!(!err.to_string().contains("tiny-secret"));
    assert!(!format!("{err:?}").contains("tiny-secret"));
}

fn arb_document_step() -> impl Strategy<Value = Step> {
    (
        "[a-z]{1,8}",
        proptest::sample::subsequence(
            vec![
                DocumentType::Passport,
                DocumentType::IdCard,
                DocumentType::DrivingLicence,
                DocumentType::Visa,
                DocumentType::ResidencePermit,
                DocumentType::RussianInternalPassport,
            ],
            1..=6,
        ),
        proptest::collection::btree_set("[A-Z]{3}", 0..5),
        proptest::sample::subsequence(vec![DocumentSide::Front, DocumentSide::Back], 1..=2),
        proptest::array::uniform10(any::<bool>()),
        any::<bool>(),
    )
        .prop_map(|(id, types, countries, sides, c, vertical)| {
            Step::Document(DocumentStep {
                id: format!("doc-{id}"),
                document_types: types,
                countries: countries.into_iter().collect(),
                sides,
                checks: DocumentChecks {
                    fully_visible: c[0],
                    mrz_required: c[1],
                    editing: c[2],
                    screen_photo: c[3],
                    printout: c[4],
                    field_logic: c[5],
                    glare_blur: c[6],
                    mandatory_elements: c[7],
                    visual_mrz_match: c[8],
                    stamp_required: c[9],
                },
                capture_orientation: if vertical {
                    CaptureOrientation::Vertical
                } else {
                    CaptureOrientation::Horizontal
                },
            })
        })
}

fn arb_scenario() -> impl Strategy<Value = Scenario> {
    (
        arb_document_step(),
        proptest::array::uniform7(any::<bool>()),
        (any::<bool>(), 1u8..=5),
        (1u32..=100, 0u32..=100, 0u32..=3650, 1u32..=43_200),
        proptest::option::of((0u8..=60, 60u8..=150)),
        proptest::array::uniform3(any::<bool>()),
        proptest::option::of(proptest::array::uniform4(any::<bool>())),
        "[A-Za-z0-9]{32,64}",
    )
        .prop_map(|(doc, sc, (active, challenges), (crit, failed, days, life), age, fraud, cb, key)| {
            let accepts_ru = matches!(&doc, Step::Document(d) if d.document_types.contains(&DocumentType::RussianInternalPassport));
            Scenario {
                id: "prop".into(),
                name: "Property scenario".into(),
                secret_key: SecretKey::new(key),
                mobile_redirect_url: Some("https://app.example/done".into()),
                customer_face_list_id: Some("customers".into()),
                blacklist_id: Some("blocked".into()),
                database_checks: Vec::new(),
                aml: fraud[0].then_some(kyc_core::scenario::AmlScreening {
                    sanctions: true,
                    pep: fraud[1],
                    on_match: kyc_core::scenario::AmlOnMatch::Review,
                }),
                limits: Limits {
                    critical_errors_before_block: crit,
                    failed_attempts_allowed: failed,
                    retention_days: days,
                    session_lifetime_minutes: life,
                    age_range: age.map(|(min, max)| AgeRange { min, max }),
                },
                fraud: FraudPolicy {
                    block_different_documents_in_step: fraud[0],
                    block_history_mismatch: fraud[1],
                    check_division_code: fraud[2] && accepts_ru,
                },
                callback: cb.map(|f| CallbackConfig {
                    url: "https://host.example/cb".into(),
                    encrypt: f[0],
                    statuses_only: f[1],
                    final_only: f[2],
                    database_checks_as_ready: f[3] && !f[2],
                    retiring_secret_keys: Vec::new(),
                }),
                steps: vec![
                    doc,
                    Step::Selfie(SelfieStep {
                        id: "selfie".into(),
                        checks: SelfieChecks {
                            face_match: sc[0],
                            not_modified: sc[1],
                            screen_photo: sc[2],
                            spoof_model: sc[2] && sc[3],
                            document_in_hand: sc[3],
                            age_gender_match: sc[4],
                            deepfake: sc[5],
                            generator_framing: sc[5] && sc[6],
                            quality: sc[6],
                        },
                    }),
                    Step::Liveness(LivenessStep {
                        id: "liveness".into(),
                        mode: if active { LivenessMode::Active } else { LivenessMode::Passive },
                        challenges,
                        spoof_model: !active,
                    }),
                ],
            }
        })
}

proptest! {
    #[test]
    fn every_property_round_trips(scenario in arb_scenario()) {
        prop_assert_eq!(scenario.validate(), Ok(()));
        let again = Scenario::from_json(&scenario.to_json()).unwrap();
        prop_assert_eq!(again, scenario);
    }

    #[test]
    fn arbitrary_text_never_panics(text in ".{0,400}") {
        let _ = Scenario::from_json(&text);
    }
}

/// Each URL field parsed with a URL parser: the scheme it allows, no credentials, and the code of
/// each refusal. The prefix checks these replace accepted every `javascript:`, `data:` and custom
/// scheme as a redirect, and `http://127.0.0.1.evil.example` as a loopback callback.
#[test]
fn url_fields_are_parsed_and_held_to_their_schemes() {
    let redirect_cases: &[(&str, Option<&str>)] = &[
        ("https://bank.example/onboarding/done", None),
        ("http://bank.example/done", None),
        (
            "javascript://bank.example/%0Aalert(1)",
            Some("scenario.url_scheme_not_allowed"),
        ),
        (
            "javascript:alert(1)",
            Some("scenario.url_scheme_not_allowed"),
        ),
        (
            "data:text/html,<b>x</b>",
            Some("scenario.url_scheme_not_allowed"),
        ),
        ("myapp://done", Some("scenario.url_scheme_not_allowed")),
        (
            "https://user:pass@bank.example/done",
            Some("scenario.url_has_credentials"),
        ),
        (
            "https://user@bank.example/done",
            Some("scenario.url_has_credentials"),
        ),
        ("https://", Some("scenario.invalid_url")),
        ("/relative/path", Some("scenario.invalid_url")),
    ];
    let callback_cases: &[(&str, Option<&str>)] = &[
        ("https://bank.example/kyc/callback", None),
        ("http://127.0.0.1:9000/cb", None),
        ("http://localhost/cb", None),
        ("http://[::1]:8080/cb", None),
        (
            "http://127.0.0.1.evil.example/cb",
            Some("scenario.url_scheme_not_allowed"),
        ),
        (
            "http://localhost.evil.example/cb",
            Some("scenario.url_scheme_not_allowed"),
        ),
        (
            "https-evil://bank.example/cb",
            Some("scenario.url_scheme_not_allowed"),
        ),
        (
            "ftp://bank.example/cb",
            Some("scenario.url_scheme_not_allowed"),
        ),
        (
            "https://admin:hunter2@bank.example/cb",
            Some("scenario.url_has_credentials"),
        ),
        (
            "https://bank.example:99999/cb",
            Some("scenario.invalid_url"),
        ),
    ];
    for (pointer, path, cases) in [
        (
            "/mobile_redirect_url",
            "$.mobile_redirect_url",
            redirect_cases,
        ),
        ("/callback/url", "$.callback.url", callback_cases),
    ] {
        for (url, want) in cases {
            let mut doc = fixture_value("passport_selfie");
            *doc.pointer_mut(pointer).unwrap() = json!(url);
            let got = Scenario::from_json(&doc.to_string());
            match want {
                None => assert!(got.is_ok(), "{url}: {got:?}"),
                Some(code) => {
                    let violations = got.unwrap_err().violations();
                    assert_eq!(violations.len(), 1, "{url}: {violations:?}");
                    assert_eq!(violations[0].path, path, "{url}");
                    assert_eq!(
                        violations[0].code, *code,
                        "{url}: {}",
                        violations[0].message
                    );
                }
            }
        }
    }
}
