//! Constraint checking for generated types.
//!
//! Generated `Validate` implementations call the `check_*` functions below for
//! every constrained member and recurse into nested shapes, so one call reports
//! every violation in the input, each with the member path it concerns
//! (`SourceConfiguration.CodeRepository.SourceCodeVersion.Value`).

use std::fmt;
use std::sync::OnceLock;

/// One broken constraint.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Violation {
    /// Where: member names joined with `.`, list indexes as `[0]`, map keys as `["key"]`.
    pub path: String,
    /// What is wrong and what would be accepted.
    pub message: String,
}

impl fmt::Display for Violation {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: {}", self.path, self.message)
    }
}

/// Every violation found in one input, in member order.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ValidationError {
    violations: Vec<Violation>,
}

impl ValidationError {
    /// Wraps a list of violations.
    pub fn new(violations: Vec<Violation>) -> Self {
        Self { violations }
    }

    /// The violations, in the order they were found.
    pub fn violations(&self) -> &[Violation] {
        &self.violations
    }
}

impl fmt::Display for ValidationError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.violations.as_slice() {
            [only] => write!(f, "invalid input: {only}"),
            all => {
                write!(f, "invalid input, {} problems:", all.len())?;
                for violation in all {
                    write!(f, "\n  - {violation}")?;
                }
                Ok(())
            }
        }
    }
}

impl std::error::Error for ValidationError {}

/// Checks a value against the constraints of its Smithy shape.
pub trait Validate {
    /// Appends every violation found in `self` to `out`; `path` names `self`
    /// (empty for a top-level input).
    fn validate_into(&self, path: &str, out: &mut Vec<Violation>);

    /// Checks every constraint, reporting all violations at once.
    fn validate(&self) -> Result<(), ValidationError> {
        let mut violations = Vec::new();
        self.validate_into("", &mut violations);
        if violations.is_empty() {
            Ok(())
        } else {
            Err(ValidationError::new(violations))
        }
    }
}

impl<T: Validate> Validate for Box<T> {
    fn validate_into(&self, path: &str, out: &mut Vec<Violation>) {
        (**self).validate_into(path, out);
    }
}

impl<T: Validate> Validate for Option<T> {
    fn validate_into(&self, path: &str, out: &mut Vec<Violation>) {
        if let Some(value) = self {
            value.validate_into(path, out);
        }
    }
}

impl<T: Validate> Validate for Vec<T> {
    fn validate_into(&self, path: &str, out: &mut Vec<Violation>) {
        for (index, item) in self.iter().enumerate() {
            item.validate_into(&index_path(path, index), out);
        }
    }
}

/// The path of member `member` inside the value at `path`.
pub fn member_path(path: &str, member: &str) -> String {
    if path.is_empty() {
        member.to_owned()
    } else {
        format!("{path}.{member}")
    }
}

/// The path of item `index` of the list at `path`.
pub fn index_path(path: &str, index: usize) -> String {
    format!("{path}[{index}]")
}

/// The path of the entry `key` of the map at `path`; a `@sensitive` key is not shown.
pub fn key_path(path: &str, key: &str, sensitive: bool) -> String {
    if sensitive {
        format!("{path}[<redacted key>]")
    } else {
        format!("{path}[{key:?}]")
    }
}

/// What a `@length` bound counts, for messages.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum LengthUnit {
    /// Unicode scalar values of a string.
    Characters,
    /// Items of a list.
    Items,
    /// Entries of a map.
    Entries,
    /// Bytes of a blob.
    Bytes,
}

impl LengthUnit {
    fn name(self) -> &'static str {
        match self {
            LengthUnit::Characters => "characters",
            LengthUnit::Items => "items",
            LengthUnit::Entries => "entries",
            LengthUnit::Bytes => "bytes",
        }
    }
}

/// The length Smithy's `@length` trait measures for a string: Unicode scalar values.
pub fn string_length(value: &str) -> u64 {
    value.chars().count() as u64
}

/// Checks a `@length` constraint.
pub fn check_length(
    out: &mut Vec<Violation>,
    path: &str,
    length: u64,
    min: Option<u64>,
    max: Option<u64>,
    unit: LengthUnit,
) {
    let too_short = min.is_some_and(|min| length < min);
    let too_long = max.is_some_and(|max| length > max);
    if !(too_short || too_long) {
        return;
    }
    out.push(Violation {
        path: path.to_owned(),
        message: format!(
            "has {length} {unit}; it must have {}",
            bounds_text(min, max),
            unit = unit.name()
        ),
    });
}

/// Checks a `@range` constraint on a number.
pub fn check_range(out: &mut Vec<Violation>, path: &str, value: f64, min: Option<f64>, max: Option<f64>) {
    let below = min.is_some_and(|min| value < min);
    let above = max.is_some_and(|max| value > max);
    if !(below || above) {
        return;
    }
    out.push(Violation {
        path: path.to_owned(),
        message: format!("is {value}; it must be {}", bounds_text(min, max)),
    });
}

/// `between 1 and 5`, `exactly 3`, `at least 1`, `at most 5`.
fn bounds_text<T: fmt::Display + PartialEq>(min: Option<T>, max: Option<T>) -> String {
    match (min, max) {
        (Some(min), Some(max)) if min == max => format!("exactly {min}"),
        (Some(min), Some(max)) => format!("between {min} and {max}"),
        (Some(min), None) => format!("at least {min}"),
        (None, Some(max)) => format!("at most {max}"),
        (None, None) => String::from("anything"),
    }
}

/// A `@pattern` regular expression, compiled on first use and then shared.
///
/// Smithy patterns are searched for, not implicitly anchored: a pattern that must
/// cover the whole value says so with `^` and `$`. Smithy patterns use ECMAScript
/// syntax; besides what `regex-lite` supports, a leading negative look-ahead
/// (`^(?!aws:).+$`, as AWS uses to reserve tag prefixes) is understood.
#[derive(Debug)]
pub struct Pattern {
    source: &'static str,
    compiled: OnceLock<Result<Compiled, String>>,
}

#[derive(Debug)]
struct Compiled {
    /// What the value must match.
    required: regex_lite::Regex,
    /// What the value must not match (a leading negative look-ahead).
    forbidden: Option<regex_lite::Regex>,
}

impl Compiled {
    fn new(source: &str) -> Result<Self, String> {
        let source = &translate_ecmascript(source);
        let compile = |text: &str| regex_lite::Regex::new(text).map_err(|error| error.to_string());
        if let Some(after) = source.strip_prefix("^(?!") {
            let close = closing_paren(after).ok_or_else(|| "unbalanced parentheses in the look-ahead".to_owned())?;
            let (lookahead, rest) = (&after[..close], &after[close + 1..]);
            return Ok(Self {
                required: compile(&format!("^{rest}"))?,
                forbidden: Some(compile(&format!("^(?:{lookahead})"))?),
            });
        }
        Ok(Self {
            required: compile(source)?,
            forbidden: None,
        })
    }

    fn is_match(&self, value: &str) -> bool {
        self.required.is_match(value)
            && !self
                .forbidden
                .as_ref()
                .is_some_and(|forbidden| forbidden.is_match(value))
    }
}

/// Rewrites the ECMAScript escapes Smithy patterns use into `regex-lite` syntax:
/// `\uXXXX` becomes `\x{XXXX}`, and the UTF-16 surrogate-pair range
/// `\uD800\uDC00-\uDBFF\uDFFF` (every character beyond the Basic Multilingual
/// Plane) becomes `\x{10000}-\x{10FFFF}`.
fn translate_ecmascript(source: &str) -> String {
    const SUPPLEMENTARY: &str = "\\uD800\\uDC00-\\uDBFF\\uDFFF";
    let source = source.replace(SUPPLEMENTARY, "\\x{10000}-\\x{10FFFF}");
    let mut out = String::with_capacity(source.len());
    let mut chars = source.chars().peekable();
    while let Some(c) = chars.next() {
        if c != '\\' {
            out.push(c);
            continue;
        }
        match chars.next() {
            Some('u') => {
                let hex: String = chars.clone().take(4).collect();
                if hex.len() == 4 && hex.chars().all(|h| h.is_ascii_hexdigit()) {
                    for _ in 0..4 {
                        chars.next();
                    }
                    out.push_str(&format!("\\x{{{hex}}}"));
                } else {
                    out.push_str("\\u");
                }
            }
            Some(other) => {
                out.push('\\');
                out.push(other);
            }
            None => out.push('\\'),
        }
    }
    out
}

/// The index of the `)` that closes a group whose `(` was just before `text`.
fn closing_paren(text: &str) -> Option<usize> {
    let mut depth = 0usize;
    let mut escaped = false;
    let mut in_class = false;
    for (index, c) in text.char_indices() {
        match c {
            _ if escaped => escaped = false,
            '\\' => escaped = true,
            '[' => in_class = true,
            ']' => in_class = false,
            '(' if !in_class => depth += 1,
            ')' if !in_class && depth == 0 => return Some(index),
            ')' if !in_class => depth -= 1,
            _ => {}
        }
    }
    None
}

impl Pattern {
    /// A pattern from its source text (usable in a `static`).
    pub const fn new(source: &'static str) -> Self {
        Self {
            source,
            compiled: OnceLock::new(),
        }
    }

    /// The pattern's source text.
    pub fn source(&self) -> &'static str {
        self.source
    }

    /// Whether `value` matches; `Err` carries the compiler's complaint if the
    /// pattern itself is not a regular expression this crate supports.
    pub fn is_match(&self, value: &str) -> Result<bool, &str> {
        match self.compiled.get_or_init(|| Compiled::new(self.source)) {
            Ok(compiled) => Ok(compiled.is_match(value)),
            Err(error) => Err(error.as_str()),
        }
    }

    /// Whether `source` is a pattern this crate can check; the code generator asks
    /// before it emits a check, so generated code never carries one that cannot run.
    pub fn supports(source: &str) -> Result<(), String> {
        Compiled::new(source).map(|_| ())
    }
}

/// Checks a `@pattern` constraint. A `@sensitive` value is never echoed.
pub fn check_pattern(out: &mut Vec<Violation>, path: &str, value: &str, pattern: &Pattern, sensitive: bool) {
    match pattern.is_match(value) {
        Ok(true) => {}
        Ok(false) => {
            let shown = if sensitive {
                String::from("the value")
            } else {
                format!("{value:?}")
            };
            out.push(Violation {
                path: path.to_owned(),
                message: format!("{shown} does not match the required pattern {}", pattern.source()),
            });
        }
        Err(error) => out.push(Violation {
            path: path.to_owned(),
            message: format!("cannot check the pattern {}: {error}", pattern.source()),
        }),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reports_each_kind_with_its_path() {
        let mut out = Vec::new();
        check_length(
            &mut out,
            "ServiceName",
            string_length("ab"),
            Some(4),
            Some(40),
            LengthUnit::Characters,
        );
        check_range(&mut out, "MaxResults", 0.0, Some(1.0), Some(100.0));
        static NAME: Pattern = Pattern::new("^[A-Za-z0-9][A-Za-z0-9-_]{3,39}$");
        check_pattern(&mut out, "ServiceName", "-bad", &NAME, false);
        check_pattern(&mut out, "Secret", "-bad", &NAME, true);
        check_pattern(&mut out, "ServiceName", "good-name", &NAME, false);
        let messages: Vec<String> = out.iter().map(ToString::to_string).collect();
        assert_eq!(
            messages,
            [
                "ServiceName: has 2 characters; it must have between 4 and 40",
                "MaxResults: is 0; it must be between 1 and 100",
                "ServiceName: \"-bad\" does not match the required pattern ^[A-Za-z0-9][A-Za-z0-9-_]{3,39}$",
                "Secret: the value does not match the required pattern ^[A-Za-z0-9][A-Za-z0-9-_]{3,39}$",
            ]
        );
    }

    #[test]
    fn leading_negative_lookahead_is_supported() {
        static TAG_KEY: Pattern = Pattern::new("^(?!aws:).+$");
        assert_eq!(TAG_KEY.is_match("team"), Ok(true));
        assert_eq!(TAG_KEY.is_match("aws:reserved"), Ok(false));
        assert_eq!(TAG_KEY.is_match(""), Ok(false));
        assert!(Pattern::supports("^(?!a(b)c").is_err());
    }

    #[test]
    fn ecmascript_unicode_escapes_are_translated() {
        static TEXT: Pattern = Pattern::new("^[\\u0020-\\uD7FF\\uE000-\\uFFFD\\uD800\\uDC00-\\uDBFF\\uDFFF\\t]*$");
        assert_eq!(TEXT.is_match("plain text \u{1F600}"), Ok(true));
        assert_eq!(TEXT.is_match("bell \u{7}"), Ok(false));
    }

    #[test]
    fn lengths_count_characters_not_bytes() {
        assert_eq!(string_length("héllo"), 5);
    }

    #[test]
    fn unsupported_patterns_are_reported_not_panicked() {
        static BAD: Pattern = Pattern::new("(");
        let mut out = Vec::new();
        check_pattern(&mut out, "X", "y", &BAD, false);
        assert!(out[0].message.starts_with("cannot check the pattern ("), "{out:?}");
    }

    #[test]
    fn paths_compose() {
        assert_eq!(member_path("", "A"), "A");
        assert_eq!(member_path(&index_path("A", 2), "B"), "A[2].B");
        assert_eq!(key_path("Vars", "K", false), "Vars[\"K\"]");
        assert_eq!(key_path("Vars", "K", true), "Vars[<redacted key>]");
    }
}
