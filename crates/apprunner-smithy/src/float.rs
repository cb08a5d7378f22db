//! Floats on the awsJson wire: numbers, except that `NaN`, `Infinity` and
//! `-Infinity` (which JSON cannot write as numbers) travel as those strings.
//!
//! Generated code reads `float` and `double` members with these functions (the
//! `option` ones for optional members) and writes them through
//! [`crate::ser::Float`], which calls [`serialize`].

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
        Ok(Option::<Wire>::deserialize(deserializer)?.map(|wire| T::from_f64(wire.0)))
    }

    /// A present value, read by [`super::deserialize`] rather than `f64`'s own
    /// `Deserialize` (which rejects the special strings).
    struct Wire(f64);

    impl<'de> Deserialize<'de> for Wire {
        fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
            super::deserialize(deserializer).map(Wire)
        }
    }
}

#[cfg(test)]
mod tests {
    fn write(value: f64) -> String {
        let mut text = Vec::new();
        super::serialize(&value, &mut serde_json::Serializer::new(&mut text)).unwrap();
        String::from_utf8(text).unwrap()
    }

    fn read(text: &str) -> Result<f64, serde_json::Error> {
        super::deserialize(&mut serde_json::Deserializer::from_str(text))
    }

    fn read_optional(text: &str) -> Result<Option<f32>, serde_json::Error> {
        super::option::deserialize(&mut serde_json::Deserializer::from_str(text))
    }

    #[test]
    fn special_values_travel_as_strings() {
        assert_eq!(write(f64::INFINITY), r#""Infinity""#);
        assert_eq!(write(f64::NEG_INFINITY), r#""-Infinity""#);
        assert_eq!(write(f64::NAN), r#""NaN""#);
        assert_eq!(write(1.5), "1.5");
        assert!(read(r#""NaN""#).unwrap().is_nan());
        assert_eq!(read(r#""-Infinity""#).unwrap(), f64::NEG_INFINITY);
        assert_eq!(read("1.5").unwrap(), 1.5);
        assert_eq!(read("2").unwrap(), 2.0);
        assert!(read(r#""lots""#).is_err());
    }

    #[test]
    fn optional_floats_read_null_as_absent() {
        assert_eq!(read_optional("null").unwrap(), None);
        assert_eq!(read_optional("2").unwrap(), Some(2.0));
        assert_eq!(read_optional(r#""Infinity""#).unwrap(), Some(f32::INFINITY));
        assert!(read_optional(r#""lots""#).is_err());
        let mut text = Vec::new();
        super::option::serialize(&Some(f32::NEG_INFINITY), &mut serde_json::Serializer::new(&mut text)).unwrap();
        assert_eq!(text, br#""-Infinity""#);
    }
}
