//! The hostile-input table of docs/reliability.md: each file decoded as a capture's image is,
//! with the time it took and the most memory it held beyond what was live before (a counting
//! allocator), under the engine's default limits.
//!
//! ```sh
//! cargo run --release --example hostile_inputs -- fixtures/hostile [more files or folders]
//! ```
//!
//! Besides the files named, it makes a few in memory: a flat 12,000 x 4,166 JPEG, a truncated
//! JPEG, bytes behind a JPEG and a PNG signature, and an honest noisy 5,000 x 3,000 JPEG.

use std::io::Cursor;
use std::path::{Path, PathBuf};
use std::time::Instant;

use kyc_core::analysis::ImageData;
use kyc_core::image::{ImageLimits, decode};

// The counting allocator `kyc-core/tests/memory.rs` measures with, shared with it.
#[path = "../kyc-core/tests/support/counting_alloc.rs"]
mod counting_alloc;

use counting_alloc::extra_peak;

fn files(args: &[String]) -> Vec<PathBuf> {
    let mut out = Vec::new();
    for arg in args {
        let path = Path::new(arg);
        match std::fs::read_dir(path) {
            Ok(entries) => {
                let mut found: Vec<PathBuf> = entries.flatten().map(|e| e.path()).collect();
                found.sort();
                out.extend(found.into_iter().filter(|p| p.is_file()));
            }
            Err(_) => out.push(path.to_path_buf()),
        }
    }
    out
}

fn jpeg(image: &image::RgbImage) -> Result<Vec<u8>, String> {
    let mut out = Cursor::new(Vec::new());
    image
        .write_to(&mut out, image::ImageFormat::Jpeg)
        .map_err(|e| e.to_string())?;
    Ok(out.into_inner())
}

fn made() -> Result<Vec<(String, Vec<u8>)>, String> {
    let flat = jpeg(&image::RgbImage::from_pixel(
        12_000,
        4_166,
        image::Rgb([238, 238, 238]),
    ))?;
    let mut state = 0x2545_f491_4f6c_dd1d_u64;
    let noisy = jpeg(&image::RgbImage::from_fn(5_000, 3_000, |x, y| {
        state ^= state << 13;
        state ^= state >> 7;
        state ^= state << 17;
        let n = (state & 0x3f) as u8;
        image::Rgb([n + (x % 190) as u8, n + (y % 190) as u8, n + 40])
    }))?;
    let mut truncated = noisy.clone();
    truncated.truncate(noisy.len() / 3);
    let mut junk_jpeg = vec![0xFF, 0xD8, 0xFF, 0xE0];
    junk_jpeg.extend((0..100_000u32).map(|i| (i.wrapping_mul(2_654_435_761) >> 24) as u8));
    let mut junk_png = b"\x89PNG\r\n\x1a\n".to_vec();
    junk_png.extend((0..100_000u32).map(|i| (i.wrapping_mul(40_503) >> 8) as u8));
    Ok(vec![
        ("(made) flat 12000x4166 JPEG".to_owned(), flat),
        ("(made) noisy 5000x3000 JPEG".to_owned(), noisy),
        (
            "(made) the same, truncated to a third".to_owned(),
            truncated,
        ),
        (
            "(made) 100 KB of noise behind a JPEG signature".to_owned(),
            junk_jpeg,
        ),
        (
            "(made) 100 KB of noise behind a PNG signature".to_owned(),
            junk_png,
        ),
    ])
}

fn main() -> Result<(), String> {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let mut inputs: Vec<(String, Vec<u8>)> = Vec::new();
    for path in files(&args) {
        let bytes = std::fs::read(&path).map_err(|e| format!("{}: {e}", path.display()))?;
        inputs.push((path.display().to_string(), bytes));
    }
    inputs.extend(made()?);
    let limits = ImageLimits::default();
    println!("| input | file bytes | result | time | peak extra memory |");
    println!("|---|---:|---|---:|---:|");
    for (name, bytes) in inputs {
        let size = bytes.len();
        let data = ImageData::Encoded(bytes);
        let ((result, took), peak) = extra_peak(|| {
            let started = Instant::now();
            let result = decode(&data, &limits);
            (result, started.elapsed())
        });
        let outcome = match &result {
            Ok(image) => format!("decoded, {}x{}", image.width(), image.height()),
            Err(e) => format!("`{}`", e.code()),
        };
        drop(result);
        println!(
            "| {name} | {size} | {outcome} | {:.1} ms | {:.1} MiB |",
            took.as_secs_f64() * 1e3,
            peak as f64 / f64::from(1u32 << 20)
        );
    }
    Ok(())
}
