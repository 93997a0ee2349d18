//! The person and document a render shows: random but valid values, and the MRZ they produce
//! through the MRZ module's own generator (so that the fixtures and the parser agree by design).

use jiff::ToSpan;
use jiff::civil::Date;
use kyc_core::document::mrz::{self, MrzData, MrzFormat};
use serde::Serialize;

use crate::Result;
use crate::rng::Rng;

/// Which document is drawn.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub(crate) enum Kind {
    /// TD3 passport data page.
    Passport,
    /// TD1 identity card, front and back.
    IdCard,
}

impl Kind {
    pub(crate) fn as_str(self) -> &'static str {
        match self {
            Self::Passport => "passport",
            Self::IdCard => "id_card",
        }
    }
}

/// An issuing state, with the names and words its documents use.
pub(crate) struct State {
    /// MRZ code (`D` for Germany, `UTO` the ICAO specimen state).
    pub(crate) code: &'static str,
    /// Name as printed in the header.
    pub(crate) name: &'static str,
    /// Title of the passport in the state's language, printed before the English one.
    pub(crate) passport_title: &'static str,
    /// Title of the identity card.
    pub(crate) id_title: &'static str,
    surnames: &'static [&'static str],
    female: &'static [&'static str],
    male: &'static [&'static str],
    places: &'static [&'static str],
    authorities: &'static [&'static str],
    /// Hue of the background print, 0 to 360.
    pub(crate) hue: f64,
}

/// Built-in states; the names carry diacritics on purpose, to exercise transliteration.
pub(crate) const STATES: &[State] = &[
    State {
        code: "UTO",
        name: "UTOPIA",
        passport_title: "PASSEPORT",
        id_title: "CARTE D'IDENTITÉ",
        surnames: &[
            "Eriksson",
            "Ødegård",
            "O'Neill",
            "Van der Meer",
            "Lindqvist",
            "Ångström",
        ],
        female: &["Anna Maria", "Zoë", "Åsa", "Grace"],
        male: &["Peter John", "Jérôme", "Lars", "Ólafur"],
        places: &["Utopia City", "Port Lumen", "New Aurora"],
        authorities: &["Ministry of Interior", "Passport Office Utopia"],
        hue: 200.0,
    },
    State {
        code: "FRA",
        name: "RÉPUBLIQUE FRANÇAISE",
        passport_title: "PASSEPORT",
        id_title: "CARTE NATIONALE D'IDENTITÉ",
        surnames: &[
            "Lefèvre",
            "Dupont",
            "Moreau-Gaillard",
            "Lemaître",
            "Noël",
            "Bézier",
        ],
        female: &["Hélène", "Chloé", "Anne-Sophie", "Maëlle"],
        male: &["François", "Loïc", "Étienne", "Jean-Luc"],
        places: &["Lyon", "Saint-Étienne", "Besançon", "Orléans"],
        authorities: &["Préfecture du Rhône", "Préfecture de Police"],
        hue: 330.0,
    },
    State {
        code: "D",
        name: "BUNDESREPUBLIK DEUTSCHLAND",
        passport_title: "REISEPASS",
        id_title: "PERSONALAUSWEIS",
        surnames: &["Müller", "Schröder", "Weiß", "Köhler", "Bäcker", "Groß"],
        female: &["Käthe", "Jana", "Lena Sophie", "Jülide"],
        male: &["Jürgen", "Jörg", "Björn", "Lukas"],
        places: &["Köln", "München", "Düsseldorf", "Lübeck"],
        authorities: &["Stadt Köln", "Landeshauptstadt München"],
        hue: 110.0,
    },
    State {
        code: "ESP",
        name: "REINO DE ESPAÑA",
        passport_title: "PASAPORTE",
        id_title: "DOCUMENTO NACIONAL DE IDENTIDAD",
        surnames: &["Núñez", "Muñoz", "García-Márquez", "Ibáñez", "Peña"],
        female: &["Begoña", "María José", "Inés"],
        male: &["José Luis", "Iñaki", "Andrés"],
        places: &["Logroño", "Cádiz", "A Coruña", "Málaga"],
        authorities: &["DGP 28041", "DGP 08017"],
        hue: 15.0,
    },
    State {
        code: "POL",
        name: "RZECZPOSPOLITA POLSKA",
        passport_title: "PASZPORT",
        id_title: "DOWÓD OSOBISTY",
        surnames: &["Wójcik", "Zając", "Łukasiewicz", "Dąbek", "Kowalczyk"],
        female: &["Małgorzata", "Żaneta", "Agnieszka"],
        male: &["Łukasz", "Grzegorz", "Paweł"],
        places: &["Łódź", "Kraków", "Gdańsk", "Poznań"],
        authorities: &["Wojewoda Mazowiecki", "Prezydent m. Łodzi"],
        hue: 280.0,
    },
    State {
        code: "CZE",
        name: "ČESKÁ REPUBLIKA",
        passport_title: "CESTOVNÍ PAS",
        id_title: "OBČANSKÝ PRŮKAZ",
        surnames: &["Dvořák", "Novák", "Černý", "Procházka", "Kučera"],
        female: &["Jiřina", "Tereza", "Lucie"],
        male: &["Jiří", "Tomáš", "Matěj"],
        places: &["Brno", "Plzeň", "České Budějovice"],
        authorities: &["MěÚ Brno", "Magistrát Plzeň"],
        hue: 240.0,
    },
    State {
        code: "SWE",
        name: "KONUNGARIKET SVERIGE",
        passport_title: "PASS",
        id_title: "IDENTITETSKORT",
        surnames: &["Åström", "Söderberg", "Öberg", "Lindqvist"],
        female: &["Åsa", "Linnéa", "Märta"],
        male: &["Björn", "Östen", "Nils"],
        places: &["Göteborg", "Malmö", "Västerås"],
        authorities: &["Polismyndigheten"],
        hue: 55.0,
    },
];

/// Everything printed on one document, in print and MRZ form.
#[derive(Clone, Debug, Serialize)]
pub(crate) struct Identity {
    pub(crate) kind: Kind,
    #[serde(skip)]
    pub(crate) state_index: usize,
    pub(crate) document_code: String,
    pub(crate) issuing_state: String,
    pub(crate) issuing_state_name: String,
    /// Surname as printed (upper case, with diacritics).
    pub(crate) surname: String,
    /// Given names as printed.
    pub(crate) given_names: String,
    /// Surname in MRZ characters (fillers as spaces).
    pub(crate) surname_mrz: String,
    /// Given names in MRZ characters.
    pub(crate) given_names_mrz: String,
    pub(crate) document_number: String,
    pub(crate) nationality: String,
    pub(crate) birth_date: Date,
    pub(crate) sex: char,
    pub(crate) place_of_birth: String,
    pub(crate) issue_date: Date,
    pub(crate) expiry_date: Date,
    pub(crate) authority: String,
    /// TD3 personal number or TD1 optional data (may be empty).
    pub(crate) optional_data: String,
    /// Expired on the reference date.
    pub(crate) expired: bool,
    pub(crate) mrz_format: MrzFormat,
    pub(crate) mrz: Vec<String>,
}

impl Identity {
    pub(crate) fn state(&self) -> &'static State {
        STATES.get(self.state_index).unwrap_or(&STATES[0])
    }
}

fn pick<'a>(rng: &mut Rng, items: &'a [&'static str]) -> &'a str {
    rng.pick(items).copied().unwrap_or("")
}

/// A random calendar date in `[lo, hi]`.
fn date_between(rng: &mut Rng, lo: Date, hi: Date) -> Result<Date> {
    let days = i64::from(lo.until(hi)?.get_days()).max(0);
    Ok(lo.checked_add(rng.int(0, days).days())?)
}

/// Uppercase for print, keeping the diacritics (`ß` becomes `SS` as in German passports).
fn upper(s: &str) -> String {
    s.to_uppercase()
}

/// MRZ characters of a printed name, fillers shown as spaces (the generator's input form).
fn mrz_name(s: &str) -> Result<String> {
    let t = mrz::to_mrz(s);
    if !t.unmapped.is_empty() {
        return Err(format!("no MRZ transliteration for {:?} in {s:?}", t.unmapped).into());
    }
    Ok(t.mrz.replace('<', " "))
}

/// `n` random characters from `alphabet`.
fn chars(rng: &mut Rng, alphabet: &[u8], n: usize) -> String {
    (0..n)
        .map(|_| char::from(rng.pick(alphabet).copied().unwrap_or(b'0')))
        .collect()
}

const LETTERS: &[u8] = b"ABCDEFGHJKLMNPRSTUVWXYZ";
const DIGITS: &[u8] = b"0123456789";
const ALNUM: &[u8] = b"0123456789CFGHJKLMNPRTVWXYZ";

/// Whose document it is.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Holder {
    /// Anyone: sex and age drawn freely (the evaluation sets, where only the document is judged).
    Anyone,
    /// Someone the one compiled-in portrait could show: the public-domain NASA photo of Eileen
    /// Collins, a woman who was about 42 when it was taken and whom the age network reads as
    /// 32.6. Holders are women of 36 to 44 on `today`, so an end-to-end run with age and gender
    /// checks finds the document and the face in agreement. The random stream is drawn exactly as
    /// for [`Holder::Anyone`], so every other field, and every attack, is the same.
    Portrait,
}

/// Youngest and oldest holder age, in years, under [`Holder::Portrait`].
const PORTRAIT_AGE_YEARS: (i64, i64) = (36, 44);

/// A document of `kind` for a random person, valid on the MRZ's terms as of `today` (though it may
/// have expired).
pub(crate) fn identity(rng: &mut Rng, kind: Kind, today: Date, holder: Holder) -> Result<Identity> {
    // The specimen state comes up as often as all real states together.
    let state_index = if rng.chance(0.4) {
        0
    } else {
        rng.int(1, STATES.len() as i64 - 1) as usize
    };
    let state = STATES.get(state_index).ok_or("no state")?;
    let drawn_sex = if rng.chance(0.04) {
        'X'
    } else if rng.chance(0.5) {
        'F'
    } else {
        'M'
    };
    let sex = match holder {
        Holder::Anyone => drawn_sex,
        Holder::Portrait => 'F',
    };
    let given_list = match drawn_sex {
        'F' => state.female,
        'M' => state.male,
        _ => {
            if rng.chance(0.5) {
                state.female
            } else {
                state.male
            }
        }
    };
    let given_list = if holder == Holder::Portrait {
        state.female
    } else {
        given_list
    };
    let surname_print = pick(rng, state.surnames);
    let given_print = pick(rng, given_list);

    // Birth 18 to 80 years ago; issue after the 16th birthday and within the last 12 years (so a
    // share of documents has expired); validity 5 or 10 years, ending the day before.
    let age_days = match holder {
        Holder::Anyone => rng.int(18 * 365, 80 * 365),
        // One draw either way, so the stream stays in step.
        Holder::Portrait => {
            let (young, old) = PORTRAIT_AGE_YEARS;
            rng.int(young * 365 + 1, old * 365)
        }
    };
    let birth = today.checked_sub(age_days.days())?;
    let earliest_issue = birth
        .checked_add(16.years())?
        .max(today.checked_sub(12.years())?);
    let issue = date_between(rng, earliest_issue, today.checked_sub(7.days())?)?;
    let years = if kind == Kind::IdCard || rng.chance(0.7) {
        10
    } else {
        5
    };
    let expiry = issue.checked_add(years.years())?.checked_sub(1.day())?;

    let document_number = match kind {
        Kind::Passport => format!("{}{}", chars(rng, LETTERS, 2), chars(rng, DIGITS, 7)),
        Kind::IdCard => chars(rng, ALNUM, 9),
    };
    let optional_data = if rng.chance(0.5) {
        chars(rng, DIGITS, 8)
    } else {
        String::new()
    };
    let (format, code) = match kind {
        Kind::Passport => (MrzFormat::Td3, "P"),
        Kind::IdCard => (MrzFormat::Td1, if state.code == "D" { "ID" } else { "I" }),
    };
    let surname_mrz = mrz_name(surname_print)?;
    let given_mrz = mrz_name(given_print)?;
    let data = MrzData {
        format,
        document_code: code.into(),
        issuing_state: state.code.into(),
        surname: surname_mrz,
        given_names: given_mrz,
        document_number: document_number.clone(),
        nationality: state.code.into(),
        birth_date: birth.strftime("%y%m%d").to_string(),
        sex,
        expiry_date: expiry.strftime("%y%m%d").to_string(),
        optional_data: optional_data.clone(),
        optional_data_2: String::new(),
    };
    let lines = mrz::render(&data)?;
    // Check our own output with the parser: a fixture with a broken MRZ would be worse than none.
    let parsed = mrz::parse(&lines, today)?;
    if !parsed.valid() {
        return Err(format!("generated MRZ does not verify: {lines:?}").into());
    }
    // The name as the MRZ holds it, after any truncation the field's length imposed.
    let name_field = match format {
        MrzFormat::Td1 => lines.get(2).and_then(|l| l.get(..30)),
        _ => lines.first().and_then(|l| l.get(5..)),
    }
    .unwrap_or("");
    let name = mrz::split_name(name_field.as_bytes());
    Ok(Identity {
        kind,
        state_index,
        document_code: code.into(),
        issuing_state: state.code.into(),
        issuing_state_name: state.name.into(),
        surname: upper(surname_print),
        given_names: upper(given_print),
        surname_mrz: name.surname,
        given_names_mrz: name.given_names,
        document_number,
        nationality: state.code.into(),
        birth_date: birth,
        sex,
        place_of_birth: upper(pick(rng, state.places)),
        issue_date: issue,
        expiry_date: expiry,
        authority: pick(rng, state.authorities).to_string(),
        optional_data,
        expired: expiry < today,
        mrz_format: format,
        mrz: lines,
    })
}

const MONTHS: [&str; 12] = [
    "JAN", "FEB", "MAR", "APR", "MAY", "JUN", "JUL", "AUG", "SEP", "OCT", "NOV", "DEC",
];

/// A date as the visual zone prints it: `12 AUG 1974` on passports, `12.08.1974` on cards.
pub(crate) fn visual_date(d: Date, kind: Kind) -> String {
    match kind {
        Kind::Passport => {
            let m = MONTHS
                .get(usize::try_from(d.month() - 1).unwrap_or(0))
                .copied()
                .unwrap_or("");
            format!("{:02} {m} {}", d.day(), d.year())
        }
        Kind::IdCard => d.strftime("%d.%m.%Y").to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::rng::Purpose;

    #[test]
    fn every_state_name_transliterates() {
        for s in STATES {
            for n in s.surnames.iter().chain(s.female).chain(s.male) {
                assert!(mrz::to_mrz(n).unmapped.is_empty(), "{n}");
            }
        }
    }

    #[test]
    fn portrait_holders_fit_the_portrait_and_keep_every_other_draw() {
        let today = jiff::civil::date(2026, 1, 1);
        for i in 0..200 {
            let kind = if i % 2 == 0 {
                Kind::Passport
            } else {
                Kind::IdCard
            };
            let anyone = identity(
                &mut Rng::new(i, Purpose::Identity),
                kind,
                today,
                Holder::Anyone,
            )
            .unwrap();
            let fit = identity(
                &mut Rng::new(i, Purpose::Identity),
                kind,
                today,
                Holder::Portrait,
            )
            .unwrap();
            assert_eq!(fit.sex, 'F');
            let age = fit.birth_date.until(today).unwrap().get_days() / 365;
            assert!((36..=44).contains(&age), "{age}");
            // The same stream: the number, state, surname and optional data do not move.
            assert_eq!(fit.document_number, anyone.document_number);
            assert_eq!(fit.issuing_state, anyone.issuing_state);
            assert_eq!(fit.surname, anyone.surname);
            assert_eq!(fit.optional_data, anyone.optional_data);
            assert!(mrz::parse(&fit.mrz, today).unwrap().valid());
        }
    }

    #[test]
    fn identities_are_valid_and_dated_in_order() {
        let today = jiff::civil::date(2026, 1, 1);
        for i in 0..200 {
            let mut rng = Rng::new(i, Purpose::Identity);
            let kind = if i % 2 == 0 {
                Kind::Passport
            } else {
                Kind::IdCard
            };
            let id = identity(&mut rng, kind, today, Holder::Anyone).unwrap();
            assert!(id.birth_date.checked_add(16.years()).unwrap() <= id.issue_date);
            assert!(id.issue_date < today && id.issue_date < id.expiry_date);
            assert!(mrz::parse(&id.mrz, today).unwrap().valid());
        }
    }
}
