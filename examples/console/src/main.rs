//! `kyc-console`: starts the console. Options (each also an environment variable):
//!
//! ```text
//! --database <url>      KYC_CONSOLE_DATABASE   sqlite file (default kyc-console.sqlite) or postgres://...
//! --listen <addr>       KYC_CONSOLE_LISTEN     default 127.0.0.1:8080
//! --public-url <url>    KYC_CONSOLE_PUBLIC_URL what links point to (default http://<listen>)
//! --wasm <dir>          KYC_CONSOLE_WASM       the built kyc-wasm package (scripts/build_wasm.sh <dir>)
//! --scenarios <dir>     KYC_CONSOLE_SCENARIOS  scenario files loaded at first start
//! --no-models                                  run without models (checks unavailable)
//! --retention-every <s> KYC_CONSOLE_RETENTION_EVERY  seconds between retention sweeps (600)
//! --callback-delay <s>  KYC_CONSOLE_CALLBACK_DELAY   first retry delay of callbacks (5)
//! --callbacks-to-any-host KYC_CONSOLE_CALLBACKS_ANY_HOST=1  else callbacks go to loopback only
//! --session-key-file <f> KYC_CONSOLE_SESSION_KEY_FILE  the key stored sessions are sealed under,
//!                        made on first start (default ~/.config/kyc-console/session.key)
//! KYC_CONSOLE_ADMIN_USER / KYC_CONSOLE_ADMIN_PASSWORD  the first operator (else printed once)
//! ```

use std::path::PathBuf;
use std::sync::Arc;

use kyc_console::{App, Config};

fn arg(args: &[String], name: &str, env: &str) -> Option<String> {
    args.iter()
        .position(|a| a == name)
        .and_then(|i| args.get(i + 1).cloned())
        .or_else(|| std::env::var(env).ok().filter(|v| !v.is_empty()))
}

fn config() -> Result<Config, String> {
    let args: Vec<String> = std::env::args().collect();
    let listen: std::net::SocketAddr = arg(&args, "--listen", "KYC_CONSOLE_LISTEN")
        .unwrap_or_else(|| "127.0.0.1:8080".to_owned())
        .parse()
        .map_err(|e| format!("--listen: {e}"))?;
    let number = |name: &str, env: &str, default: u64| -> Result<u64, String> {
        arg(&args, name, env).map_or(Ok(default), |v| {
            v.parse().map_err(|e| format!("{name}: {e}"))
        })
    };
    let admin = match (
        std::env::var("KYC_CONSOLE_ADMIN_USER"),
        std::env::var("KYC_CONSOLE_ADMIN_PASSWORD"),
    ) {
        (u, Ok(p)) if !p.is_empty() => Some((
            u.ok()
                .filter(|u| !u.is_empty())
                .unwrap_or_else(|| "admin".to_owned()),
            p,
        )),
        _ => None,
    };
    Ok(Config {
        database: arg(&args, "--database", "KYC_CONSOLE_DATABASE")
            .unwrap_or_else(|| "kyc-console.sqlite".to_owned()),
        public_url: arg(&args, "--public-url", "KYC_CONSOLE_PUBLIC_URL")
            .unwrap_or_else(|| format!("http://{listen}")),
        listen,
        wasm_dir: arg(&args, "--wasm", "KYC_CONSOLE_WASM").map(PathBuf::from),
        scenarios_dir: arg(&args, "--scenarios", "KYC_CONSOLE_SCENARIOS").map(PathBuf::from),
        no_models: args.iter().any(|a| a == "--no-models"),
        retention_every: number("--retention-every", "KYC_CONSOLE_RETENTION_EVERY", 600)?,
        admin,
        callback_initial_delay: number("--callback-delay", "KYC_CONSOLE_CALLBACK_DELAY", 5)?,
        callback_any_host: args.iter().any(|a| a == "--callbacks-to-any-host")
            || std::env::var("KYC_CONSOLE_CALLBACKS_ANY_HOST").is_ok_and(|v| v == "1"),
        session_key: Some(
            kyc_console::session_key::load_or_create(
                &arg(&args, "--session-key-file", "KYC_CONSOLE_SESSION_KEY_FILE")
                    .map_or_else(kyc_console::session_key::default_path, PathBuf::from),
            )
            .map_err(|e| e.to_string())?,
        ),
    })
}

fn main() -> std::process::ExitCode {
    let config = match config() {
        Ok(c) => c,
        Err(e) => {
            eprintln!("kyc-console: {e}");
            return std::process::ExitCode::from(2);
        }
    };
    let runtime = match tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
    {
        Ok(r) => r,
        Err(e) => {
            eprintln!("kyc-console: {e}");
            return std::process::ExitCode::FAILURE;
        }
    };
    match runtime.block_on(run(config)) {
        Ok(()) => std::process::ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("kyc-console: {}: {e}", e.code());
            std::process::ExitCode::FAILURE
        }
    }
}

async fn run(config: Config) -> kyc_console::Result<()> {
    let listen = config.listen;
    let app = tokio::task::spawn_blocking(move || App::start(config))
        .await
        .map_err(|e| kyc_console::ConsoleError::Internal(e.to_string()))??;
    if let Some(note) = &app.model_note {
        eprintln!("console: {note}");
    }
    let app = Arc::new(app);
    kyc_console::workers::spawn(app.clone());
    let listener = tokio::net::TcpListener::bind(listen)
        .await
        .map_err(|e| kyc_console::ConsoleError::Internal(format!("{listen}: {e}")))?;
    eprintln!(
        "console: listening on http://{listen} ({})",
        app.store.pool().label()
    );
    axum::serve(listener, kyc_console::web::router(app))
        .with_graceful_shutdown(async {
            let _ = tokio::signal::ctrl_c().await;
        })
        .await
        .map_err(|e| kyc_console::ConsoleError::Internal(e.to_string()))
}
