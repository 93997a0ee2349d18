//! What a screening list holds: people (FollowTheMoney schema `Person`), each with an id, names
//! and aliases, birth dates (as precise as the list gives them), nationalities, the kind of list
//! (sanctions or politically exposed persons) and the dataset it came from. Importers
//! (`import_ftm.rs`, `import_sdn.rs`) fill a [`ListBuilder`] within [`ImportLimits`] and count what
//! they skipped in [`ImportStats`].

use std::collections::BTreeMap;

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

use super::AmlError;

/// Which check a listed person answers to.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum ListKind {
    /// Sanctions (`aml.sanctions`).
    Sanctions,
    /// Politically exposed persons and their relatives and close associates (`aml.pep`).
    Pep,
}

/// A date as precise as a list gives it: a year, a year and month, or a day.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct PartialDate {
    /// The year.
    pub year: i16,
    /// The month, 1 to 12, when given.
    pub month: Option<u8>,
    /// The day, when given (only with a month).
    pub day: Option<u8>,
}

impl PartialDate {
    /// Reads `YYYY`, `YYYY-MM` or `YYYY-MM-DD` (FollowTheMoney's dates; a time after the day is
    /// ignored). `None` for anything else or an impossible date.
    pub fn parse_iso(text: &str) -> Option<Self> {
        let t = text.trim();
        let t = t.get(..10.min(t.len()))?;
        let mut parts = t.split('-');
        let year: i16 = parts.next()?.parse().ok()?;
        if !(1000..=2999).contains(&year) {
            return None;
        }
        let month = match parts.next() {
            Some(m) => Some(m.parse::<u8>().ok().filter(|m| (1..=12).contains(m))?),
            None => None,
        };
        let day = match (month, parts.next()) {
            (Some(m), Some(d)) => {
                let d = d.parse::<u8>().ok()?;
                jiff::civil::Date::new(year, i8::try_from(m).ok()?, i8::try_from(d).ok()?).ok()?;
                Some(d)
            }
            (None, Some(_)) => return None,
            (_, None) => None,
        };
        if parts.next().is_some() {
            return None;
        }
        Some(Self { year, month, day })
    }

    /// The whole day.
    pub fn from_date(date: jiff::civil::Date) -> Self {
        Self {
            year: date.year(),
            month: u8::try_from(date.month()).ok(),
            day: u8::try_from(date.day()).ok(),
        }
    }

    /// As `YYYY`, `YYYY-MM` or `YYYY-MM-DD`.
    pub fn to_iso(&self) -> String {
        match (self.month, self.day) {
            (Some(m), Some(d)) => format!("{:04}-{m:02}-{d:02}", self.year),
            (Some(m), None) => format!("{:04}-{m:02}", self.year),
            _ => format!("{:04}", self.year),
        }
    }
}

/// One listed person.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Entity {
    /// The list's id (`NK-...`, an OFAC entry number).
    pub id: String,
    /// Sanctions or PEP.
    pub kind: ListKind,
    /// The dataset, e.g. `us_ofac_sdn`.
    pub source: String,
    /// Names, the primary first, then aliases.
    pub names: Vec<String>,
    /// Birth dates (several when the list is unsure).
    pub birth_dates: Vec<PartialDate>,
    /// Nationalities and citizenships, ISO 3166-1 alpha-2 in lower case.
    pub nationalities: Vec<String>,
}

/// Bounds on what an import reads: lists are the host's files, but still untrusted input.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct ImportLimits {
    /// Longest line read, in bytes; a longer line is skipped and counted.
    pub max_line_bytes: usize,
    /// Most people kept; one more is an error ([`AmlError::TooManyEntities`]).
    pub max_entities: usize,
    /// Most names (primary and aliases) kept per person; the rest are dropped and counted.
    pub max_names: usize,
    /// Longest name kept, in bytes; a longer one is dropped and counted.
    pub max_name_bytes: usize,
    /// Most birth dates and nationalities kept per person, each.
    pub max_values: usize,
}

impl Default for ImportLimits {
    fn default() -> Self {
        Self {
            max_line_bytes: 1 << 20,
            max_entities: 5_000_000,
            max_names: 64,
            max_name_bytes: 256,
            max_values: 16,
        }
    }
}

/// Where an import skipped something, for the host's log.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SkippedLine {
    /// 1-based line (or record) number.
    pub line: u64,
    /// Why, as a stable code (`aml.malformed_line`, `aml.line_too_long`, ...).
    pub code: &'static str,
}

/// What an import read and what it left out.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct ImportStats {
    /// Lines (records) read.
    pub lines: u64,
    /// People kept.
    pub entities: u64,
    /// Entities of other schemas (companies, vessels, ...) skipped, by schema.
    pub skipped_schemas: BTreeMap<String, u64>,
    /// Lines that were not valid records.
    pub malformed: u64,
    /// Lines over [`ImportLimits::max_line_bytes`].
    pub too_long: u64,
    /// People without any usable name.
    pub nameless: u64,
    /// Names, dates and nationalities dropped by the limits or unreadable.
    pub values_dropped: u64,
    /// The first skipped lines, at most [`MAX_SKIPPED_KEPT`].
    pub first_skipped: Vec<SkippedLine>,
}

/// How many skipped lines [`ImportStats::first_skipped`] keeps.
pub const MAX_SKIPPED_KEPT: usize = 20;

impl ImportStats {
    pub(super) fn skip(&mut self, line: u64, code: &'static str) {
        match code {
            "aml.line_too_long" => self.too_long += 1,
            "aml.nameless" => self.nameless += 1,
            _ => self.malformed += 1,
        }
        if self.first_skipped.len() < MAX_SKIPPED_KEPT {
            self.first_skipped.push(SkippedLine { line, code });
        }
    }

    pub(super) fn skip_schema(&mut self, schema: &str) {
        // Bounded: a file of made-up schema names cannot grow the map without end.
        if self.skipped_schemas.len() < 64 || self.skipped_schemas.contains_key(schema) {
            *self.skipped_schemas.entry(schema.to_owned()).or_default() += 1;
        } else {
            *self
                .skipped_schemas
                .entry("(other)".to_owned())
                .or_default() += 1;
        }
    }
}

/// Collects people within the limits.
#[derive(Debug)]
pub struct ListBuilder {
    limits: ImportLimits,
    pub(super) entities: Vec<Entity>,
    pub(super) stats: ImportStats,
}

impl ListBuilder {
    /// An empty list under `limits`.
    pub fn new(limits: ImportLimits) -> Self {
        Self {
            limits,
            entities: Vec::new(),
            stats: ImportStats::default(),
        }
    }

    /// The limits.
    pub fn limits(&self) -> ImportLimits {
        self.limits
    }

    /// Adds a person: names over the limits, empty ones and repeats are dropped (counted); a person
    /// left without a name is skipped (counted). `line` is where it was read, for the stats.
    pub fn push(&mut self, mut entity: Entity, line: u64) -> Result<(), AmlError> {
        let before = entity.names.len() + entity.birth_dates.len() + entity.nationalities.len();
        let mut names: Vec<String> = Vec::with_capacity(entity.names.len().min(8));
        for name in entity.names.drain(..) {
            let name = name.trim();
            if name.is_empty()
                || name.len() > self.limits.max_name_bytes
                || names.len() >= self.limits.max_names
                || names.iter().any(|n| n == name)
                || super::normalise::tokens(name).is_empty()
            {
                continue;
            }
            names.push(name.to_owned());
        }
        entity.names = names;
        entity.birth_dates.sort_unstable();
        entity.birth_dates.dedup();
        entity.birth_dates.truncate(self.limits.max_values);
        entity.nationalities.sort_unstable();
        entity.nationalities.dedup();
        entity.nationalities.truncate(self.limits.max_values);
        let after = entity.names.len() + entity.birth_dates.len() + entity.nationalities.len();
        self.stats.values_dropped += u64::try_from(before.saturating_sub(after)).unwrap_or(0);
        if entity.names.is_empty() {
            self.stats.skip(line, "aml.nameless");
            return Ok(());
        }
        if self.entities.len() >= self.limits.max_entities {
            return Err(AmlError::TooManyEntities(self.limits.max_entities));
        }
        self.entities.push(entity);
        self.stats.entities += 1;
        Ok(())
    }

    /// The people and the import's counts.
    pub fn finish(self) -> (Vec<Entity>, ImportStats) {
        (self.entities, self.stats)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn partial_dates() {
        let d = |t| PartialDate::parse_iso(t).map(|d| d.to_iso());
        assert_eq!(d("1970").as_deref(), Some("1970"));
        assert_eq!(d("1970-05").as_deref(), Some("1970-05"));
        assert_eq!(d("1970-05-12").as_deref(), Some("1970-05-12"));
        assert_eq!(d("1970-05-12T00:00:00").as_deref(), Some("1970-05-12"));
        for bad in [
            "",
            "70",
            "1970-13",
            "1970-02-30",
            "abcd",
            "1970-5-x",
            "99999",
        ] {
            assert_eq!(d(bad), None, "{bad}");
        }
    }

    #[test]
    fn the_builder_keeps_to_its_limits() {
        let limits = ImportLimits {
            max_entities: 1,
            max_names: 2,
            ..ImportLimits::default()
        };
        let mut b = ListBuilder::new(limits);
        let person = |names: &[&str]| Entity {
            id: "1".into(),
            kind: ListKind::Sanctions,
            source: "t".into(),
            names: names.iter().map(|n| (*n).to_owned()).collect(),
            birth_dates: Vec::new(),
            nationalities: Vec::new(),
        };
        b.push(person(&["", "Dr."]), 1).unwrap();
        assert_eq!(b.stats.nameless, 1);
        b.push(person(&["A B", "A B", "C D", "E F"]), 2).unwrap();
        assert_eq!(b.entities[0].names, ["A B", "C D"]);
        assert_eq!(b.stats.values_dropped, 2 + 2);
        let e = b.push(person(&["G H"]), 3).unwrap_err();
        assert_eq!(e.code(), "aml.too_many_entities");
    }
}
