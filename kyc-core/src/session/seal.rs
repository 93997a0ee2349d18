//! Sealed stored sessions. A session is plain JSON the host keeps; anyone who can write to that
//! storage could otherwise turn a `declined` into an `approved` and the engine would go on from
//! there. With a [`SessionKey`] (the host's own secret, not a scenario's) the stored form carries an
//! HMAC-SHA256 of the exact JSON, and loading refuses a text whose seal does not match, or that has
//! no seal at all (a seal stripped off is tampering too). Without a key, sessions are stored and
//! loaded as plain JSON, as before.
//!
//! The sealed form is one line: `kys1.` + base64url(HMAC-SHA256(key, "kyc.session.v1\0" + json)) +
//! `.` + json. It is not encrypted: reports and retention read the JSON after the second `.`.

use base64::Engine as _;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use hmac::{Hmac, Mac};
use sha2::Sha256;

use super::{Session, SessionError};
use crate::error::Error;

type HmacSha256 = Hmac<Sha256>;

/// The sealed form's prefix.
pub const SEAL_PREFIX: &str = "kys1.";
/// Bytes of the seal before the JSON: the prefix, 43 base64url characters and a `.`.
pub const SEAL_OVERHEAD: usize = SEAL_PREFIX.len() + 43 + 1;
const DOMAIN: &[u8] = b"kyc.session.v1\0";

/// The host's key for sealing stored sessions: 32 to 512 bytes, kept secret, the same in every
/// process that loads the sessions. Prints as `SessionKey(***)`.
#[derive(Clone)]
pub struct SessionKey(Vec<u8>);

impl SessionKey {
    /// The shortest key accepted (256 bits).
    pub const MIN_LEN: usize = 32;
    /// The longest key accepted.
    pub const MAX_LEN: usize = 512;

    /// A key from the host's secret bytes.
    pub fn new(bytes: &[u8]) -> Result<Self, SessionError> {
        if (Self::MIN_LEN..=Self::MAX_LEN).contains(&bytes.len()) {
            Ok(Self(bytes.to_vec()))
        } else {
            Err(SessionError::SealKeyLength(bytes.len()))
        }
    }

    fn mac(&self, json: &[u8]) -> Result<HmacSha256, SessionError> {
        let mut mac =
            HmacSha256::new_from_slice(&self.0).map_err(|_| SessionError::SealMismatch)?;
        mac.update(DOMAIN);
        mac.update(json);
        Ok(mac)
    }
}

impl std::fmt::Debug for SessionKey {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("SessionKey(***)")
    }
}

impl Session {
    /// The stored form: sealed under `key`, or plain JSON when the host has none.
    pub fn store(&self, key: Option<&SessionKey>) -> String {
        let json = self.to_json();
        let Some(key) = key else {
            return json;
        };
        match key.mac(json.as_bytes()) {
            Ok(mac) => {
                let tag = URL_SAFE_NO_PAD.encode(mac.finalize().into_bytes());
                format!("{SEAL_PREFIX}{tag}.{json}")
            }
            // HMAC takes keys of any length: not reached. Plain JSON would not load under the key.
            Err(_) => json,
        }
    }

    /// Loads a stored session. With `key`, only a sealed text whose seal matches loads: a changed
    /// byte is `session.seal_mismatch`, a text without a seal `session.unsealed`. Without a key,
    /// plain JSON loads and a sealed text is `session.seal_key_missing` (it cannot be checked).
    pub fn load(text: &str, key: Option<&SessionKey>) -> Result<Session, Error> {
        let sealed = text.strip_prefix(SEAL_PREFIX);
        let json = match (key, sealed) {
            (None, None) => text,
            (None, Some(_)) => return Err(SessionError::SealKeyMissing.into()),
            (Some(_), None) => return Err(SessionError::Unsealed.into()),
            (Some(key), Some(rest)) => {
                let (tag, json) = rest.split_once('.').ok_or(SessionError::SealMismatch)?;
                let tag = URL_SAFE_NO_PAD
                    .decode(tag)
                    .map_err(|_| SessionError::SealMismatch)?;
                // The size limit before any MAC over the bytes, as before parsing.
                if json.len() > crate::json::MAX_JSON_BYTES {
                    return Err(crate::json::JsonError::TooLarge {
                        size: json.len(),
                        limit: crate::json::MAX_JSON_BYTES,
                    }
                    .into());
                }
                key.mac(json.as_bytes())?
                    .verify_slice(&tag)
                    .map_err(|_| SessionError::SealMismatch)?;
                json
            }
        };
        Ok(Session::from_json(json)?)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keys_are_bounded_and_never_print() {
        assert_eq!(
            SessionKey::new(&[1; 31]).unwrap_err().code(),
            "session.seal_key_length"
        );
        assert!(SessionKey::new(&[1; 513]).is_err());
        let key = SessionKey::new(&[7; 32]).unwrap();
        assert_eq!(format!("{key:?}"), "SessionKey(***)");
    }
}
