//! A scenario as a host shows and drives it: validated, without its secret, with what each step
//! asks the person for (the images, the frame count, the capture frame's orientation).

use serde::Serialize;

use super::PublicError;
use crate::capture::ImageKind;
use crate::scenario::{CaptureOrientation, Scenario, Step, StepKind};

/// What a host needs to know of a scenario.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct ScenarioDescription {
    /// Scenario id.
    pub id: String,
    /// Name for people.
    pub name: String,
    /// Each step, in order.
    pub steps: Vec<StepDescription>,
    /// The scenario's JSON without its secret key.
    pub scenario: serde_json::Value,
}

/// One step, as the capture screen needs it.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct StepDescription {
    /// Step id.
    pub id: String,
    /// Document, selfie or liveness.
    pub kind: StepKind,
    /// The images one capture holds, each once, in order.
    pub images: Vec<ImageKind>,
    /// Active liveness: fewest and most frames.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub frames: Option<(usize, usize)>,
    /// Document steps: how the capture frame is laid out.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub capture_orientation: Option<CaptureOrientation>,
}

impl ScenarioDescription {
    /// The description of a valid scenario.
    pub fn of(scenario: &Scenario) -> Self {
        Self {
            id: scenario.id.clone(),
            name: scenario.name.clone(),
            steps: scenario.steps.iter().map(step).collect(),
            scenario: serde_json::from_str(&scenario.to_public_json()).unwrap_or_default(),
        }
    }

    /// As JSON.
    pub fn to_json(&self) -> String {
        serde_json::to_string(self).unwrap_or_default()
    }
}

fn step(s: &Step) -> StepDescription {
    let required = s.capture_requirement();
    StepDescription {
        id: s.id().to_owned(),
        kind: s.kind(),
        images: required.images,
        frames: required.frames,
        capture_orientation: match s {
            Step::Document(d) => Some(d.capture_orientation),
            _ => None,
        },
    }
}

/// Parses and validates scenario JSON; its description, or every problem with its path.
pub fn describe_scenario(json: &str) -> Result<ScenarioDescription, PublicError> {
    Ok(ScenarioDescription::of(&Scenario::from_json(json)?))
}
