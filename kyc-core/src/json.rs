//! Bounded JSON input. Every JSON document a host hands the engine (scenarios, sessions) goes through
//! here: its size is limited before parsing, and a failure says where, with a stable code.

use serde::de::DeserializeOwned;

/// The largest JSON document the engine parses: 1 MiB.
pub const MAX_JSON_BYTES: usize = 1 << 20;

/// Why a JSON document was refused.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum JsonError {
    /// Over [`MAX_JSON_BYTES`].
    #[error("JSON document is {size} bytes, over the limit of {limit}")]
    TooLarge {
        /// The document's size.
        size: usize,
        /// The limit.
        limit: usize,
    },
    /// Not JSON at all, or cut short.
    #[error("malformed JSON at line {line}, column {column}: {detail}")]
    Malformed {
        /// 1-based line.
        line: usize,
        /// 1-based column.
        column: usize,
        /// What the parser said.
        detail: String,
    },
    /// Well-formed JSON whose shape is wrong at `path`.
    #[error("{path}: {detail}")]
    Shape {
        /// Which kind of mistake (see [`ShapeKind::code`]).
        kind: ShapeKind,
        /// JSON path of the offending value, e.g. `$.steps[1].checks`.
        path: String,
        /// What the parser said.
        detail: String,
    },
}

/// Kinds of shape error, each with its own stable code.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum ShapeKind {
    /// A field the schema does not know.
    UnknownField,
    /// A required field is absent.
    MissingField,
    /// A value of the wrong JSON type.
    InvalidType,
    /// A value of the right type but not allowed (an unknown enum variant, a bad length).
    InvalidValue,
    /// Any other shape error.
    Other,
}

impl ShapeKind {
    /// The stable code.
    pub fn code(self) -> &'static str {
        match self {
            Self::UnknownField => "json.unknown_field",
            Self::MissingField => "json.missing_field",
            Self::InvalidType => "json.invalid_type",
            Self::InvalidValue => "json.invalid_value",
            Self::Other => "json.invalid",
        }
    }

    // serde's error messages start with fixed phrases (serde::de::Error's provided constructors);
    // they are the only place the kind survives through serde_json.
    fn classify(detail: &str) -> Self {
        if detail.starts_with("unknown field") {
            Self::UnknownField
        } else if detail.starts_with("missing field") {
            Self::MissingField
        } else if detail.starts_with("invalid type") {
            Self::InvalidType
        } else if detail.starts_with("unknown variant")
            || detail.starts_with("invalid value")
            || detail.starts_with("invalid length")
        {
            Self::InvalidValue
        } else {
            Self::Other
        }
    }
}

impl JsonError {
    /// The stable code.
    pub fn code(&self) -> &'static str {
        match self {
            Self::TooLarge { .. } => "json.too_large",
            Self::Malformed { .. } => "json.malformed",
            Self::Shape { kind, .. } => kind.code(),
        }
    }

    /// The JSON path of the problem, when there is one.
    pub fn path(&self) -> Option<&str> {
        match self {
            Self::Shape { path, .. } => Some(path),
            _ => None,
        }
    }
}

/// Parses `text` as `T`, refusing documents over [`MAX_JSON_BYTES`] before reading them.
pub fn from_str<T: DeserializeOwned>(text: &str) -> Result<T, JsonError> {
    from_slice(text.as_bytes())
}

/// Parses `bytes` as `T`, refusing documents over [`MAX_JSON_BYTES`] before reading them.
pub fn from_slice<T: DeserializeOwned>(bytes: &[u8]) -> Result<T, JsonError> {
    if bytes.len() > MAX_JSON_BYTES {
        return Err(JsonError::TooLarge {
            size: bytes.len(),
            limit: MAX_JSON_BYTES,
        });
    }
    let mut de = serde_json::Deserializer::from_slice(bytes);
    let value = serde_path_to_error::deserialize(&mut de).map_err(from_path_error)?;
    de.end().map_err(|e| malformed(&e))?;
    Ok(value)
}

fn from_path_error(err: serde_path_to_error::Error<serde_json::Error>) -> JsonError {
    let path = json_path(err.path());
    let inner = err.into_inner();
    match inner.classify() {
        serde_json::error::Category::Data => {
            let detail = strip_position(&inner.to_string());
            JsonError::Shape {
                kind: ShapeKind::classify(&detail),
                path,
                detail,
            }
        }
        _ => malformed(&inner),
    }
}

fn malformed(err: &serde_json::Error) -> JsonError {
    JsonError::Malformed {
        line: err.line(),
        column: err.column(),
        detail: strip_position(&err.to_string()),
    }
}

/// serde_json appends " at line L column C"; the path says more, so drop it.
fn strip_position(message: &str) -> String {
    match message.rfind(" at line ") {
        Some(at) => message.get(..at).unwrap_or(message).to_owned(),
        None => message.to_owned(),
    }
}

/// `$`-rooted JSON path: `$.steps[1].checks.glare`.
fn json_path(path: &serde_path_to_error::Path) -> String {
    use serde_path_to_error::Segment;
    let mut out = String::from("$");
    for segment in path.iter() {
        match segment {
            Segment::Seq { index } => out.push_str(&format!("[{index}]")),
            Segment::Map { key } | Segment::Enum { variant: key } => {
                out.push('.');
                out.push_str(key);
            }
            Segment::Unknown => out.push_str(".?"),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde::Deserialize;

    #[derive(Debug, Deserialize)]
    #[serde(deny_unknown_fields)]
    #[allow(dead_code)]
    struct Outer {
        items: Vec<Inner>,
    }

    #[derive(Debug, Deserialize)]
    #[serde(deny_unknown_fields)]
    #[allow(dead_code)]
    struct Inner {
        n: u8,
    }

    #[test]
    fn unknown_field_has_its_path() {
        let err = from_str::<Outer>(r#"{"items":[{"n":1},{"n":2,"x":3}]}"#).unwrap_err();
        assert_eq!(err.code(), "json.unknown_field");
        assert_eq!(err.path(), Some("$.items[1].x"));
    }

    #[test]
    fn out_of_range_number_is_invalid_value_with_path() {
        let err = from_str::<Outer>(r#"{"items":[{"n":300}]}"#).unwrap_err();
        assert_eq!(err.code(), "json.invalid_value");
        assert_eq!(err.path(), Some("$.items[0].n"));
    }

    #[test]
    fn wrong_type_and_missing_field() {
        let err = from_str::<Outer>(r#"{"items":[{"n":"1"}]}"#).unwrap_err();
        assert_eq!(err.code(), "json.invalid_type");
        let err = from_str::<Outer>(r#"{"items":[{}]}"#).unwrap_err();
        assert_eq!(err.code(), "json.missing_field");
        assert_eq!(err.path(), Some("$.items[0]"));
    }

    #[test]
    fn malformed_and_trailing_garbage() {
        assert_eq!(from_str::<Outer>("{").unwrap_err().code(), "json.malformed");
        assert_eq!(
            from_str::<Outer>(r#"{"items":[]} x"#).unwrap_err().code(),
            "json.malformed"
        );
        assert_eq!(from_str::<Outer>("").unwrap_err().code(), "json.malformed");
    }

    #[test]
    fn too_large_is_refused_before_parsing() {
        let big = " ".repeat(MAX_JSON_BYTES + 1);
        let err = from_str::<Outer>(&big).unwrap_err();
        assert_eq!(err.code(), "json.too_large");
    }
}
