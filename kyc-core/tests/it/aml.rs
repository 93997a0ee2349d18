//! AML screening through the engine: a sanctioned person's session goes to review with the
//! explained match in its result; a namesake born another year does not; Cyrillic and Latin
//! spellings meet; screening without a list is unavailable (review), never a pass; `on_match:
//! decline` declines; callbacks send the answer as it is ready; a rescreening after a list change
//! finds a new match; malformed list lines are counted, never a panic.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use std::sync::Arc;

use kyc_core::aml::{self, AmlLists, ListIndex, ListKind, PartHow};
use kyc_core::analysis::ImageKind;
use kyc_core::callback::{self, NotificationKind};
use kyc_core::document::{DocumentData, DocumentField, FieldSource};
use kyc_core::scenario::{AmlOnMatch, AmlScreening, CallbackConfig};
use kyc_core::session::{Origin, RecordingObserver};
use kyc_core::{
    CheckOutcome, Engine, FixedClock, Scenario, SeededEntropy, Session, SessionStatus,
    VerificationResult,
};

use crate::common::*;

/// A list made here, in FollowTheMoney JSON Lines.
fn ftm(lines: &[(&str, &[&str], &str, &str)]) -> String {
    lines
        .iter()
        .map(|(id, names, birth, topic)| {
            serde_json::json!({
                "id": id,
                "schema": "Person",
                "properties": {
                    "name": names,
                    "birthDate": [birth],
                    "topics": [topic],
                },
                "datasets": ["test_list"],
            })
            .to_string()
        })
        .collect::<Vec<_>>()
        .join("\n")
}

fn lists(text: &str) -> Arc<AmlLists> {
    let (entities, stats) = aml::ftm_entities(text.as_bytes(), None).unwrap();
    let lists = AmlLists::new();
    lists.replace(ListIndex::build("test_list@1", entities, stats));
    Arc::new(lists)
}

fn scenario(on_match: AmlOnMatch) -> Scenario {
    let mut s = crate::common::scenario("passport_selfie");
    s.steps.truncate(1);
    s.blacklist_id = None;
    s.customer_face_list_id = None;
    s.fraud.block_history_mismatch = false;
    s.aml = Some(AmlScreening {
        sanctions: true,
        pep: false,
        on_match,
    });
    s.callback = Some(CallbackConfig {
        url: "https://bank.example/cb".into(),
        encrypt: false,
        statuses_only: false,
        final_only: true,
        database_checks_as_ready: true,
        retiring_secret_keys: Vec::new(),
    });
    Scenario::from_json(&s.to_json()).unwrap()
}

fn document(surname: &str, given: &str, birth: &str) -> DocumentData {
    let mut d = passport_data("L898902C3", birth, "2032-04-15");
    for (name, value) in [("surname", surname), ("given_names", given)] {
        d.fields.retain(|f| f.name != name);
        d.fields.push(DocumentField {
            name: name.to_owned(),
            value: value.to_owned(),
            confidence: 1.0,
            source: FieldSource::Mrz,
        });
    }
    d
}

fn run(
    scenario: &Scenario,
    lists: Option<Arc<AmlLists>>,
    doc: DocumentData,
) -> (Engine, Session, Arc<RecordingObserver>) {
    let events = Arc::new(RecordingObserver::default());
    let mut builder = Engine::builder(
        Arc::new(FixedClock(t0())),
        Arc::new(SeededEntropy::from_u64(25)),
    )
    .document_analyzer(ScriptedDocuments::new(vec![(doc, vec![mrz_ok()])]))
    .observer(events.clone());
    if let Some(l) = lists {
        builder = builder.aml_lists(l);
    }
    let engine = builder.build();
    let mut session = engine.create_session(scenario, Origin::Api);
    engine
        .submit_capture(
            scenario,
            &mut session,
            "passport",
            &[image(ImageKind::DocumentFront)],
        )
        .unwrap();
    (engine, session, events)
}

const SANCTIONED: &[(&str, &[&str], &str, &str)] = &[
    (
        "NK-eriksson",
        &["Anna Maria Eriksson", "Анна Мария Эрикссон"],
        "1974-08-12",
        "sanction",
    ),
    (
        "NK-ivanov",
        &["Иванов Юрий Петрович"],
        "1961-03-05",
        "sanction",
    ),
    ("NK-other", &["Pavel Sidorov"], "1950", "sanction"),
];

#[test]
fn a_sanctioned_persons_session_goes_to_review_with_the_explained_match() {
    let s = scenario(AmlOnMatch::Review);
    let (_, session, _) = run(
        &s,
        Some(lists(&ftm(SANCTIONED))),
        document("ERIKSSON", "ANNA MARIA", "1974-08-12"),
    );
    assert_eq!(session.status, SessionStatus::ManualReview);
    let result = VerificationResult::build(&s, &session);
    let check = &result.database_checks[0];
    assert_eq!(check.source, "aml.sanctions");
    assert_eq!(check.result.outcome, CheckOutcome::Failed);
    assert_eq!(check.result.reason_code, "aml.potential_match");
    let screening = check.screening.as_ref().unwrap();
    let m = &screening.matches[0];
    assert_eq!(m.entity_id, "NK-eriksson");
    assert!(m.score > m.threshold);
    assert_eq!(
        m.threshold,
        kyc_core::check::catalogue::aml::SANCTIONS_THRESHOLD
    );
    assert!(m.explanation.parts.iter().all(|p| p.how == PartHow::Exact));
    assert_eq!(m.explanation.birth_date, aml::BirthHow::Exact);
    // The result JSON carries the explanation.
    let json = result.to_json_pretty();
    for needle in [
        "\"entity_id\": \"NK-eriksson\"",
        "\"how\": \"exact\"",
        "\"birth_date\": \"exact\"",
    ] {
        assert!(json.contains(needle), "{needle} missing from\n{json}");
    }
}

#[test]
fn a_namesake_born_another_year_is_approved() {
    let s = scenario(AmlOnMatch::Review);
    let (_, session, _) = run(
        &s,
        Some(lists(&ftm(SANCTIONED))),
        document("ERIKSSON", "ANNA MARIA", "1990-01-20"),
    );
    assert_eq!(
        session.status,
        SessionStatus::Approved,
        "{:?}",
        session.database_checks
    );
    let check = &session.database_checks[0];
    assert_eq!(check.result.outcome, CheckOutcome::Passed);
    assert_eq!(check.result.reason_code, "aml.no_match");
    assert!(check.screening.as_ref().unwrap().matches.is_empty());
    // Its best score is reported and lies under the threshold.
    let score = check.result.score.unwrap();
    assert!(
        score > 0.5 && score <= check.result.threshold.unwrap(),
        "{score}"
    );
}

#[test]
fn cyrillic_and_latin_spellings_of_one_person_meet() {
    let s = scenario(AmlOnMatch::Review);
    // The list has only the Cyrillic name; the passport writes it in ICAO Latin, order swapped,
    // without the patronymic; and again in the German spelling.
    for (surname, given) in [("IVANOV", "IURII"), ("IWANOW", "JURIJ")] {
        let (_, session, _) = run(
            &s,
            Some(lists(&ftm(SANCTIONED))),
            document(surname, given, "1961-03-05"),
        );
        assert_eq!(
            session.status,
            SessionStatus::ManualReview,
            "{surname} {given}"
        );
        let m = &session.database_checks[0]
            .screening
            .as_ref()
            .unwrap()
            .matches[0];
        assert_eq!(m.entity_id, "NK-ivanov");
        assert!(
            m.explanation
                .parts
                .iter()
                .any(|p| p.how == PartHow::MissingInQuery && p.list.as_deref() == Some("petrovich"))
        );
    }
}

#[test]
fn screening_without_a_list_is_unavailable_and_goes_to_review() {
    let s = scenario(AmlOnMatch::Review);
    let (_, session, _) = run(&s, None, document("ERIKSSON", "ANNA MARIA", "1990-01-20"));
    assert_eq!(session.status, SessionStatus::ManualReview);
    let check = &session.database_checks[0];
    assert_eq!(check.result.outcome, CheckOutcome::Unavailable);
    assert_eq!(check.result.reason_code, "aml.no_list");
    // A list holding only PEPs does not answer for sanctions either.
    let pep_only = ftm(&[("NK-p", &["Someone Else"], "1970", "role.pep")]);
    let (_, session, _) = run(
        &s,
        Some(lists(&pep_only)),
        document("ERIKSSON", "ANNA MARIA", "1990-01-20"),
    );
    assert_eq!(session.status, SessionStatus::ManualReview);
    assert_eq!(session.database_checks[0].result.reason_code, "aml.no_list");
}

#[test]
fn on_match_decline_declines_and_callbacks_send_the_answer_as_ready() {
    let s = scenario(AmlOnMatch::Decline);
    let (_, session, events) = run(
        &s,
        Some(lists(&ftm(SANCTIONED))),
        document("ERIKSSON", "ANNA MARIA", "1974-08-12"),
    );
    assert_eq!(session.status, SessionStatus::Declined);
    assert_eq!(session.status_reason, "decision.database_check_failed");
    let notes = callback::notifications(&s, &session, &events.events());
    let note = notes
        .iter()
        .find(|n| n.kind == NotificationKind::DatabaseCheck)
        .expect("a database-check notification");
    let summary = note.database_check.as_ref().unwrap();
    assert_eq!(
        (summary.check.as_str(), summary.reason_code.as_str()),
        ("aml.sanctions", "aml.potential_match")
    );
    // The full result in the notification carries the explained match.
    let result = note.result.as_ref().unwrap();
    assert_eq!(
        result.database_checks[0]
            .screening
            .as_ref()
            .unwrap()
            .matches[0]
            .entity_id,
        "NK-eriksson"
    );
}

#[test]
fn rescreening_after_a_list_change_finds_the_new_match() {
    let s = scenario(AmlOnMatch::Review);
    let before = ftm(&SANCTIONED[1..]);
    let list = lists(&before);
    let (engine, session, _) = run(
        &s,
        Some(list.clone()),
        document("ERIKSSON", "ANNA MARIA", "1974-08-12"),
    );
    assert_eq!(session.status, SessionStatus::Approved);
    let mut sessions = [session];
    // Nothing changed: nothing recorded.
    let report = aml::rescreen(&engine, &s, sessions.iter_mut());
    assert_eq!((report.screened, report.changed.len()), (1, 0));
    // The list is replaced by one that names her.
    let (entities, stats) = aml::ftm_entities(ftm(SANCTIONED).as_bytes(), None).unwrap();
    let old = list.replace(ListIndex::build("test_list@1", entities, stats));
    assert!(old.is_some(), "the old list was replaced, not added to");
    let report = aml::rescreen(&engine, &s, sessions.iter_mut());
    assert_eq!(report.new_matches, [sessions[0].id.clone()]);
    let latest = sessions[0].database_checks.last().unwrap();
    assert_eq!(latest.result.reason_code, "aml.potential_match");
    // An approved session stays approved; the operator sees the new answer.
    assert_eq!(sessions[0].status, SessionStatus::Approved);
}

#[test]
fn malformed_list_lines_are_counted_never_a_panic() {
    let mut text = ftm(SANCTIONED);
    text.push_str("\n{\"id\": 5}\n\u{0}\u{1}garbage\n{\"id\":\"x\",\"schema\":\"Person\",\"properties\":{\"name\":\"not a list\"}}\n");
    text.push_str(&"[".repeat(10_000));
    let (entities, stats) = aml::ftm_entities(text.as_bytes(), Some(ListKind::Sanctions)).unwrap();
    assert_eq!(entities.len(), 3);
    assert_eq!(stats.malformed, 4, "{stats:?}");
    let (people, stats) = aml::sdn_entities(
        &b"1,\"A, B\",\"individual\"\n\xff\xfe\n"[..],
        Some(&b"x,y\n"[..]),
    )
    .unwrap();
    assert!(people.is_empty());
    assert_eq!(stats.malformed, 2);
}

#[test]
fn the_scenarios_aml_section_is_strict() {
    let mut base: serde_json::Value =
        serde_json::from_str(&scenario(AmlOnMatch::Review).to_json()).unwrap();
    base["aml"] = serde_json::json!({});
    let e = Scenario::from_json(&base.to_string()).unwrap_err();
    assert_eq!(e.violations()[0].code, "scenario.aml_nothing_enabled");
    base["aml"] = serde_json::json!({"sanctions": true, "on_match": "block"});
    assert!(Scenario::from_json(&base.to_string()).is_err());
    base["aml"] = serde_json::json!({"sanctions": true, "lists": ["x"]});
    assert!(Scenario::from_json(&base.to_string()).is_err());
    base["aml"] = serde_json::json!({"pep": true, "on_match": "decline"});
    let s = Scenario::from_json(&base.to_string()).unwrap();
    assert_eq!(s.aml.unwrap().enabled(), ["aml.pep"]);
}
