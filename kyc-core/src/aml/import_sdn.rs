//! The OFAC SDN list in its published CSV layout: `sdn.csv` (`ent_num, SDN_Name, SDN_Type,
//! Program, Title, Call_Sign, Vess_type, Tonnage, GRT, Vess_flag, Vess_owner, Remarks`, no header,
//! `-0-` for an empty value) and `alt.csv` (`ent_num, alt_num, alt_type, alt_name,
//! alt_remarks`), the aliases. Only individuals are kept (`SDN_Type` `individual`); entities,
//! vessels and aircraft are skipped and counted by type. Birth dates and nationalities are read
//! from the remarks (`DOB 12 May 1970; alt. DOB 1971; nationality Russia; citizenship Russia`);
//! a range (`DOB 1960 to 1962`) gives both years. Every person is [`ListKind::Sanctions`].
//!
//! Each file is read at most [`MAX_BYTES`]; a record longer than
//! [`ImportLimits::max_line_bytes`] or of the wrong width is skipped and counted; the file's
//! closing `0x1A` is ignored.

use std::collections::HashMap;
use std::io::Read;

use super::AmlError;
use super::list::{Entity, ImportStats, ListBuilder, ListKind, PartialDate};

/// Largest file read.
pub const MAX_BYTES: u64 = 512 << 20;

/// The dataset name SDN people are recorded under.
pub const SOURCE: &str = "us_ofac_sdn";

const MONTHS: [&str; 12] = [
    "jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec",
];

fn null(v: &str) -> &str {
    let v = v.trim();
    if v == "-0-" { "" } else { v }
}

/// One OFAC date: `12 May 1970`, `May 1970`, `1970`, with `circa`/`approximately` ignored.
fn sdn_date(text: &str) -> Option<PartialDate> {
    let words: Vec<&str> = text
        .split_whitespace()
        .filter(|w| !matches!(w.to_ascii_lowercase().as_str(), "circa" | "approximately"))
        .collect();
    let month = |w: &str| {
        let w = w.to_ascii_lowercase();
        MONTHS
            .iter()
            .position(|m| w.starts_with(m))
            .and_then(|i| u8::try_from(i + 1).ok())
    };
    let iso = match words.as_slice() {
        [y] => (*y).to_owned(),
        [m, y] => format!("{y}-{:02}", month(m)?),
        [d, m, y] => format!("{y}-{:02}-{:02}", month(m)?, d.parse::<u8>().ok()?),
        _ => return None,
    };
    PartialDate::parse_iso(&iso)
}

/// Birth dates and nationalities from an SDN remark.
fn remarks(text: &str, dates: &mut Vec<PartialDate>, countries: &mut Vec<String>) -> u64 {
    let mut dropped = 0;
    for part in text.split(';') {
        let part = part.trim().trim_end_matches('.');
        let part = part.strip_prefix("alt. ").unwrap_or(part).trim();
        if let Some(date) = part.strip_prefix("DOB ") {
            for one in date.split(" to ") {
                match sdn_date(one) {
                    Some(d) => dates.push(d),
                    None => dropped += 1,
                }
            }
        } else if let Some(c) = part
            .strip_prefix("nationality ")
            .or_else(|| part.strip_prefix("citizenship "))
        {
            match super::countries::code(c) {
                Some(code) => countries.push(code),
                None => dropped += 1,
            }
        }
    }
    dropped
}

fn csv_reader<R: Read>(reader: R) -> csv::Reader<std::io::Take<R>> {
    csv::ReaderBuilder::new()
        .has_headers(false)
        .flexible(true)
        .from_reader(reader.take(MAX_BYTES))
}

/// Reads `sdn` and, when given, `alt` into `builder`. A record that cannot be read is counted,
/// never fatal; an I/O error or more people than the limit is an error.
pub fn read_sdn<R: Read, A: Read>(
    sdn: R,
    alt: Option<A>,
    builder: &mut ListBuilder,
) -> Result<(), AmlError> {
    let limits = builder.limits();
    let mut people: Vec<Entity> = Vec::new();
    let mut lines: Vec<u64> = Vec::new();
    let mut by_number: HashMap<String, usize> = HashMap::new();
    let mut stats = std::mem::take(&mut builder.stats);
    let mut record = csv::ByteRecord::new();
    let mut reader = csv_reader(sdn);
    let mut number = 0u64;
    loop {
        number += 1;
        match reader.read_byte_record(&mut record) {
            Ok(false) => break,
            Ok(true) => {}
            Err(e) if e.is_io_error() => return Err(AmlError::Io(e.to_string())),
            Err(_) => {
                stats.lines += 1;
                stats.skip(number, "aml.malformed_line");
                continue;
            }
        }
        stats.lines += 1;
        if record.len() == 1 && record.get(0).is_some_and(|f| f.trim_ascii() == b"\x1a") {
            continue;
        }
        if record.as_slice().len() > limits.max_line_bytes {
            stats.skip(number, "aml.line_too_long");
            continue;
        }
        let Ok(record) = csv::StringRecord::from_byte_record(record.clone()) else {
            stats.skip(number, "aml.malformed_line");
            continue;
        };
        if record.len() != 12 {
            stats.skip(number, "aml.malformed_line");
            continue;
        }
        let field = |i: usize| null(record.get(i).unwrap_or(""));
        let kind = field(2);
        if !kind.eq_ignore_ascii_case("individual") {
            stats.skip_schema(if kind.is_empty() { "entity" } else { kind });
            continue;
        }
        if people.len() >= limits.max_entities {
            return Err(AmlError::TooManyEntities(limits.max_entities));
        }
        let mut birth_dates = Vec::new();
        let mut nationalities = Vec::new();
        stats.values_dropped += remarks(field(11), &mut birth_dates, &mut nationalities);
        let id = field(0).to_owned();
        by_number.insert(id.clone(), people.len());
        people.push(Entity {
            id,
            kind: ListKind::Sanctions,
            source: SOURCE.to_owned(),
            names: vec![field(1).to_owned()],
            birth_dates,
            nationalities,
        });
        lines.push(number);
    }
    if let Some(alt) = alt {
        let mut reader = csv_reader(alt);
        let mut record = csv::StringRecord::new();
        loop {
            match reader.read_record(&mut record) {
                Ok(false) => break,
                Ok(true) => {}
                Err(e) if e.is_io_error() => return Err(AmlError::Io(e.to_string())),
                Err(_) => {
                    stats.values_dropped += 1;
                    continue;
                }
            }
            if record.len() != 5 {
                continue;
            }
            let Some(&index) = by_number.get(null(record.get(0).unwrap_or(""))) else {
                continue;
            };
            let name = null(record.get(3).unwrap_or(""));
            if let Some(person) = people.get_mut(index) {
                if person.names.len() < limits.max_names.saturating_mul(2) {
                    person.names.push(name.to_owned());
                } else {
                    stats.values_dropped += 1;
                }
            }
        }
    }
    builder.stats = stats;
    for (person, line) in people.into_iter().zip(lines) {
        builder.push(person, line)?;
    }
    Ok(())
}

/// Reads SDN files with the default limits.
pub fn sdn_entities<R: Read, A: Read>(
    sdn: R,
    alt: Option<A>,
) -> Result<(Vec<Entity>, ImportStats), AmlError> {
    let mut builder = ListBuilder::new(super::list::ImportLimits::default());
    read_sdn(sdn, alt, &mut builder)?;
    Ok(builder.finish())
}

#[cfg(test)]
mod tests {
    use super::*;

    const SDN: &str = "\
36,\"AEROCARIBBEAN AIRLINES\",-0- ,\"CUBA\",-0- ,-0- ,-0- ,-0- ,-0- ,-0- ,-0- ,-0- \r
1001,\"IVANOV, Ivan Petrovich\",\"individual\",\"RUSSIA-EO14024\",-0- ,-0- ,-0- ,-0- ,-0- ,-0- ,-0- ,\"DOB 05 Mar 1961; alt. DOB 1962; POB Moscow, Russia; nationality Russia; Gender Male.\"\r
1002,\"SHORT ROW\"\r
1003,\"LOPEZ, Maria\",\"individual\",\"SDGT\",-0- ,-0- ,-0- ,-0- ,-0- ,-0- ,-0- ,\"DOB circa 1970 to 1972; citizenship Atlantis.\"\r
\x1a\r
";
    const ALT: &str = "\
1001,201,\"a.k.a.\",\"IWANOW, Iwan\",-0- \r
1001,202,\"a.k.a.\",\"ИВАНОВ, Иван Петрович\",-0- \r
36,203,\"a.k.a.\",\"AC\",-0- \r
";

    #[test]
    fn individuals_with_their_aliases_dates_and_nationalities() {
        let (people, stats) = sdn_entities(SDN.as_bytes(), Some(ALT.as_bytes())).unwrap();
        assert_eq!(people.len(), 2);
        let ivanov = &people[0];
        assert_eq!(ivanov.id, "1001");
        assert_eq!(ivanov.names.len(), 3);
        assert_eq!(
            ivanov
                .birth_dates
                .iter()
                .map(PartialDate::to_iso)
                .collect::<Vec<_>>(),
            ["1961-03-05", "1962"]
        );
        assert_eq!(ivanov.nationalities, ["ru"]);
        let lopez = &people[1];
        assert_eq!(lopez.birth_dates.len(), 2, "a range gives both years");
        assert_eq!(stats.values_dropped, 1, "Atlantis is no country");
        assert_eq!(stats.skipped_schemas.get("entity"), Some(&1));
        assert_eq!(stats.malformed, 1, "the short row");
    }

    #[test]
    fn garbage_is_counted_not_fatal() {
        let junk = b"\xff\xfe,\"unterminated\n1,2,3\n\x00\x00\n";
        let (people, stats) = sdn_entities(&junk[..], None::<&[u8]>).unwrap();
        assert!(people.is_empty());
        // The unterminated quote swallows the rest into one bad record.
        assert!(
            stats.lines >= 1 && stats.malformed == stats.lines,
            "{stats:?}"
        );
    }
}
