//! Russian division codes (код подразделения, `NNN-NNN`): form checks and a lookup interface with an
//! in-memory CSV loader (`code,authority[,valid_from,valid_to]`), bounded before it allocates.

use std::collections::HashMap;
use std::io::Read;

use jiff::civil::Date;

use super::error::MrzError;

/// One issuing unit under a division code. The registry reuses a code across renamings and
/// reorganisations, so a code may have several units, each with the dates it existed, when the
/// database knows them.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DivisionUnit {
    /// The unit's name.
    pub authority: String,
    /// The first day it issued passports, when known.
    pub valid_from: Option<Date>,
    /// The last day it issued passports, when known.
    pub valid_to: Option<Date>,
}

impl DivisionUnit {
    /// Whether the unit existed on `day` (open ends count as existing).
    pub fn existed_on(&self, day: Date) -> bool {
        self.valid_from.is_none_or(|from| from <= day) && self.valid_to.is_none_or(|to| day <= to)
    }

    /// Whether the database dates the unit at all.
    pub fn is_dated(&self) -> bool {
        self.valid_from.is_some() || self.valid_to.is_some()
    }
}

/// Where a division code's issuing authority is looked up.
pub trait DivisionCodeDb: Send + Sync {
    /// The authority for a code in `NNN-NNN` form, if known.
    fn authority(&self, code: &str) -> Option<&str>;

    /// Every unit known under a code in `NNN-NNN` form (undated unless the database says).
    fn units(&self, code: &str) -> Vec<DivisionUnit> {
        self.authority(code)
            .map(|authority| DivisionUnit {
                authority: authority.to_owned(),
                valid_from: None,
                valid_to: None,
            })
            .into_iter()
            .collect()
    }
}

/// Limits for [`InMemoryDivisionDb::from_csv`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct DivisionDbLimits {
    /// Bytes read at most; a longer input is refused.
    pub max_bytes: u64,
    /// Rows at most (the public registry has a few tens of thousands).
    pub max_rows: usize,
    /// Bytes per authority name at most.
    pub max_field_bytes: usize,
}

impl Default for DivisionDbLimits {
    fn default() -> Self {
        Self {
            max_bytes: 16 * 1024 * 1024,
            max_rows: 200_000,
            max_field_bytes: 1024,
        }
    }
}

/// A division-code table held in memory.
#[derive(Debug, Clone, Default)]
pub struct InMemoryDivisionDb {
    map: HashMap<String, Vec<DivisionUnit>>,
}

impl InMemoryDivisionDb {
    /// Load `code,authority` rows (a header row `code,authority` is required), optionally with
    /// `valid_from,valid_to` columns (ISO dates, either may be empty) when the table dates its
    /// units. Codes may be written `NNN-NNN` or `NNNNNN`; a code may repeat (the registry reuses
    /// codes across renamings): [`DivisionCodeDb::authority`] gives the first row's name and
    /// [`DivisionCodeDb::units`] every row.
    pub fn from_csv<R: Read>(reader: R, limits: DivisionDbLimits) -> Result<Self, MrzError> {
        let err = |reason: String| MrzError::DivisionDb { reason };
        let mut rdr = csv::ReaderBuilder::new()
            .has_headers(true)
            .flexible(false)
            .from_reader(reader.take(limits.max_bytes + 1));
        let headers = rdr.headers().map_err(|e| err(e.to_string()))?.clone();
        let dated = headers.len() == 4
            && headers.get(2) == Some("valid_from")
            && headers.get(3) == Some("valid_to");
        if !(headers.len() == 2 || dated)
            || headers.get(0) != Some("code")
            || headers.get(1) != Some("authority")
        {
            return Err(err(
                "the header must be `code,authority` or `code,authority,valid_from,valid_to`"
                    .into(),
            ));
        }
        let mut map = HashMap::new();
        let mut record = csv::StringRecord::new();
        let mut rows = 0usize;
        loop {
            let more = rdr
                .read_record(&mut record)
                .map_err(|e| err(e.to_string()))?;
            if rdr.position().byte() > limits.max_bytes {
                return Err(err(format!("more than {} bytes", limits.max_bytes)));
            }
            if !more {
                break;
            }
            rows += 1;
            if rows > limits.max_rows {
                return Err(err(format!("more than {} rows", limits.max_rows)));
            }
            let (Some(code), Some(authority)) = (record.get(0), record.get(1)) else {
                return Err(err(format!("row {rows}: two columns expected")));
            };
            let Some(code) = normalize_code(code.trim()) else {
                return Err(err(format!(
                    "row {rows}: `{code}` is not a division code (NNN-NNN)"
                )));
            };
            if authority.len() > limits.max_field_bytes {
                return Err(err(format!(
                    "row {rows}: authority longer than {} bytes",
                    limits.max_field_bytes
                )));
            }
            let date = |i: usize| -> Result<Option<Date>, MrzError> {
                match record.get(i).map(str::trim) {
                    None | Some("") => Ok(None),
                    Some(text) => text
                        .parse::<Date>()
                        .map(Some)
                        .map_err(|_| err(format!("row {rows}: `{text}` is not a date"))),
                }
            };
            let unit = DivisionUnit {
                authority: authority.trim().to_owned(),
                valid_from: date(2)?,
                valid_to: date(3)?,
            };
            let units: &mut Vec<DivisionUnit> = map.entry(code).or_default();
            units.push(unit);
        }
        Ok(Self { map })
    }

    /// Number of codes.
    pub fn len(&self) -> usize {
        self.map.len()
    }

    /// No codes.
    pub fn is_empty(&self) -> bool {
        self.map.is_empty()
    }
}

impl DivisionCodeDb for InMemoryDivisionDb {
    fn authority(&self, code: &str) -> Option<&str> {
        self.map
            .get(code)
            .and_then(|units| units.first())
            .map(|u| u.authority.as_str())
    }

    fn units(&self, code: &str) -> Vec<DivisionUnit> {
        self.map.get(code).cloned().unwrap_or_default()
    }
}

/// `NNN-NNN` from `NNN-NNN` or `NNNNNN`; `None` for anything else.
pub fn normalize_code(code: &str) -> Option<String> {
    let b = code.as_bytes();
    let digits: [u8; 6] = match b.len() {
        6 => b.try_into().ok()?,
        7 if b.get(3) == Some(&b'-') => {
            let mut d = [0u8; 6];
            for (slot, &c) in d.iter_mut().zip(b.iter().take(3).chain(b.iter().skip(4))) {
                *slot = c;
            }
            d
        }
        _ => return None,
    };
    if !digits.iter().all(u8::is_ascii_digit) {
        return None;
    }
    let s = std::str::from_utf8(&digits).ok()?;
    Some(format!("{}-{}", s.get(..3)?, s.get(3..)?))
}

/// Form problems of a division code.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "snake_case")]
pub enum DivisionCodeProblem {
    /// Not six digits.
    Form,
    /// Region prefix `00`: the first two digits name the federal subject, 01-99.
    Region,
}

/// Check a six-digit division code's form and region prefix.
pub fn check_code(digits: &[u8]) -> Result<(), DivisionCodeProblem> {
    if digits.len() != 6 || !digits.iter().all(u8::is_ascii_digit) {
        return Err(DivisionCodeProblem::Form);
    }
    if digits.starts_with(b"00") {
        return Err(DivisionCodeProblem::Region);
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn loads_and_looks_up() {
        let csv = "code,authority\n770-001,First\n770001,Duplicate\n500-002,Second\n";
        let db = InMemoryDivisionDb::from_csv(csv.as_bytes(), DivisionDbLimits::default()).unwrap();
        assert_eq!(db.len(), 2);
        assert_eq!(db.authority("770-001"), Some("First"));
        assert_eq!(db.authority("999-999"), None);
    }

    #[test]
    fn dated_units_load_and_say_when_they_existed() {
        let csv = "code,authority,valid_from,valid_to\n\
                   770-001,Old name,1997-01-01,2004-12-31\n\
                   770-001,New name,2005-01-01,\n";
        let db = InMemoryDivisionDb::from_csv(csv.as_bytes(), DivisionDbLimits::default()).unwrap();
        assert_eq!(db.authority("770-001"), Some("Old name"));
        let units = db.units("770-001");
        assert_eq!(units.len(), 2);
        let day = |s: &str| s.parse::<Date>().unwrap();
        assert!(units[0].existed_on(day("2000-06-01")));
        assert!(!units[0].existed_on(day("2010-06-01")));
        assert!(units[1].existed_on(day("2026-01-01")));
        assert!(!units[1].existed_on(day("1999-01-01")));
        let bad = "code,authority,valid_from,valid_to\n770-001,x,not-a-date,\n";
        assert!(InMemoryDivisionDb::from_csv(bad.as_bytes(), DivisionDbLimits::default()).is_err());
    }

    #[test]
    fn bounded() {
        let csv = "code,authority\n770-001,First\n500-002,Second\n";
        let limits = DivisionDbLimits {
            max_rows: 1,
            ..DivisionDbLimits::default()
        };
        assert!(InMemoryDivisionDb::from_csv(csv.as_bytes(), limits).is_err());
        let limits = DivisionDbLimits {
            max_bytes: 20,
            ..DivisionDbLimits::default()
        };
        assert!(InMemoryDivisionDb::from_csv(csv.as_bytes(), limits).is_err());
        let limits = DivisionDbLimits {
            max_field_bytes: 3,
            ..DivisionDbLimits::default()
        };
        assert!(InMemoryDivisionDb::from_csv(csv.as_bytes(), limits).is_err());
        assert!(
            InMemoryDivisionDb::from_csv("a,b\n".as_bytes(), DivisionDbLimits::default()).is_err()
        );
        assert!(
            InMemoryDivisionDb::from_csv(
                "code,authority\n77-001,x\n".as_bytes(),
                DivisionDbLimits::default()
            )
            .is_err()
        );
    }

    #[test]
    fn codes() {
        assert_eq!(normalize_code("770001").as_deref(), Some("770-001"));
        assert_eq!(normalize_code("770-001").as_deref(), Some("770-001"));
        assert_eq!(normalize_code("77-0001"), None);
        assert_eq!(check_code(b"770001"), Ok(()));
        assert_eq!(check_code(b"000001"), Err(DivisionCodeProblem::Region));
        assert_eq!(check_code(b"77000A"), Err(DivisionCodeProblem::Form));
    }
}
