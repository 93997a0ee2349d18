//! What a page prints in the place of each field the cross-check compares, whatever the MRZ holds:
//! the evidence that a field the MRZ's value was not found for is printed otherwise (a retyped name
//! or date), and not merely unread. Three places, strongest first:
//!
//! - under the field's label (`Surname/Nom`, `Date of birth`), dates with the year as printed
//!   (`12 AUG/AOUT 65`: the MRZ's date says the century);
//! - for a name not found, the name printed in its slot beside the other one: given names on the
//!   line under the surname, the surname over the given names (ICAO 9303's order), flush with it;
//! - for a date not found, a date printed with its day and month but another year that cannot be
//!   the issue date (a birth year or expiry year changed, the commonest edit of a date).
//!
//! A value that is another compared field's (a label's value taken from the next field's line) is
//! no evidence either way and is left out.

use jiff::civil::Date;

use super::VisualLine;
use super::cross_check::{FieldComparison, Located, name_is, number_is};
use super::dates::{PrintedDate, PrintedYear, find_dates};
use super::labelled::{date_label_of, name_in, printed_by_labels, text_label_of};
use super::text::compact;
use crate::document::field;

/// Where a printed value was found.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Place {
    /// Under (or after) the field's label.
    Label,
    /// In the slot beside the other name: under the surname, over the given names.
    NameSlot,
    /// A date printed with the MRZ date's day and month in another year.
    DayAndMonth,
}

impl Place {
    /// How the place reads in a message.
    pub fn describe(self) -> &'static str {
        match self {
            Self::Label => "under its label",
            Self::NameSlot => "in the name's place beside the other name",
            Self::DayAndMonth => "with the same day and month",
        }
    }
}

/// A value as printed.
#[derive(Clone, Debug, PartialEq)]
pub enum Value {
    /// A name or number.
    Text(String),
    /// A date, the year as printed.
    Date(PrintedDate),
}

/// What the page prints in a field's place.
#[derive(Clone, Debug, PartialEq)]
pub struct Printed {
    /// The field (see [`field`]).
    pub name: &'static str,
    /// The value.
    pub value: Value,
    /// Where it was found.
    pub place: Place,
}

impl Printed {
    /// Whether the printed value is `mrz_value` (as the MRZ holds it; dates as `YYYY-MM-DD`),
    /// through the OCR's slips.
    pub fn is(&self, mrz_value: &str) -> bool {
        match (&self.value, self.name) {
            (Value::Date(d), _) => mrz_value.parse::<Date>().is_ok_and(|m| d.is(m)),
            (Value::Text(t), field::DOCUMENT_NUMBER) => number_is(t, mrz_value),
            (Value::Text(t), _) => name_is(t, mrz_value),
        }
    }

    /// The value as a message shows it.
    pub fn shown(&self) -> String {
        match &self.value {
            Value::Text(t) => t.clone(),
            Value::Date(d) => match d.year {
                PrintedYear::Full(y) => format!("{y:04}-{:02}-{:02}", d.month, d.day),
                PrintedYear::Short(y) => format!("{:02}-{:02} of '{y:02}", d.day, d.month),
            },
        }
    }
}

/// How far from the other name a name's slot may be, in that name's line heights: the next
/// value line (a label between them), not the field after.
const MAX_SLOT_LINES: f64 = 2.5;

/// How far left or right of the other name a name's slot may start, in its line heights.
const MAX_SLOT_SHIFT: f64 = 2.0;

/// How much taller or smaller than the other name a name's slot may be printed (a specimen
/// overprint or small print is no name's slot).
const MAX_SLOT_HEIGHT: f64 = 2.0;

/// The OCR confidence a line needs to be read as a name's slot (lower ones are small print and
/// decoration misread).
const MIN_SLOT_CONFIDENCE: f64 = 0.8;

/// The longest a document may be valid, for telling a date from the issue date: 15 years and a
/// few weeks (ICAO 9303 leaves it to issuers; identity cards of 15 years exist).
const MAX_VALIDITY_DAYS: i32 = 15 * 366 + 60;

/// The OCR confidence a line needs for its date to be held against the MRZ's.
const MIN_DATE_CONFIDENCE: f64 = 0.8;

/// What the page prints in the place of each compared field (`compared`: the comparisons with the
/// line each value was found on).
pub fn printed(lines: &[VisualLine], compared: &[Located]) -> Vec<Printed> {
    let (dates, texts) = printed_by_labels(lines);
    // A value further under its label than the first line there is weaker (the first line held
    // none the OCR could read as one): it stands for the field only where the MRZ's is not found.
    let found = |name: &str| compared.iter().any(|(c, _)| c.name == name && c.matched);
    let place = |next: bool, name: &str| {
        if next || !found(name) {
            Some(Place::Label)
        } else {
            None
        }
    };
    let mut out: Vec<Printed> = dates
        .into_iter()
        .filter_map(|d| {
            Some(Printed {
                name: d.name,
                place: place(d.next, d.name)?,
                value: Value::Date(d.value),
            })
        })
        .chain(texts.into_iter().filter_map(|t| {
            Some(Printed {
                name: t.name,
                place: place(t.next, t.name)?,
                value: Value::Text(t.value),
            })
        }))
        .filter(|p| compared.iter().any(|(c, _)| c.name == p.name))
        .collect();
    let labelled = |out: &[Printed], name: &str| out.iter().any(|p| p.name == name);
    let same_names = {
        let value = |name: &str| {
            compared
                .iter()
                .find(|(c, _)| c.name == name)
                .map(|(c, _)| compact(&c.mrz_value))
        };
        value(field::SURNAME).is_some() && value(field::SURNAME) == value(field::GIVEN_NAMES)
    };
    let direction = |d: f64| if same_names { 0.0 } else { d };
    // A name found only in small letters (a signature, a label) is weaker than its slot.
    let unconfirmed = |c: &FieldComparison| {
        !c.matched
            || (matches!(c.name.as_str(), field::SURNAME | field::GIVEN_NAMES)
                && c.visual_value.as_deref().and_then(name_in).is_none())
    };
    for (c, _) in compared.iter().filter(|(c, _)| unconfirmed(c)) {
        if labelled(&out, &c.name) {
            continue;
        }
        let found = match c.name.as_str() {
            field::SURNAME => name_slot(lines, compared, field::GIVEN_NAMES, direction(-1.0))
                .map(|v| (field::SURNAME, v)),
            field::GIVEN_NAMES => name_slot(lines, compared, field::SURNAME, direction(1.0))
                .map(|v| (field::GIVEN_NAMES, v)),
            field::BIRTH_DATE if !c.matched => {
                same_day_and_month(lines, compared, &c.mrz_value).map(|v| (field::BIRTH_DATE, v))
            }
            field::EXPIRY_DATE if !c.matched => {
                same_day_and_month(lines, compared, &c.mrz_value).map(|v| (field::EXPIRY_DATE, v))
            }
            _ => None,
        };
        if let Some((name, (value, place))) = found {
            out.push(Printed { name, value, place });
        }
    }
    // A value that is another field's says nothing of this one.
    out.retain(|p| {
        !compared
            .iter()
            .any(|(c, _)| c.name != p.name && is_same_kind(&c.name, p.name) && p.is(&c.mrz_value))
    });
    out
}

/// Whether two fields hold the same kind of value (names, dates).
fn is_same_kind(a: &str, b: &str) -> bool {
    let kind = |n: &str| match n {
        field::SURNAME | field::GIVEN_NAMES => 0,
        field::BIRTH_DATE | field::EXPIRY_DATE => 1,
        _ => 2,
    };
    kind(a) == kind(b)
}

/// The share of its line's letters a name must fill to anchor a slot: a name line, not a name
/// inside other text (`MAY LIN` under `Also known as`).
const MIN_ANCHOR_SHARE: f64 = 0.8;

/// The name printed in the slot beside `other` (a name found on the page, alone on its line in
/// capitals): the nearest line under it (`direction` 1), over it (-1) or either (0, the two names
/// being the same, so which was found is not known), flush with it, that is no label and was read
/// with confidence; `None` unless that line is a name.
fn name_slot(
    lines: &[VisualLine],
    compared: &[Located],
    other: &str,
    direction: f64,
) -> Option<(Value, Place)> {
    let (found, anchor_index) = compared
        .iter()
        .find(|(c, _)| c.name == other && c.matched)
        .and_then(|(c, line)| Some((c.visual_value.as_deref()?, (*line)?)))?;
    let anchor = lines.get(anchor_index)?;
    let letters = |t: &str| t.chars().filter(|c| c.is_alphabetic()).count() as f64;
    if name_in(found).is_none() || letters(found) < MIN_ANCHOR_SHARE * letters(&anchor.text) {
        return None;
    }
    let a = anchor.place?;
    let left = |p: &super::LinePlace| p.along - p.width / 2.0;
    let slot = lines
        .iter()
        .enumerate()
        .filter(|(j, l)| {
            *j != anchor_index
                && l.confidence >= MIN_SLOT_CONFIDENCE
                && !in_small_letters(&l.text)
                && date_label_of(&l.text).is_none()
                && text_label_of(&l.text).is_none()
        })
        .filter_map(|(_, l)| {
            let p = l.place?;
            let offset = if direction == 0.0 {
                (p.down - a.down).abs()
            } else {
                (p.down - a.down) * direction
            };
            (offset > a.height / 2.0
                && offset <= MAX_SLOT_LINES * a.height
                && p.height <= MAX_SLOT_HEIGHT * a.height
                && p.height * MAX_SLOT_HEIGHT >= a.height
                && (left(&p) - left(&a)).abs() <= MAX_SLOT_SHIFT * a.height)
                .then_some((offset, l))
        })
        .min_by(|x, y| x.0.total_cmp(&y.0))?;
    let name = name_in(&slot.1.text)?;
    Some((Value::Text(name), Place::NameSlot))
}

/// Whether most of `text`'s letters are small: a label's print (`Gvn nms/Prnms` misread), not a
/// value's capitals.
fn in_small_letters(text: &str) -> bool {
    let letters = text.chars().filter(|c| c.is_alphabetic()).count();
    let small = text.chars().filter(|c| c.is_lowercase()).count();
    small * 2 > letters
}

/// A date printed with `mrz_value`'s day and month in another year, read with confidence, that
/// cannot be the issue date (on or before the MRZ's expiry date, within the longest validity).
fn same_day_and_month(
    lines: &[VisualLine],
    compared: &[Located],
    mrz_value: &str,
) -> Option<(Value, Place)> {
    let date: Date = mrz_value.parse().ok()?;
    let expiry: Option<Date> = compared
        .iter()
        .find(|(c, _)| c.name == field::EXPIRY_DATE)
        .and_then(|(c, _)| c.mrz_value.parse().ok());
    let could_be_issue = |d: &PrintedDate| -> bool {
        let Some(expiry) = expiry else {
            return true;
        };
        let year = match d.year {
            PrintedYear::Full(y) => y,
            // The latest year with these two digits not after the expiry's.
            PrintedYear::Short(y) => {
                let y = i16::from(y);
                let century = expiry.year() - expiry.year().rem_euclid(100);
                if century + y <= expiry.year() {
                    century + y
                } else {
                    century - 100 + y
                }
            }
        };
        let Ok(issued) = Date::new(year, d.month, d.day) else {
            return false;
        };
        issued <= expiry
            && expiry
                .since(issued)
                .is_ok_and(|span| span.get_days() <= MAX_VALIDITY_DAYS)
    };
    lines
        .iter()
        .filter(|l| l.confidence >= MIN_DATE_CONFIDENCE)
        .flat_map(|l| find_dates(&l.text))
        .find(|d| {
            d.day == date.day() && d.month == date.month() && !d.is(date) && !could_be_issue(d)
        })
        .map(|d| (Value::Date(d), Place::DayAndMonth))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::check::CheckOutcome;
    use crate::document::mrz;
    use crate::document::ocr::analyzer::document_data;
    use crate::document::visual::LinePlace;
    use crate::document::visual::cross_check::{check, compare_located};

    /// A line at `(left, down)`, 20 px high, read with confidence 0.99.
    fn at(text: &str, left: f64, down: f64) -> VisualLine {
        let width = 12.0 * text.chars().count() as f64;
        VisualLine {
            text: text.to_owned(),
            confidence: 0.99,
            place: Some(LinePlace {
                along: left + width / 2.0,
                down,
                width,
                height: 20.0,
            }),
        }
    }

    fn eriksson() -> crate::document::DocumentData {
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

    /// The ICAO specimen's data page, with `replace` applied to its lines.
    fn page(replace: &[(&str, &str)]) -> Vec<VisualLine> {
        let lines = [
            ("PASSPORT", 20.0, 20.0),
            ("L898902C3", 300.0, 50.0),
            ("Surname/Nom", 100.0, 60.0),
            ("ERIKSSON", 100.0, 80.0),
            ("Given names/Prénoms", 100.0, 100.0),
            ("ANNA MARIA", 100.0, 120.0),
            ("Nationality", 100.0, 140.0),
            ("UTOPIAN", 100.0, 160.0),
            ("Date of birth", 100.0, 180.0),
            ("12 AUG/AOUT 74", 100.0, 200.0),
            ("Date of issue", 100.0, 220.0),
            ("16 APR/AVR 07", 100.0, 240.0),
            ("Date of expiry", 100.0, 260.0),
            ("15 APR/AVR 12", 100.0, 280.0),
            ("Anna Maria Eriksson", 300.0, 300.0),
        ];
        lines
            .iter()
            .map(|(t, l, d)| {
                let text = replace
                    .iter()
                    .find(|(from, _)| from == t)
                    .map_or(*t, |(_, to)| *to);
                at(text, *l, *d)
            })
            .collect()
    }

    fn judge(lines: &[VisualLine]) -> crate::check::CheckResult {
        let located = compare_located(&eriksson(), lines);
        let printed = printed(lines, &located);
        let comparisons: Vec<_> = located.into_iter().map(|(c, _)| c).collect();
        check(true, lines.len(), &comparisons, &printed)
    }

    #[test]
    fn the_genuine_page_agrees_and_the_issue_date_is_no_evidence() {
        let r = judge(&page(&[]));
        assert_eq!(r.outcome, CheckOutcome::Passed, "{}", r.message);
        assert_eq!(r.score, Some(1.0));
        // The issue date shares the expiry's day and month, ten years earlier: it may be the
        // issue date, so an unread expiry date stays unread, not contradicted.
        let lines = page(&[("16 APR/AVR 07", "15 APR/AVR 02"), ("15 APR/AVR 12", "")]);
        let r = judge(&lines);
        assert_eq!(r.outcome, CheckOutcome::Passed, "{}", r.message);
        assert!(
            r.message.contains("not found: expiry_date"),
            "{}",
            r.message
        );
    }

    #[test]
    fn a_name_retyped_under_its_label_fails_though_the_signature_spells_the_mrz() {
        // Without the label the signature (small letters) would confirm the name.
        let r = judge(&page(&[("ERIKSSON", "JOHANSSON")]));
        assert_eq!(r.outcome, CheckOutcome::Failed);
        assert_eq!(r.reason_code, "document.visual_mrz_match.mismatch.surname");
        assert!(
            r.message.contains("JOHANSSON under its label"),
            "{}",
            r.message
        );
        let r = judge(&page(&[("ANNA MARIA", "ELENA MARIA")]));
        assert_eq!(
            r.reason_code,
            "document.visual_mrz_match.mismatch.given_names"
        );
    }

    #[test]
    fn a_name_retyped_where_its_label_is_unread_fails_by_its_slot() {
        // The given names' label misread: the line under the surname is the given names' place.
        let r = judge(&page(&[
            ("Given names/Prénoms", "Gvn nms/Prnms"),
            ("ANNA MARIA", "ELENA MARIA"),
        ]));
        assert_eq!(r.outcome, CheckOutcome::Failed, "{}", r.message);
        assert!(
            r.message.contains("ELENA MARIA in the name's place"),
            "{}",
            r.message
        );
        // The surname's label misread: the line over the given names is the surname's place.
        let r = judge(&page(&[
            ("Surname/Nom", "Srnm/Nm"),
            ("ERIKSSON", "LARSSON"),
        ]));
        assert_eq!(r.reason_code, "document.visual_mrz_match.mismatch.surname");
        // A line the OCR missed: the slot holds the nationality's label, which names nothing, so the
        // given names stay unread rather than contradicted by the nationality.
        let r = judge(&page(&[
            ("Given names/Prénoms", "Gvn nms/Prnms"),
            ("ANNA MARIA", ""),
            ("Anna Maria Eriksson", ""),
        ]));
        assert_eq!(r.outcome, CheckOutcome::Passed, "{}", r.message);
    }

    #[test]
    fn a_changed_year_fails_by_its_label_or_its_day_and_month() {
        // Under its label, the two-digit year read against the MRZ's.
        let r = judge(&page(&[("12 AUG/AOUT 74", "12 AUG/AOUT 65")]));
        assert_eq!(
            r.reason_code,
            "document.visual_mrz_match.mismatch.birth_date"
        );
        assert!(r.message.contains("12-08 of '65"), "{}", r.message);
        // Without a label: the same day and month in another year cannot be the issue date.
        let r = judge(&page(&[
            ("Date of birth", "Dt f brh"),
            ("12 AUG/AOUT 74", "12 AUG/AOUT 65"),
        ]));
        assert_eq!(
            r.reason_code,
            "document.visual_mrz_match.mismatch.birth_date"
        );
        assert!(r.message.contains("same day and month"), "{}", r.message);
        // An expiry moved later than the MRZ's cannot be the issue date either.
        let r = judge(&page(&[
            ("Date of expiry", "Dt f xpry"),
            ("15 APR/AVR 12", "15 APR/AVR 17"),
        ]));
        assert_eq!(
            r.reason_code,
            "document.visual_mrz_match.mismatch.expiry_date"
        );
    }

    #[test]
    fn two_names_of_one_value_must_be_printed_twice() {
        let m = mrz::parse(
            &[
                "P<HRVSPECIMEN<<SPECIMEN<<<<<<<<<<<<<<<<<<<<<",
                "0070070071HRV8212258F1407019<<<<<<<<<<<<<<06",
            ],
            jiff::civil::date(2010, 6, 1),
        )
        .unwrap();
        let data = document_data(&m, 0.95);
        let lines = |given: &str| {
            vec![
                at("SPECIMEN", 100.0, 100.0),
                at(given, 100.0, 130.0),
                at("HRVATSKO", 100.0, 200.0),
                at("25.12.1982.", 100.0, 230.0),
                at("01.07.2014.", 100.0, 290.0),
                at("007007007", 300.0, 60.0),
            ]
        };
        let judge = |lines: &[VisualLine]| {
            let located = compare_located(&data, lines);
            let printed = printed(lines, &located);
            let comparisons: Vec<_> = located.into_iter().map(|(c, _)| c).collect();
            check(true, lines.len(), &comparisons, &printed)
        };
        assert_eq!(judge(&lines("SPECIMEN")).outcome, CheckOutcome::Passed);
        let r = judge(&lines("SPEDIORG"));
        assert_eq!(r.outcome, CheckOutcome::Failed, "{}", r.message);
        assert!(r.message.contains("SPEDIORG"), "{}", r.message);
    }

    #[test]
    fn a_name_read_with_a_small_letter_is_not_overruled_by_a_specimen_overprint() {
        let raw = [
            (30., 29., 202., 39., 1.00, "ČESKÁ REPUBLIKA"),
            (31., 60., 266., 33., 0.97, "OBČANSKÝ PRÜKAZ /IDENTITY CARD"),
            (281., 96., 87., 23., 0.96, "Surname / Nom"),
            (280., 117., 76., 33., 0.99, "ČERNÝ"),
            (281., 153., 129., 25., 0.99, "Given names / Prénoms"),
            (278., 174., 46., 35., 0.61, "JIŘi"),
            (281., 208., 72., 22., 1.00, "Date of birth"),
            (635., 209., 65., 24., 1.00, "Nationality"),
            (515., 209., 29., 23., 1.00, "Sex"),
            (282., 230., 114., 29., 1.00, "12.05.1947"),
            (514., 231., 29., 28., 1.00, "M"),
            (633., 231., 50., 30., 1.00, "CZE"),
            (281., 264., 75., 22., 1.00, "Place of birth"),
            // The card's SPECIMEN overprint, six times a name's height, in the names' column.
            (300., 190., 327., 149., 1.00, "SPECIMEN"),
            (280., 287., 65., 30., 1.00, "BRNO"),
            (514., 321., 83., 26., 1.00, "Date of expiry"),
            (280., 321., 81., 24., 1.00, "Document No."),
            (281., 342., 120., 29., 1.00, "9VNKP63L3"),
            (516., 342., 115., 29., 1.00, "15.12.2033"),
        ];
        let lines: Vec<VisualLine> = raw
            .iter()
            .map(|(l, d, w, h, c, t)| VisualLine {
                text: (*t).into(),
                confidence: *c,
                place: Some(LinePlace {
                    along: l + w / 2.0,
                    down: *d,
                    width: *w,
                    height: *h,
                }),
            })
            .collect();
        let m = mrz::parse(
            &[
                "I<CZE9VNKP63L3765778296<<<<<<<",
                "4705129M3312153CZE<<<<<<<<<<<4",
                "CERNY<<JIRI<<<<<<<<<<<<<<<<<<<",
            ],
            jiff::civil::date(2026, 6, 1),
        )
        .unwrap();
        let data = document_data(&m, 0.95);
        let located = compare_located(&data, &lines);
        let p = printed(&lines, &located);
        let comparisons: Vec<_> = located.into_iter().map(|(c, _)| c).collect();
        // `JIŘi` (the OCR's small `i`) confirms the given names; the overprint is neither their
        // value under the label nor their slot.
        let r = check(true, lines.len(), &comparisons, &p);
        assert_eq!(r.outcome, CheckOutcome::Passed, "{}", r.message);
        assert_eq!(r.score, Some(1.0));
    }
}
