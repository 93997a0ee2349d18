//! The pixel checks of a document photo (no model): quality, the anti-fraud signals together, the
//! JPEG-ghost search alone and the stamp search, on a committed 1250x880 synthetic passport with a
//! pasted region.

use std::hint::black_box;

use criterion::{Criterion, criterion_group, criterion_main};
use kyc_core::analysis::ImageData;
use kyc_core::document::stamp;
use kyc_core::image::{ImageLimits, decode};
use kyc_core::{forensics, quality};

fn pixel_checks(c: &mut Criterion) {
    let path = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/fixtures/documents/0002_passport_edit_digital.jpg"
    );
    let image = std::fs::read(path)
        .map_err(|e| e.to_string())
        .and_then(|bytes| {
            decode(&ImageData::Encoded(bytes.clone()), &ImageLimits::default())
                .map(|image| (bytes, image))
                .map_err(|e| e.to_string())
        });
    let (bytes, image) = match image {
        Ok(read) => read,
        Err(e) => {
            eprintln!("skipped: {path}: {e}");
            return;
        }
    };
    let outline = quality::assess(&image).outline.map(|o| o.bbox);
    let mut group = c.benchmark_group("document_pixels");
    group.sample_size(20);
    group.bench_function("quality", |b| b.iter(|| quality::assess(black_box(&image))));
    group.bench_function("forensics", |b| {
        b.iter(|| forensics::assess(black_box(&image), outline, Some(&bytes)))
    });
    group.bench_function("jpeg_ghosts", |b| {
        b.iter(|| forensics::compression_signal(black_box(&image)))
    });
    group.bench_function("stamp", |b| b.iter(|| stamp::find(black_box(&image))));
    group.finish();
}

criterion_group!(benches, pixel_checks);
criterion_main!(benches);
