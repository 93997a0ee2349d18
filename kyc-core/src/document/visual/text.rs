//! Printed text brought to the MRZ's alphabet so that the two can be compared: words split out of a
//! line with their place in it, letters folded to `A`-`Z` (both the ICAO transliteration, `Ö` as
//! `OE`, and the plain one, `Ö` as `O`, since issuers use either), and a bounded edit distance for
//! the OCR's slips.

use crate::document::mrz::to_mrz;

/// Characters of a line looked at, at most: a visual-zone line is far shorter, and the edit
/// distance is quadratic in the lengths.
pub const MAX_LINE_CHARS: usize = 200;

/// A word of a line: where it is (byte offsets into the line) and its folded forms.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Word {
    /// Byte offset of its first character in the line.
    pub start: usize,
    /// Byte offset just past it.
    pub end: usize,
    /// `A`-`Z` and `0`-`9`, ICAO transliteration (`Ö` as `OE`).
    pub icao: String,
    /// `A`-`Z` and `0`-`9`, diacritics dropped (`Ö` as `O`).
    pub plain: String,
}

/// Letters whose ICAO form adds an `E` or doubles the letter, where issuers that drop diacritics
/// print the bare letter.
fn plain_letter(c: char) -> Option<&'static str> {
    Some(match c {
        'Ä' | 'Å' => "A",
        'Ö' | 'Ø' => "O",
        'Ü' => "U",
        _ => return None,
    })
}

/// One character folded, in both forms; `None` when it is not a letter or digit either form keeps.
fn fold_char(c: char) -> Option<(String, String)> {
    if c.is_ascii_alphanumeric() {
        let up = c.to_ascii_uppercase().to_string();
        return Some((up.clone(), up));
    }
    let up = c.to_uppercase().next().unwrap_or(c);
    let icao = to_mrz(&up.to_string()).mrz.replace('<', "");
    if icao.is_empty() {
        return None;
    }
    let plain = plain_letter(up).map_or_else(|| icao.clone(), str::to_owned);
    Some((icao, plain))
}

/// Whether `c` is part of a word: letters and digits; apostrophes join (`D'IDENTITÉ`, `O'NEIL`)
/// and fold away, as the MRZ drops them.
fn in_word(c: char) -> bool {
    c.is_alphanumeric() || matches!(c, '\'' | '’')
}

/// The words of `line` (its first [`MAX_LINE_CHARS`] characters).
pub fn words(line: &str) -> Vec<Word> {
    let mut out: Vec<Word> = Vec::new();
    let mut current: Option<Word> = None;
    for (at, c) in line.char_indices().take(MAX_LINE_CHARS) {
        if !in_word(c) {
            out.extend(current.take().filter(|w| !w.icao.is_empty()));
            continue;
        }
        let word = current.get_or_insert_with(|| Word {
            start: at,
            end: at,
            icao: String::new(),
            plain: String::new(),
        });
        word.end = at + c.len_utf8();
        if let Some((icao, plain)) = fold_char(c) {
            word.icao.push_str(&icao);
            word.plain.push_str(&plain);
        }
    }
    out.extend(current.filter(|w| !w.icao.is_empty()));
    out
}

/// A name or phrase as the MRZ spells it (`SOEDERBERG<<MAERTA` or `ERIKSSON`), folded to its words'
/// letters without separators: `SOEDERBERGMAERTA`.
pub fn compact(value: &str) -> String {
    value
        .chars()
        .filter_map(|c| if c == '<' { None } else { fold_char(c) })
        .map(|(icao, _)| icao)
        .collect()
}

/// Levenshtein distance of two ASCII strings, or `None` once it exceeds `limit` (both strings are
/// short: at most [`MAX_LINE_CHARS`] bytes are ever compared).
pub fn distance_within(a: &str, b: &str, limit: usize) -> Option<usize> {
    let (a, b) = (a.as_bytes(), b.as_bytes());
    if a.len().abs_diff(b.len()) > limit {
        return None;
    }
    let mut previous: Vec<usize> = (0..=b.len()).collect();
    let mut current = vec![0usize; b.len() + 1];
    for (i, &ca) in a.iter().enumerate() {
        if let Some(first) = current.first_mut() {
            *first = i + 1;
        }
        let mut row_min = i + 1;
        for (j, &cb) in b.iter().enumerate() {
            let substitute = previous
                .get(j)
                .map_or(usize::MAX, |d| d + usize::from(ca != cb));
            let delete = previous.get(j + 1).map_or(usize::MAX, |d| d + 1);
            let insert = current.get(j).map_or(usize::MAX, |d| d + 1);
            let d = substitute.min(delete).min(insert);
            if let Some(slot) = current.get_mut(j + 1) {
                *slot = d;
            }
            row_min = row_min.min(d);
        }
        if row_min > limit {
            return None;
        }
        std::mem::swap(&mut previous, &mut current);
    }
    previous.last().copied().filter(|&d| d <= limit)
}

/// A line's letters folded (see [`words`]) and read as one run, each with the byte end of the word
/// it comes from: folded once, searched for many labels.
pub struct FoldedLine {
    run: Vec<(u8, usize)>,
}

impl FoldedLine {
    /// Folds `line`.
    pub fn new(line: &str) -> Self {
        let mut run = Vec::new();
        for w in words(line) {
            run.extend(w.icao.bytes().map(|b| (b, w.end)));
        }
        Self { run }
    }

    /// Where folded `target` (see [`compact`]) is spelt in the line, across spaces (`DATEOF
    /// ISSUE`), within `limit` edits: the byte offset in the line just past the word where the
    /// closest match ends (the first, among equals), or `None`. For labels, whose small print the
    /// OCR reads with slips (`Dat f issue`, `élivrance`).
    pub fn find(&self, target: &str, limit: usize) -> Option<usize> {
        let target = target.as_bytes();
        if target.is_empty() {
            return None;
        }
        // Approximate substring search (Sellers): a match may start anywhere for free.
        let mut column: Vec<usize> = (0..=target.len()).collect();
        let mut found: Option<(usize, usize)> = None;
        for &(c, end) in &self.run {
            let mut diagonal = 0usize;
            if let Some(first) = column.first_mut() {
                diagonal = std::mem::replace(first, 0);
            }
            for (i, &t) in target.iter().enumerate() {
                let (Some(&above), Some(&left)) = (column.get(i), column.get(i + 1)) else {
                    break;
                };
                let d = (diagonal + usize::from(t != c))
                    .min(above + 1)
                    .min(left + 1);
                diagonal = left;
                if let Some(slot) = column.get_mut(i + 1) {
                    *slot = d;
                }
            }
            // The closest match, the first place it is reached: a match running on into the next
            // word by an allowed insertion is not a better one.
            if let Some(&d) = column.last()
                && d <= limit
                && found.is_none_or(|(best, _)| d < best)
            {
                found = Some((d, end));
            }
        }
        found.map(|(_, end)| end)
    }
}

/// [`FoldedLine::find`] on `line`, folded for this one search.
pub fn find_within(line: &str, target: &str, limit: usize) -> Option<usize> {
    FoldedLine::new(line).find(target, limit)
}

/// Edits the OCR may have made in a value of `len` letters that still count as the same value:
/// none in short values (a two-letter name is anyone's), one up to 10, two beyond.
pub fn allowed_edits(len: usize) -> usize {
    match len {
        0..=4 => 0,
        5..=10 => 1,
        _ => 2,
    }
}

/// Where a folded `target` (see [`compact`]) is spelt in `line`, as consecutive words (up to one
/// more than `target_words`, since the OCR merges and splits words): the byte span in the line and
/// the edits needed, fewest first. Words must match whole: `ANNA` is not found in `JOHANNA`.
pub fn find_phrase(
    line: &str,
    words: &[Word],
    target: &str,
    target_words: usize,
) -> Option<(usize, usize, usize)> {
    if target.is_empty() {
        return None;
    }
    let base = allowed_edits(target.len());
    let mut best: Option<(usize, usize, usize)> = None;
    for first in 0..words.len() {
        let mut icao = String::new();
        let mut plain = String::new();
        let mut marked = 0usize;
        for (k, w) in words.iter().enumerate().skip(first).take(target_words + 1) {
            icao.push_str(&w.icao);
            plain.push_str(&w.plain);
            // A letter with a diacritic is where the OCR slips most (`Å` read `Á`) and where
            // transliterations differ (`Å` as `AA` or `A`): one more edit forgiven for each, up
            // to two.
            marked += line.get(w.start..w.end).map_or(0, |t| {
                t.chars()
                    .filter(|c| c.is_alphabetic() && !c.is_ascii())
                    .count()
            });
            let limit = base + marked.min(MAX_MARKED_EDITS);
            if icao.len() > target.len() + limit && plain.len() > target.len() + limit {
                break;
            }
            let d = [&icao, &plain]
                .into_iter()
                .filter_map(|s| distance_within(s, target, limit))
                .min();
            if let (Some(d), Some(start)) = (d, words.get(first).map(|w| w.start))
                && best.is_none_or(|(_, _, b)| d < b)
            {
                best = Some((start, words.get(k).map_or(line.len(), |w| w.end), d));
            }
        }
    }
    best
}

/// Edits forgiven at most for letters with diacritics in a phrase (see [`find_phrase`]).
const MAX_MARKED_EDITS: usize = 2;

/// Letters the OCR reads for digits and back, mapped to one representative, so that a document
/// number compares equal through them (`O`/`0`/`Q`/`D`, `I`/`1`/`L`, `Z`/`2`, `S`/`5`, `B`/`8`,
/// `G`/`6`), as the MRZ engine's repair undoes them.
pub fn confusion_class(c: char) -> char {
    match c {
        'O' | 'Q' | 'D' => '0',
        'I' | 'L' => '1',
        'Z' => '2',
        'S' => '5',
        'B' => '8',
        'G' => '6',
        other => other,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn words_fold_diacritics_both_ways_and_keep_their_place() {
        let line = "Nom/Surname: SÖDERBERG-Łukasz";
        let w = words(line);
        let texts: Vec<&str> = w.iter().map(|w| w.icao.as_str()).collect();
        assert_eq!(texts, ["NOM", "SURNAME", "SOEDERBERG", "LUKASZ"]);
        assert_eq!(w[2].plain, "SODERBERG");
        assert_eq!(&line[w[2].start..w[3].end], "SÖDERBERG-Łukasz");
        assert_eq!(words("D'IDENTITÉ")[0].icao, "DIDENTITE");
    }

    #[test]
    fn phrases_are_found_whole_with_a_few_ocr_slips() {
        let line = "MÜLLER LUKASZ JOHANNA";
        let w = words(line);
        let (s, e, d) = find_phrase(line, &w, &compact("MUELLER<LUKASZ"), 2).unwrap();
        assert_eq!((&line[s..e], d), ("MÜLLER LUKASZ", 0));
        assert_eq!(find_phrase(line, &w, "ANNA", 1), None);
        let slip = "ERIKSS0N";
        let (_, _, d) = find_phrase(slip, &words(slip), "ERIKSSON", 1).unwrap();
        assert_eq!(d, 1);
        // Plain folding: MÄRTA printed, MARTA in an MRZ that drops diacritics.
        assert!(find_phrase("MÄRTA", &words("MÄRTA"), "MARTA", 1).is_some());
    }

    #[test]
    fn labels_are_found_across_spaces_and_slips() {
        let line = "Dat f issue ate d élivrance";
        assert_eq!(find_within(line, "OFISSUE", 1), Some(11));
        assert_eq!(find_within(line, "DELIVRANCE", 1), Some(line.len()));
        assert_eq!(find_within(line, "EXPIRY", 1), None);
        assert_eq!(find_within("Date of birth", "BIRTH", 0), Some(13));
        // An allowed insertion does not carry the match into the value.
        assert_eq!(find_within("nacimiento 04 MAR", "NACIMIENTO", 2), Some(10));
        assert_eq!(find_within("", "BIRTH", 1), None);
        assert_eq!(find_within("Date of birth", "", 1), None);
    }

    #[test]
    fn distance_is_bounded() {
        assert_eq!(distance_within("KITTEN", "SITTING", 3), Some(3));
        assert_eq!(distance_within("KITTEN", "SITTING", 2), None);
        assert_eq!(distance_within("", "", 0), Some(0));
        assert_eq!(distance_within("A", "", 0), None);
    }

    #[test]
    fn garbage_never_panics() {
        let long = "é".repeat(5000);
        for line in [
            "",
            "\u{0}\u{ffff}",
            "<<<<",
            "'''",
            long.as_str(),
            "日本国 旅券",
        ] {
            let w = words(line);
            let _ = find_phrase(line, &w, "SMITH", 1);
        }
        assert!(words(&long).len() <= 1);
    }
}
