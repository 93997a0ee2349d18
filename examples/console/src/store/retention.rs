//! The retention sweep: per scenario, the sessions old enough to be due are read (an index
//! range on the creation time), the core decides which are due (`retention::due`, its exact
//! day rule) and purges each (`retention::purge`): the anonymised audit record replaces the
//! session, its images and events go, all in one transaction per session.

use jiff::Timestamp;
use kyc_core::Session;
use kyc_core::retention;

use super::Store;
use crate::db::Value;
use crate::error::{ConsoleError, Result};

/// One sweep as recorded.
#[derive(Clone, Debug, serde::Serialize)]
pub struct RetentionRun {
    /// When (Unix ms).
    pub at_ms: i64,
    /// Sessions examined.
    pub examined: i64,
    /// Sessions purged.
    pub purged: i64,
    /// Sessions whose scenario is gone (kept: their retention is unknown).
    pub unknown_scenario: i64,
    /// The earliest time a kept session becomes due.
    pub next_due_ms: Option<i64>,
}

/// What a sweep did.
pub type SweepOutcome = RetentionRun;

/// Sessions read per query.
const CHUNK: i64 = 500;

impl Store {
    /// Purges what is due at `now`; records and returns the run.
    pub fn sweep_retention(&self, now: Timestamp) -> Result<RetentionRun> {
        let now_ms = now.as_millisecond();
        let scenarios: Vec<kyc_core::Scenario> =
            self.scenarios()?.into_iter().map(|r| r.scenario).collect();
        let mut run = RetentionRun {
            at_ms: now_ms,
            examined: 0,
            purged: 0,
            unknown_scenario: 0,
            next_due_ms: None,
        };
        for scenario in &scenarios {
            let days = scenario.limits.retention_days;
            if days == 0 {
                continue;
            }
            let cutoff = now_ms - i64::from(days) * retention::DAY_SECONDS * 1000;
            loop {
                let rows = self.with(|c| {
                    c.query(
                        "SELECT json FROM sessions WHERE scenario_id = ?1 AND created_ms <= ?2 ORDER BY created_ms LIMIT ?3",
                        &[scenario.id.as_str().into(), cutoff.into(), CHUNK.into()],
                    )
                })?;
                let sessions = rows
                    .iter()
                    .map(|r| Ok(Session::load(&r.text(0)?, self.session_key())?))
                    .collect::<Result<Vec<_>>>()?;
                run.examined += i64::try_from(sessions.len()).unwrap_or(0);
                let list = retention::due(&sessions, std::slice::from_ref(scenario), now);
                let mut purged_now = 0;
                for item in &list.due {
                    let Some(session) = sessions.iter().find(|s| s.id == item.session_id) else {
                        continue;
                    };
                    let purged = retention::purge(session, now);
                    let audit = serde_json::to_string(&purged.audit)
                        .map_err(|e| ConsoleError::Internal(e.to_string()))?;
                    self.tx(|c| {
                        c.execute(
                            "INSERT INTO audit_records (session_id, scenario_id, purged_ms, json) VALUES (?1, ?2, ?3, ?4) ON CONFLICT (session_id) DO NOTHING",
                            &[
                                session.id.as_str().into(),
                                session.scenario_id.as_str().into(),
                                Value::Int(now_ms),
                                audit.into(),
                            ],
                        )?;
                        for table in ["images", "events", "capture_grants"] {
                            c.execute(
                                &format!("DELETE FROM {table} WHERE session_id = ?1"),
                                &[session.id.as_str().into()],
                            )?;
                        }
                        c.execute("DELETE FROM sessions WHERE id = ?1", &[session.id.as_str().into()])?;
                        Ok(())
                    })?;
                    purged_now += 1;
                }
                run.purged += purged_now;
                if purged_now == 0 || i64::try_from(rows.len()).unwrap_or(0) < CHUNK {
                    break;
                }
            }
            // The oldest session kept: when it becomes due.
            let oldest = self.with(|c| {
                c.query_one(
                    "SELECT MIN(created_ms) FROM sessions WHERE scenario_id = ?1",
                    &[scenario.id.as_str().into()],
                )
            })?;
            if let Some(ms) = oldest.map(|r| r.opt_int(0)).transpose()?.flatten() {
                let due = ms + i64::from(days) * retention::DAY_SECONDS * 1000;
                run.next_due_ms = Some(run.next_due_ms.map_or(due, |n: i64| n.min(due)));
            }
        }
        let mut known: Vec<Value> = scenarios.iter().map(|s| s.id.as_str().into()).collect();
        run.unknown_scenario = if known.is_empty() {
            self.session_count()?
        } else {
            let marks: Vec<String> = (1..=known.len()).map(|i| format!("?{i}")).collect();
            let sql = format!(
                "SELECT COUNT(*) FROM sessions WHERE scenario_id NOT IN ({})",
                marks.join(", ")
            );
            self.with(|c| super::count(c, &sql, &std::mem::take(&mut known)))?
        };
        self.with(|c| {
            c.execute(
                "INSERT INTO retention_runs (at_ms, examined, purged, unknown_scenario, next_due_ms) VALUES (?1, ?2, ?3, ?4, ?5)",
                &[
                    run.at_ms.into(),
                    run.examined.into(),
                    run.purged.into(),
                    run.unknown_scenario.into(),
                    run.next_due_ms.into(),
                ],
            )
        })?;
        Ok(run)
    }

    /// The newest sweeps.
    pub fn retention_runs(&self, limit: i64) -> Result<Vec<RetentionRun>> {
        self.with(|c| {
            c.query(
                "SELECT at_ms, examined, purged, unknown_scenario, next_due_ms FROM retention_runs ORDER BY id DESC LIMIT ?1",
                &[limit.into()],
            )?
            .iter()
            .map(|r| {
                Ok(RetentionRun {
                    at_ms: r.int(0)?,
                    examined: r.int(1)?,
                    purged: r.int(2)?,
                    unknown_scenario: r.int(3)?,
                    next_due_ms: r.opt_int(4)?,
                })
            })
            .collect()
        })
    }

    /// The newest audit records of purged sessions: (session id, scenario id, purged at, JSON).
    pub fn audit_records(&self, limit: i64) -> Result<Vec<(String, String, i64, String)>> {
        self.with(|c| {
            c.query(
                "SELECT session_id, scenario_id, purged_ms, json FROM audit_records ORDER BY purged_ms DESC LIMIT ?1",
                &[limit.into()],
            )?
            .iter()
            .map(|r| Ok((r.text(0)?, r.text(1)?, r.int(2)?, r.text(3)?)))
            .collect()
        })
    }
}
