//! `--fields`: the fields read from each genuine image of a `gen_documents` directory on its own
//! (one side, as a capture of one image), against the generator's labels. A field is compared in
//! the form of its source: the MRZ's transliteration (`BJOERN`) for MRZ fields, the printed form
//! (`BJÖRN`) for visual ones. Prints per image the fields missed or wrong, and per side and
//! variant how many of each field were right, missed and wrong.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use kyc_core::document::ocr::MrzReader;
use kyc_core::document::{FieldSource, field};

use super::visual::{self, Capture};

const FIELDS: [&str; 8] = [
    field::SURNAME,
    field::GIVEN_NAMES,
    field::DOCUMENT_NUMBER,
    field::BIRTH_DATE,
    field::ISSUE_DATE,
    field::EXPIRY_DATE,
    field::SEX,
    field::NATIONALITY,
];

/// Right, missed (printed but not read), wrong.
#[derive(Default)]
struct Tally {
    right: usize,
    missed: usize,
    wrong: usize,
}

fn truth(label: &serde_json::Value, name: &str, source: FieldSource) -> Option<String> {
    let fields = label.get("fields")?;
    let key = match (name, source) {
        (field::SURNAME, FieldSource::Mrz) => "surname_mrz",
        (field::GIVEN_NAMES, FieldSource::Mrz) => "given_names_mrz",
        (n, _) => n,
    };
    fields.get(key)?.as_str().map(str::to_owned)
}

/// Whether the image shows `name` at all: in its MRZ, or among its printed fields.
fn shown(label: &serde_json::Value, name: &str) -> bool {
    let in_mrz = label["mrz_visible"].as_bool().unwrap_or(false) && name != field::ISSUE_DATE;
    let printed = label["visual_fields"]
        .as_array()
        .is_some_and(|v| v.iter().any(|f| f["name"].as_str() == Some(name)));
    in_mrz || printed
}

pub fn report(reader: &MrzReader, dirs: &[PathBuf], today: jiff::civil::Date) -> ExitCode {
    for dir in dirs {
        let Ok(text) = std::fs::read_to_string(dir.join("labels.jsonl")) else {
            println!("({}: no labels.jsonl, skipped)", dir.display());
            continue;
        };
        println!("{}:", dir.display());
        let mut tally: BTreeMap<(String, &str), Tally> = BTreeMap::new();
        // Per group: images, lines the visual pass recognised, its milliseconds.
        let mut cost: BTreeMap<String, (usize, usize, f64)> = BTreeMap::new();
        for label in text
            .lines()
            .filter_map(|l| serde_json::from_str::<serde_json::Value>(l).ok())
            .filter(|l| l["attack"] == "genuine")
        {
            let file = label["file"].as_str().unwrap_or_default().to_owned();
            let group = format!(
                "{}_{}",
                label["side"].as_str().unwrap_or("?"),
                label["variant"].as_str().unwrap_or("?")
            );
            let capture = Capture {
                file: file.clone(),
                class: group.clone(),
                images: vec![Path::new(dir).join(&file)],
            };
            let outcome = match visual::run(reader, &capture, today) {
                Ok(o) => o,
                Err(e) => {
                    println!("  {file:<44} error {e}");
                    continue;
                }
            };
            let c = cost.entry(group.clone()).or_default();
            c.0 += 1;
            c.1 += outcome.lines.len();
            c.2 += outcome.visual_ms;
            let mut notes = Vec::new();
            for name in FIELDS {
                if !shown(&label, name) {
                    continue;
                }
                let t = tally.entry((group.clone(), name)).or_default();
                match outcome.document.as_ref().and_then(|d| d.field(name)) {
                    None => {
                        t.missed += 1;
                        notes.push(format!("{name}:missed"));
                    }
                    Some(f) if truth(&label, name, f.source).as_deref() == Some(&f.value) => {
                        t.right += 1
                    }
                    Some(f) => {
                        t.wrong += 1;
                        notes.push(format!(
                            "{name}:WRONG {:?} ({:?}) vs {:?}",
                            f.value,
                            f.source,
                            truth(&label, name, f.source).unwrap_or_default()
                        ));
                    }
                }
            }
            println!("  {file:<44} {}", notes.join("  "));
        }
        println!(
            "  {:<16} {:<16} {:>5} {:>6} {:>5}",
            "side", "field", "right", "missed", "wrong"
        );
        for ((group, name), t) in &tally {
            println!(
                "  {group:<16} {name:<16} {:>5} {:>6} {:>5}",
                t.right, t.missed, t.wrong
            );
        }
        println!(
            "  {:<16} {:>6} {:>13} {:>15}",
            "side", "images", "lines/image", "visual ms/image"
        );
        for (group, (n, lines, ms)) in &cost {
            let n = (*n).max(1) as f64;
            println!(
                "  {group:<16} {:>6} {:>13.1} {:>15.0}",
                n,
                *lines as f64 / n,
                ms / n
            );
        }
    }
    ExitCode::SUCCESS
}
