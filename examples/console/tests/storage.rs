//! The storage layer on SQLite (and on PostgreSQL when `KYC_CONSOLE_TEST_POSTGRES` names a
//! database): migrations, a link used once however many open it at once, a session's round trip
//! and its compare-and-set, the Reports prefix filters.

// Helpers outside #[test] functions unwrap too: a failure there is a failing test.
#![allow(clippy::unwrap_used)]

use std::sync::{Arc, Barrier};

use jiff::{SignedDuration, Timestamp};
use kyc_console::error::ConsoleError;
use kyc_console::store::{ReportQuery, SqlLinks, Store, sessions};
use kyc_core::session::Origin;
use kyc_core::{Engine, FixedClock, Scenario, SeededEntropy};

fn scenario() -> Scenario {
    let text = std::fs::read_to_string(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../../fixtures/scenarios/passport_selfie.json"
    ))
    .unwrap();
    Scenario::from_json(&text).unwrap()
}

/// Every database to test: a fresh SQLite file, and PostgreSQL when asked for.
fn databases(name: &str) -> Vec<(String, Store)> {
    let dir = std::env::temp_dir().join(format!(
        "kyc-console-{name}-{}-{}",
        std::process::id(),
        Timestamp::now().as_nanosecond()
    ));
    std::fs::create_dir_all(&dir).unwrap();
    let path = dir.join("db.sqlite").display().to_string();
    let mut out = vec![(path.clone(), Store::open(&path).unwrap().sealed(key()))];
    if let Ok(url) = std::env::var("KYC_CONSOLE_TEST_POSTGRES")
        && !url.is_empty()
    {
        out.push((url.clone(), Store::open(&url).unwrap().sealed(key())));
    }
    out
}

/// An engine without analysers, at the current time (the sessions these tests store).
fn engine() -> Engine {
    Engine::builder(
        Arc::new(FixedClock(Timestamp::now())),
        Arc::new(SeededEntropy::from_u64(
            Timestamp::now().as_nanosecond() as u64
        )),
    )
    .build()
}

/// The tests' session key (the binary's comes from its key file).
fn key() -> kyc_core::session::SessionKey {
    kyc_core::session::SessionKey::new(&[7u8; 32]).unwrap()
}

#[test]
fn migrations_run_once_and_are_recorded() {
    for (url, store) in databases("migrate") {
        let again = Store::open(&url).unwrap();
        let versions = again
            .with(|c| {
                c.query(
                    "SELECT version FROM schema_migrations ORDER BY version",
                    &[],
                )?
                .iter()
                .map(|r| r.int(0))
                .collect::<Result<Vec<_>, _>>()
            })
            .unwrap();
        let expected: Vec<i64> = kyc_console::db::MIGRATIONS.iter().map(|m| m.0).collect();
        assert_eq!(versions, expected, "{url}");
        // Nothing left to apply.
        assert!(store.with(kyc_console::db::migrate).unwrap().is_empty());
    }
}

#[test]
fn a_link_opened_by_eight_clients_at_once_is_accepted_once() {
    for (_, store) in databases("links") {
        let scenario = scenario();
        store.insert_scenario(&scenario).ok();
        let links = SqlLinks::new(store.clone(), "b_test");
        let now = Timestamp::now();
        let issued = kyc_core::link::issue(
            &links,
            &scenario,
            1,
            SignedDuration::from_mins(10),
            now,
            &SeededEntropy::from_u64(Timestamp::now().as_nanosecond() as u64),
        )
        .unwrap();
        let token = issued[0].token.expose().to_owned();
        let barrier = Arc::new(Barrier::new(8));
        let handles: Vec<_> = (0..8)
            .map(|_| {
                let (store, scenario, token, barrier) = (
                    store.clone(),
                    scenario.clone(),
                    token.clone(),
                    barrier.clone(),
                );
                std::thread::spawn(move || {
                    let links = SqlLinks::new(store, "");
                    barrier.wait();
                    kyc_core::link::open(&links, &scenario, &token, now)
                })
            })
            .collect();
        let results: Vec<_> = handles.into_iter().map(|h| h.join().unwrap()).collect();
        let accepted = results.iter().filter(|r| r.is_ok()).count();
        assert_eq!(accepted, 1, "{results:?}");
        for r in results.iter().filter(|r| r.is_err()) {
            assert_eq!(r.as_ref().unwrap_err().code(), "link.already_used");
        }
    }
}

#[test]
fn a_session_round_trips_and_a_stale_save_is_refused() {
    for (_, store) in databases("sessions") {
        let scenario = scenario();
        let engine = engine();
        let mut session = engine.create_session(
            &scenario,
            Origin::Manual {
                operator_id: "tester".into(),
            },
        );
        store
            .tx(|c| sessions::insert_session(c, &session, None, store.session_key()))
            .unwrap();
        let row = store.session(&session.id).unwrap().unwrap();
        assert_eq!(row.session, session);
        assert_eq!(row.version, 1);
        engine
            .decide_manually(
                &mut session,
                "tester",
                kyc_core::SessionStatus::Declined,
                "test",
            )
            .unwrap();
        let v2 = store
            .tx(|c| sessions::save_session(c, &session, 1, store.session_key()))
            .unwrap();
        assert_eq!(v2, 2);
        // A writer that read version 1 loses.
        let stale = store.tx(|c| sessions::save_session(c, &session, 1, store.session_key()));
        assert!(matches!(stale, Err(ConsoleError::Conflict)), "{stale:?}");
        let back = store.session(&session.id).unwrap().unwrap();
        assert_eq!(back.session, session);
        assert_eq!(back.session.status, kyc_core::SessionStatus::Declined);
    }
}

#[test]
fn a_session_changed_in_the_database_is_refused() {
    for (url, store) in databases("sealed") {
        let scenario = scenario();
        let engine = engine();
        let mut session = engine.create_session(&scenario, Origin::Api);
        engine
            .decide_manually(
                &mut session,
                "tester",
                kyc_core::SessionStatus::Declined,
                "test",
            )
            .unwrap();
        store
            .tx(|c| sessions::insert_session(c, &session, None, store.session_key()))
            .unwrap();
        let stored = store
            .with(|c| {
                c.query_one(
                    "SELECT json FROM sessions WHERE id = ?1",
                    &[session.id.as_str().into()],
                )?
                .unwrap()
                .text(0)
            })
            .unwrap();
        assert!(stored.starts_with(kyc_core::session::SEAL_PREFIX), "{url}");
        let rewrite = |text: String| {
            store
                .with(|c| {
                    c.execute(
                        "UPDATE sessions SET json = ?1, status = 'approved' WHERE id = ?2",
                        &[text.into(), session.id.as_str().into()],
                    )
                })
                .unwrap();
        };
        // Someone with write access to the database turns the decline into an approval...
        let approved = stored.replace("\"status\":\"declined\"", "\"status\":\"approved\"");
        assert_ne!(approved, stored);
        rewrite(approved.clone());
        let err = store.session(&session.id).unwrap_err();
        assert_eq!(code(&err), "session.seal_mismatch", "{url}: {err}");
        // ... or strips the seal off: refused too.
        let plain = approved.splitn(3, '.').nth(2).unwrap().to_owned();
        rewrite(plain);
        let err = store.session(&session.id).unwrap_err();
        assert_eq!(code(&err), "session.unsealed", "{url}: {err}");
        // The reports refuse it as well, rather than list a forged status.
        assert!(store.recent_sessions(10).is_err(), "{url}");
    }
}

/// The stable code of a console error that came from the engine.
fn code(err: &ConsoleError) -> String {
    match err {
        ConsoleError::Engine(e) => e.code.clone(),
        other => format!("not an engine error: {other}"),
    }
}

#[test]
fn reports_match_name_prefixes_ignoring_case_in_latin_and_cyrillic() {
    for (_, store) in databases("reports") {
        // Sessions carrying names: stored through the same index columns as captured ones.
        let scenario = scenario();
        let engine = engine();
        let s = engine.create_session(&scenario, Origin::Api);
        store
            .tx(|c| sessions::insert_session(c, &s, None, store.session_key()))
            .unwrap();
        for (id, name) in [
            ("a", "ИВАНОВ ПЁТР"),
            ("b", "Ivanova Anna"),
            ("c", "Petrov Ivan"),
        ] {
            store
                .with(|c| {
                    c.execute(
                        "UPDATE sessions SET id = ?1, full_name = ?2, surname = ?3 WHERE id = ?4",
                        &[
                            format!("{}-{id}", s.id).into(),
                            sessions::fold(name).into(),
                            sessions::fold(name.split(' ').next().unwrap()).into(),
                            s.id.as_str().into(),
                        ],
                    )
                })
                .unwrap();
            store
                .tx(|c| sessions::insert_session(c, &s, None, store.session_key()))
                .unwrap();
        }
        let names = |prefix: &str| {
            let q = ReportQuery {
                name_prefix: Some(prefix.to_owned()),
                ..ReportQuery::default()
            };
            store.report_page(&q, 0, 10).unwrap().1
        };
        assert_eq!(names("иванов"), 1);
        assert_eq!(names("ИВАНОВ П"), 1);
        assert_eq!(names("иванов петр"), 1, "ё folds to е");
        assert_eq!(names("IVANOV"), 1);
        assert_eq!(names("iv"), 1);
        assert_eq!(
            names("ivan"),
            1,
            "surname Ivanova; Petrov Ivan's given name is not a prefix"
        );
        assert_eq!(names("p"), 1);
        assert_eq!(names("x"), 0);
    }
}
