//! What the runnable examples share: reading inputs from the command line with limits and turning
//! engine errors into the JSON the examples print.

use std::path::Path;

use kyc_core::ErrorCode;

/// The largest file an example reads: 64 MiB.
pub const MAX_FILE_BYTES: u64 = 64 << 20;

/// Reads a file, refusing ones over [`MAX_FILE_BYTES`] before reading them.
pub fn read_file(path: &Path) -> Result<Vec<u8>, String> {
    let meta = std::fs::metadata(path).map_err(|e| format!("{}: {e}", path.display()))?;
    if meta.len() > MAX_FILE_BYTES {
        return Err(format!(
            "{}: {} bytes, over the limit of {MAX_FILE_BYTES}",
            path.display(),
            meta.len()
        ));
    }
    std::fs::read(path).map_err(|e| format!("{}: {e}", path.display()))
}

/// `{"ok": false, "error": {"code", "message"}}` for an engine error.
pub fn error_json(err: &dyn ErrorCode, message: &str) -> serde_json::Value {
    serde_json::json!({"ok": false, "error": {"code": err.code(), "message": message}})
}
