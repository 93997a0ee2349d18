//! MRZ calls: text in, fields and the full report out.

use kyc_core::document::mrz::{self, MrzFields};

use crate::KycError;
use crate::time::parse_date;

/// One parsed MRZ. A readable MRZ whose check digits fail is not an error: `valid` is false and
/// `report_json` says which checks failed.
#[derive(Debug, Clone, PartialEq, uniffi::Record)]
pub struct MrzParse {
    /// Layout: `TD1`, `TD2`, `TD3`, `MRV-A` or `MRV-B`.
    pub format: String,
    /// Every check digit verified and the structure sound.
    pub valid: bool,
    /// The field values.
    pub fields: MrzFields,
    /// The core's whole report (`schema_version`, checks, evidence, structure, policy) as JSON.
    pub report_json: String,
}

/// Parses MRZ text (lines separated by `\n`) as printed, relative to `today` (`YYYY-MM-DD`, the
/// host's date: the engine reads no clock). Errors carry codes such as `mrz.line_length`.
#[uniffi::export]
pub fn parse_mrz(text: String, today: String) -> Result<MrzParse, KycError> {
    let today = parse_date(&today)?;
    let parsed = mrz::parse_text(&text, today).map_err(kyc_core::Error::from)?;
    let report = parsed.report();
    let report_json = serde_json::to_string(&report).map_err(|e| KycError::Other {
        code: "mrz.encode".to_owned(),
        detail: e.to_string(),
    })?;
    Ok(MrzParse {
        format: report.format.as_str().to_owned(),
        valid: report.valid,
        fields: report.fields,
        report_json,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    const TD3: &str = "P<UTOERIKSSON<<ANNA<MARIA<<<<<<<<<<<<<<<<<<<\nL898902C36UTO7408122F1204159ZE184226B<<<<<10";

    #[test]
    fn parses_fields_and_reports_codes() {
        let parsed = parse_mrz(TD3.to_owned(), "2010-06-01".to_owned()).unwrap();
        assert_eq!(parsed.format, "TD3");
        assert!(parsed.valid);
        assert_eq!(parsed.fields.surname, "ERIKSSON");
        assert_eq!(parsed.fields.given_names, "ANNA MARIA");
        assert_eq!(parsed.fields.birth_date.unwrap().to_string(), "1974-08-12");
        assert!(parsed.report_json.contains("\"schema_version\":1"));
        match parse_mrz("P<UTO\nshort".to_owned(), "2010-06-01".to_owned()) {
            Err(KycError::InvalidInput { code, .. }) => assert_eq!(code, "mrz.line_length"),
            other => panic!("{other:?}"),
        }
        match parse_mrz(TD3.to_owned(), "yesterday".to_owned()) {
            Err(KycError::InvalidInput { code, .. }) => assert_eq!(code, "input.bad_date"),
            other => panic!("{other:?}"),
        }
    }
}
