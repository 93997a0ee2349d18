//! Face lists in the database, behind the engine's [`FaceLists`] trait: templates per list (the
//! model's name and the vector as little-endian f32), searched through the core's `Gallery` and
//! held to the threshold calibrated for the templates' model.

use kyc_core::analysis::{FaceListHit, FaceLists};
use kyc_core::face::FaceTemplate;
use kyc_core::face::gallery::Gallery;

use super::Store;
use crate::db::Value;
use crate::error::{ConsoleError, Result};

/// Most people a list holds (bounds the scan's memory: 100,000 × 128 floats is 51 MB).
pub const MAX_LIST_SIZE: i64 = 100_000;

/// One person in a list.
#[derive(Clone, Debug)]
pub struct FaceEntry {
    /// The list.
    pub list_id: String,
    /// The person.
    pub person_id: String,
    /// The templates' model.
    pub model: String,
    /// The session whose selfie it came from.
    pub source_session: Option<String>,
    /// When added (Unix ms).
    pub created_ms: i64,
}

/// The engine's face lists over the console's database.
#[derive(Clone, Debug)]
pub struct SqlFaceLists {
    store: Store,
}

impl SqlFaceLists {
    /// Lists in `store`.
    pub fn new(store: Store) -> Self {
        Self { store }
    }
}

fn engine_error(code: &'static str, e: impl std::fmt::Display) -> kyc_core::Error {
    kyc_core::Error::Analysis {
        code,
        message: e.to_string(),
    }
}

fn vector_bytes(v: &[f32]) -> Vec<u8> {
    v.iter().flat_map(|x| x.to_le_bytes()).collect()
}

fn vector_of(bytes: &[u8]) -> Vec<f32> {
    bytes
        .chunks_exact(4)
        .map(|c| f32::from_le_bytes([c[0], c[1], c[2], c[3]]))
        .collect()
}

impl FaceLists for SqlFaceLists {
    fn closest(
        &self,
        list_id: &str,
        face: &FaceTemplate,
    ) -> Result<Option<FaceListHit>, kyc_core::Error> {
        let (exists, rows) = self
            .store
            .with(|c| {
                let exists =
                    super::count(c, "SELECT COUNT(*) FROM face_lists WHERE id = ?1", &[list_id.into()])? > 0;
                let rows = c.query(
                    "SELECT person_id, vector FROM face_list_entries WHERE list_id = ?1 AND model = ?2 LIMIT ?3",
                    &[list_id.into(), face.model.as_str().into(), MAX_LIST_SIZE.into()],
                )?;
                Ok((exists, rows))
            })
            .map_err(|e| engine_error("gallery.store", e))?;
        if !exists {
            return Err(engine_error(
                "gallery.unknown_list",
                format!("no face list '{list_id}'"),
            ));
        }
        if rows.is_empty() {
            return Ok(None);
        }
        let threshold = kyc_core::face::matcher::threshold_for(&face.model).ok_or_else(|| {
            engine_error(
                "gallery.no_threshold",
                format!("no calibrated threshold for model '{}'", face.model),
            )
        })?;
        let mut gallery =
            Gallery::new(&face.model, face.vector.len()).map_err(|e| engine_error(e.code(), e))?;
        for r in &rows {
            let person = r.text(0).map_err(|e| engine_error("gallery.store", e))?;
            let vector = vector_of(&r.blob(1).map_err(|e| engine_error("gallery.store", e))?);
            if vector.len() != face.vector.len() {
                continue;
            }
            let template = FaceTemplate {
                model: face.model.clone(),
                vector,
            };
            gallery
                .add(&person, &template)
                .map_err(|e| engine_error(e.code(), e))?;
        }
        let best = gallery
            .search(face, 1)
            .map_err(|e| engine_error(e.code(), e))?;
        Ok(best
            .into_iter()
            .next()
            .map(|(person_id, score)| FaceListHit {
                person_id,
                score: f64::from(score),
                threshold,
            }))
    }

    fn enroll(
        &self,
        list_id: &str,
        person_id: &str,
        face: &FaceTemplate,
    ) -> Result<(), kyc_core::Error> {
        self.store
            .add_face(list_id, person_id, face, None)
            .map_err(|e| engine_error("gallery.store", e))
    }
}

impl Store {
    /// Adds (or replaces) `person_id`'s face in `list_id`, creating the list.
    pub fn add_face(
        &self,
        list_id: &str,
        person_id: &str,
        face: &FaceTemplate,
        source_session: Option<&str>,
    ) -> Result<()> {
        let valid = |s: &str| !s.trim().is_empty() && s.len() <= 128;
        if !valid(list_id) || !valid(person_id) {
            return Err(ConsoleError::invalid(
                "console.bad_face_entry",
                "list and person ids are 1 to 128 bytes",
            ));
        }
        let now = crate::now_ms();
        self.tx(|c| {
            c.execute(
                "INSERT INTO face_lists (id, created_ms) VALUES (?1, ?2) ON CONFLICT (id) DO NOTHING",
                &[list_id.into(), now.into()],
            )?;
            if super::count(
                c,
                "SELECT COUNT(*) FROM face_list_entries WHERE list_id = ?1",
                &[list_id.into()],
            )? >= MAX_LIST_SIZE
            {
                return Err(ConsoleError::invalid(
                    "console.face_list_full",
                    format!("list '{list_id}' holds {MAX_LIST_SIZE} people"),
                ));
            }
            c.execute(
                "INSERT INTO face_list_entries (list_id, person_id, model, vector, source_session, created_ms) VALUES (?1, ?2, ?3, ?4, ?5, ?6) ON CONFLICT (list_id, person_id) DO UPDATE SET model = excluded.model, vector = excluded.vector, source_session = excluded.source_session, created_ms = excluded.created_ms",
                &[
                    list_id.into(),
                    person_id.into(),
                    face.model.as_str().into(),
                    Value::Blob(vector_bytes(&face.vector)),
                    source_session.map(str::to_owned).into(),
                    now.into(),
                ],
            )?;
            Ok(())
        })
    }

    /// Removes `person_id` from `list_id`; true when they were there.
    pub fn remove_face(&self, list_id: &str, person_id: &str) -> Result<bool> {
        self.with(|c| {
            Ok(c.execute(
                "DELETE FROM face_list_entries WHERE list_id = ?1 AND person_id = ?2",
                &[list_id.into(), person_id.into()],
            )? == 1)
        })
    }

    /// Every list with its size.
    pub fn face_lists(&self) -> Result<Vec<(String, i64)>> {
        self.with(|c| {
            c.query(
                "SELECT l.id, (SELECT COUNT(*) FROM face_list_entries e WHERE e.list_id = l.id) FROM face_lists l ORDER BY l.id",
                &[],
            )?
            .iter()
            .map(|r| Ok((r.text(0)?, r.int(1)?)))
            .collect()
        })
    }

    /// The people of `list_id` (at most `limit`).
    pub fn face_entries(&self, list_id: &str, limit: i64) -> Result<Vec<FaceEntry>> {
        self.with(|c| {
            c.query(
                "SELECT list_id, person_id, model, source_session, created_ms FROM face_list_entries WHERE list_id = ?1 ORDER BY person_id LIMIT ?2",
                &[list_id.into(), limit.into()],
            )?
            .iter()
            .map(|r| {
                Ok(FaceEntry {
                    list_id: r.text(0)?,
                    person_id: r.text(1)?,
                    model: r.text(2)?,
                    source_session: r.opt_text(3)?,
                    created_ms: r.int(4)?,
                })
            })
            .collect()
        })
    }
}
