//! Registry checks (MVD, FSSP and others): a host-driven protocol for asynchronous checks with
//! deadlines, whose results merge into the session through the engine (events, and callbacks as the
//! scenario says); offline adapters for the list of invalid passports and for enforcement
//! proceedings ([`enforcement`], FSSP-style).

pub mod enforcement;
mod error;
mod invalid_passports;
mod pending;

pub use error::RegistryError;
pub use invalid_passports::{
    DEFAULT_MAX_ROWS, InvalidPassportList, InvalidPassportSet, InvalidPassportSetBuilder,
    LoadStats, passport_value,
};
pub use pending::{
    MAX_PENDING, PendingChecks, RegistryAnswer, RegistryQuery, RegistrySource, Ticket, check_now,
};
