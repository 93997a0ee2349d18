//! How close a person is to one listed name, and why.
//!
//! **Name parts.** Each part of the query's name is compared with each part of the listed name:
//! the same folded spelling is `exact` (1.0); the same phonetic key (`translit::key`: Ivanoff and
//! Iwanow, Yuri and Jurij) is `transliteration` ([`SIM_TRANSLITERATION`]); a single letter
//! against a part it begins is `initial` ([`SIM_INITIAL`]); otherwise the normalised
//! Damerau-Levenshtein similarity of the keys (or the spellings, whichever is higher) is `fuzzy`
//! when it reaches [`FUZZY_MIN`] (one slip in a six-letter part scores 0.83). Parts are then
//! assigned one to one, best pair first, in any order (`IVANOV, Ivan` is `Ivan Ivanov`).
//!
//! **Name score.** The matched pairs' similarities, weighted by the parts' lengths (an initial
//! weighs [`INITIAL_WEIGHT`]), over the matched weight plus the unmatched parts' weight.
//! Unmatched parts on both sides stand against each other (`Ivan Petrovich Sidorov` is not
//! `Ivan Petrovich Smirnov`) and cost their whole weight; a part left over on one side only is
//! missing (a middle name, a patronymic) and costs [`MISSING_PART_WEIGHT`] of its length when
//! at least two full parts matched, all of it otherwise.
//!
//! **Disambiguators.** A birth date on both sides adjusts the name score: the same day raises it
//! ([`BIRTH_EXACT`]), a list's year or month that agrees raises it less ([`BIRTH_PARTIAL`]), the
//! same year with another day lowers it a little ([`BIRTH_SAME_YEAR`]), a year one off lowers it
//! ([`BIRTH_YEAR_NEAR`]) and any other year lowers it a lot ([`BIRTH_OTHER_YEAR`]); of several
//! listed dates the most favourable counts. A nationality on both sides raises
//! ([`NATIONALITY_SAME`]) or lowers ([`NATIONALITY_OTHER`]) it. Absent data changes nothing.
//! The score is clamped to 0..=1; the threshold it is held to is the check catalogue's.

use jiff::civil::Date;
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

use super::list::{Entity, PartialDate};
use super::normalise::Token;

/// Similarity of two parts with one phonetic key and different spellings.
pub const SIM_TRANSLITERATION: f64 = 0.95;
/// Similarity of an initial and a part it begins.
pub const SIM_INITIAL: f64 = 0.9;
/// Lowest fuzzy similarity that still pairs two parts.
pub const FUZZY_MIN: f64 = 0.7;
/// Weight of an initial.
pub const INITIAL_WEIGHT: f64 = 1.0;
/// Share of its weight an unmatched part costs once two full parts have matched.
pub const MISSING_PART_WEIGHT: f64 = 0.15;
/// Same birth date.
pub const BIRTH_EXACT: f64 = 0.05;
/// A listed year, or year and month, that agrees.
pub const BIRTH_PARTIAL: f64 = 0.02;
/// Same year, another month or day.
pub const BIRTH_SAME_YEAR: f64 = -0.05;
/// A year one off.
pub const BIRTH_YEAR_NEAR: f64 = -0.15;
/// Any other year.
pub const BIRTH_OTHER_YEAR: f64 = -0.3;
/// A shared nationality.
pub const NATIONALITY_SAME: f64 = 0.02;
/// No shared nationality.
pub const NATIONALITY_OTHER: f64 = -0.05;

/// How one name part met another.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum PartHow {
    /// The same folded spelling.
    Exact,
    /// Another spelling of the same sounds (the same phonetic key).
    Transliteration,
    /// Close spellings (a typo, a dropped or doubled letter).
    Fuzzy,
    /// An initial and a part it begins.
    Initial,
    /// A query part the listed name lacks.
    MissingInList,
    /// A listed part the query lacks.
    MissingInQuery,
}

/// One part of the query and the listed part it was matched to.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "snake_case", deny_unknown_fields)]
pub struct PartMatch {
    /// The query's part, folded; none for a listed part the query lacks.
    pub query: Option<String>,
    /// The listed part, folded; none for a query part the list lacks.
    pub list: Option<String>,
    /// How they met.
    pub how: PartHow,
    /// Their similarity, 0 to 1.
    pub similarity: f64,
}

/// How the birth dates compared.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum BirthHow {
    /// The same day.
    Exact,
    /// The list gives a year (or year and month) that agrees.
    Partial,
    /// The same year, another month or day.
    SameYear,
    /// A year one off.
    YearNear,
    /// Another year.
    OtherYear,
    /// One side has no birth date.
    Absent,
}

/// How the nationalities compared.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum NationalityHow {
    /// A nationality in common.
    Same,
    /// None in common.
    Other,
    /// One side has none.
    Absent,
}

/// Why a listed person scored as they did.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "snake_case", deny_unknown_fields)]
pub struct Explanation {
    /// The names' score before the disambiguators.
    pub name_score: f64,
    /// Each part, matched or missing.
    pub parts: Vec<PartMatch>,
    /// How the birth dates compared.
    pub birth_date: BirthHow,
    /// What that added to the score.
    pub birth_date_adjustment: f64,
    /// How the nationalities compared.
    pub nationality: NationalityHow,
    /// What that added to the score.
    pub nationality_adjustment: f64,
}

/// A name part as compared: its folded spelling and key.
#[derive(Clone, Copy, Debug)]
pub struct Part<'a> {
    /// Folded spelling.
    pub folded: &'a str,
    /// Phonetic key.
    pub key: &'a str,
}

impl<'a> From<&'a Token> for Part<'a> {
    fn from(t: &'a Token) -> Self {
        Self {
            folded: &t.folded,
            key: &t.key,
        }
    }
}

impl Part<'_> {
    fn is_initial(&self) -> bool {
        self.folded.len() == 1
    }

    fn weight(&self) -> f64 {
        if self.is_initial() {
            INITIAL_WEIGHT
        } else {
            // Lengths are bounded by normalise::MAX_TOKEN_BYTES.
            self.folded.len().min(12) as f64
        }
    }
}

/// How two parts compare, if they pair at all.
pub fn similarity(q: Part<'_>, l: Part<'_>) -> Option<(f64, PartHow)> {
    if q.folded == l.folded {
        return Some((1.0, PartHow::Exact));
    }
    if q.is_initial() || l.is_initial() {
        let (short, long) = if q.is_initial() { (q, l) } else { (l, q) };
        return (long.folded.starts_with(short.folded) && !long.is_initial())
            .then_some((SIM_INITIAL, PartHow::Initial));
    }
    if q.key == l.key {
        return Some((SIM_TRANSLITERATION, PartHow::Transliteration));
    }
    let by_key = strsim::normalized_damerau_levenshtein(q.key, l.key);
    let by_spelling = strsim::normalized_damerau_levenshtein(q.folded, l.folded);
    let s = by_key.max(by_spelling);
    // A fuzzy pair never scores as high as a transliteration.
    (s >= FUZZY_MIN).then_some((s.min(SIM_TRANSLITERATION - 0.01), PartHow::Fuzzy))
}

/// The name score of `query` against `list`, with the parts' explanation.
pub fn name_score(query: &[Part<'_>], list: &[Part<'_>]) -> (f64, Vec<PartMatch>) {
    name_score_with(query, list, true)
}

/// The name score alone, without the explanation's allocations (for ranking candidates).
pub fn name_score_only(query: &[Part<'_>], list: &[Part<'_>]) -> f64 {
    name_score_with(query, list, false).0
}

fn name_score_with(query: &[Part<'_>], list: &[Part<'_>], explain: bool) -> (f64, Vec<PartMatch>) {
    let max = super::normalise::MAX_TOKENS;
    let query = query.get(..query.len().min(max)).unwrap_or_default();
    let list = list.get(..list.len().min(max)).unwrap_or_default();
    let mut pairs: Vec<(f64, PartHow, usize, usize)> = Vec::with_capacity(query.len() * list.len());
    for (i, q) in query.iter().enumerate() {
        for (j, l) in list.iter().enumerate() {
            if let Some((s, how)) = similarity(*q, *l) {
                pairs.push((s, how, i, j));
            }
        }
    }
    // Best pair first; among equals, the heavier parts, then the earlier ones (stable order).
    pairs.sort_by(|a, b| {
        let wa = query[a.2].weight() + list[a.3].weight();
        let wb = query[b.2].weight() + list[b.3].weight();
        b.0.total_cmp(&a.0)
            .then(wb.total_cmp(&wa))
            .then((a.2, a.3).cmp(&(b.2, b.3)))
    });
    let mut q_used = [false; super::normalise::MAX_TOKENS];
    let mut l_used = [false; super::normalise::MAX_TOKENS];
    let mut parts = Vec::with_capacity(query.len().max(list.len()));
    let (mut num, mut den) = (0.0, 0.0);
    let mut full = 0;
    for (s, how, i, j) in pairs {
        if q_used.get(i).copied().unwrap_or(true) || l_used.get(j).copied().unwrap_or(true) {
            continue;
        }
        q_used[i] = true;
        l_used[j] = true;
        let w = (query[i].weight() + list[j].weight()) / 2.0;
        num += s * w;
        den += w;
        if how != PartHow::Initial {
            full += 1;
        }
        if !explain {
            continue;
        }
        parts.push((
            i,
            PartMatch {
                query: Some(query[i].folded.to_owned()),
                list: Some(list[j].folded.to_owned()),
                how,
                similarity: round4(s),
            },
        ));
    }
    // Unmatched parts on both sides stand against each other (another surname, another given
    // name): they cost their whole weight, the heaviest first. Parts left over on one side only
    // are missing (a middle name, a patronymic): they cost MISSING_PART_WEIGHT of it once two
    // full parts matched, all of it otherwise.
    let share = if full >= 2 { MISSING_PART_WEIGHT } else { 1.0 };
    let mut q_left: Vec<usize> = (0..query.len()).filter(|&i| !q_used[i]).collect();
    let mut l_left: Vec<usize> = (0..list.len()).filter(|&j| !l_used[j]).collect();
    q_left.sort_by(|&a, &b| {
        query[b]
            .weight()
            .total_cmp(&query[a].weight())
            .then(a.cmp(&b))
    });
    l_left.sort_by(|&a, &b| {
        list[b]
            .weight()
            .total_cmp(&list[a].weight())
            .then(a.cmp(&b))
    });
    let conflicts = q_left.len().min(l_left.len());
    for (k, &i) in q_left.iter().enumerate() {
        let q = &query[i];
        den += if k < conflicts { 1.0 } else { share } * q.weight();
        if !explain {
            continue;
        }
        parts.push((
            i,
            PartMatch {
                query: Some(q.folded.to_owned()),
                list: None,
                how: PartHow::MissingInList,
                similarity: 0.0,
            },
        ));
    }
    // Query order first, then the listed parts the query lacks.
    parts.sort_by_key(|(i, _)| *i);
    let mut parts: Vec<PartMatch> = parts.into_iter().map(|(_, p)| p).collect();
    let mut l_conflict = [false; super::normalise::MAX_TOKENS];
    for &j in l_left.iter().take(conflicts) {
        l_conflict[j] = true;
    }
    for (j, l) in list.iter().enumerate() {
        if !l_used[j] {
            let conflicting = l_conflict[j];
            den += if conflicting { 1.0 } else { share } * l.weight();
            if !explain {
                continue;
            }
            parts.push(PartMatch {
                query: None,
                list: Some(l.folded.to_owned()),
                how: PartHow::MissingInQuery,
                similarity: 0.0,
            });
        }
    }
    let score = if den > 0.0 { num / den } else { 0.0 };
    (score, parts)
}

/// The birth-date adjustment: the most favourable of the listed dates.
pub fn birth(query: Option<Date>, listed: &[PartialDate]) -> (BirthHow, f64) {
    let Some(q) = query else {
        return (BirthHow::Absent, 0.0);
    };
    let q = PartialDate::from_date(q);
    let judge = |l: &PartialDate| -> (BirthHow, f64) {
        let years = (i32::from(l.year) - i32::from(q.year)).abs();
        match (years, l.month, l.day) {
            (0, Some(m), Some(d)) if Some(m) == q.month && Some(d) == q.day => {
                (BirthHow::Exact, BIRTH_EXACT)
            }
            (0, None, _) => (BirthHow::Partial, BIRTH_PARTIAL),
            (0, Some(m), None) if Some(m) == q.month => (BirthHow::Partial, BIRTH_PARTIAL),
            (0, _, _) => (BirthHow::SameYear, BIRTH_SAME_YEAR),
            (1, _, _) => (BirthHow::YearNear, BIRTH_YEAR_NEAR),
            _ => (BirthHow::OtherYear, BIRTH_OTHER_YEAR),
        }
    };
    listed
        .iter()
        .map(judge)
        .max_by(|a, b| a.1.total_cmp(&b.1))
        .unwrap_or((BirthHow::Absent, 0.0))
}

/// The nationality adjustment.
pub fn nationality(query: Option<&str>, listed: &[String]) -> (NationalityHow, f64) {
    match query {
        Some(q) if !listed.is_empty() => {
            if listed.iter().any(|l| l == q) {
                (NationalityHow::Same, NATIONALITY_SAME)
            } else {
                (NationalityHow::Other, NATIONALITY_OTHER)
            }
        }
        _ => (NationalityHow::Absent, 0.0),
    }
}

/// Rounded to four decimals, so results read well and compare byte for byte.
pub fn round4(x: f64) -> f64 {
    (x * 10_000.0).round() / 10_000.0
}

/// The whole score without the explanation (for ranking candidates).
pub fn score_only(
    query: &[Part<'_>],
    birth_date: Option<Date>,
    nationality_code: Option<&str>,
    list: &[Part<'_>],
    entity: &Entity,
) -> f64 {
    let name = name_score_only(query, list);
    let (_, birth_adj) = birth(birth_date, &entity.birth_dates);
    let (_, nat_adj) = nationality(nationality_code, &entity.nationalities);
    round4((name + birth_adj + nat_adj).clamp(0.0, 1.0))
}

/// The whole score of a person (`birth_date`, `nationality` as an alpha-2 code) against one
/// listed name of `entity`.
pub fn score(
    query: &[Part<'_>],
    birth_date: Option<Date>,
    nationality_code: Option<&str>,
    list: &[Part<'_>],
    entity: &Entity,
) -> (f64, Explanation) {
    let (name, parts) = name_score(query, list);
    let (birth_how, birth_adj) = birth(birth_date, &entity.birth_dates);
    let (nat_how, nat_adj) = nationality(nationality_code, &entity.nationalities);
    let total = round4((name + birth_adj + nat_adj).clamp(0.0, 1.0));
    (
        total,
        Explanation {
            name_score: round4(name),
            parts,
            birth_date: birth_how,
            birth_date_adjustment: birth_adj,
            nationality: nat_how,
            nationality_adjustment: nat_adj,
        },
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::aml::normalise::tokens;

    fn name(a: &str, b: &str) -> (f64, Vec<PartMatch>) {
        let (qa, lb) = (tokens(a), tokens(b));
        let q: Vec<Part> = qa.iter().map(Part::from).collect();
        let l: Vec<Part> = lb.iter().map(Part::from).collect();
        name_score(&q, &l)
    }

    #[test]
    fn order_transliteration_initials_and_missing_middle_names() {
        assert_eq!(name("IVANOV, Ivan", "Ivan Ivanov").0, 1.0);
        let (s, parts) = name("Iwan Iwanow", "Иван Иванов");
        assert!((s - SIM_TRANSLITERATION).abs() < 1e-9, "{s}");
        assert!(parts.iter().all(|p| p.how == PartHow::Transliteration));
        let (s, parts) = name("I. Ivanov", "Ivan Ivanov");
        assert!(s > 0.95, "{s}");
        assert_eq!(parts[0].how, PartHow::Initial);
        let (s, parts) = name("Ivan Ivanov", "Ivan Petrovich Ivanov");
        assert!(s > 0.85, "{s}");
        assert_eq!(parts.last().unwrap().how, PartHow::MissingInQuery);
        let (s, parts) = name("Ivan Ivamov", "Ivan Ivanov");
        assert!(s > 0.85, "{s}");
        assert_eq!(parts[1].how, PartHow::Fuzzy);
    }

    #[test]
    fn other_people_score_low() {
        assert!(name("Ivan Petrov", "Ivan Sidorov").0 < 0.5);
        assert!(name("Anna Smith", "Ivan Ivanov").0 == 0.0);
        assert!(name("J. Smith", "Ivan Ivanov").0 == 0.0);
    }

    #[test]
    fn birth_dates_and_nationalities_disambiguate() {
        let d = |t: &str| PartialDate::parse_iso(t).unwrap();
        let day = jiff::civil::date(1961, 3, 5);
        assert_eq!(birth(Some(day), &[d("1961-03-05")]).0, BirthHow::Exact);
        assert_eq!(birth(Some(day), &[d("1961")]).0, BirthHow::Partial);
        assert_eq!(birth(Some(day), &[d("1961-04")]).0, BirthHow::SameYear);
        assert_eq!(birth(Some(day), &[d("1962-03-05")]).0, BirthHow::YearNear);
        assert_eq!(
            birth(Some(day), &[d("1970"), d("1961-03-05")]).0,
            BirthHow::Exact
        );
        assert_eq!(birth(Some(day), &[d("1975")]).0, BirthHow::OtherYear);
        assert_eq!(birth(None, &[d("1975")]).0, BirthHow::Absent);
        assert_eq!(birth(Some(day), &[]).0, BirthHow::Absent);
        assert_eq!(
            nationality(Some("ru"), &["ru".into()]).0,
            NationalityHow::Same
        );
        assert_eq!(
            nationality(Some("ru"), &["ua".into()]).0,
            NationalityHow::Other
        );
        assert_eq!(nationality(None, &["ua".into()]).0, NationalityHow::Absent);
    }
}
