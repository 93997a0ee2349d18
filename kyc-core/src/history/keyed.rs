//! Keyed hashes of who and what. `who` is HMAC-SHA256 under the tenant key of the document type, the
//! normalised full name and the birth date; `fingerprint` is HMAC-SHA256 of the normalised document
//! number and issuing state. Without the key neither can be reversed or even tested against a guess.

use hmac::{Hmac, Mac};
use sha2::Sha256;

use super::HistoryError;
use crate::document::{DocumentData, field};

type HmacSha256 = Hmac<Sha256>;

/// The tenant's history key: prints as `HistoryKey(***)`.
#[derive(Clone)]
pub struct HistoryKey(Vec<u8>);

impl HistoryKey {
    /// Shortest key.
    pub const MIN_LEN: usize = 32;
    /// Longest key.
    pub const MAX_LEN: usize = 512;

    /// Wraps 32 to 512 secret bytes (a random key the host keeps per tenant).
    pub fn new(bytes: &[u8]) -> Result<Self, HistoryError> {
        if (Self::MIN_LEN..=Self::MAX_LEN).contains(&bytes.len()) {
            Ok(Self(bytes.to_vec()))
        } else {
            Err(HistoryError::KeyLength(bytes.len()))
        }
    }

    fn mac(&self, domain: &[u8], parts: &[&[u8]]) -> [u8; 32] {
        // HMAC accepts keys of any length, so this cannot fail; fall back to an all-zero digest
        // rather than panic.
        let Ok(mut mac) = HmacSha256::new_from_slice(&self.0) else {
            return [0; 32];
        };
        mac.update(domain);
        for part in parts {
            mac.update(&u32::try_from(part.len()).unwrap_or(u32::MAX).to_be_bytes());
            mac.update(part);
        }
        mac.finalize().into_bytes().into()
    }
}

impl std::fmt::Debug for HistoryKey {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("HistoryKey(***)")
    }
}

/// The keyed hashes of one submission.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Keyed {
    /// Who, and which document type.
    pub who: [u8; 32],
    /// Which document data.
    pub fingerprint: [u8; 32],
}

/// The hashes of `doc`, or `None` when it lacks what identifies the person or the document (type,
/// name, birth date, number).
pub fn keyed(key: &HistoryKey, doc: &DocumentData) -> Option<Keyed> {
    let doc_type = serde_json::to_string(&doc.document_type?).ok()?;
    let name = full_name(doc)?;
    let birth = doc.field(field::BIRTH_DATE)?.value.trim().to_owned();
    if birth.is_empty() {
        return None;
    }
    let number = normalise_number(&doc.field(field::DOCUMENT_NUMBER)?.value);
    if number.is_empty() {
        return None;
    }
    let state = doc
        .issuing_state
        .as_deref()
        .map(str::trim)
        .unwrap_or("")
        .to_uppercase();
    Some(Keyed {
        who: key.mac(
            b"kyc.history.who.v1",
            &[doc_type.as_bytes(), name.as_bytes(), birth.as_bytes()],
        ),
        fingerprint: key.mac(
            b"kyc.history.document.v1",
            &[number.as_bytes(), state.as_bytes()],
        ),
    })
}

/// Surname and given names (or a `full_name` field), upper-cased, with every run of non-alphanumeric
/// characters (spaces, hyphens, MRZ fillers) made one space.
pub fn full_name(doc: &DocumentData) -> Option<String> {
    let joined = match (doc.field(field::SURNAME), doc.field(field::GIVEN_NAMES)) {
        (Some(s), Some(g)) => format!("{} {}", s.value, g.value),
        (Some(s), None) => s.value.clone(),
        _ => doc.field("full_name")?.value.clone(),
    };
    let name = normalise_words(&joined);
    (!name.is_empty()).then_some(name)
}

fn normalise_words(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for word in text
        .split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty())
    {
        if !out.is_empty() {
            out.push(' ');
        }
        out.extend(word.chars().flat_map(char::to_uppercase));
    }
    out
}

fn normalise_number(text: &str) -> String {
    text.chars()
        .filter(|c| c.is_alphanumeric())
        .flat_map(char::to_uppercase)
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_and_numbers_normalise() {
        assert_eq!(
            normalise_words("  o'Brien-smith<<ANNA  maria "),
            "O BRIEN SMITH ANNA MARIA"
        );
        assert_eq!(normalise_words("Ёлкина Анна"), "ЁЛКИНА АННА");
        assert_eq!(normalise_number("45 09-123456<"), "4509123456");
    }

    #[test]
    fn keys_are_checked_and_hidden() {
        assert_eq!(
            HistoryKey::new(&[0; 31]).unwrap_err().code(),
            "history.key_length"
        );
        let key = HistoryKey::new(&[7; 32]).unwrap();
        assert_eq!(format!("{key:?}"), "HistoryKey(***)");
    }
}
