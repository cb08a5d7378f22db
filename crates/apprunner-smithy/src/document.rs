//! Smithy `document`: untyped JSON-like data.

/// An open-ended value (`document` shape), kept as JSON.
///
/// On the wire it is the JSON value itself, with no wrapper around it.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Document(pub serde_json::Value);

impl From<serde_json::Value> for Document {
    fn from(value: serde_json::Value) -> Self {
        Self(value)
    }
}

/// `smithy.api#Unit`: a union member that carries no value, `{}` on the wire.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash)]
pub struct Unit;

impl crate::ErrorCorrection for Unit {
    fn error_correction() -> Self {
        Unit
    }
}

#[cfg(test)]
mod tests {
    use super::{Document, Unit};

    #[test]
    fn a_document_is_its_json_value_on_the_wire() {
        let text = r#"{"a":[1,"two",null]}"#;
        let document: Document = crate::json::from_slice(text.as_bytes()).unwrap();
        assert_eq!(document, Document(serde_json::json!({"a": [1, "two", null]})));
        assert_eq!(crate::json::to_vec(&document).unwrap(), text.as_bytes());
    }

    #[test]
    fn unit_is_an_empty_object_on_the_wire() {
        assert_eq!(crate::json::to_vec(&Unit).unwrap(), b"{}");
        assert_eq!(crate::json::from_slice::<Unit>(br#"{"ignored": 1}"#).unwrap(), Unit);
    }
}
