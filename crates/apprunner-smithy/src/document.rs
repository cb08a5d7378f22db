//! Smithy `document`: untyped JSON-like data.

use std::collections::BTreeMap;

use crate::BigDecimal;

/// An open-ended value (`document` shape): any JSON value.
///
/// On the wire it is the JSON value itself, with no wrapper around it. Numbers
/// keep their decimal text, so none loses a digit; objects keep their members
/// sorted by name.
#[derive(Clone, Debug, Default, PartialEq)]
pub enum Document {
    /// `null`.
    #[default]
    Null,
    /// `true` or `false`.
    Bool(bool),
    /// A number, as its decimal text.
    Number(BigDecimal),
    /// A string.
    String(String),
    /// An array.
    Array(Vec<Document>),
    /// An object.
    Object(BTreeMap<String, Document>),
}

impl Document {
    /// The member `key` of an object; `None` for a missing member or a value
    /// that is not an object.
    pub fn get(&self, key: &str) -> Option<&Document> {
        self.as_object()?.get(key)
    }

    /// The text of a string.
    pub fn as_str(&self) -> Option<&str> {
        match self {
            Self::String(text) => Some(text),
            _ => None,
        }
    }

    /// The value of a boolean.
    pub fn as_bool(&self) -> Option<bool> {
        match self {
            Self::Bool(value) => Some(*value),
            _ => None,
        }
    }

    /// A number that is an integer in the range of `i64`.
    pub fn as_i64(&self) -> Option<i64> {
        match self {
            Self::Number(number) => number.as_str().parse().ok(),
            _ => None,
        }
    }

    /// A number, as the nearest `f64`.
    pub fn as_f64(&self) -> Option<f64> {
        match self {
            Self::Number(number) => number.as_str().parse().ok(),
            _ => None,
        }
    }

    /// The items of an array.
    pub fn as_array(&self) -> Option<&Vec<Document>> {
        match self {
            Self::Array(items) => Some(items),
            _ => None,
        }
    }

    /// The members of an object.
    pub fn as_object(&self) -> Option<&BTreeMap<String, Document>> {
        match self {
            Self::Object(members) => Some(members),
            _ => None,
        }
    }

    /// Whether this is `null`.
    pub fn is_null(&self) -> bool {
        matches!(self, Self::Null)
    }
}

impl From<bool> for Document {
    fn from(value: bool) -> Self {
        Self::Bool(value)
    }
}

impl From<i64> for Document {
    fn from(value: i64) -> Self {
        Self::Number(BigDecimal::new(&value.to_string()).unwrap_or_else(BigDecimal::zero))
    }
}

impl From<&str> for Document {
    fn from(value: &str) -> Self {
        Self::String(value.to_owned())
    }
}

impl From<String> for Document {
    fn from(value: String) -> Self {
        Self::String(value)
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
        let one = Document::from(1);
        let expected = [("a".to_owned(), Document::Array(vec![one, "two".into(), Document::Null]))];
        assert_eq!(document, Document::Object(expected.into()));
        assert_eq!(document.get("a").and_then(|a| a.as_array()).map(Vec::len), Some(3));
        assert_eq!(document.get("a").unwrap().as_array().unwrap()[0].as_i64(), Some(1));
        assert_eq!(crate::json::to_vec(&document).unwrap(), text.as_bytes());
    }

    #[test]
    fn unit_is_an_empty_object_on_the_wire() {
        assert_eq!(crate::json::to_vec(&Unit).unwrap(), b"{}");
        assert_eq!(crate::json::from_slice::<Unit>(br#"{"ignored": 1}"#).unwrap(), Unit);
    }
}
