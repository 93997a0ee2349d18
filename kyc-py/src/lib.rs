//! Python bindings: the `kyc._kyc` extension module behind the `kyc` package. Converts types and maps
//! errors; every decision stays in kyc-core.

use pyo3::prelude::*;

mod callback;
mod error;
mod scenario;

/// The extension module.
#[pymodule]
fn _kyc(m: &Bound<'_, PyModule>) -> PyResult<()> {
    error::register(m)?;
    m.add_class::<scenario::Scenario>()?;
    m.add_class::<callback::CallbackReceiver>()?;
    m.add("__version__", env!("CARGO_PKG_VERSION"))?;
    Ok(())
}
