//! Body encryption: AES-256-GCM under a key derived from the scenario's secret with HKDF-SHA256, a
//! fresh 96-bit nonce from the injected entropy, and the scenario id, session id and timestamp bound
//! as associated data, so a ciphertext moved to another session or replayed with another timestamp
//! does not open.

use super::CallbackError;
use crate::entropy::Entropy;
use crate::scenario::{KeyPurpose, SecretKey};
use aes_gcm::aead::{Aead, Payload};
use aes_gcm::{Aes256Gcm, Key, KeyInit, Nonce};

/// HKDF info label of the callback encryption key ([`KeyPurpose::CallbackEncryption`]).
pub const HKDF_INFO: &[u8] = KeyPurpose::CallbackEncryption.label();
/// Prefix of the associated data.
const AAD_LABEL: &[u8] = b"kyc.callback.v1";

/// Length of the nonce in bytes (96 bits).
pub const NONCE_LEN: usize = 12;

/// A derived 256-bit key; wiped of nothing but never printed.
pub(crate) struct CallbackKey([u8; 32]);

impl std::fmt::Debug for CallbackKey {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("CallbackKey(***)")
    }
}

impl CallbackKey {
    /// The secret's [`KeyPurpose::CallbackEncryption`] subkey: HKDF-SHA256(salt = "kyc-core",
    /// ikm = secret, info = [`HKDF_INFO`]), 32 bytes.
    pub(crate) fn derive(secret: &SecretKey) -> Result<Self, CallbackError> {
        Ok(Self(
            *secret.subkey(KeyPurpose::CallbackEncryption).expose(),
        ))
    }

    #[cfg(test)]
    pub(crate) fn from_bytes(bytes: [u8; 32]) -> Self {
        Self(bytes)
    }

    fn cipher(&self) -> Aes256Gcm {
        Aes256Gcm::new(&Key::<Aes256Gcm>::from(self.0))
    }
}

/// The associated data: label, then each part as a 4-byte big-endian length and its bytes, so no
/// two different (scenario, session, timestamp) triples give the same bytes.
pub(crate) fn associated_data(scenario_id: &str, session_id: &str, timestamp: i64) -> Vec<u8> {
    let ts = timestamp.to_string();
    let mut aad =
        Vec::with_capacity(AAD_LABEL.len() + 12 + scenario_id.len() + session_id.len() + ts.len());
    aad.extend_from_slice(AAD_LABEL);
    for part in [scenario_id.as_bytes(), session_id.as_bytes(), ts.as_bytes()] {
        let len = u32::try_from(part.len()).unwrap_or(u32::MAX);
        aad.extend_from_slice(&len.to_be_bytes());
        aad.extend_from_slice(part);
    }
    aad
}

/// Encrypts `plaintext`; returns the nonce and the ciphertext with its 16-byte tag appended.
pub(crate) fn seal(
    key: &CallbackKey,
    entropy: &dyn Entropy,
    aad: &[u8],
    plaintext: &[u8],
) -> Result<([u8; NONCE_LEN], Vec<u8>), CallbackError> {
    let mut nonce = [0u8; NONCE_LEN];
    entropy.fill(&mut nonce);
    let ciphertext = seal_with_nonce(key, &nonce, aad, plaintext)?;
    Ok((nonce, ciphertext))
}

pub(crate) fn seal_with_nonce(
    key: &CallbackKey,
    nonce: &[u8; NONCE_LEN],
    aad: &[u8],
    plaintext: &[u8],
) -> Result<Vec<u8>, CallbackError> {
    key.cipher()
        .encrypt(
            &Nonce::from(*nonce),
            Payload {
                msg: plaintext,
                aad,
            },
        )
        .map_err(|_| CallbackError::Crypto)
}

/// Decrypts and authenticates; any change to key, nonce, associated data or ciphertext fails.
pub(crate) fn open(
    key: &CallbackKey,
    nonce: &[u8; NONCE_LEN],
    aad: &[u8],
    ciphertext: &[u8],
) -> Result<Vec<u8>, CallbackError> {
    key.cipher()
        .decrypt(
            &Nonce::from(*nonce),
            Payload {
                msg: ciphertext,
                aad,
            },
        )
        .map_err(|_| CallbackError::DecryptFailed)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn hex(s: &str) -> Vec<u8> {
        (0..s.len())
            .step_by(2)
            .map(|i| u8::from_str_radix(&s[i..i + 2], 16).unwrap())
            .collect()
    }

    fn key(s: &str) -> CallbackKey {
        CallbackKey::from_bytes(hex(s).try_into().unwrap())
    }

    fn nonce(s: &str) -> [u8; 12] {
        hex(s).try_into().unwrap()
    }

    // Known-answer vectors for AES-256-GCM with a 96-bit IV: test cases 13 to 16 of McGrew and
    // Viega, "The Galois/Counter Mode of Operation (GCM)" (the vectors NIST's GCM validation uses).
    struct Vector {
        key: &'static str,
        iv: &'static str,
        plaintext: &'static str,
        aad: &'static str,
        ciphertext: &'static str,
        tag: &'static str,
    }

    const VECTORS: &[Vector] = &[
        // Test case 13: empty plaintext, zero key and IV.
        Vector {
            key: "0000000000000000000000000000000000000000000000000000000000000000",
            iv: "000000000000000000000000",
            plaintext: "",
            aad: "",
            ciphertext: "",
            tag: "530f8afbc74536b9a963b4f1c4cb738b",
        },
        // Test case 14: one zero block.
        Vector {
            key: "0000000000000000000000000000000000000000000000000000000000000000",
            iv: "000000000000000000000000",
            plaintext: "00000000000000000000000000000000",
            aad: "",
            ciphertext: "cea7403d4d606b6e074ec5d3baf39d18",
            tag: "d0d1c8a799996bf0265b98b5d48ab919",
        },
        // Test case 15: four blocks, no associated data.
        Vector {
            key: "feffe9928665731c6d6a8f9467308308feffe9928665731c6d6a8f9467308308",
            iv: "cafebabefacedbaddecaf888",
            plaintext: "d9313225f88406e5a55909c5aff5269a86a7a9531534f7da2e4c303d8a318a721c3c0c95956809532fcf0e2449a6b525b16aedf5aa0de657ba637b391aafd255",
            aad: "",
            ciphertext: "522dc1f099567d07f47f37a32a84427d643a8cdcbfe5c0c97598a2bd2555d1aa8cb08e48590dbb3da7b08b1056828838c5f61e6393ba7a0abcc9f662898015ad",
            tag: "b094dac5d93471bdec1a502270e3cc6c",
        },
        // Test case 16: partial last block, with associated data.
        Vector {
            key: "feffe9928665731c6d6a8f9467308308feffe9928665731c6d6a8f9467308308",
            iv: "cafebabefacedbaddecaf888",
            plaintext: "d9313225f88406e5a55909c5aff5269a86a7a9531534f7da2e4c303d8a318a721c3c0c95956809532fcf0e2449a6b525b16aedf5aa0de657ba637b39",
            aad: "feedfacedeadbeeffeedfacedeadbeefabaddad2",
            ciphertext: "522dc1f099567d07f47f37a32a84427d643a8cdcbfe5c0c97598a2bd2555d1aa8cb08e48590dbb3da7b08b1056828838c5f61e6393ba7a0abcc9f662",
            tag: "76fc6ece0f4e1768cddf8853bb2d551b",
        },
    ];

    #[test]
    fn aes_256_gcm_known_answers() {
        for (i, v) in VECTORS.iter().enumerate() {
            let k = key(v.key);
            let n = nonce(v.iv);
            let sealed = seal_with_nonce(&k, &n, &hex(v.aad), &hex(v.plaintext)).unwrap();
            let mut expected = hex(v.ciphertext);
            expected.extend(hex(v.tag));
            assert_eq!(sealed, expected, "vector {i}");
            let opened = open(&k, &n, &hex(v.aad), &sealed).unwrap();
            assert_eq!(opened, hex(v.plaintext), "vector {i}");
        }
    }

    #[test]
    fn any_change_fails_to_open() {
        let v = &VECTORS[3];
        let (k, n, aad) = (key(v.key), nonce(v.iv), hex(v.aad));
        let sealed = seal_with_nonce(&k, &n, &aad, &hex(v.plaintext)).unwrap();
        let mut flipped = sealed.clone();
        flipped[0] ^= 1;
        assert_eq!(
            open(&k, &n, &aad, &flipped),
            Err(CallbackError::DecryptFailed)
        );
        let mut tag_flipped = sealed.clone();
        *tag_flipped.last_mut().unwrap() ^= 0x80;
        assert_eq!(
            open(&k, &n, &aad, &tag_flipped),
            Err(CallbackError::DecryptFailed)
        );
        let mut other_aad = aad.clone();
        other_aad[0] ^= 1;
        assert_eq!(
            open(&k, &n, &other_aad, &sealed),
            Err(CallbackError::DecryptFailed)
        );
        let mut other_nonce = n;
        other_nonce[11] ^= 1;
        assert_eq!(
            open(&k, &other_nonce, &aad, &sealed),
            Err(CallbackError::DecryptFailed)
        );
        let wrong = key("00feffe9928665731c6d6a8f9467308308feffe9928665731c6d6a8f94673083");
        assert_eq!(
            open(&wrong, &n, &aad, &sealed),
            Err(CallbackError::DecryptFailed)
        );
        assert_eq!(
            open(&k, &n, &aad, &sealed[..10]),
            Err(CallbackError::DecryptFailed)
        );
    }

    #[test]
    fn associated_data_is_unambiguous() {
        assert_ne!(associated_data("ab", "c", 1), associated_data("a", "bc", 1));
        assert_ne!(associated_data("a", "b", 12), associated_data("a", "b1", 2));
    }

    #[test]
    fn derived_key_depends_on_secret_and_never_prints() {
        let a = CallbackKey::derive(&SecretKey::new("a".repeat(32))).unwrap();
        let b = CallbackKey::derive(&SecretKey::new("b".repeat(32))).unwrap();
        assert_ne!(a.0, b.0);
        assert_eq!(format!("{a:?}"), "CallbackKey(***)");
    }
}
