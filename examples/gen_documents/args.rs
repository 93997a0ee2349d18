//! Command-line parsing, by hand: a handful of flags do not justify a parser dependency.

use std::path::PathBuf;

use crate::Result;
use crate::attacks;
use crate::generate::{CleanFormat, KindChoice, Options};

pub(crate) const USAGE: &str = "usage: gen_documents --seed <u64> --count <n> --out <dir>
    [--kind passport|id_card|all]        documents to draw (default all: alternating)
    [--attacks all|none|a,b,...]         attacks from screen,print,edit,blur,glare,crop (default all), and
                                         unsigned (no signature) and stamped (an office stamp over
                                         the portrait, half scanned, half photographed) when named
    [--spread]                           deal the attacks out over the documents, one each,
                                         instead of every attack for every document
    [--clean-format png|jpg]             format of the flat renders (default png)
    [--quality <1-100>]                  JPEG quality (default 85)
    [--today <YYYY-MM-DD>]               reference date for valid data (default 2026-01-01)
    [--fit-portrait]                     every holder fits the one portrait: a woman of 36 to 44
                                         (the committed fixtures use it; evaluation sets do not)";

/// The largest `--count` accepted, to bound the run.
const MAX_COUNT: u64 = 100_000;

/// Parsed arguments.
pub(crate) struct Args {
    pub(crate) options: Options,
    pub(crate) out: PathBuf,
}

fn attack_list(s: &str) -> Result<Vec<&'static str>> {
    match s {
        "all" => Ok(attacks::ALL.to_vec()),
        "none" => Ok(Vec::new()),
        _ => {
            let wanted: Vec<&str> = s.split(',').map(str::trim).collect();
            let known = || attacks::ALL.iter().chain(&attacks::OPT_IN);
            if let Some(bad) = wanted.iter().find(|w| !known().any(|a| a == *w)) {
                return Err(format!("unknown attack {bad:?}").into());
            }
            // Keep the canonical order whatever order was typed, so output order is stable.
            Ok(known().copied().filter(|a| wanted.contains(a)).collect())
        }
    }
}

/// Parses the arguments; `Ok(None)` for `--help`.
pub(crate) fn parse(argv: &[String]) -> Result<Option<Args>> {
    let mut seed = None;
    let mut count = None;
    let mut out = None;
    let mut options = Options {
        seed: 0,
        count: 0,
        kind: KindChoice::All,
        attacks: attacks::ALL.to_vec(),
        spread: false,
        clean_format: CleanFormat::Png,
        quality: 85,
        today: jiff::civil::date(2026, 1, 1),
        fit_portrait: false,
    };
    let mut it = argv.iter();
    while let Some(flag) = it.next() {
        if flag == "--help" || flag == "-h" {
            return Ok(None);
        }
        if flag == "--fit-portrait" {
            options.fit_portrait = true;
            continue;
        }
        if flag == "--spread" {
            options.spread = true;
            continue;
        }
        let value = it.next().ok_or_else(|| format!("{flag} needs a value"))?;
        match flag.as_str() {
            "--seed" => seed = Some(value.parse::<u64>()?),
            "--count" => count = Some(value.parse::<u64>()?),
            "--out" => out = Some(PathBuf::from(value)),
            "--kind" => {
                options.kind = match value.as_str() {
                    "passport" => KindChoice::Passport,
                    "id_card" => KindChoice::IdCard,
                    "all" => KindChoice::All,
                    _ => return Err(format!("unknown kind {value:?}").into()),
                }
            }
            "--attacks" => options.attacks = attack_list(value)?,
            "--clean-format" => {
                options.clean_format = match value.as_str() {
                    "png" => CleanFormat::Png,
                    "jpg" | "jpeg" => CleanFormat::Jpeg,
                    _ => return Err(format!("unknown format {value:?}").into()),
                }
            }
            "--quality" => {
                let q = value.parse::<u8>()?;
                if !(1..=100).contains(&q) {
                    return Err("--quality must be 1 to 100".into());
                }
                options.quality = q;
            }
            "--today" => options.today = value.parse()?,
            _ => return Err(format!("unknown argument {flag:?}").into()),
        }
    }
    options.seed = seed.ok_or("--seed is required")?;
    let count = count.ok_or("--count is required")?;
    if count > MAX_COUNT {
        return Err(format!("--count over {MAX_COUNT}").into());
    }
    options.count = count;
    let out = out.ok_or("--out is required")?;
    Ok(Some(Args { options, out }))
}
