//! Helpers the unit tests share.

use crate::document::{DocumentData, DocumentField, FieldSource};
use crate::face::FaceTemplate;

/// A document that read `fields` (name, value), each from its MRZ at confidence 1.
pub(crate) fn document(fields: &[(&str, &str)]) -> DocumentData {
    DocumentData {
        fields: fields
            .iter()
            .map(|(n, v)| DocumentField {
                name: (*n).to_owned(),
                value: (*v).to_owned(),
                confidence: 1.0,
                source: FieldSource::Mrz,
            })
            .collect(),
        ..DocumentData::default()
    }
}

/// A face template of `model` with the components `v`.
pub(crate) fn template(model: &str, v: &[f32]) -> FaceTemplate {
    FaceTemplate {
        model: model.into(),
        vector: v.to_vec(),
    }
}
