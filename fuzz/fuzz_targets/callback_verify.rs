//! A callback as the customer's server receives it: `name: value` header lines, a blank line, then
//! the body. The public receiver (`facade::CallbackReceiver`) checks it as received, at the time
//! the timestamp header states; then the body is signed here with the scenario's key (as the
//! sender would) so that the fuzzer's bodies get past the signature into the envelope parsing,
//! decryption and notification parsing. Nothing may panic; an accepted callback is accepted once.
#![no_main]

use kyc_core::callback::{
    HEADER_ID, HEADER_TIMESTAMP, InMemorySeenIds, VerifyOptions, WebhookHeaders, sign,
    verify_and_decrypt,
};
use kyc_core::facade::CallbackReceiver;
use kyc_core::scenario::SecretKey;
use libfuzzer_sys::fuzz_target;

const SECRET: &str = "fuzz-scenario-secret-0123456789abcdef";

fuzz_target!(|data: &[u8]| {
    let (head, body) = match data.windows(2).position(|w| w == b"\n\n") {
        Some(i) => (&data[..i], &data[i + 2..]),
        None => (data, &[][..]),
    };
    let head = String::from_utf8_lossy(head);
    let headers: Vec<(String, String)> = head
        .lines()
        .filter_map(|line| line.split_once(':'))
        .map(|(k, v)| (k.trim().to_owned(), v.trim().to_owned()))
        .collect();
    let now = headers
        .iter()
        .find(|(k, _)| k.eq_ignore_ascii_case(HEADER_TIMESTAMP))
        .and_then(|(_, v)| v.parse::<i64>().ok())
        .unwrap_or(1_790_000_000);

    // As received, through the binding-facing receiver, plain and encryption-required.
    for require_encryption in [false, true] {
        let receiver = CallbackReceiver::new(SECRET, require_encryption);
        let _ = receiver.verify(&headers, body, now);
    }

    // Signed here, so that the body itself is what is tested.
    let secret = SecretKey::new(SECRET);
    let id = headers
        .iter()
        .find(|(k, _)| k.eq_ignore_ascii_case(HEADER_ID))
        .map_or("msg_fuzz", |(_, v)| v.as_str());
    let Ok(timestamp) = jiff::Timestamp::from_second(now) else {
        return;
    };
    let Ok(signature) = sign(&secret, id, now, body) else {
        return;
    };
    let signed = WebhookHeaders {
        id: Some(id.to_owned()),
        timestamp: Some(now.to_string()),
        signature: Some(signature),
    };
    let seen = InMemorySeenIds::new(4);
    let first = verify_and_decrypt(
        std::slice::from_ref(&secret),
        &signed,
        body,
        timestamp,
        &seen,
        VerifyOptions::default(),
    );
    if first.is_ok() {
        let again = verify_and_decrypt(
            std::slice::from_ref(&secret),
            &signed,
            body,
            timestamp,
            &seen,
            VerifyOptions::default(),
        );
        assert!(again.is_err(), "a replayed callback was accepted");
    }
});
