//! YYMMDD to full dates, relative to an injected `today` (the engine never reads a clock).
//!
//! Birth dates are in the past: the century is the latest one that puts the date on or before
//! `today`. Expiry dates may lie in the future: they are read within `today` ± [`EXPIRY_WINDOW_YEARS`],
//! so an expiry printed `950712` reads 1995 (expired), not 2095 as some readers do.

use jiff::civil::Date;
use serde::{Deserialize, Serialize};

/// Half-width of the window an expiry year is read in.
pub const EXPIRY_WINDOW_YEARS: i16 = 50;

/// Why a date field has no full date.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum DateProblem {
    /// All or part of the date is `<` (ICAO allows unknown parts; the Russian passport has no expiry).
    Unknown,
    /// Digits that are no calendar date (month 13, 30 February...), or stray characters.
    Invalid,
}

/// Which rule resolves the century.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DateKind {
    /// On or before `today`.
    Past,
    /// Within `today` ± [`EXPIRY_WINDOW_YEARS`].
    Window,
}

/// Split YYMMDD into numbers; `Err(Unknown)` if any `<`, `Err(Invalid)` for other non-digits.
fn split(raw: &[u8]) -> Result<(i16, i8, i8), DateProblem> {
    if raw.len() != 6 {
        return Err(DateProblem::Invalid);
    }
    if raw.contains(&b'<') {
        return Err(DateProblem::Unknown);
    }
    let mut n = [0i16; 6];
    for (slot, &b) in n.iter_mut().zip(raw) {
        if !b.is_ascii_digit() {
            return Err(DateProblem::Invalid);
        }
        *slot = i16::from(b - b'0');
    }
    let [a, b, c, d, e, f] = n;
    // Month and day are < 100, so the narrowing casts are exact.
    Ok((a * 10 + b, (c * 10 + d) as i8, (e * 10 + f) as i8))
}

/// Resolve a YYMMDD field.
pub fn resolve(raw: &[u8], kind: DateKind, today: Date) -> Result<Date, DateProblem> {
    let (yy, mm, dd) = split(raw)?;
    let century = today.year() - today.year().rem_euclid(100);
    let mut year = century + yy;
    match kind {
        DateKind::Past => {
            // Compare as (year, month, day) so that an invalid day does not pick the century.
            if (year, mm, dd) > (today.year(), today.month(), today.day()) {
                year -= 100;
            }
        }
        DateKind::Window => {
            if year > today.year() + EXPIRY_WINDOW_YEARS {
                year -= 100;
            } else if year < today.year() - EXPIRY_WINDOW_YEARS {
                year += 100;
            }
        }
    }
    Date::new(year, mm, dd).map_err(|_| DateProblem::Invalid)
}

#[cfg(test)]
mod tests {
    use super::*;
    use jiff::civil::date;

    #[test]
    fn birth_dates_stay_in_the_past() {
        let today = date(2026, 6, 1);
        assert_eq!(
            resolve(b"740812", DateKind::Past, today),
            Ok(date(1974, 8, 12))
        );
        assert_eq!(
            resolve(b"260601", DateKind::Past, today),
            Ok(date(2026, 6, 1))
        );
        assert_eq!(
            resolve(b"260602", DateKind::Past, today),
            Ok(date(1926, 6, 2))
        );
        assert_eq!(
            resolve(b"130101", DateKind::Past, today),
            Ok(date(2013, 1, 1))
        );
    }

    #[test]
    fn expiry_window_reads_1995_as_1995() {
        let today = date(2026, 6, 1);
        assert_eq!(
            resolve(b"950712", DateKind::Window, today),
            Ok(date(1995, 7, 12))
        );
        assert_eq!(
            resolve(b"340528", DateKind::Window, today),
            Ok(date(2034, 5, 28))
        );
        assert_eq!(
            resolve(b"760101", DateKind::Window, today),
            Ok(date(2076, 1, 1))
        );
        assert_eq!(
            resolve(b"770101", DateKind::Window, today),
            Ok(date(1977, 1, 1))
        );
    }

    #[test]
    fn problems() {
        let today = date(2026, 6, 1);
        assert_eq!(
            resolve(b"741399", DateKind::Past, today),
            Err(DateProblem::Invalid)
        );
        assert_eq!(
            resolve(b"<<<<<<", DateKind::Window, today),
            Err(DateProblem::Unknown)
        );
        assert_eq!(
            resolve(b"74<<<<", DateKind::Past, today),
            Err(DateProblem::Unknown)
        );
        assert_eq!(
            resolve(b"7408", DateKind::Past, today),
            Err(DateProblem::Invalid)
        );
        assert_eq!(
            resolve(b"74O812", DateKind::Past, today),
            Err(DateProblem::Invalid)
        );
        // 29 February exists only in leap years: 2000 yes, 1900 no.
        assert_eq!(
            resolve(b"000229", DateKind::Past, today),
            Ok(date(2000, 2, 29))
        );
        assert_eq!(
            resolve(b"000229", DateKind::Past, date(1999, 1, 1)),
            Err(DateProblem::Invalid)
        );
    }
}
