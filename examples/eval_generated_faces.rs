//! The evidence of `selfie.deepfake.generator_alignment` ([`kyc_core::face::generated`]) on the
//! shared genuine photos, on square crops of them centred on the face (genuine photos a host might
//! crop square), and on FFHQ crops of them at 1024, 512 and 256 px, saved as JPEG (quality 85) and
//! searched again by the detector: the framing StyleGAN-style generators give every face they
//! make. No generated face may be downloaded here, so the crops stand in for them: they measure
//! whether the window holds FFHQ's framing across face shapes, sizes and detector noise, not how
//! closely a generator keeps to it.
//!
//! ```text
//! cargo run --release --example eval_generated_faces -- [--faces ../shared/data/faces]
//! ```

use image::RgbImage;
use kyc_core::analysis::ImageData;
use kyc_core::face::detect::{DetectOptions, largest};
use kyc_core::face::generated::{ALIGNMENT_THRESHOLD, ffhq_crop, ffhq_offset};
use kyc_core::face::geometry::warp_affine;
use kyc_core::face::pipeline::FacePipeline;
use kyc_core::image::{ImageLimits, decode};
use kyc_examples::{
    faces_dir_from_args, jpeg, models_or_skip, photos_in, photos_present, read_file,
};

/// The offset of the largest face in `image`, if one is found.
fn offset(pipeline: &FacePipeline, image: &RgbImage) -> Result<Option<f64>, kyc_core::Error> {
    let faces = pipeline.detect(image)?;
    Ok(largest(&faces).and_then(|f| ffhq_offset(image.width(), image.height(), &f.landmarks)))
}

/// Prints one class: how many are at or under the threshold, and the spread.
fn report(class: &str, label: &str, mut values: Vec<f64>, missed: usize) {
    values.sort_by(f64::total_cmp);
    let under = values.iter().filter(|&&v| v < ALIGNMENT_THRESHOLD).count();
    let at = |q: f64| {
        values
            .get(((values.len() as f64 - 1.0) * q).round() as usize)
            .copied()
            .unwrap_or(f64::NAN)
    };
    println!(
        "{class:<26} {under:>3}/{:<3} {label}; offset min {:.3} median {:.3} p95 {:.3} max {:.3}{}",
        values.len(),
        at(0.0),
        at(0.5),
        at(0.95),
        at(1.0),
        if missed > 0 {
            format!("; no face found again in {missed}")
        } else {
            String::new()
        }
    );
}

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let faces_dir = faces_dir_from_args()?;
    if !photos_present(&faces_dir) {
        return Ok(());
    }
    let Some((source, runtime)) = models_or_skip(1)? else {
        return Ok(());
    };
    let pipeline = FacePipeline::load(&runtime, &source, DetectOptions::default())?;
    let limits = ImageLimits::default();
    let (mut genuine, mut square, mut generated) = (Vec::new(), Vec::new(), Vec::new());
    let (mut square_missed, mut generated_missed) = (0usize, 0usize);
    for path in photos_in(&faces_dir)? {
        let Ok(bytes) = read_file(&path) else {
            continue;
        };
        let Ok(image) = decode(&ImageData::Encoded(bytes), &limits) else {
            continue;
        };
        let faces = pipeline.detect(&image)?;
        let Some(face) = largest(&faces).cloned() else {
            continue;
        };
        let (w, h) = (image.width(), image.height());
        let stored = ffhq_offset(w, h, &face.landmarks);
        genuine.extend(stored);

        // The largest square that fits, centred on the face as far as the photo allows.
        let side = w.min(h);
        let (cx, cy) = face.landmarks.iter().fold((0.0f32, 0.0f32), |(x, y), p| {
            (x + p[0] / 5.0, y + p[1] / 5.0)
        });
        let x0 = (cx - side as f32 / 2.0).clamp(0.0, (w - side) as f32) as u32;
        let y0 = (cy - side as f32 / 2.0).clamp(0.0, (h - side) as f32) as u32;
        let crop = image::imageops::crop_imm(&image, x0, y0, side, side).to_image();
        match offset(&pipeline, &crop)? {
            Some(v) => square.push(v),
            None => square_missed += 1,
        }

        let mut line = Vec::new();
        for size in [1024u32, 512, 256] {
            let Some(framed) =
                ffhq_crop(&face.landmarks, size).and_then(|t| warp_affine(&image, &t, size, size))
            else {
                continue;
            };
            let saved = decode(&ImageData::Encoded(jpeg(&framed, 85)), &limits)?;
            match offset(&pipeline, &saved)? {
                Some(v) => {
                    generated.push(v);
                    line.push(format!("{size}: {v:.3}"));
                }
                None => {
                    generated_missed += 1;
                    line.push(format!("{size}: no face"));
                }
            }
        }
        println!(
            "{:<36} as stored {:.3}  FFHQ crops {}",
            path.file_name().unwrap_or_default().to_string_lossy(),
            stored.unwrap_or(f64::NAN),
            line.join(", ")
        );
    }
    println!("threshold {ALIGNMENT_THRESHOLD} (fraction of the image side; under it fails)");
    report("genuine, as stored", "flagged", genuine, 0);
    report("genuine, cropped square", "flagged", square, square_missed);
    report(
        "FFHQ crops (stand-ins)",
        "caught",
        generated,
        generated_missed,
    );
    Ok(())
}
