//! FollowTheMoney entities as JSON Lines, the format OpenSanctions publishes its datasets in: one
//! entity per line, `{"id", "schema", "properties": {"name": [...], ...}, "datasets": [...]}`.
//!
//! Read as a stream, one line at a time, never more than [`ImportLimits::max_line_bytes`] held:
//! a longer line is skipped and counted, and so is a line that is not an entity. Only `Person`
//! entities are screened against; other schemas (companies, vessels, addresses, sanctions
//! records) are skipped and counted by schema. Names come from `name`, `alias`, `weakAlias`,
//! `previousName` and, when a person has no full name, from `firstName`, `middleName`,
//! `fatherName` and `lastName` joined; birth dates from `birthDate`; nationalities from
//! `nationality` and `citizenship`. The list kind is the importer's when given, else the
//! entity's `topics` decide (`sanction*`, `debarment` → sanctions; `role.pep`, `role.rca` → PEP);
//! a person with neither is skipped (`aml.no_topic`).

use std::io::BufRead;

use serde::Deserialize;

use super::AmlError;
use super::list::{Entity, ImportLimits, ImportStats, ListBuilder, ListKind, PartialDate};

#[derive(Deserialize)]
struct Line {
    id: String,
    schema: String,
    #[serde(default)]
    properties: Properties,
    #[serde(default)]
    datasets: Vec<String>,
}

#[derive(Default, Deserialize)]
#[serde(rename_all = "camelCase")]
struct Properties {
    #[serde(default)]
    name: Vec<String>,
    #[serde(default)]
    alias: Vec<String>,
    #[serde(default)]
    weak_alias: Vec<String>,
    #[serde(default)]
    previous_name: Vec<String>,
    #[serde(default)]
    first_name: Vec<String>,
    #[serde(default)]
    middle_name: Vec<String>,
    #[serde(default)]
    father_name: Vec<String>,
    #[serde(default)]
    last_name: Vec<String>,
    #[serde(default)]
    birth_date: Vec<String>,
    #[serde(default)]
    nationality: Vec<String>,
    #[serde(default)]
    citizenship: Vec<String>,
    #[serde(default)]
    topics: Vec<String>,
}

/// Reads one line of at most `max` bytes into `buf` (without its line end). `Ok(None)` at the
/// end; `Ok(Some(false))` for a line over `max`, whose rest is consumed and dropped.
pub(super) fn read_line_bounded<R: BufRead>(
    reader: &mut R,
    buf: &mut Vec<u8>,
    max: usize,
) -> Result<Option<bool>, AmlError> {
    buf.clear();
    let mut fits = true;
    let mut any = false;
    loop {
        let chunk = reader.fill_buf()?;
        if chunk.is_empty() {
            return Ok(any.then_some(fits));
        }
        any = true;
        let (take, done) = match chunk.iter().position(|&b| b == b'\n') {
            Some(i) => (i, true),
            None => (chunk.len(), false),
        };
        if fits {
            if buf.len() + take > max {
                fits = false;
                buf.clear();
            } else {
                buf.extend_from_slice(chunk.get(..take).unwrap_or_default());
            }
        }
        reader.consume(if done { take + 1 } else { take });
        if done {
            if buf.last() == Some(&b'\r') {
                buf.pop();
            }
            return Ok(Some(fits));
        }
    }
}

fn kind_of(topics: &[String]) -> Option<ListKind> {
    if topics
        .iter()
        .any(|t| t.starts_with("sanction") || t == "debarment")
    {
        Some(ListKind::Sanctions)
    } else if topics.iter().any(|t| t == "role.pep" || t == "role.rca") {
        Some(ListKind::Pep)
    } else {
        None
    }
}

/// Reads FollowTheMoney JSON Lines from `reader` into `builder`. `kind` forces the list kind
/// (a PEP dataset whose entities carry no topics); `None` reads it from each entity's topics.
/// Lines that are not entities are counted, never fatal; an I/O error or more people than the
/// limit is an error.
pub fn read_ftm<R: BufRead>(
    mut reader: R,
    kind: Option<ListKind>,
    builder: &mut ListBuilder,
) -> Result<(), AmlError> {
    let ImportLimits {
        max_line_bytes,
        max_values,
        ..
    } = builder.limits();
    let mut buf = Vec::new();
    let mut number = 0u64;
    while let Some(fits) = read_line_bounded(&mut reader, &mut buf, max_line_bytes)? {
        number += 1;
        builder.stats.lines += 1;
        if !fits {
            builder.stats.skip(number, "aml.line_too_long");
            continue;
        }
        if buf.iter().all(u8::is_ascii_whitespace) {
            continue;
        }
        let Ok(line) = serde_json::from_slice::<Line>(&buf) else {
            builder.stats.skip(number, "aml.malformed_line");
            continue;
        };
        if line.schema != "Person" {
            builder.stats.skip_schema(&line.schema);
            continue;
        }
        let p = line.properties;
        let Some(kind) = kind.or_else(|| kind_of(&p.topics)) else {
            builder.stats.skip(number, "aml.no_topic");
            continue;
        };
        let mut names: Vec<String> = p
            .name
            .into_iter()
            .chain(p.alias)
            .chain(p.previous_name)
            .chain(p.weak_alias)
            .collect();
        if names.is_empty() {
            let parts: Vec<&str> = [&p.first_name, &p.middle_name, &p.father_name, &p.last_name]
                .into_iter()
                .filter_map(|v| v.first().map(String::as_str))
                .collect();
            names.push(parts.join(" "));
        }
        let mut dropped = 0u64;
        let birth_dates: Vec<PartialDate> = p
            .birth_date
            .iter()
            .take(max_values)
            .filter_map(|d| {
                let parsed = PartialDate::parse_iso(d);
                dropped += u64::from(parsed.is_none());
                parsed
            })
            .collect();
        let nationalities: Vec<String> = p
            .nationality
            .iter()
            .chain(&p.citizenship)
            .take(max_values * 2)
            .filter_map(|c| super::countries::code(c))
            .collect();
        builder.stats.values_dropped += dropped;
        builder.push(
            Entity {
                id: line.id,
                kind,
                source: line.datasets.into_iter().next().unwrap_or_default(),
                names,
                birth_dates,
                nationalities,
            },
            number,
        )?;
    }
    Ok(())
}

/// Reads a whole FollowTheMoney file with the default limits.
pub fn ftm_entities<R: BufRead>(
    reader: R,
    kind: Option<ListKind>,
) -> Result<(Vec<Entity>, ImportStats), AmlError> {
    let mut builder = ListBuilder::new(ImportLimits::default());
    read_ftm(reader, kind, &mut builder)?;
    Ok(builder.finish())
}

#[cfg(test)]
mod tests {
    use super::*;

    const LINES: &str = r#"{"id":"NK-1","schema":"Person","properties":{"name":["Ivan Petrovich Ivanov"],"alias":["Иван Петрович Иванов","Iwan Iwanow"],"birthDate":["1961-03-05","1961"],"nationality":["ru"],"topics":["sanction"]},"datasets":["test_sanctions"]}
{"id":"NK-2","schema":"Company","properties":{"name":["Acme"]}}
not json
{"id":"NK-3","schema":"Person","properties":{"firstName":["Maria"],"lastName":["Lopez"],"birthDate":["someday"],"topics":["role.pep"]}}

{"id":"NK-4","schema":"Person","properties":{"name":["Nobody"]}}
{"id":"NK-5","schema":"Person","properties":{"name":[7],"topics":["sanction"]}}
"#;

    #[test]
    fn people_are_read_and_everything_else_is_counted() {
        let (entities, stats) = ftm_entities(LINES.as_bytes(), None).unwrap();
        assert_eq!(entities.len(), 2);
        let ivanov = &entities[0];
        assert_eq!(ivanov.kind, ListKind::Sanctions);
        assert_eq!(ivanov.names.len(), 3);
        assert_eq!(ivanov.birth_dates.len(), 2);
        assert_eq!(ivanov.nationalities, ["ru"]);
        assert_eq!(ivanov.source, "test_sanctions");
        let lopez = &entities[1];
        assert_eq!(lopez.names, ["Maria Lopez"]);
        assert_eq!(lopez.kind, ListKind::Pep);
        assert_eq!(stats.skipped_schemas.get("Company"), Some(&1));
        assert_eq!(
            stats.malformed, 3,
            "not json, no topic, a number for a name"
        );
        assert_eq!(stats.values_dropped, 1, "the unreadable birth date");
        assert_eq!(stats.lines, 7);
        assert_eq!(stats.first_skipped[0].line, 3);
    }

    #[test]
    fn a_long_line_is_skipped_and_reading_goes_on() {
        let long = format!("{{\"id\":\"x\",\"schema\":\"{}\"}}\n", "P".repeat(5000));
        let text = format!("{long}{}", LINES.lines().next().unwrap());
        let mut b = ListBuilder::new(ImportLimits {
            max_line_bytes: 1000,
            ..ImportLimits::default()
        });
        // A reader with a small buffer, so the long line spans many chunks.
        let reader = std::io::BufReader::with_capacity(64, text.as_bytes());
        read_ftm(reader, None, &mut b).unwrap();
        let (entities, stats) = b.finish();
        assert_eq!((entities.len(), stats.too_long), (1, 1));
    }

    #[test]
    fn forced_kind_and_the_entity_limit() {
        let (entities, _) = ftm_entities(LINES.as_bytes(), Some(ListKind::Pep)).unwrap();
        assert!(entities.iter().all(|e| e.kind == ListKind::Pep));
        assert_eq!(entities.len(), 3, "NK-4 counts once a kind is forced");
        let mut b = ListBuilder::new(ImportLimits {
            max_entities: 1,
            ..ImportLimits::default()
        });
        let e = read_ftm(LINES.as_bytes(), None, &mut b).unwrap_err();
        assert_eq!(e.code(), "aml.too_many_entities");
    }
}
