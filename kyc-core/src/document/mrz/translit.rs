//! Names from print to MRZ (ICAO Doc 9303 Part 3, section 6: Latin diacritics and Cyrillic), and a
//! best-effort reverse to Cyrillic that says where it had to guess.
//!
//! The Cyrillic table is the one ICAO recommends (Doc 9303 Part 3 table; as reproduced in Russian
//! law, e.g. consultant.ru cons_doc_LAW_316977 appendix 1, and used for Russian foreign passports
//! since 2014 by MVD order 889 of 2017).

use serde::Serialize;

/// Latin letters with diacritics and ligatures, per Doc 9303 Part 3 (the recommended form where it
/// gives two).
fn latin(c: char) -> Option<&'static str> {
    Some(match c {
        'À' | 'Á' | 'Â' | 'Ã' | 'Ā' | 'Ă' | 'Ą' => "A",
        'Ä' => "AE",
        'Å' => "AA",
        'Æ' => "AE",
        'Ç' | 'Ć' | 'Ĉ' | 'Ċ' | 'Č' => "C",
        'Ď' | 'Đ' | 'Ð' => "D",
        'È' | 'É' | 'Ê' | 'Ë' | 'Ē' | 'Ĕ' | 'Ė' | 'Ę' | 'Ě' => "E",
        'Ĝ' | 'Ğ' | 'Ġ' | 'Ģ' => "G",
        'Ĥ' | 'Ħ' => "H",
        'Ì' | 'Í' | 'Î' | 'Ï' | 'Ĩ' | 'Ī' | 'Ĭ' | 'Į' | 'İ' | 'I' => "I",
        'Ĳ' => "IJ",
        'Ĵ' => "J",
        'Ķ' => "K",
        'Ĺ' | 'Ļ' | 'Ľ' | 'Ŀ' | 'Ł' => "L",
        'Ñ' | 'Ń' | 'Ņ' | 'Ň' | 'Ŋ' => "N",
        'Ò' | 'Ó' | 'Ô' | 'Õ' | 'Ō' | 'Ŏ' | 'Ő' => "O",
        'Ö' | 'Ø' | 'Œ' => "OE",
        'Ŕ' | 'Ŗ' | 'Ř' => "R",
        'Ś' | 'Ŝ' | 'Ş' | 'Š' | 'Ș' => "S",
        'ẞ' => "SS",
        'Ţ' | 'Ť' | 'Ŧ' | 'Ț' => "T",
        'Þ' => "TH",
        'Ù' | 'Ú' | 'Û' | 'Ũ' | 'Ū' | 'Ŭ' | 'Ů' | 'Ű' | 'Ų' => "U",
        'Ü' => "UE",
        'Ŵ' => "W",
        'Ý' | 'Ŷ' | 'Ÿ' => "Y",
        'Ź' | 'Ż' | 'Ž' => "Z",
        _ => return None,
    })
}

/// Cyrillic (Russian, with the Ukrainian and Belarusian letters ICAO lists).
fn cyrillic(c: char) -> Option<&'static str> {
    Some(match c {
        'А' => "A",
        'Б' => "B",
        'В' => "V",
        'Г' => "G",
        'Ґ' => "G",
        'Д' => "D",
        'Е' | 'Ё' | 'Э' => "E",
        'Є' => "IE",
        'Ж' => "ZH",
        'З' => "Z",
        'И' | 'Й' | 'І' | 'Ї' => "I",
        'К' => "K",
        'Л' => "L",
        'М' => "M",
        'Н' => "N",
        'О' => "O",
        'П' => "P",
        'Р' => "R",
        'С' => "S",
        'Т' => "T",
        'У' | 'Ў' => "U",
        'Ф' => "F",
        'Х' => "KH",
        'Ц' => "TS",
        'Ч' => "CH",
        'Ш' => "SH",
        'Щ' => "SHCH",
        'Ъ' => "IE",
        'Ы' => "Y",
        'Ь' => "",
        'Ю' => "IU",
        'Я' => "IA",
        _ => return None,
    })
}

/// A name in MRZ characters.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Transliterated {
    /// MRZ text (`A-Z`, `<` for spaces and hyphens).
    pub mrz: String,
    /// Characters no table covers (left out of `mrz`).
    pub unmapped: Vec<char>,
}

/// Printed name → MRZ characters. Apostrophes are dropped; spaces and hyphens become `<`.
pub fn to_mrz(name: &str) -> Transliterated {
    let mut mrz = String::with_capacity(name.len());
    let mut unmapped = Vec::new();
    for c in name.chars() {
        let up = c.to_uppercase().next().unwrap_or(c);
        if c == 'ß' {
            mrz.push_str("SS");
        } else if up.is_ascii_uppercase() {
            mrz.push(up);
        } else if matches!(c, ' ' | '-' | '<') {
            mrz.push('<');
        } else if matches!(c, '\'' | '’' | '.' | ',') {
            // Doc 9303: punctuation other than hyphens is omitted.
        } else if let Some(s) = latin(up).or_else(|| cyrillic(up)) {
            mrz.push_str(s);
        } else {
            unmapped.push(c);
        }
    }
    Transliterated { mrz, unmapped }
}

/// A place where the reverse had several Cyrillic readings.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Ambiguity {
    /// Character offset in the MRZ text.
    pub at: usize,
    /// The MRZ letters read.
    pub mrz: &'static str,
    /// Possible Cyrillic readings, the one used first.
    pub options: &'static [&'static str],
}

/// Best-effort Cyrillic reading of an ICAO-transliterated name.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Reversed {
    /// The reading chosen (the first option everywhere).
    pub text: String,
    /// Every place another reading was possible.
    pub ambiguities: Vec<Ambiguity>,
}

/// Reverse rules, longest first: (MRZ letters, readings).
static REVERSE: [(&str, &[&str]); 28] = [
    ("SHCH", &["Щ", "ШЧ"]),
    ("ZH", &["Ж", "ЗХ"]),
    ("KH", &["Х", "КХ"]),
    ("TS", &["Ц", "ТС"]),
    ("CH", &["Ч"]),
    ("SH", &["Ш", "СХ"]),
    ("IU", &["Ю", "ИУ", "ЙУ"]),
    ("IA", &["Я", "ИА", "ИЯ"]),
    ("IE", &["ИЕ", "Ъ", "ЬЕ", "ЙЕ"]),
    ("A", &["А"]),
    ("B", &["Б"]),
    ("V", &["В"]),
    ("G", &["Г"]),
    ("D", &["Д"]),
    ("E", &["Е", "Ё", "Э"]),
    ("Z", &["З"]),
    ("I", &["И", "Й"]),
    ("K", &["К"]),
    ("L", &["Л"]),
    ("M", &["М"]),
    ("N", &["Н"]),
    ("O", &["О"]),
    ("P", &["П"]),
    ("R", &["Р"]),
    ("S", &["С"]),
    ("T", &["Т"]),
    ("U", &["У"]),
    ("F", &["Ф"]),
];

/// MRZ letters (ICAO Cyrillic transliteration) → Cyrillic, reporting every ambiguous spot.
/// `Y` reads `Ы`; `<` a space; anything else is kept as is.
pub fn to_cyrillic(mrz: &str) -> Reversed {
    let mut text = String::with_capacity(mrz.len() * 2);
    let mut ambiguities = Vec::new();
    let mut i = 0usize;
    while let Some(rest) = mrz.get(i..) {
        if rest.is_empty() {
            break;
        }
        if let Some((k, opts)) = REVERSE.iter().find(|(k, _)| rest.starts_with(k)) {
            text.push_str(opts.first().copied().unwrap_or(""));
            if opts.len() > 1 {
                ambiguities.push(Ambiguity {
                    at: i,
                    mrz: k,
                    options: opts,
                });
            }
            i += k.len();
            continue;
        }
        let c = rest.chars().next().unwrap_or('?');
        text.push(match c {
            'Y' => 'Ы',
            '<' => ' ',
            other => other,
        });
        i += c.len_utf8();
    }
    Reversed { text, ambiguities }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn forward() {
        assert_eq!(to_mrz("Müller-Lüdenscheidt").mrz, "MUELLER<LUEDENSCHEIDT");
        assert_eq!(to_mrz("Ærøskøbing").mrz, "AEROESKOEBING");
        assert_eq!(to_mrz("O'Connor").mrz, "OCONNOR");
        assert_eq!(to_mrz("Щербаков Юрий").mrz, "SHCHERBAKOV<IURII");
        assert_eq!(to_mrz("Наталья").mrz, "NATALIA");
        assert_eq!(to_mrz("Straße").mrz, "STRASSE");
        assert_eq!(to_mrz("李").unmapped, vec!['李']);
    }

    #[test]
    fn reverse_reports_ambiguity() {
        let r = to_cyrillic("SHCHERBAKOV");
        assert_eq!(r.text, "ЩЕРБАКОВ");
        assert!(r.ambiguities.iter().any(|a| a.mrz == "E"));
        let r = to_cyrillic("IURII");
        assert_eq!(r.text, "ЮРИИ");
        assert!(r.ambiguities.iter().any(|a| a.mrz == "I"), "Й is possible");
        assert!(to_cyrillic("BORO").ambiguities.is_empty());
    }
}
