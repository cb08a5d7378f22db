//! Floats on the awsJson wire: numbers, except that `NaN`, `Infinity` and
//! `-Infinity` (which JSON cannot write as numbers) travel as those strings.
//!
//! serde's own `f32` and `f64` will not read the strings, so generated code reads
//! every member whose type [`HoldsFloats`] (a `float` or `double`, or a list or
//! map of them at any depth) with [`read`], [`read_optional`] or
//! [`read_or_corrected`]. A structure inside a list does its own floats. Writing
//! is [`crate::json::JsonWriter`]'s, which writes every float this way.

use crate::correction::ErrorCorrection;
use serde::de::{self, DeserializeOwned, Visitor};
use serde::{Deserialize, Deserializer};
use std::collections::BTreeMap;
use std::fmt;

/// A type whose wire form differs from its serde form because floats sit in it.
pub trait HoldsFloats: Sized {
    /// Reads the value from its wire form.
    ///
    /// # Errors
    ///
    /// The deserializer's error for text that is not this type's wire form.
    fn read_wire<'de, D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error>;
}

/// A value read from its wire form: the element type of the collections below.
struct Read<T>(T);

impl<'de, T: HoldsFloats> Deserialize<'de> for Read<T> {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        T::read_wire(deserializer).map(Read)
    }
}

/// Reads a value from its wire form.
///
/// # Errors
///
/// The deserializer's error for text that is not `T`'s wire form.
pub fn read<'de, T: HoldsFloats, D: Deserializer<'de>>(deserializer: D) -> Result<T, D::Error> {
    T::read_wire(deserializer)
}

/// Reads an optional member: `null` reads as absent.
///
/// # Errors
///
/// The deserializer's error for text that is neither `null` nor `T`'s wire form.
pub fn read_optional<'de, T: HoldsFloats, D: Deserializer<'de>>(deserializer: D) -> Result<Option<T>, D::Error> {
    Option::<T>::read_wire(deserializer)
}

/// Reads a required member: `null` reads as its zero value (client error correction).
///
/// # Errors
///
/// The deserializer's error for text that is neither `null` nor `T`'s wire form.
pub fn read_or_corrected<'de, T, D>(deserializer: D) -> Result<T, D::Error>
where
    T: HoldsFloats + ErrorCorrection,
    D: Deserializer<'de>,
{
    Ok(read_optional(deserializer)?.unwrap_or_else(T::error_correction))
}

macro_rules! floats_hold_floats {
    ($($ty:ty),*) => {
        $(impl HoldsFloats for $ty {
            fn read_wire<'de, D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
                // An `f32` takes the nearest value, as Rust's `as` rounds.
                deserializer.deserialize_any(FloatVisitor).map(|value| value as $ty)
            }
        })*
    };
}

floats_hold_floats!(f32, f64);

/// `null` for an absent element of a sparse collection, or for an absent member.
impl<T: HoldsFloats> HoldsFloats for Option<T> {
    fn read_wire<'de, D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        Ok(Option::<Read<T>>::deserialize(deserializer)?.map(|read| read.0))
    }
}

impl<T: HoldsFloats> HoldsFloats for Vec<T> {
    fn read_wire<'de, D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let items = Vec::<Read<T>>::deserialize(deserializer)?;
        Ok(items.into_iter().map(|read| read.0).collect())
    }
}

impl<K: DeserializeOwned + Ord, V: HoldsFloats> HoldsFloats for BTreeMap<K, V> {
    fn read_wire<'de, D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let entries = BTreeMap::<K, Read<V>>::deserialize(deserializer)?;
        Ok(entries.into_iter().map(|(key, read)| (key, read.0)).collect())
    }
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

#[cfg(test)]
mod tests {
    use super::*;

    fn parse<T: HoldsFloats>(text: &str) -> Result<T, serde_json::Error> {
        read(&mut serde_json::Deserializer::from_str(text))
    }

    #[test]
    fn special_values_are_read_from_strings() {
        assert!(parse::<f64>(r#""NaN""#).unwrap().is_nan());
        assert_eq!(parse::<f64>(r#""-Infinity""#).unwrap(), f64::NEG_INFINITY);
        assert_eq!(parse::<f64>("1.5").unwrap(), 1.5);
        assert_eq!(parse::<f32>("2").unwrap(), 2.0);
        let error = parse::<f64>(r#""lots""#).unwrap_err().to_string();
        assert!(
            error.contains(r#"a number, or "NaN", "Infinity" or "-Infinity""#),
            "{error}"
        );
    }

    #[test]
    fn lists_and_maps_read_the_wire_form_of_each_element() {
        let read_back = parse::<Vec<f64>>(r#"[1, "NaN", "-Infinity"]"#).unwrap();
        assert_eq!(read_back[0], 1.0);
        assert!(read_back[1].is_nan());
        assert_eq!(read_back[2], f64::NEG_INFINITY);

        let map = BTreeMap::from([("a".to_owned(), f32::NEG_INFINITY), ("b".to_owned(), 0.5)]);
        assert_eq!(
            parse::<BTreeMap<String, f32>>(r#"{"a": "-Infinity", "b": 0.5}"#).unwrap(),
            map
        );

        let nested_back = parse::<Vec<BTreeMap<String, Vec<Option<f64>>>>>(r#"[{"x":["NaN",null]}]"#).unwrap();
        assert!(nested_back[0]["x"][0].unwrap().is_nan());
        assert_eq!(nested_back[0]["x"][1], None);

        assert!(parse::<Vec<f64>>(r#"[1, "many"]"#).is_err());
        assert!(
            parse::<Vec<f64>>("[null]").is_err(),
            "a dense list has no absent elements"
        );
    }

    #[test]
    fn members_read_null_as_absent_or_as_their_zero_value() {
        let optional = |text: &str| read_optional::<f32, _>(&mut serde_json::Deserializer::from_str(text));
        assert_eq!(optional("null").unwrap(), None);
        assert_eq!(optional(r#""Infinity""#).unwrap(), Some(f32::INFINITY));
        assert!(optional(r#""lots""#).is_err());

        let required = |text: &str| read_or_corrected::<Vec<f64>, _>(&mut serde_json::Deserializer::from_str(text));
        assert_eq!(required("null").unwrap(), Vec::<f64>::new());
        assert_eq!(required(r#"[2, "-Infinity"]"#).unwrap(), vec![2.0, f64::NEG_INFINITY]);
        let zero = read_or_corrected::<f64, _>(&mut serde_json::Deserializer::from_str("null")).unwrap();
        assert_eq!(zero, 0.0);
    }
}
