//! Face-list search: top-10 over 1,000,000 random unit vectors of 192 values (seeded), through
//! the fp32 and the int8 scan. Criterion's throughput is the bytes of vectors each scan reads, so
//! its report is the achieved scan bandwidth. `benches/compare_gallery.sh` puts the same figures
//! beside numpy and the machine's memory bandwidth.

use std::hint::black_box;

use criterion::{Criterion, Throughput, criterion_group};
use kyc_core::face::FaceTemplate;
use kyc_core::face::gallery::Gallery;

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

criterion_group!(benches, search);

fn main() {
    benches();
    criterion::Criterion::default()
        .configure_from_args()
        .final_summary();
}
