//! Smithy `document`: untyped JSON-like data.

use serde::{Deserialize, Serialize};

/// An open-ended value (`document` shape), kept as JSON.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(transparent)]
pub struct Document(pub serde_json::Value);

impl From<serde_json::Value> for Document {
    fn from(value: serde_json::Value) -> Self {
        Self(value)
    }
}
