//! Issuing state and nationality codes: ISO 3166-1 alpha-3 plus the codes ICAO Doc 9303 Part 3
//! (section 5) adds for Germany, British nationals, organisations, stateless persons and refugees.
//!
//! A code outside the list is reported as its own outcome; it never makes the parse fail.

use serde::{Deserialize, Serialize};

/// What a three-letter code is, for the policy that reads it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum CountryClass {
    /// An ISO 3166-1 alpha-3 state.
    State,
    /// An ICAO-specific code: `D`, the `GB?` British classes, `EUE`, `UN?`, `X??` organisations,
    /// `XXA`/`XXB`/`XXC`/`XXX` stateless and refugee codes.
    IcaoSpecial,
    /// A code that is no longer issued (`ANT`, `NTZ`, `YUG`, `SCG`, `CSK`, `ZAR`), still on old documents.
    Historical,
    /// `UTO`, the fictional Utopia of the ICAO specimens: never a real document.
    Specimen,
    /// Not a code ICAO knows.
    Unknown,
}

/// ISO 3166-1 alpha-3 (from Debian's iso-codes, `iso_3166-1.json`), sorted for binary search.
static ISO: [[u8; 3]; 249] = [
    *b"ABW", *b"AFG", *b"AGO", *b"AIA", *b"ALA", *b"ALB", *b"AND", *b"ARE", *b"ARG", *b"ARM",
    *b"ASM", *b"ATA", *b"ATF", *b"ATG", *b"AUS", *b"AUT", *b"AZE", *b"BDI", *b"BEL", *b"BEN",
    *b"BES", *b"BFA", *b"BGD", *b"BGR", *b"BHR", *b"BHS", *b"BIH", *b"BLM", *b"BLR", *b"BLZ",
    *b"BMU", *b"BOL", *b"BRA", *b"BRB", *b"BRN", *b"BTN", *b"BVT", *b"BWA", *b"CAF", *b"CAN",
    *b"CCK", *b"CHE", *b"CHL", *b"CHN", *b"CIV", *b"CMR", *b"COD", *b"COG", *b"COK", *b"COL",
    *b"COM", *b"CPV", *b"CRI", *b"CUB", *b"CUW", *b"CXR", *b"CYM", *b"CYP", *b"CZE", *b"DEU",
    *b"DJI", *b"DMA", *b"DNK", *b"DOM", *b"DZA", *b"ECU", *b"EGY", *b"ERI", *b"ESH", *b"ESP",
    *b"EST", *b"ETH", *b"FIN", *b"FJI", *b"FLK", *b"FRA", *b"FRO", *b"FSM", *b"GAB", *b"GBR",
    *b"GEO", *b"GGY", *b"GHA", *b"GIB", *b"GIN", *b"GLP", *b"GMB", *b"GNB", *b"GNQ", *b"GRC",
    *b"GRD", *b"GRL", *b"GTM", *b"GUF", *b"GUM", *b"GUY", *b"HKG", *b"HMD", *b"HND", *b"HRV",
    *b"HTI", *b"HUN", *b"IDN", *b"IMN", *b"IND", *b"IOT", *b"IRL", *b"IRN", *b"IRQ", *b"ISL",
    *b"ISR", *b"ITA", *b"JAM", *b"JEY", *b"JOR", *b"JPN", *b"KAZ", *b"KEN", *b"KGZ", *b"KHM",
    *b"KIR", *b"KNA", *b"KOR", *b"KWT", *b"LAO", *b"LBN", *b"LBR", *b"LBY", *b"LCA", *b"LIE",
    *b"LKA", *b"LSO", *b"LTU", *b"LUX", *b"LVA", *b"MAC", *b"MAF", *b"MAR", *b"MCO", *b"MDA",
    *b"MDG", *b"MDV", *b"MEX", *b"MHL", *b"MKD", *b"MLI", *b"MLT", *b"MMR", *b"MNE", *b"MNG",
    *b"MNP", *b"MOZ", *b"MRT", *b"MSR", *b"MTQ", *b"MUS", *b"MWI", *b"MYS", *b"MYT", *b"NAM",
    *b"NCL", *b"NER", *b"NFK", *b"NGA", *b"NIC", *b"NIU", *b"NLD", *b"NOR", *b"NPL", *b"NRU",
    *b"NZL", *b"OMN", *b"PAK", *b"PAN", *b"PCN", *b"PER", *b"PHL", *b"PLW", *b"PNG", *b"POL",
    *b"PRI", *b"PRK", *b"PRT", *b"PRY", *b"PSE", *b"PYF", *b"QAT", *b"REU", *b"ROU", *b"RUS",
    *b"RWA", *b"SAU", *b"SDN", *b"SEN", *b"SGP", *b"SGS", *b"SHN", *b"SJM", *b"SLB", *b"SLE",
    *b"SLV", *b"SMR", *b"SOM", *b"SPM", *b"SRB", *b"SSD", *b"STP", *b"SUR", *b"SVK", *b"SVN",
    *b"SWE", *b"SWZ", *b"SXM", *b"SYC", *b"SYR", *b"TCA", *b"TCD", *b"TGO", *b"THA", *b"TJK",
    *b"TKL", *b"TKM", *b"TLS", *b"TON", *b"TTO", *b"TUN", *b"TUR", *b"TUV", *b"TWN", *b"TZA",
    *b"UGA", *b"UKR", *b"UMI", *b"URY", *b"USA", *b"UZB", *b"VAT", *b"VCT", *b"VEN", *b"VGB",
    *b"VIR", *b"VNM", *b"VUT", *b"WLF", *b"WSM", *b"YEM", *b"ZAF", *b"ZMB", *b"ZWE",
];

/// ICAO Doc 9303 Part 3 additions, sorted. `D<<` is matched after trimming its fillers.
static ICAO: [&[u8]; 27] = [
    b"D", b"EUE", b"GBD", b"GBN", b"GBO", b"GBP", b"GBS", b"RKS", b"UNA", b"UNK", b"UNO", b"XBA",
    b"XBT", b"XCC", b"XCE", b"XCO", b"XDC", b"XEC", b"XES", b"XIM", b"XMP", b"XOM", b"XPO", b"XXA",
    b"XXB", b"XXC", b"XXX",
];

static HISTORICAL: [&[u8]; 6] = [b"ANT", b"CSK", b"NTZ", b"SCG", b"YUG", b"ZAR"];

/// Classify a 3-character MRZ code field (fillers allowed at the end, as in `D<<`).
pub fn classify(field: &[u8]) -> CountryClass {
    let code = trim_fillers(field);
    if code == b"UTO" {
        return CountryClass::Specimen;
    }
    if let Ok(arr) = <[u8; 3]>::try_from(code)
        && ISO.binary_search(&arr).is_ok()
    {
        return CountryClass::State;
    }
    if ICAO.binary_search(&code).is_ok() {
        return CountryClass::IcaoSpecial;
    }
    if HISTORICAL.binary_search(&code).is_ok() {
        return CountryClass::Historical;
    }
    CountryClass::Unknown
}

fn trim_fillers(field: &[u8]) -> &[u8] {
    let end = field.iter().rposition(|&b| b != b'<').map_or(0, |i| i + 1);
    field.get(..end).unwrap_or(&[])
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tables_are_sorted() {
        assert!(ISO.windows(2).all(|w| w[0] < w[1]));
        assert!(ICAO.windows(2).all(|w| w[0] < w[1]));
        assert!(HISTORICAL.windows(2).all(|w| w[0] < w[1]));
    }

    #[test]
    fn classes() {
        assert_eq!(classify(b"CHE"), CountryClass::State);
        assert_eq!(classify(b"D<<"), CountryClass::IcaoSpecial);
        for c in [
            &b"UNO"[..],
            b"XXA",
            b"XXB",
            b"XXC",
            b"XXX",
            b"EUE",
            b"XOM",
            b"XPO",
            b"XCC",
            b"XES",
            b"XBT",
            b"XDC",
            b"XIM",
            b"UNA",
            b"UNK",
        ] {
            assert_eq!(classify(c), CountryClass::IcaoSpecial, "{c:?}");
        }
        assert_eq!(classify(b"UTO"), CountryClass::Specimen);
        assert_eq!(classify(b"YTO"), CountryClass::Unknown);
        assert_eq!(classify(b"<<<"), CountryClass::Unknown);
        assert_eq!(classify(b"ANT"), CountryClass::Historical);
    }
}
