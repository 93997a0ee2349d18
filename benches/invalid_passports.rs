//! The invalid-passport set: memory per row and lookup time.
//!
//! `KYC_BENCH_PASSPORTS` sets the number of distinct passports (default 1 000 000; set 100000000 for
//! the figure). The set's heap size is printed before the timings. Values are spread
//! uniformly over all 10^10 series-and-number pairs by a fixed-seed generator.

use std::hint::black_box;

use criterion::{Criterion, criterion_group, criterion_main};
use kyc_core::registry::{InvalidPassportSet, InvalidPassportSetBuilder};

/// SplitMix64: a fixed, dependency-free stream of values.
struct SplitMix(u64);

impl SplitMix {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    fn passport(&mut self) -> u64 {
        self.next() % 10_000_000_000
    }
}

fn size() -> usize {
    std::env::var("KYC_BENCH_PASSPORTS")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(1_000_000)
}

fn build(n: usize) -> InvalidPassportSet {
    let mut rng = SplitMix(42);
    let mut b = InvalidPassportSetBuilder::with_capacity(n);
    for _ in 0..n {
        b.push(rng.passport());
    }
    match b.build() {
        Ok(set) => set,
        Err(e) => {
            eprintln!("building the set failed: {e}");
            std::process::exit(1)
        }
    }
}

fn bench(c: &mut Criterion) {
    let n = size();
    let started = std::time::Instant::now();
    let set = build(n);
    let bytes = set.heap_bytes();
    println!(
        "invalid_passports: {} passports ({} rows drawn), {} bytes on the heap ({:.1} MiB, {:.2} bytes/passport), built in {:.1?}",
        set.len(),
        n,
        bytes,
        bytes as f64 / (1024.0 * 1024.0),
        bytes as f64 / set.len().max(1) as f64,
        started.elapsed()
    );

    // Members drawn again from the same stream, and random (mostly absent) values.
    let mut again = SplitMix(42);
    let members: Vec<u64> = (0..4096).map(|_| again.passport()).collect();
    let mut other = SplitMix(7);
    let probes: Vec<u64> = (0..4096).map(|_| other.passport()).collect();

    let mut group = c.benchmark_group(format!("invalid_passports/{n}"));
    group.bench_function("lookup_member", |b| {
        let mut i = 0usize;
        b.iter(|| {
            i = (i + 1) & 4095;
            black_box(set.contains_value(black_box(members[i])))
        })
    });
    group.bench_function("lookup_random", |b| {
        let mut i = 0usize;
        b.iter(|| {
            i = (i + 1) & 4095;
            black_box(set.contains_value(black_box(probes[i])))
        })
    });
    group.bench_function("lookup_text", |b| {
        b.iter(|| black_box(set.contains(black_box("4509"), black_box("123456"))))
    });
    group.finish();

    // Loading from CSV, on a slice of 100 000 rows.
    let mut rng = SplitMix(9);
    let mut csv = String::from("PASSP_SERIES,PASSP_NUMBER\n");
    for _ in 0..100_000 {
        let v = rng.passport();
        csv.push_str(&format!("{:04},{:06}\n", v / 1_000_000, v % 1_000_000));
    }
    let mut load = c.benchmark_group("invalid_passports_csv");
    load.throughput(criterion::Throughput::Elements(100_000));
    load.sample_size(10);
    load.bench_function("load_100k_rows", |b| {
        b.iter(|| {
            InvalidPassportSet::from_csv(black_box(csv.as_bytes()), 1_000_000).map(|(s, _)| s.len())
        })
    });
    load.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
