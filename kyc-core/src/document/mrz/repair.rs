//! Reading OCR output: normalise, find the MRZ lines among noise, undo the usual confusions by each
//! field's character class and by its check digits, and report every substitution.
//!
//! The search is bounded: at most [`MAX_OCR_LINES`] lines, one character too many or too few per
//! line, at most two substitutions among at most [`MAX_GUIDED_POSITIONS`] confusable positions per
//! check-digit-protected alphanumeric field. When two different readings both validate, none is
//! chosen: the result is [`MrzError::AmbiguousRepair`].

use jiff::civil::Date;
use serde::Serialize;

use super::charset::{CharClass, FILLER, is_mrz_byte};
use super::check_digit::{compute_parts, digit_of};
use super::country::CountryClass;
use super::error::MrzError;
use super::evidence::Quirk;
use super::fields::MrzFields;
use super::format::{MrzFormat, Span};
use super::parse::{self, MAX_INPUT_BYTES, Mrz};

/// Lines of OCR text looked at, at most.
pub const MAX_OCR_LINES: usize = 16;
/// Confusable positions tried per field, at most.
pub const MAX_GUIDED_POSITIONS: usize = 10;
/// Line-length variants tried together, at most.
const MAX_COMBOS: usize = 64;

/// Why a character was changed.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum RepairReason {
    /// The field admits only letters (or only digits) and the character has a look-alike there.
    CharClass,
    /// A `K` inside a run of fillers read as the filler it resembles.
    Filler,
    /// The only substitution of look-alikes that makes the field's check digit (and the composite)
    /// verify.
    CheckDigit,
    /// A line one character too long or too short: a filler removed or added.
    LineLength,
}

/// One substitution.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Repair {
    /// 1-based line within the MRZ.
    pub line: usize,
    /// 1-based column (before the change).
    pub column: usize,
    /// Character read (`None` for an insertion).
    pub from: Option<char>,
    /// Character used (`None` for a deletion).
    pub to: Option<char>,
    /// Field the character belongs to.
    pub field: &'static str,
    /// Why.
    pub reason: RepairReason,
}

/// An MRZ read from OCR text, with the repairs that produced it.
#[derive(Debug, Clone)]
pub struct Repaired {
    /// The reading.
    pub mrz: Mrz,
    /// Every change made to the OCR text (case and whitespace aside).
    pub repairs: Vec<Repair>,
}

fn digit_for(b: u8) -> Option<u8> {
    match b {
        b'O' | b'Q' | b'D' => Some(b'0'),
        b'I' | b'L' => Some(b'1'),
        b'Z' => Some(b'2'),
        b'S' => Some(b'5'),
        b'G' => Some(b'6'),
        b'B' => Some(b'8'),
        _ => None,
    }
}

fn letter_for(b: u8) -> Option<u8> {
    match b {
        b'0' => Some(b'O'),
        b'1' => Some(b'I'),
        b'2' => Some(b'Z'),
        b'5' => Some(b'S'),
        b'6' => Some(b'G'),
        b'8' => Some(b'B'),
        _ => None,
    }
}

/// The other reading of an ambiguous glyph in an alphanumeric field.
fn swap(b: u8) -> Option<u8> {
    match b {
        b'O' => Some(b'0'),
        b'0' => Some(b'O'),
        b'I' => Some(b'1'),
        b'1' => Some(b'I'),
        b'Z' => Some(b'2'),
        b'2' => Some(b'Z'),
        b'S' => Some(b'5'),
        b'5' => Some(b'S'),
        b'B' => Some(b'8'),
        b'8' => Some(b'B'),
        b'G' => Some(b'6'),
        b'6' => Some(b'G'),
        _ => None,
    }
}

fn normalise(line: &str) -> Vec<u8> {
    line.chars()
        .filter(|c| !c.is_whitespace())
        .map(|c| match c {
            '«' | '‹' | '≪' => b'<',
            c if c.is_ascii() => c.to_ascii_uppercase() as u8,
            _ => b'?',
        })
        .collect()
}

/// Read OCR lines (noise lines, spaces, lower case and one character too many or too few allowed).
pub fn read_ocr<S: AsRef<str>>(lines: &[S], today: Date) -> Result<Repaired, MrzError> {
    if lines.len() > MAX_OCR_LINES {
        return Err(MrzError::LineCount { found: lines.len() });
    }
    let total: usize = lines.iter().map(|l| l.as_ref().len()).sum();
    if total > MAX_INPUT_BYTES {
        return Err(MrzError::TooLong {
            len: total,
            max: MAX_INPUT_BYTES,
        });
    }
    let norm: Vec<Vec<u8>> = lines
        .iter()
        .map(|l| normalise(l.as_ref()))
        .filter(|l| !l.is_empty())
        .collect();
    if norm.is_empty() {
        return Err(MrzError::Empty);
    }
    let Some((start, count, width)) = select_window(&norm) else {
        // Nothing MRZ-shaped: let the strict parser say precisely why.
        let strs: Vec<String> = norm
            .iter()
            .map(|l| String::from_utf8_lossy(l).into_owned())
            .collect();
        return match parse::parse(&strs, today) {
            Ok(mrz) => Ok(Repaired {
                mrz,
                repairs: Vec::new(),
            }),
            Err(e) => Err(e),
        };
    };
    let window = norm.get(start..start + count).unwrap_or(&[]);
    let per_line: Vec<Vec<(Vec<u8>, Option<Repair>)>> = window
        .iter()
        .enumerate()
        .map(|(i, l)| length_variants(l, width, i + 1))
        .collect();
    let combos: usize = per_line.iter().map(Vec::len).product();
    if combos == 0 || combos > MAX_COMBOS {
        return Err(MrzError::NotFound);
    }
    let mut best: Option<(usize, Repaired)> = None;
    let mut valid_readings: Vec<MrzFields> = Vec::new();
    for k in 0..combos {
        let mut idx = k;
        let mut grid_lines: Vec<&[u8]> = Vec::with_capacity(count);
        let mut repairs = Vec::new();
        for variants in &per_line {
            let n = variants.len().max(1);
            if let Some((l, r)) = variants.get(idx % n) {
                grid_lines.push(l);
                repairs.extend(r.clone());
            }
            idx /= n;
        }
        let r = match repair_lines(&grid_lines, width, today) {
            Ok((mrz, more)) => {
                repairs.extend(more);
                Repaired { mrz, repairs }
            }
            Err(e @ MrzError::AmbiguousRepair { .. }) => return Err(e),
            Err(_) => continue,
        };
        // A reading with an unknown country code is less plausible than one without, though
        // valid(): the codes are not protected by any check digit.
        let nationality = match r.mrz.structure_quirk() {
            // The issuer printed no nationality: nothing to be unknown.
            Some(Quirk::RomanianDigitsForNationality) => CountryClass::State,
            _ => r.mrz.nationality_class(),
        };
        let unknown_codes = [r.mrz.issuing_state_class(), nationality]
            .iter()
            .filter(|c| **c == CountryClass::Unknown)
            .count();
        let defects =
            r.mrz.checks().filter(|c| !c.valid()).count() + r.mrz.structure_issues().count();
        let score = 2 * defects + unknown_codes;
        if r.mrz.valid() && unknown_codes == 0 {
            // Readings that differ only in where an unprotected filler went give the same fields.
            let reading = r.mrz.fields();
            if !valid_readings.contains(&reading) {
                valid_readings.push(reading);
            }
        }
        let better = match &best {
            None => true,
            Some((s, b)) => score < *s || (score == *s && r.repairs.len() < b.repairs.len()),
        };
        if better {
            best = Some((score, r));
        }
    }
    if valid_readings.len() > 1 {
        return Err(MrzError::AmbiguousRepair {
            field: "line_length",
            candidates: valid_readings.len(),
        });
    }
    best.map(|(_, r)| r).ok_or(MrzError::NotFound)
}

/// Read OCR text: lines separated by newlines.
pub fn read_ocr_text(text: &str, today: Date) -> Result<Repaired, MrzError> {
    if text.len() > MAX_INPUT_BYTES {
        return Err(MrzError::TooLong {
            len: text.len(),
            max: MAX_INPUT_BYTES,
        });
    }
    let lines: Vec<&str> = text.lines().take(MAX_OCR_LINES + 1).collect();
    read_ocr(&lines, today)
}

/// The consecutive lines that best fit a format: (first line, count, width).
fn select_window(lines: &[Vec<u8>]) -> Option<(usize, usize, usize)> {
    let mut best: Option<(usize, (usize, usize, usize))> = None;
    for (count, widths) in [(3usize, &[30usize][..]), (2, &[44, 36][..])] {
        for start in 0..lines.len().saturating_sub(count - 1) {
            let Some(win) = lines.get(start..start + count) else {
                continue;
            };
            for &w in widths {
                let dev: usize = win.iter().map(|l| l.len().abs_diff(w)).sum();
                if win.iter().all(|l| l.len().abs_diff(w) <= 1) {
                    // Fewer deviating characters first; then more lines (a TD1 beats two of its lines).
                    let key = dev * 4 + (3 - count);
                    if best.as_ref().is_none_or(|(k, _)| key < *k) {
                        best = Some((key, (start, count, w)));
                    }
                }
            }
        }
    }
    best.map(|(_, w)| w)
}

/// A line as is, or with one filler removed or added where fillers run (or at its end).
fn length_variants(line: &[u8], width: usize, line_no: usize) -> Vec<(Vec<u8>, Option<Repair>)> {
    let mut out: Vec<(Vec<u8>, Option<Repair>)> = Vec::new();
    let mut push = |v: Vec<u8>, r: Repair| {
        if !out.iter().any(|(o, _)| *o == v) {
            out.push((v, Some(r)));
        }
    };
    if line.len() == width {
        return vec![(line.to_vec(), None)];
    }
    let rep = |column: usize, from: Option<char>, to: Option<char>| Repair {
        line: line_no,
        column,
        from,
        to,
        field: "line",
        reason: RepairReason::LineLength,
    };
    if line.len() == width + 1 {
        for (i, &b) in line.iter().enumerate() {
            let run_start = b == FILLER && (i == 0 || line.get(i - 1) != Some(&FILLER));
            let last = i + 1 == line.len();
            if run_start || last || !is_mrz_byte(b) {
                let mut v = line.to_vec();
                v.remove(i);
                push(v, rep(i + 1, Some(char::from(b)), None));
            }
        }
    } else if line.len() + 1 == width {
        for i in 0..=line.len() {
            let at_run =
                line.get(i) == Some(&FILLER) && (i == 0 || line.get(i - 1) != Some(&FILLER));
            if at_run || i == line.len() {
                let mut v = line.to_vec();
                v.insert(i, FILLER);
                push(v, rep(i + 1, None, Some('<')));
            }
        }
    }
    out
}

struct Ctx {
    grid: [u8; 3 * 44],
    width: usize,
    repairs: Vec<Repair>,
}

impl Ctx {
    fn pos(&self, s: Span, i: usize) -> usize {
        usize::from(s.line) * self.width + usize::from(s.start) + i
    }

    fn get(&self, s: Span) -> &[u8] {
        let a = self.pos(s, 0);
        self.grid.get(a..a + usize::from(s.len)).unwrap_or(&[])
    }

    fn set(&mut self, s: Span, i: usize, to: u8, field: &'static str, reason: RepairReason) {
        let p = self.pos(s, i);
        if let Some(b) = self.grid.get_mut(p)
            && *b != to
        {
            self.repairs.push(Repair {
                line: usize::from(s.line) + 1,
                column: usize::from(s.start) + i + 1,
                from: Some(char::from(*b)),
                to: Some(char::from(to)),
                field,
                reason,
            });
            *b = to;
        }
    }

    fn class_fix(&mut self, s: Span, class: CharClass, field: &'static str) {
        for i in 0..usize::from(s.len) {
            let Some(&b) = self.get(s).get(i) else {
                continue;
            };
            if class.admits(b) {
                continue;
            }
            let to = match class {
                CharClass::Alpha => letter_for(b),
                CharClass::Numeric => digit_for(b).or((b == b'K').then_some(FILLER)),
            };
            if let Some(to) = to {
                self.set(s, i, to, field, RepairReason::CharClass);
            }
        }
    }

    /// A `K` in the fillers after a name (or after optional data) is a filler: the glyphs are close
    /// in OCR-B. It must follow a run of two or more fillers that is not the name's one `<<`
    /// separator (a given name may be the single letter `K`), with only fillers or `K` after it.
    fn filler_fix(&mut self, s: Span, field: &'static str) {
        let v = self.get(s).to_vec();
        let separator = v.windows(2).position(|w| w == b"<<");
        for (i, &b) in v.iter().enumerate() {
            if b != b'K' {
                continue;
            }
            let run = v
                .get(..i)
                .map_or(0, |p| p.iter().rev().take_while(|&&c| c == FILLER).count());
            let run_start = i - run;
            let after_separator = separator.is_some_and(|sep| run_start > sep);
            let right = v
                .get(i + 1..)
                .is_some_and(|r| r.iter().all(|&c| c == FILLER || c == b'K'));
            if run >= 2 && after_separator && right {
                self.set(s, i, FILLER, field, RepairReason::Filler);
            }
        }
    }
}

/// Repair lines of the right length: character classes, fillers, then check-digit-guided look-alikes.
fn repair_lines(
    lines: &[&[u8]],
    width: usize,
    today: Date,
) -> Result<(Mrz, Vec<Repair>), MrzError> {
    let mut ctx = Ctx {
        grid: [FILLER; 3 * 44],
        width,
        repairs: Vec::new(),
    };
    for (i, l) in lines.iter().enumerate() {
        if let Some(dst) = ctx.grid.get_mut(i * width..(i + 1) * width)
            && dst.len() == l.len()
        {
            dst.copy_from_slice(l);
        }
    }
    let first = ctx.grid.first().copied().unwrap_or(FILLER);
    let first = letter_for(first).unwrap_or(first);
    let format = MrzFormat::detect(lines.len(), width, first).ok_or(MrzError::NotFound)?;
    let l = format.layout();
    ctx.class_fix(l.doc_code, CharClass::Alpha, "document_code");
    ctx.class_fix(l.issuing_state, CharClass::Alpha, "issuing_state");
    if !parse::romanian_digits_for_nationality(
        format,
        ctx.get(l.doc_code),
        ctx.get(l.issuing_state),
        ctx.get(l.nationality),
    ) {
        ctx.class_fix(l.nationality, CharClass::Alpha, "nationality");
    }
    let russian = format == MrzFormat::Td3
        && ctx.get(l.doc_code) == b"PN"
        && ctx.get(l.issuing_state) == b"RUS";
    if !russian {
        // The Russian cipher prints letters as digits: its name field is not alphabetic.
        ctx.class_fix(l.name, CharClass::Alpha, "name");
    }
    ctx.filler_fix(l.name, "name");
    ctx.class_fix(l.birth, CharClass::Numeric, "birth_date");
    ctx.class_fix(l.birth_cd, CharClass::Numeric, "birth_date");
    ctx.class_fix(l.expiry, CharClass::Numeric, "expiry_date");
    ctx.class_fix(l.expiry_cd, CharClass::Numeric, "expiry_date");
    ctx.class_fix(l.doc_number_cd, CharClass::Numeric, "document_number");
    if let Some(s) = l.optional_cd {
        ctx.class_fix(s, CharClass::Numeric, "optional_data");
    }
    if let Some(s) = l.composite {
        ctx.class_fix(s, CharClass::Numeric, "composite");
    }
    ctx.filler_fix(l.optional, "optional_data");
    if let Some(s) = l.optional2 {
        ctx.filler_fix(s, "optional_data_2");
    }
    if russian {
        // Series, number, issue date and division code are all digits on this passport.
        ctx.class_fix(l.doc_number, CharClass::Numeric, "document_number");
        ctx.class_fix(l.optional, CharClass::Numeric, "optional_data");
    }
    if matches!(ctx.get(l.sex), [b'H' | b'N']) {
        ctx.set(l.sex, 0, b'M', "sex", RepairReason::CharClass);
    }
    let cd_byte = ctx.get(l.doc_number_cd).first().copied().unwrap_or(FILLER);
    if cd_byte != FILLER {
        guided(
            &mut ctx,
            format,
            l.doc_number,
            l.doc_number_cd,
            "document_number",
        )?;
    }
    if let Some(cd) = l.optional_cd {
        guided(&mut ctx, format, l.optional, cd, "optional_data")?;
    }
    let mrz = parse::evaluate(format, ctx.grid, width, today);
    Ok((mrz, ctx.repairs))
}

/// Composite check over the current grid, if the format has one and it is printed as a digit.
fn composite_ok(ctx: &Ctx, format: MrzFormat) -> Option<bool> {
    let l = format.layout();
    let cd = digit_of(*ctx.get(l.composite?).first()?)?;
    let parts: Vec<&[u8]> = l.composite_parts.iter().map(|s| ctx.get(*s)).collect();
    Some(compute_parts(&parts) == Some(cd))
}

/// Try look-alike substitutions (at most two) in an alphanumeric field whose check digit fails.
fn guided(
    ctx: &mut Ctx,
    format: MrzFormat,
    field: Span,
    cd: Span,
    name: &'static str,
) -> Result<(), MrzError> {
    let Some(digit) = ctx.get(cd).first().copied().and_then(digit_of) else {
        return Ok(());
    };
    let original = ctx.get(field).to_vec();
    if compute_parts(&[&original]) == Some(digit) {
        return Ok(());
    }
    let positions: Vec<usize> = original
        .iter()
        .enumerate()
        .filter(|(_, b)| swap(**b).is_some())
        .map(|(i, _)| i)
        .take(MAX_GUIDED_POSITIONS)
        .collect();
    let mut candidates: Vec<Vec<u8>> = Vec::new();
    let mut try_variant = |v: Vec<u8>| {
        if compute_parts(&[&v]) == Some(digit) && !candidates.contains(&v) {
            candidates.push(v);
        }
    };
    for (n, &i) in positions.iter().enumerate() {
        let mut v = original.clone();
        if let (Some(slot), Some(to)) = (v.get_mut(i), original.get(i).copied().and_then(swap)) {
            *slot = to;
        }
        try_variant(v.clone());
        for &j in positions.iter().skip(n + 1) {
            let mut w = v.clone();
            if let (Some(slot), Some(to)) = (w.get_mut(j), original.get(j).copied().and_then(swap))
            {
                *slot = to;
            }
            try_variant(w);
        }
    }
    // The composite, where printed, must agree too; when no candidate satisfies it, it is broken
    // elsewhere and the field's own digit decides alone.
    let mut with_composite = Vec::new();
    for c in &candidates {
        let mut probe = Ctx {
            grid: ctx.grid,
            width: ctx.width,
            repairs: Vec::new(),
        };
        let a = probe.pos(field, 0);
        if let Some(dst) = probe.grid.get_mut(a..a + c.len()) {
            dst.copy_from_slice(c);
        }
        if composite_ok(&probe, format) != Some(false) {
            with_composite.push(c.clone());
        }
    }
    let chosen = if with_composite.is_empty() {
        candidates
    } else {
        with_composite
    };
    match chosen.as_slice() {
        [] => Ok(()),
        [one] => {
            for (i, &b) in one.iter().enumerate() {
                ctx.set(field, i, b, name, RepairReason::CheckDigit);
            }
            Ok(())
        }
        many => Err(MrzError::AmbiguousRepair {
            field: name,
            candidates: many.len(),
        }),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use jiff::civil::date;

    const TODAY: Date = date(2026, 6, 1);

    #[test]
    fn cheminfo_td1_autocorrect() {
        // cheminfo/mrz td1.test.ts "Use autocorrection".
        let r = read_ocr(
            &[
                "IDCHEA1234567<6<<<<<<<<<<<<<<<",
                "7SIOZSGMZOO90IBCHE<<<<<<<<<<<B",
                "5M1TH<<J0HN<AL8ERT<<<<<<<<<<<<",
            ],
            TODAY,
        )
        .unwrap();
        assert!(r.mrz.valid(), "{:?}", r.mrz.checks().collect::<Vec<_>>());
        let f = r.mrz.fields();
        assert_eq!(f.surname, "SMITH");
        assert_eq!(f.given_names, "JOHN ALBERT");
        assert_eq!(f.birth_date_raw, "751025");
        assert!(
            r.repairs
                .iter()
                .all(|x| x.reason == RepairReason::CharClass)
        );
        assert_eq!(r.repairs.len(), 16);
    }

    #[test]
    fn romanian_digits_for_nationality_are_not_turned_into_letters() {
        // The OCR reading of `../shared`'s 100_id-rou: its nationality field holds digits.
        let r = read_ocr(
            &[
                "IDROUSAVA<<SUPERMAN<<<<<<<<<<<<<<<<<",
                "HD198025<51328505095M130509012049941",
            ],
            TODAY,
        )
        .unwrap();
        assert!(r.mrz.valid());
        assert_eq!(r.mrz.fields().nationality, "132");
        assert!(r.repairs.is_empty(), "{:?}", r.repairs);
    }

    #[test]
    fn guided_document_number() {
        // O read for 0 in a TD3 document number: the check digit and composite pick the fix.
        let r = read_ocr(
            &[
                "PPUTOERIKSSON<<ANNA<MARIA<<<<<<<<<<<<<<<<<<<",
                "L8989O2C36UTO7408122F1204159ZE184226B<<<<<10",
            ],
            TODAY,
        )
        .unwrap();
        assert!(r.mrz.valid());
        assert_eq!(r.mrz.document_number(), "L898902C3");
        assert_eq!(r.repairs.len(), 1);
        assert_eq!(r.repairs[0].reason, RepairReason::CheckDigit);
        assert_eq!((r.repairs[0].line, r.repairs[0].column), (2, 6));
    }

    #[test]
    fn noise_spaces_case_and_length() {
        let text = "REPUBLIC OF UTOPIA\np<utoeriksson<<anna<maria<<<<<<<<<<<<<<<<<<\nL898902C36UTO7408122F1204159ZE184226B<<<<<10\n";
        let r = read_ocr_text(text, TODAY).unwrap();
        assert!(r.mrz.valid());
        assert_eq!(r.repairs.len(), 1);
        assert_eq!(r.repairs[0].reason, RepairReason::LineLength);
    }

    #[test]
    fn ambiguous_is_refused() {
        // Both `S`→`5` alone and other look-alike pairs can satisfy a lone check digit; with no
        // composite to arbitrate (MRV-B), more than one reading validates.
        let lines = [
            "V<UTOERIKSSON<<ANNA<MARIA<<<<<<<<<<<",
            "S5S5S5S5S3UTO7408122F1204159<<<<<<<<",
        ];
        match read_ocr(&lines, TODAY) {
            Err(e) => assert_eq!(e.code(), "mrz.ambiguous_repair"),
            Ok(r) => assert!(
                r.repairs
                    .iter()
                    .all(|x| x.reason != RepairReason::CheckDigit)
                    || r.mrz.valid()
            ),
        }
    }
}
