//! Client error correction: what a client reads when a service leaves out a
//! member the model marks `@required`, or sends `null` for it.
//!
//! Smithy asks clients not to fail a whole response over a missing required
//! member (the service may be newer than the model, or simply sloppy): the member
//! reads as its type's zero value instead — `""`, `0`, `false`, an empty list or
//! map, the epoch, an enum's unknown variant, a structure of zero values.
//! Generated types fall back to [`error_correction`] for a required member the
//! response leaves out and read it with [`null_as_absent`], which treats `null` the same way.

use crate::{BigDecimal, BigInteger, Blob, DateTime, Document};
use serde::{Deserialize, Deserializer};
use std::collections::BTreeMap;

/// A type with a zero value to read when a required member is missing.
pub trait ErrorCorrection {
    /// The zero value.
    fn error_correction() -> Self;
}

/// The zero value of `T`; generated code calls it for a required member that is missing.
pub fn error_correction<T: ErrorCorrection>() -> T {
    T::error_correction()
}

/// Reads a required member, treating `null` as absent (the zero value).
pub fn null_as_absent<'de, D, T>(deserializer: D) -> Result<T, D::Error>
where
    D: Deserializer<'de>,
    T: Deserialize<'de> + ErrorCorrection,
{
    Ok(Option::<T>::deserialize(deserializer)?.unwrap_or_else(T::error_correction))
}

/// Reads an enum from its JSON string without copying the string: generated
/// enums name this in their `Deserialize` implementation, and `From<&str>` maps
/// the text to a variant (an unknown value keeps its own copy).
pub fn enum_from_str<'de, D, T>(deserializer: D) -> Result<T, D::Error>
where
    D: Deserializer<'de>,
    T: for<'a> From<&'a str>,
{
    struct EnumText<T>(std::marker::PhantomData<T>);

    impl<T: for<'a> From<&'a str>> serde::de::Visitor<'_> for EnumText<T> {
        type Value = T;

        fn expecting(&self, formatter: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
            formatter.write_str("a string")
        }

        fn visit_str<E: serde::de::Error>(self, text: &str) -> Result<T, E> {
            Ok(T::from(text))
        }
    }

    deserializer.deserialize_str(EnumText(std::marker::PhantomData))
}

macro_rules! zero_is_default {
    ($($ty:ty),*) => {
        $(impl ErrorCorrection for $ty {
            fn error_correction() -> Self {
                <$ty>::default()
            }
        })*
    };
}

zero_is_default!(String, bool, i8, i16, i32, i64, f32, f64, Blob, Document);

impl ErrorCorrection for DateTime {
    fn error_correction() -> Self {
        DateTime::from_secs(0)
    }
}

impl ErrorCorrection for BigInteger {
    fn error_correction() -> Self {
        BigInteger::zero()
    }
}

impl ErrorCorrection for BigDecimal {
    fn error_correction() -> Self {
        BigDecimal::zero()
    }
}

impl<T> ErrorCorrection for Vec<T> {
    fn error_correction() -> Self {
        Vec::new()
    }
}

impl<K, V> ErrorCorrection for BTreeMap<K, V> {
    fn error_correction() -> Self {
        BTreeMap::new()
    }
}

impl<T> ErrorCorrection for Option<T> {
    fn error_correction() -> Self {
        None
    }
}

impl<T: ErrorCorrection> ErrorCorrection for Box<T> {
    fn error_correction() -> Self {
        Box::new(T::error_correction())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn read<T: for<'de> Deserialize<'de> + ErrorCorrection>(text: &str) -> T {
        null_as_absent(&mut serde_json::Deserializer::from_str(text)).unwrap()
    }

    #[test]
    fn missing_and_null_required_members_read_as_zero_values() {
        // A missing member takes `error_correction`, a `null` one goes through `null_as_absent`.
        assert_eq!(error_correction::<String>(), "");
        assert_eq!(error_correction::<Vec<i32>>(), Vec::<i32>::new());
        assert_eq!(read::<String>("null"), "");
        assert_eq!(read::<Vec<i32>>("null"), Vec::<i32>::new());
        assert_eq!(read::<String>(r#""x""#), "x");
        assert_eq!(read::<Vec<i32>>("[1]"), vec![1]);
        assert_eq!(read::<DateTime>("null"), DateTime::from_secs(0));
    }
}
