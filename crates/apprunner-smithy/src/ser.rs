//! Support for the `Serialize` implementations of generated structures.
//!
//! Generated structures write their `Serialize` out by hand rather than deriving
//! it, so no crate built on them needs the `serde_derive` proc-macro (and the `syn`
//! build behind it). Each implementation opens the structure with
//! `serialize_struct`, counting only the members it will write, and then writes
//! every member with one call: `serialize_field` for a member that is always
//! present, [`optional`] for one that may be absent. The wrappers below carry the
//! timestamps whose wire form is not their type's own `Serialize`; members that
//! hold floats go through [`crate::float::Write`].

use serde::ser::{Serialize, SerializeStruct, Serializer};

use crate::DateTime;

/// How many of the flags are set: a structure's optional members that are present.
///
/// A generated `serialize` adds this to its number of always-present members to
/// get the length it passes to `serialize_struct`.
pub fn count_present(present: &[bool]) -> usize {
    present.iter().filter(|&&set| set).count()
}

/// Writes an optional member under `name` when it is present; an absent one is
/// skipped (and reported to the serializer with `skip_field`), never written as
/// `null`.
///
/// # Errors
///
/// Whatever the serializer reports for the member's value.
pub fn optional<S, T>(out: &mut S, name: &'static str, value: Option<T>) -> Result<(), S::Error>
where
    S: SerializeStruct,
    T: Serialize,
{
    match value {
        Some(_) => out.serialize_field(name, &value),
        None => out.skip_field(name),
    }
}

/// A timestamp member with `@timestampFormat("date-time")`: RFC 3339 text.
#[derive(Clone, Copy, Debug)]
pub struct DateTimeText<'a>(pub &'a DateTime);

impl Serialize for DateTimeText<'_> {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        crate::serde_format::date_time::serialize(self.0, serializer)
    }
}

/// A timestamp member with `@timestampFormat("http-date")`: IMF-fixdate text.
#[derive(Clone, Copy, Debug)]
pub struct HttpDateText<'a>(pub &'a DateTime);

impl Serialize for HttpDateText<'_> {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        crate::serde_format::http_date::serialize(self.0, serializer)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::float::Write;

    /// Written the way generated structures write themselves.
    struct Sample {
        name: String,
        count: Option<i32>,
        ratio: Option<f64>,
        at: Option<DateTime>,
        weight: f32,
    }

    impl Serialize for Sample {
        fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
            let len = 2 + count_present(&[self.count.is_some(), self.ratio.is_some(), self.at.is_some()]);
            let mut out = serializer.serialize_struct("Sample", len)?;
            out.serialize_field("Name", &self.name)?;
            optional(&mut out, "Count", self.count.as_ref())?;
            optional(&mut out, "Ratio", self.ratio.as_ref().map(Write))?;
            optional(&mut out, "At", self.at.as_ref().map(HttpDateText))?;
            out.serialize_field("Weight", &Write(&self.weight))?;
            out.end()
        }
    }

    #[test]
    fn absent_members_are_left_out() {
        let sample = Sample {
            name: "a".into(),
            count: None,
            ratio: None,
            at: None,
            weight: 0.5,
        };
        assert_eq!(serde_json::to_string(&sample).unwrap(), r#"{"Name":"a","Weight":0.5}"#);
    }

    #[test]
    fn present_members_use_their_wire_form() {
        let sample = Sample {
            name: "a".into(),
            count: Some(3),
            ratio: Some(f64::NAN),
            at: Some(DateTime::from_secs(1_606_502_725)),
            weight: f32::NEG_INFINITY,
        };
        assert_eq!(
            serde_json::to_string(&sample).unwrap(),
            r#"{"Name":"a","Count":3,"Ratio":"NaN","At":"Fri, 27 Nov 2020 18:45:25 GMT","Weight":"-Infinity"}"#
        );
        let text = serde_json::to_string(&DateTimeText(&DateTime::from_secs(0))).unwrap();
        assert_eq!(text, r#""1970-01-01T00:00:00Z""#);
    }

    #[test]
    fn counts_only_set_flags() {
        assert_eq!(count_present(&[]), 0);
        assert_eq!(count_present(&[true, false, true]), 2);
    }
}
