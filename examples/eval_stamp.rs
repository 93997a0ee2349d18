//! The stamp-presence check (`document.mandatory_elements.stamp`) measured: over a `gen_documents`
//! directory made with the `stamped` variant, every image's ring score grouped by kind, attack and
//! variant (stamped pages should pass, every other page fail), and over plain image folders (the
//! real specimens of `../shared/data/documents`, none knowingly stamped) the score per image.
//! Pure Rust: no model needed.
//!
//! ```text
//! cargo run --release --example gen_documents -- --seed 2 --count 40 --out /tmp/stamps --attacks stamped --clean-format jpg
//! cargo run --release --example eval_stamp -- /tmp/stamps ../shared/data/documents/passporteye
//! ```

use std::collections::BTreeMap;
use std::path::Path;
use std::process::ExitCode;
use std::time::Instant;

use kyc_core::analysis::ImageData;
use kyc_core::document::stamp::{MIN_SCORE, find};
use kyc_core::image::{ImageLimits, decode};
use kyc_examples::read_file;

/// (images, passed, scores, ms)
type Group = (usize, usize, Vec<f64>, f64);

fn score(path: &Path) -> Result<(f64, f64, String), String> {
    let image = decode(
        &ImageData::Encoded(read_file(path)?),
        &ImageLimits::default(),
    )
    .map_err(|e| format!("{}: {e}", path.display()))?;
    let t0 = Instant::now();
    let found = find(&image).map_err(|e| format!("{}: {e}", path.display()))?;
    let ms = t0.elapsed().as_secs_f64() * 1e3;
    let at = found.map_or(String::new(), |s| {
        format!(
            "at {:.0},{:.0} r {:.0} (rim {:.2}, inside {:.2})",
            s.center[0], s.center[1], s.radius, s.coverage, s.inside_ratio
        )
    });
    Ok((found.map_or(0.0, |s| s.score), ms, at))
}

fn run() -> Result<(), String> {
    let dirs: Vec<String> = std::env::args().skip(1).collect();
    if dirs.is_empty() {
        return Err("usage: eval_stamp <dir>...".into());
    }
    for dir in dirs {
        let dir = Path::new(&dir);
        if !dir.is_dir() {
            println!("skipped: {} is absent", dir.display());
            continue;
        }
        let mut groups: BTreeMap<String, Group> = BTreeMap::new();
        let labels = std::fs::read_to_string(dir.join("labels.jsonl")).ok();
        let items: Vec<(String, String)> = match &labels {
            Some(text) => text
                .lines()
                .filter_map(|l| serde_json::from_str::<serde_json::Value>(l).ok())
                .map(|l| {
                    let group = format!(
                        "{} {} {} {}",
                        l["kind"].as_str().unwrap_or("?"),
                        l["side"].as_str().unwrap_or("?"),
                        l["attack"].as_str().unwrap_or("?"),
                        l["variant"].as_str().unwrap_or("?")
                    );
                    (l["file"].as_str().unwrap_or_default().to_owned(), group)
                })
                .collect(),
            None => {
                let mut files: Vec<String> = std::fs::read_dir(dir)
                    .map_err(|e| e.to_string())?
                    .filter_map(|e| e.ok())
                    .map(|e| e.file_name().to_string_lossy().into_owned())
                    .filter(|n| {
                        let n = n.to_lowercase();
                        n.ends_with(".jpg") || n.ends_with(".jpeg") || n.ends_with(".png")
                    })
                    .collect();
                files.sort();
                files
                    .into_iter()
                    .map(|f| (f, "images".to_owned()))
                    .collect()
            }
        };
        println!("{}:", dir.display());
        for (file, group) in items {
            let (s, ms, at) = score(&dir.join(&file))?;
            let passed = s >= MIN_SCORE;
            println!(
                "  {file:<48} {group:<36} {s:.3} {:<5} {at}",
                if passed { "stamp" } else { "-" }
            );
            let g = groups.entry(group).or_default();
            g.0 += 1;
            g.1 += usize::from(passed);
            g.2.push(s);
            g.3 += ms;
        }
        println!(
            "  {:<36} {:>6} {:>6} {:>9} {:>9} {:>8}",
            "group", "images", "stamp", "score min", "score max", "ms/image"
        );
        for (group, (n, p, scores, ms)) in &groups {
            let min = scores.iter().copied().fold(f64::INFINITY, f64::min);
            let max = scores.iter().copied().fold(f64::NEG_INFINITY, f64::max);
            println!(
                "  {group:<36} {n:>6} {p:>6} {min:>9.3} {max:>9.3} {:>8.1}",
                ms / (*n).max(1) as f64
            );
        }
    }
    println!("threshold {MIN_SCORE}");
    Ok(())
}

fn main() -> ExitCode {
    match run() {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("eval_stamp: {e}");
            ExitCode::FAILURE
        }
    }
}
