//! Machine-readable zone (ICAO Doc 9303 and the Russian internal passport): parsing, check digits,
//! evidence, OCR repair, transliteration and generation.
//!
//! ```
//! # use kyc_core::document::mrz;
//! let today = jiff::civil::date(2026, 6, 1);
//! let m = mrz::parse(
//!     &["P<UTOERIKSSON<<ANNA<MARIA<<<<<<<<<<<<<<<<<<<", "L898902C36UTO7408122F1204159ZE184226B<<<<<10"],
//!     today,
//! )?;
//! assert!(m.valid()); // every check digit verifies; `UTO` is reported as a specimen code in policy()
//! # Ok::<(), mrz::MrzError>(())
//! ```
//!
//! The module refers only to itself and to external crates, so that it builds alone.

mod charset;
mod check_digit;
mod country;
mod dates;
mod division;
mod error;
mod evidence;
mod fields;
mod format;
mod generate;
mod parse;
mod repair;
mod russian;
mod translit;

pub use check_digit::{char_value, compute as check_digit, compute_parts as check_digit_parts};
pub use country::{CountryClass, classify as classify_country};
pub use dates::{DateKind, DateProblem, EXPIRY_WINDOW_YEARS, resolve as resolve_date};
pub use division::{
    DivisionCodeDb, DivisionCodeProblem, DivisionDbLimits, DivisionUnit, InMemoryDivisionDb,
    check_code as check_division_code, normalize_code as normalize_division_code,
};
pub use error::MrzError;
pub use evidence::{
    CheckDigit, CheckOutcome, CheckReport, CheckedField, FieldEvidence, PolicyCheck, PolicyOutcome,
    Protection, Quirk, StructureIssue,
};
pub use fields::{
    MrzFields, MrzReport, Name, REPORT_SCHEMA_VERSION, Sex, StructureReport, split_name,
};
pub use format::MrzFormat;
pub use generate::{MrzData, RussianData, render, render_russian};
pub use parse::{MAX_INPUT_BYTES, Mrz, parse, parse_text};
pub use repair::{
    MAX_GUIDED_POSITIONS, MAX_OCR_LINES, Repair, RepairReason, Repaired, read_ocr, read_ocr_text,
};
pub use russian::{
    CIPHER as RUSSIAN_CIPHER, RussianPassport, decode as decode_russian_name,
    encode as encode_russian_name,
};
pub use translit::{Ambiguity, Reversed, Transliterated, to_cyrillic, to_mrz};
