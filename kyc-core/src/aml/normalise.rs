//! A name as comparable tokens: case folded, Cyrillic written in Latin (ICAO 9303, as the
//! Russian passport does), diacritics dropped (`Müller` → `muller`, `Łukasz` → `lukasz`),
//! punctuation a separator (`O'Brien` → `obrien`, `Jean-Pierre` → `jean`, `pierre`), honorifics
//! and generational suffixes left out (`Dr`, `Mr`, `Sheikh`, `Jr`, `III`). Order is not kept as
//! meaning: the scorer assigns parts to parts whatever their order, so `IVANOV, Ivan` and
//! `Ivan Ivanov` are the same tokens.

use unicode_normalization::UnicodeNormalization;
use unicode_normalization::char::is_combining_mark;

use super::translit::{self, Scheme};

/// Most tokens kept of one name; the rest are dropped (a name longer than this is not a name).
pub const MAX_TOKENS: usize = 8;
/// Longest token kept, in bytes; longer ones are cut.
pub const MAX_TOKEN_BYTES: usize = 32;

/// Titles and suffixes that are not part of a name.
const HONORIFICS: &[&str] = &[
    "mr", "mrs", "ms", "miss", "mx", "dr", "prof", "sir", "dame", "lord", "lady", "rev", "hon",
    "herr", "frau", "mme", "mlle", "sr", "jr", "iii", "iv", "sheikh", "shaikh", "shaykh", "haji",
    "hajji", "gen", "general", "col", "colonel", "maj", "major", "capt", "captain", "lt",
];

/// One part of a name.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Token {
    /// Folded spelling: lower-case ASCII letters and digits.
    pub folded: String,
    /// Its phonetic key ([`translit::key`]).
    pub key: String,
}

impl Token {
    /// A single letter: an initial.
    pub fn is_initial(&self) -> bool {
        self.folded.len() == 1
    }
}

/// Letters that decompose to nothing useful, written out.
fn special(c: char) -> Option<&'static str> {
    Some(match c {
        'ß' => "ss",
        'æ' => "ae",
        'œ' => "oe",
        'ø' => "o",
        'ł' => "l",
        'đ' | 'ð' => "d",
        'þ' => "th",
        'ı' => "i",
        'ħ' => "h",
        _ => return None,
    })
}

/// One word folded to lower-case ASCII letters and digits (Cyrillic through ICAO 9303).
pub fn fold_word(word: &str) -> String {
    let lowered = word.to_lowercase();
    let latin = if lowered.chars().any(translit::is_cyrillic) {
        translit::to_latin(&lowered, Scheme::Icao)
    } else {
        lowered
    };
    let mut spelled = String::with_capacity(latin.len());
    for c in latin.chars() {
        match special(c) {
            Some(s) => spelled.push_str(s),
            None => spelled.push(c),
        }
    }
    let mut out = String::with_capacity(spelled.len());
    for c in spelled.nfkd() {
        if c.is_ascii_alphanumeric() && out.len() < MAX_TOKEN_BYTES {
            out.push(c.to_ascii_lowercase());
        } else if is_combining_mark(c) || c == '\'' || c == '\u{2019}' || c == '`' {
            // Diacritics and apostrophes join, they do not separate.
        }
    }
    out
}

fn separates(c: char) -> bool {
    !(c.is_alphanumeric() || is_combining_mark(c) || matches!(c, '\'' | '\u{2019}' | '`'))
}

/// The tokens of `name`, in order, without honorifics; at most [`MAX_TOKENS`].
pub fn tokens(name: &str) -> Vec<Token> {
    name.split(separates)
        .map(fold_word)
        .filter(|w| !w.is_empty() && !HONORIFICS.contains(&w.as_str()))
        .take(MAX_TOKENS)
        .map(|folded| Token {
            key: translit::key(&folded),
            folded,
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn folded(name: &str) -> Vec<String> {
        tokens(name).into_iter().map(|t| t.folded).collect()
    }

    #[test]
    fn case_diacritics_punctuation_and_honorifics() {
        assert_eq!(
            folded("Dr. Jürgen MÜLLER-Lüdenscheidt"),
            ["jurgen", "muller", "ludenscheidt"]
        );
        assert_eq!(folded("O'Brien, Seán Jr."), ["obrien", "sean"]);
        assert_eq!(folded("Łukasz Żółć"), ["lukasz", "zolc"]);
        assert_eq!(folded("Straße"), ["strasse"]);
        assert_eq!(folded("  "), Vec::<String>::new());
    }

    #[test]
    fn cyrillic_is_folded_through_icao_before_diacritics_are_dropped() {
        // Й must not lose its breve to NFKD and become И before it is transliterated.
        assert_eq!(
            folded("ЮРИЙ Сергеевич ЩУКИН"),
            ["iurii", "sergeevich", "shchukin"]
        );
        assert_eq!(folded("Пётр"), ["petr"]);
        // Mixed scripts in one word (a Latin look-alike typed inside a Cyrillic name).
        assert_eq!(folded("Иваноv"), ["ivanov"]);
    }

    #[test]
    fn long_names_are_bounded() {
        let long = "a ".repeat(100) + &"b".repeat(100);
        let t = tokens(&long);
        assert_eq!(t.len(), MAX_TOKENS);
        assert!(
            tokens(&"x".repeat(100))
                .iter()
                .all(|t| t.folded.len() == MAX_TOKEN_BYTES)
        );
    }
}
