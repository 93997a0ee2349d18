//! One list, indexed by name part, built once: screening a person is a few lookups, never a scan.
//!
//! Every listed name is split into parts (`normalise.rs`); each part's phonetic key
//! (`translit::key`) has a posting list of the names that hold it. Typos reach their part through
//! a deletion index (SymSpell's idea): each key and each folded spelling of four or more letters
//! is also filed under every spelling with one letter deleted, so a query part finds the parts
//! within one insertion, deletion, substitution or swap, of its spelling or of its key, by
//! looking up itself and its own deletions (a typo can break a digraph the key joins, `Clhoe`
//! for `Chloe`, or double a letter the key collapses). The vocabulary is small next to the names
//! (a few per cent of them on the generated lists), so the deletion index costs little.
//!
//! A name is a candidate when it shares, exactly or within one edit, at least two full (not
//! initial) parts with the query, or as many as the shorter of the two has when that is fewer.
//! Only candidates are scored (`score.rs`); the best-scoring name of each person stands for them.

use rustc_hash::FxHashMap;

use super::list::{Entity, ImportStats, ListKind};
use super::normalise::{self, MAX_TOKENS, Token};
use super::score::{self, Explanation, Part};

/// Shortest key filed under its deletions (shorter parts must match their key exactly).
pub const MIN_FUZZY_KEY: usize = 4;

#[derive(Clone, Copy, Debug)]
struct NameRec {
    entity: u32,
    /// Which of the entity's names.
    which: u16,
    start: u32,
    len: u8,
    /// Full (not initial) parts.
    full: u8,
}

/// A listed person that scored against the query.
#[derive(Clone, Debug, PartialEq)]
pub struct Candidate<'a> {
    /// The person.
    pub entity: &'a Entity,
    /// Which of their names scored best.
    pub name: &'a str,
    /// The score, 0 to 1.
    pub score: f64,
    /// Why.
    pub explanation: Explanation,
}

/// Whom to screen: the verified person's names, birth date and nationality.
#[derive(Clone, PartialEq, Eq, Default)]
pub struct Subject {
    /// Full names (given names and surname, in any order); several when the document gives the
    /// name in two scripts.
    pub names: Vec<String>,
    /// Birth date.
    pub birth_date: Option<jiff::civil::Date>,
    /// Nationality as the document gives it (ICAO alpha-3, or alpha-2, or a name).
    pub nationality: Option<String>,
}

impl std::fmt::Debug for Subject {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        // Personal data.
        f.write_str("Subject(***)")
    }
}

/// One list's people and its name index.
pub struct ListIndex {
    name: String,
    entities: Vec<Entity>,
    stats: ImportStats,
    folded: Vec<Box<str>>,
    folded_key: Vec<u32>,
    keys: Vec<Box<str>>,
    key_ids: FxHashMap<Box<str>, u32>,
    folded_ids: FxHashMap<Box<str>, u32>,
    postings: Vec<Vec<u32>>,
    deletes: FxHashMap<Box<str>, Vec<u32>>,
    names: Vec<NameRec>,
    name_parts: Vec<u32>,
    sanctions: bool,
    pep: bool,
}

impl std::fmt::Debug for ListIndex {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("ListIndex")
            .field("name", &self.name)
            .field("entities", &self.entities.len())
            .field("names", &self.names.len())
            .field("keys", &self.keys.len())
            .finish()
    }
}

/// Every spelling of `key` with one symbol deleted.
fn deletions(key: &str) -> impl Iterator<Item = String> + '_ {
    (0..key.len()).filter_map(move |i| {
        let (a, b) = (key.get(..i)?, key.get(i + 1..)?);
        Some(format!("{a}{b}"))
    })
}

impl ListIndex {
    /// Indexes `entities` as the list `name` (a label the results carry, e.g.
    /// `us_ofac_sdn@2026-11-28`), with the import's counts.
    pub fn build(name: &str, entities: Vec<Entity>, stats: ImportStats) -> Self {
        let mut index = Self {
            name: name.to_owned(),
            entities: Vec::new(),
            stats,
            folded: Vec::new(),
            folded_key: Vec::new(),
            keys: Vec::new(),
            key_ids: FxHashMap::default(),
            folded_ids: FxHashMap::default(),
            postings: Vec::new(),
            deletes: FxHashMap::default(),
            names: Vec::new(),
            name_parts: Vec::new(),
            sanctions: entities.iter().any(|e| e.kind == ListKind::Sanctions),
            pep: entities.iter().any(|e| e.kind == ListKind::Pep),
        };
        let mut folded_ids = std::mem::take(&mut index.folded_ids);
        for (e, entity) in entities.iter().enumerate() {
            let Ok(e) = u32::try_from(e) else { break };
            for (which, name) in entity.names.iter().enumerate() {
                let tokens = normalise::tokens(name);
                if tokens.is_empty() {
                    continue;
                }
                let Ok(name_id) = u32::try_from(index.names.len()) else {
                    break;
                };
                let start = u32::try_from(index.name_parts.len()).unwrap_or(u32::MAX);
                let mut full = 0u8;
                for t in &tokens {
                    let fid = match folded_ids.get(t.folded.as_str()) {
                        Some(&id) => id,
                        None => {
                            let kid = index.key_id(&t.key);
                            let id = u32::try_from(index.folded.len()).unwrap_or(u32::MAX);
                            index.folded.push(t.folded.as_str().into());
                            index.folded_key.push(kid);
                            folded_ids.insert(t.folded.as_str().into(), id);
                            id
                        }
                    };
                    index.name_parts.push(fid);
                    if !t.is_initial() {
                        full += 1;
                        let kid = index.folded_key.get(fid as usize).copied().unwrap_or(0);
                        if let Some(list) = index.postings.get_mut(kid as usize)
                            && list.last() != Some(&name_id)
                        {
                            list.push(name_id);
                        }
                    }
                }
                index.names.push(NameRec {
                    entity: e,
                    which: u16::try_from(which).unwrap_or(u16::MAX),
                    start,
                    len: u8::try_from(tokens.len()).unwrap_or(u8::MAX),
                    full,
                });
            }
        }
        for (kid, key) in index.keys.iter().enumerate() {
            if key.len() < MIN_FUZZY_KEY {
                continue;
            }
            let Ok(kid) = u32::try_from(kid) else { break };
            for d in deletions(key) {
                index
                    .deletes
                    .entry(d.into_boxed_str())
                    .or_default()
                    .push(kid);
            }
        }
        for (fid, folded) in index.folded.iter().enumerate() {
            let Some(&kid) = index.folded_key.get(fid) else {
                break;
            };
            if folded.len() < MIN_FUZZY_KEY || index.keys.get(kid as usize) == Some(folded) {
                continue;
            }
            for d in deletions(folded) {
                index
                    .deletes
                    .entry(d.into_boxed_str())
                    .or_default()
                    .push(kid);
            }
        }
        for ids in index.deletes.values_mut() {
            ids.sort_unstable();
            ids.dedup();
        }
        index.folded_ids = folded_ids;
        index.entities = entities;
        index
    }

    fn key_id(&mut self, key: &str) -> u32 {
        if let Some(&id) = self.key_ids.get(key) {
            return id;
        }
        let id = u32::try_from(self.keys.len()).unwrap_or(u32::MAX);
        self.keys.push(key.into());
        self.key_ids.insert(key.into(), id);
        self.postings.push(Vec::new());
        id
    }

    /// The list's label.
    pub fn name(&self) -> &str {
        &self.name
    }

    /// The people.
    pub fn entities(&self) -> &[Entity] {
        &self.entities
    }

    /// Whether the list holds anyone of `kind`.
    pub fn holds(&self, kind: ListKind) -> bool {
        match kind {
            ListKind::Sanctions => self.sanctions,
            ListKind::Pep => self.pep,
        }
    }

    /// What the import read and skipped.
    pub fn stats(&self) -> &ImportStats {
        &self.stats
    }

    /// The keys a query part reaches: its key's and its spelling's, and the listed keys and
    /// spellings within one edit of either when long enough.
    fn reach(&self, token: &Token, out: &mut Vec<u32>) {
        out.clear();
        if let Some(&id) = self.key_ids.get(token.key.as_str()) {
            out.push(id);
        }
        if let Some(&fid) = self.folded_ids.get(token.folded.as_str())
            && let Some(&kid) = self.folded_key.get(fid as usize)
        {
            out.push(kid);
        }
        for (n, text) in [token.key.as_str(), token.folded.as_str()]
            .into_iter()
            .enumerate()
        {
            if text.len() < MIN_FUZZY_KEY || (n == 1 && token.folded == token.key) {
                continue;
            }
            // A listed part one longer (the query lost a letter).
            if let Some(ids) = self.deletes.get(text) {
                out.extend_from_slice(ids);
            }
            let mut d = String::with_capacity(text.len());
            for i in 0..text.len() {
                let (Some(a), Some(b)) = (text.get(..i), text.get(i + 1..)) else {
                    continue;
                };
                d.clear();
                d.push_str(a);
                d.push_str(b);
                // A listed part one shorter (the query gained one), or one apart (both lost one).
                if d.len() >= MIN_FUZZY_KEY {
                    if let Some(&id) = self.key_ids.get(d.as_str()) {
                        out.push(id);
                    }
                    if let Some(&fid) = self.folded_ids.get(d.as_str())
                        && let Some(&kid) = self.folded_key.get(fid as usize)
                    {
                        out.push(kid);
                    }
                }
                if let Some(ids) = self.deletes.get(d.as_str()) {
                    out.extend_from_slice(ids);
                }
            }
        }
        out.sort_unstable();
        out.dedup();
    }

    fn parts_into<'a>(&'a self, rec: &NameRec, out: &mut Vec<Part<'a>>) {
        out.clear();
        let start = rec.start as usize;
        let ids = self
            .name_parts
            .get(start..start + usize::from(rec.len))
            .unwrap_or_default();
        out.extend(ids.iter().filter_map(|&fid| {
            let folded = self.folded.get(fid as usize)?;
            let kid = *self.folded_key.get(fid as usize)?;
            let key = self.keys.get(kid as usize)?;
            Some(Part { folded, key })
        }));
    }

    fn parts(&self, rec: &NameRec) -> Vec<Part<'_>> {
        let start = rec.start as usize;
        let ids = self
            .name_parts
            .get(start..start + usize::from(rec.len))
            .unwrap_or_default();
        ids.iter()
            .filter_map(|&fid| {
                let folded = self.folded.get(fid as usize)?;
                let kid = *self.folded_key.get(fid as usize)?;
                let key = self.keys.get(kid as usize)?;
                Some(Part { folded, key })
            })
            .collect()
    }

    /// Every person of `kind` whose best name scores at least `floor` against `subject`, best
    /// first (ties by the list's order), at most `limit`.
    pub fn screen(
        &self,
        subject: &Subject,
        kind: ListKind,
        floor: f64,
        limit: usize,
    ) -> Vec<Candidate<'_>> {
        let nationality = subject
            .nationality
            .as_deref()
            .and_then(super::countries::code);
        // Per person: the best score, and the name and query name that made it.
        let mut best: FxHashMap<u32, (f64, u32, usize)> = FxHashMap::default();
        let mut masks: FxHashMap<u32, u8> = FxHashMap::default();
        let mut reached = Vec::new();
        let mut listed: Vec<Part> = Vec::with_capacity(MAX_TOKENS);
        let queries: Vec<Vec<Token>> = subject.names.iter().map(|n| normalise::tokens(n)).collect();
        for (qi, tokens) in queries.iter().enumerate() {
            let query: Vec<Part> = tokens.iter().map(Part::from).collect();
            let full: Vec<&Token> = tokens.iter().filter(|t| !t.is_initial()).collect();
            masks.clear();
            // The keys each full part reaches. A listed key reached by several parts (a repeated
            // name, Irina and Ilina one letter apart) counts for one of them only, the part whose
            // own key it is if any, so that two matched parts are two listed parts.
            let mut owned: Vec<(usize, Vec<u32>)> = Vec::with_capacity(full.len());
            for (bit, t) in full.iter().take(MAX_TOKENS).enumerate() {
                self.reach(t, &mut reached);
                owned.push((bit, reached.clone()));
            }
            let own_key = |t: &Token| self.key_ids.get(t.key.as_str()).copied();
            let mut owner: FxHashMap<u32, usize> = FxHashMap::default();
            for (bit, t) in full.iter().take(MAX_TOKENS).enumerate() {
                if let Some(k) = own_key(t) {
                    owner.entry(k).or_insert(bit);
                }
            }
            for (bit, keys) in &owned {
                for &k in keys {
                    owner.entry(k).or_insert(*bit);
                }
            }
            let mut reach: Vec<(usize, Vec<u32>, usize)> = owned
                .into_iter()
                .map(|(bit, keys)| {
                    let keys: Vec<u32> = keys
                        .into_iter()
                        .filter(|k| owner.get(k) == Some(&bit))
                        .collect();
                    let size = keys
                        .iter()
                        .map(|&k| self.postings.get(k as usize).map_or(0, Vec::len))
                        .sum();
                    (bit, keys, size)
                })
                .collect();
            // Parts that own no key (a repeat) do not count towards the parts a name must share.
            let distinct = reach.iter().filter(|(_, keys, _)| !keys.is_empty()).count();
            // A name sharing two parts shares one that is not the commonest: candidates come
            // from the other parts' postings, and the commonest part's postings (often a common
            // given name) are only searched for them. Names of one part need one match; a
            // one-part name met only through the commonest part of a longer query could not
            // score near a match (the other parts stand unmatched against nothing).
            reach.sort_by_key(|(bit, _, size)| (*size, *bit));
            reach.retain(|(_, keys, _)| !keys.is_empty());
            let probe = if reach.len() >= 2 { reach.pop() } else { None };
            for (bit, keys, _) in &reach {
                for &kid in keys {
                    for &name_id in self
                        .postings
                        .get(kid as usize)
                        .map_or(&[][..], Vec::as_slice)
                    {
                        *masks.entry(name_id).or_default() |= 1 << bit;
                    }
                }
            }
            if let Some((bit, keys, _)) = probe {
                let lists: Vec<&[u32]> = keys
                    .iter()
                    .filter_map(|&k| self.postings.get(k as usize).map(Vec::as_slice))
                    .collect();
                for (name_id, mask) in masks.iter_mut() {
                    if lists.iter().any(|l| l.binary_search(name_id).is_ok()) {
                        *mask |= 1 << bit;
                    }
                }
            }
            for (&name_id, &mask) in &masks {
                let Some(rec) = self.names.get(name_id as usize) else {
                    continue;
                };
                let need = 2.min(distinct).min(usize::from(rec.full)).max(1);
                if (mask.count_ones() as usize) < need {
                    continue;
                }
                let Some(entity) = self.entities.get(rec.entity as usize) else {
                    continue;
                };
                if entity.kind != kind {
                    continue;
                }
                self.parts_into(rec, &mut listed);
                let s = score::score_only(
                    &query,
                    subject.birth_date,
                    nationality.as_deref(),
                    &listed,
                    entity,
                );
                if s < floor {
                    continue;
                }
                // The best name of each person; among equal scores, the list's first name.
                match best.get(&rec.entity) {
                    Some((b, n, _))
                        if (*b, std::cmp::Reverse(*n)) >= (s, std::cmp::Reverse(name_id)) => {}
                    _ => {
                        best.insert(rec.entity, (s, name_id, qi));
                    }
                }
            }
        }
        let mut out: Vec<(u32, f64, u32, usize)> = best
            .into_iter()
            .map(|(e, (s, n, q))| (e, s, n, q))
            .collect();
        out.sort_by(|a, b| b.1.total_cmp(&a.1).then(a.0.cmp(&b.0)));
        out.truncate(limit);
        // Only what is reported is explained.
        out.into_iter()
            .filter_map(|(e, _, name_id, qi)| {
                let entity = self.entities.get(e as usize)?;
                let rec = self.names.get(name_id as usize)?;
                let query: Vec<Part> = queries.get(qi)?.iter().map(Part::from).collect();
                let (score, explanation) = score::score(
                    &query,
                    subject.birth_date,
                    nationality.as_deref(),
                    &self.parts(rec),
                    entity,
                );
                Some(Candidate {
                    entity,
                    name: entity.names.get(usize::from(rec.which))?,
                    score,
                    explanation,
                })
            })
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::aml::list::PartialDate;

    fn person(id: &str, names: &[&str], birth: &str, kind: ListKind) -> Entity {
        Entity {
            id: id.into(),
            kind,
            source: "test".into(),
            names: names.iter().map(|n| (*n).to_owned()).collect(),
            birth_dates: PartialDate::parse_iso(birth).into_iter().collect(),
            nationalities: vec!["ru".into()],
        }
    }

    fn index() -> ListIndex {
        ListIndex::build(
            "test",
            vec![
                person(
                    "1",
                    &["Ivan Petrovich Ivanov", "Иван Иванов"],
                    "1961-03-05",
                    ListKind::Sanctions,
                ),
                person("2", &["Ivan Sidorov"], "1961-03-05", ListKind::Sanctions),
                person("3", &["Olga Ivanova"], "1970", ListKind::Pep),
                person("4", &["Li Wei"], "1980", ListKind::Sanctions),
            ],
            ImportStats::default(),
        )
    }

    fn subject(name: &str, birth: Option<&str>) -> Subject {
        Subject {
            names: vec![name.to_owned()],
            birth_date: birth.map(|b| b.parse().unwrap()),
            nationality: Some("RUS".into()),
        }
    }

    #[test]
    fn spellings_typos_and_order_find_the_person() {
        let idx = index();
        for q in [
            "IWANOW Iwan",
            "Ivan Ivanoff",
            "Ivan Ivnaov",
            "Иван Петрович Иванов",
            "I. P. Ivanov",
        ] {
            let hits = idx.screen(&subject(q, Some("1961-03-05")), ListKind::Sanctions, 0.0, 5);
            assert_eq!(
                hits.first().map(|c| c.entity.id.as_str()),
                Some("1"),
                "{q}: {hits:?}"
            );
        }
        let hits = idx.screen(&subject("Li Wei", None), ListKind::Sanctions, 0.0, 5);
        assert_eq!(hits[0].entity.id, "4");
    }

    #[test]
    fn kinds_and_floors_filter() {
        let idx = index();
        let hits = idx.screen(&subject("Olga Ivanova", None), ListKind::Sanctions, 0.0, 5);
        assert!(hits.is_empty());
        let hits = idx.screen(&subject("Olga Ivanova", None), ListKind::Pep, 0.0, 5);
        assert_eq!(hits.len(), 1);
        let hits = idx.screen(&subject("Olga Ivanova", None), ListKind::Pep, 1.01, 5);
        assert!(hits.is_empty());
    }

    #[test]
    fn a_namesake_born_another_year_scores_lower() {
        let idx = index();
        let same = idx.screen(
            &subject("Ivan Ivanov", Some("1961-03-05")),
            ListKind::Sanctions,
            0.0,
            5,
        );
        let other = idx.screen(
            &subject("Ivan Ivanov", Some("1985-01-01")),
            ListKind::Sanctions,
            0.0,
            5,
        );
        assert!(same[0].score > other[0].score + 0.25, "{same:?} {other:?}");
        let threshold = crate::check::catalogue::aml::SANCTIONS_THRESHOLD;
        assert!(same[0].score > threshold && other[0].score <= threshold);
    }
}
