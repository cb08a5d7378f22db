//! Client error correction: what a client reads when a service leaves out a
//! member the model marks `@required`, or sends `null` for it.
//!
//! Smithy asks clients not to fail a whole response over a missing required
//! member (the service may be newer than the model, or simply sloppy): the member
//! reads as its type's zero value instead — `""`, `0`, `false`, an empty list or
//! map, the epoch, an enum's unknown variant, a structure of zero values.
//! Generated types fall back to [`error_correction`] (through
//! [`crate::json::corrected`]) for a required member the response leaves out or
//! sends as `null`.

use crate::{BigDecimal, BigInteger, Blob, DateTime, Document};
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

    fn read<T: crate::json::ReadJson + ErrorCorrection>(text: &str) -> T {
        let mut slot = None;
        crate::json::JsonReader::new(text).member(&mut slot, "Member").unwrap();
        crate::json::corrected(slot)
    }

    #[test]
    fn missing_and_null_required_members_read_as_zero_values() {
        // A missing member and a `null` one both leave the slot empty.
        assert_eq!(error_correction::<String>(), "");
        assert_eq!(error_correction::<Vec<i32>>(), Vec::<i32>::new());
        assert_eq!(read::<String>("null"), "");
        assert_eq!(read::<Vec<i32>>("null"), Vec::<i32>::new());
        assert_eq!(read::<String>(r#""x""#), "x");
        assert_eq!(read::<Vec<i32>>("[1]"), vec![1]);
        assert_eq!(read::<DateTime>("null"), DateTime::from_secs(0));
    }
}
