//! Scenarios, kept whole (the secret included: it signs callbacks and links); pages only ever
//! see [`kyc_core::Scenario::to_public_json`].

use kyc_core::Scenario;

use super::Store;
use crate::db::{Conn, Value};
use crate::error::{ConsoleError, Result};

/// A scenario as listed.
#[derive(Clone, Debug)]
pub struct ScenarioRow {
    /// The scenario.
    pub scenario: Scenario,
    /// Last change (Unix ms).
    pub updated_ms: i64,
    /// Compare-and-set version.
    pub version: i64,
}

fn parse(json: &str) -> Result<Scenario> {
    Scenario::from_json(json)
        .map_err(|e| ConsoleError::Db(format!("stored scenario does not read: {}", e.code())))
}

impl Store {
    /// Every scenario, by id.
    pub fn scenarios(&self) -> Result<Vec<ScenarioRow>> {
        self.with(|c| {
            c.query(
                "SELECT json, updated_ms, version FROM scenarios ORDER BY id",
                &[],
            )?
            .iter()
            .map(|r| {
                Ok(ScenarioRow {
                    scenario: parse(&r.text(0)?)?,
                    updated_ms: r.int(1)?,
                    version: r.int(2)?,
                })
            })
            .collect()
        })
    }

    /// The scenario `id`.
    pub fn scenario(&self, id: &str) -> Result<Option<ScenarioRow>> {
        self.with(|c| load_scenario(c, id))
    }

    /// Adds a new scenario (an id in use is refused) and the face lists it names.
    pub fn insert_scenario(&self, scenario: &Scenario) -> Result<()> {
        let now = crate::now_ms();
        self.tx(|c| {
            let n = c.execute(
                "INSERT INTO scenarios (id, name, json, created_ms, updated_ms, version) VALUES (?1, ?2, ?3, ?4, ?4, 1) ON CONFLICT (id) DO NOTHING",
                &[
                    scenario.id.as_str().into(),
                    scenario.name.as_str().into(),
                    scenario.to_json().into(),
                    now.into(),
                ],
            )?;
            if n == 0 {
                return Err(ConsoleError::invalid(
                    "console.scenario_exists",
                    format!("a scenario '{}' exists already", scenario.id),
                ));
            }
            create_named_lists(c, scenario, now)
        })
    }

    /// Replaces scenario `scenario.id` if it is still at `version`.
    pub fn update_scenario(&self, scenario: &Scenario, version: i64) -> Result<()> {
        let now = crate::now_ms();
        self.tx(|c| {
            let n = c.execute(
                "UPDATE scenarios SET name = ?1, json = ?2, updated_ms = ?3, version = version + 1 WHERE id = ?4 AND version = ?5",
                &[
                    scenario.name.as_str().into(),
                    scenario.to_json().into(),
                    now.into(),
                    scenario.id.as_str().into(),
                    version.into(),
                ],
            )?;
            if n == 0 {
                return Err(ConsoleError::Conflict);
            }
            create_named_lists(c, scenario, now)
        })
    }

    /// Deletes scenario `id`; true when it was there. Its sessions stay (and are purged by their
    /// scenario's last retention only while it exists: the Retention page lists the others).
    pub fn delete_scenario(&self, id: &str) -> Result<bool> {
        self.with(|c| Ok(c.execute("DELETE FROM scenarios WHERE id = ?1", &[id.into()])? == 1))
    }
}

/// The scenario `id` on `c`.
pub fn load_scenario(c: &mut dyn Conn, id: &str) -> Result<Option<ScenarioRow>> {
    c.query_one(
        "SELECT json, updated_ms, version FROM scenarios WHERE id = ?1",
        &[id.into()],
    )?
    .map(|r| {
        Ok(ScenarioRow {
            scenario: parse(&r.text(0)?)?,
            updated_ms: r.int(1)?,
            version: r.int(2)?,
        })
    })
    .transpose()
}

fn create_named_lists(c: &mut dyn Conn, scenario: &Scenario, now: i64) -> Result<()> {
    for id in [&scenario.blacklist_id, &scenario.customer_face_list_id]
        .into_iter()
        .flatten()
    {
        c.execute(
            "INSERT INTO face_lists (id, created_ms) VALUES (?1, ?2) ON CONFLICT (id) DO NOTHING",
            &[id.as_str().into(), Value::Int(now)],
        )?;
    }
    Ok(())
}
