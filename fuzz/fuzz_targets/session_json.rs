//! Stored sessions as the host's storage hands them back: plain JSON loaded without a key, and the
//! same text sealed under a key (the seal computed here, so the fuzzer's JSON reaches the parser
//! through the sealed path too), and the raw text loaded under the key (a forged or broken seal).
//! Nothing may panic; sealed and plain loading must agree; a loaded session must store and load
//! back to the same JSON.
#![no_main]

use base64::Engine as _;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use hmac::{Hmac, Mac};
use kyc_core::Session;
use kyc_core::session::{SEAL_PREFIX, SessionKey};
use libfuzzer_sys::fuzz_target;
use sha2::Sha256;

const KEY: [u8; 32] = [0x5a; 32];

fn seal(json: &str) -> String {
    let Ok(mut mac) = Hmac::<Sha256>::new_from_slice(&KEY) else {
        unreachable!("HMAC takes any key length");
    };
    mac.update(b"kyc.session.v1\0");
    mac.update(json.as_bytes());
    let tag = URL_SAFE_NO_PAD.encode(mac.finalize().into_bytes());
    format!("{SEAL_PREFIX}{tag}.{json}")
}

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    let Ok(key) = SessionKey::new(&KEY) else {
        unreachable!("a 32-byte key is accepted");
    };
    // A text under the key as received: a seal the fuzzer wrote, or none.
    let _ = Session::load(text, Some(&key));

    let plain = Session::load(text, None);
    if text.starts_with(SEAL_PREFIX) {
        return;
    }
    let sealed = Session::load(&seal(text), Some(&key));
    assert_eq!(
        plain.is_ok(),
        sealed.is_ok(),
        "a correctly sealed text loads differently from the plain one"
    );
    let Ok(session) = plain else {
        return;
    };
    let json = session.to_json();
    for stored in [session.store(None), session.store(Some(&key))] {
        let back =
            match Session::load(&stored, Some(&key)).or_else(|_| Session::load(&stored, None)) {
                Ok(back) => back,
                Err(e) => panic!("a loaded session does not load back: {e}"),
            };
        assert_eq!(back.to_json(), json, "the session round trip is not stable");
    }
});
