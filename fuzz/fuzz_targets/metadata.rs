//! JPEG and PNG metadata as received: the editing-software and synthetic-media readers walk the
//! segments and chunks of the file (EXIF, XMP, C2PA, comments, PNG text chunks) before any
//! decoding. Nothing may panic; a reported field is one the readers name.
#![no_main]

use kyc_core::forensics::{editing_software, synthetic_mark};
use libfuzzer_sys::fuzz_target;

const FIELDS: &[&str] = &[
    "xmp",
    "c2pa",
    "exif",
    "exif.software",
    "png.text",
    "jpeg.comment",
    "photoshop_irb",
];

fuzz_target!(|data: &[u8]| {
    if let Some((_, field)) = editing_software(data) {
        assert!(FIELDS.iter().any(|f| field.starts_with(f)), "field {field}");
    }
    if let Some(mark) = synthetic_mark(data) {
        assert!(!mark.mark.is_empty());
    }
});
