//! Makes `fixtures/faces/holder_selfie.png`, the fixture documents' holder photographed anew for a
//! selfie: the one real face of the fixtures (`fixtures/faces/astronaut.png`, whose crop the
//! synthetic documents print as their portrait) painted on a head-shaped surface, turned 15
//! degrees and tipped 5 (the renderer the liveness tests use, `kyc-core/tests/support/render.rs`),
//! lit from one side (brightness rising from 0.8 to 1.2 across the frame) and re-saved.
//!
//! ```text
//! cargo run --release --example gen_selfie [-- --out fixtures/faces/holder_selfie.png]
//! ```
//!
//! Why: a selfie is a new photograph. The portrait file itself presented as the selfie is what
//! `selfie.portrait_copy` exists to catch, and the astronaut's photo is the source of the printed
//! portrait (SFace similarity 0.911 to the portrait read off the fixture passport photo, above
//! the bound). The turned, relit render scores well below the bound and well above the match
//! threshold, as two photographs of one person do (printed when it is written).

use std::path::PathBuf;

use kyc_core::analysis::ImageData;
use kyc_core::face::detect::DetectOptions;
use kyc_core::face::embed::cosine;
use kyc_core::face::pipeline::FacePipeline;
use kyc_core::image::{ImageLimits, decode};
use kyc_examples::{models_or_skip, read_file};

#[path = "../kyc-core/tests/support/render.rs"]
#[allow(dead_code, clippy::unwrap_used)]
mod render;

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let root = PathBuf::from(env!("CARGO_MANIFEST_DIR"));
    let mut out = root.join("fixtures/faces/holder_selfie.png");
    let mut args = std::env::args().skip(1);
    while let Some(a) = args.next() {
        match a.as_str() {
            "--out" => out = args.next().ok_or("--out needs a file")?.into(),
            _ => return Err(format!("unknown argument {a}").into()),
        }
    }
    let Some((source, runtime)) = models_or_skip(1)? else {
        return Ok(());
    };
    let pipeline = FacePipeline::load(&runtime, &source, DetectOptions::default())?;
    let limits = ImageLimits::default();
    let photo = decode(
        &ImageData::Encoded(read_file(&root.join("fixtures/faces/astronaut.png"))?),
        &limits,
    )?;
    let face = pipeline
        .main_face(&photo)?
        .ok_or("no face in the astronaut photo")?;
    let turned = render::rendered_turn(&photo, &face.face, render::Surface::Head, 15.0, -5.0, 3);
    let mut selfie = image::load_from_memory(&turned)?.to_rgb8();
    let width = selfie.width() as f32;
    for (x, _, px) in selfie.enumerate_pixels_mut() {
        let gain = 0.8 + 0.4 * x as f32 / width;
        for c in &mut px.0 {
            *c = (f32::from(*c) * gain).round().min(255.0) as u8;
        }
    }
    selfie.save(&out)?;
    let written = decode(&ImageData::Encoded(read_file(&out)?), &limits)?;
    let portrait_page = decode(
        &ImageData::Encoded(read_file(
            &root.join("fixtures/documents/0002_passport_genuine_photo.jpg"),
        )?),
        &limits,
    )?;
    let (Some(s), Some(p)) = (
        pipeline.main_face(&written)?,
        pipeline.main_face(&portrait_page)?,
    ) else {
        return Err("no face in the selfie or on the passport".into());
    };
    println!(
        "{}: similarity to the passport's portrait {:.3}, to the astronaut photo {:.3}",
        out.display(),
        cosine(&s.template, &p.template).unwrap_or(f32::NAN),
        cosine(&s.template, &face.template).unwrap_or(f32::NAN)
    );
    Ok(())
}
