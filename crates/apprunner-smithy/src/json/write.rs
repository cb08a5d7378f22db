//! Writing the awsJson wire form: [`JsonWriter`] and the [`WriteJson`] trait.

use std::collections::BTreeMap;
use std::fmt::Write as _;

use super::scan::first_special;
use crate::{BigDecimal, BigInteger, Blob, DateTime, Document, TimestampFormat, Unit};

/// A value that can write itself in the awsJson wire form.
///
/// Generated structures, unions and enums implement it; so do the Rust types that
/// Smithy's simple shapes map to, and lists, maps, boxes and options of them.
pub trait WriteJson {
    /// Appends the value's JSON to `out`.
    fn write_json(&self, out: &mut JsonWriter);
}

/// A text map key: `String`, or a generated enum (which writes its wire value).
pub trait JsonKey {
    /// The key as it appears on the wire.
    fn json_key(&self) -> &str;
}

impl JsonKey for String {
    fn json_key(&self) -> &str {
        self
    }
}

/// Why a value could not be written: only a union holding its `Unknown` variant,
/// which stands for a member this client does not know, has no wire form.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[error("{0}")]
pub struct JsonWriteError(String);

/// Appends JSON text to a buffer.
///
/// Commas are placed by the writer: every value or key that follows another one
/// in the same object or array is preceded by one. The writer does not check that
/// its calls nest properly; [`WriteJson`] implementations do that by construction.
/// A value that cannot be written is recorded with [`JsonWriter::fail`] and
/// reported by [`JsonWriter::finish`], so writing itself never returns an error.
#[derive(Debug, Default)]
pub struct JsonWriter {
    out: Vec<u8>,
    /// Whether the next key or value follows a sibling and needs a comma first.
    after_value: bool,
    error: Option<JsonWriteError>,
}

impl JsonWriter {
    /// A writer whose buffer starts with room for `capacity` bytes.
    pub fn with_capacity(capacity: usize) -> Self {
        Self {
            out: Vec::with_capacity(capacity),
            ..Self::default()
        }
    }

    /// The JSON written, or the first reason a value could not be written.
    ///
    /// # Errors
    ///
    /// The [`JsonWriteError`] of the first [`JsonWriter::fail`].
    pub fn finish(self) -> Result<Vec<u8>, JsonWriteError> {
        match self.error {
            Some(error) => Err(error),
            None => Ok(self.out),
        }
    }

    /// Records that a value has no wire form. Writing goes on, but
    /// [`JsonWriter::finish`] reports the first message instead of the text.
    pub fn fail(&mut self, message: impl Into<String>) {
        if self.error.is_none() {
            self.error = Some(JsonWriteError(message.into()));
        }
    }

    fn separate(&mut self) {
        if self.after_value {
            self.out.push(b',');
        }
    }

    fn scalar(&mut self, text: &[u8]) {
        self.separate();
        self.out.extend_from_slice(text);
        self.after_value = true;
    }

    /// Opens an object: `{`.
    pub fn start_object(&mut self) {
        self.separate();
        self.out.push(b'{');
        self.after_value = false;
    }

    /// Closes an object: `}`.
    pub fn end_object(&mut self) {
        self.out.push(b'}');
        self.after_value = true;
    }

    /// Opens an array: `[`.
    pub fn start_array(&mut self) {
        self.separate();
        self.out.push(b'[');
        self.after_value = false;
    }

    /// Closes an array: `]`.
    pub fn end_array(&mut self) {
        self.out.push(b']');
        self.after_value = true;
    }

    /// Writes an object key; the next call writes its value.
    pub fn key(&mut self, key: &str) {
        self.separate();
        self.quoted(key);
        self.out.push(b':');
        self.after_value = false;
    }

    /// Writes a structure member: its name and then its value.
    ///
    /// The name is a Smithy member name (letters, digits and `_`), which JSON
    /// never escapes, so it is copied as it is; text keys go through
    /// [`JsonWriter::key`].
    pub fn member<T: WriteJson + ?Sized>(&mut self, name: &'static str, value: &T) {
        debug_assert!(first_special(name.as_bytes()).is_none(), "{name:?} needs escaping");
        self.separate();
        self.out.push(b'"');
        self.out.extend_from_slice(name.as_bytes());
        self.out.extend_from_slice(b"\":");
        self.after_value = false;
        value.write_json(self);
    }

    /// Writes a structure member when it is present; an absent one is left out,
    /// never written as `null`.
    pub fn optional_member<T: WriteJson>(&mut self, name: &'static str, value: Option<&T>) {
        if let Some(value) = value {
            self.member(name, value);
        }
    }

    /// Writes `null`.
    pub fn null(&mut self) {
        self.scalar(b"null");
    }

    /// Writes `true` or `false`.
    pub fn bool(&mut self, value: bool) {
        self.scalar(if value { b"true" } else { b"false" });
    }

    /// Writes an integer.
    pub fn integer(&mut self, value: i64) {
        let mut digits = [0u8; 20];
        let mut at = digits.len();
        let mut rest = value.unsigned_abs();
        loop {
            at -= 1;
            digits[at] = b'0' + (rest % 10) as u8;
            rest /= 10;
            if rest == 0 {
                break;
            }
        }
        self.separate();
        if value < 0 {
            self.out.push(b'-');
        }
        self.out.extend_from_slice(&digits[at..]);
        self.after_value = true;
    }

    /// Writes a `double`: a number, or the string `"NaN"`, `"Infinity"` or
    /// `"-Infinity"`, which JSON has no number for.
    pub fn double(&mut self, value: f64) {
        self.float(value);
    }

    /// Writes a `float` with the digits of an `f32`: `0.1`, not the
    /// `0.10000000149011612` of the same value widened to an `f64`.
    pub fn float32(&mut self, value: f32) {
        self.float(value);
    }

    /// Writes a float in its shortest round-trip digits: plain decimals for
    /// magnitudes from 1e-7 up to 1e17, exponent form outside them (where plain
    /// digits would run to hundreds of characters), and `.0` after a whole number.
    fn float<T: Copy + Into<f64> + std::fmt::Display + std::fmt::LowerExp>(&mut self, value: T) {
        let wide: f64 = value.into();
        if wide.is_nan() {
            return self.string("NaN");
        }
        if wide.is_infinite() {
            return self.string(if wide > 0.0 { "Infinity" } else { "-Infinity" });
        }
        let magnitude = wide.abs();
        let mut text = String::with_capacity(24);
        // Writing to a `String` cannot fail.
        let _ = if magnitude == 0.0 || (1e-7..1e17).contains(&magnitude) {
            write!(text, "{value}")
        } else {
            write!(text, "{value:e}")
        };
        if !text.contains(['.', 'e']) {
            text.push_str(".0");
        }
        self.scalar(text.as_bytes());
    }

    /// Writes a string, escaped.
    pub fn string(&mut self, value: &str) {
        self.separate();
        self.quoted(value);
        self.after_value = true;
    }

    /// Writes a number whose decimal text the caller has already checked.
    pub fn raw_number(&mut self, text: &str) {
        self.scalar(text.as_bytes());
    }

    fn quoted(&mut self, text: &str) {
        let bytes = text.as_bytes();
        self.out.reserve(bytes.len() + 2);
        self.out.push(b'"');
        let mut start = 0;
        while let Some(offset) = first_special(&bytes[start..]) {
            let at = start + offset;
            self.out.extend_from_slice(&bytes[start..at]);
            self.escape(bytes[at]);
            start = at + 1;
        }
        self.out.extend_from_slice(&bytes[start..]);
        self.out.push(b'"');
    }

    fn escape(&mut self, byte: u8) {
        let short = match byte {
            b'"' => b'"',
            b'\\' => b'\\',
            b'\n' => b'n',
            b'\r' => b'r',
            b'\t' => b't',
            0x08 => b'b',
            0x0c => b'f',
            _ => {
                const HEX: &[u8; 16] = b"0123456789abcdef";
                self.out.extend_from_slice(b"\\u00");
                self.out.push(HEX[usize::from(byte >> 4)]);
                self.out.push(HEX[usize::from(byte & 0xf)]);
                return;
            }
        };
        self.out.push(b'\\');
        self.out.push(short);
    }
}

/// The JSON of `value`.
///
/// # Errors
///
/// [`JsonWriteError`] when the value holds something with no wire form (a
/// union's `Unknown` variant).
pub fn to_vec<T: WriteJson + ?Sized>(value: &T) -> Result<Vec<u8>, JsonWriteError> {
    let mut out = JsonWriter::with_capacity(1024);
    value.write_json(&mut out);
    out.finish()
}

/// A timestamp written in a `@timestampFormat` other than the default epoch
/// seconds: generated code wraps members that carry the trait.
#[derive(Clone, Copy, Debug)]
pub struct TimestampAs<'a>(pub &'a DateTime, pub TimestampFormat);

impl WriteJson for TimestampAs<'_> {
    fn write_json(&self, out: &mut JsonWriter) {
        match self.1 {
            TimestampFormat::EpochSeconds => self.0.write_json(out),
            format => out.string(&self.0.fmt(format)),
        }
    }
}

impl WriteJson for bool {
    fn write_json(&self, out: &mut JsonWriter) {
        out.bool(*self);
    }
}

macro_rules! write_integers {
    ($($ty:ty),*) => {
        $(impl WriteJson for $ty {
            fn write_json(&self, out: &mut JsonWriter) {
                out.integer(i64::from(*self));
            }
        })*
    };
}

write_integers!(i8, i16, i32, i64);

impl WriteJson for f64 {
    fn write_json(&self, out: &mut JsonWriter) {
        out.double(*self);
    }
}

impl WriteJson for f32 {
    fn write_json(&self, out: &mut JsonWriter) {
        out.float32(*self);
    }
}

impl WriteJson for str {
    fn write_json(&self, out: &mut JsonWriter) {
        out.string(self);
    }
}

impl WriteJson for String {
    fn write_json(&self, out: &mut JsonWriter) {
        out.string(self);
    }
}

impl<T: WriteJson + ?Sized> WriteJson for &T {
    fn write_json(&self, out: &mut JsonWriter) {
        (**self).write_json(out);
    }
}

impl<T: WriteJson + ?Sized> WriteJson for Box<T> {
    fn write_json(&self, out: &mut JsonWriter) {
        (**self).write_json(out);
    }
}

/// An element of a sparse list or map: `None` is written as `null`.
impl<T: WriteJson> WriteJson for Option<T> {
    fn write_json(&self, out: &mut JsonWriter) {
        match self {
            Some(value) => value.write_json(out),
            None => out.null(),
        }
    }
}

impl<T: WriteJson> WriteJson for [T] {
    fn write_json(&self, out: &mut JsonWriter) {
        out.start_array();
        for item in self {
            item.write_json(out);
        }
        out.end_array();
    }
}

impl<T: WriteJson> WriteJson for Vec<T> {
    fn write_json(&self, out: &mut JsonWriter) {
        self.as_slice().write_json(out);
    }
}

impl<K: JsonKey, V: WriteJson> WriteJson for BTreeMap<K, V> {
    fn write_json(&self, out: &mut JsonWriter) {
        out.start_object();
        for (key, value) in self {
            out.key(key.json_key());
            value.write_json(out);
        }
        out.end_object();
    }
}

impl WriteJson for DateTime {
    fn write_json(&self, out: &mut JsonWriter) {
        if self.subsec_nanos() == 0 {
            out.integer(self.secs());
        } else {
            out.double(self.as_secs_f64());
        }
    }
}

impl WriteJson for Blob {
    fn write_json(&self, out: &mut JsonWriter) {
        out.string(&self.to_base64());
    }
}

impl WriteJson for BigInteger {
    fn write_json(&self, out: &mut JsonWriter) {
        out.raw_number(self.as_str());
    }
}

impl WriteJson for BigDecimal {
    fn write_json(&self, out: &mut JsonWriter) {
        out.raw_number(self.as_str());
    }
}

impl WriteJson for Unit {
    fn write_json(&self, out: &mut JsonWriter) {
        out.start_object();
        out.end_object();
    }
}

impl WriteJson for Document {
    fn write_json(&self, out: &mut JsonWriter) {
        match self {
            Document::Null => out.null(),
            Document::Bool(value) => out.bool(*value),
            Document::Number(number) => out.raw_number(number.as_str()),
            Document::String(text) => out.string(text),
            Document::Array(items) => items.write_json(out),
            Document::Object(members) => members.write_json(out),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn text<T: WriteJson + ?Sized>(value: &T) -> String {
        String::from_utf8(to_vec(value).unwrap()).unwrap()
    }

    #[test]
    fn strings_are_escaped_as_serde_json_escapes_them() {
        let samples = [
            "",
            "plain ascii",
            "quote \" and backslash \\",
            "controls \n\r\t\u{8}\u{c}\u{0}\u{1f}\u{7f}",
            "unicode é ✓ 𝄞 stays raw",
            "exactly8",
            "0123456\"",
            "a longer text whose escape sits past the first chunks\\",
        ];
        for sample in samples {
            assert_eq!(text(sample), serde_json::to_string(sample).unwrap(), "{sample:?}");
        }
        for byte in 0u8..=0x7f {
            let sample = format!("abcdefg{}hijklmnop", char::from(byte));
            assert_eq!(
                text(sample.as_str()),
                serde_json::to_string(&sample).unwrap(),
                "{byte:#x}"
            );
        }
    }

    #[test]
    fn integers_cover_the_whole_range() {
        for value in [0, 7, -7, 10, 1_000_000, i64::MAX, i64::MIN] {
            assert_eq!(text(&value), value.to_string());
        }
        assert_eq!(text(&-128i8), "-128");
    }

    #[test]
    fn floats_use_their_shortest_digits_and_strings_for_the_rest() {
        assert_eq!(text(&0.1f64), "0.1");
        assert_eq!(text(&0.1f32), "0.1");
        assert_eq!(text(&1.0f64), "1.0");
        assert_eq!(text(&-2.5f64), "-2.5");
        assert_eq!(text(&0.0f64), "0.0");
        assert_eq!(text(&1e300f64), "1e300");
        assert_eq!(text(&1.5e-8f64), "1.5e-8");
        assert_eq!(text(&123456789.125f64), "123456789.125");
        assert_eq!(text(&f64::NAN), "\"NaN\"");
        assert_eq!(text(&f32::INFINITY), "\"Infinity\"");
        assert_eq!(text(&f64::NEG_INFINITY), "\"-Infinity\"");
        for value in [0.1, 1e300, 1.5e-8, 123456789.125, f64::MAX, f64::MIN_POSITIVE, 5e-324] {
            let back: f64 = text(&value).parse().unwrap();
            assert_eq!(back, value);
        }
    }

    #[test]
    fn containers_place_their_commas() {
        let mut map = BTreeMap::new();
        map.insert(String::from("b"), vec![Some(1), None]);
        map.insert(String::from("a"), Vec::new());
        assert_eq!(text(&map), r#"{"a":[],"b":[1,null]}"#);
        let nested = vec![vec![1.5f64, f64::NAN], vec![]];
        assert_eq!(text(&nested), r#"[[1.5,"NaN"],[]]"#);
    }

    #[test]
    fn members_are_left_out_when_absent() {
        let mut out = JsonWriter::default();
        out.start_object();
        out.optional_member::<i32>("Absent", None);
        out.member("Name", "a");
        out.optional_member("Count", Some(&3));
        out.member("Unit", &Unit);
        out.end_object();
        assert_eq!(out.finish().unwrap(), br#"{"Name":"a","Count":3,"Unit":{}}"#);
    }

    #[test]
    fn smithy_types_use_their_wire_form() {
        assert_eq!(text(&DateTime::from_secs(1_606_502_725)), "1606502725");
        assert_eq!(text(&DateTime::from_secs_f64(1.5).unwrap()), "1.5");
        let at = DateTime::from_secs(0);
        assert_eq!(
            text(&TimestampAs(&at, TimestampFormat::DateTime)),
            r#""1970-01-01T00:00:00Z""#
        );
        assert_eq!(
            text(&TimestampAs(&at, TimestampFormat::HttpDate)),
            r#""Thu, 01 Jan 1970 00:00:00 GMT""#
        );
        assert_eq!(text(&Blob::new("fo")), r#""Zm8=""#);
        assert_eq!(
            text(&BigInteger::new("123456789012345678901234567890").unwrap()),
            "123456789012345678901234567890"
        );
        let document: Document = crate::json::from_slice(br#"{"b": [1, "two", null, 2.5e300], "a": true}"#).unwrap();
        assert_eq!(text(&document), r#"{"a":true,"b":[1,"two",null,2.5e300]}"#);
    }

    #[test]
    fn the_first_failure_is_reported_instead_of_the_text() {
        let mut out = JsonWriter::default();
        out.start_array();
        out.fail("first");
        out.fail("second");
        out.end_array();
        assert_eq!(out.finish(), Err(JsonWriteError(String::from("first"))));
    }
}
