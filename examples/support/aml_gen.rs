//! A generated screening list and queries for the AML evaluation (`examples/eval_aml.rs`) and
//! bench (`benches/aml.rs`). Written apart from the matcher: it knows how lists and documents
//! write names, not how `kyc_core::aml` scores them.
//!
//! **People.** A third Russian (names drawn in Cyrillic, listed in a Latin scheme with the
//! Cyrillic as an alias, patronymic included), the rest from English, Spanish, German, French,
//! Arabic, Turkish, Polish, Nordic and East Asian pools (with their diacritics), and half of all
//! surnames made from syllables so the vocabulary is not a small closed pool. Each seed draws
//! from its own half of every pool (seed 1's names are not seed 2's) and its own syllables.
//! Aliases: another transliteration, surname first, the middle name dropped or as an initial.
//! A day of birth for 85%, a year only for 10%, none for 5%; a nationality for 70%.
//!
//! **Queries** the same person written differently: another transliteration (ICAO, BGN, German,
//! French or Cyrillic), a typo (one letter swapped, dropped, doubled or replaced in one part),
//! surname first, the middle name missing, upper case and diacritics dropped, the birth date
//! present (70%) or absent; and different people with a similar name: a namesake born two or
//! more years apart, the same surname with another given name, the same given names with another
//! surname of the same first three letters (birth date present or absent). A different person is
//! never given a name some listed person holds with a compatible birth date.

use std::collections::{HashMap, HashSet};

use kyc_core::aml::translit::{Scheme, to_latin};
use kyc_core::aml::{Entity, ListKind, PartialDate, Subject, normalise};

/// SplitMix64.
#[derive(Clone, Debug)]
pub struct Rng(u64);

impl Rng {
    /// Seeded.
    pub fn new(seed: u64) -> Self {
        Self(seed ^ 0x5EED_A1A1_0000_0025)
    }
    /// The next value.
    pub fn next_u64(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }
    /// 0..n.
    pub fn below(&mut self, n: usize) -> usize {
        (self.next_u64() % (n.max(1) as u64)) as usize
    }
    /// True with probability p.
    pub fn chance(&mut self, p: f64) -> bool {
        (self.next_u64() >> 11) as f64 / (1u64 << 53) as f64 <= p
    }
    /// One of `items`.
    pub fn pick<'a, T>(&mut self, items: &'a [T]) -> &'a T {
        &items[self.below(items.len())]
    }
}

const RU_MALE: &[&str] = &[
    "Иван",
    "Юрий",
    "Сергей",
    "Дмитрий",
    "Алексей",
    "Александр",
    "Михаил",
    "Николай",
    "Евгений",
    "Андрей",
    "Владимир",
    "Пётр",
    "Фёдор",
    "Григорий",
    "Константин",
    "Олег",
    "Игорь",
    "Виктор",
    "Борис",
    "Василий",
    "Геннадий",
    "Аркадий",
    "Вячеслав",
    "Павел",
    "Роман",
    "Станислав",
    "Тимофей",
    "Леонид",
    "Максим",
    "Кирилл",
    "Артём",
    "Денис",
    "Антон",
    "Егор",
    "Яков",
    "Семён",
    "Захар",
    "Валерий",
    "Анатолий",
    "Эдуард",
];
const RU_FEMALE: &[&str] = &[
    "Анна",
    "Мария",
    "Ольга",
    "Елена",
    "Наталья",
    "Татьяна",
    "Юлия",
    "Ксения",
    "Екатерина",
    "Светлана",
    "Ирина",
    "Людмила",
    "Галина",
    "Валентина",
    "Дарья",
    "Евгения",
    "Алёна",
    "Вера",
    "Надежда",
    "Любовь",
    "Полина",
    "Софья",
    "Яна",
    "Жанна",
    "Зоя",
    "Лидия",
    "Тамара",
    "Эльвира",
    "Кира",
    "Алла",
];
const RU_SURNAMES: &[&str] = &[
    "Иванов",
    "Петров",
    "Смирнов",
    "Кузнецов",
    "Попов",
    "Васильев",
    "Соколов",
    "Михайлов",
    "Новиков",
    "Фёдоров",
    "Морозов",
    "Волков",
    "Алексеев",
    "Лебедев",
    "Семёнов",
    "Егоров",
    "Павлов",
    "Козлов",
    "Степанов",
    "Николаев",
    "Орлов",
    "Андреев",
    "Макаров",
    "Никитин",
    "Захаров",
    "Зайцев",
    "Соловьёв",
    "Борисов",
    "Яковлев",
    "Григорьев",
    "Романов",
    "Воробьёв",
    "Сергеев",
    "Кузьмин",
    "Фролов",
    "Александров",
    "Дмитриев",
    "Королёв",
    "Гусев",
    "Киселёв",
    "Ильин",
    "Максимов",
    "Поляков",
    "Сорокин",
    "Виноградов",
    "Ковалёв",
    "Белов",
    "Медведев",
    "Антонов",
    "Тарасов",
    "Жуков",
    "Баранов",
    "Филиппов",
    "Комаров",
    "Давыдов",
    "Беляев",
    "Герасимов",
    "Богданов",
    "Осипов",
    "Сидоров",
    "Матвеев",
    "Титов",
    "Марков",
    "Миронов",
    "Крылов",
    "Куликов",
    "Карпов",
    "Власов",
    "Мельников",
    "Денисов",
    "Гаврилов",
    "Тихонов",
    "Казаков",
    "Афанасьев",
    "Данилов",
    "Савельев",
    "Тимофеев",
    "Фомин",
    "Чернов",
    "Абрамов",
    "Мартынов",
    "Ефимов",
    "Федотов",
    "Щербаков",
    "Назаров",
    "Калинин",
    "Исаев",
    "Чернышёв",
    "Быков",
    "Маслов",
    "Родионов",
    "Коновалов",
    "Лазарев",
    "Воронин",
    "Климов",
    "Филатов",
    "Пономарёв",
    "Голубев",
    "Кудрявцев",
    "Прохоров",
    "Наумов",
    "Потапов",
    "Журавлёв",
    "Овчинников",
    "Трофимов",
    "Леонов",
    "Соболев",
    "Ермаков",
    "Колесников",
    "Гончаров",
    "Емельянов",
    "Никифоров",
    "Грачёв",
    "Котов",
    "Гришин",
    "Ефремов",
    "Архипов",
    "Громов",
    "Кириллов",
    "Малышев",
    "Панов",
    "Моисеев",
    "Румянцев",
    "Акимов",
    "Кондратьев",
    "Бирюков",
    "Горбунов",
    "Анисимов",
    "Тихомиров",
    "Галкин",
    "Лукьянов",
    "Михеев",
    "Скворцов",
    "Юдин",
    "Белоусов",
    "Нестеров",
    "Симонов",
    "Прокофьев",
    "Харитонов",
    "Князев",
    "Цветков",
    "Левин",
    "Шевченко",
    "Бондаренко",
    "Коваленко",
    "Кравченко",
    "Ткаченко",
    "Шевчук",
    "Цой",
    "Хабибуллин",
];
const GIVEN: &[&str] = &[
    "John",
    "Michael",
    "David",
    "James",
    "Robert",
    "William",
    "Thomas",
    "Daniel",
    "Mark",
    "Paul",
    "Peter",
    "George",
    "Richard",
    "Charles",
    "Joseph",
    "Mohammed",
    "Ahmed",
    "Ali",
    "Omar",
    "Hassan",
    "Hussein",
    "Khalid",
    "Youssef",
    "Ibrahim",
    "Mustafa",
    "José",
    "Juan",
    "Carlos",
    "Luis",
    "Miguel",
    "Jorge",
    "Pedro",
    "Andrés",
    "François",
    "Jean",
    "Pierre",
    "Michel",
    "Hans",
    "Jürgen",
    "Klaus",
    "Stefan",
    "Wolfgang",
    "Giuseppe",
    "Marco",
    "Luca",
    "Mehmet",
    "Ahmet",
    "Wei",
    "Jun",
    "Hiroshi",
    "Kenji",
    "Sarah",
    "Maria",
    "Fatima",
    "Aisha",
    "Laura",
    "Sofía",
    "Chloé",
    "Anna",
    "Elena",
    "Leila",
    "Mariam",
    "Ingrid",
    "Astrid",
    "Zeynep",
    "Ayşe",
    "Mei",
    "Yuki",
    "Carmen",
    "Lucía",
    "Isabel",
    "Hélène",
    "Grzegorz",
    "Łukasz",
    "Małgorzata",
    "Björn",
    "Søren",
    "Åsa",
    "Tariq",
    "Yasmin",
];
const SURNAMES: &[&str] = &[
    "Smith",
    "Johnson",
    "Williams",
    "Brown",
    "Jones",
    "Miller",
    "Davis",
    "García",
    "Rodríguez",
    "Martínez",
    "Hernández",
    "López",
    "González",
    "Pérez",
    "Sánchez",
    "Ramírez",
    "Torres",
    "Flores",
    "Müller",
    "Schmidt",
    "Schneider",
    "Fischer",
    "Weber",
    "Meyer",
    "Wagner",
    "Becker",
    "Schulz",
    "Hoffmann",
    "Dubois",
    "Durand",
    "Lefèvre",
    "Moreau",
    "Laurent",
    "Girard",
    "Rossi",
    "Russo",
    "Ferrari",
    "Esposito",
    "Bianchi",
    "Romano",
    "Al-Rashid",
    "Al-Hassan",
    "Haddad",
    "Khoury",
    "Mansour",
    "Nasser",
    "Saleh",
    "Hamdan",
    "Abdullah",
    "Rahman",
    "Karimi",
    "Hosseini",
    "Yılmaz",
    "Kaya",
    "Demir",
    "Şahin",
    "Çelik",
    "Öztürk",
    "Nowak",
    "Kowalski",
    "Wiśniewski",
    "Wójcik",
    "Kamiński",
    "Novák",
    "Dvořák",
    "Horváth",
    "Nagy",
    "Kovács",
    "Tanaka",
    "Suzuki",
    "Watanabe",
    "Chen",
    "Wang",
    "Zhang",
    "Liu",
    "Nguyen",
    "Tran",
    "Park",
    "Andersson",
    "Johansson",
    "Karlsson",
    "Nilsson",
    "Eriksson",
    "Larsen",
    "Hansen",
    "Jensen",
    "O'Connor",
    "McCarthy",
    "Fernández",
    "Gómez",
    "Díaz",
    "Vargas",
    "Castillo",
    "Jiménez",
    "Moreno",
];
const SYLLABLES: &[&str] = &[
    "ka", "ro", "vel", "min", "dar", "to", "sa", "ben", "li", "mor", "gan", "te", "vi", "lan",
    "bor", "zi", "na", "kel", "fa", "ru", "den", "so", "mar", "pe", "tul", "ha", "ni", "gor", "ba",
    "sel", "ri", "dov", "ma", "ter", "lu", "chen", "ko", "var", "di", "nes",
];
const LATIN_ENDINGS: &[&str] = &["", "son", "er", "ez", "i", "a", "man", "berg", "ini", "os"];
const CYR_SYLLABLES: &[&str] = &[
    "ка", "ро", "вел", "мин", "дар", "то", "са", "бен", "ли", "мор", "ган", "те", "ви", "лан",
    "бор", "зи", "на", "кел", "фа", "ру", "ден", "со", "мар", "пе", "тул", "ха", "ни", "гор", "ба",
    "сел", "ри", "дов", "ма", "тер", "лу", "чен", "ко", "вар", "ди", "нес",
];
const CYR_ENDINGS: &[&str] = &["ов", "ев", "ин", "енко", "ский", "цев"];
const COUNTRIES: &[&str] = &[
    "RUS", "UKR", "BLR", "KAZ", "USA", "GBR", "ESP", "MEX", "DEU", "FRA", "ITA", "SYR", "IRN",
    "IRQ", "TUR", "POL", "CZE", "HUN", "JPN", "CHN", "VNM", "SWE", "DNK", "VEN", "LBN",
];

/// The seed's half of a pool.
fn half<'a>(pool: &[&'a str], seed: u64) -> Vec<&'a str> {
    pool.iter()
        .enumerate()
        .filter(|(i, _)| (*i as u64) % 2 == seed % 2)
        .map(|(_, n)| *n)
        .collect()
}

fn capitalise(s: &str) -> String {
    let mut c = s.chars();
    match c.next() {
        Some(f) => f.to_uppercase().chain(c).collect(),
        None => String::new(),
    }
}

fn feminine(surname: &str) -> String {
    for (m, f) in [
        ("ский", "ская"),
        ("ов", "ова"),
        ("ев", "ева"),
        ("ёв", "ёва"),
        ("ин", "ина"),
        ("цев", "цева"),
    ] {
        if let Some(stem) = surname.strip_suffix(m) {
            return format!("{stem}{f}");
        }
    }
    surname.to_owned()
}

fn patronymic(father: &str, female: bool) -> String {
    let father = father.replace('ё', "е");
    let (stem, m, f) = if let Some(s) = father.strip_suffix("ий") {
        (format!("{s}ь"), "евич", "евна")
    } else if let Some(s) = father.strip_suffix('й') {
        (s.to_owned(), "евич", "евна")
    } else {
        (father.clone(), "ович", "овна")
    };
    format!("{stem}{}", if female { f } else { m })
}

/// A person as the generator knows them.
#[derive(Clone, Debug)]
pub struct Person {
    /// Cyrillic parts when Russian.
    pub cyrillic: Option<(String, String, String)>,
    /// Latin given names (first, middle) and surname, as the list writes them.
    pub given: String,
    /// Middle name or patronymic, if any.
    pub middle: Option<String>,
    /// Surname.
    pub surname: String,
    /// Birth date.
    pub birth: Option<PartialDate>,
    /// Nationality (alpha-3).
    pub nationality: Option<&'static str>,
}

/// A generated list and its people.
pub struct GeneratedList {
    /// The listed entities.
    pub entities: Vec<Entity>,
    /// The people behind them, in the same order.
    pub people: Vec<Person>,
}

fn synthetic_surname(rng: &mut Rng, seed: u64, cyrillic: bool) -> String {
    let (syl, ends) = if cyrillic {
        (CYR_SYLLABLES, CYR_ENDINGS)
    } else {
        (SYLLABLES, LATIN_ENDINGS)
    };
    // The seed picks which syllables may start a name, so seeds draw different surnames.
    let starts = half(syl, seed);
    let n = 1 + rng.below(2);
    let mut s = (*rng.pick(&starts)).to_owned();
    for _ in 0..n {
        s.push_str(rng.pick::<&str>(syl));
    }
    s.push_str(rng.pick::<&str>(ends));
    capitalise(&s)
}

fn scheme(rng: &mut Rng) -> Scheme {
    *rng.pick(&[
        Scheme::Icao,
        Scheme::Icao,
        Scheme::Bgn,
        Scheme::German,
        Scheme::French,
    ])
}

fn latin(text: &str, scheme: Scheme) -> String {
    text.split(' ')
        .map(|w| capitalise(&to_latin(w, scheme)))
        .collect::<Vec<_>>()
        .join(" ")
}

fn birth(rng: &mut Rng) -> Option<PartialDate> {
    let year = 1940 + rng.below(65) as i16;
    let month = 1 + rng.below(12) as u8;
    let day = 1 + rng.below(28) as u8;
    let r = rng.below(100);
    if r < 85 {
        Some(PartialDate {
            year,
            month: Some(month),
            day: Some(day),
        })
    } else if r < 95 {
        Some(PartialDate {
            year,
            month: None,
            day: None,
        })
    } else {
        None
    }
}

/// A new person.
pub fn person(rng: &mut Rng, seed: u64) -> Person {
    let nationality = rng.chance(0.7).then(|| *rng.pick(COUNTRIES));
    if rng.chance(0.33) {
        let female = rng.chance(0.4);
        let given = if female {
            *rng.pick(&half(RU_FEMALE, seed))
        } else {
            *rng.pick(&half(RU_MALE, seed))
        };
        let father = *rng.pick(RU_MALE);
        let surname = if rng.chance(0.5) {
            (*rng.pick(&half(RU_SURNAMES, seed))).to_owned()
        } else {
            synthetic_surname(rng, seed, true)
        };
        let surname = if female { feminine(&surname) } else { surname };
        let middle = patronymic(father, female);
        let s = scheme(rng);
        Person {
            given: latin(given, s),
            middle: Some(latin(&middle, s)),
            surname: latin(&surname, s),
            cyrillic: Some((given.to_owned(), middle, surname)),
            birth: birth(rng),
            nationality: nationality.map(|_| *rng.pick(&["RUS", "RUS", "UKR", "BLR", "KAZ"])),
        }
    } else {
        let given = (*rng.pick(&half(GIVEN, seed))).to_owned();
        let middle = rng
            .chance(0.4)
            .then(|| (*rng.pick(&half(GIVEN, seed))).to_owned());
        let surname = if rng.chance(0.5) {
            (*rng.pick(&half(SURNAMES, seed))).to_owned()
        } else {
            synthetic_surname(rng, seed, false)
        };
        Person {
            cyrillic: None,
            given,
            middle,
            surname,
            birth: birth(rng),
            nationality,
        }
    }
}

impl Person {
    /// The full name, given names first.
    pub fn full(&self) -> String {
        match &self.middle {
            Some(m) => format!("{} {m} {}", self.given, self.surname),
            None => format!("{} {}", self.given, self.surname),
        }
    }

    fn aliases(&self, rng: &mut Rng) -> Vec<String> {
        let mut out = Vec::new();
        if let Some((g, m, s)) = &self.cyrillic {
            out.push(format!("{s} {g} {m}"));
            if rng.chance(0.5) {
                let other = scheme(rng);
                out.push(format!(
                    "{} {} {}",
                    latin(g, other),
                    latin(m, other),
                    latin(s, other)
                ));
            }
        }
        if rng.chance(0.5) {
            out.push(format!("{}, {}", self.surname.to_uppercase(), self.given));
        }
        if let Some(m) = &self.middle
            && rng.chance(0.3)
        {
            out.push(format!(
                "{} {}. {}",
                self.given,
                m.chars().next().unwrap_or('X'),
                self.surname
            ));
        }
        out
    }

    fn name_key(&self) -> String {
        key_of(&self.full())
    }
}

/// Sorted folded parts: a name's identity regardless of order and spelling of case.
pub fn key_of(name: &str) -> String {
    let mut parts: Vec<String> = normalise::tokens(name).into_iter().map(|t| t.key).collect();
    parts.sort();
    parts.join(" ")
}

/// `n` listed people.
pub fn list(seed: u64, n: usize) -> GeneratedList {
    let mut rng = Rng::new(seed);
    let mut entities = Vec::with_capacity(n);
    let mut people = Vec::with_capacity(n);
    for i in 0..n {
        let p = person(&mut rng, seed);
        let mut names = vec![p.full()];
        names.extend(p.aliases(&mut rng));
        entities.push(Entity {
            id: format!("E{seed}-{i}"),
            kind: ListKind::Sanctions,
            source: "generated".to_owned(),
            names,
            birth_dates: p.birth.into_iter().collect(),
            nationalities: p
                .nationality
                .and_then(kyc_core::aml::country_code)
                .into_iter()
                .collect(),
        });
        people.push(p);
    }
    GeneratedList { entities, people }
}

/// Whether a query is the listed person or someone else.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Truth {
    /// The listed person, written differently.
    Same,
    /// Someone else with a similar name.
    Other,
}

/// One query.
#[derive(Clone, Debug)]
pub struct Query {
    /// The person to screen.
    pub subject: Subject,
    /// Same or other.
    pub truth: Truth,
    /// The listed person it was made from.
    pub entity: usize,
    /// What was done to the name (for the report).
    pub variation: String,
}

fn typo(rng: &mut Rng, word: &str) -> String {
    let chars: Vec<char> = word.chars().collect();
    if chars.len() < 5 {
        return word.to_owned();
    }
    let i = 1 + rng.below(chars.len() - 2);
    let mut c = chars.clone();
    match rng.below(4) {
        0 => c.swap(i, i + 1),
        1 => {
            c.remove(i);
        }
        2 => c.insert(i, c[i]),
        _ => c[i] = *rng.pick(&['a', 'e', 'i', 'o', 'n', 'r', 's', 't', 'k', 'l']),
    }
    c.into_iter().collect()
}

fn date(d: PartialDate) -> Option<jiff::civil::Date> {
    jiff::civil::Date::new(d.year, d.month? as i8, d.day? as i8).ok()
}

fn other_date(rng: &mut Rng, avoid: Option<PartialDate>) -> jiff::civil::Date {
    loop {
        let year = 1940 + rng.below(65) as i16;
        if avoid.is_some_and(|a| (a.year - year).abs() < 2) {
            continue;
        }
        if let Ok(d) =
            jiff::civil::Date::new(year, 1 + rng.below(12) as i8, 1 + rng.below(28) as i8)
        {
            return d;
        }
    }
}

/// `positives` queries of listed people written differently and `negatives` of other people with
/// similar names.
pub fn queries(list: &GeneratedList, seed: u64, positives: usize, negatives: usize) -> Vec<Query> {
    let mut rng = Rng::new(seed.wrapping_mul(7919).wrapping_add(1));
    // Name identity -> the birth years listed under it (None: listed without a date).
    let mut listed: HashMap<String, Vec<Option<i16>>> = HashMap::new();
    for (p, e) in list.people.iter().zip(&list.entities) {
        for n in &e.names {
            listed
                .entry(key_of(n))
                .or_default()
                .push(p.birth.map(|b| b.year));
        }
        listed
            .entry(p.name_key())
            .or_default()
            .push(p.birth.map(|b| b.year));
    }
    let mut out = Vec::with_capacity(positives + negatives);
    while out.len() < positives {
        let i = rng.below(list.people.len());
        let p = &list.people[i];
        let mut what = Vec::new();
        let (mut given, mut middle, mut surname) =
            (p.given.clone(), p.middle.clone(), p.surname.clone());
        if let Some((g, m, s)) = &p.cyrillic
            && rng.chance(0.7)
        {
            if rng.chance(0.2) {
                (given, middle, surname) = (g.clone(), Some(m.clone()), s.clone());
                what.push("cyrillic");
            } else {
                let sc = scheme(&mut rng);
                (given, middle, surname) = (latin(g, sc), Some(latin(m, sc)), latin(s, sc));
                what.push("transliteration");
            }
        }
        if rng.chance(0.35) {
            if rng.chance(0.5) {
                surname = typo(&mut rng, &surname);
            } else {
                given = typo(&mut rng, &given);
            }
            what.push("typo");
        }
        if middle.is_some() && rng.chance(0.4) {
            middle = None;
            what.push("middle_missing");
        }
        let mut name = match &middle {
            Some(m) => format!("{given} {m} {surname}"),
            None => format!("{given} {surname}"),
        };
        if rng.chance(0.3) {
            name = match &middle {
                Some(m) => format!("{surname} {given} {m}"),
                None => format!("{surname} {given}"),
            };
            what.push("swapped");
        }
        if rng.chance(0.5) {
            name = kyc_core::aml::normalise::tokens(&name)
                .iter()
                .map(|t| t.folded.to_uppercase())
                .collect::<Vec<_>>()
                .join(" ");
            what.push("mrz_case");
        }
        let birth_date = if rng.chance(0.7) {
            p.birth.and_then(date)
        } else {
            None
        };
        if birth_date.is_none() {
            what.push("no_birth_date");
        }
        if what.is_empty() || what == ["no_birth_date"] || what == ["mrz_case"] {
            what.push("as_listed");
        }
        out.push(Query {
            subject: Subject {
                names: vec![name],
                birth_date,
                nationality: p.nationality.filter(|_| rng.chance(0.5)).map(str::to_owned),
            },
            truth: Truth::Same,
            entity: i,
            variation: what.join("+"),
        });
    }
    let target = positives + negatives;
    let mut tries = 0;
    while out.len() < target && tries < negatives * 100 {
        tries += 1;
        let i = rng.below(list.people.len());
        let p = &list.people[i];
        let kind = rng.below(3);
        let (name, birth_date, what) = match kind {
            0 => {
                // A namesake: the listed name, born two or more years apart.
                let d = other_date(&mut rng, p.birth);
                // Nobody listed under this name, or under it with a part more or less (an alias
                // without the middle name), may have a compatible birth year or none.
                let mine: HashSet<String> = p.name_key().split(' ').map(str::to_owned).collect();
                let compatible = listed.iter().any(|(name, ys)| {
                    let theirs: HashSet<String> = name.split(' ').map(str::to_owned).collect();
                    (mine.is_subset(&theirs) || theirs.is_subset(&mine))
                        && ys
                            .iter()
                            .any(|y| y.is_none_or(|y| (y - d.year()).abs() < 2))
                });
                if compatible || p.birth.is_none() {
                    continue;
                }
                (p.full(), Some(d), "namesake_other_birth")
            }
            1 => {
                // The same surname, another given name.
                let pool: Vec<String> = match &p.cyrillic {
                    Some(_) => half(
                        if p.surname.ends_with('a') {
                            RU_FEMALE
                        } else {
                            RU_MALE
                        },
                        seed,
                    )
                    .into_iter()
                    .map(|g| latin(g, Scheme::Icao))
                    .collect(),
                    None => half(GIVEN, seed).into_iter().map(str::to_owned).collect(),
                };
                let g = rng.pick(&pool).clone();
                if key_of(&g) == key_of(&p.given) {
                    continue;
                }
                let d = rng.chance(0.5).then(|| other_date(&mut rng, None));
                (format!("{g} {}", p.surname), d, "same_surname")
            }
            _ => {
                // The same given names, another surname with the same first three letters.
                let stem: String = key_of(&p.surname).chars().take(3).collect();
                let pool: Vec<&Person> = list
                    .people
                    .iter()
                    .filter(|o| {
                        // Another surname: not this one, nor this one in the other gender
                        // (Ivanov / Ivanova is one family name).
                        let (k, mine) = (key_of(&o.surname), key_of(&p.surname));
                        let same_family = k == mine
                            || k.strip_suffix('a') == Some(mine.as_str())
                            || mine.strip_suffix('a') == Some(k.as_str());
                        k.starts_with(&stem) && !same_family
                    })
                    .take(50)
                    .collect();
                if pool.is_empty() {
                    continue;
                }
                let other = rng.pick(&pool);
                let d = rng.chance(0.5).then(|| other_date(&mut rng, None));
                let name = match &p.middle {
                    Some(m) => format!("{} {m} {}", p.given, other.surname),
                    None => format!("{} {}", p.given, other.surname),
                };
                (name, d, "similar_surname")
            }
        };
        // Never a name some listed person holds (other than a namesake's own, checked above).
        if kind != 0 {
            let k = key_of(&name);
            let mine: HashSet<&str> = k.split(' ').collect();
            let clash = listed.keys().any(|l| {
                let theirs: HashSet<&str> = l.split(' ').collect();
                mine.is_subset(&theirs) || theirs.is_subset(&mine)
            });
            if clash {
                continue;
            }
        }
        let mut what = vec![what];
        if birth_date.is_none() {
            what.push("no_birth_date");
        }
        out.push(Query {
            subject: Subject {
                names: vec![name],
                birth_date,
                nationality: None,
            },
            truth: Truth::Other,
            entity: i,
            variation: what.join("+"),
        });
    }
    out
}

/// Distinct name identities listed (for the report).
pub fn distinct_names(list: &GeneratedList) -> usize {
    list.people
        .iter()
        .map(Person::name_key)
        .collect::<HashSet<_>>()
        .len()
}
