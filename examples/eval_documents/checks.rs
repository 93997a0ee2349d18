//! `--checks`: the pixel and file checks (quality and forensics, no model) over labelled sets from
//! `gen_documents`, with the rate of each attack accepted (APCER) and of genuine images rejected
//! (BPCER) per check.

use std::collections::BTreeMap;
use std::fmt::Write as _;
use std::path::{Path, PathBuf};
use std::time::Instant;

use kyc_core::analysis::ImageData;
use kyc_core::check::{CheckOutcome, CheckResult, combine};
use kyc_core::document::ocr::MrzReader;
use kyc_core::image::{ImageLimits, decode};
use kyc_core::{forensics, quality};
use kyc_examples::read_file;

/// The check each attack is meant to be caught by.
const TARGETS: [(&str, &str); 6] = [
    ("screen", "document.screen_photo"),
    ("print", "document.printout"),
    ("edit", "document.editing"),
    ("blur", "document.glare_blur"),
    ("glare", "document.glare_blur"),
    ("crop", "document.fully_visible"),
];

/// The check ids reported, top level (and `document.visual_mrz_match` with `--visual`).
const PIXEL_CHECKS: [&str; 5] = [
    "document.fully_visible",
    "document.glare_blur",
    "document.screen_photo",
    "document.printout",
    "document.editing",
];

/// The cross-check of the visual zone with the MRZ, which a retyped field should fail.
const VISUAL_CHECK: &str = "document.visual_mrz_match";

struct Row {
    file: String,
    /// `genuine_clean`, `genuine_photo` or the attack's name.
    class: String,
    checks: Vec<CheckResult>,
    features: String,
}

/// The top-level check of a (sub-)check id: `document.glare_blur.blur` is `document.glare_blur`.
fn top(id: &str) -> &str {
    let mut dots = id.match_indices('.');
    match dots.nth(1) {
        Some((i, _)) => &id[..i],
        None => id,
    }
}

fn outcome(row: &Row, check: &str) -> CheckOutcome {
    let items: Vec<CheckResult> = row
        .checks
        .iter()
        .filter(|c| top(&c.check) == check && c.outcome != CheckOutcome::Unavailable)
        .cloned()
        .collect();
    combine(&items)
}

fn features(q: &quality::QualityReport, f: &forensics::ForensicReport) -> String {
    let c = &f.compression;
    let o = q.outline.as_ref();
    format!(
        "{:.4}\t{:.0}\t{}\t{:.1}\t{:.1}\t{:.4}\t{:.5}\t{:.2}\t{:.2}\t{:.2}\t{:.2}\t{:.1}\t{:.2}\t{:.2}\t{}\t{}\t{}",
        o.map_or(-1.0, |o| o.border_share),
        o.map_or(0.0, |o| o.long_side),
        o.is_some_and(|o| o.is_full_frame()),
        q.sharpness,
        q.mean_luma,
        q.blown_share,
        q.glare_share,
        f.screen.luma.low,
        f.screen.luma.high,
        f.screen.chroma.low,
        f.screen.chroma.high,
        f.print.colourfulness,
        f.print.halftone.low,
        f.print.halftone.high,
        c.ghost_windows,
        c.quality,
        c.informative_windows,
    )
}

const FEATURE_HEADER: &str = "file\tclass\tborder_share\tlong_side\tfull_frame\tsharpness\tmean_luma\tblown\tglare\tscreen_luma_low\tscreen_luma_high\tscreen_chroma_low\tscreen_chroma_high\tcolourfulness\thalftone_low\thalftone_high\tghost_windows\tghost_quality\tinformative_windows";

fn labels(dir: &Path) -> Vec<(PathBuf, String)> {
    let Ok(text) = std::fs::read_to_string(dir.join("labels.jsonl")) else {
        return Vec::new();
    };
    text.lines()
        .filter_map(|l| serde_json::from_str::<serde_json::Value>(l).ok())
        .filter_map(|v| {
            let file = v.get("file")?.as_str()?.to_owned();
            let attack = v.get("attack")?.as_str()?;
            let class = if attack == "genuine" {
                format!("genuine_{}", v.get("variant")?.as_str()?)
            } else {
                attack.to_owned()
            };
            Some((dir.join(file), class))
        })
        .collect()
}

fn rate(n: usize, d: usize) -> String {
    if d == 0 {
        "-".to_owned()
    } else {
        format!("{:5.1}% ({n}/{d})", 100.0 * n as f64 / d as f64)
    }
}

/// Runs the checks over `dirs`; writes the per-image features to `features_out` when given. With a
/// `visual` reader, each image's capture (see [`super::visual::captures`]) is also read by OCR and
/// its visual zone cross-checked with the MRZ.
pub fn run(
    dirs: &[PathBuf],
    features_out: Option<&Path>,
    verbose: bool,
    visual: Option<&MrzReader>,
) -> Result<(), String> {
    let limits = ImageLimits::default();
    let mut check_ids: Vec<&str> = PIXEL_CHECKS.to_vec();
    if visual.is_some() {
        check_ids.push(VISUAL_CHECK);
    }
    let checks_of = check_ids.as_slice();
    let mut t_visual = 0.0f64;
    let mut rows = Vec::new();
    let (mut t_quality, mut t_forensics, mut t_decode) = (0.0f64, 0.0f64, 0.0f64);
    for dir in dirs {
        let list = labels(dir);
        if list.is_empty() {
            println!("({}: no labels.jsonl, skipped)", dir.display());
            continue;
        }
        let captures = if visual.is_some() {
            super::visual::captures(dir, &[])
        } else {
            Vec::new()
        };
        for (path, class) in list {
            let bytes = read_file(&path)?;
            let t0 = Instant::now();
            let img = decode(&ImageData::Encoded(bytes.clone()), &limits)
                .map_err(|e| format!("{}: {e}", path.display()))?;
            let t1 = Instant::now();
            let q = quality::assess(&img);
            let t2 = Instant::now();
            let f = forensics::assess(&img, q.outline.map(|o| o.bbox), Some(&bytes));
            let t3 = Instant::now();
            t_decode += (t1 - t0).as_secs_f64();
            t_quality += (t2 - t1).as_secs_f64();
            t_forensics += (t3 - t2).as_secs_f64();
            let mut checks = quality::checks(&q);
            checks.extend(forensics::checks(&f));
            let file = path
                .file_name()
                .and_then(|n| n.to_str())
                .unwrap_or("?")
                .to_owned();
            if let (Some(reader), Some(capture)) =
                (visual, captures.iter().find(|c| c.file == file))
            {
                let today = jiff::civil::date(2026, 1, 1);
                let o = super::visual::run(reader, capture, today)?;
                t_visual += o.visual_ms / 1e3;
                if verbose {
                    println!("{file}\t{class}\t{}", super::visual::describe(&o));
                }
                checks.push(o.check);
            }
            let row = Row {
                features: features(&q, &f),
                file,
                class,
                checks,
            };
            if verbose {
                println!("{}\t{}\t{}", row.file, row.class, row.features);
            }
            rows.push(row);
        }
    }
    if rows.is_empty() {
        println!("no labelled images: nothing measured");
        return Ok(());
    }
    if let Some(out) = features_out {
        let mut text = format!("{FEATURE_HEADER}\n");
        for r in &rows {
            let _ = writeln!(text, "{}\t{}\t{}", r.file, r.class, r.features);
        }
        std::fs::write(out, text).map_err(|e| format!("{}: {e}", out.display()))?;
    }
    let mut classes: BTreeMap<&str, Vec<&Row>> = BTreeMap::new();
    for r in &rows {
        classes.entry(r.class.as_str()).or_default().push(r);
    }
    println!();
    println!("rejected by each check (failed), per class of image:");
    let mut head = format!("{:<16}", "class");
    for c in checks_of {
        let _ = write!(head, " {:>20}", c.trim_start_matches("document."));
    }
    let _ = write!(head, " {:>20}", "any");
    println!("{head}");
    for (class, list) in &classes {
        let mut line = format!("{class:<16}");
        for c in checks_of {
            let n = list
                .iter()
                .filter(|r| outcome(r, c) == CheckOutcome::Failed)
                .count();
            let _ = write!(line, " {:>20}", rate(n, list.len()));
        }
        let any = list
            .iter()
            .filter(|r| {
                checks_of
                    .iter()
                    .any(|c| outcome(r, c) == CheckOutcome::Failed)
            })
            .count();
        let _ = write!(line, " {:>20}", rate(any, list.len()));
        println!("{line}");
    }
    println!();
    println!("APCER (attack accepted by the check meant to catch it, and by every check):");
    for (attack, check) in TARGETS {
        let Some(list) = classes.get(attack) else {
            continue;
        };
        let missed = list
            .iter()
            .filter(|r| outcome(r, check) != CheckOutcome::Failed)
            .count();
        let all = list
            .iter()
            .filter(|r| {
                checks_of
                    .iter()
                    .all(|c| outcome(r, c) != CheckOutcome::Failed)
            })
            .count();
        println!(
            "  {attack:<8} by {check:<24} {}   by all checks {}",
            rate(missed, list.len()),
            rate(all, list.len())
        );
        if visual.is_some() && attack == "edit" {
            let by_visual = list
                .iter()
                .filter(|r| outcome(r, VISUAL_CHECK) != CheckOutcome::Failed)
                .count();
            let by_either = list
                .iter()
                .filter(|r| {
                    outcome(r, VISUAL_CHECK) != CheckOutcome::Failed
                        && outcome(r, check) != CheckOutcome::Failed
                })
                .count();
            println!(
                "  {attack:<8} by {VISUAL_CHECK:<24} {}   by either {}",
                rate(by_visual, list.len()),
                rate(by_either, list.len())
            );
        }
    }
    println!("BPCER (genuine rejected by any check):");
    for class in ["genuine_clean", "genuine_photo"] {
        if let Some(list) = classes.get(class) {
            let bad: Vec<&&Row> = list
                .iter()
                .filter(|r| {
                    checks_of
                        .iter()
                        .any(|c| outcome(r, c) == CheckOutcome::Failed)
                })
                .collect();
            println!("  {class:<14} {}", rate(bad.len(), list.len()));
            for r in bad.iter().take(if verbose { usize::MAX } else { 5 }) {
                let why: Vec<&str> = r
                    .checks
                    .iter()
                    .filter(|c| c.outcome == CheckOutcome::Failed)
                    .map(|c| c.reason_code.as_str())
                    .collect();
                println!("      {} {}", r.file, why.join(" "));
            }
        }
    }
    let n = rows.len() as f64;
    println!(
        "time per image (1 thread): decode {:.1} ms, quality {:.1} ms, forensics {:.1} ms",
        t_decode / n * 1e3,
        t_quality / n * 1e3,
        t_forensics / n * 1e3
    );
    if visual.is_some() {
        println!(
            "visual pass (recognition of the extra lines and matching, per image judged): {:.1} ms",
            t_visual / n * 1e3
        );
    }
    Ok(())
}
