//! The lists a host attaches, each replaced whole and at once, and a screening's explained answer.
//!
//! [`AmlLists`] holds the indexed lists behind one lock that is held only to swap or copy a
//! handful of `Arc`s: [`AmlLists::replace`] builds nothing under the lock, so a new list is
//! indexed beside the old one and takes its place in one step; a screening takes a snapshot
//! first and runs on it, so it sees the old list or the new one, never a mixture.

use std::sync::{Arc, PoisonError, RwLock};

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

use super::AmlError;
use super::index::{ListIndex, Subject};
use super::list::ListKind;
use super::score::{Explanation, round4};

/// Most potential matches a screening reports.
pub const MAX_MATCHES: usize = 10;

/// A listed person the verified person may be.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "snake_case", deny_unknown_fields)]
pub struct PotentialMatch {
    /// The list's id of the person.
    pub entity_id: String,
    /// The list it is on (its label).
    pub list: String,
    /// The dataset it came from.
    pub dataset: String,
    /// The listed name that scored best.
    pub name: String,
    /// The score, 0 to 1.
    pub score: f64,
    /// The threshold a potential match scores above.
    pub threshold: f64,
    /// The listed birth dates (`YYYY`, `YYYY-MM` or `YYYY-MM-DD`).
    pub birth_dates: Vec<String>,
    /// The listed nationalities (ISO 3166-1 alpha-2).
    pub nationalities: Vec<String>,
    /// Which parts matched how, and what the birth date and nationality did.
    pub explanation: Explanation,
}

/// A list a screening read.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "snake_case", deny_unknown_fields)]
pub struct ScreenedList {
    /// Its label.
    pub name: String,
    /// People on it.
    pub entities: u64,
}

/// One screening's answer: the lists read, the threshold, and the potential matches.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "snake_case", deny_unknown_fields)]
pub struct Screening {
    /// Sanctions or PEP.
    pub kind: ListKind,
    /// The lists read.
    pub lists: Vec<ScreenedList>,
    /// The threshold a potential match scores above.
    pub threshold: f64,
    /// The best score of anyone on the lists (0 when nobody shared a name part).
    pub best_score: f64,
    /// Everyone scoring above the threshold, best first, at most [`MAX_MATCHES`].
    pub matches: Vec<PotentialMatch>,
}

impl Screening {
    /// The ids of the potential matches, sorted (to tell whether a rescreening found others).
    pub fn match_ids(&self) -> Vec<(&str, &str)> {
        let mut ids: Vec<(&str, &str)> = self
            .matches
            .iter()
            .map(|m| (m.list.as_str(), m.entity_id.as_str()))
            .collect();
        ids.sort_unstable();
        ids
    }
}

/// The lists attached to an engine.
#[derive(Default)]
pub struct AmlLists {
    lists: RwLock<Vec<Arc<ListIndex>>>,
}

impl std::fmt::Debug for AmlLists {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_list()
            .entries(self.snapshot().iter().map(|l| l.name().to_owned()))
            .finish()
    }
}

impl AmlLists {
    /// No lists.
    pub fn new() -> Self {
        Self::default()
    }

    /// Puts `index` in place of the list of the same name (or adds it), at once; returns the
    /// list it replaced.
    pub fn replace(&self, index: ListIndex) -> Option<Arc<ListIndex>> {
        let index = Arc::new(index);
        let mut lists = self.lists.write().unwrap_or_else(PoisonError::into_inner);
        match lists.iter_mut().find(|l| l.name() == index.name()) {
            Some(slot) => Some(std::mem::replace(slot, index)),
            None => {
                lists.push(index);
                None
            }
        }
    }

    /// Takes the list `name` away; returns it.
    pub fn remove(&self, name: &str) -> Option<Arc<ListIndex>> {
        let mut lists = self.lists.write().unwrap_or_else(PoisonError::into_inner);
        let at = lists.iter().position(|l| l.name() == name)?;
        Some(lists.remove(at))
    }

    /// The lists as they are now.
    pub fn snapshot(&self) -> Vec<Arc<ListIndex>> {
        self.lists
            .read()
            .unwrap_or_else(PoisonError::into_inner)
            .clone()
    }

    /// Screens `subject` against every attached list holding people of `kind`: the potential
    /// matches are those scoring above `threshold`. Without such a list, or without a name to
    /// screen, an error (the check is then unavailable, never a pass).
    pub fn screen(
        &self,
        subject: &Subject,
        kind: ListKind,
        threshold: f64,
    ) -> Result<Screening, AmlError> {
        let lists: Vec<Arc<ListIndex>> = self
            .snapshot()
            .into_iter()
            .filter(|l| l.holds(kind))
            .collect();
        if lists.is_empty() {
            return Err(AmlError::NoList(match kind {
                ListKind::Sanctions => "sanctions",
                ListKind::Pep => "PEP",
            }));
        }
        if subject
            .names
            .iter()
            .all(|n| super::normalise::tokens(n).is_empty())
        {
            return Err(AmlError::NoName);
        }
        let mut best_score: f64 = 0.0;
        let mut matches = Vec::new();
        for list in &lists {
            for c in list.screen(subject, kind, 0.0, MAX_MATCHES) {
                best_score = best_score.max(c.score);
                if c.score > threshold {
                    matches.push(PotentialMatch {
                        entity_id: c.entity.id.clone(),
                        list: list.name().to_owned(),
                        dataset: c.entity.source.clone(),
                        name: c.name.to_owned(),
                        score: c.score,
                        threshold,
                        birth_dates: c.entity.birth_dates.iter().map(|d| d.to_iso()).collect(),
                        nationalities: c.entity.nationalities.clone(),
                        explanation: c.explanation,
                    });
                }
            }
        }
        matches.sort_by(|a, b| {
            b.score
                .total_cmp(&a.score)
                .then_with(|| (&a.list, &a.entity_id).cmp(&(&b.list, &b.entity_id)))
        });
        matches.truncate(MAX_MATCHES);
        Ok(Screening {
            kind,
            lists: lists
                .iter()
                .map(|l| ScreenedList {
                    name: l.name().to_owned(),
                    entities: u64::try_from(l.entities().len()).unwrap_or(u64::MAX),
                })
                .collect(),
            threshold,
            best_score: round4(best_score),
            matches,
        })
    }
}
