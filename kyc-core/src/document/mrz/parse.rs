//! The strict parser: lines in, an [`Mrz`] with every check evaluated, no allocation.
//!
//! The input is copied into a fixed buffer (at most 3 × 44 bytes); fields are read as slices of it.

use jiff::civil::Date;

use super::charset::{all_fillers, is_mrz_byte};
use super::check_digit::{compute_parts, digit_of};
use super::country::{self, CountryClass};
use super::dates::{self, DateKind, DateProblem};
use super::error::MrzError;
use super::evidence::{CheckDigit, CheckOutcome, CheckedField, Quirk, StructureIssue};
use super::format::{Layout, MrzFormat, Span};

/// Inputs longer than this (in bytes, all lines together) are refused before any work.
pub const MAX_INPUT_BYTES: usize = 4096;

const GRID: usize = 3 * 44;

/// A parsed MRZ: the printed characters and every check, evaluated.
#[derive(Debug, Clone)]
pub struct Mrz {
    pub(super) format: MrzFormat,
    pub(super) grid: [u8; GRID],
    pub(super) width: usize,
    pub(super) checks: [Option<CheckDigit>; 5],
    /// The overflow of a long TD1/TD2 document number: column in `optional`, length without its check digit.
    pub(super) overflow: Option<(usize, usize)>,
    pub(super) birth: Result<Date, DateProblem>,
    pub(super) expiry: Result<Date, DateProblem>,
    pub(super) issuing_state_class: CountryClass,
    pub(super) nationality_class: CountryClass,
    pub(super) issues: u16,
    /// An issuer's departure from the layout's character classes, accepted by name.
    pub(super) structure_quirk: Option<Quirk>,
    pub(super) russian: bool,
    pub(super) today: Date,
}

/// Parse MRZ lines (exactly as printed: upper case, no spaces) relative to `today`.
pub fn parse<S: AsRef<str>>(lines: &[S], today: Date) -> Result<Mrz, MrzError> {
    if lines.len() > 3 {
        return Err(MrzError::LineCount { found: lines.len() });
    }
    let total: usize = lines.iter().map(|l| l.as_ref().len()).sum();
    if total > MAX_INPUT_BYTES {
        return Err(MrzError::TooLong {
            len: total,
            max: MAX_INPUT_BYTES,
        });
    }
    if total == 0 {
        return Err(MrzError::Empty);
    }
    let first = lines.first().map(|l| l.as_ref().as_bytes()).unwrap_or(&[]);
    let width = first.len();
    for (i, l) in lines.iter().enumerate() {
        if l.as_ref().len() != width {
            return Err(MrzError::LineLength {
                line: i + 1,
                found: l.as_ref().chars().count(),
                expected: "every line of an MRZ has the length of the first",
            });
        }
    }
    if !matches!(width, 30 | 36 | 44) {
        return Err(MrzError::LineLength {
            line: 1,
            found: first.len(),
            expected: "30 (TD1), 36 (TD2, MRV-B) or 44 (TD3, MRV-A)",
        });
    }
    for (i, l) in lines.iter().enumerate() {
        let s = l.as_ref();
        if let Some(pos) = s.bytes().position(|b| !is_mrz_byte(b)) {
            let found = s
                .get(pos..)
                .and_then(|t| t.chars().next())
                .unwrap_or('\u{fffd}');
            // Column in characters, for people; `pos` is a byte offset.
            let column = s.get(..pos).map_or(pos, |t| t.chars().count()) + 1;
            return Err(MrzError::Charset {
                line: i + 1,
                column,
                found,
            });
        }
    }
    let first_byte = first.first().copied().unwrap_or(b'<');
    let format = MrzFormat::detect(lines.len(), width, first_byte)
        .ok_or(MrzError::LineCount { found: lines.len() })?;
    // The pre-2021 French card shares TD2's size; its line 2 has no nationality where TD2 has one.
    let second = lines.get(1).map(|l| l.as_ref().as_bytes()).unwrap_or(&[]);
    let td2_nationality = second
        .get(10..13)
        .is_some_and(|n| n.iter().all(|b| b.is_ascii_uppercase() || *b == b'<'));
    if format == MrzFormat::Td2 && first.starts_with(b"IDFRA") && !td2_nationality {
        return Err(MrzError::UnsupportedFormat {
            reason: "French national identity card of the 1988-2021 layout (2 x 36, not ICAO 9303)",
        });
    }
    let mut grid = [b'<'; GRID];
    for (i, l) in lines.iter().enumerate() {
        if let Some(dst) = grid.get_mut(i * width..(i + 1) * width) {
            dst.copy_from_slice(l.as_ref().as_bytes());
        }
    }
    Ok(evaluate(format, grid, width, today))
}

/// Parse MRZ text: lines separated by `\n` (a trailing `\r` on each line is dropped).
pub fn parse_text(text: &str, today: Date) -> Result<Mrz, MrzError> {
    if text.len() > MAX_INPUT_BYTES {
        return Err(MrzError::TooLong {
            len: text.len(),
            max: MAX_INPUT_BYTES,
        });
    }
    let mut lines: [&str; 3] = [""; 3];
    let mut n = 0usize;
    for line in text.trim_end_matches(['\n', '\r']).split('\n') {
        let line = line.strip_suffix('\r').unwrap_or(line);
        match lines.get_mut(n) {
            Some(slot) => *slot = line,
            None => {
                return Err(MrzError::LineCount {
                    found: text.split('\n').count(),
                });
            }
        }
        n += 1;
    }
    parse(lines.get(..n).unwrap_or(&[]), today)
}

pub(super) fn evaluate(format: MrzFormat, grid: [u8; GRID], width: usize, today: Date) -> Mrz {
    let mut m = Mrz {
        format,
        grid,
        width,
        checks: [None; 5],
        overflow: None,
        birth: Err(DateProblem::Invalid),
        expiry: Err(DateProblem::Invalid),
        issuing_state_class: CountryClass::Unknown,
        nationality_class: CountryClass::Unknown,
        issues: 0,
        structure_quirk: None,
        russian: false,
        today,
    };
    let l = format.layout();
    m.russian = format == MrzFormat::Td3
        && m.span(l.doc_code) == b"PN"
        && m.span(l.issuing_state) == b"RUS";

    let (doc_check, overflow) = m.document_number_check(l);
    m.checks[0] = Some(doc_check);
    m.overflow = overflow;
    m.checks[1] = Some(check(
        CheckedField::BirthDate,
        &[m.span(l.birth)],
        m.byte(l.birth_cd),
    ));
    m.checks[2] = Some(check(
        CheckedField::ExpiryDate,
        &[m.span(l.expiry)],
        m.byte(l.expiry_cd),
    ));
    if let Some(cd) = l.optional_cd {
        m.checks[3] = Some(check(
            CheckedField::OptionalData,
            &[m.span(l.optional)],
            m.byte(cd),
        ));
    }
    if let Some(cd) = l.composite {
        let p = l.composite_parts;
        let parts: [&[u8]; 4] = [
            p.first().map_or(&[][..], |s| m.span(*s)),
            p.get(1).map_or(&[][..], |s| m.span(*s)),
            p.get(2).map_or(&[][..], |s| m.span(*s)),
            p.get(3).map_or(&[][..], |s| m.span(*s)),
        ];
        m.checks[4] = Some(check(CheckedField::Composite, &parts, m.byte(cd)));
    }

    m.birth = dates::resolve(m.span(l.birth), DateKind::Past, today);
    m.expiry = dates::resolve(m.span(l.expiry), DateKind::Window, today);
    m.issuing_state_class = country::classify(m.span(l.issuing_state));
    m.nationality_class = country::classify(m.span(l.nationality));

    let mut issues = 0u16;
    let code = m.span(l.doc_code);
    if !code.first().is_some_and(u8::is_ascii_uppercase)
        || code.get(1).is_some_and(u8::is_ascii_digit)
    {
        issues |= StructureIssue::DocumentCode.bit();
    }
    if m.span(l.issuing_state).iter().any(u8::is_ascii_digit) {
        issues |= StructureIssue::IssuingStateCharset.bit();
    }
    if romanian_digits_for_nationality(
        format,
        m.span(l.doc_code),
        m.span(l.issuing_state),
        m.span(l.nationality),
    ) {
        m.structure_quirk = Some(Quirk::RomanianDigitsForNationality);
    } else if m.span(l.nationality).iter().any(u8::is_ascii_digit) {
        issues |= StructureIssue::NationalityCharset.bit();
    }
    if !m.russian && m.span(l.name).iter().any(u8::is_ascii_digit) {
        issues |= StructureIssue::NameCharset.bit();
    }
    if !matches!(m.byte(l.sex), b'M' | b'F' | b'X' | b'<') {
        issues |= StructureIssue::Sex.bit();
    }
    if m.birth == Err(DateProblem::Invalid) {
        issues |= StructureIssue::BirthDate.bit();
    }
    if m.expiry == Err(DateProblem::Invalid) {
        issues |= StructureIssue::ExpiryDate.bit();
    }
    if l.long_number
        && m.byte(l.doc_number_cd) == b'<'
        && !all_fillers(m.span(l.doc_number))
        && m.overflow.is_none()
    {
        issues |= StructureIssue::DocumentNumberOverflow.bit();
    }
    m.issues = issues;
    m
}

/// Evaluate one check digit. `<` is accepted only over an all-filler field (Doc 9303 Part 3, 4.9).
fn check(field: CheckedField, parts: &[&[u8]], cd: u8) -> CheckDigit {
    let computed = compute_parts(parts);
    let outcome = if cd == b'<' {
        if parts.iter().all(|p| all_fillers(p)) {
            CheckOutcome::Absent
        } else {
            CheckOutcome::Refuted
        }
    } else if digit_of(cd).is_some() && digit_of(cd) == computed {
        CheckOutcome::Verified
    } else {
        CheckOutcome::Refuted
    };
    CheckDigit {
        field,
        outcome,
        found: char::from(cd),
        computed,
        quirk: None,
    }
}

impl Mrz {
    pub(super) fn span(&self, s: Span) -> &[u8] {
        let a = usize::from(s.line) * self.width + usize::from(s.start);
        self.grid.get(a..a + usize::from(s.len)).unwrap_or(&[])
    }

    pub(super) fn byte(&self, s: Span) -> u8 {
        self.span(s).first().copied().unwrap_or(b'<')
    }

    /// The document-number check, with the TD1/TD2 long-number rule (Doc 9303 Part 5, note j; Part 6):
    /// a `<` in the check-digit position means the number continues in the optional data, up to its
    /// first `<`, whose last character before that `<` is the check digit.
    fn document_number_check(&self, l: &Layout) -> (CheckDigit, Option<(usize, usize)>) {
        let number = self.span(l.doc_number);
        let cd = self.byte(l.doc_number_cd);
        if !(l.long_number && cd == b'<' && !all_fillers(number)) {
            return (check(CheckedField::DocumentNumber, &[number], cd), None);
        }
        let optional = self.span(l.optional);
        let run = optional
            .iter()
            .position(|&b| b == b'<')
            .unwrap_or(optional.len());
        if run < 2 {
            // No overflow digits and check digit: the `<` stands where a digit is required.
            let c = CheckDigit {
                field: CheckedField::DocumentNumber,
                outcome: CheckOutcome::Refuted,
                found: '<',
                computed: compute_parts(&[number]),
                quirk: None,
            };
            return (c, None);
        }
        let over = optional.get(..run - 1).unwrap_or(&[]);
        let cd = optional.get(run - 1).copied().unwrap_or(b'<');
        let mut c = check(CheckedField::DocumentNumber, &[number, over], cd);
        if c.outcome == CheckOutcome::Refuted && self.span(l.issuing_state) == b"BEL" {
            let quirky = compute_parts(&[number, b"<", over]);
            if quirky.is_some() && quirky == digit_of(cd) {
                c.outcome = CheckOutcome::Verified;
                c.quirk = Some(Quirk::BelgianFillerInLongNumber);
            }
        }
        (c, Some((0, run - 1)))
    }

    /// Layout.
    pub fn format(&self) -> MrzFormat {
        self.format
    }

    /// Every check digit and structure rule holds. Country codes and expiry are policy: see
    /// [`Mrz::policy`](super::Mrz::policy).
    pub fn valid(&self) -> bool {
        self.issues == 0 && self.checks().all(|c| c.valid())
    }

    /// The check digits of this format, in print order.
    pub fn checks(&self) -> impl Iterator<Item = &CheckDigit> {
        self.checks.iter().flatten()
    }

    /// The check on one field, if the format has it.
    pub fn check(&self, field: CheckedField) -> Option<&CheckDigit> {
        self.checks().find(|c| c.field == field)
    }

    /// Structural defects found.
    pub fn structure_issues(&self) -> impl Iterator<Item = StructureIssue> + '_ {
        StructureIssue::ALL
            .into_iter()
            .filter(|i| self.issues & i.bit() != 0)
    }

    /// Whether this is a Russian internal passport (`PN`, `RUS`, TD3 layout).
    pub fn is_russian_internal(&self) -> bool {
        self.russian
    }

    /// The lines as printed.
    pub fn lines(&self) -> impl Iterator<Item = &str> {
        (0..self.format.lines()).map(|i| {
            let bytes = self
                .grid
                .get(i * self.width..(i + 1) * self.width)
                .unwrap_or(&[]);
            std::str::from_utf8(bytes).unwrap_or("")
        })
    }

    /// The `today` the dates were resolved against.
    pub fn today(&self) -> Date {
        self.today
    }

    /// Date of birth, resolved.
    pub fn birth_date(&self) -> Result<Date, DateProblem> {
        self.birth
    }

    /// Date of expiry, resolved.
    pub fn expiry_date(&self) -> Result<Date, DateProblem> {
        self.expiry
    }

    /// Issuing-state class.
    pub fn issuing_state_class(&self) -> CountryClass {
        self.issuing_state_class
    }

    /// Nationality class.
    pub fn nationality_class(&self) -> CountryClass {
        self.nationality_class
    }

    /// The issuer quirk accepted in the layout's character classes, if any (check-digit quirks
    /// are on each [`CheckDigit`]).
    pub fn structure_quirk(&self) -> Option<Quirk> {
        self.structure_quirk
    }
}

/// See [`Quirk::RomanianDigitsForNationality`].
pub(super) fn romanian_digits_for_nationality(
    format: MrzFormat,
    doc_code: &[u8],
    issuing_state: &[u8],
    nationality: &[u8],
) -> bool {
    format == MrzFormat::Td2
        && doc_code.first() == Some(&b'I')
        && issuing_state == b"ROU"
        && nationality.len() == 3
        && nationality.iter().all(u8::is_ascii_digit)
}

#[cfg(test)]
mod tests {
    use super::*;
    use jiff::civil::date;

    const TODAY: Date = date(2026, 6, 1);

    #[test]
    fn icao_td3_specimen() {
        let m = parse(
            &[
                "P<UTOERIKSSON<<ANNA<MARIA<<<<<<<<<<<<<<<<<<<",
                "L898902C36UTO7408122F1204159ZE184226B<<<<<10",
            ],
            TODAY,
        )
        .unwrap();
        assert_eq!(m.format(), MrzFormat::Td3);
        assert!(m.valid());
        assert_eq!(m.checks().count(), 5);
        assert_eq!(m.birth_date(), Ok(date(1974, 8, 12)));
        assert_eq!(m.expiry_date(), Ok(date(2012, 4, 15)));
        assert_eq!(m.issuing_state_class(), CountryClass::Specimen);
    }

    #[test]
    fn td1_long_number_and_belgian_quirk() {
        let m = parse(
            &[
                "I<UTOD23145890<7349<<<<<<<<<<<",
                "3407127M9507122UTO<<<<<<<<<<<2",
                "STEVENSON<<PETER<JOHN<<<<<<<<<",
            ],
            TODAY,
        )
        .unwrap();
        assert!(m.valid());
        assert_eq!(m.expiry_date(), Ok(date(1995, 7, 12)));
        let bel = parse(
            &[
                "IDBEL000590240<6013<<<<<<<<<<<",
                "8512017F1311048BEL851201002007",
                "REINARTZ<<ULRIKE<KATIA<E<<<<<<",
            ],
            TODAY,
        )
        .unwrap();
        let c = bel.check(CheckedField::DocumentNumber).unwrap();
        assert_eq!(c.outcome, CheckOutcome::Verified);
        assert_eq!(c.quirk, Some(Quirk::BelgianFillerInLongNumber));
        assert!(bel.valid());
    }

    #[test]
    fn romanian_cards_with_digits_for_nationality() {
        // The pre-2009 Romanian card of `../shared`'s 100_id-rou specimen, as printed.
        let lines = [
            "IDROUSAVA<<SUPERMAN<<<<<<<<<<<<<<<<<",
            "HD198025<51328505095M130509012049941",
        ];
        let m = parse(&lines, TODAY).unwrap();
        assert!(m.valid(), "{:?}", m.structure_issues().collect::<Vec<_>>());
        assert_eq!(
            m.structure_quirk(),
            Some(Quirk::RomanianDigitsForNationality)
        );
        let report = m.report();
        let nationality = report.policy.iter().find(|p| p.check == "nationality");
        assert_eq!(
            nationality.map(|p| p.reason),
            Some("document.mrz.country.nationality.not_stated")
        );
        // Only that issuer and only digits: another state, or letters mixed in, stay defects.
        for (first, second) in [
            (
                "IDBGRSAVA<<SUPERMAN<<<<<<<<<<<<<<<<<",
                "HD198025<51328505095M130509012049941",
            ),
            (
                "IDROUSAVA<<SUPERMAN<<<<<<<<<<<<<<<<<",
                "HD198025<51R28505095M130509012049941",
            ),
        ] {
            let m = parse(&[first, second], TODAY).unwrap();
            assert!(!m.valid());
            assert_eq!(m.structure_quirk(), None);
        }
    }

    #[test]
    fn filler_check_digits() {
        // German passport: empty personal number with `<` check digit is allowed.
        let de = parse(
            &[
                "P<D<<MUSTERMANN<<ERIKA<<<<<<<<<<<<<<<<<<<<<<",
                "C01X0006H1D<<6408125F1710319<<<<<<<<<<<<<<<0",
            ],
            TODAY,
        )
        .unwrap();
        assert_eq!(
            de.check(CheckedField::OptionalData).unwrap().outcome,
            CheckOutcome::Absent
        );
        assert!(de.valid());
        // `<` over a non-empty personal number, and as composite, is refuted.
        let m = parse(
            &[
                "P<UTOERIKSSON<<ANNA<MARIA<<<<<<<<<<<<<<<<<<<",
                "L898902C36UTO7408122F1204159ZE184226B<<<<<<<",
            ],
            TODAY,
        )
        .unwrap();
        assert_eq!(
            m.check(CheckedField::OptionalData).unwrap().outcome,
            CheckOutcome::Refuted
        );
        assert_eq!(
            m.check(CheckedField::Composite).unwrap().outcome,
            CheckOutcome::Refuted
        );
        assert!(!m.valid());
    }

    #[test]
    fn errors() {
        let today = TODAY;
        assert_eq!(parse::<&str>(&[], today).unwrap_err().code(), "mrz.empty");
        assert_eq!(
            parse(&["A"; 4], today).unwrap_err().code(),
            "mrz.line_count"
        );
        assert_eq!(
            parse(&["AAA", "AAAA"], today).unwrap_err().code(),
            "mrz.line_length"
        );
        assert_eq!(
            parse(&["A".repeat(30)], today).unwrap_err().code(),
            "mrz.line_count"
        );
        let bad = "P<UTOERIKSSON<<ANNA<MARIA<<<<<<<<<<<<<<<<<<>";
        let e = parse(
            &[bad, "L898902C36UTO7408122F1204159ZE184226B<<<<<10"],
            today,
        )
        .unwrap_err();
        assert_eq!(
            e,
            MrzError::Charset {
                line: 1,
                column: 44,
                found: '>'
            }
        );
        let big = "A".repeat(5000);
        assert_eq!(
            parse(&[big.as_str()], today).unwrap_err().code(),
            "mrz.too_long"
        );
        assert_eq!(
            parse_text(
                "IDFRATEST<NAME<<<<<<<<<<<<<<<<0CHE02\n1710GVA123451ROBERTA<<<<<<<9112311F2\n",
                today
            )
            .unwrap_err()
            .code(),
            "mrz.unsupported_format"
        );
    }
}
