//! Constraint checking for generated types.
//!
//! Generated `Validate` implementations call the `check_*` functions below for
//! every constrained member and recurse into nested shapes, so one call reports
//! every violation in the input, each with the member path it concerns
//! (`SourceConfiguration.CodeRepository.SourceCodeVersion.Value`).

use std::fmt;

use crate::pattern::Pattern;

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

/// Checks a `@pattern` constraint. A `@sensitive` value is never echoed.
pub fn check_pattern(out: &mut Vec<Violation>, path: &ValuePath<'_>, value: &str, pattern: &Pattern, sensitive: bool) {
    if pattern.is_match(value) {
        return;
    }
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
        let starts_with_ab = crate::pattern::tests::starts_with_ab();
        check_pattern(&mut out, &ValuePath::Text("ServiceName"), "-bad", starts_with_ab, false);
        check_pattern(&mut out, &ValuePath::Text("Secret"), "-bad", starts_with_ab, true);
        check_pattern(&mut out, &ValuePath::Text("ServiceName"), "abc", starts_with_ab, false);
        let messages: Vec<String> = out.iter().map(ToString::to_string).collect();
        assert_eq!(
            messages,
            [
                "ServiceName: has 2 characters; it must have between 4 and 40",
                "MaxResults: is 0; it must be between 1 and 100",
                "ServiceName: \"-bad\" does not match the required pattern ^ab",
                "Secret: the value does not match the required pattern ^ab",
            ]
        );
    }

    #[test]
    fn lengths_count_characters_not_bytes() {
        assert_eq!(string_length("héllo"), 5);
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
