//! Why a list could not be imported or screened against.

/// AML errors.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum AmlError {
    /// Reading a list failed.
    #[error("reading the list failed: {0}")]
    Io(String),
    /// More people than the import's limit.
    #[error("the list has more than {0} people")]
    TooManyEntities(usize),
    /// Screening is enabled but no list of that kind is attached.
    #[error("no {0} list is attached")]
    NoList(&'static str),
    /// The verified data holds no name to screen.
    #[error("the document gives no name to screen")]
    NoName,
}

impl AmlError {
    /// The stable code.
    pub fn code(&self) -> &'static str {
        match self {
            Self::Io(_) => "aml.io",
            Self::TooManyEntities(_) => "aml.too_many_entities",
            Self::NoList(_) => "aml.no_list",
            Self::NoName => "aml.no_name",
        }
    }
}

impl From<std::io::Error> for AmlError {
    fn from(e: std::io::Error) -> Self {
        Self::Io(e.to_string())
    }
}
