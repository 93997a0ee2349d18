//! An approximate index for one face list: a hierarchical navigable small-world graph (HNSW;
//! Malkov and Yashunin, 2018) over the list's int8 codes. A search walks the graph comparing int8
//! codes (exact integer dot products), keeps `ef_search` candidates, and the gallery re-ranks those
//! with the exact fp32 dot product, so every score it returns is the exact scan's score for that
//! person; what the index can miss is a person, never a score.
//!
//! - **Where the vectors live.** The index holds the graph only. Codes are read from the gallery's
//!   own int8 rows through `node_row`; a node keeps a copy of its code only once its person is
//!   removed (a tombstone, see below). So the index adds the links (about `4 * (2M + 1)` bytes a
//!   person at layer 0) and two row maps to the list's memory.
//! - **Adding** inserts one node (Algorithm 1 of the paper, neighbours chosen by its heuristic,
//!   Algorithm 4, without extending candidates or keeping pruned ones, as hnswlib does).
//! - **Removing** marks the node deleted: it is never returned or re-ranked, but keeps routing
//!   searches (its int8 code moves into the index). Its neighbours that linked to it are repaired
//!   at once: each chooses its links again by the heuristic from its own links and the removed
//!   node's, tombstones left out; full lists choosing again drop tombstones too. When tombstones
//!   outnumber the living (and exceed [`COMPACT_FLOOR`]), the gallery rebuilds the index from its
//!   living rows with the same seed: at most one rebuild per as many removals as there are people.
//! - **Determinism.** A node's layer is drawn from a hash of the index's seed and the node's number
//!   (never from a global generator); the gallery draws the seed from the host's
//!   [`crate::Entropy`]. Same seed, same adds and removes: the same graph, byte for byte.
//! - **Bytes** (`KYCHNS01`, little-endian, after the gallery's rows in a `KYCGAL02` file): every
//!   count and neighbour id is checked before it is used or allocated for; a corrupt file is a
//!   [`GalleryError::Corrupt`], never a panic. Loading copies into owned vectors (the gallery's own
//!   rows are copied too); no memory map, see `docs/gallery.md`.

use std::cmp::Reverse;
use std::collections::BinaryHeap;

use rustc_hash::FxHashMap;

use super::gallery::{GalleryError, Int8Kernel, MAX_ENTRIES};

/// Largest `m` (links per node above layer 0; twice that at layer 0).
pub const MAX_M: usize = 64;
/// Largest `ef_construction` or `ef_search`.
pub const MAX_EF: usize = 4096;
/// Tombstones the index carries before it may be rebuilt, however small the list.
pub const COMPACT_FLOOR: usize = 1024;
/// Highest layer a node may reach (with `m = 2`, 2^-16 of the nodes reach it).
const MAX_LEVEL: u8 = 16;
/// Nodes one index holds: the list's limit plus as many tombstones (see [`COMPACT_FLOOR`]).
const MAX_NODES: usize = 2 * MAX_ENTRIES + COMPACT_FLOOR + 1;
/// No node, no row.
const NONE: u32 = u32::MAX;
const MAGIC: &[u8; 8] = b"KYCHNS01";

/// How the graph is built and searched.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct HnswParams {
    /// Links per node above layer 0 (2 to [`MAX_M`]); layer 0 holds twice as many.
    pub m: u32,
    /// Candidates kept while linking a new node (at least `m`, at most [`MAX_EF`]).
    pub ef_construction: u32,
    /// Candidates kept while searching (1 to [`MAX_EF`]; a search for `k` keeps at least `k`).
    pub ef_search: u32,
}

impl Default for HnswParams {
    /// `m = 16`, `ef_construction = 128`, `ef_search = 96`. On 22,000 random 128-d unit vectors
    /// (iid directions: the hardest case for a graph) another photo of a listed person is found
    /// first every time (recall@1 1.00); the ten nearest of a query need `ef_search` 768 for
    /// recall@10 0.99 (`tests/it/face_ann.rs`). At 200,000 x 192 random, recall@1 falls to 0.93:
    /// see docs/gallery.md before switching a large list.
    fn default() -> Self {
        Self {
            m: 16,
            ef_construction: 128,
            ef_search: 96,
        }
    }
}

impl HnswParams {
    /// Refuses values outside the documented ranges.
    pub fn validate(&self) -> Result<(), GalleryError> {
        let (m, efc, efs) = (
            self.m as usize,
            self.ef_construction as usize,
            self.ef_search as usize,
        );
        if !(2..=MAX_M).contains(&m) {
            return Err(GalleryError::Limit(format!("m must be 2 to {MAX_M}")));
        }
        if !(m..=MAX_EF).contains(&efc) {
            return Err(GalleryError::Limit(format!(
                "ef_construction must be m to {MAX_EF}"
            )));
        }
        if !(1..=MAX_EF).contains(&efs) {
            return Err(GalleryError::Limit(format!(
                "ef_search must be 1 to {MAX_EF}"
            )));
        }
        Ok(())
    }
}

/// The gallery's int8 rows, as the index reads them.
#[derive(Clone, Copy)]
pub(crate) struct Rows<'a> {
    pub(crate) codes: &'a [i8],
    pub(crate) dim: usize,
}

impl<'a> Rows<'a> {
    fn row(&self, row: usize) -> &'a [i8] {
        self.codes
            .get(row * self.dim..(row + 1) * self.dim)
            .unwrap_or(&[])
    }
}

/// One HNSW graph over a gallery's rows.
#[derive(Clone, PartialEq)]
pub struct Hnsw {
    params: HnswParams,
    dim: usize,
    seed: u64,
    /// Each node's gallery row, [`NONE`] once removed.
    node_row: Vec<u32>,
    /// Each gallery row's node (the gallery's order: it swaps its last row into a removed one).
    row_node: Vec<u32>,
    levels: Vec<u8>,
    /// Layer 0: per node, a count then `2m` slots.
    layer0: Vec<u32>,
    /// Layers 1 and up, for the few nodes that reach them: `[layer - 1]`.
    upper: FxHashMap<u32, Vec<Vec<u32>>>,
    /// The int8 codes of removed nodes, which still route searches.
    tombs: FxHashMap<u32, Box<[i8]>>,
    entry: u32,
    max_level: u8,
}

impl std::fmt::Debug for Hnsw {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Hnsw")
            .field("params", &self.params)
            .field("live", &self.live())
            .field("tombstones", &self.tombstones())
            .field("max_level", &self.max_level)
            .finish()
    }
}

/// A query's code widened once, scored against int8 rows by the gallery's kernel.
struct Query {
    wide: Vec<i16>,
    kernel: Int8Kernel,
}

impl Query {
    fn new(kernel: Int8Kernel) -> Self {
        Self {
            wide: Vec::new(),
            kernel,
        }
    }

    fn set(&mut self, code: &[i8]) -> &mut Self {
        self.wide.clear();
        self.wide.extend(code.iter().map(|&x| i16::from(x)));
        self
    }

    #[inline]
    fn score(&self, row: &[i8]) -> i32 {
        self.kernel.dot(row, &self.wide)
    }
}

/// Nodes seen by one layer search.
struct Visited(Vec<u64>);

impl Visited {
    fn new(nodes: usize) -> Self {
        Self(vec![0; nodes.div_ceil(64)])
    }

    /// True the first time `node` is offered.
    #[inline]
    fn insert(&mut self, node: u32) -> bool {
        let (word, bit) = (node as usize / 64, 1u64 << (node % 64));
        match self.0.get_mut(word) {
            Some(w) if *w & bit == 0 => {
                *w |= bit;
                true
            }
            _ => false,
        }
    }
}

/// A scored node; the heap order is the score, then the lower node first.
type Scored = (i32, Reverse<u32>);

impl Hnsw {
    /// An empty index.
    pub(crate) fn new(params: HnswParams, dim: usize, seed: u64) -> Result<Self, GalleryError> {
        params.validate()?;
        Ok(Self {
            params,
            dim,
            seed,
            ..Self::empty()
        })
    }

    fn empty() -> Self {
        Self {
            params: HnswParams::default(),
            dim: 0,
            seed: 0,
            node_row: Vec::new(),
            row_node: Vec::new(),
            levels: Vec::new(),
            layer0: Vec::new(),
            upper: FxHashMap::default(),
            tombs: FxHashMap::default(),
            entry: NONE,
            max_level: 0,
        }
    }

    /// An index over the first `count` rows of `rows`, added in row order.
    pub(crate) fn build(
        params: HnswParams,
        seed: u64,
        rows: Rows<'_>,
        count: usize,
    ) -> Result<Self, GalleryError> {
        let mut index = Self::new(params, rows.dim, seed)?;
        let kernel = Int8Kernel::detect();
        for row in 0..count {
            index.insert(row, rows, kernel)?;
        }
        Ok(index)
    }

    /// The parameters.
    pub fn params(&self) -> HnswParams {
        self.params
    }

    /// The seed the layers are drawn from.
    pub(crate) fn seed(&self) -> u64 {
        self.seed
    }

    /// Sets the candidates a search keeps (validated like [`HnswParams`]).
    pub(crate) fn set_ef_search(&mut self, ef_search: u32) -> Result<(), GalleryError> {
        let params = HnswParams {
            ef_search,
            ..self.params
        };
        params.validate()?;
        self.params = params;
        Ok(())
    }

    /// People indexed.
    pub fn live(&self) -> usize {
        self.row_node.len()
    }

    /// Removed people whose nodes still route searches.
    pub fn tombstones(&self) -> usize {
        self.tombs.len()
    }

    /// True when a rebuild from the living rows is due.
    pub(crate) fn wants_compaction(&self) -> bool {
        self.tombstones() > self.live().max(COMPACT_FLOOR)
    }

    /// True when one more node would pass [`MAX_NODES`].
    pub(crate) fn is_full(&self) -> bool {
        self.levels.len() >= MAX_NODES
    }

    fn m(&self) -> usize {
        self.params.m as usize
    }

    fn stride(&self) -> usize {
        1 + 2 * self.m()
    }

    fn cap(&self, level: u8) -> usize {
        if level == 0 { 2 * self.m() } else { self.m() }
    }

    fn is_live(&self, node: u32) -> bool {
        self.node_row.get(node as usize).is_some_and(|&r| r != NONE)
    }

    fn links(&self, node: u32, level: u8) -> &[u32] {
        if level == 0 {
            let at = node as usize * self.stride();
            let Some(slot) = self.layer0.get(at..at + self.stride()) else {
                return &[];
            };
            let count = (slot[0] as usize).min(slot.len() - 1);
            &slot[1..1 + count]
        } else {
            self.upper
                .get(&node)
                .and_then(|layers| layers.get(usize::from(level) - 1))
                .map_or(&[], Vec::as_slice)
        }
    }

    fn set_links(&mut self, node: u32, level: u8, links: &[u32]) {
        let cap = self.cap(level);
        let links = &links[..links.len().min(cap)];
        if level == 0 {
            let at = node as usize * self.stride();
            if let Some(slot) = self.layer0.get_mut(at..at + 1 + cap) {
                slot[0] = links.len() as u32;
                slot[1..1 + links.len()].copy_from_slice(links);
                // Unused slots are zero, so that equal graphs are equal bytes.
                slot[1 + links.len()..].fill(0);
            }
        } else if let Some(list) = self
            .upper
            .get_mut(&node)
            .and_then(|layers| layers.get_mut(usize::from(level) - 1))
        {
            list.clear();
            list.extend_from_slice(links);
        }
    }

    fn code<'r>(&'r self, rows: Rows<'r>, node: u32) -> &'r [i8] {
        match self.node_row.get(node as usize) {
            Some(&NONE) => self.tombs.get(&node).map_or(&[], |c| &c[..]),
            Some(&row) => rows.row(row as usize),
            None => &[],
        }
    }

    /// A node's top layer: `floor(-ln(u) / ln(m))` for `u` uniform in (0, 1], `u` hashed from the
    /// seed and the node's number (SplitMix64).
    fn level_for(&self, node: u32) -> u8 {
        let mut z = self.seed.wrapping_add(
            u64::from(node)
                .wrapping_add(1)
                .wrapping_mul(0x9E37_79B9_7F4A_7C15),
        );
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^= z >> 31;
        let u = ((z >> 11) + 1) as f64 / (1u64 << 53) as f64;
        let level = (-u.ln() / (self.m() as f64).ln()).floor();
        if level >= f64::from(MAX_LEVEL) {
            MAX_LEVEL
        } else {
            level as u8
        }
    }

    /// The `ef` nodes closest to `query` on `level` reached from `entry`, best first. Removed nodes
    /// are walked through but, with `live_only`, never returned.
    fn search_layer(
        &self,
        rows: Rows<'_>,
        query: &Query,
        entry: &[(i32, u32)],
        ef: usize,
        level: u8,
        live_only: bool,
    ) -> Vec<(i32, u32)> {
        let mut visited = Visited::new(self.levels.len());
        let mut frontier: BinaryHeap<Scored> = BinaryHeap::new();
        // The worst kept result on top.
        let mut kept: BinaryHeap<Reverse<Scored>> = BinaryHeap::new();
        for &(s, node) in entry {
            if visited.insert(node) {
                frontier.push((s, Reverse(node)));
                if !live_only || self.is_live(node) {
                    kept.push(Reverse((s, Reverse(node))));
                }
            }
        }
        while kept.len() > ef {
            kept.pop();
        }
        while let Some((s, Reverse(node))) = frontier.pop() {
            let worst = kept.peek().map(|Reverse((w, _))| *w);
            if kept.len() >= ef && worst.is_some_and(|w| s < w) {
                break;
            }
            for &next in self.links(node, level) {
                if !visited.insert(next) {
                    continue;
                }
                let sn = query.score(self.code(rows, next));
                let worst = kept.peek().map(|Reverse((w, _))| *w);
                if kept.len() < ef || worst.is_some_and(|w| sn > w) {
                    frontier.push((sn, Reverse(next)));
                    if !live_only || self.is_live(next) {
                        kept.push(Reverse((sn, Reverse(next))));
                        if kept.len() > ef {
                            kept.pop();
                        }
                    }
                }
            }
        }
        let mut out: Vec<(i32, u32)> = kept
            .into_iter()
            .map(|Reverse((s, Reverse(n)))| (s, n))
            .collect();
        out.sort_by(|a, b| b.0.cmp(&a.0).then(a.1.cmp(&b.1)));
        out
    }

    /// Up to `m` of `candidates` (best first, distinct, living) that are each closer to the query
    /// than to any already chosen: the paper's heuristic, which keeps links pointing in different
    /// directions so that clusters stay connected.
    fn select(
        &self,
        rows: Rows<'_>,
        candidates: &[(i32, u32)],
        m: usize,
        probe: &mut Query,
    ) -> Vec<u32> {
        let mut chosen: Vec<u32> = Vec::with_capacity(m);
        for &(s, c) in candidates {
            if chosen.len() >= m {
                break;
            }
            probe.set(self.code(rows, c));
            if chosen.iter().all(|&o| probe.score(self.code(rows, o)) <= s) {
                chosen.push(c);
            }
        }
        chosen
    }

    /// Indexes gallery row `row`, which must be the next one (the gallery appends).
    pub(crate) fn insert(
        &mut self,
        row: usize,
        rows: Rows<'_>,
        kernel: Int8Kernel,
    ) -> Result<(), GalleryError> {
        if row != self.row_node.len() || self.is_full() {
            return Err(GalleryError::Limit(
                "the face index is full or out of step with its list".into(),
            ));
        }
        let node = self.levels.len() as u32;
        let level = self.level_for(node);
        self.node_row.push(row as u32);
        self.row_node.push(node);
        self.levels.push(level);
        self.layer0.resize(self.layer0.len() + self.stride(), 0);
        if level > 0 {
            self.upper
                .insert(node, vec![Vec::new(); usize::from(level)]);
        }
        if self.entry == NONE {
            self.entry = node;
            self.max_level = level;
            return Ok(());
        }
        let mut query = Query::new(kernel);
        query.set(rows.row(row));
        let (mut probe, mut owner) = (Query::new(kernel), Query::new(kernel));
        let mut entry = vec![(query.score(self.code(rows, self.entry)), self.entry)];
        for l in (level.saturating_add(1)..=self.max_level).rev() {
            entry = self.search_layer(rows, &query, &entry, 1, l, false);
        }
        let ef = self.params.ef_construction as usize;
        for l in (0..=level.min(self.max_level)).rev() {
            let found = self.search_layer(rows, &query, &entry, ef, l, true);
            let chosen = self.select(rows, &found, self.m(), &mut probe);
            self.set_links(node, l, &chosen);
            for &other in &chosen {
                self.link(other, node, l, rows, &mut owner, &mut probe);
            }
            if !found.is_empty() {
                entry = found;
            }
        }
        if level > self.max_level {
            self.entry = node;
            self.max_level = level;
        }
        Ok(())
    }

    /// Adds a link `from -> to` on `level`; a full list chooses again by the heuristic.
    fn link(
        &mut self,
        from: u32,
        to: u32,
        level: u8,
        rows: Rows<'_>,
        owner: &mut Query,
        probe: &mut Query,
    ) {
        let current = self.links(from, level);
        if current.contains(&to) {
            return;
        }
        let mut list = current.to_vec();
        list.push(to);
        if list.len() > self.cap(level) {
            list = self.choose_again(from, &list, level, rows, owner, probe);
        }
        self.set_links(from, level, &list);
    }

    /// `node`'s links on `level` chosen anew from `candidates` (tombstones and itself left out).
    fn choose_again(
        &self,
        node: u32,
        candidates: &[u32],
        level: u8,
        rows: Rows<'_>,
        owner: &mut Query,
        probe: &mut Query,
    ) -> Vec<u32> {
        owner.set(self.code(rows, node));
        let mut scored: Vec<(i32, u32)> = candidates
            .iter()
            .filter(|&&c| c != node && self.is_live(c))
            .map(|&c| (owner.score(self.code(rows, c)), c))
            .collect();
        scored.sort_by(|a, b| b.0.cmp(&a.0).then(a.1.cmp(&b.1)));
        scored.dedup_by_key(|x| x.1);
        self.select(rows, &scored, self.cap(level), probe)
    }

    /// Removes gallery row `row` before the gallery moves its last row into it: the node becomes a
    /// tombstone and its neighbours' links are repaired (see the module notes).
    pub(crate) fn remove_row(&mut self, row: usize, rows: Rows<'_>, kernel: Int8Kernel) {
        let Some(&node) = self.row_node.get(row) else {
            return;
        };
        let code: Box<[i8]> = rows.row(row).into();
        self.tombs.insert(node, code);
        if let Some(r) = self.node_row.get_mut(node as usize) {
            *r = NONE;
        }
        let (mut owner, mut probe) = (Query::new(kernel), Query::new(kernel));
        let top = self.levels.get(node as usize).copied().unwrap_or(0);
        for level in 0..=top {
            let around = self.links(node, level).to_vec();
            for &u in &around {
                if !self.is_live(u) || !self.links(u, level).contains(&node) {
                    continue;
                }
                let mut candidates = self.links(u, level).to_vec();
                candidates.extend_from_slice(&around);
                candidates.sort_unstable();
                candidates.dedup();
                let list = self.choose_again(u, &candidates, level, rows, &mut owner, &mut probe);
                self.set_links(u, level, &list);
            }
        }
        self.row_node.swap_remove(row);
        if let Some(&moved) = self.row_node.get(row)
            && let Some(r) = self.node_row.get_mut(moved as usize)
        {
            *r = row as u32;
        }
        if self.row_node.is_empty() {
            // Nobody left: a later add starts a fresh graph rather than hang off tombstones.
            *self = Self {
                params: self.params,
                dim: self.dim,
                seed: self.seed,
                ..Self::empty()
            };
        } else if node == self.entry {
            self.choose_entry();
        }
    }

    /// The living node on the highest layer (the lowest number among equals) becomes the entry.
    fn choose_entry(&mut self) {
        let upper = self
            .upper
            .keys()
            .copied()
            .filter(|&n| self.is_live(n))
            .map(|n| {
                (
                    self.levels.get(n as usize).copied().unwrap_or(0),
                    Reverse(n),
                )
            })
            .max();
        let best = upper.or_else(|| {
            (0..self.levels.len() as u32)
                .find(|&n| self.is_live(n))
                .map(|n| (0, Reverse(n)))
        });
        if let Some((level, Reverse(node))) = best {
            self.entry = node;
            self.max_level = level;
        }
    }

    /// Up to `ef` living rows closest to `code` by int8 score, best first: `(score, row)`.
    pub(crate) fn search(&self, rows: Rows<'_>, code: &[i8], ef: usize) -> Vec<(i32, usize)> {
        if self.entry == NONE || ef == 0 {
            return Vec::new();
        }
        let mut query = Query::new(Int8Kernel::detect());
        query.set(code);
        let mut entry = vec![(query.score(self.code(rows, self.entry)), self.entry)];
        for l in (1..=self.max_level).rev() {
            entry = self.search_layer(rows, &query, &entry, 1, l, false);
        }
        self.search_layer(rows, &query, &entry, ef, 0, true)
            .into_iter()
            .filter_map(|(s, n)| match self.node_row.get(n as usize) {
                Some(&r) if r != NONE => Some((s, r as usize)),
                _ => None,
            })
            .collect()
    }

    /// The index as bytes (see the module notes).
    pub(crate) fn write(&self, out: &mut Vec<u8>) {
        out.extend_from_slice(MAGIC);
        for v in [
            self.dim as u32,
            self.params.m,
            self.params.ef_construction,
            self.params.ef_search,
        ] {
            out.extend_from_slice(&v.to_le_bytes());
        }
        out.extend_from_slice(&self.seed.to_le_bytes());
        out.extend_from_slice(&(self.levels.len() as u32).to_le_bytes());
        out.extend_from_slice(&self.entry.to_le_bytes());
        out.push(self.max_level);
        for r in &self.node_row {
            out.extend_from_slice(&r.to_le_bytes());
        }
        out.extend_from_slice(&self.levels);
        for node in 0..self.levels.len() as u32 {
            if let Some(code) = self.tombs.get(&node) {
                out.extend(code.iter().map(|&x| x as u8));
            }
        }
        for v in &self.layer0 {
            out.extend_from_slice(&v.to_le_bytes());
        }
        for node in 0..self.levels.len() as u32 {
            for l in 1..=self.levels.get(node as usize).copied().unwrap_or(0) {
                let links = self.links(node, l);
                out.extend_from_slice(&(links.len() as u32).to_le_bytes());
                for v in links {
                    out.extend_from_slice(&v.to_le_bytes());
                }
            }
        }
    }

    /// Reads an index written by [`Hnsw::write`] for a gallery of `rows` rows of `dim` values:
    /// the whole of `bytes`, every length and id checked before use.
    pub(crate) fn read(bytes: &[u8], dim: usize, rows: usize) -> Result<Self, GalleryError> {
        let corrupt = |why: &str| GalleryError::Corrupt(format!("face index: {why}"));
        let mut r = ByteReader(bytes);
        if r.take(8)? != MAGIC {
            return Err(corrupt("not a kyc face index"));
        }
        if r.u32()? as usize != dim {
            return Err(corrupt("dimension differs from the list's"));
        }
        let params = HnswParams {
            m: r.u32()?,
            ef_construction: r.u32()?,
            ef_search: r.u32()?,
        };
        params
            .validate()
            .map_err(|e| corrupt(&format!("parameters: {e}")))?;
        let seed = r.u64()?;
        let mut index = Self::new(params, dim, seed)?;
        let nodes = r.u32()? as usize;
        let entry = r.u32()?;
        let max_level = r.u8()?;
        let stride = index.stride();
        if nodes > MAX_NODES
            || nodes < rows
            || nodes.saturating_mul(5 + 4 * stride) > r.0.len()
            || (nodes - rows).saturating_mul(dim) > r.0.len()
        {
            return Err(corrupt("node count exceeds the data"));
        }
        index.node_row = r.u32s(nodes)?;
        index.row_node = vec![NONE; rows];
        for (node, &row) in index.node_row.iter().enumerate() {
            if row == NONE {
                continue;
            }
            match index.row_node.get_mut(row as usize) {
                Some(slot) if *slot == NONE => *slot = node as u32,
                _ => return Err(corrupt("a row indexed twice or out of range")),
            }
        }
        if index.row_node.contains(&NONE) {
            return Err(corrupt("a row without a node"));
        }
        index.levels = r.take(nodes)?.to_vec();
        if index.levels.iter().any(|&l| l > MAX_LEVEL) {
            return Err(corrupt("layer out of range"));
        }
        for node in 0..nodes {
            if index.node_row.get(node) == Some(&NONE) {
                let code: Box<[i8]> = r.take(dim)?.iter().map(|&b| b as i8).collect();
                index.tombs.insert(node as u32, code);
            }
        }
        index.layer0 = r.u32s(nodes * stride)?;
        for slot in index.layer0.chunks_exact(stride) {
            let count = slot[0] as usize;
            if count > stride - 1 || slot[1..=count].iter().any(|&n| n as usize >= nodes) {
                return Err(corrupt("a layer-0 list out of range"));
            }
        }
        for node in 0..nodes {
            let top = index.levels.get(node).copied().unwrap_or(0);
            if top == 0 {
                continue;
            }
            let mut layers = Vec::with_capacity(usize::from(top));
            for _ in 0..top {
                let count = r.u32()? as usize;
                if count > index.m() {
                    return Err(corrupt("an upper list too long"));
                }
                let list = r.u32s(count)?;
                if list.iter().any(|&n| n as usize >= nodes) {
                    return Err(corrupt("an upper list out of range"));
                }
                layers.push(list);
            }
            index.upper.insert(node as u32, layers);
        }
        if !r.0.is_empty() {
            return Err(corrupt("trailing bytes"));
        }
        let entry_ok = if nodes == 0 {
            entry == NONE && max_level == 0
        } else {
            index.levels.get(entry as usize) == Some(&max_level)
        };
        if !entry_ok {
            return Err(corrupt("entry point"));
        }
        index.entry = entry;
        index.max_level = max_level;
        Ok(index)
    }
}

/// Little-endian reads that fail, never panic, past the end.
struct ByteReader<'a>(&'a [u8]);

impl<'a> ByteReader<'a> {
    fn take(&mut self, n: usize) -> Result<&'a [u8], GalleryError> {
        if n > self.0.len() {
            return Err(GalleryError::Corrupt("face index: truncated".into()));
        }
        let (head, rest) = self.0.split_at(n);
        self.0 = rest;
        Ok(head)
    }

    fn u8(&mut self) -> Result<u8, GalleryError> {
        Ok(self.take(1)?[0])
    }

    fn u32(&mut self) -> Result<u32, GalleryError> {
        let b = self.take(4)?;
        Ok(u32::from_le_bytes([b[0], b[1], b[2], b[3]]))
    }

    fn u64(&mut self) -> Result<u64, GalleryError> {
        let b = self.take(8)?;
        let mut a = [0u8; 8];
        a.copy_from_slice(b);
        Ok(u64::from_le_bytes(a))
    }

    fn u32s(&mut self, n: usize) -> Result<Vec<u32>, GalleryError> {
        Ok(self
            .take(n.saturating_mul(4))?
            .chunks_exact(4)
            .map(|c| u32::from_le_bytes([c[0], c[1], c[2], c[3]]))
            .collect())
    }
}
