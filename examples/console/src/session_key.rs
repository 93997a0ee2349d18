//! The key that seals the sessions the console stores (`kyc_core::session::SessionKey`): someone
//! who can write to the database but not read this file cannot turn a stored `declined` into
//! `approved`; the engine refuses the changed session (`session.seal_mismatch`) or one whose seal
//! was stripped (`session.unsealed`). Kept in a file outside the database, made on first start
//! from the operating system's randomness (32 bytes, readable by the owner only), and never
//! printed.

use std::path::{Path, PathBuf};

use kyc_core::session::SessionKey;

use crate::error::{ConsoleError, Result};

/// Where the key lives when no path is given: `$XDG_CONFIG_HOME/kyc-console/session.key`, else
/// `~/.config/kyc-console/session.key`, else `kyc-console.session-key` in the working directory.
pub fn default_path() -> PathBuf {
    let config = std::env::var_os("XDG_CONFIG_HOME")
        .filter(|v| !v.is_empty())
        .map(PathBuf::from)
        .or_else(|| {
            std::env::var_os("HOME")
                .filter(|v| !v.is_empty())
                .map(|h| PathBuf::from(h).join(".config"))
        });
    match config {
        Some(dir) => dir.join("kyc-console").join("session.key"),
        None => PathBuf::from("kyc-console.session-key"),
    }
}

/// The key in `path`, made there first when the file does not exist. A file of the wrong size
/// is refused rather than replaced: sessions sealed under it would no longer load.
pub fn load_or_create(path: &Path) -> Result<SessionKey> {
    let io = |e: std::io::Error| ConsoleError::Internal(format!("{}: {e}", path.display()));
    let bytes = match std::fs::read(path) {
        Ok(bytes) => bytes,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
            if let Some(dir) = path.parent().filter(|d| !d.as_os_str().is_empty()) {
                std::fs::create_dir_all(dir).map_err(io)?;
            }
            let mut key = vec![0u8; SessionKey::MIN_LEN];
            crate::random_bytes(&mut key)?;
            // Written whole under another name, then linked into place: two consoles starting
            // at once agree on the first one linked, and none reads a half-written key.
            let staged = path.with_extension(format!("new-{}", std::process::id()));
            write_private(&staged, &key).map_err(io)?;
            let linked = std::fs::hard_link(&staged, path);
            let _ = std::fs::remove_file(&staged);
            match linked {
                Ok(()) => {
                    eprintln!("console: made the session key at {}", path.display());
                    key
                }
                Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => {
                    std::fs::read(path).map_err(io)?
                }
                Err(e) => return Err(io(e)),
            }
        }
        Err(e) => return Err(io(e)),
    };
    SessionKey::new(&bytes).map_err(|e| {
        ConsoleError::invalid(
            e.code(),
            format!("{}: {e} (the session key file)", path.display()),
        )
    })
}

/// Writes `bytes` to a new file readable by its owner only (where the platform has modes).
fn write_private(path: &Path, bytes: &[u8]) -> std::io::Result<()> {
    use std::io::Write as _;
    let mut options = std::fs::OpenOptions::new();
    options.write(true).create_new(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt as _;
        options.mode(0o600);
    }
    options.open(path)?.write_all(bytes)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn made_once_then_read_back_and_a_bad_file_is_refused() {
        let dir = std::env::temp_dir().join(format!("kyc-console-key-{}", std::process::id()));
        let path = dir.join("nested").join("session.key");
        let _ = std::fs::remove_dir_all(&dir);
        let made = load_or_create(&path).unwrap();
        let again = load_or_create(&path).unwrap();
        // The same key: a session sealed under the first loads under the second.
        let line = include_str!("../../../fixtures/sessions/sample.jsonl")
            .lines()
            .next()
            .unwrap();
        let session = kyc_core::Session::from_json(line).unwrap();
        let stored = session.store(Some(&made));
        assert!(kyc_core::Session::load(&stored, Some(&again)).is_ok());
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt as _;
            let mode = std::fs::metadata(&path).unwrap().permissions().mode();
            assert_eq!(mode & 0o077, 0, "readable by its owner only: {mode:o}");
        }
        std::fs::write(&path, b"short").unwrap();
        let err = load_or_create(&path).unwrap_err();
        assert!(err.to_string().contains("session key"), "{err}");
        std::fs::remove_dir_all(&dir).unwrap();
    }
}
