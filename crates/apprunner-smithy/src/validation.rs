//! Constraint checking for generated types.
//!
//! Generated `Validate` implementations call the `check_*` functions below for
//! every constrained member and recurse into nested shapes, so one call reports
//! every violation in the input, each with the member path it concerns
//! (`SourceConfiguration.CodeRepository.SourceCodeVersion.Value`).

use std::fmt;
use std::sync::{Mutex, OnceLock, PoisonError};

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
    /// ([`ValuePath::Root`] for a top-level input).
    fn validate_into(&self, path: &ValuePath<'_>, out: &mut Vec<Violation>);

    /// Checks every constraint, reporting all violations at once.
    fn validate(&self) -> Result<(), ValidationError> {
        let mut violations = Vec::new();
        self.validate_into(&ValuePath::Root, &mut violations);
        if violations.is_empty() {
            Ok(())
        } else {
            Err(ValidationError::new(violations))
        }
    }
}

impl<T: Validate> Validate for Box<T> {
    fn validate_into(&self, path: &ValuePath<'_>, out: &mut Vec<Violation>) {
        (**self).validate_into(path, out);
    }
}

impl<T: Validate> Validate for Option<T> {
    fn validate_into(&self, path: &ValuePath<'_>, out: &mut Vec<Violation>) {
        if let Some(value) = self {
            value.validate_into(path, out);
        }
    }
}

impl<T: Validate> Validate for Vec<T> {
    fn validate_into(&self, path: &ValuePath<'_>, out: &mut Vec<Violation>) {
        for (index, item) in self.iter().enumerate() {
            item.validate_into(&index_path(path, index), out);
        }
    }
}

/// Where a value sits in an input (`SourceConfiguration.CodeRepository`,
/// `Tags[2].Key`), built up as validation descends and written out only when a
/// violation is found, so checking a valid input formats nothing.
#[derive(Clone, Copy, Debug)]
pub enum ValuePath<'a> {
    /// The input itself.
    Root,
    /// A path already written out.
    Text(&'a str),
    /// A member of the value at the inner path.
    Member(&'a ValuePath<'a>, &'a str),
    /// An item of the list at the inner path.
    Index(&'a ValuePath<'a>, usize),
    /// An entry of the map at the inner path; a `@sensitive` key is not shown.
    Key(&'a ValuePath<'a>, &'a str, bool),
}

impl fmt::Display for ValuePath<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            ValuePath::Root => Ok(()),
            ValuePath::Text(text) => f.write_str(text),
            ValuePath::Member(parent, member) => match parent {
                ValuePath::Root | ValuePath::Text("") => f.write_str(member),
                parent => write!(f, "{parent}.{member}"),
            },
            ValuePath::Index(parent, index) => write!(f, "{parent}[{index}]"),
            ValuePath::Key(parent, _, true) => write!(f, "{parent}[<redacted key>]"),
            ValuePath::Key(parent, key, false) => write!(f, "{parent}[{key:?}]"),
        }
    }
}

/// The path of member `member` inside the value at `path`.
pub fn member_path<'a>(path: &'a ValuePath<'a>, member: &'a str) -> ValuePath<'a> {
    ValuePath::Member(path, member)
}

/// The path of item `index` of the list at `path`.
pub fn index_path<'a>(path: &'a ValuePath<'a>, index: usize) -> ValuePath<'a> {
    ValuePath::Index(path, index)
}

/// The path of the entry `key` of the map at `path`; a `@sensitive` key is not shown.
pub fn key_path<'a>(path: &'a ValuePath<'a>, key: &'a str, sensitive: bool) -> ValuePath<'a> {
    ValuePath::Key(path, key, sensitive)
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
    path: &ValuePath<'_>,
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
        path: path.to_string(),
        message: format!(
            "has {length} {unit}; it must have {}",
            bounds_text(min, max),
            unit = unit.name()
        ),
    });
}

/// Checks a `@range` constraint on a number.
pub fn check_range(out: &mut Vec<Violation>, path: &ValuePath<'_>, value: f64, min: Option<f64>, max: Option<f64>) {
    let below = min.is_some_and(|min| value < min);
    let above = max.is_some_and(|max| value > max);
    if !(below || above) {
        return;
    }
    out.push(Violation {
        path: path.to_string(),
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
///
/// A pattern also remembers the last few values it matched, by fingerprint
/// ([`Pattern::is_match_remembered`]): callers send the same ARNs, names and
/// commands over and over, and a hash costs far less than a search.
#[derive(Debug)]
pub struct Pattern {
    source: &'static str,
    /// The member's `@length` maximum in characters, when it has one.
    max_chars: Option<u64>,
    compiled: OnceLock<Result<Compiled, String>>,
    recent: Mutex<RecentMatches>,
}

/// Fingerprints of the values a pattern matched most recently, replaced oldest
/// first. Only a keyed 64-bit hash of each value is kept (the key is random per
/// process), so no value, `@sensitive` or not, stays in memory; a different value
/// would have to collide with one of them (a chance of about one in 2^62) to be
/// taken for a match, and the service checks every pattern again anyway.
#[derive(Debug)]
struct RecentMatches {
    fingerprints: [Option<u64>; RECENT_MATCHES],
    next: usize,
}

/// How many matched values each pattern remembers.
const RECENT_MATCHES: usize = 4;

impl RecentMatches {
    fn contains(&self, fingerprint: u64) -> bool {
        self.fingerprints.contains(&Some(fingerprint))
    }

    fn remember(&mut self, fingerprint: u64) {
        self.fingerprints[self.next] = Some(fingerprint);
        self.next = (self.next + 1) % RECENT_MATCHES;
    }
}

/// A keyed hash of `value`, with one random key for the whole process.
fn fingerprint(value: &str) -> u64 {
    static KEYS: OnceLock<std::collections::hash_map::RandomState> = OnceLock::new();
    std::hash::BuildHasher::hash_one(KEYS.get_or_init(Default::default), value)
}

#[derive(Debug)]
struct Compiled {
    /// What the value must match.
    required: regex_lite::Regex,
    /// What the value must not match (a leading negative look-ahead).
    forbidden: Option<regex_lite::Regex>,
    /// Whether every value matches (`.*`, used by many members), so that nothing
    /// needs searching or remembering.
    matches_everything: bool,
}

impl Compiled {
    fn new(source: &str, max_chars: Option<u64>) -> Result<Self, String> {
        let translated = translate_ecmascript(source);
        let relaxed = match max_chars {
            Some(max_chars) => relax_repetitions(&translated, max_chars),
            None => translated,
        };
        let source = &without_captures(&relaxed);
        let compile = |text: &str| regex_lite::Regex::new(text).map_err(|error| error.to_string());
        if let Some(after) = source.strip_prefix("^(?!") {
            let close = closing_paren(after).ok_or_else(|| "unbalanced parentheses in the look-ahead".to_owned())?;
            let (lookahead, rest) = (&after[..close], &after[close + 1..]);
            return Ok(Self {
                required: compile(&format!("^{rest}"))?,
                forbidden: Some(compile(&format!("^(?:{lookahead})"))?),
                matches_everything: false,
            });
        }
        let required = compile(source)?;
        // A search for a pattern without anchors or word boundaries that accepts the
        // empty string succeeds on every value (at its start). `^` anywhere, even in
        // a class, counts as an anchor here: the check only needs to be safe.
        let has_assertions = source.contains(['^', '$'])
            || ["\\b", "\\B", "\\A", "\\z"]
                .iter()
                .any(|escape| source.contains(escape));
        let matches_everything = !has_assertions && required.is_match("");
        Ok(Self {
            required,
            forbidden: None,
            matches_everything,
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

/// Rewrites every counted repetition `{m,n}` with `n >= max_chars` as `{m,}`.
///
/// Each repetition that matches anything consumes at least one character, so in a
/// value of at most `max_chars` characters no more than `max_chars` of them can be
/// non-empty; `{m,}` therefore accepts exactly the values `{m,n}` accepts. Braces
/// inside character classes and escaped braces are left alone.
fn relax_repetitions(source: &str, max_chars: u64) -> String {
    rewrite_outside_classes(source, |rest, out| {
        let (min, max, length) = counted_repetition(rest)?;
        (max >= max_chars).then(|| {
            out.push_str(&format!("{{{min},}}"));
            length
        })
    })
}

/// Makes every capturing group non-capturing: `(` becomes `(?:`.
///
/// Validation only asks whether a value matches, which groups do not change, and
/// the matcher keeps two position slots per group for every state of the
/// automaton; without them its working memory is a fraction of the size.
fn without_captures(source: &str) -> String {
    rewrite_outside_classes(source, |rest, out| {
        (rest.starts_with('(') && !rest.starts_with("(?")).then(|| {
            out.push_str("(?:");
            1
        })
    })
}

/// Copies `source`, letting `rewrite` replace syntax outside character classes
/// and escapes. At each such position `rewrite` sees the rest of the pattern; it
/// either writes a replacement to the output and returns how many bytes of the
/// pattern that replaces, or returns `None` to have the character copied.
fn rewrite_outside_classes(source: &str, mut rewrite: impl FnMut(&str, &mut String) -> Option<usize>) -> String {
    let mut out = String::with_capacity(source.len() + 8);
    let mut in_class = false;
    let mut rest = source;
    while let Some(c) = rest.chars().next() {
        if c == '\\' {
            let escaped = rest.chars().nth(1).map_or(1, |next| 1 + next.len_utf8());
            out.push_str(&rest[..escaped]);
            rest = &rest[escaped..];
            continue;
        }
        if in_class {
            in_class = c != ']';
        } else if c == '[' {
            in_class = true;
            // A `]` right after `[` or `[^` is a literal, not the end of the class.
            let opening = if rest.starts_with("[^") { 2 } else { 1 };
            let literal_close = usize::from(rest[opening..].starts_with(']'));
            out.push_str(&rest[..opening + literal_close]);
            rest = &rest[opening + literal_close..];
            continue;
        } else if let Some(length) = rewrite(rest, &mut out) {
            rest = &rest[length..];
            continue;
        }
        out.push(c);
        rest = &rest[c.len_utf8()..];
    }
    out
}

/// `{m,n}` at the start of `text`: its bounds and its length in bytes.
fn counted_repetition(text: &str) -> Option<(u64, u64, usize)> {
    let body = text.strip_prefix('{')?;
    let close = body.find('}')?;
    let (min, max) = body[..close].split_once(',')?;
    let number = |digits: &str| {
        (!digits.is_empty() && digits.bytes().all(|b| b.is_ascii_digit()))
            .then(|| digits.parse::<u64>().ok())
            .flatten()
    };
    Some((number(min)?, number(max)?, close + 2))
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
        Self::with_max_chars(source, None)
    }

    /// A pattern for a member whose `@length` allows at most `max_chars`
    /// characters. Counted repetitions that could match more than that
    /// (`(\w|/|-){1,1011}` in a member of at most 1011 characters) are compiled as
    /// unbounded: for every value of an allowed length the answer is the same, and
    /// the automaton is a few states instead of thousands. A longer value fails its
    /// length check whatever the pattern says.
    pub const fn with_max_chars(source: &'static str, max_chars: Option<u64>) -> Self {
        Self {
            source,
            max_chars,
            compiled: OnceLock::new(),
            recent: Mutex::new(RecentMatches {
                fingerprints: [None; RECENT_MATCHES],
                next: 0,
            }),
        }
    }

    /// The pattern's source text.
    pub fn source(&self) -> &'static str {
        self.source
    }

    /// Whether `value` matches; `Err` carries the compiler's complaint if the
    /// pattern itself is not a regular expression this crate supports.
    pub fn is_match(&self, value: &str) -> Result<bool, &str> {
        Ok(self.compiled()?.is_match(value))
    }

    /// Like [`Pattern::is_match`], but a value that matched recently is recognised
    /// by its fingerprint without searching again (see `RecentMatches`), and a
    /// pattern every value matches is neither searched nor remembered.
    pub fn is_match_remembered(&self, value: &str) -> Result<bool, &str> {
        let compiled = self.compiled()?;
        if compiled.matches_everything {
            return Ok(true);
        }
        let print = fingerprint(value);
        if self.recent().contains(print) {
            return Ok(true);
        }
        let matched = compiled.is_match(value);
        if matched {
            self.recent().remember(print);
        }
        Ok(matched)
    }

    /// The compiled pattern (compiled on first use), or the compiler's complaint.
    fn compiled(&self) -> Result<&Compiled, &str> {
        match self.compiled.get_or_init(|| Compiled::new(self.source, self.max_chars)) {
            Ok(compiled) => Ok(compiled),
            Err(error) => Err(error.as_str()),
        }
    }

    /// The remembered matches (still usable if another thread panicked holding them:
    /// every state of the list is valid).
    fn recent(&self) -> std::sync::MutexGuard<'_, RecentMatches> {
        self.recent.lock().unwrap_or_else(PoisonError::into_inner)
    }

    /// Whether `source` is a pattern this crate can check; the code generator asks
    /// before it emits a check, so generated code never carries one that cannot run.
    pub fn supports(source: &str) -> Result<(), String> {
        Compiled::new(source, None).map(|_| ())
    }
}

/// Checks a `@pattern` constraint. A `@sensitive` value is never echoed.
pub fn check_pattern(out: &mut Vec<Violation>, path: &ValuePath<'_>, value: &str, pattern: &Pattern, sensitive: bool) {
    match pattern.is_match_remembered(value) {
        Ok(true) => {}
        Ok(false) => {
            let shown = if sensitive {
                String::from("the value")
            } else {
                format!("{value:?}")
            };
            out.push(Violation {
                path: path.to_string(),
                message: format!("{shown} does not match the required pattern {}", pattern.source()),
            });
        }
        Err(error) => out.push(Violation {
            path: path.to_string(),
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
            &ValuePath::Text("ServiceName"),
            string_length("ab"),
            Some(4),
            Some(40),
            LengthUnit::Characters,
        );
        check_range(&mut out, &ValuePath::Text("MaxResults"), 0.0, Some(1.0), Some(100.0));
        static NAME: Pattern = Pattern::new("^[A-Za-z0-9][A-Za-z0-9-_]{3,39}$");
        check_pattern(&mut out, &ValuePath::Text("ServiceName"), "-bad", &NAME, false);
        check_pattern(&mut out, &ValuePath::Text("Secret"), "-bad", &NAME, true);
        check_pattern(&mut out, &ValuePath::Text("ServiceName"), "good-name", &NAME, false);
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
        check_pattern(&mut out, &ValuePath::Text("X"), "y", &BAD, false);
        assert!(out[0].message.starts_with("cannot check the pattern ("), "{out:?}");
    }

    #[test]
    fn only_patterns_every_value_matches_skip_the_search() {
        let values = ["", "abc", "line\nbreak", "x y", "ä"];
        for (source, everything) in [
            (".*", true),
            ("(ab)*", true),
            (".+", false),
            ("^.*$", false),
            ("[^x]*", false),
            ("\\b.*", false),
            ("^(?!aws:).*", false),
        ] {
            let pattern = Pattern::new(source);
            assert_eq!(pattern.compiled().unwrap().matches_everything, everything, "{source}");
            for value in values {
                assert_eq!(
                    pattern.is_match_remembered(value),
                    pattern.is_match(value),
                    "{source} on {value:?}"
                );
            }
            if everything {
                assert!(
                    !pattern.recent().contains(fingerprint("abc")),
                    "{source} remembers nothing"
                );
            }
        }
    }

    #[test]
    fn remembered_matches_agree_with_searching() {
        static NAME: Pattern = Pattern::new("^[a-z]{2,5}$");
        let long = "x".repeat(300);
        let values = [
            "abc", "abcdef", "ab", "a", "abc", "xyz", "qrs", "tuv", "wxy", "abc", "ABC", "abcdef", &long,
        ];
        for round in 0..3 {
            for value in values {
                assert_eq!(
                    NAME.is_match_remembered(value),
                    NAME.is_match(value),
                    "{value:?} in round {round}"
                );
            }
        }
        let recent = NAME.recent();
        assert!(recent.contains(fingerprint("wxy")) && recent.contains(fingerprint("abc")));
        assert!(
            !recent.contains(fingerprint("abcdef")) && !recent.contains(fingerprint("ABC")),
            "only matches"
        );
    }

    #[test]
    fn repetitions_beyond_the_length_limit_become_unbounded() {
        assert_eq!(relax_repetitions(r"^a:(\w|\/|-){1,1011}$", 1011), r"^a:(\w|\/|-){1,}$");
        assert_eq!(
            relax_repetitions(r"^[a-z]{0,63}:x{2,2000}$", 1011),
            r"^[a-z]{0,63}:x{2,}$"
        );
        assert_eq!(
            relax_repetitions(r"[{1,9}]\{1,9}", 5),
            r"[{1,9}]\{1,9}",
            "classes and escapes stay"
        );
        assert_eq!(
            relax_repetitions(r"[]{1,9}]{1,9}", 5),
            r"[]{1,9}]{1,}",
            "a leading ] is literal"
        );
        assert_eq!(relax_repetitions(r"[^]x]{3,9}é{1,}", 5), r"[^]x]{3,}é{1,}");
        assert_eq!(
            relax_repetitions(r"a{1,b}{,9}{2}", 1),
            r"a{1,b}{,9}{2}",
            "not counted repetitions"
        );
    }

    #[test]
    fn groups_become_non_capturing_and_answer_the_same() {
        assert_eq!(
            without_captures(r"^(a|b)(?:c)(?!d)[(x)]\(y\)[^]()]$"),
            r"^(?:a|b)(?:c)(?!d)[(x)]\(y\)[^]()]$",
            "only capturing groups outside classes and escapes change"
        );
        let alphabet = ["", "a", "b", "c", "ab", "-", "/", "arn:aws", ":", "x1"];
        for source in [
            r"^arn:aws(-[\w]+)*:(\w|\/|-){1,9}$",
            r"^(ab|c){2,3}$",
            r"((a)|b)+c",
            r"(x\d)?$",
        ] {
            let with_groups = regex_lite::Regex::new(source).unwrap();
            let without = regex_lite::Regex::new(&without_captures(source)).unwrap();
            for first in alphabet {
                for second in alphabet {
                    for third in alphabet {
                        let value = format!("{first}{second}{third}{second}");
                        assert_eq!(
                            without.is_match(&value),
                            with_groups.is_match(&value),
                            "{source} on {value:?}"
                        );
                    }
                }
            }
        }
    }

    #[test]
    fn relaxed_patterns_answer_like_the_originals_within_the_length() {
        let cases: [(&'static str, u64); 3] = [
            (r"^arn:aws(-[\w]+)*:[a-z0-9-\\.]{0,63}:[0-9]{12}:(\w|\/|-){1,40}$", 40),
            (r"^(ab|c){2,8}$", 8),
            (r"x{0,6}y", 6),
        ];
        let alphabet = [
            "",
            "a",
            "b",
            "c",
            "ab",
            "x",
            "y",
            "-",
            "/",
            ":",
            "arn:aws:",
            "123456789012",
            "arn:aws:s3:123456789012:",
        ];
        for (source, max) in cases {
            let original = Compiled::new(source, None).unwrap();
            let relaxed = Compiled::new(source, Some(max)).unwrap();
            for first in alphabet {
                for second in alphabet {
                    for third in alphabet {
                        let value = format!("{first}{second}{third}{third}{second}");
                        if string_length(&value) <= max {
                            assert_eq!(
                                relaxed.is_match(&value),
                                original.is_match(&value),
                                "{source} on {value:?}"
                            );
                        }
                    }
                }
            }
        }
    }

    #[test]
    fn paths_compose() {
        let root = ValuePath::Root;
        let a = member_path(&root, "A");
        assert_eq!(a.to_string(), "A");
        assert_eq!(member_path(&index_path(&a, 2), "B").to_string(), "A[2].B");
        let vars = ValuePath::Text("Vars");
        assert_eq!(key_path(&vars, "K", false).to_string(), "Vars[\"K\"]");
        assert_eq!(key_path(&vars, "K", true).to_string(), "Vars[<redacted key>]");
        assert_eq!(member_path(&ValuePath::Text(""), "A").to_string(), "A");
    }
}
