//! The offline list of invalid Russian passports (published as CSV rows of series and number) as a
//! compact set.
//!
//! A passport is 4 series digits and 6 number digits: one value below 10^10 < 2^34. Values are kept
//! sorted and split at bit 16: a table of bucket starts (152 588 `u32`s, 0.6 MB) indexed by the high
//! bits, and the low 16 bits of each value (`u16`). That is 2 bytes a passport: 100 million rows
//! take about 200 MB, and a lookup is one table read and a binary search among about 650 `u16`s.

use std::io::Read;

use super::{RegistryAnswer, RegistryError, RegistryQuery, RegistrySource};

/// Largest value: 9999 999999.
const MAX_VALUE: u64 = 9_999_999_999;
const SHIFT: u32 = 16;
const BUCKETS: usize = (MAX_VALUE >> SHIFT) as usize + 1;

/// Default row limit when loading a list.
pub const DEFAULT_MAX_ROWS: u64 = 300_000_000;

/// The set.
#[derive(Clone, PartialEq, Eq)]
pub struct InvalidPassportSet {
    /// `starts[b]..starts[b + 1]` is bucket `b`'s range in `low`.
    starts: Vec<u32>,
    low: Vec<u16>,
}

impl std::fmt::Debug for InvalidPassportSet {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "InvalidPassportSet({} passports)", self.low.len())
    }
}

/// What loading a list found.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct LoadStats {
    /// Rows read.
    pub rows: u64,
    /// Passports in the set (after removing repeats).
    pub passports: u64,
    /// Rows that are not a 4-digit series and a 6-digit number (headers, damaged rows).
    pub skipped: u64,
}

/// `series` (4 digits) and `number` (6 digits) as one value; spaces and other non-digits are
/// ignored. `None` unless exactly 4 and 6 digits remain.
pub fn passport_value(series: &[u8], number: &[u8]) -> Option<u64> {
    fn digits(field: &[u8], want: usize) -> Option<u64> {
        let mut n = 0u64;
        let mut count = 0;
        for &b in field {
            if b.is_ascii_digit() {
                n = n * 10 + u64::from(b - b'0');
                count += 1;
                if count > want {
                    return None;
                }
            } else if !matches!(b, b' ' | b'\t' | b'-' | b'"') {
                return None;
            }
        }
        (count == want).then_some(n)
    }
    Some(digits(series, 4)? * 1_000_000 + digits(number, 6)?)
}

/// Collects values, then packs them.
#[derive(Debug, Default)]
pub struct InvalidPassportSetBuilder {
    values: Vec<u64>,
}

impl InvalidPassportSetBuilder {
    /// An empty builder with room for `n` values.
    pub fn with_capacity(n: usize) -> Self {
        Self {
            values: Vec::with_capacity(n),
        }
    }

    /// Adds a value (see [`passport_value`]); values over 9999 999999 are ignored.
    pub fn push(&mut self, value: u64) {
        if value <= MAX_VALUE {
            self.values.push(value);
        }
    }

    /// Sorts, removes repeats and packs.
    pub fn build(mut self) -> Result<InvalidPassportSet, RegistryError> {
        self.values.sort_unstable();
        self.values.dedup();
        if u32::try_from(self.values.len()).is_err() {
            return Err(RegistryError::TooManyRows(u64::from(u32::MAX)));
        }
        let mut starts = vec![0u32; BUCKETS + 1];
        let mut low = Vec::with_capacity(self.values.len());
        // Count per bucket, then prefix sums.
        for &v in &self.values {
            let b = usize::try_from(v >> SHIFT).unwrap_or(BUCKETS - 1);
            if let Some(slot) = starts.get_mut(b + 1) {
                *slot += 1;
            }
            low.push((v & 0xFFFF) as u16);
        }
        for i in 1..starts.len() {
            let prev = starts.get(i - 1).copied().unwrap_or(0);
            if let Some(slot) = starts.get_mut(i) {
                *slot += prev;
            }
        }
        drop(self.values);
        Ok(InvalidPassportSet { starts, low })
    }
}

impl InvalidPassportSet {
    /// Loads a CSV list of `series,number` rows (a header row and damaged rows are counted as
    /// skipped), refusing more than `max_rows` rows.
    pub fn from_csv<R: Read>(reader: R, max_rows: u64) -> Result<(Self, LoadStats), RegistryError> {
        let mut csv = csv::ReaderBuilder::new()
            .has_headers(false)
            .flexible(true)
            .from_reader(reader);
        let mut builder = InvalidPassportSetBuilder::default();
        let mut stats = LoadStats::default();
        let mut record = csv::ByteRecord::new();
        while csv.read_byte_record(&mut record)? {
            stats.rows += 1;
            if stats.rows > max_rows {
                return Err(RegistryError::TooManyRows(max_rows));
            }
            match (record.get(0), record.get(1)) {
                (Some(s), Some(n)) if record.len() == 2 => match passport_value(s, n) {
                    Some(v) => builder.push(v),
                    None => stats.skipped += 1,
                },
                _ => stats.skipped += 1,
            }
        }
        let set = builder.build()?;
        stats.passports = set.len() as u64;
        Ok((set, stats))
    }

    /// Passports held.
    pub fn len(&self) -> usize {
        self.low.len()
    }

    /// True when empty.
    pub fn is_empty(&self) -> bool {
        self.low.is_empty()
    }

    /// Heap bytes held.
    pub fn heap_bytes(&self) -> usize {
        self.starts.capacity() * 4 + self.low.capacity() * 2
    }

    /// Whether `value` is listed.
    pub fn contains_value(&self, value: u64) -> bool {
        if value > MAX_VALUE {
            return false;
        }
        let b = usize::try_from(value >> SHIFT).unwrap_or(usize::MAX);
        let (Some(&lo), Some(&hi)) = (self.starts.get(b), self.starts.get(b.wrapping_add(1)))
        else {
            return false;
        };
        let (lo, hi) = (lo as usize, hi as usize);
        self.low
            .get(lo..hi)
            .is_some_and(|bucket| bucket.binary_search(&((value & 0xFFFF) as u16)).is_ok())
    }

    /// Whether the passport is listed.
    pub fn contains(&self, series: &str, number: &str) -> bool {
        passport_value(series.as_bytes(), number.as_bytes()).is_some_and(|v| self.contains_value(v))
    }
}

/// The set as a registry source (`mvd.invalid_passports` by default). The document number must hold
/// the 10 digits of series and number (`4509 123456`, `4509123456`).
#[derive(Debug)]
pub struct InvalidPassportList {
    source: String,
    set: InvalidPassportSet,
}

impl InvalidPassportList {
    /// The source over `set`.
    pub fn new(source: &str, set: InvalidPassportSet) -> Self {
        Self {
            source: source.to_owned(),
            set,
        }
    }
}

impl RegistrySource for InvalidPassportList {
    fn source(&self) -> &str {
        &self.source
    }

    fn check(&self, query: &RegistryQuery) -> Result<RegistryAnswer, RegistryError> {
        let number = query
            .document_number
            .as_deref()
            .ok_or(RegistryError::MissingInput("document_number"))?;
        let digits: Vec<u8> = number.bytes().filter(u8::is_ascii_digit).collect();
        let (Some(series), Some(rest)) = (digits.get(..4), digits.get(4..)) else {
            return Err(RegistryError::MissingInput("a 10-digit series and number"));
        };
        let value = passport_value(series, rest)
            .ok_or(RegistryError::MissingInput("a 10-digit series and number"))?;
        Ok(if self.set.contains_value(value) {
            RegistryAnswer::Listed {
                reason_code: "registry.invalid_passport".to_owned(),
            }
        } else {
            RegistryAnswer::Clear
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn values_parse_strictly() {
        assert_eq!(passport_value(b"4509", b"123456"), Some(4_509_123_456));
        assert_eq!(passport_value(b"45 09", b"123456"), Some(4_509_123_456));
        assert_eq!(passport_value(b"0000", b"000000"), Some(0));
        assert_eq!(passport_value(b"450", b"123456"), None);
        assert_eq!(passport_value(b"4509", b"1234567"), None);
        assert_eq!(passport_value(b"45O9", b"123456"), None);
        assert_eq!(passport_value(b"PASSP_SERIES", b"PASSP_NUMBER"), None);
    }

    #[test]
    fn the_set_finds_exactly_its_members_at_the_edges() {
        let members = [
            0,
            1,
            65_535,
            65_536,
            4_509_123_456,
            MAX_VALUE - 1,
            MAX_VALUE,
        ];
        let mut b = InvalidPassportSetBuilder::default();
        for v in members.iter().chain(members.iter()) {
            b.push(*v);
        }
        b.push(MAX_VALUE + 1);
        let set = b.build().unwrap();
        assert_eq!(set.len(), members.len());
        for v in members {
            assert!(set.contains_value(v), "{v}");
        }
        for v in [
            2,
            65_534,
            65_537,
            4_509_123_455,
            MAX_VALUE - 2,
            MAX_VALUE + 1,
            u64::MAX,
        ] {
            assert!(!set.contains_value(v), "{v}");
        }
    }

    #[test]
    fn csv_loads_with_header_and_damaged_rows_skipped() {
        let text = "PASSP_SERIES,PASSP_NUMBER\n4509,123456\n4509,123456\n0101,000001\n12,34\nbad\n\"45 10\",654321\n";
        let (set, stats) = InvalidPassportSet::from_csv(text.as_bytes(), 100).unwrap();
        assert_eq!(
            stats,
            LoadStats {
                rows: 7,
                passports: 3,
                skipped: 3
            }
        );
        assert!(set.contains("4509", "123456"));
        assert!(set.contains("4510", "654321"));
        assert!(set.contains("0101", "000001"));
        assert!(!set.contains("4509", "123457"));
        let err = InvalidPassportSet::from_csv(text.as_bytes(), 3).unwrap_err();
        assert_eq!(err.code(), "registry.too_many_rows");
    }
}
