//! The Russian internal passport (паспорт гражданина РФ) MRZ: TD3 layout, document code `PN`,
//! state `RUS`, with a national name cipher and national optional data.
//!
//! Sources (searched and read for this module):
//! - Layout of the second line — FMS order "Об утверждении Правил и способа формирования
//!   машиночитаемой записи в паспорте гражданина Российской Федерации..." (2011), Table 3, as published
//!   at docs.cntd.ru/document/902288198: positions 1-9 series and number, 10 check digit, 11-13
//!   nationality, 14-19 birth date, 20 check, 21 sex, 22-27 expiry, 28 check, 29-42 additional data,
//!   43 check, 44 final check, weights 731. Replaced by MVD orders 851 (2017) and 773 (2020,
//!   appendix 24) with the same layout.
//! - Positions 1-9 carry only the first three digits of the four-digit series then the six-digit
//!   number; the expiry is left as fillers since the passport's validity depends on age (ya.ru/neurum
//!   answer quoting the order; the same layout in a public parser's docstring: additional data =
//!   last digit of the series + issue date + division code).
//! - Name cipher "модернизированный клер": Cyrillic letters become Latin letters or digits, e.g.
//!   Ё → 2, Й → Q (ornatus.ru, citing MVD order 773 appendix 24); Ч → 3 (thieux.fr's copy of the
//!   Wikipedia MRZ article: "In russischen Visa und internen Pässen wird ... 3 ... verwendet").
//!   The rest of the table below is the order's table as commonly reproduced; the retrieved excerpts
//!   did not show every row, which is said here rather than hidden.

use jiff::civil::Date;
use serde::Serialize;

use super::charset::trim_trailing_fillers;
use super::dates::{self, DateKind};
use super::division::{self, DivisionCodeDb, DivisionCodeProblem};
use super::evidence::{PolicyCheck, PolicyOutcome};
use super::parse::Mrz;

/// Cipher table: (MRZ byte, Cyrillic capital). One to one in both directions.
pub const CIPHER: [(u8, char); 33] = [
    (b'A', 'А'),
    (b'B', 'Б'),
    (b'V', 'В'),
    (b'G', 'Г'),
    (b'D', 'Д'),
    (b'E', 'Е'),
    (b'2', 'Ё'),
    (b'J', 'Ж'),
    (b'Z', 'З'),
    (b'I', 'И'),
    (b'Q', 'Й'),
    (b'K', 'К'),
    (b'L', 'Л'),
    (b'M', 'М'),
    (b'N', 'Н'),
    (b'O', 'О'),
    (b'P', 'П'),
    (b'R', 'Р'),
    (b'S', 'С'),
    (b'T', 'Т'),
    (b'U', 'У'),
    (b'F', 'Ф'),
    (b'H', 'Х'),
    (b'C', 'Ц'),
    (b'3', 'Ч'),
    (b'4', 'Ш'),
    (b'W', 'Щ'),
    (b'X', 'Ъ'),
    (b'Y', 'Ы'),
    (b'9', 'Ь'),
    (b'6', 'Э'),
    (b'7', 'Ю'),
    (b'8', 'Я'),
];

/// Decode one cipher byte.
pub(super) fn decode_char(b: u8) -> Option<char> {
    CIPHER.iter().find(|(m, _)| *m == b).map(|(_, c)| *c)
}

/// Encode one Cyrillic letter (either case).
pub(super) fn encode_char(c: char) -> Option<u8> {
    let up = c.to_uppercase().next().unwrap_or(c);
    CIPHER.iter().find(|(_, k)| *k == up).map(|(m, _)| *m)
}

/// Decode a run of cipher bytes; `<` becomes a space; `None` if a byte has no letter (`0`, `1`, `5`).
pub fn decode(field: &[u8]) -> Option<String> {
    let mut out = String::with_capacity(field.len() * 2);
    for &b in field {
        if b == b'<' {
            out.push(' ');
        } else {
            out.push(decode_char(b)?);
        }
    }
    Some(out)
}

/// Encode a Cyrillic word (spaces and hyphens become `<`); `None` for a letter outside the table.
pub fn encode(text: &str) -> Option<String> {
    text.chars()
        .map(|c| match c {
            ' ' | '-' => Some('<'),
            _ => encode_char(c).map(char::from),
        })
        .collect()
}

/// The Russian internal passport's own fields.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct RussianPassport {
    /// Four-digit series (three digits from the number field, the fourth from the optional data).
    pub series: String,
    /// Six-digit number.
    pub number: String,
    /// Issue date, when a calendar date.
    pub issue_date: Option<Date>,
    /// Issue date as printed.
    pub issue_date_raw: String,
    /// Division code `NNN-NNN` (as printed when its form is wrong).
    pub division_code: String,
    /// Form problem of the division code.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub division_code_problem: Option<DivisionCodeProblem>,
    /// Issuing authority from the division-code database, when one was given and knows the code.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub issuing_authority: Option<String>,
    /// Whether a database was consulted.
    pub division_code_looked_up: bool,
    /// Surname in Cyrillic (`None` if the field holds a byte outside the cipher).
    pub surname: Option<String>,
    /// Given name in Cyrillic.
    pub given_name: Option<String>,
    /// Patronymic in Cyrillic (may be cut short: the field is 39 characters).
    pub patronymic: Option<String>,
    /// The name fills its field, so its last part may be truncated.
    pub name_may_be_truncated: bool,
}

impl RussianPassport {
    /// Policy facts: issue-date sanity, division-code form and lookup.
    pub fn policy(&self) -> Vec<PolicyCheck> {
        let mut out = Vec::with_capacity(3);
        out.push(match self.issue_date {
            None => PolicyCheck {
                check: "issue_date",
                outcome: PolicyOutcome::Fail,
                reason: "document.mrz.russian.issue_date.invalid",
            },
            Some(_) => PolicyCheck {
                check: "issue_date",
                outcome: PolicyOutcome::Pass,
                reason: "document.mrz.russian.issue_date",
            },
        });
        out.push(match self.division_code_problem {
            None => PolicyCheck {
                check: "division_code",
                outcome: PolicyOutcome::Pass,
                reason: "document.mrz.russian.division_code",
            },
            Some(DivisionCodeProblem::Form) => PolicyCheck {
                check: "division_code",
                outcome: PolicyOutcome::Fail,
                reason: "document.mrz.russian.division_code.form",
            },
            Some(DivisionCodeProblem::Region) => PolicyCheck {
                check: "division_code",
                outcome: PolicyOutcome::Fail,
                reason: "document.mrz.russian.division_code.region",
            },
        });
        if self.division_code_looked_up {
            out.push(match self.issuing_authority {
                Some(_) => PolicyCheck {
                    check: "division_code_lookup",
                    outcome: PolicyOutcome::Pass,
                    reason: "document.mrz.russian.division_code.known",
                },
                None => PolicyCheck {
                    check: "division_code_lookup",
                    outcome: PolicyOutcome::Warn,
                    reason: "document.mrz.russian.division_code.unknown",
                },
            });
        }
        out
    }
}

impl Mrz {
    /// The Russian internal passport's fields, when this is one.
    pub fn russian_passport(&self, db: Option<&dyn DivisionCodeDb>) -> Option<RussianPassport> {
        if !self.russian {
            return None;
        }
        let l = self.format.layout();
        let num = self.span(l.doc_number);
        let opt = self.span(l.optional);
        let part = |s: &[u8], a: usize, b: usize| {
            String::from_utf8_lossy(s.get(a..b).unwrap_or(&[])).into_owned()
        };
        let mut series = part(num, 0, 3);
        series.push_str(&part(opt, 0, 1));
        let issue_raw = opt.get(1..7).unwrap_or(&[]);
        let issue_date = dates::resolve(issue_raw, DateKind::Past, self.today).ok();
        let code = opt.get(7..13).unwrap_or(&[]);
        let problem = division::check_code(code).err();
        let division_code = if problem.is_none() {
            format!("{}-{}", part(code, 0, 3), part(code, 3, 6))
        } else {
            String::from_utf8_lossy(code).into_owned()
        };
        let issuing_authority = match (db, problem) {
            (Some(db), None) => db.authority(&division_code).map(str::to_owned),
            _ => None,
        };
        let name = self.name_field();
        let filled = name.last().is_some_and(|&b| b != b'<');
        let name = trim_trailing_fillers(name);
        let cut = name.windows(2).position(|w| w == b"<<");
        let (sur, rest) = match cut {
            Some(i) => (
                name.get(..i).unwrap_or(&[]),
                name.get(i + 2..).unwrap_or(&[]),
            ),
            None => (name, &[][..]),
        };
        let mut parts = rest.split(|&b| b == b'<').filter(|p| !p.is_empty());
        let given = parts.next();
        let patronymic_parts: Vec<&[u8]> = parts.collect();
        let patronymic = if patronymic_parts.is_empty() {
            None
        } else {
            patronymic_parts
                .iter()
                .map(|p| decode(p))
                .collect::<Option<Vec<_>>>()
                .map(|v| v.join(" "))
        };
        Some(RussianPassport {
            series,
            number: part(num, 3, 9),
            issue_date,
            issue_date_raw: String::from_utf8_lossy(issue_raw).into_owned(),
            division_code,
            division_code_problem: problem,
            issuing_authority,
            division_code_looked_up: db.is_some(),
            surname: decode(sur).map(|s| s.trim().to_owned()),
            given_name: given.and_then(decode),
            patronymic,
            name_may_be_truncated: filled,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cipher_is_a_bijection() {
        for (i, (m, c)) in CIPHER.iter().enumerate() {
            for (m2, c2) in CIPHER.iter().skip(i + 1) {
                assert_ne!(m, m2);
                assert_ne!(c, c2);
            }
            assert_eq!(decode_char(*m), Some(*c));
            assert_eq!(encode_char(*c), Some(*m));
        }
        // Digits the cipher leaves unused never decode.
        for d in [b'0', b'1', b'5'] {
            assert_eq!(decode_char(d), None);
        }
    }

    #[test]
    fn words() {
        assert_eq!(encode("Щербакова").as_deref(), Some("WERBAKOVA"));
        assert_eq!(encode("Ёжиков").as_deref(), Some("2JIKOV"));
        assert_eq!(encode("Чайковский").as_deref(), Some("3AQKOVSKIQ"));
        assert_eq!(decode(b"3AQKOVSKIQ").as_deref(), Some("ЧАЙКОВСКИЙ"));
        assert_eq!(decode(b"ANNA<MARI8").as_deref(), Some("АННА МАРИЯ"));
        assert_eq!(encode("Латиница A"), None);
    }
}
