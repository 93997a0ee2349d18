//! Link tokens: `kyl1_` and the unpadded base64url of
//! `version (1) | random (16) | expires_at Unix seconds, big-endian (8) | scenario id length (1) |
//! scenario id | HMAC-SHA256 tag (32)`. The tag is keyed with the scenario secret's
//! [`KeyPurpose::LinkToken`] subkey (HKDF-SHA256, info `kyc link token v1`), so the scenario and the expiry verify without a lookup; the 128 random
//! bits make the link id.

use base64::Engine as _;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use hmac::{Hmac, Mac};
use jiff::Timestamp;
use sha2::Sha256;

use super::LinkError;
use crate::scenario::{KeyPurpose, SecretKey};

type HmacSha256 = Hmac<Sha256>;

/// The token's prefix.
pub const TOKEN_PREFIX: &str = "kyl1_";
/// The longest token accepted, checked before decoding.
pub const MAX_TOKEN_LEN: usize = 300;
/// Random bytes per token.
pub const RANDOM_BYTES: usize = 16;
const VERSION: u8 = 1;
const TAG_LEN: usize = 32;

/// A bearer token: prints as `LinkToken(***)`.
#[derive(Clone, PartialEq, Eq)]
pub struct LinkToken(String);

impl LinkToken {
    /// The token text, to put into a URL.
    pub fn expose(&self) -> &str {
        &self.0
    }
}

impl std::fmt::Debug for LinkToken {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("LinkToken(***)")
    }
}

/// What a token states once parsed (verified or not).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct LinkClaims {
    /// Hex of the 128 random bits.
    pub link_id: String,
    /// The scenario.
    pub scenario_id: String,
    /// When the link stops working.
    pub expires_at: Timestamp,
}

struct Parsed {
    claims: LinkClaims,
    signed: Vec<u8>,
    tag: Vec<u8>,
}

fn mac(secret: &SecretKey) -> Result<HmacSha256, LinkError> {
    let key = secret.subkey(KeyPurpose::LinkToken);
    HmacSha256::new_from_slice(key.expose()).map_err(|_| LinkError::Crypto)
}

pub(crate) fn encode(
    secret: &SecretKey,
    random: &[u8; RANDOM_BYTES],
    scenario_id: &str,
    expires_at: Timestamp,
) -> Result<LinkToken, LinkError> {
    let id_len = u8::try_from(scenario_id.len()).map_err(|_| LinkError::Malformed)?;
    let mut bytes = Vec::with_capacity(1 + RANDOM_BYTES + 8 + 1 + scenario_id.len() + TAG_LEN);
    bytes.push(VERSION);
    bytes.extend_from_slice(random);
    bytes.extend_from_slice(&expires_at.as_second().to_be_bytes());
    bytes.push(id_len);
    bytes.extend_from_slice(scenario_id.as_bytes());
    let mut m = mac(secret)?;
    m.update(&bytes);
    bytes.extend_from_slice(&m.finalize().into_bytes());
    Ok(LinkToken(format!(
        "{TOKEN_PREFIX}{}",
        URL_SAFE_NO_PAD.encode(bytes)
    )))
}

fn parse(token: &str) -> Result<Parsed, LinkError> {
    if token.len() > MAX_TOKEN_LEN {
        return Err(LinkError::Malformed);
    }
    let body = token
        .strip_prefix(TOKEN_PREFIX)
        .ok_or(LinkError::Malformed)?;
    let bytes = URL_SAFE_NO_PAD
        .decode(body)
        .map_err(|_| LinkError::Malformed)?;
    let (&version, rest) = bytes.split_first().ok_or(LinkError::Malformed)?;
    if version != VERSION {
        return Err(LinkError::Malformed);
    }
    let (random, rest) = rest
        .split_at_checked(RANDOM_BYTES)
        .ok_or(LinkError::Malformed)?;
    let (expiry, rest) = rest.split_at_checked(8).ok_or(LinkError::Malformed)?;
    let (&id_len, rest) = rest.split_first().ok_or(LinkError::Malformed)?;
    let (id, tag) = rest
        .split_at_checked(usize::from(id_len))
        .ok_or(LinkError::Malformed)?;
    if tag.len() != TAG_LEN {
        return Err(LinkError::Malformed);
    }
    let expiry: [u8; 8] = expiry.try_into().map_err(|_| LinkError::Malformed)?;
    let expires_at =
        Timestamp::from_second(i64::from_be_bytes(expiry)).map_err(|_| LinkError::Malformed)?;
    let scenario_id = std::str::from_utf8(id)
        .map_err(|_| LinkError::Malformed)?
        .to_owned();
    let signed_len = bytes.len() - TAG_LEN;
    let signed = bytes
        .get(..signed_len)
        .ok_or(LinkError::Malformed)?
        .to_vec();
    Ok(Parsed {
        claims: LinkClaims {
            link_id: hex(random),
            scenario_id,
            expires_at,
        },
        signed,
        tag: tag.to_vec(),
    })
}

/// The scenario a token names, unverified: only for finding which scenario (and so which key) to
/// verify it with.
pub fn peek_scenario_id(token: &str) -> Result<String, LinkError> {
    Ok(parse(token)?.claims.scenario_id)
}

/// Verifies a token against its scenario at `now`, with no lookup: format, scenario, HMAC (constant
/// time), expiry (a link expires at `expires_at` exactly).
pub fn verify(
    scenario_id: &str,
    secret: &SecretKey,
    token: &str,
    now: Timestamp,
) -> Result<LinkClaims, LinkError> {
    let parsed = parse(token)?;
    if parsed.claims.scenario_id != scenario_id {
        return Err(LinkError::ScenarioMismatch);
    }
    let mut m = mac(secret)?;
    m.update(&parsed.signed);
    m.verify_slice(&parsed.tag)
        .map_err(|_| LinkError::BadSignature)?;
    if now >= parsed.claims.expires_at {
        return Err(LinkError::Expired);
    }
    Ok(parsed.claims)
}

pub(crate) fn hex(bytes: &[u8]) -> String {
    let mut s = String::with_capacity(bytes.len() * 2);
    for b in bytes {
        s.push_str(&format!("{b:02x}"));
    }
    s
}
