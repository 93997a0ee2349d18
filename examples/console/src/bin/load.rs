//! `kyc-console-load`: the console under load, against 127.0.0.1 only. Each command prints its
//! figures and exits non-zero when a requirement fails:
//!
//! ```text
//! uploads   --url U --password P [--count 50]   concurrent capture uploads through links
//! link-race --url U --password P [--clients 8]  one link opened by many clients at once
//! seed      --database D [--count 1000000] [--session-key-file K]  sessions with names, for the
//!           Reports figure, sealed under the console's session key (its default file unless K)
//! reports   --url U --password P [--samples 200] name-prefix filters, p50/p95/max
//! kill      --bin B --database D --password P [--count 6]  SIGKILL mid-capture, restart, check
//! ```

#![allow(clippy::print_stdout)]

use std::io::Read;
use std::process::{Child, Command, ExitCode};
use std::sync::{Arc, Barrier};
use std::time::{Duration, Instant};

use kyc_console::store::{Store, sessions};

type Res<T> = Result<T, String>;

fn arg(name: &str) -> Option<String> {
    let args: Vec<String> = std::env::args().collect();
    args.iter()
        .position(|a| a == name)
        .and_then(|i| args.get(i + 1).cloned())
}

fn need(name: &str) -> Res<String> {
    arg(name).ok_or_else(|| format!("{name} is required"))
}

fn number(name: &str, default: usize) -> Res<usize> {
    arg(name).map_or(Ok(default), |v| {
        v.parse().map_err(|e| format!("{name}: {e}"))
    })
}

/// Refuses anything but this machine.
fn local(url: &str) -> Res<String> {
    if url.starts_with("http://127.0.0.1:") || url.starts_with("http://localhost:") {
        Ok(url.trim_end_matches('/').to_owned())
    } else {
        Err("the load generator only talks to http://127.0.0.1:<port>".into())
    }
}

fn agent() -> ureq::Agent {
    ureq::Agent::config_builder()
        .http_status_as_error(false)
        .max_redirects(0)
        .timeout_global(Some(Duration::from_secs(600)))
        .build()
        .new_agent()
}

struct Reply {
    status: u16,
    cookies: Vec<String>,
    body: String,
}

fn reply(r: Result<ureq::http::Response<ureq::Body>, ureq::Error>) -> Res<Reply> {
    let mut r = r.map_err(|e| e.to_string())?;
    let cookies = r
        .headers()
        .get_all("set-cookie")
        .iter()
        .filter_map(|v| v.to_str().ok())
        .filter_map(|v| v.split(';').next().map(str::to_owned))
        .collect();
    let mut body = String::new();
    let _ = r.body_mut().as_reader().read_to_string(&mut body);
    Ok(Reply {
        status: r.status().as_u16(),
        cookies,
        body,
    })
}

fn csrf_of(html: &str) -> String {
    html.split("name=\"csrf\" value=\"")
        .nth(1)
        .and_then(|s| s.split('"').next())
        .unwrap_or_default()
        .to_owned()
}

/// Signs in as admin; the session cookie and the CSRF token.
fn sign_in(base: &str, password: &str) -> Res<(String, String)> {
    let a = agent();
    let page = reply(a.get(&format!("{base}/login")).call())?;
    let login_cookie = page.cookies.first().cloned().unwrap_or_default();
    let form = format!(
        "csrf={}&username=admin&password={}",
        csrf_of(&page.body),
        enc(password)
    );
    let r = reply(
        a.post(&format!("{base}/login"))
            .header("cookie", &login_cookie)
            .header("content-type", "application/x-www-form-urlencoded")
            .send(form.as_bytes()),
    )?;
    let cookie = r
        .cookies
        .iter()
        .find(|c| c.starts_with("kyc_session="))
        .cloned()
        .ok_or_else(|| format!("sign-in failed: {}", r.status))?;
    let logs = reply(
        a.get(&format!("{base}/links"))
            .header("cookie", &cookie)
            .call(),
    )?;
    Ok((cookie, csrf_of(&logs.body)))
}

fn enc(text: &str) -> String {
    text.bytes()
        .map(|b| {
            if b.is_ascii_alphanumeric() || b"-_.~".contains(&b) {
                char::from(b).to_string()
            } else {
                format!("%{b:02X}")
            }
        })
        .collect()
}

/// Makes `count` links for `scenario`; their URLs.
fn make_links(
    base: &str,
    cookie: &str,
    csrf: &str,
    scenario: &str,
    count: usize,
) -> Res<Vec<String>> {
    let r = reply(
        agent()
            .post(&format!("{base}/links"))
            .header("cookie", cookie)
            .header("content-type", "application/x-www-form-urlencoded")
            .send(
                format!("csrf={csrf}&scenario={scenario}&lifetime_minutes=60&count={count}")
                    .as_bytes(),
            ),
    )?;
    let urls: Vec<String> = r
        .body
        .split("class=\"link-url\" href=\"")
        .skip(1)
        .filter_map(|s| s.split('"').next().map(str::to_owned))
        .collect();
    if urls.len() != count {
        return Err(format!(
            "asked for {count} links, got {} ({})",
            urls.len(),
            r.status
        ));
    }
    Ok(urls)
}

fn multipart(fields: &[(&str, Option<&str>, &[u8])]) -> (String, Vec<u8>) {
    let boundary = "kycloadboundary7MA4YWxkTrZu0gW";
    let mut body = Vec::new();
    for (name, file, bytes) in fields {
        body.extend_from_slice(format!("--{boundary}\r\n").as_bytes());
        match file {
            Some(f) => body.extend_from_slice(
                format!("Content-Disposition: form-data; name=\"{name}\"; filename=\"{f}\"\r\nContent-Type: application/octet-stream\r\n\r\n").as_bytes(),
            ),
            None => body.extend_from_slice(format!("Content-Disposition: form-data; name=\"{name}\"\r\n\r\n").as_bytes()),
        }
        body.extend_from_slice(bytes);
        body.extend_from_slice(b"\r\n");
    }
    body.extend_from_slice(format!("--{boundary}--\r\n").as_bytes());
    (format!("multipart/form-data; boundary={boundary}"), body)
}

/// Opens a link and uploads the fixture passport: (session id, HTTP status, seconds).
fn capture(url: &str, base: &str, document: &[u8]) -> Res<(String, u16, f64)> {
    let a = agent();
    let opened = reply(a.get(url).call())?;
    if opened.status != 303 {
        return Err(format!("open: {}", opened.status));
    }
    let grant = opened.cookies.first().cloned().unwrap_or_default();
    let (ty, body) = multipart(&[
        ("step_id", None, b"passport"),
        ("document_front", Some("passport.jpg"), document),
    ]);
    let started = Instant::now();
    let r = reply(
        a.post(&format!("{base}/capture/submit"))
            .header("cookie", &grant)
            .header("content-type", &ty)
            .send(&body[..]),
    )?;
    let secs = started.elapsed().as_secs_f64();
    let v: serde_json::Value = serde_json::from_str(&r.body).unwrap_or_default();
    Ok((
        v["session_id"].as_str().unwrap_or_default().to_owned(),
        r.status,
        secs,
    ))
}

fn fixture(path: &str) -> Res<Vec<u8>> {
    std::fs::read(path).map_err(|e| format!("{path}: {e}"))
}

const PASSPORT: &str = "fixtures/documents/0002_passport_genuine_photo.jpg";

fn uploads() -> Res<()> {
    let base = local(&need("--url")?)?;
    let count = number("--count", 50)?;
    let (cookie, csrf) = sign_in(&base, &need("--password")?)?;
    let urls = make_links(&base, &cookie, &csrf, "passport-selfie", count)?;
    let document = Arc::new(fixture(PASSPORT)?);
    let barrier = Arc::new(Barrier::new(count));
    let started = Instant::now();
    let handles: Vec<_> = urls
        .into_iter()
        .map(|url| {
            let (base, document, barrier) = (base.clone(), document.clone(), barrier.clone());
            std::thread::spawn(move || {
                barrier.wait();
                capture(&url, &base, &document)
            })
        })
        .collect();
    let results: Vec<Res<(String, u16, f64)>> = handles
        .into_iter()
        .map(|h| h.join().unwrap_or_else(|_| Err("thread".into())))
        .collect();
    let wall = started.elapsed().as_secs_f64();
    let ok: Vec<&(String, u16, f64)> = results
        .iter()
        .filter_map(|r| r.as_ref().ok())
        .filter(|r| r.1 == 200)
        .collect();
    let server_errors = results
        .iter()
        .filter(|r| matches!(r, Ok((_, s, _)) if *s >= 500))
        .count();
    let failed = results.iter().filter(|r| r.is_err()).count();
    let mut ids: Vec<&str> = ok.iter().map(|r| r.0.as_str()).collect();
    ids.sort_unstable();
    ids.dedup();
    // Every session is there, once.
    let mut found = 0;
    for id in &ids {
        let r = reply(
            agent()
                .get(&format!("{base}/api/sessions/{id}"))
                .header("cookie", &cookie)
                .call(),
        )?;
        if r.status == 200 && r.body.contains("\"attempt\":1") {
            found += 1;
        }
    }
    let mut times: Vec<f64> = ok.iter().map(|r| r.2).collect();
    times.sort_by(f64::total_cmp);
    println!(
        "uploads: {count} concurrent, {} answered 200, {server_errors} server errors, {failed} transport errors, {} distinct sessions, {found} stored with their capture; wall {wall:.1} s, per upload p50 {:.1} s, max {:.1} s",
        ok.len(),
        ids.len(),
        pct(&times, 0.5),
        times.last().copied().unwrap_or(0.0)
    );
    if ok.len() != count || server_errors > 0 || ids.len() != count || found != count {
        return Err("lost, duplicated or failed uploads".into());
    }
    Ok(())
}

fn link_race() -> Res<()> {
    let base = local(&need("--url")?)?;
    let clients = number("--clients", 8)?;
    let (cookie, csrf) = sign_in(&base, &need("--password")?)?;
    let url = make_links(&base, &cookie, &csrf, "passport-selfie", 1)?.remove(0);
    let barrier = Arc::new(Barrier::new(clients));
    let handles: Vec<_> = (0..clients)
        .map(|_| {
            let (url, barrier) = (url.clone(), barrier.clone());
            std::thread::spawn(move || {
                barrier.wait();
                reply(agent().get(&url).call()).map(|r| r.status)
            })
        })
        .collect();
    let statuses: Vec<u16> = handles
        .into_iter()
        .filter_map(|h| h.join().ok())
        .filter_map(Result::ok)
        .collect();
    let accepted = statuses.iter().filter(|s| **s == 303).count();
    let refused = statuses.iter().filter(|s| **s == 410).count();
    println!(
        "link-race: {clients} clients opened one link at once: {accepted} accepted, {refused} refused (410), statuses {statuses:?}"
    );
    if accepted != 1 || refused != clients - 1 {
        return Err("the link was not accepted exactly once".into());
    }
    Ok(())
}

const SURNAMES: &[&str] = &[
    "Ivanov",
    "Petrov",
    "Smirnova",
    "Kuznetsov",
    "Lindqvist",
    "Eriksson",
    "Garcia",
    "Müller",
    "Novak",
    "Kowalski",
    "Иванов",
    "Петрова",
    "Смирнов",
    "Кузнецова",
    "Соколов",
    "Попова",
    "Лебедев",
    "Козлова",
    "Новиков",
    "Морозова",
];
const GIVEN: &[&str] = &[
    "Anna",
    "Maria",
    "Ivan",
    "Olga",
    "Peter",
    "Анна",
    "Мария",
    "Иван",
    "Ольга",
    "Пётр",
];

fn seed() -> Res<()> {
    let database = need("--database")?;
    let count = number("--count", 1_000_000)?;
    let key = kyc_console::session_key::load_or_create(&arg("--session-key-file").map_or_else(
        kyc_console::session_key::default_path,
        std::path::PathBuf::from,
    ))
    .map_err(|e| e.to_string())?;
    let store = Store::open(&database).map_err(|e| e.to_string())?;
    let started = Instant::now();
    let mut x: u64 = 0x9E37_79B9_7F4A_7C15;
    let mut next = || {
        x ^= x << 13;
        x ^= x >> 7;
        x ^= x << 17;
        x
    };
    let template = r#"{"id":"ID","scenario_id":"passport-selfie","origin":{"type":"api"},"created_at":"TS","updated_at":"TS","status":"STATUS","status_reason":"session.created","steps":[{"step_id":"passport","captures":[]},{"step_id":"selfie","captures":[]}],"manual_decisions":[],"database_checks":[],"last_event_seq":1}"#;
    let statuses = ["approved", "declined", "in_progress", "manual_review"];
    let now = jiff::Timestamp::now().as_millisecond();
    let mut done = 0;
    while done < count {
        let n = (count - done).min(10_000);
        store
            .tx(|c| {
                for i in 0..n {
                    let k = done + i;
                    let r = next();
                    let surname = SURNAMES[(r % SURNAMES.len() as u64) as usize];
                    let given = GIVEN[((r >> 8) % GIVEN.len() as u64) as usize];
                    // Spread over the last 80 days: inside every fixture scenario's retention, so no sweep purges them.
                    let created = now - 86_400_000 * 80 + i64::try_from(k).unwrap_or(0) * 6_900;
                    let ts = jiff::Timestamp::from_millisecond(created)
                        .map_err(|e| kyc_console::ConsoleError::Internal(e.to_string()))?;
                    let status = statuses[((r >> 16) % 4) as usize];
                    let id = format!("seed{k:08}");
                    let json = template
                        .replace("ID", &id)
                        .replace("TS", &ts.to_string())
                        .replace("STATUS", status);
                    // Sealed as the console stores sessions (it refuses unsealed ones).
                    let json = kyc_core::Session::from_json(&json)
                        .map_err(|e| kyc_console::ConsoleError::Internal(e.to_string()))?
                        .store(Some(&key));
                    let full = format!("{given} {surname}{}", r % 1000);
                    c.execute(
                        sessions::INSERT_SESSION,
                        &[
                            id.into(),
                            "passport-selfie".into(),
                            status.into(),
                            "api".into(),
                            kyc_console::db::Value::Null,
                            created.into(),
                            created.into(),
                            sessions::fold(&full).into(),
                            sessions::fold(&format!("{surname}{}", r % 1000)).into(),
                            format!("{:09}", r % 1_000_000_000).into(),
                            kyc_console::db::Value::Null,
                            String::new().into(),
                            json.into(),
                        ],
                    )?;
                }
                Ok(())
            })
            .map_err(|e| e.to_string())?;
        done += n;
    }
    println!(
        "seed: {count} sessions in {:.1} s",
        started.elapsed().as_secs_f64()
    );
    Ok(())
}

fn pct(sorted: &[f64], p: f64) -> f64 {
    if sorted.is_empty() {
        return 0.0;
    }
    let i = ((sorted.len() as f64 - 1.0) * p).round() as usize;
    sorted[i.min(sorted.len() - 1)]
}

fn reports() -> Res<()> {
    let base = local(&need("--url")?)?;
    let samples = number("--samples", 200)?;
    let (cookie, _) = sign_in(&base, &need("--password")?)?;
    let a = agent();
    let mut times = Vec::new();
    let mut matched = 0u64;
    for i in 0..samples {
        let surname = SURNAMES[i % SURNAMES.len()];
        let prefix: String = format!("{}{}", surname.to_uppercase(), i % 10);
        let started = Instant::now();
        let r = reply(
            a.get(&format!("{base}/reports?name={}", enc(&prefix)))
                .header("cookie", &cookie)
                .call(),
        )?;
        times.push(started.elapsed().as_secs_f64() * 1000.0);
        if r.status != 200 {
            return Err(format!("reports: {}", r.status));
        }
        if let Some(t) = r
            .body
            .split("data-total=\"")
            .nth(1)
            .and_then(|s| s.split('"').next())
        {
            matched += t.parse::<u64>().unwrap_or(0);
        }
    }
    times.sort_by(f64::total_cmp);
    let p95 = pct(&times, 0.95);
    println!(
        "reports: {samples} name-prefix queries (page of 50, count): p50 {:.1} ms, p95 {p95:.1} ms, max {:.1} ms; {:.0} matches per query on average",
        pct(&times, 0.5),
        times.last().copied().unwrap_or(0.0),
        matched as f64 / samples as f64
    );
    if p95 >= 100.0 {
        return Err("p95 over 100 ms".into());
    }
    Ok(())
}

fn start(bin: &str, database: &str, port: u16, password: &str) -> Res<Child> {
    let child = Command::new(bin)
        .args([
            "--database",
            database,
            "--listen",
            &format!("127.0.0.1:{port}"),
            "--scenarios",
            "fixtures/scenarios",
        ])
        .env("KYC_CONSOLE_ADMIN_PASSWORD", password)
        .spawn()
        .map_err(|e| format!("{bin}: {e}"))?;
    let base = format!("http://127.0.0.1:{port}");
    for _ in 0..300 {
        if reply(agent().get(&format!("{base}/health")).call()).is_ok_and(|r| r.status == 200) {
            return Ok(child);
        }
        std::thread::sleep(Duration::from_millis(100));
    }
    Err("the console did not start".into())
}

fn kill() -> Res<()> {
    let bin = need("--bin")?;
    let database = need("--database")?;
    let password = need("--password")?;
    let count = number("--count", 6)?;
    let port: u16 = 18_000 + u16::try_from(std::process::id() % 2000).unwrap_or(0);
    let base = format!("http://127.0.0.1:{port}");
    let mut child = start(&bin, &database, port, &password)?;
    let (cookie, csrf) = sign_in(&base, &password)?;
    let urls = make_links(&base, &cookie, &csrf, "passport-selfie", count)?;
    let document = Arc::new(fixture(PASSPORT)?);
    let (tx, rx) = std::sync::mpsc::channel();
    for url in urls {
        let (base, document, tx) = (base.clone(), document.clone(), tx.clone());
        std::thread::spawn(move || {
            let _ = tx.send(capture(&url, &base, &document));
        });
    }
    drop(tx);
    // Wait for the first committed capture, then kill the process with the others in flight.
    let mut committed = Vec::new();
    if let Ok(Ok((id, 200, _))) = rx.recv() {
        committed.push(id);
    }
    let pid = child.id();
    Command::new("kill")
        .args(["-KILL", &pid.to_string()])
        .status()
        .map_err(|e| e.to_string())?;
    let _ = child.wait();
    let mut cut = 0;
    for r in rx {
        match r {
            Ok((id, 200, _)) => committed.push(id),
            _ => cut += 1,
        }
    }
    let mut child = start(&bin, &database, port, &password)?;
    let (cookie, _) = sign_in(&base, &password)?;
    let mut kept = 0;
    for id in &committed {
        let r = reply(
            agent()
                .get(&format!("{base}/api/sessions/{id}"))
                .header("cookie", &cookie)
                .call(),
        )?;
        if r.status == 200 && r.body.contains("capture_recorded") {
            kept += 1;
        }
    }
    let _ = child.kill();
    let _ = child.wait();
    println!(
        "kill: {count} captures in flight, SIGKILL after the first answer: {} committed before the kill, {cut} cut off; after restart {kept} of {} committed sessions are there with their capture",
        committed.len(),
        committed.len()
    );
    if kept != committed.len() || committed.is_empty() {
        return Err("a committed session was lost".into());
    }
    Ok(())
}

fn main() -> ExitCode {
    let command = std::env::args().nth(1).unwrap_or_default();
    let result = match command.as_str() {
        "uploads" => uploads(),
        "link-race" => link_race(),
        "seed" => seed(),
        "reports" => reports(),
        "kill" => kill(),
        _ => Err("commands: uploads, link-race, seed, reports, kill".into()),
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("kyc-console-load: {e}");
            ExitCode::FAILURE
        }
    }
}
