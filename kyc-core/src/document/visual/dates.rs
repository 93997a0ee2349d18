//! Dates as passports and ID cards print them: `12 JAN 1980`, `12 JAN/JAN 80`, `12 JANV/JAN 1980`,
//! `12.01.1980`, `12/01/1980`, `1980-01-12`, `12 01 1980`, `12JAN80`, with month abbreviations in
//! the languages issuers print. A two-digit year is kept as printed and compared on its last two
//! digits only (the century is the MRZ's to resolve); an all-numeric date that reads both as
//! day-month and month-day (US cards) yields both readings.

use jiff::civil::Date;

use super::text::MAX_LINE_CHARS;

/// Month abbreviations (folded to `A`-`Z`) and their month: English, French, German, Spanish,
/// Italian, Portuguese, Dutch, Scandinavian, Polish, Czech (Croatian's clash with
/// Polish and Czech ones, `LIP`, `LIS`, so it is left out).
const MONTHS: &[(&str, i8)] = &[
    ("JAN", 1),
    ("JANV", 1),
    ("ENE", 1),
    ("GEN", 1),
    ("STY", 1),
    ("LED", 1),
    ("FEB", 2),
    ("FEV", 2),
    ("FEVR", 2),
    ("LUT", 2),
    ("UNO", 2),
    ("MAR", 3),
    ("MARS", 3),
    ("MRT", 3),
    ("MAER", 3),
    ("BRE", 3),
    ("APR", 4),
    ("AVR", 4),
    ("ABR", 4),
    ("KWI", 4),
    ("DUB", 4),
    ("MAY", 5),
    ("MAI", 5),
    ("MAG", 5),
    ("MEI", 5),
    ("MAJ", 5),
    ("KVE", 5),
    ("JUN", 6),
    ("JUIN", 6),
    ("GIU", 6),
    ("CZE", 6),
    ("CER", 6),
    ("LIP", 7),
    ("JUL", 7),
    ("JUIL", 7),
    ("LUG", 7),
    ("CVC", 7),
    ("AUG", 8),
    ("AOUT", 8),
    ("AGO", 8),
    ("SIE", 8),
    ("SRP", 8),
    ("SEP", 9),
    ("SEPT", 9),
    ("SET", 9),
    ("WRZ", 9),
    ("ZAR", 9),
    ("OCT", 10),
    ("OKT", 10),
    ("OTT", 10),
    ("OUT", 10),
    ("PAZ", 10),
    ("RIJ", 10),
    ("NOV", 11),
    ("LIS", 11),
    ("DEC", 12),
    ("DEZ", 12),
    ("DIC", 12),
    ("GRU", 12),
    ("PRO", 12),
];

/// The month an abbreviation (or a full name starting with one, `JANUARY`) names.
fn month_of(word: &str) -> Option<i8> {
    if word.len() < 3 || word.len() > 10 {
        return None;
    }
    // The longest abbreviation the word starts with: `JUIL` before `JUI`... and `MARS` before `MAR`.
    MONTHS
        .iter()
        .filter(|(abbr, _)| word.starts_with(abbr))
        .max_by_key(|(abbr, _)| abbr.len())
        .map(|&(_, m)| m)
}

/// The year as printed.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum PrintedYear {
    /// Four digits.
    Full(i16),
    /// Two digits: the century is not printed.
    Short(i8),
}

/// A date found in a line.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct PrintedDate {
    /// Year as printed.
    pub year: PrintedYear,
    /// 1 to 12.
    pub month: i8,
    /// 1 to 31.
    pub day: i8,
    /// Byte offset of its first character in the line.
    pub start: usize,
    /// Byte offset just past it.
    pub end: usize,
}

impl PrintedDate {
    /// Whether this is `date` (a two-digit year matching its last two digits).
    pub fn is(&self, date: Date) -> bool {
        let year_matches = match self.year {
            PrintedYear::Full(y) => y == date.year(),
            PrintedYear::Short(y) => i16::from(y) == date.year().rem_euclid(100),
        };
        year_matches && self.month == date.month() && self.day == date.day()
    }

    /// The calendar date, when the year is printed in full and the day exists.
    pub fn date(&self) -> Option<Date> {
        match self.year {
            PrintedYear::Full(y) => Date::new(y, self.month, self.day).ok(),
            PrintedYear::Short(_) => None,
        }
    }
}

/// A token of a line for date parsing: a run of digits or of letters (split where one turns into
/// the other, so `12JAN80` is three), with the separator that preceded it.
#[derive(Clone, Debug)]
struct Token {
    text: String,
    digits: bool,
    start: usize,
    end: usize,
    /// The non-space separator just before it (`.`, `/`, `-`), if any.
    after: Option<char>,
}

fn tokens(line: &str) -> Vec<Token> {
    let mut out: Vec<Token> = Vec::new();
    let mut separator: Option<char> = None;
    for (at, c) in line.char_indices().take(MAX_LINE_CHARS) {
        let folded = if c.is_ascii_alphanumeric() {
            Some(c.to_ascii_uppercase())
        } else if c.is_alphabetic() {
            // Accented month names (`FÉV`, `MÄR`): the bare letter is enough to tell the month.
            super::text::words(&c.to_string())
                .first()
                .and_then(|w| w.plain.chars().next())
        } else {
            None
        };
        let Some(f) = folded else {
            if !c.is_whitespace() {
                separator = Some(c);
            }
            // A gap ends the token; mark it by pushing nothing and letting the next char start anew.
            out.push(Token {
                text: String::new(),
                digits: false,
                start: at,
                end: at,
                after: None,
            });
            continue;
        };
        let digit = f.is_ascii_digit();
        match out.last_mut() {
            Some(last) if !last.text.is_empty() && last.digits == digit => {
                last.text.push(f);
                last.end = at + c.len_utf8();
            }
            _ => {
                out.push(Token {
                    text: f.to_string(),
                    digits: digit,
                    start: at,
                    end: at + c.len_utf8(),
                    after: separator.take(),
                });
            }
        }
    }
    out.retain(|t| !t.text.is_empty());
    out
}

fn number(t: &Token, max_len: usize) -> Option<i16> {
    if !t.digits || t.text.len() > max_len {
        return None;
    }
    t.text.parse().ok()
}

fn day_month(d: i16, m: i16) -> Option<(i8, i8)> {
    let (d, m) = (i8::try_from(d).ok()?, i8::try_from(m).ok()?);
    ((1..=31).contains(&d) && (1..=12).contains(&m)).then_some((d, m))
}

fn year(t: &Token) -> Option<PrintedYear> {
    if !t.digits {
        return None;
    }
    let y: i16 = t.text.parse().ok()?;
    match t.text.len() {
        4 if (1850..=2200).contains(&y) => Some(PrintedYear::Full(y)),
        2 => i8::try_from(y).ok().map(PrintedYear::Short),
        _ => None,
    }
}

/// Whether a separator may stand between the parts of an all-numeric date.
fn numeric_separator(sep: Option<char>) -> bool {
    matches!(sep, None | Some('.' | '/' | '-'))
}

/// Every date printed in `line`, in the order found; an ambiguous all-numeric one twice.
pub fn find_dates(line: &str) -> Vec<PrintedDate> {
    let t = tokens(line);
    let mut out = Vec::new();
    let mut i = 0;
    while i < t.len() {
        let found = parse_at(&t, i, &mut out);
        i += found.max(1);
    }
    out
}

/// Parses a date starting at token `i`; returns the tokens it used (0 when none).
fn parse_at(t: &[Token], i: usize, out: &mut Vec<PrintedDate>) -> usize {
    let Some(first) = t.get(i) else {
        return 0;
    };
    let span = |last: &Token| (first.start, last.end);
    // Day, month name(s) (`JAN/JAN`, `JANV/JAN`), year.
    if let (Some(d), Some(m)) = (
        number(first, 2),
        t.get(i + 1).and_then(|w| month_of(&w.text)),
    ) {
        let mut k = i + 2;
        while t
            .get(k)
            .is_some_and(|w| !w.digits && month_of(&w.text).is_some())
            && k < i + 4
        {
            k += 1;
        }
        if let (Some(y), Some((day, _))) = (t.get(k).and_then(year), day_month(d, 1)) {
            let (start, end) = span(t.get(k).unwrap_or(first));
            out.push(PrintedDate {
                year: y,
                month: m,
                day,
                start,
                end,
            });
            return k + 1 - i;
        }
    }
    let (Some(a), Some(b), Some(c)) = (t.get(i), t.get(i + 1), t.get(i + 2)) else {
        return 0;
    };
    let all_numeric = a.digits && b.digits && c.digits;
    if !(all_numeric && numeric_separator(b.after) && numeric_separator(c.after)) {
        return 0;
    }
    let (start, end) = span(c);
    // Year first: 1980-01-12.
    if a.text.len() == 4
        && let (Some(PrintedYear::Full(y)), Some(m), Some(d)) =
            (year(a), number(b, 2), number(c, 2))
        && let Some((day, month)) = day_month(d, m)
    {
        out.push(PrintedDate {
            year: PrintedYear::Full(y),
            month,
            day,
            start,
            end,
        });
        return 3;
    }
    // Day first (and month first where that reads too): 12.01.1980, 01/12/1980, 12 01 80. Two-digit
    // years only with a printed separator, so that a run of numbers is not taken for a date.
    let Some(y) = year(c) else {
        return 0;
    };
    if matches!(y, PrintedYear::Short(_)) && (b.after.is_none() || c.after.is_none()) {
        return 0;
    }
    let (Some(x), Some(z)) = (number(a, 2), number(b, 2)) else {
        return 0;
    };
    let mut any = false;
    for (d, m) in [(x, z), (z, x)] {
        if let Some((day, month)) = day_month(d, m) {
            let date = PrintedDate {
                year: y,
                month,
                day,
                start,
                end,
            };
            if !out.contains(&date) {
                out.push(date);
            }
            any = true;
        }
    }
    if any { 3 } else { 0 }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn one(line: &str) -> (PrintedYear, i8, i8, String) {
        let d = find_dates(line);
        assert!(!d.is_empty(), "no date in {line:?}");
        (
            d[0].year,
            d[0].month,
            d[0].day,
            line[d[0].start..d[0].end].to_owned(),
        )
    }

    #[test]
    fn the_formats_passports_print() {
        use PrintedYear::{Full, Short};
        assert_eq!(
            one("12 JAN 1980"),
            (Full(1980), 1, 12, "12 JAN 1980".into())
        );
        assert_eq!(
            one("12 JAN/JAN 80"),
            (Short(80), 1, 12, "12 JAN/JAN 80".into())
        );
        assert_eq!(
            one("Date of birth 12 JANV/JAN 1980"),
            (Full(1980), 1, 12, "12 JANV/JAN 1980".into())
        );
        assert_eq!(one("12.01.1980"), (Full(1980), 1, 12, "12.01.1980".into()));
        assert_eq!(one("1980-01-12"), (Full(1980), 1, 12, "1980-01-12".into()));
        assert_eq!(one("12/01/1980").0, Full(1980));
        assert_eq!(one("12JAN80"), (Short(80), 1, 12, "12JAN80".into()));
        assert_eq!(one("03 MÄR 2031").1, 3);
        assert_eq!(one("14 FÉVR 2024").1, 2);
        assert_eq!(one("7 OTT 1999"), (Full(1999), 10, 7, "7 OTT 1999".into()));
        assert_eq!(one("10 NOV 1956").3, "10 NOV 1956");
        assert_eq!(one("25 DIC/DEC 2030").1, 12);
        assert_eq!(one("1 MAY 2000").1, 5);
    }

    #[test]
    fn ambiguous_numeric_dates_give_both_readings_and_match_mrz_dates() {
        let d = find_dates("03/04/1985");
        assert_eq!(d.len(), 2);
        let april = Date::new(1985, 4, 3).unwrap();
        let march = Date::new(1985, 3, 4).unwrap();
        assert!(d.iter().any(|p| p.is(april)) && d.iter().any(|p| p.is(march)));
        let short = find_dates("12 JAN/JAN 80");
        assert!(short[0].is(Date::new(1980, 1, 12).unwrap()));
        assert!(!short[0].is(Date::new(1981, 1, 12).unwrap()));
        assert_eq!(short[0].date(), None);
        assert_eq!(
            find_dates("12 JAN 1980")[0].date(),
            Date::new(1980, 1, 12).ok()
        );
    }

    #[test]
    fn numbers_that_are_not_dates_are_left_alone() {
        assert!(find_dates("EF9669144").is_empty());
        assert!(find_dates("22779834").is_empty());
        assert!(find_dates("31 13 1980").is_empty());
        assert!(find_dates("12 34 56").is_empty());
        assert!(find_dates("PASSPORT").is_empty());
        assert!(find_dates("").is_empty());
        assert!(find_dates("99 JAN 1980").is_empty());
        let long = "1/".repeat(10_000);
        let _ = find_dates(&long);
        let _ = find_dates("日本国 1 二月 2000 \u{0}");
    }
}
