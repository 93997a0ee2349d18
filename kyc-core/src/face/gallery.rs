//! Face lists (customers, blacklist): add, remove, top-k search by cosine similarity, and bytes for
//! the host to store. Vectors are kept L2-normalised in one flat array, so a search is one pass of
//! dot products (auto-vectorised, split across cores with rayon where enabled); an int8 copy makes
//! the scan four times smaller for large lists. On x86-64 CPUs with AVX2 the scan runs a second
//! build of its loop, taken at run time: an explicit int8 kernel (`vpmaddwd`) and software
//! prefetch, with the same results bit for bit.
//!
//! A list searches exactly by default ([`SearchMode::Exact`], the reference). A host may switch a
//! large list to [`SearchMode::Approximate`]: an HNSW graph over the int8 rows (`face/ann.rs`),
//! kept up to date as people are added and removed, whose candidates are re-ranked with the exact
//! fp32 scores.

use std::collections::HashMap;
use std::sync::RwLock;

use super::FaceTemplate;
use super::ann::{Hnsw, HnswParams, Rows};
use super::embed::l2_normalise;
use crate::analysis::{FaceListHit, FaceLists};
use crate::entropy::Entropy;
use crate::error::Error;

/// Largest list one gallery holds.
pub const MAX_ENTRIES: usize = 10_000_000;
/// Largest embedding dimension accepted.
pub const MAX_DIM: usize = 1024;
const MAGIC: &[u8; 8] = b"KYCGAL01";
/// A list with its approximate index: the same rows, then the index (`face/ann.rs`).
const MAGIC_INDEXED: &[u8; 8] = b"KYCGAL02";

/// Why a gallery operation was refused.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum GalleryError {
    /// The template's model or size differs from the list's.
    #[error("template of {got} does not fit a list of {expected}")]
    Incompatible {
        /// The list's model and dimension.
        expected: String,
        /// The template's.
        got: String,
    },
    /// A zero or non-finite vector.
    #[error("template vector is zero or not finite")]
    BadVector,
    /// Over [`MAX_ENTRIES`] or a bad id.
    #[error("{0}")]
    Limit(String),
    /// Stored bytes that are not a gallery.
    #[error("gallery bytes are corrupt: {0}")]
    Corrupt(String),
    /// An approximate search asked of a list without an index.
    #[error("this list searches exactly: set an approximate search mode first")]
    NoIndex,
}

impl GalleryError {
    /// The stable code.
    pub fn code(&self) -> &'static str {
        match self {
            Self::Incompatible { .. } => "gallery.incompatible",
            Self::BadVector => "gallery.bad_vector",
            Self::Limit(_) => "gallery.limit",
            Self::Corrupt(_) => "gallery.corrupt",
            Self::NoIndex => "gallery.no_index",
        }
    }
}

/// How a list answers a search.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum SearchMode {
    /// Every row scored in fp32: the reference, and the default.
    #[default]
    Exact,
    /// An HNSW graph walked over the int8 codes, its candidates re-ranked in fp32. Scores are the
    /// exact ones; a person may be missed (recall under 1).
    Approximate(HnswParams),
}

/// One face list.
#[derive(Clone, Debug, PartialEq)]
pub struct Gallery {
    model: String,
    dim: usize,
    ids: Vec<String>,
    /// Row of each id, so that adding to or removing from a large list does not scan the ids.
    rows: HashMap<String, usize>,
    vectors: Vec<f32>,
    /// Each vector times 127, rounded: the int8 scan's data.
    quantised: Vec<i8>,
    /// The approximate index, when the list searches approximately.
    index: Option<Hnsw>,
}

impl Gallery {
    /// An empty list for templates of `model` with `dim` values.
    pub fn new(model: &str, dim: usize) -> Result<Self, GalleryError> {
        if dim == 0 || dim > MAX_DIM {
            return Err(GalleryError::Limit(format!(
                "dimension must be 1 to {MAX_DIM}"
            )));
        }
        Ok(Self {
            model: model.to_owned(),
            dim,
            ids: Vec::new(),
            rows: HashMap::new(),
            vectors: Vec::new(),
            quantised: Vec::new(),
            index: None,
        })
    }

    /// How [`Gallery::find`] searches.
    pub fn search_mode(&self) -> SearchMode {
        match &self.index {
            Some(index) => SearchMode::Approximate(index.params()),
            None => SearchMode::Exact,
        }
    }

    /// Chooses how [`Gallery::find`] searches. Switching to approximate builds the index from the
    /// rows (its seed drawn from `entropy`); a change of `ef_search` alone keeps the graph;
    /// switching to exact drops it.
    pub fn set_search_mode(
        &mut self,
        mode: SearchMode,
        entropy: &dyn Entropy,
    ) -> Result<(), GalleryError> {
        let mut seed = [0u8; 8];
        entropy.fill(&mut seed);
        self.set_search_mode_seeded(mode, u64::from_le_bytes(seed))
    }

    /// [`Gallery::set_search_mode`] with the index's seed given.
    pub(crate) fn set_search_mode_seeded(
        &mut self,
        mode: SearchMode,
        seed: u64,
    ) -> Result<(), GalleryError> {
        let SearchMode::Approximate(params) = mode else {
            self.index = None;
            return Ok(());
        };
        params.validate()?;
        if let Some(index) = &mut self.index {
            let now = index.params();
            if (now.m, now.ef_construction) == (params.m, params.ef_construction) {
                return index.set_ef_search(params.ef_search);
            }
        }
        self.index = Some(Hnsw::build(params, seed, self.int8_rows(), self.ids.len())?);
        Ok(())
    }

    fn int8_rows(&self) -> Rows<'_> {
        Rows {
            codes: &self.quantised,
            dim: self.dim,
        }
    }

    /// People in the list.
    pub fn len(&self) -> usize {
        self.ids.len()
    }

    /// True when empty.
    pub fn is_empty(&self) -> bool {
        self.ids.is_empty()
    }

    fn check(&self, t: &FaceTemplate) -> Result<Vec<f32>, GalleryError> {
        if t.model != self.model || t.vector.len() != self.dim {
            return Err(GalleryError::Incompatible {
                expected: format!("{} x{}", self.model, self.dim),
                got: format!("{} x{}", t.model, t.vector.len()),
            });
        }
        let mut v = t.vector.clone();
        if !l2_normalise(&mut v) {
            return Err(GalleryError::BadVector);
        }
        Ok(v)
    }

    /// Adds (or replaces) `person_id`'s template.
    pub fn add(&mut self, person_id: &str, template: &FaceTemplate) -> Result<(), GalleryError> {
        if person_id.is_empty() || person_id.len() > 256 {
            return Err(GalleryError::Limit(
                "person id must be 1 to 256 bytes".into(),
            ));
        }
        let v = self.check(template)?;
        self.push(person_id, v)
    }

    fn push(&mut self, person_id: &str, v: Vec<f32>) -> Result<(), GalleryError> {
        self.remove(person_id);
        if self.ids.len() >= MAX_ENTRIES || self.index.as_ref().is_some_and(Hnsw::is_full) {
            return Err(GalleryError::Limit(format!("at most {MAX_ENTRIES} people")));
        }
        let row = self.ids.len();
        self.rows.insert(person_id.to_owned(), row);
        self.ids.push(person_id.to_owned());
        self.quantised.extend(v.iter().map(|x| quantise(*x)));
        self.vectors.extend(v);
        if let Some(index) = &mut self.index {
            let rows = Rows {
                codes: &self.quantised,
                dim: self.dim,
            };
            index.insert(row, rows, Int8Kernel::detect())?;
        }
        Ok(())
    }

    /// Removes `person_id`; true when it was there.
    pub fn remove(&mut self, person_id: &str) -> bool {
        let Some(i) = self.rows.remove(person_id) else {
            return false;
        };
        if let Some(index) = &mut self.index {
            let rows = Rows {
                codes: &self.quantised,
                dim: self.dim,
            };
            index.remove_row(i, rows, Int8Kernel::detect());
        }
        self.ids.swap_remove(i);
        let last = self.ids.len();
        // The last row moved into the hole.
        if let Some(moved) = self.ids.get(i) {
            self.rows.insert(moved.clone(), i);
        }
        for data in [&mut self.vectors as &mut dyn VecRows, &mut self.quantised] {
            data.swap_remove_row(i, last, self.dim);
        }
        self.compact_if_due();
        true
    }

    /// Rebuilds the index from the living rows once tombstones outnumber them (same parameters,
    /// same seed): the cost of a rebuild spread over at least as many removals as there are people.
    fn compact_if_due(&mut self) {
        let Some(index) = &self.index else {
            return;
        };
        if !index.wants_compaction() {
            return;
        }
        let (params, seed) = (index.params(), index.seed());
        // A rebuild can only fail on a full index, which one of the living rows never is.
        if let Ok(fresh) = Hnsw::build(params, seed, self.int8_rows(), self.ids.len()) {
            self.index = Some(fresh);
        }
    }

    /// The `k` most similar people by the list's [`SearchMode`].
    pub fn find(
        &self,
        template: &FaceTemplate,
        k: usize,
    ) -> Result<Vec<(String, f32)>, GalleryError> {
        match &self.index {
            Some(index) => self.search_approximate(template, k, index.params().ef_search),
            None => self.search(template, k),
        }
    }

    /// The `k` most similar people found through the approximate index, keeping `ef_search`
    /// candidates (at least `k`), with their exact fp32 cosine similarity, best first (ties: the
    /// earlier row first, as in [`Gallery::search`]). `gallery.no_index` without an index.
    pub fn search_approximate(
        &self,
        template: &FaceTemplate,
        k: usize,
        ef_search: u32,
    ) -> Result<Vec<(String, f32)>, GalleryError> {
        let Some(index) = &self.index else {
            return Err(GalleryError::NoIndex);
        };
        let query = self.check(template)?;
        let k = k.min(self.ids.len());
        if k == 0 {
            return Ok(Vec::new());
        }
        let code: Vec<i8> = query.iter().map(|x| quantise(*x)).collect();
        let ef = (ef_search as usize).max(k);
        let mut best: Vec<(usize, f32)> = index
            .search(self.int8_rows(), &code, ef)
            .into_iter()
            .filter_map(|(_, row)| {
                let v = self.vectors.get(row * self.dim..(row + 1) * self.dim)?;
                Some((row, dot(v, &query)))
            })
            .collect();
        best.sort_by(|a, b| by_score(a.1, a.0, b.1, b.0));
        best.truncate(k);
        Ok(best
            .into_iter()
            .filter_map(|(i, s)| Some((self.ids.get(i)?.clone(), s)))
            .collect())
    }

    /// The approximate index, when there is one.
    pub fn index(&self) -> Option<&Hnsw> {
        self.index.as_ref()
    }

    /// The `k` most similar people, best first, with their cosine similarity.
    pub fn search(
        &self,
        template: &FaceTemplate,
        k: usize,
    ) -> Result<Vec<(String, f32)>, GalleryError> {
        let query = self.check(template)?;
        Ok(self.best(&self.vectors, k, &FloatDot { query: &query }))
    }

    /// Like [`Gallery::search`] over the int8 copy: about four times less memory traffic, scores
    /// within about 0.01 of the float ones.
    pub fn search_int8(
        &self,
        template: &FaceTemplate,
        k: usize,
    ) -> Result<Vec<(String, f32)>, GalleryError> {
        let query: Vec<i8> = self.check(template)?.iter().map(|x| quantise(*x)).collect();
        Ok(self.best(&self.quantised, k, &Int8Dot::new(query)))
    }

    /// The `k` best rows of `data` by `score`, best first (ties: the earlier row first).
    fn best<T: Sync>(&self, data: &[T], k: usize, score: &impl RowScore<T>) -> Vec<(String, f32)> {
        let k = k.min(self.ids.len());
        if k == 0 {
            return Vec::new();
        }
        let best = if k <= SMALL_K {
            // Keeping a running top-k while scanning spares writing and re-reading a score per
            // row: for an int8 scan of a large list that is as much memory traffic as the list.
            top_k_scan(data, self.dim, k, score)
        } else {
            let scores = scan(data, self.dim, score);
            let mut order: Vec<usize> = (0..scores.len()).collect();
            order.select_nth_unstable_by(k - 1, |a, b| by_score(scores[*a], *a, scores[*b], *b));
            order.truncate(k);
            order.sort_by(|a, b| by_score(scores[*a], *a, scores[*b], *b));
            order
                .into_iter()
                .filter_map(|i| Some((i, *scores.get(i)?)))
                .collect()
        };
        best.into_iter()
            .filter_map(|(i, s)| Some((self.ids.get(i)?.clone(), s)))
            .collect()
    }

    /// The list as bytes for the host to store (`KYCGAL01`; `KYCGAL02` with its approximate
    /// index after the rows).
    pub fn to_bytes(&self) -> Vec<u8> {
        let mut out = Vec::with_capacity(32 + self.vectors.len() * 4 + self.ids.len() * 16);
        out.extend_from_slice(if self.index.is_some() {
            MAGIC_INDEXED
        } else {
            MAGIC
        });
        put_str(&mut out, &self.model);
        out.extend_from_slice(&(self.dim as u32).to_le_bytes());
        out.extend_from_slice(&(self.ids.len() as u32).to_le_bytes());
        for (id, row) in self.ids.iter().zip(self.vectors.chunks_exact(self.dim)) {
            put_str(&mut out, id);
            for x in row {
                out.extend_from_slice(&x.to_le_bytes());
            }
        }
        if let Some(index) = &self.index {
            index.write(&mut out);
        }
        out
    }

    /// Reads stored bytes, checking every length against what remains before allocating.
    pub fn from_bytes(bytes: &[u8]) -> Result<Self, GalleryError> {
        let mut r = Reader(bytes);
        let indexed = match r.take(8)? {
            m if m == MAGIC => false,
            m if m == MAGIC_INDEXED => true,
            _ => return Err(GalleryError::Corrupt("not a kyc gallery".into())),
        };
        let model = r.string()?;
        let dim = r.u32()? as usize;
        let count = r.u32()? as usize;
        let mut g = Gallery::new(&model, dim)?;
        if count > MAX_ENTRIES || count.saturating_mul(dim * 4 + 4) > r.0.len() {
            return Err(GalleryError::Corrupt("entry count exceeds the data".into()));
        }
        for _ in 0..count {
            let id = r.string()?;
            let vector: Vec<f32> = r
                .take(dim * 4)?
                .chunks_exact(4)
                .map(|c| f32::from_le_bytes([c[0], c[1], c[2], c[3]]))
                .collect();
            // Stored vectors were normalised when added: keep them bit for bit, but refuse any
            // that are not unit length (a tampered or foreign file).
            let norm: f32 = vector.iter().map(|x| x * x).sum::<f32>().sqrt();
            if !norm.is_finite() || (norm - 1.0).abs() > 1e-3 || id.is_empty() {
                return Err(GalleryError::Corrupt(
                    "entry is not a unit vector with an id".into(),
                ));
            }
            g.push(&id, vector)?;
        }
        if g.len() != count {
            return Err(GalleryError::Corrupt("an id stored twice".into()));
        }
        if indexed {
            g.index = Some(Hnsw::read(r.0, dim, count)?);
        } else if !r.0.is_empty() {
            return Err(GalleryError::Corrupt("trailing bytes".into()));
        }
        Ok(g)
    }
}

trait VecRows {
    fn swap_remove_row(&mut self, i: usize, last: usize, dim: usize);
}

impl<T: Copy> VecRows for Vec<T> {
    fn swap_remove_row(&mut self, i: usize, last: usize, dim: usize) {
        if i != last {
            self.copy_within(last * dim..(last + 1) * dim, i * dim);
        }
        self.truncate(last * dim);
    }
}

/// A row's similarity to the query. A trait rather than a closure so that the scan monomorphises
/// with the dot product inlined, also into its AVX2 build.
trait RowScore<T>: Sync {
    fn score(&self, row: &[T]) -> f32;

    /// The same score, for code compiled with AVX2 on a CPU that has it.
    #[cfg(target_arch = "x86_64")]
    #[inline(always)]
    fn score_avx2(&self, row: &[T]) -> f32 {
        self.score(row)
    }
}

struct FloatDot<'a> {
    query: &'a [f32],
}

impl RowScore<f32> for FloatDot<'_> {
    #[inline(always)]
    fn score(&self, row: &[f32]) -> f32 {
        dot(row, self.query)
    }

    #[cfg(target_arch = "x86_64")]
    #[inline(always)]
    fn score_avx2(&self, row: &[f32]) -> f32 {
        // SAFETY: only called from `top_k_block_avx2`, which runs on CPUs with AVX2.
        #[allow(unsafe_code)]
        unsafe {
            avx2::prefetch_ahead(row)
        };
        dot(row, self.query)
    }
}

struct Int8Dot {
    query: Vec<i8>,
    /// The query widened once, so that each row costs one widening instead of two.
    #[cfg(target_arch = "x86_64")]
    query_i16: Vec<i16>,
}

impl Int8Dot {
    fn new(query: Vec<i8>) -> Self {
        Int8Dot {
            #[cfg(target_arch = "x86_64")]
            query_i16: query.iter().map(|&x| i16::from(x)).collect(),
            query,
        }
    }
}

const INT8_SCALE: f32 = 1.0 / (127.0 * 127.0);

impl RowScore<i8> for Int8Dot {
    #[inline(always)]
    fn score(&self, row: &[i8]) -> f32 {
        dot_i8(row, &self.query) as f32 * INT8_SCALE
    }

    #[cfg(target_arch = "x86_64")]
    #[inline(always)]
    fn score_avx2(&self, row: &[i8]) -> f32 {
        // SAFETY: only called from `top_k_block_avx2`, which runs on CPUs with AVX2.
        #[allow(unsafe_code)]
        let dot = unsafe { avx2::dot_i8(row, &self.query_i16) };
        dot as f32 * INT8_SCALE
    }
}

/// The int8 dot product against a query widened to int16, by the AVX2 kernel where the CPU has it:
/// for the approximate index's graph walk. Exact integers, so both builds agree.
#[derive(Clone, Copy, Debug)]
pub(crate) struct Int8Kernel {
    #[cfg(target_arch = "x86_64")]
    avx2: bool,
}

impl Int8Kernel {
    /// The best kernel this CPU runs.
    pub(crate) fn detect() -> Self {
        Self {
            #[cfg(target_arch = "x86_64")]
            avx2: std::arch::is_x86_feature_detected!("avx2"),
        }
    }

    /// `row . wide` over their common length.
    #[inline]
    pub(crate) fn dot(self, row: &[i8], wide: &[i16]) -> i32 {
        #[cfg(target_arch = "x86_64")]
        if self.avx2 {
            // SAFETY: `avx2` is only true when `detect` found AVX2 on this CPU.
            #[allow(unsafe_code)]
            return unsafe { avx2::dot_i8_at(row, wide) };
        }
        row.iter()
            .zip(wide)
            .map(|(x, y)| i32::from(*x) * i32::from(*y))
            .sum()
    }
}

fn quantise(x: f32) -> i8 {
    (x * 127.0).round().clamp(-127.0, 127.0) as i8
}

#[inline(always)]
fn dot(a: &[f32], b: &[f32]) -> f32 {
    // Eight independent accumulators let the compiler keep several SIMD lanes busy.
    let mut acc = [0.0f32; 8];
    let (ca, cb) = (a.chunks_exact(8), b.chunks_exact(8));
    let tail: f32 = ca
        .remainder()
        .iter()
        .zip(cb.remainder())
        .map(|(x, y)| x * y)
        .sum();
    for (x, y) in ca.zip(cb) {
        for i in 0..8 {
            acc[i] += x[i] * y[i];
        }
    }
    acc.iter().sum::<f32>() + tail
}

#[inline(always)]
fn dot_i8(a: &[i8], b: &[i8]) -> i32 {
    // Sixteen i32 lanes over fixed-size chunks: the compiler widens and multiplies them in SIMD
    // registers (the plain zip-map-sum did not vectorise as well). Integer sums: exact.
    let mut acc = [0i32; 16];
    let (ca, cb) = (a.chunks_exact(16), b.chunks_exact(16));
    let tail: i32 = ca
        .remainder()
        .iter()
        .zip(cb.remainder())
        .map(|(x, y)| i32::from(*x) * i32::from(*y))
        .sum();
    for (x, y) in ca.zip(cb) {
        for i in 0..16 {
            acc[i] += i32::from(x[i]) * i32::from(y[i]);
        }
    }
    acc.iter().sum::<i32>() + tail
}

#[cfg(target_arch = "x86_64")]
mod avx2 {
    use std::arch::x86_64::{
        __m128i, __m256i, _MM_HINT_T0, _mm_add_epi32, _mm_cvtsi128_si32, _mm_loadu_si128,
        _mm_prefetch, _mm_shuffle_epi32, _mm256_add_epi32, _mm256_castsi256_si128,
        _mm256_cvtepi8_epi16, _mm256_extracti128_si256, _mm256_loadu_si256, _mm256_madd_epi16,
        _mm256_setzero_si256,
    };

    /// How far ahead of the row being scored the scan asks for memory. With the hardware
    /// prefetcher alone the int8 scan of 1M x 192 read 10 GB/s on two cores; with this, 14 GB/s
    /// (of a 20 GB/s streaming read). 1 KB and 4 KB ahead measured the same within noise.
    const PREFETCH_AHEAD: usize = 2048;

    /// Asks for the cache lines `PREFETCH_AHEAD` bytes past the start of `row`, one per 64 bytes
    /// of the row. A prefetch is only a hint: it never faults, so the address may lie past the
    /// list's end (it is formed with `wrapping_add`, never dereferenced).
    #[target_feature(enable = "avx2")]
    #[inline]
    pub(super) fn prefetch_ahead<T>(row: &[T]) {
        let start = row.as_ptr().cast::<i8>().wrapping_add(PREFETCH_AHEAD);
        for line in (0..size_of_val(row)).step_by(64) {
            _mm_prefetch::<_MM_HINT_T0>(start.wrapping_add(line));
        }
    }

    /// The exact integer dot product of an int8 row and a query widened to int16: sixteen values
    /// per step, sign-extended and multiplied in pairs into eight int32 lanes (`vpmaddwd`), which
    /// the compiler does not find on its own. Lanes cannot overflow: a step adds at most
    /// 2 * 127 * 127 per lane, and rows are at most `MAX_DIM` long.
    #[target_feature(enable = "avx2")]
    pub(super) fn dot_i8(row: &[i8], query: &[i16]) -> i32 {
        prefetch_ahead(row);
        dot_i8_at(row, query)
    }

    /// [`dot_i8`] without the prefetch, for rows read in no order (the approximate index's walk),
    /// where fetching the memory after the row would only waste bandwidth.
    #[target_feature(enable = "avx2")]
    #[allow(unsafe_code)]
    #[inline]
    pub(super) fn dot_i8_at(row: &[i8], query: &[i16]) -> i32 {
        let n = row.len().min(query.len());
        let steps = n / 16;
        let mut acc: [__m256i; 2] = [_mm256_setzero_si256(); 2];
        for step in 0..steps {
            let at = step * 16;
            // SAFETY: `at + 16 <= n`, which is within both slices; unaligned loads are allowed.
            let (r, q) = unsafe {
                (
                    _mm_loadu_si128(row.as_ptr().add(at).cast::<__m128i>()),
                    _mm256_loadu_si256(query.as_ptr().add(at).cast::<__m256i>()),
                )
            };
            let lane = step % 2;
            acc[lane] = _mm256_add_epi32(acc[lane], _mm256_madd_epi16(_mm256_cvtepi8_epi16(r), q));
        }
        let sum = _mm256_add_epi32(acc[0], acc[1]);
        let half = _mm_add_epi32(
            _mm256_castsi256_si128(sum),
            _mm256_extracti128_si256::<1>(sum),
        );
        let quarter = _mm_add_epi32(half, _mm_shuffle_epi32::<0b01_00_11_10>(half));
        let one = _mm_add_epi32(quarter, _mm_shuffle_epi32::<0b10_11_00_01>(quarter));
        let tail: i32 = row[steps * 16..n]
            .iter()
            .zip(&query[steps * 16..n])
            .map(|(x, y)| i32::from(*x) * i32::from(*y))
            .sum();
        _mm_cvtsi128_si32(one) + tail
    }
}

/// Up to this `k`, searches keep a running top-k instead of scoring every row first.
const SMALL_K: usize = 64;
/// Rows per unit of parallel work in the top-k scan.
#[cfg(any(feature = "parallel", test))]
const BLOCK_ROWS: usize = 4096;

/// Best first; equal scores: the earlier row first.
fn by_score(sa: f32, a: usize, sb: f32, b: usize) -> std::cmp::Ordering {
    sb.total_cmp(&sa).then(a.cmp(&b))
}

/// Adds row `i` with score `s` to `best` (sorted best first, at most `k` long).
fn offer(best: &mut Vec<(usize, f32)>, k: usize, i: usize, s: f32) {
    if best.len() == k {
        match best.last() {
            Some(&(wi, ws)) if by_score(s, i, ws, wi).is_lt() => {
                best.pop();
            }
            _ => return,
        }
    }
    let at = best.partition_point(|&(bi, bs)| by_score(bs, bi, s, i).is_lt());
    best.insert(at, (i, s));
}

/// Scores one block of rows into `best`, compiled a second time for AVX2 and taken at run time
/// when the CPU has it: the portable x86-64 build only vectorises with SSE2, where widening int8 to
/// int32 costs more than the memory it reads.
fn top_k_block<T>(
    block: &[T],
    first_row: usize,
    dim: usize,
    k: usize,
    score: &impl RowScore<T>,
    best: &mut Vec<(usize, f32)>,
) {
    #[cfg(target_arch = "x86_64")]
    if std::arch::is_x86_feature_detected!("avx2") {
        // SAFETY: the only requirement of an `avx2` function is a CPU with AVX2, checked above.
        #[allow(unsafe_code)]
        unsafe {
            top_k_block_avx2(block, first_row, dim, k, score, best)
        };
        return;
    }
    top_k_block_with(block, first_row, dim, k, |row| score.score(row), best);
}

/// The same loop with AVX2 enabled, so the inlined dot products vectorise over 256-bit registers.
/// Integer scores are exact and Rust never fuses float multiplies and adds, so both builds return
/// the same bits.
#[cfg(target_arch = "x86_64")]
#[target_feature(enable = "avx2")]
fn top_k_block_avx2<T>(
    block: &[T],
    first_row: usize,
    dim: usize,
    k: usize,
    score: &impl RowScore<T>,
    best: &mut Vec<(usize, f32)>,
) {
    top_k_block_with(block, first_row, dim, k, |row| score.score_avx2(row), best);
}

#[inline(always)]
fn top_k_block_with<T>(
    block: &[T],
    first_row: usize,
    dim: usize,
    k: usize,
    score: impl Fn(&[T]) -> f32,
    best: &mut Vec<(usize, f32)>,
) {
    for (j, row) in block.chunks_exact(dim).enumerate() {
        let s = score(row);
        // Most rows lose to the current k-th best: one comparison and on.
        if best.len() < k
            || best
                .last()
                .is_some_and(|&(wi, ws)| by_score(s, first_row + j, ws, wi).is_lt())
        {
            offer(best, k, first_row + j, s);
        }
    }
}

#[cfg(feature = "parallel")]
fn top_k_scan<T: Sync>(
    data: &[T],
    dim: usize,
    k: usize,
    score: &impl RowScore<T>,
) -> Vec<(usize, f32)> {
    use rayon::prelude::*;
    data.par_chunks(dim * BLOCK_ROWS)
        .enumerate()
        .fold(Vec::new, |mut best, (b, block)| {
            top_k_block(block, b * BLOCK_ROWS, dim, k, score, &mut best);
            best
        })
        .reduce(Vec::new, |mut a, b| {
            for (i, s) in b {
                offer(&mut a, k, i, s);
            }
            a
        })
}

#[cfg(not(feature = "parallel"))]
fn top_k_scan<T>(data: &[T], dim: usize, k: usize, score: &impl RowScore<T>) -> Vec<(usize, f32)> {
    let mut best = Vec::new();
    top_k_block(data, 0, dim, k, score, &mut best);
    best
}

#[cfg(feature = "parallel")]
fn scan<T: Sync>(data: &[T], dim: usize, score: &impl RowScore<T>) -> Vec<f32> {
    use rayon::prelude::*;
    data.par_chunks_exact(dim)
        .map(|row| score.score(row))
        .collect()
}

#[cfg(not(feature = "parallel"))]
fn scan<T>(data: &[T], dim: usize, score: &impl RowScore<T>) -> Vec<f32> {
    data.chunks_exact(dim).map(|row| score.score(row)).collect()
}

fn put_str(out: &mut Vec<u8>, s: &str) {
    out.extend_from_slice(&(s.len() as u32).to_le_bytes());
    out.extend_from_slice(s.as_bytes());
}

struct Reader<'a>(&'a [u8]);

impl<'a> Reader<'a> {
    fn take(&mut self, n: usize) -> Result<&'a [u8], GalleryError> {
        if n > self.0.len() {
            return Err(GalleryError::Corrupt("truncated".into()));
        }
        let (head, rest) = self.0.split_at(n);
        self.0 = rest;
        Ok(head)
    }

    fn u32(&mut self) -> Result<u32, GalleryError> {
        let b = self.take(4)?;
        Ok(u32::from_le_bytes([b[0], b[1], b[2], b[3]]))
    }

    fn string(&mut self) -> Result<String, GalleryError> {
        let n = self.u32()? as usize;
        if n > 1024 {
            return Err(GalleryError::Corrupt("string too long".into()));
        }
        String::from_utf8(self.take(n)?.to_vec())
            .map_err(|_| GalleryError::Corrupt("not UTF-8".into()))
    }
}

/// Named lists in memory, as the engine's [`FaceLists`]: the default a host starts with. A list
/// takes the model and size of the first template enrolled in it; hits are held to the threshold
/// calibrated for that model ([`crate::face::matcher::threshold_for`]) unless one is given.
#[derive(Debug, Default)]
pub struct InMemoryFaceLists {
    lists: RwLock<HashMap<String, Slot>>,
    threshold: Option<f64>,
}

/// One named list: its gallery once a template fixed its model and size, and its search mode
/// (with the index's seed) until then.
#[derive(Debug, Default)]
struct Slot {
    gallery: Option<Gallery>,
    mode: SearchMode,
    seed: u64,
}

impl InMemoryFaceLists {
    /// Lists whose hits are held to the threshold of the model that made their templates.
    pub fn calibrated() -> Self {
        Self::default()
    }

    /// Lists whose hits are held to `threshold` whatever the model.
    pub fn new(threshold: f64) -> Self {
        Self {
            lists: RwLock::default(),
            threshold: Some(threshold),
        }
    }

    /// Lists `ids`, each empty (an id already there keeps its people).
    pub fn with_lists<'a>(self, ids: impl IntoIterator<Item = &'a str>) -> Self {
        for id in ids {
            self.create(id);
        }
        self
    }

    /// An empty list `list_id`, unless it exists.
    pub fn create(&self, list_id: &str) {
        self.lists
            .write()
            .unwrap_or_else(|p| p.into_inner())
            .entry(list_id.to_owned())
            .or_default();
    }

    /// Puts `gallery` under `list_id`, with its search mode.
    pub fn insert(&self, list_id: &str, gallery: Gallery) {
        let slot = Slot {
            mode: gallery.search_mode(),
            seed: gallery.index().map_or(0, Hnsw::seed),
            gallery: Some(gallery),
        };
        self.lists
            .write()
            .unwrap_or_else(|p| p.into_inner())
            .insert(list_id.to_owned(), slot);
    }

    /// Chooses how `list_id` is searched (creating the list), now or, for a list still without
    /// a template, from its first one. The index's seed is drawn from `entropy`.
    pub fn set_search_mode(
        &self,
        list_id: &str,
        mode: SearchMode,
        entropy: &dyn Entropy,
    ) -> Result<(), GalleryError> {
        if let SearchMode::Approximate(params) = mode {
            params.validate()?;
        }
        let mut seed = [0u8; 8];
        entropy.fill(&mut seed);
        let seed = u64::from_le_bytes(seed);
        let mut lists = self.lists.write().unwrap_or_else(|p| p.into_inner());
        let slot = lists.entry(list_id.to_owned()).or_default();
        if let Some(gallery) = &mut slot.gallery {
            gallery.set_search_mode_seeded(mode, seed)?;
        }
        slot.mode = mode;
        slot.seed = seed;
        Ok(())
    }

    /// How `list_id` is searched (`None` for an unknown list).
    pub fn search_mode(&self, list_id: &str) -> Option<SearchMode> {
        let lists = self.lists.read().unwrap_or_else(|p| p.into_inner());
        lists.get(list_id).map(|slot| slot.mode)
    }

    /// Removes `person_id` from `list_id`; true when they were there.
    pub fn remove(&self, list_id: &str, person_id: &str) -> bool {
        let mut lists = self.lists.write().unwrap_or_else(|p| p.into_inner());
        match lists
            .get_mut(list_id)
            .and_then(|slot| slot.gallery.as_mut())
        {
            Some(gallery) => gallery.remove(person_id),
            None => false,
        }
    }

    /// People in `list_id` (0 for an unknown list).
    pub fn len(&self, list_id: &str) -> usize {
        let lists = self.lists.read().unwrap_or_else(|p| p.into_inner());
        lists
            .get(list_id)
            .and_then(|slot| slot.gallery.as_ref())
            .map_or(0, Gallery::len)
    }

    /// The list ids, sorted.
    pub fn list_ids(&self) -> Vec<String> {
        let lists = self.lists.read().unwrap_or_else(|p| p.into_inner());
        let mut ids: Vec<String> = lists.keys().cloned().collect();
        ids.sort();
        ids
    }
}

pub(crate) fn gallery_error(e: GalleryError) -> Error {
    Error::Analysis {
        code: e.code(),
        message: e.to_string(),
    }
}

impl FaceLists for InMemoryFaceLists {
    fn closest(&self, list_id: &str, face: &FaceTemplate) -> Result<Option<FaceListHit>, Error> {
        let lists = self.lists.read().unwrap_or_else(|p| p.into_inner());
        let gallery = lists.get(list_id).ok_or_else(|| Error::Analysis {
            code: "gallery.unknown_list",
            message: format!("no face list '{list_id}'"),
        })?;
        let Some(gallery) = &gallery.gallery else {
            return Ok(None);
        };
        let threshold = match self.threshold {
            Some(t) => t,
            None => {
                crate::face::matcher::threshold_for(&face.model).ok_or_else(|| Error::Analysis {
                    code: "gallery.no_threshold",
                    message: format!("no calibrated threshold for model '{}'", face.model),
                })?
            }
        };
        let best = gallery.find(face, 1).map_err(gallery_error)?;
        Ok(best
            .into_iter()
            .next()
            .map(|(person_id, score)| FaceListHit {
                person_id,
                score: f64::from(score),
                threshold,
            }))
    }

    fn enroll(&self, list_id: &str, person_id: &str, face: &FaceTemplate) -> Result<(), Error> {
        let mut lists = self.lists.write().unwrap_or_else(|p| p.into_inner());
        let slot = lists.entry(list_id.to_owned()).or_default();
        let gallery = match &mut slot.gallery {
            Some(g) => g,
            None => {
                let mut fresh =
                    Gallery::new(&face.model, face.vector.len()).map_err(gallery_error)?;
                fresh
                    .set_search_mode_seeded(slot.mode, slot.seed)
                    .map_err(gallery_error)?;
                slot.gallery.insert(fresh)
            }
        };
        gallery.add(person_id, face).map_err(gallery_error)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn template(seed: u32) -> FaceTemplate {
        // A deterministic pseudo-random unit vector.
        let mut x = seed.wrapping_mul(2_654_435_761).wrapping_add(1);
        let vector = (0..128)
            .map(|_| {
                x ^= x << 13;
                x ^= x >> 17;
                x ^= x << 5;
                (x as f32 / u32::MAX as f32) - 0.5
            })
            .collect();
        FaceTemplate {
            model: "m".into(),
            vector,
        }
    }

    #[test]
    fn search_finds_the_person_and_int8_agrees() {
        let mut g = Gallery::new("m", 128).unwrap();
        for i in 0..500 {
            g.add(&format!("p{i}"), &template(i)).unwrap();
        }
        let hits = g.search(&template(123), 3).unwrap();
        assert_eq!(hits[0].0, "p123");
        assert!((hits[0].1 - 1.0).abs() < 1e-5);
        assert!(hits[1].1 < 0.5);
        let int8 = g.search_int8(&template(123), 3).unwrap();
        assert_eq!(int8[0].0, "p123");
        assert!(
            (int8[0].1 - hits[0].1).abs() < 0.02,
            "{} vs {}",
            int8[0].1,
            hits[0].1
        );
    }

    #[test]
    fn running_top_k_equals_a_full_sort() {
        let mut g = Gallery::new("m", 128).unwrap();
        for i in 0..(BLOCK_ROWS as u32 * 2 + 37) {
            // Every person twice over (ties), in two rows each.
            g.add(&format!("p{i}"), &template(i % 3000)).unwrap();
        }
        let q = g.check(&template(17)).unwrap();
        let scores: Vec<f32> = g.vectors.chunks_exact(128).map(|r| dot(r, &q)).collect();
        let mut order: Vec<usize> = (0..scores.len()).collect();
        order.sort_by(|a, b| by_score(scores[*a], *a, scores[*b], *b));
        for k in [1, 2, 5, SMALL_K, SMALL_K + 1, 300] {
            let want: Vec<(String, f32)> = order[..k]
                .iter()
                .map(|i| (g.ids[*i].clone(), scores[*i]))
                .collect();
            assert_eq!(g.search(&template(17), k).unwrap(), want, "k = {k}");
        }
        assert_eq!(g.search_int8(&template(17), 2).unwrap()[0].0, "p17");
    }

    #[test]
    fn int8_top_k_equals_a_full_sort_of_the_portable_scores() {
        // 100 values: six 16-value steps of the AVX2 kernel and a tail of four.
        let dim = 100;
        let mut g = Gallery::new("m", dim).unwrap();
        let cut = |t: FaceTemplate| FaceTemplate {
            vector: t.vector[..dim].to_vec(),
            ..t
        };
        for i in 0..(BLOCK_ROWS as u32 + 99) {
            g.add(&format!("p{i}"), &cut(template(i))).unwrap();
        }
        let query = cut(template(5));
        let q: Vec<i8> = g
            .check(&query)
            .unwrap()
            .iter()
            .map(|x| quantise(*x))
            .collect();
        let scores: Vec<f32> = g
            .quantised
            .chunks_exact(dim)
            .map(|r| dot_i8(r, &q) as f32 * INT8_SCALE)
            .collect();
        let mut order: Vec<usize> = (0..scores.len()).collect();
        order.sort_by(|a, b| by_score(scores[*a], *a, scores[*b], *b));
        let want: Vec<(String, f32)> = order[..SMALL_K]
            .iter()
            .map(|i| (g.ids[*i].clone(), scores[*i]))
            .collect();
        assert_eq!(g.search_int8(&query, SMALL_K).unwrap(), want);
        assert_eq!(want[0].0, "p5");
    }

    #[cfg(target_arch = "x86_64")]
    #[test]
    fn avx2_int8_kernel_is_exact_at_every_length_and_at_the_extremes() {
        if !std::arch::is_x86_feature_detected!("avx2") {
            eprintln!("skipped: this CPU has no AVX2");
            return;
        }
        let mut x = 12345u32;
        let mut next = || {
            x ^= x << 13;
            x ^= x >> 17;
            x ^= x << 5;
            (x % 255) as i32 - 127
        };
        for n in 0..=MAX_DIM.min(200) {
            let row: Vec<i8> = (0..n).map(|_| next() as i8).collect();
            let query: Vec<i8> = (0..n).map(|_| next() as i8).collect();
            let wide: Vec<i16> = query.iter().map(|&v| i16::from(v)).collect();
            // SAFETY: AVX2 was detected above.
            #[allow(unsafe_code)]
            let got = unsafe { avx2::dot_i8(&row, &wide) };
            assert_eq!(got, dot_i8(&row, &query), "length {n}");
        }
        // The largest sum a list can hold: every product 127 * 127 over MAX_DIM values.
        let row = vec![-127i8; MAX_DIM];
        let wide = vec![-127i16; MAX_DIM];
        // SAFETY: as above.
        #[allow(unsafe_code)]
        let got = unsafe { avx2::dot_i8(&row, &wide) };
        assert_eq!(got, 127 * 127 * MAX_DIM as i32);
    }

    #[test]
    fn remove_and_round_trip_through_bytes() {
        let mut g = Gallery::new("m", 128).unwrap();
        for i in 0..10 {
            g.add(&format!("p{i}"), &template(i)).unwrap();
        }
        assert!(g.remove("p3"));
        assert!(!g.remove("p3"));
        assert_eq!(g.len(), 9);
        assert_ne!(g.search(&template(3), 1).unwrap()[0].0, "p3");
        assert_eq!(
            g.search(&template(9), 1).unwrap()[0].0,
            "p9",
            "the moved row still matches"
        );
        let again = Gallery::from_bytes(&g.to_bytes()).unwrap();
        assert_eq!(again.ids, g.ids);
        assert_eq!(
            again.search(&template(7), 1).unwrap(),
            g.search(&template(7), 1).unwrap()
        );
    }

    #[test]
    fn bad_input_is_typed() {
        let mut g = Gallery::new("m", 128).unwrap();
        let other = FaceTemplate {
            model: "other".into(),
            vector: vec![1.0; 128],
        };
        assert_eq!(
            g.add("x", &other).unwrap_err().code(),
            "gallery.incompatible"
        );
        let zero = FaceTemplate {
            model: "m".into(),
            vector: vec![0.0; 128],
        };
        assert_eq!(g.add("x", &zero).unwrap_err().code(), "gallery.bad_vector");
        let bytes = g.to_bytes();
        for cut in 0..bytes.len() {
            assert!(Gallery::from_bytes(&bytes[..cut]).is_err());
        }
        let mut lying = bytes.clone();
        let at = lying.len() - 4;
        lying[at..].copy_from_slice(&u32::MAX.to_le_bytes());
        assert_eq!(
            Gallery::from_bytes(&lying).unwrap_err().code(),
            "gallery.corrupt"
        );
    }

    #[test]
    fn blacklist_hits_respect_the_threshold() {
        let lists = InMemoryFaceLists::new(0.45);
        let mut g = Gallery::new("m", 128).unwrap();
        g.add("bad-actor", &template(1)).unwrap();
        lists.insert("blacklist", g);
        let hit = lists
            .best_match("blacklist", &template(1))
            .unwrap()
            .unwrap();
        assert_eq!(hit.person_id, "bad-actor");
        assert!(
            lists
                .best_match("blacklist", &template(2))
                .unwrap()
                .is_none()
        );
        assert_eq!(
            lists.best_match("nope", &template(1)).unwrap_err().code(),
            "gallery.unknown_list"
        );
    }
}
