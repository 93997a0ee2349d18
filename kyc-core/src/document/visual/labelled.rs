//! Fields found by their printed labels, for pages without an MRZ (many ID-card fronts, driving
//! licences) and for the issue date, which a passport's MRZ does not carry.
//!
//! - Dates: birth, issue and expiry. A label (`Date of birth`, `Date de naissance`, `Fecha de
//!   nacimiento`, ...) names the date printed after it on its own line, or else the nearest date
//!   printed under it; a date no label names is left out rather than guessed from its order, and
//!   so are a two-digit year and an all-numeric date with slashes that reads both day-first and
//!   month-first (with dots it is day-first).
//! - Surname, given names, document number, sex and nationality, the same way, by whole label words
//!   (`Nom` is not `Prénoms`; long words may carry one OCR slip). A name is letters printed in
//!   capitals; a number is 5 to 15 capitals and digits, one at least a digit; a sex is `M`, `F`
//!   or `X`; a nationality is a three-letter code on ICAO's list. Labels of someone else's names
//!   (`Prenume părinți`, parents') and of other numbers (`Personal No.`) name nothing.

use jiff::civil::Date;

use super::VisualLine;
use super::dates::{PrintedDate, find_dates};
use super::text::{FoldedLine, allowed_edits, compact, distance_within, words};
use crate::document::mrz::{CountryClass, classify_country};
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

/// Label phrases per text field, as words folded to `A`-`Z` (see [`words`]).
const TEXT_LABELS: [(&str, &[&[&str]]); 5] = [
    (
        field::SURNAME,
        &[
            &["SURNAME"],
            &["SURNAMES"],
            &["PRIMARY", "IDENTIFIER"],
            &["IDENTIFIANT", "PRIMAIRE"],
            &["LAST", "NAME"],
            &["FAMILY", "NAME"],
            &["NOM"],
            &["APELLIDOS"],
            &["APELLIDO"],
            &["NACHNAME"],
            &["FAMILIENNAME"],
            &["COGNOME"],
            &["APELIDO"],
            &["APELIDOS"],
            &["NAZWISKO"],
            &["PRIJMENI"],
            &["PREZIME"],
            &["PAVARDE"],
            &["VEZETEKNEV"],
            &["EFTERNAMN"],
            &["EFTERNAVN"],
            &["SUKUNIMI"],
            &["ACHTERNAAM"],
            &["NUME"],
        ],
    ),
    (
        field::GIVEN_NAMES,
        &[
            &["GIVEN", "NAME"],
            &["GIVEN", "NAMES"],
            &["SECONDARY", "IDENTIFIER"],
            &["IDENTIFIANT", "SECONDAIRE"],
            &["FIRST", "NAME"],
            &["FIRST", "NAMES"],
            &["FORENAME"],
            &["FORENAMES"],
            &["PRENOM"],
            &["PRENOMS"],
            &["NOMBRE"],
            &["NOMBRES"],
            &["VORNAME"],
            &["VORNAMEN"],
            &["NOME"],
            &["NOMI"],
            &["IMIONA"],
            &["IMIE"],
            &["JMENO"],
            &["IME"],
            &["VARDAI"],
            &["VARDAS"],
            &["UTONEV"],
            &["FOERNAMN"],
            &["FORNAMN"],
            &["FORNAVN"],
            &["ETUNIMET"],
            &["VOORNAMEN"],
            &["PRENUME"],
        ],
    ),
    (
        field::DOCUMENT_NUMBER,
        &[
            &["DOCUMENT", "NO"],
            &["DOCUMENT", "NUMBER"],
            &["PASSPORT", "NO"],
            &["PASSPORT", "NUMBER"],
            &["CARD", "NO"],
            &["CARD", "NUMBER"],
            &["N", "DU", "PASSEPORT"],
            &["N", "DU", "DOCUMENT"],
            &["NUMERO", "DE", "DOCUMENTO"],
            &["NUM", "DOCUMENTO"],
            &["DOKUMENTNUMMER"],
            &["AUSWEISNUMMER"],
            &["PASSNUMMER"],
            &["NUMER", "DOKUMENTU"],
            &["NUMER", "PASZPORTU"],
            &["CISLO", "DOKLADU"],
            &["CISLO", "PASU"],
            &["BROJ", "ISPRAVE"],
            &["BROJ", "PUTOVNICE"],
        ],
    ),
    (
        field::SEX,
        &[
            &["SEX"],
            &["SEXE"],
            &["SEXO"],
            &["SESSO"],
            &["GESCHLECHT"],
            &["PLEC"],
            &["POHLAVI"],
            &["SPOL"],
            &["LYTIS"],
            &["NEME"],
            &["KON"],
            &["KOEN"],
            &["KJOENN"],
            &["SUKUPUOLI"],
            &["GESLACHT"],
        ],
    ),
    (
        field::NATIONALITY,
        &[
            &["NATIONALITY"],
            &["NATIONALITE"],
            &["NACIONALIDAD"],
            &["NACIONALIDADE"],
            &["NAZIONALITA"],
            &["CITTADINANZA"],
            &["STAATSANGEHOERIGKEIT"],
            &["OBYWATELSTWO"],
            &["STATNI", "OBCANSTVI"],
            &["DRZAVLJANSTVO"],
            &["PILIETYBE"],
            &["ALLAMPOLGARSAG"],
            &["NATIONALITET"],
            &["MEDBORGARSKAP"],
            &["KANSALAISUUS"],
            &["NATIONALITEIT"],
            &["CETATENIE"],
        ],
    ),
];

/// Words that make a line the label of something else than the holder's names or the document's
/// number: parents' and birth names, personal and other numbers.
const NOT_A_TEXT_FIELD: [&str; 16] = [
    "PARENTS",
    "PARINTI",
    "FATHER",
    "MOTHER",
    "PERE",
    "MERE",
    "NAISSANCE",
    "BIRTH",
    "GEBURTSNAME",
    "PERSONAL",
    "PERSONNEL",
    "CASE",
    "REGISTRATION",
    "TAX",
    "SPOUSE",
    "EPOUSE",
];

/// Characters a printed name may have, at most.
const MAX_NAME_CHARS: usize = 40;

/// How far under its label a date may be printed, in label heights.
const MAX_LINES_BELOW: f64 = 3.0;

/// How much taller than its label a value may be printed: a line several times taller is a
/// heading or a specimen overprint, not a field.
const MAX_VALUE_HEIGHT: f64 = 2.5;

/// Where a value may stand left or right of its label's left edge, in label heights (values are
/// printed flush with their label, or in a column that starts with it).
const MAX_COLUMN_SHIFT: f64 = 2.0;

/// Where `line` spells one of `words` (label words), with the slips [`allowed_edits`] forgives:
/// the byte offset just past the last match.
fn spelt(line: &FoldedLine, words: &[&str]) -> Option<usize> {
    words
        .iter()
        .filter_map(|w| {
            let folded = compact(w);
            line.find(&folded, allowed_edits(folded.len()))
        })
        .max()
}

/// The one date `text` labels, if it labels exactly one, with where its label ends.
pub(super) fn date_label_of(text: &str) -> Option<(&'static str, usize)> {
    let lower = text.to_lowercase();
    if NOT_A_DATE.iter().any(|w| lower.contains(w)) {
        return None;
    }
    let line = FoldedLine::new(text);
    let mut named = LABELS
        .iter()
        .filter_map(|(name, words)| Some((*name, spelt(&line, words)?)));
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
                && v.height <= MAX_VALUE_HEIGHT * l.height
        }
        _ => index == label_index + 1,
    }
}

/// The one text field `text` labels, if it labels exactly one and no date, with the byte offset
/// where its last label word ends.
pub(super) fn text_label_of(text: &str) -> Option<(&'static str, usize)> {
    if date_label_of(text).is_some() {
        return None;
    }
    text_label_words(text)
}

/// [`text_label_of`] for a line already known to label no date.
fn text_label_words(text: &str) -> Option<(&'static str, usize)> {
    let w = words(text);
    if w.iter()
        .any(|w| NOT_A_TEXT_FIELD.contains(&w.icao.as_str()))
    {
        return None;
    }
    let mut found: Option<(&'static str, usize)> = None;
    for (name, phrases) in TEXT_LABELS {
        for phrase in phrases {
            for at in w.windows(phrase.len()) {
                if at
                    .iter()
                    .zip(phrase.iter())
                    .all(|(w, p)| label_word(&w.icao, p) || label_word(&w.plain, p))
                {
                    let end = at.last().map_or(0, |w| w.end);
                    match found {
                        Some((n, _)) if n != name => return None,
                        Some((_, e)) if e >= end => {}
                        _ => found = Some((name, end)),
                    }
                }
            }
        }
    }
    found
}

/// Whether `word` (folded) reads as label word `label`, with the slips [`allowed_edits`] forgives
/// (`Dacument No.`; none in short words, or `NOM` would be `NOME`).
fn label_word(word: &str, label: &str) -> bool {
    word == label || distance_within(word, label, allowed_edits(label.len())).is_some()
}

/// The sex printed in `text`: `M`, `F` or `X`, alone or repeated per language (`F/F`).
fn sex_in(text: &str) -> Option<String> {
    let mut letters = text.chars().filter(|c| !matches!(c, ' ' | '/' | ':' | '.'));
    let first = letters.next().filter(|c| matches!(c, 'M' | 'F' | 'X'))?;
    (text.chars().count() <= 8 && letters.all(|c| c == first)).then(|| first.to_string())
}

/// The nationality printed in `text`: a three-letter code on ICAO's list (a specimen's `UTO` too:
/// the field says what is printed; codes are policy, judged on the MRZ).
fn nationality_in(text: &str) -> Option<String> {
    let value = text.trim_matches(|c: char| !c.is_alphanumeric());
    let known = classify_country(value.as_bytes()) != CountryClass::Unknown;
    (value.len() == 3 && value.chars().all(|c| c.is_ascii_uppercase()) && known)
        .then(|| value.to_owned())
}

/// The name printed in `text`: letters (with spaces, hyphens and apostrophes between them), in
/// capitals as issuers print names, and not itself a label.
pub(super) fn name_in(text: &str) -> Option<String> {
    let value = text.trim_matches(|c: char| !c.is_alphabetic());
    let letters = value.chars().filter(|c| c.is_alphabetic()).count();
    let capitals = value.chars().filter(|c| c.is_uppercase()).count();
    let name_chars = value
        .chars()
        .all(|c| c.is_alphabetic() || matches!(c, ' ' | '-' | '\'' | '’'));
    (letters >= 2
        && value.chars().count() <= MAX_NAME_CHARS
        && name_chars
        && capitals * 10 >= letters * 9
        && text_label_of(value).is_none())
    .then(|| value.split_whitespace().collect::<Vec<_>>().join(" "))
}

/// The document number printed in `text`: 5 to 15 capitals and digits (spaces between groups
/// dropped), at least one of them a digit, and not a date.
fn number_in(text: &str) -> Option<String> {
    let value: String = text
        .trim_matches(|c: char| !c.is_ascii_alphanumeric())
        .chars()
        .filter(|c| !c.is_whitespace())
        .collect();
    let digits = value.chars().filter(char::is_ascii_digit).count();
    ((5..=15).contains(&value.len())
        && value
            .chars()
            .all(|c| c.is_ascii_uppercase() || c.is_ascii_digit())
        && digits >= 1
        && find_dates(text).is_empty())
    .then_some(value)
}

/// The value of text field `name` in `text` from byte `from` on.
fn text_value(name: &str, text: &str, from: usize) -> Option<String> {
    let rest = text.get(from..)?;
    match name {
        field::DOCUMENT_NUMBER => number_in(rest),
        field::SEX => sex_in(rest),
        field::NATIONALITY => nationality_in(rest),
        _ => name_in(rest),
    }
}

/// A value found by its label.
#[derive(Clone, Debug, PartialEq)]
pub struct Labelled<T> {
    /// The field the label names (see [`field`]).
    pub name: &'static str,
    /// The value printed for it.
    pub value: T,
    /// The line the value was read on (an index into the lines given).
    pub line: usize,
    /// Whether it is the label's own line or the first line under the label (not one further
    /// down, past a line that held no such value).
    pub next: bool,
    /// The OCR's confidence in the label and the value together.
    pub confidence: f64,
}

/// Fields found by their labels (`labels[i]`: the field line `i` names and where its label ends)
/// and `value` (a field's value in a line from a byte offset on), at most one per field: on the
/// label's own line, else the nearest line under it in its column that is no label (`is_label`)
/// and not yet taken.
fn by_labels<T>(
    lines: &[VisualLine],
    labels: &[Option<(&'static str, usize)>],
    is_label: &[bool],
    used: &mut [bool],
    value: impl Fn(&str, &str, usize) -> Option<T>,
) -> Vec<Labelled<T>> {
    let mut out: Vec<Labelled<T>> = Vec::new();
    for (i, line) in lines.iter().enumerate() {
        let Some(&Some((name, end))) = labels.get(i) else {
            continue;
        };
        if out.iter().any(|f| f.name == name) {
            continue;
        }
        let below = |v: &VisualLine| v.place.map_or(0.0, |p| p.down);
        let under: Vec<(usize, &VisualLine)> = lines
            .iter()
            .enumerate()
            .filter(|(j, v)| {
                *j != i
                    && !used.get(*j).copied().unwrap_or(true)
                    && !is_label.get(*j).copied().unwrap_or(true)
                    && stands_under(line, v, i, *j)
            })
            .collect();
        let first_under = under
            .iter()
            .min_by(|a, b| below(a.1).total_cmp(&below(b.1)))
            .map(|(j, _)| *j);
        let inline = value(name, &line.text, end).map(|v| (v, i));
        let found = inline.or_else(|| {
            under
                .iter()
                .filter_map(|&(j, v)| Some((value(name, &v.text, 0)?, j, v)))
                .min_by(|a, b| below(a.2).total_cmp(&below(b.2)))
                .map(|(v, j, _)| (v, j))
        });
        let Some((found, j)) = found else {
            continue;
        };
        if let Some(u) = used.get_mut(j) {
            *u = true;
        }
        let confidence = line.confidence * lines.get(j).map_or(0.0, |v| v.confidence);
        out.push(Labelled {
            name,
            value: found,
            line: j,
            next: j == i || Some(j) == first_under,
            confidence: confidence.clamp(0.0, 1.0),
        });
    }
    out
}

/// The dates (read by `date`, from a byte offset on) and text fields the page's labels name.
fn by_all_labels<D>(
    lines: &[VisualLine],
    date: impl Fn(&str, usize) -> Option<D>,
) -> (Vec<Labelled<D>>, Vec<Labelled<String>>) {
    // Each line's labels, found once: the search for values asks of every line.
    let dates: Vec<_> = lines.iter().map(|l| date_label_of(&l.text)).collect();
    let texts: Vec<_> = lines
        .iter()
        .zip(&dates)
        .map(|(l, date)| date.is_none().then(|| text_label_words(&l.text)).flatten())
        .collect();
    let is_label: Vec<bool> = dates
        .iter()
        .zip(&texts)
        .map(|(d, t)| d.is_some() || t.is_some())
        .collect();
    let mut used = vec![false; lines.len()];
    let found_dates = by_labels(lines, &dates, &is_label, &mut used, |_, text, from| {
        date(text, from)
    });
    let found_texts = by_labels(lines, &texts, &is_label, &mut used, text_value);
    (found_dates, found_texts)
}

/// The fields the page's labels name, as visual fields (confidence: the OCR's for the label and
/// the value together), at most one per field: birth, issue and expiry dates, surname, given names,
/// document number, sex and nationality.
pub fn labelled_fields(lines: &[VisualLine]) -> Vec<DocumentField> {
    let (dates, texts) = by_all_labels(lines, date_in);
    let field = |name: &str, value: String, confidence: f64| DocumentField {
        name: name.to_owned(),
        value,
        confidence,
        source: FieldSource::Visual,
    };
    dates
        .into_iter()
        .map(|d| field(d.name, d.value.to_string(), d.confidence))
        .chain(
            texts
                .into_iter()
                .map(|t| field(t.name, t.value, t.confidence)),
        )
        .collect()
}

/// What the page's labels name, as printed: dates with the year as printed (two digits kept: an
/// MRZ's date says which century), and the text fields. For comparing with an MRZ, where a value
/// under its label is evidence of what the page prints for that field.
pub fn printed_by_labels(
    lines: &[VisualLine],
) -> (Vec<Labelled<PrintedDate>>, Vec<Labelled<String>>) {
    by_all_labels(lines, printed_date_in)
}

/// The one date printed in `text` from byte `from` on, the year as printed, when it reads one way
/// only (as [`date_in`], a two-digit year allowed).
fn printed_date_in(text: &str, from: usize) -> Option<PrintedDate> {
    let found: Vec<_> = find_dates(text)
        .into_iter()
        .filter(|d| d.start >= from)
        .collect();
    let first = *found.first()?;
    let readings: Vec<_> = found.iter().filter(|d| d.start == first.start).collect();
    match readings.as_slice() {
        [one] => Some(**one),
        [a, b] if (a.day, a.month) == (b.day, b.month) => Some(**a),
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
            [a, b].into_iter().find(|d| d.day == leading).map(|d| **d)
        }
        _ => None,
    }
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
        let f = labelled_fields(&lines);
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
        let f = labelled_fields(&lines);
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
        assert!(labelled_fields(&lines).is_empty());
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
        let f = labelled_fields(&lines);
        assert_eq!(value(&f, field::BIRTH_DATE), Some("1985-03-12"));
        assert_eq!(value(&f, field::EXPIRY_DATE), None);
    }

    #[test]
    fn names_and_number_under_their_labels_and_inline() {
        // The generator's card front: labels over values, English and French on one label.
        let lines = [
            at("Surname / Nom", 320.0, 100.0),
            at("LINDQVIST", 338.0, 120.0),
            at("Given names / Prénoms", 340.0, 156.0),
            at("BJÖRN ERIK", 317.0, 176.0),
            at("Date of birth", 330.0, 212.0),
            at("10.09.1985", 340.0, 232.0),
            at("Sex", 530.0, 212.0),
            at("M", 529.0, 232.0),
            at("Nationality", 668.0, 212.0),
            at("ESP", 658.0, 232.0),
            // One OCR slip in a long label word is forgiven.
            at("Dacument No.", 330.0, 268.0),
            at("19PC TW7CH", 334.0, 288.0),
        ];
        let f = labelled_fields(&lines);
        assert_eq!(value(&f, field::SURNAME), Some("LINDQVIST"));
        assert_eq!(value(&f, field::GIVEN_NAMES), Some("BJÖRN ERIK"));
        assert_eq!(value(&f, field::DOCUMENT_NUMBER), Some("19PCTW7CH"));
        assert_eq!(value(&f, field::BIRTH_DATE), Some("1985-09-10"));
        assert_eq!(value(&f, field::SEX), Some("M"));
        assert_eq!(value(&f, field::NATIONALITY), Some("ESP"));
        assert_eq!(f.len(), 6, "{f:?}");
        // On the label's own line, in other languages.
        let lines = [
            at("Apellidos: GARCÍA LÓPEZ", 200.0, 50.0),
            at("Nombre: ANA", 200.0, 80.0),
            at("Passport No. X1234567", 200.0, 110.0),
        ];
        let f = labelled_fields(&lines);
        assert_eq!(value(&f, field::SURNAME), Some("GARCÍA LÓPEZ"));
        assert_eq!(value(&f, field::GIVEN_NAMES), Some("ANA"));
        assert_eq!(value(&f, field::DOCUMENT_NUMBER), Some("X1234567"));
    }

    #[test]
    fn other_people_s_names_other_numbers_and_non_values_are_left_out() {
        let lines = [
            // Parents' names (the Romanian card), not the holder's.
            at("Prenume parinti/Noms des parents", 300.0, 100.0),
            at("IOAN PAULINA", 280.0, 120.0),
            // Another number.
            at("Personal No. / N° personnel", 300.0, 160.0),
            at("19850910-1234", 280.0, 180.0),
            // Mixed case under a name label is more label text, not a name.
            at("Surname", 300.0, 220.0),
            at("Nom de famille", 300.0, 240.0),
            // A date is no document number; neither is a word without digits.
            at("Document No.", 300.0, 300.0),
            at("12.03.2020", 300.0, 320.0),
            at("Card No.", 300.0, 360.0),
            at("SPECIMEN", 300.0, 380.0),
            // A header naming two fields names neither.
            at("Surname / Given names", 300.0, 420.0),
            at("DOE JOHN", 300.0, 440.0),
            // Not a sex, not a state's code.
            at("Sex", 300.0, 500.0),
            at("MF", 300.0, 520.0),
            at("Nationality", 300.0, 560.0),
            at("QQQ", 300.0, 580.0),
        ];
        let f = labelled_fields(&lines);
        assert!(f.is_empty(), "{f:?}");
    }

    proptest::proptest! {
        #![proptest_config(proptest::prelude::ProptestConfig::with_cases(64))]
        #[test]
        fn any_page_reads_without_panic_and_values_keep_their_shape(
            page in proptest::collection::vec(
                (
                    proptest::prop_oneof![
                        proptest::string::string_regex("(Surname|Nom|Sex|Nationality|Document No\\.|Date of (birth|issue|expiry)|[A-Z]{1,12}|[0-9. ]{1,12}|.{0,40})").unwrap(),
                        ".{0,80}",
                    ],
                    proptest::num::f64::ANY,
                    proptest::num::f64::ANY,
                ),
                0..16,
            )
        ) {
            let lines: Vec<VisualLine> = page
                .iter()
                .map(|(text, along, down)| at(text, *along, *down))
                .collect();
            for f in labelled_fields(&lines) {
                let shaped = match f.name.as_str() {
                    field::DOCUMENT_NUMBER => number_in(&f.value).as_deref() == Some(f.value.as_str()),
                    field::SEX => sex_in(&f.value).as_deref() == Some(f.value.as_str()),
                    field::NATIONALITY => nationality_in(&f.value).is_some(),
                    field::SURNAME | field::GIVEN_NAMES => !f.value.is_empty(),
                    _ => f.value.parse::<Date>().is_ok(),
                };
                proptest::prop_assert!(shaped, "{f:?}");
                proptest::prop_assert!((0.0..=1.0).contains(&f.confidence));
            }
        }
    }
}
