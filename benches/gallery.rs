//! Face-list search: top-10 over 1,000,000 random unit vectors of 192 values (seeded), through
//! the fp32 and the int8 scan. Criterion's throughput is the bytes of vectors each scan reads, so
//! its report is the achieved scan bandwidth. `benches/compare_gallery.sh` puts the same figures
//! beside numpy and the machine's memory bandwidth.
//!
//! Then the approximate index (`face/ann.rs`, default parameters) at 100,000 and 200,000 x 192:
//! its build time, its size, recall@1 and recall@10 against the exact scan (printed), and the
//! query time of exact fp32, exact int8 and approximate top-10, for another photo of a listed
//! person. 1,000,000 is left out: the single-threaded build would take several minutes of the
//! bench on a 2-core machine (see docs/gallery.md).

use std::collections::HashSet;
use std::hint::black_box;
use std::time::Instant;

use criterion::{Criterion, Throughput, criterion_group};
use kyc_core::SeededEntropy;
use kyc_core::face::FaceTemplate;
use kyc_core::face::ann::HnswParams;
use kyc_core::face::gallery::{Gallery, SearchMode};

const N: usize = 1_000_000;
const DIM: usize = 192;

fn template(state: &mut u64) -> FaceTemplate {
    // SplitMix64 values in [-0.5, 0.5): the gallery normalises them.
    let vector = (0..DIM)
        .map(|_| {
            *state = state.wrapping_add(0x9E37_79B9_7F4A_7C15);
            let mut z = *state;
            z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
            z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
            ((z ^ (z >> 31)) >> 40) as f32 / (1u64 << 24) as f32 - 0.5
        })
        .collect();
    FaceTemplate {
        model: "bench".into(),
        vector,
    }
}

fn search(c: &mut Criterion) {
    let mut state = 7u64;
    let Ok(mut gallery) = Gallery::new("bench", DIM) else {
        return;
    };
    for i in 0..N {
        if gallery
            .add(&format!("p{i}"), &template(&mut state))
            .is_err()
        {
            return;
        }
    }
    let query = template(&mut state);
    let mut g = c.benchmark_group("gallery_1m_x192");
    g.sample_size(10);
    g.throughput(Throughput::Bytes((N * DIM * 4) as u64));
    g.bench_function("search_fp32_top10", |b| {
        b.iter(|| gallery.search(black_box(&query), 10))
    });
    g.throughput(Throughput::Bytes((N * DIM) as u64));
    g.bench_function("search_int8_top10", |b| {
        b.iter(|| gallery.search_int8(black_box(&query), 10))
    });
    g.finish();
}

const ANN_SIZES: [usize; 2] = [100_000, 200_000];

/// `t` with noise of about a fifth of its spread on every value: another photo of the same face.
fn near(t: &FaceTemplate, state: &mut u64) -> FaceTemplate {
    let noise = template(state);
    FaceTemplate {
        model: t.model.clone(),
        vector: t
            .vector
            .iter()
            .zip(&noise.vector)
            .map(|(x, n)| x + 0.2 * n)
            .collect(),
    }
}

/// Recall@1 and recall@10 of the list's approximate search against its exact scan.
fn recall(g: &Gallery, queries: &[FaceTemplate]) -> Option<(f64, f64)> {
    let (mut at1, mut at10) = (0usize, 0usize);
    for q in queries {
        let exact = g.search(q, 10).ok()?;
        let approx = g.find(q, 10).ok()?;
        at1 += usize::from(approx.first()?.0 == exact.first()?.0);
        let want: HashSet<&String> = exact.iter().map(|h| &h.0).collect();
        at10 += approx.iter().filter(|h| want.contains(&h.0)).count();
    }
    let n = queries.len() as f64;
    Some((at1 as f64 / n, at10 as f64 / (10.0 * n)))
}

fn approximate(c: &mut Criterion) {
    for n in ANN_SIZES {
        let mut state = 11u64;
        let Ok(mut gallery) = Gallery::new("bench", DIM) else {
            return;
        };
        let people: Vec<FaceTemplate> = (0..n).map(|_| template(&mut state)).collect();
        for (i, t) in people.iter().enumerate() {
            if gallery.add(&format!("p{i}"), t).is_err() {
                return;
            }
        }
        let exact_bytes = gallery.to_bytes().len();
        let params = HnswParams::default();
        let started = Instant::now();
        if gallery
            .set_search_mode(SearchMode::Approximate(params), &SeededEntropy::from_u64(1))
            .is_err()
        {
            return;
        }
        let build = started.elapsed();
        let index_bytes = gallery.to_bytes().len() - exact_bytes;
        let listed: Vec<FaceTemplate> = (0..200)
            .map(|i| near(&people[i * 7919 % n], &mut state))
            .collect();
        let strangers: Vec<FaceTemplate> = (0..200).map(|_| template(&mut state)).collect();
        let (Some((l1, l10)), Some((s1, s10))) =
            (recall(&gallery, &listed), recall(&gallery, &strangers))
        else {
            return;
        };
        println!(
            "ann {n} x {DIM}: build {:.1} s on one thread ({params:?}); index {:.1} MB beside a \
             list of {:.1} MB; default ef_search: recall@1 listed {l1:.4} strangers {s1:.4}, \
             recall@10 listed {l10:.4} strangers {s10:.4}",
            build.as_secs_f64(),
            index_bytes as f64 / 1e6,
            exact_bytes as f64 / 1e6,
        );
        let query = &listed[0];
        let mut g = c.benchmark_group(format!("gallery_ann_{}k_x192", n / 1000));
        g.sample_size(10);
        g.bench_function("exact_fp32_top10", |b| {
            b.iter(|| gallery.search(black_box(query), 10))
        });
        g.bench_function("exact_int8_top10", |b| {
            b.iter(|| gallery.search_int8(black_box(query), 10))
        });
        g.bench_function("approximate_top10", |b| {
            b.iter(|| gallery.find(black_box(query), 10))
        });
        g.finish();
    }
}

criterion_group!(benches, search, approximate);

fn main() {
    benches();
    criterion::Criterion::default()
        .configure_from_args()
        .final_summary();
}
