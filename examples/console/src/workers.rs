//! Background work every console process runs: callback delivery and the retention sweep. Both
//! coordinate through the database only (leases by compare-and-set), so any number of processes
//! may run them side by side.

use std::sync::Arc;
use std::time::{Duration, Instant};

use jiff::Timestamp;
use kyc_core::callback::{AttemptOutcome, Notification, prepare};

use crate::app::App;
use crate::error::{ConsoleError, Result};
use crate::store::{Attempt, DeliveryRow};

/// How long a claimed delivery is held before another worker may take it over.
const LEASE_MS: i64 = 60_000;
/// The receiver's time to answer.
const SEND_TIMEOUT: Duration = Duration::from_secs(10);

/// Sends what is due, once; the number of attempts made.
pub fn deliver_due(app: &App) -> Result<usize> {
    let due = app.store.claim_deliveries(crate::now_ms(), LEASE_MS, 20)?;
    let n = due.len();
    for d in due {
        deliver(app, &d)?;
    }
    Ok(n)
}

fn deliver(app: &App, d: &DeliveryRow) -> Result<()> {
    let attempt_no = d.attempts + 1;
    if !app.config.callback_any_host && !loopback_url(&callback_url(app, d)) {
        return app.store.record_attempt(
            &Attempt {
                delivery_id: d.id,
                attempt: attempt_no,
                at_ms: crate::now_ms(),
                http_status: None,
                outcome: "refused".to_owned(),
                error: "the callback's host is not loopback and the console sends to loopback only (--callbacks-to-any-host)".to_owned(),
                duration_ms: 0,
            },
            "refused",
            crate::now_ms(),
        );
    }
    let started = Instant::now();
    let at_ms = crate::now_ms();
    let sent = send(app, d);
    let duration_ms = i64::try_from(started.elapsed().as_millis()).unwrap_or(i64::MAX);
    let (status, error) = match sent {
        Ok(s) => (Some(s), String::new()),
        Err(e) => (None, e),
    };
    let outcome = AttemptOutcome::from_status(status);
    let (state, outcome_word, next_at) = match outcome {
        AttemptOutcome::Delivered => ("delivered", "delivered", at_ms),
        AttemptOutcome::GiveUp => ("gave_up", "gave_up", at_ms),
        AttemptOutcome::Retry => {
            let attempt = u32::try_from(attempt_no).unwrap_or(u32::MAX);
            match app
                .retry_policy()
                .delay_after(attempt, app.entropy.as_ref())
                .map_err(|e| ConsoleError::Internal(e.to_string()))?
            {
                Some(delay) => (
                    "pending",
                    "retry",
                    at_ms + i64::try_from(delay.as_millis()).unwrap_or(i64::MAX),
                ),
                None => ("failed", "retry", at_ms),
            }
        }
    };
    app.store.record_attempt(
        &Attempt {
            delivery_id: d.id,
            attempt: attempt_no,
            at_ms,
            http_status: status.map(i64::from),
            outcome: outcome_word.to_owned(),
            error,
            duration_ms,
        },
        state,
        next_at,
    )
}

fn callback_url(app: &App, d: &DeliveryRow) -> String {
    app.scenario(&d.scenario_id)
        .ok()
        .and_then(|s| s.callback.map(|c| c.url))
        .unwrap_or_default()
}

/// Whether `url` points at this machine (127.0.0.0/8, localhost, [::1]).
pub fn loopback_url(url: &str) -> bool {
    let rest = url
        .strip_prefix("http://")
        .or_else(|| url.strip_prefix("https://"))
        .unwrap_or("");
    let authority = rest.split(['/', '?', '#']).next().unwrap_or("");
    let host = authority.rsplit_once('@').map_or(authority, |(_, h)| h);
    let host = if host.starts_with('[') {
        host.split(']')
            .next()
            .map(|h| h.trim_start_matches('['))
            .unwrap_or("")
    } else {
        host.split(':').next().unwrap_or("")
    };
    host == "localhost"
        || host == "::1"
        || host
            .parse::<std::net::Ipv4Addr>()
            .is_ok_and(|ip| ip.is_loopback())
}

/// Prepares (signed, encrypted when the scenario says so; fresh timestamp and signature each
/// attempt, the same `webhook-id`) and POSTs one delivery: the receiver's status, or why no
/// status came back.
fn send(app: &App, d: &DeliveryRow) -> std::result::Result<u16, String> {
    let scenario = app
        .scenario(&d.scenario_id)
        .map_err(|e| format!("scenario: {e}"))?;
    let notification: Notification =
        serde_json::from_str(&d.notification).map_err(|e| format!("stored notification: {e}"))?;
    let delivery = prepare(
        &scenario,
        &notification,
        Timestamp::now(),
        app.entropy.as_ref(),
    )
    .map_err(|e| e.code().to_owned())?;
    let agent = ureq::Agent::config_builder()
        .timeout_global(Some(SEND_TIMEOUT))
        .http_status_as_error(false)
        .max_redirects(0)
        .build()
        .new_agent();
    let mut request = agent.post(&delivery.url);
    for (name, value) in &delivery.headers {
        request = request.header(name.as_str(), value.as_str());
    }
    match request.send(&delivery.body[..]) {
        Ok(response) => Ok(response.status().as_u16()),
        Err(e) => Err(e.to_string().chars().take(300).collect()),
    }
}

/// Runs the workers until the process ends.
pub fn spawn(app: Arc<App>) {
    let callbacks = app.clone();
    tokio::spawn(async move {
        loop {
            let a = callbacks.clone();
            match tokio::task::spawn_blocking(move || deliver_due(&a)).await {
                Ok(Ok(n)) if n > 0 => continue,
                Ok(Err(e)) => eprintln!("console: callbacks: {}: {e}", e.code()),
                _ => {}
            }
            tokio::time::sleep(Duration::from_millis(500)).await;
        }
    });
    let every = Duration::from_secs(app.config.retention_every.max(1));
    tokio::spawn(async move {
        loop {
            let a = app.clone();
            match tokio::task::spawn_blocking(move || a.store.sweep_retention(Timestamp::now()))
                .await
            {
                Ok(Ok(run)) if run.purged > 0 => {
                    eprintln!("console: retention purged {} sessions", run.purged);
                }
                Ok(Err(e)) => eprintln!("console: retention: {}: {e}", e.code()),
                _ => {}
            }
            tokio::time::sleep(every).await;
        }
    });
}

#[cfg(test)]
mod tests {
    use super::loopback_url;

    #[test]
    fn only_loopback_hosts_are_loopback() {
        assert!(loopback_url("http://127.0.0.1:9000/cb"));
        assert!(loopback_url("http://localhost/cb"));
        assert!(loopback_url("http://[::1]:80/x"));
        assert!(!loopback_url("https://bank.example/kyc/callback"));
        assert!(!loopback_url("http://127.0.0.1.evil.example/"));
        assert!(!loopback_url("http://10.0.0.1/"));
    }
}
