//! Synthetic identity documents with attack variants, for tests and evaluation.
//!
//! ```text
//! cargo run --release --example gen_documents -- --seed 7 --count 50 --out target/synthetic \
//!     [--kind passport|id_card|all] [--attacks all|none|screen,print,edit,blur,glare,crop] \
//!     [--spread] [--clean-format png|jpg] [--quality 85] [--today 2026-01-01]
//! ```
//!
//! Writes, per document, the flat render (`*_genuine_clean.png`), a genuine phone photo
//! (`*_genuine_photo[_rNN].jpg`, some turned by 90/180/270 degrees) and the attack variants,
//! plus `labels.jsonl` with one line per image (ground-truth MRZ and fields, document quad,
//! portrait and MRZ boxes, attack parameters, seeds). The same arguments give byte-identical
//! files: all randomness comes from the seed, the fonts and the face are compiled in, and
//! nothing reads the clock or runs on threads.

mod args;
mod attacks;
mod data;
mod generate;
mod labels;
mod layout;
mod portrait;
mod raster;
mod rng;
mod scene;
mod stamp;
mod text;
mod texture;

use std::io::Write;
use std::path::Path;

use generate::{Assets, Options};

/// Examples are hosts: errors are reported, not typed.
pub(crate) type Result<T> = std::result::Result<T, Box<dyn std::error::Error>>;

/// Generates every document into `out`; returns the number of images written.
pub(crate) fn run(opts: &Options, out: &Path) -> Result<usize> {
    std::fs::create_dir_all(out)?;
    let assets = Assets {
        fonts: text::Fonts::load()?,
        face: portrait::load()?,
    };
    let mut labels = Vec::new();
    let mut images = 0;
    for index in 0..opts.count {
        for o in generate::document(opts, &assets, index)? {
            std::fs::write(out.join(&o.file), &o.bytes)?;
            serde_json::to_writer(&mut labels, &o.label)?;
            labels.push(b'\n');
            images += 1;
        }
    }
    std::fs::write(out.join("labels.jsonl"), &labels)?;
    Ok(images)
}

fn main() -> std::process::ExitCode {
    let argv: Vec<String> = std::env::args().skip(1).collect();
    let parsed = match args::parse(&argv) {
        Ok(Some(p)) => p,
        Ok(None) => {
            println!("{}", args::USAGE);
            return std::process::ExitCode::SUCCESS;
        }
        Err(e) => {
            eprintln!("gen_documents: {e}\n\n{}", args::USAGE);
            return std::process::ExitCode::from(2);
        }
    };
    match run(&parsed.options, &parsed.out) {
        Ok(n) => {
            let _ = writeln!(
                std::io::stderr(),
                "gen_documents: {n} images and labels.jsonl in {}",
                parsed.out.display()
            );
            std::process::ExitCode::SUCCESS
        }
        Err(e) => {
            eprintln!("gen_documents: {e}");
            std::process::ExitCode::FAILURE
        }
    }
}

#[cfg(test)]
mod tests {
    use std::collections::BTreeMap;
    use std::path::PathBuf;

    use kyc_core::document::mrz;

    use super::*;
    use crate::generate::{CleanFormat, KindChoice};

    /// Every attack once over a passport and a card. Unoptimised builds, where the full set
    /// takes minutes, check the genuine renders and the one attack that needs no photo; run
    /// `cargo test --release --example gen_documents` for all of them.
    fn options() -> Options {
        let attacks = if cfg!(debug_assertions) {
            vec!["edit"]
        } else {
            attacks::ALL.to_vec()
        };
        Options {
            seed: 20_260_101,
            count: 2,
            kind: KindChoice::All,
            attacks,
            spread: true,
            clean_format: CleanFormat::Png,
            quality: 85,
            today: jiff::civil::date(2026, 1, 1),
            fit_portrait: false,
        }
    }

    fn scratch(name: &str) -> PathBuf {
        let dir = std::env::temp_dir().join(format!("gen_documents_{}_{name}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        dir
    }

    fn files(dir: &Path) -> BTreeMap<String, Vec<u8>> {
        std::fs::read_dir(dir)
            .unwrap()
            .map(|e| {
                let e = e.unwrap();
                (
                    e.file_name().to_string_lossy().into_owned(),
                    std::fs::read(e.path()).unwrap(),
                )
            })
            .collect()
    }

    /// Same seed, same bytes; and every genuine label's MRZ verifies with the MRZ module.
    #[test]
    fn same_seed_same_bytes_and_valid_mrz() {
        let (a, b) = (scratch("a"), scratch("b"));
        let opts = options();
        let n = run(&opts, &a).unwrap();
        assert_eq!(run(&opts, &b).unwrap(), n);
        let (fa, fb) = (files(&a), files(&b));
        assert_eq!(fa.len(), n + 1);
        assert_eq!(fa.keys().collect::<Vec<_>>(), fb.keys().collect::<Vec<_>>());
        for (name, bytes) in &fa {
            assert!(fb.get(name) == Some(bytes), "{name} differs between runs");
        }

        let labels = String::from_utf8(fa["labels.jsonl"].clone()).unwrap();
        let mut attacks_seen = Vec::new();
        for line in labels.lines() {
            let l: serde_json::Value = serde_json::from_str(line).unwrap();
            assert!(fa.contains_key(l["file"].as_str().unwrap()));
            let attack = l["attack"].as_str().unwrap().to_string();
            if attack == "genuine" {
                let lines: Vec<&str> = l["mrz"]
                    .as_array()
                    .unwrap()
                    .iter()
                    .map(|v| v.as_str().unwrap())
                    .collect();
                let parsed = mrz::parse(&lines, opts.today).unwrap();
                assert!(parsed.valid(), "{lines:?}");
                let doc_number = l["fields"]["document_number"].as_str().unwrap();
                assert!(lines.concat().contains(doc_number));
            } else {
                attacks_seen.push(attack);
            }
        }
        attacks_seen.sort();
        let mut wanted: Vec<String> = opts.attacks.iter().map(|s| s.to_string()).collect();
        wanted.sort();
        assert_eq!(attacks_seen, wanted);
        let _ = std::fs::remove_dir_all(&a);
        let _ = std::fs::remove_dir_all(&b);
    }
}
