//! Runtime values of the rules language.

use apprunner_smithy::Document;
use apprunner_smithy::rules::Literal;

use crate::map::SortedMap;

/// A set value; "unset" is represented by `Option::None` around it.
#[derive(Debug, Clone, PartialEq)]
pub(crate) enum Value {
    String(String),
    Bool(bool),
    Int(i64),
    Array(Vec<Value>),
    Record(SortedMap<String, Value>),
}

impl Value {
    /// The name of the value's type, for error messages.
    pub(crate) fn type_name(&self) -> &'static str {
        match self {
            Value::String(_) => "string",
            Value::Bool(_) => "boolean",
            Value::Int(_) => "integer",
            Value::Array(_) => "array",
            Value::Record(_) => "record",
        }
    }

    /// The value of a parameter's declared default.
    pub(crate) fn from_literal(literal: &Literal) -> Value {
        match literal {
            Literal::String(s) => Value::String(s.to_string()),
            Literal::Bool(b) => Value::Bool(*b),
            Literal::StringArray(items) => Value::Array(items.iter().map(|s| Value::String(s.to_string())).collect()),
        }
    }

    /// Builds a record from `(key, value)` pairs.
    pub(crate) fn record<'a>(fields: impl IntoIterator<Item = (&'a str, Value)>) -> Value {
        Value::Record(fields.into_iter().map(|(k, v)| (k.to_owned(), v)).collect())
    }

    /// Converts to a document, for endpoint properties.
    pub(crate) fn to_document(&self) -> Document {
        match self {
            Value::String(s) => Document::String(s.clone()),
            Value::Bool(b) => Document::Bool(*b),
            Value::Int(i) => Document::from(*i),
            Value::Array(items) => Document::Array(items.iter().map(Value::to_document).collect()),
            Value::Record(fields) => Document::Object(
                fields
                    .iter()
                    .map(|(key, value)| (key.clone(), value.to_document()))
                    .collect(),
            ),
        }
    }
}
