//! Floats on the awsJson wire: numbers, except that `NaN`, `Infinity` and
//! `-Infinity` (which JSON cannot write as numbers) travel as those strings.
//!
//! Generated code uses these adapters for `float` and `double` members as
//! `#[serde(with = "::apprunner_smithy::float")]` (or `float::option`).

use serde::de::{self, Visitor};
use serde::{Deserializer, Serializer};
use std::fmt;

/// A float the adapters can carry.
pub trait WireFloat: Copy {
    /// The value as an `f64`.
    fn to_f64(self) -> f64;
    /// The value from an `f64`.
    fn from_f64(value: f64) -> Self;
}

impl WireFloat for f32 {
    fn to_f64(self) -> f64 {
        f64::from(self)
    }
    fn from_f64(value: f64) -> Self {
        value as f32
    }
}

impl WireFloat for f64 {
    fn to_f64(self) -> f64 {
        self
    }
    fn from_f64(value: f64) -> Self {
        value
    }
}

/// Writes a float: a number, or `"NaN"`, `"Infinity"`, `"-Infinity"`.
pub fn serialize<T: WireFloat, S: Serializer>(value: &T, serializer: S) -> Result<S::Ok, S::Error> {
    let value = value.to_f64();
    if value.is_nan() {
        serializer.serialize_str("NaN")
    } else if value.is_infinite() {
        serializer.serialize_str(if value > 0.0 { "Infinity" } else { "-Infinity" })
    } else {
        serializer.serialize_f64(value)
    }
}

/// Reads a float from a number or one of the three special strings.
pub fn deserialize<'de, T: WireFloat, D: Deserializer<'de>>(deserializer: D) -> Result<T, D::Error> {
    deserializer.deserialize_any(FloatVisitor).map(T::from_f64)
}

struct FloatVisitor;

impl Visitor<'_> for FloatVisitor {
    type Value = f64;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a number, or \"NaN\", \"Infinity\" or \"-Infinity\"")
    }

    fn visit_f64<E: de::Error>(self, value: f64) -> Result<f64, E> {
        Ok(value)
    }

    fn visit_i64<E: de::Error>(self, value: i64) -> Result<f64, E> {
        Ok(value as f64)
    }

    fn visit_u64<E: de::Error>(self, value: u64) -> Result<f64, E> {
        Ok(value as f64)
    }

    fn visit_str<E: de::Error>(self, value: &str) -> Result<f64, E> {
        match value {
            "NaN" => Ok(f64::NAN),
            "Infinity" => Ok(f64::INFINITY),
            "-Infinity" => Ok(f64::NEG_INFINITY),
            other => Err(E::invalid_value(de::Unexpected::Str(other), &self)),
        }
    }
}

/// Reads a required float; `null` reads as absent, that is as zero (client error correction).
pub fn deserialize_or_zero<'de, T: WireFloat, D: Deserializer<'de>>(deserializer: D) -> Result<T, D::Error> {
    Ok(option::deserialize(deserializer)?.unwrap_or_else(|| T::from_f64(0.0)))
}

/// The same adapters for optional members.
pub mod option {
    use super::WireFloat;
    use serde::{Deserialize, Deserializer, Serializer};

    /// Writes the float (absent members are skipped before this is called).
    pub fn serialize<T: WireFloat, S: Serializer>(value: &Option<T>, serializer: S) -> Result<S::Ok, S::Error> {
        match value {
            Some(value) => super::serialize(value, serializer),
            None => serializer.serialize_none(),
        }
    }

    /// Reads the float; `null` reads as absent.
    pub fn deserialize<'de, T: WireFloat, D: Deserializer<'de>>(deserializer: D) -> Result<Option<T>, D::Error> {
        #[derive(Deserialize)]
        struct Wrapped(#[serde(deserialize_with = "super::deserialize")] f64);
        Ok(Option::<Wrapped>::deserialize(deserializer)?.map(|wrapped| T::from_f64(wrapped.0)))
    }
}

#[cfg(test)]
mod tests {
    use serde::{Deserialize, Serialize};

    #[derive(Debug, Serialize, Deserialize, PartialEq)]
    struct Sample {
        #[serde(with = "super")]
        plain: f64,
        #[serde(with = "super::option", default, skip_serializing_if = "Option::is_none")]
        optional: Option<f32>,
    }

    #[test]
    fn special_values_travel_as_strings() {
        let text = serde_json::to_string(&Sample {
            plain: f64::INFINITY,
            optional: Some(f32::NEG_INFINITY),
        })
        .unwrap();
        assert_eq!(text, r#"{"plain":"Infinity","optional":"-Infinity"}"#);
        let nan: Sample = serde_json::from_str(r#"{"plain":"NaN"}"#).unwrap();
        assert!(nan.plain.is_nan() && nan.optional.is_none());
        let number: Sample = serde_json::from_str(r#"{"plain":1.5,"optional":2}"#).unwrap();
        assert_eq!(
            number,
            Sample {
                plain: 1.5,
                optional: Some(2.0)
            }
        );
        assert!(serde_json::from_str::<Sample>(r#"{"plain":"lots"}"#).is_err());
    }
}
