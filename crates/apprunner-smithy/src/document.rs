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

/// `smithy.api#Unit`: a union member that carries no value, `{}` on the wire.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash)]
pub struct Unit;

impl Serialize for Unit {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        use serde::ser::SerializeMap;
        serializer.serialize_map(Some(0))?.end()
    }
}

impl<'de> Deserialize<'de> for Unit {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        // Whatever the object holds is ignored: a unit member has no value.
        serde::de::IgnoredAny::deserialize(deserializer)?;
        Ok(Unit)
    }
}

impl crate::ErrorCorrection for Unit {
    fn error_correction() -> Self {
        Unit
    }
}

#[cfg(test)]
mod tests {
    use super::Unit;

    #[test]
    fn unit_is_an_empty_object_on_the_wire() {
        assert_eq!(serde_json::to_string(&Unit).unwrap(), "{}");
        assert_eq!(serde_json::from_str::<Unit>(r#"{"ignored": 1}"#).unwrap(), Unit);
    }
}
