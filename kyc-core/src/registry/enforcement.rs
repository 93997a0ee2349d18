//! Enforcement proceedings (an FSSP-style registry): is there an open enforcement proceeding
//! against a person, looked up by full name and birth date, as the Russian bailiffs' public
//! database is searched.
//!
//! [`EnforcementRegistry`] is the seam: a host's adapter to the real service implements it (over
//! its own HTTP client, queue or batch export). [`EnforcementList`] is the offline reference
//! implementation over a file of proceedings (`surname,given_names,birth_date,proceeding,opened,
//! closed,subject`), bounded before it allocates; through [`RegistrySource`] its answer is
//! `listed` (`registry.enforcement_proceedings`) when the person has an open proceeding, `clear`
//! otherwise, and unavailable when the document gave no name or birth date to look up. Names
//! compare upper-cased, `Ё` as `Е`, punctuation and spacing ignored (the database's own rule).

use std::collections::HashMap;
use std::io::Read;

use jiff::civil::Date;

use super::{RegistryAnswer, RegistryError, RegistryQuery, RegistrySource};

/// The source name under which answers are recorded.
pub const SOURCE: &str = "fssp.enforcement_proceedings";

/// Largest file [`EnforcementList::from_csv`] reads.
pub const MAX_BYTES: u64 = 256 << 20;
/// Most rows it reads.
pub const MAX_ROWS: u64 = 2_000_000;
/// Longest field it keeps, in bytes.
const MAX_FIELD_BYTES: usize = 512;

/// One enforcement proceeding.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Proceeding {
    /// The proceeding's number, e.g. `12345/26/77001-ИП`.
    pub number: String,
    /// When it was opened.
    pub opened: Date,
    /// When it was closed, if it was.
    pub closed: Option<Date>,
    /// What it enforces (a tax, a fine, a loan, alimony ...).
    pub subject: String,
}

impl Proceeding {
    /// Open on `day`: opened by then and not closed before it.
    pub fn open_on(&self, day: Date) -> bool {
        self.opened <= day && self.closed.is_none_or(|c| c > day)
    }
}

/// Whom to look up.
#[derive(Clone, PartialEq, Eq)]
pub struct Person {
    /// Surname.
    pub surname: String,
    /// Given names (with the patronymic, as the document gives them).
    pub given_names: String,
    /// Birth date.
    pub birth_date: Date,
}

impl std::fmt::Debug for Person {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        // Personal data.
        f.write_str("Person(***)")
    }
}

/// A registry of enforcement proceedings.
pub trait EnforcementRegistry: Send + Sync {
    /// Every proceeding (open or closed) recorded against `person`.
    fn proceedings(&self, person: &Person) -> Result<Vec<Proceeding>, RegistryError>;
}

/// Enforcement proceedings held in memory, read from a file.
#[derive(Default)]
pub struct EnforcementList {
    by_person: HashMap<(String, Date), Vec<Proceeding>>,
    /// The day proceedings are judged open on.
    today: Option<Date>,
}

impl std::fmt::Debug for EnforcementList {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "EnforcementList({} people)", self.by_person.len())
    }
}

/// The key a name compares under: upper case, `Ё` as `Е`, words joined by one space.
fn name_key(surname: &str, given_names: &str) -> String {
    format!("{surname} {given_names}")
        .split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty())
        .map(|w| w.to_uppercase().replace('Ё', "Е"))
        .collect::<Vec<_>>()
        .join(" ")
}

impl EnforcementList {
    /// Reads `surname,given_names,birth_date,proceeding,opened,closed,subject` rows (the header
    /// row is required; `closed` may be empty), at most [`MAX_BYTES`] and [`MAX_ROWS`].
    pub fn from_csv<R: Read>(reader: R) -> Result<Self, RegistryError> {
        let mut csv = csv::ReaderBuilder::new()
            .has_headers(true)
            .flexible(false)
            .from_reader(reader.take(MAX_BYTES + 1));
        let headers = csv.headers()?.clone();
        let want = [
            "surname",
            "given_names",
            "birth_date",
            "proceeding",
            "opened",
            "closed",
            "subject",
        ];
        if headers.iter().ne(want) {
            return Err(RegistryError::Io(format!(
                "the header must be `{}`",
                want.join(",")
            )));
        }
        let mut by_person: HashMap<(String, Date), Vec<Proceeding>> = HashMap::new();
        let mut record = csv::StringRecord::new();
        let mut rows = 0u64;
        while csv.read_record(&mut record)? {
            if csv.position().byte() > MAX_BYTES {
                return Err(RegistryError::Io(format!("more than {MAX_BYTES} bytes")));
            }
            rows += 1;
            if rows > MAX_ROWS {
                return Err(RegistryError::TooManyRows(MAX_ROWS));
            }
            let field = |i: usize| -> Result<&str, RegistryError> {
                let v = record.get(i).unwrap_or("").trim();
                if v.len() > MAX_FIELD_BYTES {
                    return Err(RegistryError::Io(format!(
                        "row {rows}: field over {MAX_FIELD_BYTES} bytes"
                    )));
                }
                Ok(v)
            };
            let date = |text: &str| -> Result<Date, RegistryError> {
                text.parse()
                    .map_err(|_| RegistryError::Io(format!("row {rows}: `{text}` is not a date")))
            };
            let key = name_key(field(0)?, field(1)?);
            if key.is_empty() {
                return Err(RegistryError::Io(format!("row {rows}: no name")));
            }
            let closed = match field(5)? {
                "" => None,
                text => Some(date(text)?),
            };
            by_person
                .entry((key, date(field(2)?)?))
                .or_default()
                .push(Proceeding {
                    number: field(3)?.to_owned(),
                    opened: date(field(4)?)?,
                    closed,
                    subject: field(6)?.to_owned(),
                });
        }
        Ok(Self {
            by_person,
            today: None,
        })
    }

    /// Judges proceedings open on `today` (the host's clock; without it, a proceeding is open
    /// unless it has a closing date).
    #[must_use]
    pub fn as_of(mut self, today: Date) -> Self {
        self.today = Some(today);
        self
    }

    /// People with at least one proceeding.
    pub fn len(&self) -> usize {
        self.by_person.len()
    }

    /// True when the list holds nobody.
    pub fn is_empty(&self) -> bool {
        self.by_person.is_empty()
    }

    fn is_open(&self, p: &Proceeding) -> bool {
        match self.today {
            Some(day) => p.open_on(day),
            None => p.closed.is_none(),
        }
    }
}

impl EnforcementRegistry for EnforcementList {
    fn proceedings(&self, person: &Person) -> Result<Vec<Proceeding>, RegistryError> {
        let key = (
            name_key(&person.surname, &person.given_names),
            person.birth_date,
        );
        Ok(self.by_person.get(&key).cloned().unwrap_or_default())
    }
}

impl RegistrySource for EnforcementList {
    fn source(&self) -> &str {
        SOURCE
    }

    fn check(&self, query: &RegistryQuery) -> Result<RegistryAnswer, RegistryError> {
        let surname = query
            .surname
            .as_deref()
            .filter(|s| !s.trim().is_empty())
            .ok_or(RegistryError::MissingInput("surname"))?;
        let birth_date = query
            .birth_date
            .as_deref()
            .and_then(|d| d.parse::<Date>().ok())
            .ok_or(RegistryError::MissingInput("birth date"))?;
        let person = Person {
            surname: surname.to_owned(),
            given_names: query.given_names.clone().unwrap_or_default(),
            birth_date,
        };
        let open = self.proceedings(&person)?.iter().any(|p| self.is_open(p));
        Ok(if open {
            RegistryAnswer::Listed {
                reason_code: "registry.enforcement_proceedings".to_owned(),
            }
        } else {
            RegistryAnswer::Clear
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const CSV: &str = "surname,given_names,birth_date,proceeding,opened,closed,subject\n\
        ТЕСТОВА,АННА ПЕТРОВНА,1988-02-16,100/26/77001-ИП,2026-03-01,,налог\n\
        ТЕСТОВА,АННА ПЕТРОВНА,1988-02-16,90/25/77001-ИП,2025-01-10,2025-06-01,штраф\n\
        ЁЛКИН,ИВАН,1970-05-05,7/24/50002-ИП,2024-04-04,2024-09-09,кредит\n";

    fn query(surname: &str, given: &str, birth: &str) -> RegistryQuery {
        RegistryQuery {
            source: SOURCE.to_owned(),
            session_id: "s".to_owned(),
            document_type: None,
            issuing_state: None,
            document_number: None,
            surname: Some(surname.to_owned()),
            given_names: Some(given.to_owned()),
            birth_date: Some(birth.to_owned()),
        }
    }

    #[test]
    fn an_open_proceeding_lists_the_person_and_closed_ones_do_not() {
        let list = EnforcementList::from_csv(CSV.as_bytes()).unwrap();
        assert_eq!(list.len(), 2);
        assert!(matches!(
            list.check(&query("Тестова", "Анна  Петровна", "1988-02-16"))
                .unwrap(),
            RegistryAnswer::Listed { .. }
        ));
        // Only a closed proceeding: clear; Ё compares as Е.
        assert_eq!(
            list.check(&query("ЕЛКИН", "ИВАН", "1970-05-05")).unwrap(),
            RegistryAnswer::Clear
        );
        // Same name, other birth date: another person.
        assert_eq!(
            list.check(&query("ТЕСТОВА", "АННА ПЕТРОВНА", "1988-02-17"))
                .unwrap(),
            RegistryAnswer::Clear
        );
        // Judged on a day before the open proceeding began: clear.
        let earlier = EnforcementList::from_csv(CSV.as_bytes())
            .unwrap()
            .as_of(jiff::civil::date(2025, 12, 31));
        assert_eq!(
            earlier
                .check(&query("ТЕСТОВА", "АННА ПЕТРОВНА", "1988-02-16"))
                .unwrap(),
            RegistryAnswer::Clear
        );
    }

    #[test]
    fn missing_input_and_bad_files_are_errors_not_passes() {
        let list = EnforcementList::from_csv(CSV.as_bytes()).unwrap();
        let mut q = query("ТЕСТОВА", "АННА", "1988-02-16");
        q.birth_date = None;
        assert_eq!(list.check(&q).unwrap_err().code(), "registry.missing_input");
        q = query("", "АННА", "1988-02-16");
        assert_eq!(list.check(&q).unwrap_err().code(), "registry.missing_input");
        for bad in [
            "name,birth\nx,1\n",
            "surname,given_names,birth_date,proceeding,opened,closed,subject\nA,B,not-a-date,1,2026-01-01,,x\n",
            "surname,given_names,birth_date,proceeding,opened,closed,subject\nA,B,2000-01-01,1\n",
        ] {
            assert!(EnforcementList::from_csv(bad.as_bytes()).is_err(), "{bad}");
        }
        assert_eq!(format!("{:?}", query_person()), "Person(***)");
    }

    fn query_person() -> Person {
        Person {
            surname: "ТЕСТОВА".into(),
            given_names: "АННА".into(),
            birth_date: jiff::civil::date(1988, 2, 16),
        }
    }
}
