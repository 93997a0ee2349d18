//! `document.visual_mrz_match`: each MRZ field looked for in the visual zone's text, and the share
//! found held to a threshold. A field the page prints differently from its MRZ (a retyped name, a
//! changed digit) is not found; so is one the OCR could not read, which is why the threshold
//! forgives a little.

use jiff::civil::Date;
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

use super::VisualLine;
use super::dates::find_dates;
use super::labelled::name_in;
use super::printed::{Place, Printed};
use super::text::{compact, confusion_class, find_phrase, words};
use crate::check::CheckResult;
use crate::check::catalogue::document as catalogue;
pub use crate::check::catalogue::document::MIN_MATCHED_SHARE;
use crate::document::{DocumentData, DocumentField, FieldSource, field};

/// The check's id in results.
pub const CHECK_ID: &str = catalogue::VISUAL_MRZ_MATCH.id;

/// The MRZ fields compared: those every data page prints in its visual zone as well. Sex and
/// nationality are single letters and codes that match too easily by chance to be evidence.
pub const COMPARED: [&str; 5] = [
    field::SURNAME,
    field::GIVEN_NAMES,
    field::DOCUMENT_NUMBER,
    field::BIRTH_DATE,
    field::EXPIRY_DATE,
];

/// One MRZ field compared with the visual zone.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "snake_case", deny_unknown_fields)]
pub struct FieldComparison {
    /// Field name (see [`field`]).
    pub name: String,
    /// The value the MRZ holds (dates as `YYYY-MM-DD`).
    pub mrz_value: String,
    /// The text the visual zone prints for it, as read, when found.
    pub visual_value: Option<String>,
    /// 0 to 1: the OCR's confidence in the visual text, lowered by the share of letters it had to
    /// be forgiven; 0 when not found.
    pub confidence: f64,
    /// Whether the visual zone prints the MRZ's value.
    pub matched: bool,
}

/// A value found in a line: the text as printed, the confidence and the line's index.
type Found = (String, f64, usize);

fn best_of(found: impl Iterator<Item = Found>) -> Option<Found> {
    found.max_by(|a, b| a.1.total_cmp(&b.1))
}

/// `value` looked for in `lines`, but not in line `except` (where a field of the same value was
/// found: a surname and given names both `SPECIMEN` must be printed twice).
fn find_name(lines: &[VisualLine], value: &str, except: Option<usize>) -> Option<Found> {
    let target = compact(value);
    let target_words = value.split([' ', '<']).filter(|w| !w.is_empty()).count();
    let letters = |t: &str| t.chars().filter(|c| c.is_alphabetic()).count();
    lines
        .iter()
        .enumerate()
        .filter(|(i, _)| Some(*i) != except)
        .filter_map(|(i, l)| {
            let w = words(&l.text);
            let (start, end, edits) = find_phrase(&l.text, &w, &target, target_words.max(1))?;
            let printed = l.text.get(start..end)?.to_owned();
            let penalty = edits as f64 / target.len().max(1) as f64;
            // A line that is the name alone (the name's field) before one that holds it among
            // other words (a birth name's, a signature's).
            let alone = letters(&printed) * 5 >= letters(&l.text) * 4;
            Some((alone, (printed, l.confidence * (1.0 - penalty), i)))
        })
        .max_by(|a, b| a.0.cmp(&b.0).then(a.1.1.total_cmp(&b.1.1)))
        .map(|(_, found)| found)
}

/// Whether `printed` (a name as a page prints it) is `value` (as the MRZ spells it), through the
/// OCR's slips; a page may print more names than its MRZ has room for.
pub(super) fn name_is(printed: &str, value: &str) -> bool {
    let target = compact(value);
    let target_words = value.split([' ', '<']).filter(|w| !w.is_empty()).count();
    find_phrase(printed, &words(printed), &target, target_words.max(1)).is_some()
}

/// Places of the MRZ's document number field.
const MRZ_NUMBER_PLACES: usize = 9;

/// Words that label a number inside its printed form.
const NUMBER_LABELS: [&str; 3] = ["NR", "NO", "N"];

fn find_number(lines: &[VisualLine], value: &str) -> Option<Found> {
    let canonical = |s: &str| -> String { s.chars().map(confusion_class).collect() };
    let target = canonical(&compact(value));
    if target.is_empty() {
        return None;
    }
    best_of(lines.iter().enumerate().filter_map(|(i, l)| {
        let w = words(&l.text);
        // Numbers are printed in groups (`C01X 00T4 7`), some with a label between a series and
        // the number (`SERIA HD NR 198025`): up to four words joined, such labels skipped.
        (0..w.len()).find_map(|first| {
            let mut joined = String::new();
            for k in first..(first + 4).min(w.len()) {
                let word = &w.get(k)?.icao;
                if k > first && NUMBER_LABELS.contains(&word.as_str()) {
                    continue;
                }
                joined.push_str(word);
                if joined.len() >= target.len() {
                    let printed = canonical(&joined);
                    // A number longer than the MRZ's nine places keeps its first nine there (ICAO
                    // 9303: the rest goes to the optional data), so the printed form may run on.
                    let overflow =
                        target.len() == MRZ_NUMBER_PLACES && printed.starts_with(&target);
                    if printed != target && !overflow {
                        return None;
                    }
                    let printed = l.text.get(w.get(first)?.start..w.get(k)?.end)?;
                    return Some((printed.to_owned(), l.confidence, i));
                }
            }
            None
        })
    }))
}

/// Whether `printed` (a number as a page prints it) is `value`, through the OCR's confusions.
pub(super) fn number_is(printed: &str, value: &str) -> bool {
    let line = VisualLine {
        text: printed.to_owned(),
        confidence: 1.0,
        place: None,
    };
    find_number(std::slice::from_ref(&line), value).is_some()
}

fn find_date(lines: &[VisualLine], date: Date) -> Option<Found> {
    best_of(lines.iter().enumerate().filter_map(|(i, l)| {
        let d = find_dates(&l.text).into_iter().find(|d| d.is(date))?;
        Some((l.text.get(d.start..d.end)?.to_owned(), l.confidence, i))
    }))
}

/// A comparison with the line its value was found on (an index into the lines compared).
pub type Located = (FieldComparison, Option<usize>);

/// Each of the [`COMPARED`] fields the MRZ gave (in `mrz`, the MRZ's document data) looked for in
/// the visual zone's `lines`.
pub fn compare(mrz: &DocumentData, lines: &[VisualLine]) -> Vec<FieldComparison> {
    compare_located(mrz, lines)
        .into_iter()
        .map(|(c, _)| c)
        .collect()
}

/// [`compare`], with the line each value was found on.
pub fn compare_located(mrz: &DocumentData, lines: &[VisualLine]) -> Vec<Located> {
    let mut out: Vec<Located> = Vec::new();
    for name in COMPARED {
        let Some(value) = mrz
            .fields
            .iter()
            .find(|f| f.name == name && f.source == FieldSource::Mrz)
            .map(|f| f.value.clone())
        else {
            continue;
        };
        let found = match name {
            field::SURNAME | field::GIVEN_NAMES => {
                // The line of a name of the same value already found is not found again.
                let except = out
                    .iter()
                    .find(|(c, _)| {
                        c.name != name
                            && matches!(c.name.as_str(), field::SURNAME | field::GIVEN_NAMES)
                            && compact(&c.mrz_value) == compact(&value)
                    })
                    .and_then(|(_, line)| *line);
                find_name(lines, &value, except)
            }
            field::DOCUMENT_NUMBER => find_number(lines, &value),
            _ => value.parse::<Date>().ok().and_then(|d| find_date(lines, d)),
        };
        out.push((
            FieldComparison {
                name: name.to_owned(),
                matched: found.is_some(),
                confidence: found.as_ref().map_or(0.0, |f| f.1.clamp(0.0, 1.0)),
                visual_value: found.as_ref().map(|f| f.0.clone()),
                mrz_value: value,
            },
            found.map(|f| f.2),
        ));
    }
    out
}

/// The fields the visual zone confirmed, as document fields read from it: names as printed
/// (diacritics kept), dates as `YYYY-MM-DD` and the number as the MRZ has it (the printed forms are
/// in the comparisons). Each is held just below the MRZ field it confirms (`mrz`), so that
/// [`DocumentData::field`] keeps answering with the MRZ's spelling, which history keys and
/// same-document checks compare across captures.
pub fn visual_fields(mrz: &DocumentData, comparisons: &[FieldComparison]) -> Vec<DocumentField> {
    comparisons
        .iter()
        .filter(|c| c.matched)
        .filter_map(|c| {
            let printed = c.visual_value.as_ref()?;
            let value = match c.name.as_str() {
                field::SURNAME | field::GIVEN_NAMES => printed.to_uppercase(),
                _ => c.mrz_value.clone(),
            };
            let ceiling = mrz.field(&c.name).map_or(1.0, |f| f.confidence);
            Some(DocumentField {
                name: c.name.clone(),
                value,
                confidence: c.confidence.min(ceiling * 0.99),
                source: FieldSource::Visual,
            })
        })
        .collect()
}

/// The evidence: unavailable without an MRZ to compare with (`mrz_read` false), without any
/// visual text (`lines_read` 0) or when none of the fields is printed where it could be compared;
/// otherwise the share of the fields the page prints that agree with the MRZ, held to
/// [`MIN_MATCHED_SHARE`]. A field the page prints is one found with the MRZ's value, or one
/// `printed` (see [`super::printed`]) shows in its place with another value: that field
/// contradicts the MRZ and names the reason. A value under the field's label contradicts even
/// when the MRZ's value is printed elsewhere (a signature, a second name line); a name's slot or
/// a date's day and month only when the MRZ's value is nowhere. A field neither found nor placed
/// (a card that does not print the birth date, a line the OCR missed) counts neither way and is
/// listed.
pub fn check(
    mrz_read: bool,
    lines_read: usize,
    comparisons: &[FieldComparison],
    printed: &[Printed],
) -> CheckResult {
    let row = &catalogue::VISUAL_MRZ_MATCH;
    if !mrz_read {
        return row.unavailable(
            catalogue::VISUAL_NO_MRZ,
            "no MRZ was read to compare the visual zone with",
        );
    }
    if lines_read == 0 || comparisons.is_empty() {
        return row.unavailable(
            catalogue::VISUAL_NO_TEXT,
            "no text was read outside the MRZ",
        );
    }
    let mut matched = 0usize;
    let mut contradicted: Vec<(&FieldComparison, &Printed)> = Vec::new();
    let mut not_found: Vec<&str> = Vec::new();
    for c in comparisons {
        let other = printed
            .iter()
            .find(|p| p.name == c.name && !p.is(&c.mrz_value));
        // Numbers: a label may head a personal number as well; only a number found nowhere is
        // contradicted by its label. A name's slot overrides a name found only in small letters
        // (a signature).
        let overrides = |p: &Printed| {
            !c.matched
                || (p.place == Place::Label && c.name != field::DOCUMENT_NUMBER)
                || (p.place == Place::NameSlot
                    && c.visual_value.as_deref().and_then(name_in).is_none())
        };
        match other {
            Some(p) if overrides(p) => contradicted.push((c, p)),
            _ if c.matched => matched += 1,
            _ => not_found.push(c.name.as_str()),
        }
    }
    if matched == 0 {
        // A retyped field leaves the others in place; nothing at all in common means the images
        // show no visual zone to compare (the back of a card) or one the OCR could not read.
        return row.unavailable(
            catalogue::VISUAL_NO_FIELDS,
            format!("none of the MRZ's fields found in the {lines_read} lines read outside it"),
        );
    }
    let compared = matched + contradicted.len();
    let mut detail = format!(
        "{matched} of the {compared} MRZ fields the visual zone prints agree ({lines_read} lines read)"
    );
    for (c, p) in &contradicted {
        detail.push_str(&format!(
            "; {} printed as {} {}, the MRZ has {}",
            c.name,
            p.shown(),
            p.place.describe(),
            c.mrz_value
        ));
    }
    if !not_found.is_empty() {
        detail.push_str(&format!("; not found: {}", not_found.join(", ")));
    }
    // The first field printed otherwise names the reason; without one, the plain mismatch.
    let score = matched as f64 / compared as f64;
    match contradicted.first() {
        Some((first, _)) => row.scored_failing_as(score, mismatch_reason(&first.name), detail),
        None => row.scored(score, detail),
    }
}

/// The reason a page printing `field` otherwise than its MRZ fails under.
fn mismatch_reason(name: &str) -> &'static str {
    match name {
        field::SURNAME => catalogue::MISMATCH_SURNAME,
        field::GIVEN_NAMES => catalogue::MISMATCH_GIVEN_NAMES,
        field::DOCUMENT_NUMBER => catalogue::MISMATCH_DOCUMENT_NUMBER,
        field::BIRTH_DATE => catalogue::MISMATCH_BIRTH_DATE,
        field::EXPIRY_DATE => catalogue::MISMATCH_EXPIRY_DATE,
        // Only the COMPARED fields are compared.
        _ => catalogue::MISMATCH,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::check::CheckOutcome;
    use crate::document::mrz;
    use crate::document::ocr::analyzer::document_data;
    use crate::document::visual::printed::Value;

    fn lines(texts: &[&str]) -> Vec<VisualLine> {
        texts
            .iter()
            .map(|t| VisualLine {
                text: (*t).to_owned(),
                confidence: 0.95,
                place: None,
            })
            .collect()
    }

    fn eriksson() -> DocumentData {
        let m = mrz::parse(
            &[
                "P<UTOERIKSSON<<ANNA<MARIA<<<<<<<<<<<<<<<<<<<",
                "L898902C36UTO7408122F1204159ZE184226B<<<<<10",
            ],
            jiff::civil::date(2010, 6, 1),
        )
        .unwrap();
        document_data(&m, 0.95)
    }

    #[test]
    fn a_genuine_page_matches_every_field_with_labels_kept_out() {
        let page = lines(&[
            "PASSPORT",
            "Surname/Nom",
            "ERIKSSON",
            "Given names / Prénoms ANNA MARIA",
            "L898902C3",
            "12 AUG/AOUT 74",
            "15 APR/AVR 12",
            "UTOPIAN",
        ]);
        let c = compare(&eriksson(), &page);
        assert_eq!(c.len(), 5);
        assert!(c.iter().all(|c| c.matched), "{c:#?}");
        let given = c.iter().find(|c| c.name == field::GIVEN_NAMES).unwrap();
        assert_eq!(given.visual_value.as_deref(), Some("ANNA MARIA"));
        let birth = c.iter().find(|c| c.name == field::BIRTH_DATE).unwrap();
        assert_eq!(birth.visual_value.as_deref(), Some("12 AUG/AOUT 74"));
        let r = check(true, page.len(), &c, &[]);
        assert_eq!(r.outcome, CheckOutcome::Passed);
        assert_eq!(r.reason_code, "document.visual_mrz_match.consistent");
        let fields = visual_fields(&eriksson(), &c);
        assert_eq!(fields.len(), 5);
        assert!(fields.iter().all(|f| f.source == FieldSource::Visual));
        assert!(fields.iter().any(|f| f.value == "1974-08-12"));
    }

    #[test]
    fn ocr_confusions_in_the_number_are_forgiven_and_a_changed_field_fails() {
        let page = lines(&[
            "ERIKSS0N",
            "ANNA MARIA",
            "L8989O2 C3",
            "12.08.1974",
            "1 2 APR 2012",
        ]);
        let series = lines(&["SERIA L89 NR 8902C3"]);
        assert!(compare(&eriksson(), &series)[2].matched);
        let c = compare(&eriksson(), &page);
        let number = c.iter().find(|c| c.name == field::DOCUMENT_NUMBER).unwrap();
        assert_eq!(number.visual_value.as_deref(), Some("L8989O2 C3"));
        let expiry = c.iter().find(|c| c.name == field::EXPIRY_DATE).unwrap();
        assert!(!expiry.matched);
        // The expiry date's label heads another date: the page contradicts its MRZ.
        let labelled = [Printed {
            name: field::EXPIRY_DATE,
            value: Value::Date(find_dates("15.04.2013")[0]),
            place: Place::Label,
        }];
        let r = check(true, page.len(), &c, &labelled);
        assert_eq!(r.outcome, CheckOutcome::Failed);
        assert_eq!(r.score, Some(0.8));
        assert_eq!(
            r.reason_code,
            "document.visual_mrz_match.mismatch.expiry_date"
        );
        assert!(
            r.message.contains("expiry_date printed as 2013-04-15"),
            "{}",
            r.message
        );
        // No label heads it either: the date is not found, which counts neither way (a card that
        // does not print it), and is listed.
        let r = check(true, page.len(), &c, &[]);
        assert_eq!(r.outcome, CheckOutcome::Passed, "{r:?}");
        assert_eq!(r.score, Some(1.0));
        assert!(
            r.message.contains("not found: expiry_date"),
            "{}",
            r.message
        );
        // A retyped given name.
        let edited = lines(&[
            "ERIKSSON",
            "ELENA",
            "L898902C3",
            "12 AUG 1974",
            "15 APR 2012",
        ]);
        let c = compare(&eriksson(), &edited);
        assert!(
            !c.iter()
                .find(|c| c.name == field::GIVEN_NAMES)
                .unwrap()
                .matched
        );
        let elena = Printed {
            name: field::GIVEN_NAMES,
            value: Value::Text("ELENA".into()),
            place: Place::Label,
        };
        let r = check(true, 5, &c, &[elena]);
        assert_eq!(
            r.reason_code,
            "document.visual_mrz_match.mismatch.given_names"
        );
    }

    #[test]
    fn a_number_longer_than_the_mrz_field_runs_on_past_its_nine_places() {
        // The MRZ keeps the first nine places of a longer number (a US visa: `555123ABC` printed
        // `555123ABC12`); a shorter field's number must still match whole.
        let page = lines(&["L898902C312"]);
        assert!(compare(&eriksson(), &page)[2].matched);
        let page = lines(&["L898902C"]);
        assert!(!compare(&eriksson(), &page)[2].matched);
    }

    #[test]
    fn without_mrz_or_visual_text_the_check_is_unavailable() {
        assert_eq!(check(false, 3, &[], &[]).outcome, CheckOutcome::Unavailable);
        let back = lines(&["REPUBLIC OF UTOPIA", "Signature"]);
        let r = check(true, back.len(), &compare(&eriksson(), &back), &[]);
        assert_eq!(r.reason_code, "document.visual_mrz_match.no_visual_fields");
        let r = check(true, 0, &compare(&eriksson(), &[]), &[]);
        assert_eq!(r.reason_code, "document.visual_mrz_match.no_visual_text");
        assert_eq!(r.outcome, CheckOutcome::Unavailable);
    }

    #[test]
    fn garbage_lines_never_panic_and_match_nothing() {
        let junk = "\u{0}é<<>>//..--".repeat(100);
        let page = lines(&["", "<<<<<<<<", junk.as_str(), "99/99/9999", "日本国"]);
        let c = compare(&eriksson(), &page);
        assert!(c.iter().all(|c| !c.matched));
    }
}
