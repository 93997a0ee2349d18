//! Hostile images against the decoder's memory budget, measured with a counting allocator (its own
//! test binary: the allocator counts every allocation of the process).
//!
//! The flat amplifiers of `fixtures/hostile/` (`scripts/make_hostile.py`) must be refused from
//! their headers having allocated almost nothing; an honest large photo must decode, scaled down to
//! the working size, within the peak its plan announced from the header.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use std::path::PathBuf;
use std::sync::Mutex;

use kyc_core::analysis::ImageData;
use kyc_core::image::{ImageLimits, decode, plan};

#[path = "support/counting_alloc.rs"]
mod counting_alloc;

use counting_alloc::extra_peak;

/// Tests measure one at a time: the counters are process-wide.
static SERIAL: Mutex<()> = Mutex::new(());

fn hostile(name: &str) -> ImageData {
    let path = PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("../fixtures/hostile")
        .join(name);
    ImageData::Encoded(std::fs::read(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display())))
}

const MIB: usize = 1 << 20;

#[test]
fn flat_amplifiers_and_bombs_are_refused_from_the_header_within_64_mib() {
    let _serial = SERIAL.lock().unwrap_or_else(|p| p.into_inner());
    let limits = ImageLimits::default();
    for (name, code) in [
        ("flat_rgb8_12000x4166.png", "image.expansion"),
        ("flat_rgba16_7071x7071.png", "image.expansion"),
        ("bomb_header_100000x100000.png", "image.limit_exceeded"),
    ] {
        let data = hostile(name);
        let (result, peak) = extra_peak(|| decode(&data, &limits));
        let err = result.expect_err(name);
        assert_eq!(err.code(), code, "{name}: {err}");
        eprintln!("{name}: {code}, {peak} bytes at peak");
        assert!(peak < 64 * MIB, "{name}: {peak} bytes allocated");
        assert_eq!(plan(&data, &limits).unwrap_err().code(), code, "{name}");
    }
}

#[test]
fn the_same_flat_file_decodes_when_the_host_allows_the_expansion_and_is_scaled_down() {
    let _serial = SERIAL.lock().unwrap_or_else(|p| p.into_inner());
    let limits = ImageLimits {
        max_expansion: 2_000,
        ..ImageLimits::default()
    };
    let data = hostile("flat_rgb8_12000x4166.png");
    let planned = plan(&data, &limits).expect("plan");
    assert_eq!(planned.size, (12_000, 4_166));
    assert_eq!(planned.working, (4_096, 1_422));
    let (image, peak) = extra_peak(|| decode(&data, &limits));
    let image = image.expect("decoded");
    eprintln!("flat PNG allowed: peak {peak}, plan {}", planned.peak_bytes);
    assert_eq!(image.dimensions(), (4_096, 1_422));
    assert!(image.pixels().all(|p| p.0 == [0xee; 3]));
    // The plan counts pixel buffers; the decoder's own row buffers and the resizer's coefficient
    // tables come on top, a few MiB at most.
    assert!(
        peak as u64 <= planned.peak_bytes + 8 * MIB as u64,
        "peak {peak} over the plan's {}",
        planned.peak_bytes
    );
    // And a budget below the plan refuses it before decoding.
    let tight = ImageLimits {
        max_decode_bytes: planned.peak_bytes - 1,
        ..limits
    };
    let (result, peak) = extra_peak(|| decode(&data, &tight));
    assert_eq!(result.unwrap_err().code(), "image.over_budget");
    assert!(peak < 64 * MIB, "{peak}");
}

#[test]
fn an_honest_photo_decodes_within_its_plan() {
    let _serial = SERIAL.lock().unwrap_or_else(|p| p.into_inner());
    // A noisy 5000 x 3000 JPEG: it expands about ten times, like a camera's.
    let mut state = 0x2545_f491_4f6c_dd1d_u64;
    let photo = image::RgbImage::from_fn(5_000, 3_000, |x, y| {
        state ^= state << 13;
        state ^= state >> 7;
        state ^= state << 17;
        let n = (state & 0x3f) as u8;
        image::Rgb([n + (x % 190) as u8, n + (y % 190) as u8, n + 40])
    });
    let mut jpeg = std::io::Cursor::new(Vec::new());
    photo
        .write_to(&mut jpeg, image::ImageFormat::Jpeg)
        .expect("encode");
    drop(photo);
    let data = ImageData::Encoded(jpeg.into_inner());
    let limits = ImageLimits::default();
    let planned = plan(&data, &limits).expect("plan");
    assert_eq!(planned.working, (4_096, 2_458));
    let (image, peak) = extra_peak(|| decode(&data, &limits));
    eprintln!("photo: peak {peak}, plan {}", planned.peak_bytes);
    assert_eq!(image.expect("decoded").dimensions(), (4_096, 2_458));
    assert!(
        peak as u64 <= planned.peak_bytes + 8 * MIB as u64,
        "peak {peak} over the plan's {}",
        planned.peak_bytes
    );
}
