//! Registry checks.

mod error;

pub use error::RegistryError;
