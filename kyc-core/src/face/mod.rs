//! Faces: detection, alignment, embeddings, matching; templates, what a selfie yielded, and
//! face-match evidence.

pub mod active;
pub mod age_gender;
#[cfg(feature = "onnx")]
pub mod analyzer;
pub mod ann;
pub mod antispoofing;
pub mod chip;
pub mod detect;
pub mod embed;
pub mod gallery;
pub mod generated;
pub mod geometry;
pub mod matcher;
pub mod mobilefacenet;
pub mod mtcnn;
pub mod passive;
#[cfg(feature = "onnx")]
pub mod pipeline;
pub mod planarity;
pub mod portrait_copy;
pub mod portrait_person;
pub mod pose;
pub mod search;
pub mod selfie_quality;
pub mod shape5;

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

use crate::check::CheckOutcome;

/// A face embedding from a named model. Biometric data: kept in the session for matching, never
/// written into results.
#[derive(Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Record))]
#[serde(rename_all = "snake_case", deny_unknown_fields)]
pub struct FaceTemplate {
    /// The model that made it (templates of different models never compare).
    pub model: String,
    /// L2-normalised embedding.
    pub vector: Vec<f32>,
}

impl std::fmt::Debug for FaceTemplate {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "FaceTemplate({}, {}-d)", self.model, self.vector.len())
    }
}

/// Estimated sex, as a document states it.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum Gender {
    /// `M` on a document.
    Male,
    /// `F` on a document.
    Female,
}

/// What was measured of a selfie's face.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "snake_case", deny_unknown_fields)]
pub struct SelfieData {
    /// Faces found in the image.
    pub faces_found: u32,
    /// Estimated age in years.
    pub estimated_age: Option<f64>,
    /// Estimated gender with its probability.
    pub estimated_gender: Option<(Gender, f64)>,
    /// Template of the main face; kept in the session, never in results.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub template: Option<FaceTemplate>,
}

/// Selfie against document portrait.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "snake_case", deny_unknown_fields)]
pub struct FaceMatch {
    /// Cosine similarity.
    pub score: f64,
    /// The threshold it was held to.
    pub threshold: f64,
    /// Passed when `score >= threshold`.
    pub outcome: CheckOutcome,
    /// The model that made both templates.
    pub model: String,
}
