//! Python bindings: the `kyc._kyc` extension module behind the `kyc` package. Converts types and maps
//! errors; every decision stays in kyc-core. Modules mirror the core's.

use pyo3::prelude::*;

mod callback;
mod convert;
mod engine;
mod error;
mod facade;
mod face;
mod link;
mod mrz;
mod report;
mod scenario;
mod stores;

/// The extension module.
#[pymodule]
fn _kyc(m: &Bound<'_, PyModule>) -> PyResult<()> {
    error::register(m)?;
    m.add_class::<scenario::Scenario>()?;
    m.add_class::<engine::Engine>()?;
    m.add_class::<engine::Session>()?;
    m.add_class::<face::FaceTemplate>()?;
    m.add_class::<face::FaceList>()?;
    m.add_class::<link::Links>()?;
    m.add_class::<convert::SeededEntropy>()?;
    m.add_class::<callback::CallbackReceiver>()?;
    m.add_class::<stores::FaceLists>()?;
    m.add_class::<stores::History>()?;
    m.add_class::<report::ReportRows>()?;
    m.add_class::<report::ReportCsv>()?;
    m.add_function(wrap_pyfunction!(facade::describe_scenario, m)?)?;
    m.add_function(wrap_pyfunction!(facade::precheck_image, m)?)?;
    m.add_function(wrap_pyfunction!(mrz::parse_mrz, m)?)?;
    m.add_function(wrap_pyfunction!(report::report_rows, m)?)?;
    m.add_function(wrap_pyfunction!(report::report_csv, m)?)?;
    m.add("__version__", env!("CARGO_PKG_VERSION"))?;
    Ok(())
}
