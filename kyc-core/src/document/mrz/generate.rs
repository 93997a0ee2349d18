//! Compose MRZ lines from field values, computing every check digit: the inverse of the parser,
//! used by property tests, benchmarks and document generators.

use serde::{Deserialize, Serialize};

use super::charset::is_mrz_byte;
use super::check_digit::compute_parts;
use super::error::MrzError;
use super::format::{MrzFormat, Span};
use super::russian;

/// Field values to print. Text fields take MRZ characters (`A-Z 0-9`), spaces become `<`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct MrzData {
    /// Layout.
    pub format: MrzFormat,
    /// `P`, `I`, `ID`, `V`...
    pub document_code: String,
    /// Issuing state.
    pub issuing_state: String,
    /// Primary identifier.
    pub surname: String,
    /// Secondary identifiers.
    pub given_names: String,
    /// Document number; longer than 9 only on TD1/TD2 (printed with the overflow rule).
    pub document_number: String,
    /// Nationality.
    pub nationality: String,
    /// `YYMMDD`.
    pub birth_date: String,
    /// `M`, `F`, `X` or `<`.
    pub sex: char,
    /// `YYMMDD` (or `<<<<<<`).
    pub expiry_date: String,
    /// Optional data (TD3: personal number).
    pub optional_data: String,
    /// TD1 line 2 optional data.
    #[serde(default)]
    pub optional_data_2: String,
}

fn grid_pos(width: usize, s: Span) -> usize {
    usize::from(s.line) * width + usize::from(s.start)
}

fn put(grid: &mut [u8], width: usize, s: Span, value: &[u8], what: &str) -> Result<(), MrzError> {
    if value.len() > usize::from(s.len) {
        return Err(MrzError::Build {
            reason: format!("{what} is longer than {} characters", s.len),
        });
    }
    if let Some(b) = value.iter().find(|b| !is_mrz_byte(**b)) {
        return Err(MrzError::Build {
            reason: format!("{what} holds {:?}, outside A-Z 0-9 <", char::from(*b)),
        });
    }
    let a = grid_pos(width, s);
    if let Some(dst) = grid.get_mut(a..a + value.len()) {
        dst.copy_from_slice(value);
    }
    Ok(())
}

fn mrz_text(s: &str) -> Vec<u8> {
    s.trim()
        .bytes()
        .map(|b| if b == b' ' { b'<' } else { b })
        .collect()
}

fn slice(grid: &[u8], width: usize, s: Span) -> &[u8] {
    let a = grid_pos(width, s);
    grid.get(a..a + usize::from(s.len)).unwrap_or(&[])
}

fn set_cd(grid: &mut [u8], width: usize, s: Span, parts: &[&[u8]]) {
    let d = compute_parts(parts).unwrap_or(0);
    if let Some(b) = grid.get_mut(grid_pos(width, s)) {
        *b = b'0' + d;
    }
}

/// Render the lines of an MRZ.
pub fn render(data: &MrzData) -> Result<Vec<String>, MrzError> {
    let l = data.format.layout();
    let width = l.width;
    let mut grid = vec![b'<'; l.lines * width];
    put(
        &mut grid,
        width,
        l.doc_code,
        &mrz_text(&data.document_code),
        "document code",
    )?;
    put(
        &mut grid,
        width,
        l.issuing_state,
        &mrz_text(&data.issuing_state),
        "issuing state",
    )?;
    let mut name = mrz_text(&data.surname);
    if !data.given_names.trim().is_empty() {
        name.extend_from_slice(b"<<");
        name.extend(mrz_text(&data.given_names));
    }
    // Doc 9303 truncates names that do not fit; the generator does the same, at the field's end.
    name.truncate(usize::from(l.name.len));
    put(&mut grid, width, l.name, &name, "name")?;
    let number = mrz_text(&data.document_number);
    let mut optional = mrz_text(&data.optional_data);
    if number.len() > 9 {
        if !l.long_number {
            return Err(MrzError::Build {
                reason: "document number longer than 9 characters".into(),
            });
        }
        let (head, over) = number.split_at(9);
        put(&mut grid, width, l.doc_number, head, "document number")?;
        let cd = b'0' + compute_parts(&[head, over]).unwrap_or(0);
        let mut opt = over.to_vec();
        opt.push(cd);
        if !optional.is_empty() {
            opt.push(b'<');
            opt.extend(optional);
        }
        optional = opt;
        put(
            &mut grid,
            width,
            l.doc_number_cd,
            b"<",
            "document number check digit",
        )?;
    } else {
        put(&mut grid, width, l.doc_number, &number, "document number")?;
        let num = slice(&grid, width, l.doc_number).to_vec();
        set_cd(&mut grid, width, l.doc_number_cd, &[&num]);
    }
    put(&mut grid, width, l.optional, &optional, "optional data")?;
    put(
        &mut grid,
        width,
        l.nationality,
        &mrz_text(&data.nationality),
        "nationality",
    )?;
    put(
        &mut grid,
        width,
        l.birth,
        data.birth_date.as_bytes(),
        "birth date",
    )?;
    put(
        &mut grid,
        width,
        l.sex,
        &[u8::try_from(data.sex).unwrap_or(b'?')],
        "sex",
    )?;
    put(
        &mut grid,
        width,
        l.expiry,
        data.expiry_date.as_bytes(),
        "expiry date",
    )?;
    if let Some(s) = l.optional2 {
        put(
            &mut grid,
            width,
            s,
            &mrz_text(&data.optional_data_2),
            "optional data 2",
        )?;
    }
    for (field, cd) in [(l.birth, l.birth_cd), (l.expiry, l.expiry_cd)] {
        let v = slice(&grid, width, field).to_vec();
        if v.iter().all(|&b| b == b'<') {
            continue; // an absent date keeps a `<` check digit
        }
        set_cd(&mut grid, width, cd, &[&v]);
    }
    if let Some(cd) = l.optional_cd {
        let v = slice(&grid, width, l.optional).to_vec();
        if !v.iter().all(|&b| b == b'<') {
            set_cd(&mut grid, width, cd, &[&v]);
        }
    }
    if let Some(cd) = l.composite {
        let parts: Vec<Vec<u8>> = l
            .composite_parts
            .iter()
            .map(|s| slice(&grid, width, *s).to_vec())
            .collect();
        let refs: Vec<&[u8]> = parts.iter().map(Vec::as_slice).collect();
        set_cd(&mut grid, width, cd, &refs);
    }
    Ok(grid
        .chunks(width)
        .map(|c| String::from_utf8_lossy(c).into_owned())
        .collect())
}

/// Values for a Russian internal passport.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RussianData {
    /// Surname, Cyrillic.
    pub surname: String,
    /// Given name, Cyrillic.
    pub given_name: String,
    /// Patronymic, Cyrillic (may be empty).
    pub patronymic: String,
    /// Four-digit series.
    pub series: String,
    /// Six-digit number.
    pub number: String,
    /// `YYMMDD`.
    pub birth_date: String,
    /// `M` or `F`.
    pub sex: char,
    /// `YYMMDD`.
    pub issue_date: String,
    /// Six digits (`NNNNNN` or `NNN-NNN`).
    pub division_code: String,
}

/// Render a Russian internal passport MRZ (TD3, `PN`, `RUS`, no expiry date).
pub fn render_russian(data: &RussianData) -> Result<Vec<String>, MrzError> {
    let bad = |what: &str| MrzError::Build {
        reason: format!("{what} is outside the Russian passport's cipher or form"),
    };
    let surname = russian::encode(data.surname.trim()).ok_or_else(|| bad("surname"))?;
    let mut given = russian::encode(data.given_name.trim()).ok_or_else(|| bad("given name"))?;
    if !data.patronymic.trim().is_empty() {
        given.push('<');
        given.push_str(&russian::encode(data.patronymic.trim()).ok_or_else(|| bad("patronymic"))?);
    }
    let series = data.series.as_bytes();
    let code: String = data.division_code.chars().filter(|c| *c != '-').collect();
    if series.len() != 4 || data.number.len() != 6 || code.len() != 6 || data.issue_date.len() != 6
    {
        return Err(bad("series, number, issue date or division code"));
    }
    let (series_head, series_last) = series.split_at(3);
    let mut document_number = String::from_utf8_lossy(series_head).into_owned();
    document_number.push_str(&data.number);
    let mut optional = String::from_utf8_lossy(series_last).into_owned();
    optional.push_str(&data.issue_date);
    optional.push_str(&code);
    let lines = render(&MrzData {
        format: MrzFormat::Td3,
        document_code: "PN".into(),
        issuing_state: "RUS".into(),
        surname: surname.replace('<', " "),
        given_names: given.replace('<', " "),
        document_number,
        nationality: "RUS".into(),
        birth_date: data.birth_date.clone(),
        sex: data.sex,
        expiry_date: "<<<<<<".into(),
        optional_data: optional,
        optional_data_2: String::new(),
    })?;
    Ok(lines)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn renders_the_icao_td3_specimen() {
        let lines = render(&MrzData {
            format: MrzFormat::Td3,
            document_code: "P".into(),
            issuing_state: "UTO".into(),
            surname: "ERIKSSON".into(),
            given_names: "ANNA MARIA".into(),
            document_number: "L898902C3".into(),
            nationality: "UTO".into(),
            birth_date: "740812".into(),
            sex: 'F',
            expiry_date: "120415".into(),
            optional_data: "ZE184226B".into(),
            optional_data_2: String::new(),
        })
        .unwrap();
        assert_eq!(
            lines,
            [
                "P<UTOERIKSSON<<ANNA<MARIA<<<<<<<<<<<<<<<<<<<",
                "L898902C36UTO7408122F1204159ZE184226B<<<<<10"
            ]
        );
    }

    #[test]
    fn renders_the_icao_td1_long_number() {
        let lines = render(&MrzData {
            format: MrzFormat::Td1,
            document_code: "I".into(),
            issuing_state: "UTO".into(),
            surname: "STEVENSON".into(),
            given_names: "PETER JOHN".into(),
            document_number: "D23145890734".into(),
            nationality: "UTO".into(),
            birth_date: "340712".into(),
            sex: 'M',
            expiry_date: "950712".into(),
            optional_data: String::new(),
            optional_data_2: String::new(),
        })
        .unwrap();
        assert_eq!(
            lines,
            [
                "I<UTOD23145890<7349<<<<<<<<<<<",
                "3407127M9507122UTO<<<<<<<<<<<2",
                "STEVENSON<<PETER<JOHN<<<<<<<<<"
            ]
        );
    }
}
