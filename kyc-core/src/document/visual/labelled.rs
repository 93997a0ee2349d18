//! Dates found by their printed labels: birth, issue and expiry, for pages without an MRZ (many
//! ID-card fronts, driving licences) and for the issue date, which a passport's MRZ does not carry.
//! A label (`Date of birth`, `Date de naissance`, `Fecha de nacimiento`, ...) names the date printed
//! after it on its own line, or else the nearest date printed under it; a date no label names is
//! left out rather than guessed from its order, and so are a two-digit year and an all-numeric
//! date with slashes that reads both day-first and month-first (with dots it is day-first).

use jiff::civil::Date;

use super::VisualLine;
use super::dates::find_dates;
use crate::document::{DocumentField, FieldSource, field};

/// Label words per field, lower case, in the languages of the issuers seen most; a line naming
/// two fields (a table header, say) names neither.
const LABELS: [(&str, &[&str]); 3] = [
    (
        field::BIRTH_DATE,
        &[
            "birth",
            "naissance",
            "nacimiento",
            "geburt",
            "nascita",
            "nascimento",
            "urodzenia",
            "narození",
            "rođenja",
            "gimimo",
            "születési",
            "fødsels",
            "födelse",
            "syntymä",
            "geboorte",
        ],
    ),
    (
        field::ISSUE_DATE,
        &[
            "of issue",
            "délivrance",
            "expedición",
            "ausstellung",
            "rilascio",
            "emissão",
            "wydania",
            "vydání",
            "izdavanja",
            "išdavimo",
            "kiállítás",
            "udstedelse",
            "utfärdande",
            "myöntämis",
            "afgifte",
        ],
    ),
    (
        field::EXPIRY_DATE,
        &[
            "expiry",
            "expiration",
            "expires",
            "valid until",
            "caducidad",
            "gültig bis",
            "scadenza",
            "validade",
            "ważności",
            "platnost",
            "vrijedi",
            "galioja",
            "érvényes",
            "udløb",
            "giltig",
            "voimassa",
            "geldig tot",
        ],
    ),
];

/// Words that make a line something else than a date's label: `Place of birth`, `Issuing
/// authority`.
const NOT_A_DATE: [&str; 16] = [
    "place",
    "lieu",
    "lugar",
    "luogo",
    "local",
    "miejsce",
    "místo",
    "mjesto",
    "vieta",
    "hely",
    "sted",
    "paikka",
    "plaats",
    "authority",
    "autorité",
    "autoridad",
];

/// How far under its label a date may be printed, in label heights.
const MAX_LINES_BELOW: f64 = 3.0;

/// Where a value may stand left or right of its label's left edge, in label heights (values are
/// printed flush with their label, or in a column that starts with it).
const MAX_COLUMN_SHIFT: f64 = 2.0;

/// The one field `text` labels, if it labels exactly one.
fn label_of(text: &str) -> Option<&'static str> {
    let lower = text.to_lowercase();
    if NOT_A_DATE.iter().any(|w| lower.contains(w)) {
        return None;
    }
    let mut named = LABELS
        .iter()
        .filter(|(_, words)| words.iter().any(|w| lower.contains(w)))
        .map(|(name, _)| *name);
    let first = named.next()?;
    named.next().is_none().then_some(first)
}

/// The one full date printed in `text` from byte `from` on, when it reads one way only.
fn date_in(text: &str, from: usize) -> Option<Date> {
    let found: Vec<_> = find_dates(text)
        .into_iter()
        .filter(|d| d.start >= from)
        .collect();
    let first = found.first()?;
    // An all-numeric date ambiguous between day-first and month-first is found twice, at the same
    // place; a second date elsewhere in the line is another value.
    let readings: Vec<_> = found.iter().filter(|d| d.start == first.start).collect();
    match readings.as_slice() {
        [one] => one.date(),
        [a, b] if a.date() == b.date() => a.date(),
        // Dots separate day-first dates (`12.03.1985`); the month-first convention writes
        // slashes, so with slashes the reading stays open.
        [a, b] => {
            let printed = text.get(first.start..first.end)?;
            let leading: i8 = printed
                .split(|c: char| !c.is_ascii_digit())
                .next()?
                .parse()
                .ok()?;
            if !printed.contains('.') {
                return None;
            }
            [a, b].into_iter().find(|d| d.day == leading)?.date()
        }
        _ => None,
    }
}

/// Where the text after the label ends in `text` (after its last label word).
fn label_end(text: &str, name: &str) -> usize {
    let lower = text.to_lowercase();
    LABELS
        .iter()
        .filter(|(n, _)| *n == name)
        .flat_map(|(_, words)| words.iter())
        .filter_map(|w| lower.rfind(w).map(|at| at + w.len()))
        .max()
        .unwrap_or(0)
        // Lower-casing may change byte lengths; never cut inside a character.
        .min(text.len())
}

/// Whether `value` stands where the value of `label` would: under it, within a few label heights,
/// in its column. Lines without a place (none measured) count when they come next in order.
fn stands_under(label: &VisualLine, value: &VisualLine, label_index: usize, index: usize) -> bool {
    match (label.place, value.place) {
        (Some(l), Some(v)) => {
            let below = v.down - l.down;
            let left_shift = (v.along - v.width / 2.0) - (l.along - l.width / 2.0);
            below > l.height / 2.0
                && below <= MAX_LINES_BELOW * l.height
                && left_shift.abs() <= MAX_COLUMN_SHIFT * l.height
        }
        _ => index == label_index + 1,
    }
}

/// The birth, issue and expiry dates the page's labels name, as visual fields (confidence: the
/// OCR's for the label and the value together), at most one per field.
pub fn labelled_dates(lines: &[VisualLine]) -> Vec<DocumentField> {
    let mut out: Vec<DocumentField> = Vec::new();
    let mut used = vec![false; lines.len()];
    for (i, line) in lines.iter().enumerate() {
        let Some(name) = label_of(&line.text) else {
            continue;
        };
        if out.iter().any(|f| f.name == name) {
            continue;
        }
        let inline = date_in(&line.text, label_end(&line.text, name)).map(|d| (d, i));
        let found = inline.or_else(|| {
            lines
                .iter()
                .enumerate()
                .filter(|(j, v)| {
                    *j != i
                        && !used.get(*j).copied().unwrap_or(true)
                        && label_of(&v.text).is_none()
                        && stands_under(line, v, i, *j)
                })
                .filter_map(|(j, v)| Some((date_in(&v.text, 0)?, j, v)))
                .min_by(|a, b| {
                    let below = |v: &VisualLine| v.place.map_or(0.0, |p| p.down);
                    below(a.2).total_cmp(&below(b.2))
                })
                .map(|(d, j, _)| (d, j))
        });
        let Some((date, j)) = found else {
            continue;
        };
        if let Some(u) = used.get_mut(j) {
            *u = true;
        }
        let confidence = line.confidence * lines.get(j).map_or(0.0, |v| v.confidence);
        out.push(DocumentField {
            name: name.to_owned(),
            value: date.to_string(),
            confidence: confidence.clamp(0.0, 1.0),
            source: FieldSource::Visual,
        });
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::document::visual::LinePlace;

    fn at(text: &str, along: f64, down: f64) -> VisualLine {
        VisualLine {
            text: text.to_owned(),
            confidence: 0.9,
            place: Some(LinePlace {
                along,
                down,
                width: 10.0 * text.len() as f64,
                height: 20.0,
            }),
        }
    }

    fn value<'a>(fields: &'a [DocumentField], name: &str) -> Option<&'a str> {
        fields
            .iter()
            .find(|f| f.name == name)
            .map(|f| f.value.as_str())
    }

    #[test]
    fn a_card_front_with_labels_over_values_in_two_columns() {
        // Labels on one row, values on the next, left column then right column.
        let lines = [
            at("Date of birth", 65.0, 100.0),
            at("Date of expiry", 370.0, 100.0),
            at("12.03.1985", 50.0, 125.0),
            at("01 JAN 2031", 355.0, 125.0),
            at("Place of birth", 70.0, 170.0),
            at("LYON", 20.0, 195.0),
        ];
        let f = labelled_dates(&lines);
        assert_eq!(value(&f, field::BIRTH_DATE), Some("1985-03-12"));
        assert_eq!(value(&f, field::EXPIRY_DATE), Some("2031-01-01"));
        assert_eq!(f.len(), 2, "{f:?}");
        assert!(f.iter().all(|x| x.source == FieldSource::Visual));
        assert!((f[0].confidence - 0.81).abs() < 1e-9);
    }

    #[test]
    fn a_date_on_its_label_s_line_and_labels_in_other_languages() {
        let lines = [
            at("Fecha de nacimiento 04 MAR 1979", 200.0, 50.0),
            at(
                "Date de délivrance / Date of issue: 15/06/2020",
                250.0,
                80.0,
            ),
        ];
        let f = labelled_dates(&lines);
        assert_eq!(value(&f, field::BIRTH_DATE), Some("1979-03-04"));
        assert_eq!(value(&f, field::ISSUE_DATE), Some("2020-06-15"));
    }

    #[test]
    fn unlabelled_ambiguous_or_distant_dates_are_left_out() {
        let lines = [
            // No label names it.
            at("12.03.1985", 50.0, 20.0),
            // Reads as 3 April and as 4 March.
            at("Date of birth", 65.0, 100.0),
            at("03/04/1985", 50.0, 125.0),
            // Far below its label.
            at("Date of expiry", 65.0, 300.0),
            at("01.01.2031", 50.0, 500.0),
            // A header naming two fields names neither.
            at("Date of issue / Date of expiry 01.02.2020", 65.0, 600.0),
        ];
        assert!(labelled_dates(&lines).is_empty());
    }

    #[test]
    fn without_places_the_next_line_is_the_value() {
        let line = |t: &str| VisualLine {
            text: t.to_owned(),
            confidence: 1.0,
            place: None,
        };
        let lines = [
            line("Date of birth"),
            line("12.03.1985"),
            line("Date of expiry"),
            line("SOMETHING"),
            line("01.01.2031"),
        ];
        let f = labelled_dates(&lines);
        assert_eq!(value(&f, field::BIRTH_DATE), Some("1985-03-12"));
        assert_eq!(value(&f, field::EXPIRY_DATE), None);
    }
}
