//! kyc-core's integration tests, in one binary: as separate test crates, each linked the engine and
//! all its dependencies again.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod common;

mod aml;
mod callback;
mod catalogue;
mod deadline;
mod decision;
mod document_checks;
mod document_read;
mod entropy;
mod facade;
mod face_ann;
mod face_antispoofing;
mod face_mobilefacenet;
mod face_mtcnn;
mod face_pipeline;
mod history;
mod keys;
mod link;
mod liveness_identity;
mod mrz_cases;
mod mrz_props;
mod mrz_russian;
mod portrait_copy;
mod portrait_person;
mod registry;
mod report;
mod result_golden;
mod retention;
mod scenario;
mod session;
