//! Face-list scan speed, for `benches/compare_gallery.sh`.
//!
//! ```text
//! gallery_scan [--n 1000000] [--dim 192] [--reps 7] [--write vectors.f32]
//! ```
//! Fills a `Gallery` with `n` random unit vectors (seeded: the same every run), then times top-10
//! searches through the fp32 and the int8 scan, and a plain streaming read of a buffer as large
//! as the fp32 vectors (the machine's memory bandwidth, with the same threads as the scan).
//! Prints one JSON object: median times and the bandwidth each achieved (bytes of vectors scanned
//! per second). `--write` saves the vectors (row-major little-endian f32) and the query after them
//! so that `benches/compare_gallery/bench_numpy.py` scans the very same data.

use std::error::Error;
use std::io::Write;
use std::time::Instant;

use kyc_core::face::FaceTemplate;
use kyc_core::face::gallery::Gallery;
use serde_json::json;

/// SplitMix64: a seeded generator, enough for benchmark data.
struct SplitMix(u64);

impl SplitMix {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    /// Uniform in [-0.5, 0.5).
    fn uniform(&mut self) -> f32 {
        (self.next() >> 40) as f32 / (1u64 << 24) as f32 - 0.5
    }
}

fn unit(rng: &mut SplitMix, dim: usize) -> Vec<f32> {
    let mut v: Vec<f32> = (0..dim).map(|_| rng.uniform()).collect();
    let norm = v.iter().map(|x| x * x).sum::<f32>().sqrt();
    v.iter_mut().for_each(|x| *x /= norm);
    v
}

fn median_ms(mut f: impl FnMut(), reps: usize) -> f64 {
    f(); // warm-up: page faults, caches
    let mut t: Vec<f64> = (0..reps)
        .map(|_| {
            let s = Instant::now();
            f();
            s.elapsed().as_secs_f64() * 1e3
        })
        .collect();
    t.sort_by(f64::total_cmp);
    t.get(t.len() / 2).copied().unwrap_or(f64::NAN)
}

/// Sums `data` as u64 words on `threads` threads (the scan's rayon pool has one per core).
fn stream_read(data: &[u64], threads: usize) -> u64 {
    let part = data.len().div_ceil(threads.max(1)).max(1);
    std::thread::scope(|s| {
        let handles: Vec<_> = data
            .chunks(part)
            .map(|c| {
                s.spawn(move || {
                    // Four lanes so the adds do not serialise on one register.
                    let mut acc = [0u64; 4];
                    for w in c.chunks_exact(4) {
                        for i in 0..4 {
                            acc[i] = acc[i].wrapping_add(w[i]);
                        }
                    }
                    acc.iter().fold(0u64, |a, b| a.wrapping_add(*b))
                })
            })
            .collect();
        handles
            .into_iter()
            .map(|h| h.join().unwrap_or(0))
            .fold(0u64, u64::wrapping_add)
    })
}

fn main() -> Result<(), Box<dyn Error>> {
    let (mut n, mut dim, mut reps, mut write) = (1_000_000usize, 192usize, 7usize, None);
    let mut args = std::env::args().skip(1);
    while let Some(a) = args.next() {
        let mut value = || args.next().ok_or(format!("{a} needs a value"));
        match a.as_str() {
            "--n" => n = value()?.parse()?,
            "--dim" => dim = value()?.parse()?,
            "--reps" => reps = value()?.parse()?,
            "--write" => write = Some(value()?),
            other => return Err(format!("unknown argument {other}").into()),
        }
    }
    let model = "bench";
    let mut rng = SplitMix(20_261_128);
    let mut gallery = Gallery::new(model, dim)?;
    let mut file = match &write {
        Some(path) => Some(std::io::BufWriter::new(std::fs::File::create(path)?)),
        None => None,
    };
    let t = Instant::now();
    for i in 0..n {
        let vector = unit(&mut rng, dim);
        if let Some(f) = file.as_mut() {
            for x in &vector {
                f.write_all(&x.to_le_bytes())?;
            }
        }
        let template = FaceTemplate {
            model: model.to_owned(),
            vector,
        };
        gallery.add(&format!("p{i}"), &template)?;
    }
    let build_s = t.elapsed().as_secs_f64();
    // The query: a stored person's vector with noise, so there is one clear best hit.
    let target = n / 3;
    let mut probe = SplitMix(20_261_128);
    for _ in 0..target {
        unit(&mut probe, dim);
    }
    let mut query = unit(&mut probe, dim);
    let noise = unit(&mut rng, dim);
    query
        .iter_mut()
        .zip(&noise)
        .for_each(|(q, e)| *q += 0.5 * e);
    if let Some(mut f) = file {
        for x in &query {
            f.write_all(&x.to_le_bytes())?;
        }
        f.flush()?;
    }
    let template = FaceTemplate {
        model: model.to_owned(),
        vector: query,
    };
    let k = 10;
    let fp32_hits = gallery.search(&template, k)?;
    let int8_hits = gallery.search_int8(&template, k)?;
    let fp32_ms = median_ms(
        || {
            std::hint::black_box(gallery.search(&template, k).ok());
        },
        reps,
    );
    let int8_ms = median_ms(
        || {
            std::hint::black_box(gallery.search_int8(&template, k).ok());
        },
        reps,
    );
    let fp32_bytes = (n * dim * 4) as f64;
    let int8_bytes = (n * dim) as f64;
    let threads = std::thread::available_parallelism().map_or(1, |n| n.get());
    // A buffer as large as the fp32 vectors, filled so that its pages are really there.
    let words = vec![1u64; n * dim / 2];
    let stream_ms = median_ms(
        || {
            std::hint::black_box(stream_read(std::hint::black_box(&words), threads));
        },
        reps,
    );
    let gbs = |bytes: f64, ms: f64| bytes / (ms * 1e-3) / 1e9;
    let memory = gbs(fp32_bytes, stream_ms);
    println!(
        "{}",
        json!({
            "impl": "kyc",
            "n": n,
            "dim": dim,
            "k": k,
            "threads": threads,
            "build_s": build_s,
            "fp32_ms": fp32_ms,
            "fp32_gbs": gbs(fp32_bytes, fp32_ms),
            "int8_ms": int8_ms,
            "int8_gbs": gbs(int8_bytes, int8_ms),
            "int8_speedup": fp32_ms / int8_ms,
            "memory_stream_ms": stream_ms,
            "memory_gbs": memory,
            "fp32_of_memory": gbs(fp32_bytes, fp32_ms) / memory,
            "int8_of_memory": gbs(int8_bytes, int8_ms) / memory,
            "top_fp32": fp32_hits.first(),
            "top_int8": int8_hits.first(),
            "expected": format!("p{target}"),
        })
    );
    Ok(())
}
