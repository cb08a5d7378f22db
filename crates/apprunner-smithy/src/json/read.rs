//! Reading the awsJson wire form: [`JsonReader`] and the [`ReadJson`] trait.

use std::borrow::Cow;
use std::collections::BTreeMap;

use super::number;
use super::scan::next_special;
use crate::correction::ErrorCorrection;
use crate::{BigDecimal, BigInteger, Blob, DateTime, Document, TimestampFormat, Unit};

/// How deeply objects and arrays may nest before the reader gives up (as
/// `serde_json` does), so that hostile input cannot exhaust the stack.
const MAX_DEPTH: u32 = 128;

/// A value that can read itself from the awsJson wire form.
pub trait ReadJson: Sized {
    /// Reads one value at the reader's position.
    ///
    /// # Errors
    ///
    /// [`JsonReadError`] when the text there is not this type's wire form.
    fn read_json(reader: &mut JsonReader<'_>) -> Result<Self, JsonReadError>;

    /// Whether `null` is one of this type's values (the `Option` elements of sparse
    /// lists and maps); dense lists and maps skip a `null` element otherwise.
    const READS_NULL: bool = false;
}

/// Why JSON text could not be read: what was wrong, where in the text, and in
/// which member. The message never quotes a value from the text (a response may
/// hold secrets), only what kind of value was there.
///
/// The details are boxed so that every `Result` the reader returns stays one
/// pointer wide on its error side: reading is the hot path, failing is not.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[error("{}{} at line {} column {}", member_prefix(&.0.member), .0.message, .0.line, .0.column)]
pub struct JsonReadError(Box<ReadErrorDetail>);

#[derive(Clone, Debug, PartialEq, Eq)]
struct ReadErrorDetail {
    message: String,
    line: usize,
    column: usize,
    /// The member path, outermost first (`SourceConfiguration.ImageRepository`).
    member: String,
}

fn member_prefix(member: &str) -> String {
    if member.is_empty() {
        String::new()
    } else {
        format!("in `{member}`: ")
    }
}

impl JsonReadError {
    /// What was wrong, without the position.
    pub fn message(&self) -> &str {
        &self.0.message
    }

    /// The 1-based line and column where reading stopped.
    pub fn position(&self) -> (usize, usize) {
        (self.0.line, self.0.column)
    }

    /// The path of the member being read, outermost first; empty at the top level.
    pub fn member(&self) -> &str {
        &self.0.member
    }

    /// The same error, seen from the structure or map that holds `name`.
    #[must_use]
    pub fn within(mut self, name: &str) -> Self {
        let detail = &mut *self.0;
        detail.member = if detail.member.is_empty() {
            name.to_owned()
        } else {
            format!("{name}.{}", detail.member)
        };
        self
    }
}

/// Reads JSON text from a byte slice, one value at a time, without building a
/// tree: generated types pull exactly the members they hold.
///
/// Objects are read with [`JsonReader::start_object`] and then
/// [`JsonReader::next_member`] until it returns `None`; arrays with
/// [`JsonReader::start_array`] and [`JsonReader::next_element`]. The reader checks
/// the commas and colons between them, so the calls read well-formed JSON only.
#[derive(Debug)]
pub struct JsonReader<'a> {
    text: &'a str,
    bytes: &'a [u8],
    at: usize,
    depth: u32,
    /// Whether a value has been read at the current level, so the next member
    /// or element needs a comma first.
    after_value: bool,
}

/// The error for a number with a fraction or exponent where an integer belongs.
const FRACTIONAL_INTEGER: &str = "expected an integer, found a number with a fraction or exponent";

impl<'a> JsonReader<'a> {
    /// A reader at the start of `text`.
    pub fn new(text: &'a str) -> Self {
        Self {
            text,
            bytes: text.as_bytes(),
            at: 0,
            depth: 0,
            after_value: false,
        }
    }

    /// An error at the reader's position.
    pub fn error(&self, message: impl Into<String>) -> JsonReadError {
        self.error_at(self.at, message)
    }

    /// An error at byte offset `at`: where a value started, when the reader has
    /// already consumed it and found it wrong.
    fn error_at(&self, at: usize, message: impl Into<String>) -> JsonReadError {
        let at = at.min(self.bytes.len());
        let before = &self.bytes[..at];
        let line = before.iter().filter(|&&byte| byte == b'\n').count() + 1;
        let line_start = before
            .iter()
            .rposition(|&byte| byte == b'\n')
            .map_or(0, |newline| newline + 1);
        JsonReadError(Box::new(ReadErrorDetail {
            message: message.into(),
            line,
            column: at - line_start + 1,
            member: String::new(),
        }))
    }

    fn expected(&self, what: &str) -> JsonReadError {
        match self.bytes.get(self.at) {
            None => self.error(format!("expected {what}, found the end of the text")),
            Some(&byte) => self.error(format!("expected {what}, found {}", describe(byte))),
        }
    }

    /// The offset where the next value starts, after any whitespace.
    fn value_start(&mut self) -> usize {
        self.peek();
        self.at
    }

    /// The next byte that is not whitespace, without consuming it.
    fn peek(&mut self) -> Option<u8> {
        while let Some(&byte) = self.bytes.get(self.at) {
            if !matches!(byte, b' ' | b'\n' | b'\r' | b'\t') {
                return Some(byte);
            }
            self.at += 1;
        }
        None
    }

    fn enter(&mut self, open: u8, what: &str) -> Result<(), JsonReadError> {
        if self.peek() != Some(open) {
            return Err(self.expected(what));
        }
        if self.depth == MAX_DEPTH {
            return Err(self.error(format!("objects and arrays nest more than {MAX_DEPTH} deep")));
        }
        self.at += 1;
        self.depth += 1;
        self.after_value = false;
        Ok(())
    }

    /// Whether the current object or array has another entry; consumes its
    /// closing bracket when it has not, and the comma before the entry when it has.
    fn another(&mut self, close: u8, what: &str) -> Result<bool, JsonReadError> {
        match self.peek() {
            Some(byte) if byte == close => {
                self.at += 1;
                self.depth -= 1;
                self.after_value = true;
                Ok(false)
            }
            Some(b',') if self.after_value => {
                self.at += 1;
                self.after_value = false;
                Ok(true)
            }
            _ if !self.after_value => Ok(true),
            _ => Err(self.expected(what)),
        }
    }

    /// Reads `{`, the start of an object.
    ///
    /// # Errors
    ///
    /// When the next value is not an object, or nests too deeply.
    pub fn start_object(&mut self) -> Result<(), JsonReadError> {
        self.enter(b'{', "an object")
    }

    /// The key of the object's next member, with the reader at its value; `None`
    /// after the closing `}`.
    ///
    /// # Errors
    ///
    /// When the text is not a well-formed member or the end of the object.
    pub fn next_member(&mut self) -> Result<Option<Cow<'a, str>>, JsonReadError> {
        if !self.another(b'}', "`,` or `}`")? {
            return Ok(None);
        }
        if self.peek() != Some(b'"') {
            return Err(self.expected("a member name in double quotes"));
        }
        let key = self.string_body()?;
        if self.peek() != Some(b':') {
            return Err(self.expected("`:`"));
        }
        self.at += 1;
        Ok(Some(key))
    }

    /// The next member of an object whose member names are `names`: `Some(i)`
    /// for `names[i]`, `Some(names.len())` for a name not among them, `None`
    /// after the closing `}`; the reader is left at the member's value.
    ///
    /// Generated structures read their members with this, so that one shared
    /// loop compares the names instead of a chain of comparisons in each
    /// structure's code. `next` is where the search starts, and is left just
    /// after the name found: services send members in a steady order, so the
    /// first name compared is nearly always the one.
    ///
    /// # Errors
    ///
    /// When the text is not a well-formed member or the end of the object.
    pub fn next_member_of(&mut self, names: &[&str], next: &mut usize) -> Result<Option<usize>, JsonReadError> {
        let Some(key) = self.next_member()? else {
            return Ok(None);
        };
        let start = (*next).min(names.len());
        let (before, after) = names.split_at(start);
        let found = after
            .iter()
            .position(|name| **name == *key)
            .map(|offset| start + offset)
            .or_else(|| before.iter().position(|name| **name == *key));
        Ok(Some(match found {
            Some(index) => {
                *next = index + 1;
                index
            }
            None => names.len(),
        }))
    }

    /// Reads `[`, the start of an array.
    ///
    /// # Errors
    ///
    /// When the next value is not an array, or nests too deeply.
    pub fn start_array(&mut self) -> Result<(), JsonReadError> {
        self.enter(b'[', "an array")
    }

    /// Whether the array has another element, with the reader at it; `false`
    /// after the closing `]`.
    ///
    /// # Errors
    ///
    /// When the text is not a well-formed element or the end of the array.
    pub fn next_element(&mut self) -> Result<bool, JsonReadError> {
        self.another(b']', "`,` or `]`")
    }

    fn literal(&mut self, word: &[u8]) -> bool {
        if self.bytes[self.at..].starts_with(word) {
            self.at += word.len();
            self.after_value = true;
            true
        } else {
            false
        }
    }

    /// Consumes a `null` and says so; anything else is left for the caller.
    ///
    /// # Errors
    ///
    /// At the end of the text, where a value was expected.
    pub fn take_null(&mut self) -> Result<bool, JsonReadError> {
        match self.peek() {
            Some(b'n') => Ok(self.literal(b"null")),
            Some(_) => Ok(false),
            None => Err(self.expected("a value")),
        }
    }

    /// Reads `true` or `false`.
    ///
    /// # Errors
    ///
    /// When the next value is not a boolean.
    pub fn bool(&mut self) -> Result<bool, JsonReadError> {
        match self.peek() {
            Some(b't') if self.literal(b"true") => Ok(true),
            Some(b'f') if self.literal(b"false") => Ok(false),
            _ => Err(self.expected("`true` or `false`")),
        }
    }

    /// Reads a string, borrowed from the text unless it has escapes.
    ///
    /// # Errors
    ///
    /// When the next value is not a well-formed string.
    pub fn string(&mut self) -> Result<Cow<'a, str>, JsonReadError> {
        if self.peek() != Some(b'"') {
            return Err(self.expected("a string"));
        }
        let text = self.string_body()?;
        self.after_value = true;
        Ok(text)
    }

    /// Reads the string at `self.at` (its opening quote), leaving the reader after
    /// the closing one. The text is known to be UTF-8 and the quotes are ASCII, so
    /// the string between them is sliced out without checking it again.
    ///
    /// Nearly every string of a response (every member name, most values) has no
    /// escape: that case is inlined into the callers, and only a string that has
    /// one goes on to [`JsonReader::escaped_string`].
    #[inline(always)]
    fn string_body(&mut self) -> Result<Cow<'a, str>, JsonReadError> {
        let start = self.at + 1;
        let end = next_special(self.bytes, start);
        if self.bytes.get(end) == Some(&b'"') {
            self.at = end + 1;
            let text: &'a str = self.text;
            return Ok(Cow::Borrowed(&text[start..end]));
        }
        self.at = end;
        self.escaped_string(start)
    }

    /// The rest of [`JsonReader::string_body`] from `self.at`, the first byte of
    /// the string that is not plain text, for the string that started at `start`.
    #[inline(never)]
    fn escaped_string(&mut self, start: usize) -> Result<Cow<'a, str>, JsonReadError> {
        let text: &'a str = self.text;
        // The text with its escapes decoded.
        let mut decoded = String::new();
        let mut run_start = start;
        loop {
            match self.bytes.get(self.at) {
                Some(b'"') => {
                    decoded.push_str(&text[run_start..self.at]);
                    self.at += 1;
                    return Ok(Cow::Owned(decoded));
                }
                Some(b'\\') => {
                    let (character, width) = self.escape()?;
                    decoded.push_str(&text[run_start..self.at]);
                    decoded.push(character);
                    self.at += width;
                    run_start = self.at;
                }
                Some(_) => return Err(self.error("a control character must be escaped inside a string")),
                None => return Err(self.error("the text ends inside a string")),
            }
            self.at = next_special(self.bytes, self.at);
        }
    }

    /// Decodes the escape at `self.at` (its backslash): the character and how many
    /// bytes of text it took. A `\u` surrogate pair is one character.
    fn escape(&self) -> Result<(char, usize), JsonReadError> {
        let simple = match self.bytes.get(self.at + 1) {
            Some(b'"') => '"',
            Some(b'\\') => '\\',
            Some(b'/') => '/',
            Some(b'b') => '\u{8}',
            Some(b'f') => '\u{c}',
            Some(b'n') => '\n',
            Some(b'r') => '\r',
            Some(b't') => '\t',
            Some(b'u') => return self.unicode_escape(),
            _ => return Err(self.error("an unknown escape in a string")),
        };
        Ok((simple, 2))
    }

    fn unicode_escape(&self) -> Result<(char, usize), JsonReadError> {
        let unit = |at: usize| -> Option<u32> {
            let hex = self.bytes.get(at..at + 4)?;
            let text = std::str::from_utf8(hex).ok()?;
            u32::from_str_radix(text, 16)
                .ok()
                .filter(|_| hex.iter().all(u8::is_ascii_hexdigit))
        };
        let first = unit(self.at + 2).ok_or_else(|| self.error("`\\u` needs four hexadecimal digits"))?;
        if !(0xD800..0xE000).contains(&first) {
            return char::from_u32(first)
                .map(|c| (c, 6))
                .ok_or_else(|| self.error("an invalid `\\u` escape"));
        }
        let low = (first < 0xDC00)
            .then(|| {
                self.bytes
                    .get(self.at + 6..self.at + 8)
                    .filter(|next| *next == b"\\u")
                    .and(unit(self.at + 8))
            })
            .flatten()
            .filter(|low| (0xDC00..0xE000).contains(low))
            .ok_or_else(|| self.error("a `\\u` escape is half of a surrogate pair"))?;
        let code = 0x10000 + ((first - 0xD800) << 10) + (low - 0xDC00);
        char::from_u32(code)
            .map(|c| (c, 12))
            .ok_or_else(|| self.error("an invalid `\\u` escape"))
    }

    /// The text of the number at the reader's position, consumed, and whether it
    /// is an integer.
    fn number_text(&mut self) -> Result<(&'a str, bool), JsonReadError> {
        self.peek();
        let start = self.at;
        let scanned = number::scan(&self.bytes[start..]).ok_or_else(|| self.expected("a number"))?;
        self.at += scanned.len;
        self.after_value = true;
        let text: &'a str = self.text;
        // The number grammar admits ASCII only, so both ends are character boundaries.
        Ok((&text[start..self.at], scanned.integer))
    }

    /// Reads an integer.
    ///
    /// # Errors
    ///
    /// When the next value is not an integer, or does not fit in an `i64`.
    pub fn integer(&mut self) -> Result<i64, JsonReadError> {
        let start = self.value_start();
        let (text, integer) = self.number_text()?;
        if !integer {
            return Err(self.error_at(start, FRACTIONAL_INTEGER));
        }
        text.parse()
            .map_err(|_| self.error_at(start, "an integer does not fit in 64 bits"))
    }

    /// Reads a float: a number, or the string `"NaN"`, `"Infinity"` or `"-Infinity"`.
    ///
    /// # Errors
    ///
    /// When the next value is neither.
    pub fn double(&mut self) -> Result<f64, JsonReadError> {
        if self.peek() == Some(b'"') {
            let start = self.at;
            return match &*self.string()? {
                "NaN" => Ok(f64::NAN),
                "Infinity" => Ok(f64::INFINITY),
                "-Infinity" => Ok(f64::NEG_INFINITY),
                _ => Err(self.error_at(
                    start,
                    "expected a number, or \"NaN\", \"Infinity\" or \"-Infinity\", found another string",
                )),
            };
        }
        let (text, _) = self.number_text()?;
        // The JSON grammar is a subset of what Rust parses.
        text.parse()
            .map_err(|_| self.error("a number Rust cannot read as a float"))
    }

    /// Skips one value of any kind, checking that it is well formed.
    ///
    /// # Errors
    ///
    /// When the text there is not a JSON value.
    pub fn skip_value(&mut self) -> Result<(), JsonReadError> {
        match self.peek() {
            Some(b'{') => {
                self.start_object()?;
                while self.next_member()?.is_some() {
                    self.skip_value()?;
                }
                Ok(())
            }
            Some(b'[') => {
                self.start_array()?;
                while self.next_element()? {
                    self.skip_value()?;
                }
                Ok(())
            }
            Some(b'"') => self.string().map(drop),
            Some(b't' | b'f') => self.bool().map(drop),
            Some(b'n') if self.literal(b"null") => Ok(()),
            _ => self.number_text().map(drop),
        }
    }

    /// Checks that nothing but whitespace follows the value read.
    ///
    /// # Errors
    ///
    /// When something does.
    pub fn finish(&mut self) -> Result<(), JsonReadError> {
        match self.peek() {
            None => Ok(()),
            Some(byte) => Err(self.error(format!("unexpected {} after the value", describe(byte)))),
        }
    }

    /// Reads a structure member into `slot`: `null` leaves it absent, and a
    /// member the object has already given is an error. Errors name the member.
    ///
    /// # Errors
    ///
    /// When the value is not `T`'s wire form, or the member is repeated.
    pub fn member<T: ReadJson>(&mut self, slot: &mut Option<T>, name: &str) -> Result<(), JsonReadError> {
        self.member_with(slot, name, T::read_json)
    }

    /// [`JsonReader::member`] with the value read by `read` (a timestamp in a text
    /// `@timestampFormat`, for one).
    ///
    /// # Errors
    ///
    /// When `read` fails, or the member is repeated.
    pub fn member_with<T>(
        &mut self,
        slot: &mut Option<T>,
        name: &str,
        read: impl FnOnce(&mut Self) -> Result<T, JsonReadError>,
    ) -> Result<(), JsonReadError> {
        if slot.is_some() {
            return Err(self.error(format!("the member `{name}` appears twice")));
        }
        if !self.take_null()? {
            *slot = Some(read(self).map_err(|error| error.within(name))?);
        }
        Ok(())
    }
}

fn describe(byte: u8) -> String {
    match byte {
        b'"' => String::from("a string"),
        b'{' => String::from("an object"),
        b'[' => String::from("an array"),
        b'-' | b'0'..=b'9' => String::from("a number"),
        b't' | b'f' => String::from("a boolean"),
        b'n' => String::from("null"),
        0x21..=0x7e => format!("`{}`", char::from(byte)),
        _ => format!("byte {byte:#04x}"),
    }
}

/// Reads one value from all of `bytes`; nothing but whitespace may follow it.
///
/// # Errors
///
/// [`JsonReadError`] when the text is not `T`'s wire form.
pub fn from_slice<T: ReadJson>(bytes: &[u8]) -> Result<T, JsonReadError> {
    // Checking the whole text as UTF-8 once is cheaper than checking each string.
    let text = std::str::from_utf8(bytes).map_err(|error| {
        let valid = &bytes[..error.valid_up_to()];
        JsonReader::new(std::str::from_utf8(valid).unwrap_or_default()).error_at(valid.len(), "the text is not UTF-8")
    })?;
    let mut reader = JsonReader::new(text);
    let value = T::read_json(&mut reader)?;
    reader.finish()?;
    Ok(value)
}

/// Reads a timestamp in `format`: epoch seconds as a number, or the format's text.
///
/// # Errors
///
/// When the value is not a timestamp in that format.
pub fn read_timestamp(reader: &mut JsonReader<'_>, format: TimestampFormat) -> Result<DateTime, JsonReadError> {
    if format == TimestampFormat::EpochSeconds {
        return DateTime::read_json(reader);
    }
    let start = reader.value_start();
    let text = reader.string()?;
    DateTime::parse(&text, format)
        .map_err(|error| reader.error_at(start, format!("not a valid timestamp: expected {}", error.expected())))
}

/// The zero value of a required member the response left out or sent as
/// `null` (Smithy's client error correction).
pub fn corrected<T: ErrorCorrection>(slot: Option<T>) -> T {
    slot.unwrap_or_else(T::error_correction)
}

impl ReadJson for bool {
    fn read_json(reader: &mut JsonReader<'_>) -> Result<Self, JsonReadError> {
        reader.bool()
    }
}

macro_rules! read_integers {
    ($($ty:ty),*) => {
        $(impl ReadJson for $ty {
            fn read_json(reader: &mut JsonReader<'_>) -> Result<Self, JsonReadError> {
                let start = reader.value_start();
                let value = reader.integer()?;
                <$ty>::try_from(value).map_err(|_| {
                    reader.error_at(start, format!("an integer is out of range for {} bits", <$ty>::BITS))
                })
            }
        })*
    };
}

read_integers!(i8, i16, i32);

impl ReadJson for i64 {
    fn read_json(reader: &mut JsonReader<'_>) -> Result<Self, JsonReadError> {
        reader.integer()
    }
}

impl ReadJson for f64 {
    fn read_json(reader: &mut JsonReader<'_>) -> Result<Self, JsonReadError> {
        reader.double()
    }
}

impl ReadJson for f32 {
    fn read_json(reader: &mut JsonReader<'_>) -> Result<Self, JsonReadError> {
        // The nearest `f32`, as Rust's `as` rounds.
        reader.double().map(|value| value as f32)
    }
}

impl ReadJson for String {
    fn read_json(reader: &mut JsonReader<'_>) -> Result<Self, JsonReadError> {
        reader.string().map(Cow::into_owned)
    }
}

impl<T: ReadJson> ReadJson for Box<T> {
    fn read_json(reader: &mut JsonReader<'_>) -> Result<Self, JsonReadError> {
        T::read_json(reader).map(Box::new)
    }
}

/// An element of a sparse list or map: `null` reads as `None`.
impl<T: ReadJson> ReadJson for Option<T> {
    const READS_NULL: bool = true;

    fn read_json(reader: &mut JsonReader<'_>) -> Result<Self, JsonReadError> {
        if reader.take_null()? {
            Ok(None)
        } else {
            T::read_json(reader).map(Some)
        }
    }
}

/// A list: in a dense one (`T` not an `Option`) a `null` element, which it should
/// not hold, is skipped rather than failing the whole response.
impl<T: ReadJson> ReadJson for Vec<T> {
    fn read_json(reader: &mut JsonReader<'_>) -> Result<Self, JsonReadError> {
        reader.start_array()?;
        let mut items = Vec::new();
        while reader.next_element()? {
            if T::READS_NULL || !reader.take_null()? {
                let item = T::read_json(reader).map_err(|error| error.within(&format!("[{}]", items.len())))?;
                items.push(item);
            }
        }
        Ok(items)
    }
}

/// A map: in a dense one a `null` value is skipped, as in a dense list.
impl<K: for<'k> From<&'k str> + Ord, V: ReadJson> ReadJson for BTreeMap<K, V> {
    fn read_json(reader: &mut JsonReader<'_>) -> Result<Self, JsonReadError> {
        reader.start_object()?;
        let mut entries = BTreeMap::new();
        while let Some(key) = reader.next_member()? {
            if V::READS_NULL || !reader.take_null()? {
                // The key stays out of the error: in a `@sensitive` map it is secret too.
                let value = V::read_json(reader)?;
                entries.insert(K::from(&key), value);
            }
        }
        Ok(entries)
    }
}

impl ReadJson for DateTime {
    fn read_json(reader: &mut JsonReader<'_>) -> Result<Self, JsonReadError> {
        let start = reader.value_start();
        let (text, integer) = reader.number_text()?;
        let value = if integer {
            text.parse().ok().map(DateTime::from_secs)
        } else {
            text.parse().ok().and_then(DateTime::from_secs_f64)
        };
        value.ok_or_else(|| reader.error_at(start, "a timestamp is out of range"))
    }
}

impl ReadJson for Blob {
    fn read_json(reader: &mut JsonReader<'_>) -> Result<Self, JsonReadError> {
        let start = reader.value_start();
        let text = reader.string()?;
        Blob::from_base64(&text).map_err(|_| reader.error_at(start, "a blob is not valid base64"))
    }
}

macro_rules! read_big_numbers {
    ($($ty:ident: $integer_only:literal),*) => {
        $(impl ReadJson for $ty {
            fn read_json(reader: &mut JsonReader<'_>) -> Result<Self, JsonReadError> {
                let start = reader.value_start();
                let (text, integer) = reader.number_text()?;
                if $integer_only && !integer {
                    return Err(reader.error_at(start, FRACTIONAL_INTEGER));
                }
                Ok($ty::new(text).unwrap_or_else($ty::zero))
            }
        })*
    };
}

read_big_numbers!(BigInteger: true, BigDecimal: false);

/// Whatever the object holds is ignored: a unit member has no value.
impl ReadJson for Unit {
    fn read_json(reader: &mut JsonReader<'_>) -> Result<Self, JsonReadError> {
        if reader.peek() != Some(b'{') {
            return Err(reader.expected("an object"));
        }
        reader.skip_value().map(|()| Unit)
    }
}

impl ReadJson for Document {
    fn read_json(reader: &mut JsonReader<'_>) -> Result<Self, JsonReadError> {
        Ok(match reader.peek() {
            Some(b'{') => {
                reader.start_object()?;
                let mut members = BTreeMap::new();
                while let Some(key) = reader.next_member()? {
                    let value = Document::read_json(reader)?;
                    members.insert(key.into_owned(), value);
                }
                Document::Object(members)
            }
            Some(b'[') => {
                reader.start_array()?;
                let mut items = Vec::new();
                while reader.next_element()? {
                    items.push(Document::read_json(reader)?);
                }
                Document::Array(items)
            }
            Some(b'"') => Document::String(reader.string()?.into_owned()),
            Some(b't' | b'f') => Document::Bool(reader.bool()?),
            Some(b'n') if reader.take_null()? => Document::Null,
            _ => Document::Number(BigDecimal::read_json(reader)?),
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn read<T: ReadJson>(text: &str) -> Result<T, String> {
        from_slice(text.as_bytes()).map_err(|error| error.to_string())
    }

    #[test]
    fn strings_decode_every_escape() {
        for sample in [
            r#""plain""#,
            r#""""#,
            r#""quote \" backslash \\ slash \/""#,
            r#""controls \b\f\n\r\t""#,
            r#""unicode \u00e9 \u2713 \ud834\udd1e é ✓ 𝄞""#,
            r#""\u0000 and \u001F""#,
        ] {
            let expected: String = serde_json::from_str(sample).unwrap();
            assert_eq!(read::<String>(sample).unwrap(), expected, "{sample}");
        }
    }

    #[test]
    fn malformed_strings_are_errors_with_their_position() {
        assert_eq!(
            read::<String>("\"open").unwrap_err(),
            "the text ends inside a string at line 1 column 6"
        );
        assert!(
            read::<String>("\"a\nb\"")
                .unwrap_err()
                .starts_with("a control character must be escaped")
        );
        assert!(read::<String>(r#""\x""#).unwrap_err().starts_with("an unknown escape"));
        assert!(read::<String>(r#""\u12""#).unwrap_err().starts_with("`\\u` needs four"));
        assert!(
            read::<String>(r#""\ud834 alone""#)
                .unwrap_err()
                .contains("surrogate pair")
        );
        assert!(read::<String>(r#""\udd1e""#).unwrap_err().contains("surrogate pair"));
        assert_eq!(
            from_slice::<String>(b"\"a\xff\"").unwrap_err().to_string(),
            "the text is not UTF-8 at line 1 column 3"
        );
        assert_eq!(
            read::<String>("\n  7").unwrap_err(),
            "expected a string, found a number at line 2 column 3"
        );
    }

    #[test]
    fn numbers_are_checked_for_kind_and_range() {
        assert_eq!(read::<i32>(" -42 ").unwrap(), -42);
        assert_eq!(read::<i64>("9223372036854775807").unwrap(), i64::MAX);
        assert!(read::<i64>("9223372036854775808").unwrap_err().contains("does not fit"));
        assert_eq!(
            read::<i8>(" 128").unwrap_err(),
            "an integer is out of range for 8 bits at line 1 column 2"
        );
        assert!(
            read::<i32>("1.5")
                .unwrap_err()
                .starts_with("expected an integer, found a number with a fraction")
        );
        assert!(read::<i32>("01").unwrap_err().contains("unexpected"));
        assert_eq!(read::<f64>("1.5e3").unwrap(), 1500.0);
        assert_eq!(read::<f32>("0.1").unwrap(), 0.1f32);
        assert!(read::<f64>(r#""NaN""#).unwrap().is_nan());
        assert_eq!(read::<f64>(r#""-Infinity""#).unwrap(), f64::NEG_INFINITY);
        let error = read::<f64>(r#""secret""#).unwrap_err();
        assert!(
            error.contains("found another string") && !error.contains("secret"),
            "{error}"
        );
        assert!(read::<f64>("-").unwrap_err().starts_with("expected a number"));
    }

    #[test]
    fn collections_skip_nulls_unless_sparse() {
        assert_eq!(read::<Vec<i32>>("[1, null, 2]").unwrap(), vec![1, 2]);
        assert_eq!(read::<Vec<Option<i32>>>("[1,null]").unwrap(), vec![Some(1), None]);
        let map = read::<BTreeMap<String, Vec<f64>>>(r#"{"a": [1, "Infinity"], "b": null}"#).unwrap();
        assert_eq!(map, BTreeMap::from([("a".to_owned(), vec![1.0, f64::INFINITY])]));
        assert_eq!(read::<Vec<i32>>("[]").unwrap(), Vec::<i32>::new());
        assert_eq!(
            read::<Vec<i32>>("[1, \"x\"]").unwrap_err(),
            "in `[1]`: expected a number, found a string at line 1 column 5"
        );
        assert!(
            read::<Vec<i32>>("[1 2]")
                .unwrap_err()
                .starts_with("expected `,` or `]`")
        );
        assert!(
            read::<Vec<i32>>("[1,]")
                .unwrap_err()
                .contains("expected a number, found `]`")
        );
        assert!(
            read::<Vec<i32>>("[,1]")
                .unwrap_err()
                .contains("expected a number, found `,`")
        );
        assert!(
            read::<BTreeMap<String, i32>>(r#"{"a" 1}"#)
                .unwrap_err()
                .starts_with("expected `:`")
        );
        assert!(
            read::<BTreeMap<String, i32>>(r#"{"a":1,}"#)
                .unwrap_err()
                .starts_with("expected a member name")
        );
        assert!(
            read::<BTreeMap<String, i32>>(r#"{,"a":1}"#)
                .unwrap_err()
                .starts_with("expected a member name")
        );
    }

    #[test]
    fn skipping_checks_the_value_and_depth_is_bounded() {
        let mut reader = JsonReader::new(r#"{"x": [1, {"y": "a\"b"}, true, null, -2.5e1], "z": 3}"#);
        reader.start_object().unwrap();
        assert_eq!(reader.next_member().unwrap().as_deref(), Some("x"));
        reader.skip_value().unwrap();
        assert_eq!(reader.next_member().unwrap().as_deref(), Some("z"));
        assert_eq!(reader.integer().unwrap(), 3);
        assert_eq!(reader.next_member().unwrap(), None);
        reader.finish().unwrap();

        let deep = format!("{}{}", "[".repeat(200), "]".repeat(200));
        assert!(
            from_slice::<Document>(deep.as_bytes())
                .unwrap_err()
                .to_string()
                .contains("nest more than 128")
        );
        let mut skipper = JsonReader::new(&deep);
        assert!(
            skipper
                .skip_value()
                .unwrap_err()
                .to_string()
                .contains("nest more than 128")
        );
        assert!(
            read::<i32>("1 2")
                .unwrap_err()
                .starts_with("unexpected a number after the value")
        );
        assert!(read::<Unit>("{\"a\": [tru]}").is_err());
    }

    #[test]
    fn members_are_read_once_and_null_is_absent() {
        let mut reader = JsonReader::new(r#"{"N": 1, "M": null, "N": 2}"#);
        reader.start_object().unwrap();
        let (mut n, mut m) = (None::<i32>, None::<i32>);
        reader.next_member().unwrap();
        reader.member(&mut n, "N").unwrap();
        reader.next_member().unwrap();
        reader.member(&mut m, "M").unwrap();
        reader.next_member().unwrap();
        let error = reader.member(&mut n, "N").unwrap_err();
        assert_eq!((n, m), (Some(1), None));
        assert!(error.to_string().starts_with("the member `N` appears twice"), "{error}");
        let mut nested = JsonReader::new(r#""x""#);
        let error = nested.member(&mut None::<i32>, "Count").unwrap_err().within("Outer");
        assert_eq!(error.member(), "Outer.Count");
        assert_eq!(
            error.to_string(),
            "in `Outer.Count`: expected a number, found a string at line 1 column 1"
        );
    }

    #[test]
    fn member_names_are_found_in_any_order() {
        const NAMES: &[&str] = &["A", "B", "C"];
        let mut reader = JsonReader::new(r#"{"B": 1, "C": 2, "Other": {"A": 0}, "A": 3, "C": 4, "A\u0042": 5, "": 6}"#);
        reader.start_object().unwrap();
        let mut next = 0;
        let mut seen = Vec::new();
        while let Some(index) = reader.next_member_of(NAMES, &mut next).unwrap() {
            seen.push(index);
            reader.skip_value().unwrap();
        }
        // Unknown names (also one spelled with an escape, and the empty one) are
        // `NAMES.len()`; a name before the last one found is still found.
        assert_eq!(seen, [1, 2, 3, 0, 2, 3, 3]);
        reader.finish().unwrap();
        let mut empty = JsonReader::new("{}");
        empty.start_object().unwrap();
        assert_eq!(empty.next_member_of(NAMES, &mut 7).unwrap(), None);
        let mut escaped = JsonReader::new(r#"{"\u0043": 1}"#);
        escaped.start_object().unwrap();
        assert_eq!(escaped.next_member_of(NAMES, &mut 0).unwrap(), Some(2));
    }

    #[test]
    fn smithy_types_read_their_wire_form() {
        assert_eq!(
            read::<DateTime>("1606502725").unwrap(),
            DateTime::from_secs(1_606_502_725)
        );
        assert_eq!(
            read::<DateTime>("1606502725.5").unwrap(),
            DateTime::from_parts(1_606_502_725, 500_000_000)
        );
        assert!(read::<DateTime>("\"soon\"").is_err());
        let mut reader = JsonReader::new(r#""1970-01-01T00:00:10Z""#);
        assert_eq!(
            read_timestamp(&mut reader, TimestampFormat::DateTime).unwrap(),
            DateTime::from_secs(10)
        );
        let mut reader = JsonReader::new(r#""yesterday""#);
        assert!(read_timestamp(&mut reader, TimestampFormat::HttpDate).is_err());
        assert_eq!(read::<Blob>(r#""Zm8=""#).unwrap(), Blob::new("fo"));
        assert!(read::<Blob>(r#""Z""#).is_err());
        let big = "123456789012345678901234567890";
        assert_eq!(read::<BigInteger>(big).unwrap().as_str(), big);
        assert!(read::<BigInteger>("1.5").is_err());
        assert_eq!(read::<BigDecimal>("-1.5e300").unwrap().as_str(), "-1.5e300");
        assert_eq!(read::<Unit>(r#"{"ignored": [1]}"#).unwrap(), Unit);
        let document = read::<Document>(r#"{"a":[1,"two",null,2.5,{"b":false}]}"#).unwrap();
        assert_eq!(document.get("a").unwrap().as_array().unwrap()[3].as_f64(), Some(2.5));
        assert_eq!(
            document.get("a").unwrap().as_array().unwrap()[4].get("b"),
            Some(&Document::Bool(false))
        );
        assert_eq!(corrected::<Vec<i32>>(None), Vec::<i32>::new());
    }
}
