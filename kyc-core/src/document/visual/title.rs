//! The document type a page's printed title names (`PASSPORT`, `CARTE D'IDENTITÉ`, `FÜHRERSCHEIN`...),
//! in the languages of the issuers most often seen, with a confidence from the OCR.

use super::VisualLine;
use super::text::{compact, find_phrase, words};
use crate::scenario::DocumentType;

/// Titles per type, as printed (folded before comparison). Longer, more specific titles of a type
/// come before shorter ones only for reading; all are tried.
const TITLES: &[(DocumentType, &[&str])] = &[
    (
        DocumentType::ResidencePermit,
        &[
            "RESIDENCE PERMIT",
            "TITRE DE SEJOUR",
            "AUFENTHALTSTITEL",
            "PERMISO DE RESIDENCIA",
            "PERMESSO DI SOGGIORNO",
            "VERBLIJFSVERGUNNING",
            "UPPEHALLSTILLSTAND",
            "KARTA POBYTU",
        ],
    ),
    (
        DocumentType::DrivingLicence,
        &[
            "DRIVING LICENCE",
            "DRIVER LICENSE",
            "DRIVERS LICENSE",
            "PERMIS DE CONDUIRE",
            "FUHRERSCHEIN",
            "FUEHRERSCHEIN",
            "PERMISO DE CONDUCCION",
            "PATENTE DI GUIDA",
            "RIJBEWIJS",
            "KORKORT",
            "PRAWO JAZDY",
        ],
    ),
    (DocumentType::Visa, &["VISA", "VISUM", "VISTO"]),
    (
        DocumentType::IdCard,
        &[
            "IDENTITY CARD",
            "ID CARD",
            "CARTE D'IDENTITE",
            "CARTE NATIONALE D'IDENTITE",
            "PERSONALAUSWEIS",
            "DOCUMENTO DE IDENTIDAD",
            "DOCUMENTO NACIONAL DE IDENTIDAD",
            "CARTA D'IDENTITA",
            "CARTAO DE CIDADAO",
            "IDENTITEITSKAART",
            "IDENTITETSKORT",
            "DOWOD OSOBISTY",
            "OBCANSKY PRUKAZ",
        ],
    ),
    (
        DocumentType::Passport,
        &[
            "PASSPORT",
            "PASSEPORT",
            "PASAPORTE",
            "REISEPASS",
            "PASSAPORTO",
            "PASSAPORTE",
            "PASPOORT",
            "PASZPORT",
            "CESTOVNI PAS",
        ],
    ),
];

/// Words that make a line an issuer or a label rather than the page's title (`Passport Office`
/// as the authority on an ID card's back).
const NOT_A_TITLE: [&str; 3] = ["OFFICE", "AUTHORITY", "ISSUED"];

/// The type a page's title names and how sure the reading is: the best line's mean character
/// confidence, lowered by the share of letters the OCR had to be forgiven. When titles of two types
/// appear, the more confident reading wins.
pub fn document_type(lines: &[VisualLine]) -> Option<(DocumentType, f64)> {
    let mut best: Option<(DocumentType, f64)> = None;
    for line in lines {
        let w = words(&line.text);
        if w.iter().any(|w| NOT_A_TITLE.contains(&w.icao.as_str())) {
            continue;
        }
        for (kind, titles) in TITLES {
            for title in *titles {
                let target = compact(title);
                let count = title.split([' ', '\'']).count();
                if let Some((_, _, edits)) = find_phrase(&line.text, &w, &target, count) {
                    let confidence =
                        line.confidence * (1.0 - edits as f64 / target.len().max(1) as f64);
                    if best.is_none_or(|(_, c)| confidence > c) {
                        best = Some((*kind, confidence.clamp(0.0, 1.0)));
                    }
                }
            }
        }
    }
    best
}

#[cfg(test)]
mod tests {
    use super::*;

    fn line(text: &str) -> VisualLine {
        VisualLine {
            text: text.to_owned(),
            confidence: 0.9,
            place: None,
        }
    }

    #[test]
    fn titles_in_several_languages() {
        let t = |s: &str| document_type(&[line(s)]).map(|(k, _)| k);
        assert_eq!(t("PASSEPORT / PASSPORT"), Some(DocumentType::Passport));
        assert_eq!(
            t("REPUBLIQUE FRANÇAISE CARTE NATIONALE D'IDENTITÉ"),
            Some(DocumentType::IdCard)
        );
        assert_eq!(t("Personalausweis"), Some(DocumentType::IdCard));
        assert_eq!(t("FÜHRERSCHEIN"), Some(DocumentType::DrivingLicence));
        assert_eq!(t("RESIDENCE PERMIT"), Some(DocumentType::ResidencePermit));
        assert_eq!(t("VISA"), Some(DocumentType::Visa));
        assert_eq!(t("REISEPAS"), Some(DocumentType::Passport));
        assert_eq!(t("SÖDERBERG"), None);
        assert_eq!(t("Passport Office Utopia"), None);
        assert_eq!(t("VISAKHAPATNAM"), None);
        assert_eq!(document_type(&[]), None);
    }

    #[test]
    fn a_slip_lowers_the_confidence() {
        let (_, exact) = document_type(&[line("PASSPORT")]).unwrap();
        let (_, slipped) = document_type(&[line("PASSP0RT")]).unwrap();
        assert!((exact - 0.9).abs() < 1e-9 && slipped < exact);
    }
}
