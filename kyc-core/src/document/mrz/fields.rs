//! Owned field values and the serialisable report built from a parsed [`Mrz`].

use jiff::civil::Date;
use serde::Serialize;

use super::charset::{fillers_to_spaces, trim_trailing_fillers};
use super::country::CountryClass;
use super::dates::DateProblem;
use super::division::DivisionCodeDb;
use super::evidence::{
    CheckOutcome, CheckReport, CheckedField, FieldEvidence, PolicyCheck, PolicyOutcome, Protection,
    Quirk, StructureIssue,
};
use super::format::MrzFormat;
use super::parse::Mrz;
use super::repair::Repair;
use super::russian::RussianPassport;

/// Version of the report's JSON shape.
pub const REPORT_SCHEMA_VERSION: u32 = 1;

/// Sex as printed.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Enum))]
#[serde(rename_all = "snake_case")]
pub enum Sex {
    /// `M`.
    Male,
    /// `F`.
    Female,
    /// `X` or `<`.
    Unspecified,
    /// Anything else (a structure issue is reported too).
    Invalid,
}

/// The primary and secondary identifiers of the name field (Doc 9303 Part 3, 4.6).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Name {
    /// Primary identifier (surname), fillers read as spaces.
    pub surname: String,
    /// Secondary identifier (given names), fillers read as spaces.
    pub given_names: String,
}

/// Split a name field at its first `<<`.
pub fn split_name(field: &[u8]) -> Name {
    let field = trim_trailing_fillers(field);
    let cut = field.windows(2).position(|w| w == b"<<");
    let (primary, secondary) = match cut {
        Some(i) => (
            field.get(..i).unwrap_or(&[]),
            field.get(i + 2..).unwrap_or(&[]),
        ),
        None => (field, &[][..]),
    };
    Name {
        surname: fillers_to_spaces(primary),
        given_names: fillers_to_spaces(secondary),
    }
}

/// Field values, as the example prints them.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Record))]
pub struct MrzFields {
    /// `P`, `ID`, `I`, `V`, `PN`... (fillers dropped).
    pub document_code: String,
    /// Issuing state or organisation (`D` for Germany).
    pub issuing_state: String,
    /// Primary identifier.
    pub surname: String,
    /// Secondary identifiers.
    pub given_names: String,
    /// Document number, with its TD1/TD2 overflow.
    pub document_number: String,
    /// Nationality.
    pub nationality: String,
    /// Date of birth (`YYYY-MM-DD`), when a calendar date.
    pub birth_date: Option<Date>,
    /// Date of birth as printed.
    pub birth_date_raw: String,
    /// Sex.
    pub sex: Sex,
    /// Date of expiry (`YYYY-MM-DD`), when a calendar date.
    pub expiry_date: Option<Date>,
    /// Date of expiry as printed.
    pub expiry_date_raw: String,
    /// Optional data (TD3: personal number), without a document-number overflow; inner fillers as spaces.
    pub optional_data: String,
    /// TD1 line 2 optional data.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub optional_data_2: Option<String>,
}

/// Everything known about one MRZ, for JSON results.
#[derive(Debug, Clone, Serialize)]
pub struct MrzReport {
    /// Shape version.
    pub schema_version: u32,
    /// Layout.
    pub format: MrzFormat,
    /// Every check digit verified (or allowed empty) and the structure sound.
    pub valid: bool,
    /// Values.
    pub fields: MrzFields,
    /// Check digits.
    pub checks: Vec<CheckReport>,
    /// Per-field protection.
    pub evidence: Vec<FieldEvidence>,
    /// Structural defects.
    pub structure: Vec<StructureReport>,
    /// An issuer's departure from the layout's character classes, accepted by name.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub structure_quirk: Option<Quirk>,
    /// Policy facts (country codes, expiry): for the caller to decide on.
    pub policy: Vec<PolicyCheck>,
    /// OCR substitutions made to reach this reading.
    pub repairs: Vec<Repair>,
    /// The Russian internal passport's own fields.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub russian: Option<RussianPassport>,
}

/// A structural defect in result form.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct StructureReport {
    /// Issue.
    pub issue: StructureIssue,
    /// Reason code.
    pub reason: &'static str,
}

fn text(b: &[u8]) -> String {
    String::from_utf8_lossy(trim_trailing_fillers(b)).into_owned()
}

impl Mrz {
    /// Document code without fillers.
    pub fn document_code(&self) -> &str {
        std::str::from_utf8(trim_trailing_fillers(
            self.span(self.format.layout().doc_code),
        ))
        .unwrap_or("")
    }

    /// Issuing state without fillers.
    pub fn issuing_state(&self) -> &str {
        std::str::from_utf8(trim_trailing_fillers(
            self.span(self.format.layout().issuing_state),
        ))
        .unwrap_or("")
    }

    /// Nationality without fillers.
    pub fn nationality(&self) -> &str {
        std::str::from_utf8(trim_trailing_fillers(
            self.span(self.format.layout().nationality),
        ))
        .unwrap_or("")
    }

    /// Name field as printed (fillers kept).
    pub fn name_field(&self) -> &[u8] {
        self.span(self.format.layout().name)
    }

    /// The name split into identifiers.
    pub fn name(&self) -> Name {
        split_name(self.name_field())
    }

    /// Document number, with the TD1/TD2 overflow appended.
    pub fn document_number(&self) -> String {
        let l = self.format.layout();
        let mut s = text(self.span(l.doc_number));
        if let Some((start, len)) = self.overflow
            && let Some(over) = self.span(l.optional).get(start..start + len)
        {
            s.push_str(&String::from_utf8_lossy(over));
        }
        s
    }

    /// Optional data without a document-number overflow (nor its check digit and separator).
    pub fn optional_data(&self) -> String {
        let opt = self.span(self.format.layout().optional);
        let rest = match self.overflow {
            Some((start, len)) => opt.get(start + len + 1..).unwrap_or(&[]),
            None => opt,
        };
        fillers_to_spaces(rest)
    }

    /// Sex.
    pub fn sex(&self) -> Sex {
        match self.byte(self.format.layout().sex) {
            b'M' => Sex::Male,
            b'F' => Sex::Female,
            b'X' | b'<' => Sex::Unspecified,
            _ => Sex::Invalid,
        }
    }

    /// Field values.
    pub fn fields(&self) -> MrzFields {
        let l = self.format.layout();
        let name = self.name();
        MrzFields {
            document_code: self.document_code().to_owned(),
            issuing_state: self.issuing_state().to_owned(),
            surname: name.surname,
            given_names: name.given_names,
            document_number: self.document_number(),
            nationality: self.nationality().to_owned(),
            birth_date: self.birth.ok(),
            birth_date_raw: String::from_utf8_lossy(self.span(l.birth)).into_owned(),
            sex: self.sex(),
            expiry_date: self.expiry.ok(),
            expiry_date_raw: String::from_utf8_lossy(self.span(l.expiry)).into_owned(),
            optional_data: self.optional_data(),
            optional_data_2: l.optional2.map(|s| fillers_to_spaces(self.span(s))),
        }
    }

    /// Policy facts: codes against the ICAO list, expiry against `today`, unknown dates.
    pub fn policy(&self) -> Vec<PolicyCheck> {
        let birth = match self.birth {
            Ok(_) => PolicyCheck {
                check: "birth_date",
                outcome: PolicyOutcome::Pass,
                reason: "document.mrz.birth_date",
            },
            Err(DateProblem::Unknown) => PolicyCheck {
                check: "birth_date",
                outcome: PolicyOutcome::Warn,
                reason: "document.mrz.birth_date.unknown",
            },
            Err(DateProblem::Invalid) => PolicyCheck {
                check: "birth_date",
                outcome: PolicyOutcome::Fail,
                reason: "document.mrz.birth_date.invalid",
            },
        };
        let expiry = match self.expiry {
            Ok(d) if d < self.today => PolicyCheck {
                check: "expiry",
                outcome: PolicyOutcome::Fail,
                reason: "document.mrz.expiry.expired",
            },
            Ok(_) => PolicyCheck {
                check: "expiry",
                outcome: PolicyOutcome::Pass,
                reason: "document.mrz.expiry.current",
            },
            Err(DateProblem::Unknown) => PolicyCheck {
                check: "expiry",
                outcome: PolicyOutcome::Warn,
                reason: "document.mrz.expiry.absent",
            },
            Err(DateProblem::Invalid) => PolicyCheck {
                check: "expiry",
                outcome: PolicyOutcome::Fail,
                reason: "document.mrz.expiry.invalid",
            },
        };
        let nationality = match self.structure_quirk {
            Some(Quirk::RomanianDigitsForNationality) => PolicyCheck {
                check: "nationality",
                outcome: PolicyOutcome::Warn,
                reason: "document.mrz.country.nationality.not_stated",
            },
            _ => country_policy("nationality", self.nationality_class),
        };
        vec![
            country_policy("issuing_state", self.issuing_state_class),
            nationality,
            birth,
            expiry,
        ]
    }

    /// Per-field protection evidence.
    pub fn evidence(&self) -> Vec<FieldEvidence> {
        let composite = self.check(CheckedField::Composite);
        let by_composite = |field: &'static str| FieldEvidence {
            field,
            protection: match composite {
                Some(c) if c.outcome == CheckOutcome::Verified => Protection::VerifiedByComposite,
                Some(_) => Protection::Refuted,
                None => Protection::NotProtected,
            },
            reason: match composite {
                Some(_) => "document.mrz.check_digit.composite",
                None => "document.mrz.not_protected",
            },
        };
        let own = |f: CheckedField| {
            self.check(f).map(|c| FieldEvidence {
                field: f.as_str(),
                protection: match c.outcome {
                    CheckOutcome::Verified => Protection::Verified,
                    CheckOutcome::Refuted => Protection::Refuted,
                    CheckOutcome::Absent => Protection::Absent,
                },
                reason: f.reason(),
            })
        };
        let none = |field: &'static str| FieldEvidence {
            field,
            protection: Protection::NotProtected,
            reason: "document.mrz.not_protected",
        };
        let mut out = Vec::with_capacity(11);
        out.push(none("document_code"));
        out.push(none("issuing_state"));
        out.push(none("surname"));
        out.push(none("given_names"));
        out.extend(own(CheckedField::DocumentNumber));
        out.push(none("nationality"));
        out.extend(own(CheckedField::BirthDate));
        out.push(none("sex"));
        out.extend(own(CheckedField::ExpiryDate));
        match own(CheckedField::OptionalData) {
            Some(e) => out.push(e),
            None => out.push(by_composite("optional_data")),
        }
        if self.format == MrzFormat::Td1 {
            out.push(by_composite("optional_data_2"));
        }
        out
    }

    /// The full report, without repairs or a division-code database.
    pub fn report(&self) -> MrzReport {
        self.report_with(Vec::new(), None)
    }

    /// The full report, with the repairs that produced this reading and, for Russian passports, a
    /// division-code database to look the issuing unit up in.
    pub fn report_with(&self, repairs: Vec<Repair>, db: Option<&dyn DivisionCodeDb>) -> MrzReport {
        let russian = self.russian_passport(db);
        let mut policy = self.policy();
        if let Some(r) = &russian {
            policy.extend(r.policy());
        }
        MrzReport {
            schema_version: REPORT_SCHEMA_VERSION,
            format: self.format,
            valid: self.valid(),
            fields: self.fields(),
            checks: self.checks().map(CheckReport::from).collect(),
            evidence: self.evidence(),
            structure: self
                .structure_issues()
                .map(|issue| StructureReport {
                    issue,
                    reason: issue.reason(),
                })
                .collect(),
            structure_quirk: self.structure_quirk,
            policy,
            repairs,
            russian,
        }
    }
}

fn country_policy(check: &'static str, class: CountryClass) -> PolicyCheck {
    let (outcome, reason) = match (check, class) {
        (_, CountryClass::State | CountryClass::IcaoSpecial) => (PolicyOutcome::Pass, "known"),
        (_, CountryClass::Historical) => (PolicyOutcome::Warn, "historical"),
        (_, CountryClass::Specimen) => (PolicyOutcome::Fail, "specimen"),
        (_, CountryClass::Unknown) => (PolicyOutcome::Fail, "unknown"),
    };
    let reason = match (check, reason) {
        ("issuing_state", "known") => "document.mrz.country.issuing_state",
        ("issuing_state", "historical") => "document.mrz.country.issuing_state.historical",
        ("issuing_state", "specimen") => "document.mrz.country.issuing_state.specimen",
        ("issuing_state", _) => "document.mrz.country.issuing_state.unknown",
        (_, "known") => "document.mrz.country.nationality",
        (_, "historical") => "document.mrz.country.nationality.historical",
        (_, "specimen") => "document.mrz.country.nationality.specimen",
        _ => "document.mrz.country.nationality.unknown",
    };
    PolicyCheck {
        check,
        outcome,
        reason,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use jiff::civil::date;

    #[test]
    fn names() {
        assert_eq!(
            split_name(b"CACADOR<DE<ARAUJO<<ANDRE<ESTEV"),
            Name {
                surname: "CACADOR DE ARAUJO".into(),
                given_names: "ANDRE ESTEV".into()
            }
        );
        assert_eq!(split_name(b"<<ANNA<MARIA<<<<").surname, "");
        assert_eq!(split_name(b"<<ANNA<MARIA<<<<").given_names, "ANNA MARIA");
        assert_eq!(split_name(b"ABULIKEMU<<<<<").given_names, "");
        assert_eq!(split_name(b"ONLYONE").surname, "ONLYONE");
    }

    #[test]
    fn report_json_shape() {
        let m = super::super::parse(
            &[
                "I<PRT007777779<ZZ92<<<<<<<<<<<",
                "8303143M3405282PRT<<<<<<<<<<<2",
                "CACADOR<DE<ARAUJO<<ANDRE<ESTEV",
            ],
            date(2026, 6, 1),
        )
        .unwrap();
        let r = m.report();
        assert!(r.valid);
        assert_eq!(r.fields.document_number, "007777779ZZ9");
        assert_eq!(r.fields.optional_data, "");
        let j = serde_json::to_value(&r).unwrap();
        assert_eq!(j["format"], "TD1");
        assert_eq!(j["fields"]["birth_date"], "1983-03-14");
        assert_eq!(j["fields"]["expiry_date"], "2034-05-28");
        assert_eq!(j["checks"][0]["field"], "document_number");
        assert_eq!(
            j["checks"][0]["reason"],
            "document.mrz.check_digit.document_number"
        );
    }
}
