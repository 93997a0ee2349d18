//! Published JSON Schemas, generated from the same types the engine reads and writes, so they cannot
//! drift from the code. `fixtures/schema/` holds the committed copies; a test keeps them equal.

use schemars::schema_for;

use crate::result::VerificationResult;
use crate::scenario::Scenario;
use crate::session::{Session, SessionEvent};

/// JSON Schema of the scenario.
pub fn scenario() -> serde_json::Value {
    schema_for!(Scenario).to_value()
}

/// JSON Schema of the result.
pub fn result() -> serde_json::Value {
    schema_for!(VerificationResult).to_value()
}

/// JSON Schema of a stored session.
pub fn session() -> serde_json::Value {
    schema_for!(Session).to_value()
}

/// JSON Schema of a session event.
pub fn event() -> serde_json::Value {
    schema_for!(SessionEvent).to_value()
}

/// Every schema with the file name it is published under.
pub fn all() -> Vec<(&'static str, serde_json::Value)> {
    vec![
        ("scenario.schema.json", scenario()),
        ("result.schema.json", result()),
        ("session.schema.json", session()),
        ("event.schema.json", event()),
    ]
}
