//! AML screening: one person against 1 000 000 generated listed people, one thread (issue 25's
//! target: under 10 ms).
//!
//! The list is `examples/support/aml_gen.rs`'s (seed 3, neither the tuning nor the reported
//! evaluation set): a third Russian with Cyrillic aliases, half the surnames made from syllables,
//! aliases in other spellings. `KYC_BENCH_AML_ENTITIES` changes the size. The queries are that
//! generator's, half listed people written differently, half other people with similar names;
//! each iteration screens the next one, keeping the potential matches above the catalogue's
//! threshold and explaining the best ten. The index's build time is printed first.
//!
//! ```sh
//! cargo bench --bench aml
//! ```

use std::hint::black_box;

use criterion::{Criterion, criterion_group, criterion_main};
use kyc_core::aml::{ImportStats, ListIndex, ListKind};
use kyc_examples::aml_gen;

fn size() -> usize {
    std::env::var("KYC_BENCH_AML_ENTITIES")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(1_000_000)
}

fn bench(c: &mut Criterion) {
    let n = size();
    let started = std::time::Instant::now();
    let generated = aml_gen::list(3, n);
    let made = started.elapsed();
    // Listed people written differently, from the whole list; other people with similar names,
    // from its first 20,000 (the generator draws people in order, so that is the list's prefix:
    // its check that no other person holds a name compares every listed name, too slow at a
    // million for a bench's set-up).
    let mut queries = aml_gen::queries(&generated, 3, 512, 0);
    let prefix = aml_gen::list(3, 20_000.min(n));
    queries.extend(
        aml_gen::queries(&prefix, 3, 0, 512)
            .into_iter()
            .filter(|q| q.truth == aml_gen::Truth::Other),
    );
    let names: usize = generated.entities.iter().map(|e| e.names.len()).sum();
    let started = std::time::Instant::now();
    let index = ListIndex::build("bench", generated.entities, ImportStats::default());
    println!(
        "aml: {} listed people, {names} names, generated in {made:.1?}, indexed in {:.1?} ({index:?})",
        index.entities().len(),
        started.elapsed()
    );
    let threshold = kyc_core::check::catalogue::aml::SANCTIONS_THRESHOLD;
    let mut group = c.benchmark_group(format!("aml/{n}"));
    group.sample_size(50);
    group.measurement_time(std::time::Duration::from_secs(10));
    group.bench_function("screen_one_person", |b| {
        let mut i = 0usize;
        b.iter(|| {
            i = (i + 1) % queries.len();
            black_box(index.screen(
                black_box(&queries[i].subject),
                ListKind::Sanctions,
                threshold,
                10,
            ))
        })
    });
    group.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
