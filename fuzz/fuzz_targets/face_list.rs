//! Face-list bytes as the host's storage hands them back (`Gallery::from_bytes`). Nothing may
//! panic; a list that loads stores to bytes that load to the same list, and can be searched.
#![no_main]

use kyc_core::face::gallery::Gallery;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Ok(gallery) = Gallery::from_bytes(data) else {
        return;
    };
    let bytes = gallery.to_bytes();
    let again = match Gallery::from_bytes(&bytes) {
        Ok(again) => again,
        Err(e) => panic!("a loaded face list does not load back: {e}"),
    };
    assert_eq!(
        again.to_bytes(),
        bytes,
        "the face-list round trip is not stable"
    );
    assert_eq!(again.len(), gallery.len());
});
