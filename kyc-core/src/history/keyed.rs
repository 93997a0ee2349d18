//! Keyed hashes of who and what. `who` is HMAC-SHA256 under the tenant key of the document type, the
//! normalised full name and the birth date; `fingerprint` is HMAC-SHA256 of the normalised document
//! number and issuing state. Without the key neither can be reversed or even tested against a guess.

use hmac::{Hmac, Mac};
use sha2::Sha256;

use jiff::civil::Date;

use super::{HistoryError, HistoryRecord};
use crate::document::{DocumentData, FieldSource, field};

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
    /// Which document, and its dates.
    pub record: HistoryRecord,
}

/// A field as the MRZ gave it; with `verified`, only when its check digit verified (confidence 1).
fn mrz_field<'a>(doc: &'a DocumentData, name: &str, verified: bool) -> Option<&'a str> {
    doc.fields
        .iter()
        .find(|f| {
            f.name == name && f.source == FieldSource::Mrz && (!verified || f.confidence >= 1.0)
        })
        .map(|f| f.value.trim())
        .filter(|v| !v.is_empty())
}

/// The hashes of `doc`, or `None` when it lacks what attributes it reliably: the type, the name
/// from the MRZ, and the birth date and number from the MRZ with verified check digits.
pub fn keyed(key: &HistoryKey, doc: &DocumentData) -> Option<Keyed> {
    let doc_type = serde_json::to_string(&doc.document_type?).ok()?;
    let surname = mrz_field(doc, field::SURNAME, false)?;
    let given = mrz_field(doc, field::GIVEN_NAMES, false).unwrap_or("");
    let name = normalise_words(&format!("{surname} {given}"));
    let birth = mrz_field(doc, field::BIRTH_DATE, true)?;
    let number = normalise_number(mrz_field(doc, field::DOCUMENT_NUMBER, true)?);
    if name.is_empty() || number.is_empty() {
        return None;
    }
    let state = doc
        .issuing_state
        .as_deref()
        .map(str::trim)
        .unwrap_or("")
        .to_uppercase();
    let date = |name: &str| mrz_field(doc, name, false).and_then(|v| v.parse::<Date>().ok());
    Some(Keyed {
        who: key.mac(
            b"kyc.history.who.v1",
            &[doc_type.as_bytes(), name.as_bytes(), birth.as_bytes()],
        ),
        record: HistoryRecord {
            fingerprint: key.mac(
                b"kyc.history.document.v1",
                &[number.as_bytes(), state.as_bytes()],
            ),
            issued: date(field::ISSUE_DATE),
            expires: date(field::EXPIRY_DATE),
        },
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
