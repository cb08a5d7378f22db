//! Checks an operation's JSON input against the model before anything is sent.
//!
//! Every problem is collected (one run shows them all), each naming its member path in the
//! AWS CLI's form (`SourceConfiguration.CodeRepository.SourceCodeVersion`, `Tags[0]`,
//! `RuntimeEnvironmentVariables["NAME"]`) and worded as the AWS CLI words parameter validation
//! (`Missing required parameter in ...`, `Unknown parameter in ...`, `Invalid type for
//! parameter ...`), followed where we can by what to write instead: the closest member name, the
//! JSON form a map takes, the valid enum values. `@sensitive` values are never echoed.
//!
//! Beyond what botocore checks (required members, unknown members, JSON types, minimum length
//! and range) this also checks maximum lengths and ranges, `@pattern`s and enum membership,
//! which the service would otherwise reject one at a time.

use apprunner_smithy::schema::{Shape, ShapeKind, Type, TypeKind};
use serde_json::{Map, Value};
use std::fmt;

/// Structures where exactly one of a set of members must be given although the model declares
/// them as plain optional members. The App Runner model states "exactly one of CodeRepository
/// and ImageRepository" only in SourceConfiguration's documentation (it is a structure, not a
/// `union`, and no trait expresses the rule), so it is a targeted rule here. Unions in a model
/// get the same check from their kind, without an entry here.
const EXACTLY_ONE_OF: &[(&str, &[&str])] = &[("SourceConfiguration", &["CodeRepository", "ImageRepository"])];

/// One problem with the input.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Problem {
    /// The member path (`input` for the top level).
    pub path: String,
    /// The problem, in the AWS CLI's words.
    pub message: String,
    /// What to write instead, when we can tell.
    pub hint: Option<String>,
}

/// Every problem found in one input.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Report {
    /// The problems, in the order found.
    pub problems: Vec<Problem>,
}

impl fmt::Display for Report {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("Parameter validation failed:")?;
        for problem in &self.problems {
            write!(f, "\n{}", problem.message)?;
            if let Some(hint) = &problem.hint {
                for line in hint.lines() {
                    write!(f, "\n    {line}")?;
                }
            }
        }
        Ok(())
    }
}

/// Checks `value` as the input structure `shape`; `Err` lists every problem.
pub fn validate(shape: &'static Shape, value: &Value) -> Result<(), Report> {
    let mut checker = Checker { problems: Vec::new() };
    checker.structure(shape, value, "input", false);
    if checker.problems.is_empty() {
        Ok(())
    } else {
        Err(Report {
            problems: checker.problems,
        })
    }
}

struct Checker {
    problems: Vec<Problem>,
}

/// Whether `value` has the JSON kind `ty` calls for (its contents aside).
fn matches_kind(ty: &Type, value: &Value) -> bool {
    match &ty.kind {
        TypeKind::Shape(shape) => match shape.kind {
            ShapeKind::Structure(_) | ShapeKind::Union(_) => value.is_object(),
            ShapeKind::Enum(_) => value.is_string(),
            ShapeKind::IntEnum(_) => value.is_i64(),
        },
        TypeKind::List(_) => value.is_array(),
        TypeKind::Map(..) => value.is_object(),
        _ => true,
    }
}

/// Whether `ty` or anything inside it is `@sensitive`.
fn holds_sensitive(ty: &Type, depth: usize) -> bool {
    if ty.sensitive {
        return true;
    }
    if depth > 8 {
        return false;
    }
    match &ty.kind {
        TypeKind::Shape(shape) => shape.sensitive || shape.members().iter().any(|m| holds_sensitive(&m.ty, depth + 1)),
        TypeKind::List(item) => holds_sensitive(item, depth + 1),
        TypeKind::Map(key, item) => holds_sensitive(key, depth + 1) || holds_sensitive(item, depth + 1),
        _ => false,
    }
}

/// How a JSON value is named in messages.
pub fn json_type_name(value: &Value) -> &'static str {
    match value {
        Value::Null => "null",
        Value::Bool(_) => "boolean",
        Value::Number(n) if n.is_i64() || n.is_u64() => "integer",
        Value::Number(_) => "number",
        Value::String(_) => "string",
        Value::Array(_) => "list",
        Value::Object(_) => "object",
    }
}

/// The closest of `candidates` to `word`: equal ignoring case, or within a small edit distance.
pub fn closest<'a>(word: &str, candidates: impl IntoIterator<Item = &'a str>) -> Option<&'a str> {
    let lower = word.to_ascii_lowercase();
    let limit = (word.chars().count() / 3).clamp(1, 3);
    let mut best: Option<(usize, &'a str)> = None;
    for candidate in candidates {
        let distance = if candidate.eq_ignore_ascii_case(word) {
            0
        } else {
            strsim::levenshtein(&lower, &candidate.to_ascii_lowercase())
        };
        if distance <= limit && best.is_none_or(|(d, _)| distance < d) {
            best = Some((distance, candidate));
        }
    }
    best.map(|(_, name)| name)
}

/// A value as shown in a message: compact JSON, shortened, or hidden when sensitive.
fn shown(value: &Value, sensitive: bool) -> String {
    if sensitive {
        return apprunner_smithy::REDACTED.to_owned();
    }
    let text = value.to_string();
    if text.chars().count() > 120 {
        format!("{}...", text.chars().take(117).collect::<String>())
    } else {
        text
    }
}

fn member_path(parent: &str, member: &str) -> String {
    if parent == "input" {
        member.to_owned()
    } else {
        format!("{parent}.{member}")
    }
}

/// The last segment of a path, for messages about the member itself.
fn last_name(path: &str) -> &str {
    path.rsplit('.').next().unwrap_or(path)
}

impl Checker {
    fn push(&mut self, path: &str, message: String, hint: Option<String>) {
        self.problems.push(Problem {
            path: path.to_owned(),
            message,
            hint,
        });
    }

    fn check(&mut self, ty: &Type, value: &Value, path: &str, sensitive: bool) {
        let sensitive = sensitive || ty.sensitive;
        // A value of the wrong type is shown only when nothing the model expects there is
        // sensitive (a list given for a map of secrets holds the secrets).
        if !matches_kind(ty, value) && holds_sensitive(ty, 0) && !sensitive {
            return self.check(ty, value, path, true);
        }
        match &ty.kind {
            TypeKind::Shape(shape) => match shape.kind {
                ShapeKind::Structure(_) | ShapeKind::Union(_) => {
                    self.structure(shape, value, path, sensitive || shape.sensitive)
                }
                ShapeKind::Enum(values) => self.string_enum(ty, values, value, path, sensitive || shape.sensitive),
                ShapeKind::IntEnum(values) => self.int_enum(values, value, path, sensitive),
            },
            TypeKind::List(item) => self.list(ty, item, value, path, sensitive),
            TypeKind::Map(key, item) => self.map(ty, key, item, value, path, sensitive),
            TypeKind::String => {
                if let Some(text) = self.expect_string(value, path, sensitive) {
                    self.string_constraints(ty, text, path, sensitive);
                }
            }
            TypeKind::Boolean => {
                if !value.is_boolean() {
                    let hint = match value.as_str().map(str::to_ascii_lowercase).as_deref() {
                        Some(word @ ("true" | "false")) => Some(format!("Write {word} without quotes.")),
                        _ => Some("Write true or false.".to_owned()),
                    };
                    self.wrong_type(path, value, sensitive, "boolean", hint);
                }
            }
            TypeKind::Byte | TypeKind::Short | TypeKind::Integer | TypeKind::Long | TypeKind::BigInteger => {
                self.integer(ty, value, path, sensitive)
            }
            TypeKind::Float | TypeKind::Double | TypeKind::BigDecimal => match value.as_f64() {
                Some(number) => self.range(ty, number, value, path, sensitive),
                None => {
                    let hint = value
                        .as_str()
                        .filter(|s| s.trim().parse::<f64>().is_ok())
                        .map(|s| format!("Write {} without quotes.", s.trim()));
                    self.wrong_type(path, value, sensitive, "number", hint)
                }
            },
            TypeKind::Timestamp(_) => {
                let fine = value.is_number()
                    || value
                        .as_str()
                        .is_some_and(|s| crate::input::timestamp_to_epoch(s).is_some());
                if !fine {
                    self.wrong_type(
                        path,
                        value,
                        sensitive,
                        "timestamp",
                        Some(
                            "Give an ISO 8601 timestamp such as \"2024-05-01T12:00:00Z\", or seconds since the epoch."
                                .to_owned(),
                        ),
                    );
                }
            }
            TypeKind::Blob => {
                if !value.is_string() {
                    self.wrong_type(path, value, sensitive, "string (base64)", None);
                }
            }
            TypeKind::Document => {}
            TypeKind::Unit => {
                if !value.as_object().is_some_and(Map::is_empty) {
                    self.wrong_type(path, value, sensitive, "empty structure ({})", None);
                }
            }
        }
    }

    fn wrong_type(&mut self, path: &str, value: &Value, sensitive: bool, expected: &str, hint: Option<String>) {
        let message = format!(
            "Invalid type for parameter {path}, value: {}, type: {}, valid types: {expected}",
            shown(value, sensitive),
            json_type_name(value)
        );
        self.push(path, message, hint);
    }

    fn structure(&mut self, shape: &'static Shape, value: &Value, path: &str, sensitive: bool) {
        let Value::Object(object) = value else {
            let hint = match value {
                Value::Array(_) => Some(format!(
                    "{} takes one structure ({{...}}), not a list.",
                    last_name(path)
                )),
                Value::String(text) if !text.contains('=') => Some(format!(
                    "{} is a structure: give it as JSON ({{\"Member\": ...}}) or shorthand (Member=value,...).",
                    last_name(path)
                )),
                _ => None,
            };
            self.wrong_type(path, value, sensitive, "structure (JSON object)", hint);
            return;
        };
        let members = shape.members();
        for member in members {
            let given = object.get(member.name).filter(|v| !v.is_null());
            match given {
                Some(value) => self.check(&member.ty, value, &member_path(path, member.name), sensitive),
                None if member.required => {
                    let message = format!("Missing required parameter in {path}: \"{}\"", member.name);
                    let hint = (path == "input").then(|| format!("Give it with --{}.", member.cli_name));
                    self.push(path, message, hint);
                }
                None => {}
            }
        }
        for key in object.keys() {
            if shape.member(key).is_none() {
                self.unknown_member(shape, key, path);
            }
        }
        let set: Vec<&str> = members
            .iter()
            .filter(|m| object.get(m.name).is_some_and(|v| !v.is_null()))
            .map(|m| m.name)
            .collect();
        if let ShapeKind::Union(_) = shape.kind
            && set.len() != 1
        {
            let names: Vec<&str> = members.iter().map(|m| m.name).collect();
            self.push(
                path,
                format!(
                    "Invalid number of parameters set for tagged union structure {path}. Can only set one of the \
                     following keys: {}.",
                    names.join(", ")
                ),
                None,
            );
        }
        for (shape_name, choices) in EXACTLY_ONE_OF {
            if *shape_name != shape.name {
                continue;
            }
            let given: Vec<&str> = choices.iter().copied().filter(|c| set.contains(c)).collect();
            let quoted: Vec<String> = choices.iter().map(|c| format!("\"{c}\"")).collect();
            match given.len() {
                0 => self.push(
                    path,
                    format!("Missing required parameter in {path}: one of {}", quoted.join(" or ")),
                    Some(format!("Give exactly one of {}.", choices.join(", "))),
                ),
                1 => {}
                _ => self.push(
                    path,
                    format!(
                        "Invalid parameter combination in {path}: {} cannot be given together",
                        quoted.join(" and ")
                    ),
                    Some(format!(
                        "Give exactly one of {}; remove the others.",
                        choices.join(", ")
                    )),
                ),
            }
        }
    }

    fn unknown_member(&mut self, shape: &'static Shape, key: &str, path: &str) {
        let names: Vec<&str> = shape.members().iter().map(|m| m.name).collect();
        let message = format!(
            "Unknown parameter in {path}: \"{key}\", must be one of: {}",
            names.join(", ")
        );
        let hint = if let Some(close) = closest(key, names.iter().copied()) {
            if close.eq_ignore_ascii_case(key) {
                Some(format!("Did you mean \"{close}\"? Member names are case-sensitive."))
            } else {
                Some(format!("Did you mean \"{close}\"?"))
            }
        } else {
            // A member of a nested structure, written one level too high?
            shape
                .members()
                .iter()
                .find_map(|m| match m.ty.kind {
                    TypeKind::Shape(inner) if inner.member(key).is_some() => Some(m.name),
                    _ => None,
                })
                .map(|parent| format!("\"{key}\" belongs inside {}.", member_path(path, parent)))
        };
        self.push(path, message, hint);
    }

    fn list(&mut self, ty: &Type, item: &Type, value: &Value, path: &str, sensitive: bool) {
        let Value::Array(items) = value else {
            let hint = value
                .is_object()
                .then(|| format!("{} is a list: wrap the value in [ ].", last_name(path)));
            self.wrong_type(path, value, sensitive, "list (JSON array)", hint);
            return;
        };
        self.length(ty, items.len() as u64, "items", path);
        for (index, element) in items.iter().enumerate() {
            self.check(item, element, &format!("{path}[{index}]"), sensitive);
        }
    }

    fn map(&mut self, ty: &Type, key_ty: &Type, item: &Type, value: &Value, path: &str, sensitive: bool) {
        let Value::Object(entries) = value else {
            let hint = map_hint(value, path, sensitive || key_ty.sensitive || item.sensitive);
            self.wrong_type(path, value, sensitive, "map (JSON object)", Some(hint));
            return;
        };
        self.length(ty, entries.len() as u64, "entries", path);
        let key_sensitive = sensitive || key_ty.sensitive;
        for (key, element) in entries {
            let entry_path = if key_sensitive {
                format!("{path}[<sensitive key>]")
            } else {
                format!("{path}[{key:?}]")
            };
            self.string_constraints(key_ty, key, &format!("{entry_path} (key)"), key_sensitive);
            self.check(item, element, &entry_path, sensitive);
        }
    }

    fn expect_string<'v>(&mut self, value: &'v Value, path: &str, sensitive: bool) -> Option<&'v str> {
        if let Value::String(text) = value {
            return Some(text);
        }
        let hint = match value {
            Value::Number(n) => Some(format!("Write \"{n}\" in quotes: {} is a string.", last_name(path))),
            Value::Bool(b) => Some(format!("Write \"{b}\" in quotes: {} is a string.", last_name(path))),
            Value::Array(_) => Some(
                "A comma in a shorthand value starts a list; quote a value that contains commas: Name=\"a,b\"."
                    .to_owned(),
            ),
            _ => None,
        };
        self.wrong_type(path, value, sensitive, "string", hint);
        None
    }

    fn string_constraints(&mut self, ty: &Type, text: &str, path: &str, sensitive: bool) {
        self.length(ty, text.chars().count() as u64, "characters", path);
        if let Some(pattern) = ty.pattern
            && !pattern.is_match(text)
        {
            let message = format!(
                "Invalid value for parameter {path}, value: {}, must match pattern: {}",
                shown(&Value::String(text.to_owned()), sensitive),
                pattern.source()
            );
            self.push(path, message, None);
        }
    }

    fn length(&mut self, ty: &Type, count: u64, unit: &str, path: &str) {
        let Some((min, max)) = ty.length else { return };
        let too_short = min.is_some_and(|min| count < min);
        let too_long = max.is_some_and(|max| count > max);
        if !too_short && !too_long {
            return;
        }
        let valid = match (min, max) {
            (Some(min), Some(max)) => format!("valid length: {min} to {max} {unit}"),
            (Some(min), None) => format!("valid min length: {min} {unit}"),
            (None, Some(max)) => format!("valid max length: {max} {unit}"),
            (None, None) => return,
        };
        self.push(
            path,
            format!("Invalid length for parameter {path}, value: {count} {unit}, {valid}"),
            None,
        );
    }

    fn range(&mut self, ty: &Type, number: f64, value: &Value, path: &str, sensitive: bool) {
        let Some((min, max)) = ty.range else { return };
        if min.is_some_and(|min| number < min) || max.is_some_and(|max| number > max) {
            let bound = |b: Option<f64>| b.map_or_else(|| "any".to_owned(), |b| b.to_string());
            self.push(
                path,
                format!(
                    "Invalid range for parameter {path}, value: {}, valid range: {} to {}",
                    shown(value, sensitive),
                    bound(min),
                    bound(max)
                ),
                None,
            );
        }
    }

    fn integer(&mut self, ty: &Type, value: &Value, path: &str, sensitive: bool) {
        let Some(number) = value.as_i64() else {
            let hint = match value {
                Value::String(s) if s.trim().parse::<i64>().is_ok() => {
                    Some(format!("Write {} without quotes.", s.trim()))
                }
                Value::Number(_) => Some("Give a whole number.".to_owned()),
                _ => None,
            };
            self.wrong_type(path, value, sensitive, "integer", hint);
            return;
        };
        let (low, high) = match ty.kind {
            TypeKind::Byte => (i64::from(i8::MIN), i64::from(i8::MAX)),
            TypeKind::Short => (i64::from(i16::MIN), i64::from(i16::MAX)),
            TypeKind::Integer => (i64::from(i32::MIN), i64::from(i32::MAX)),
            _ => (i64::MIN, i64::MAX),
        };
        if number < low || number > high {
            self.push(
                path,
                format!("Invalid range for parameter {path}, value: {number}, valid range: {low} to {high}"),
                None,
            );
            return;
        }
        self.range(ty, number as f64, value, path, sensitive);
    }

    fn string_enum(&mut self, ty: &Type, values: &[&str], value: &Value, path: &str, sensitive: bool) {
        let Some(text) = self.expect_string(value, path, sensitive) else {
            return;
        };
        if values.contains(&text) {
            self.string_constraints(ty, text, path, sensitive);
            return;
        }
        let hint = closest(text, values.iter().copied()).map(|close| format!("Did you mean \"{close}\"?"));
        self.push(
            path,
            format!(
                "Invalid value for parameter {path}, value: {}, valid values: {}",
                shown(value, sensitive),
                values.join(", ")
            ),
            hint,
        );
    }

    fn int_enum(&mut self, values: &[i32], value: &Value, path: &str, sensitive: bool) {
        let known = value
            .as_i64()
            .is_some_and(|n| values.iter().any(|v| i64::from(*v) == n));
        if !known {
            let list: Vec<String> = values.iter().map(i32::to_string).collect();
            self.push(
                path,
                format!(
                    "Invalid value for parameter {path}, value: {}, valid values: {}",
                    shown(value, sensitive),
                    list.join(", ")
                ),
                None,
            );
        }
    }
}

/// What to write for a map given in another form (most often, a list of name/value objects).
fn map_hint(value: &Value, path: &str, sensitive: bool) -> String {
    let name = last_name(path);
    let general = format!(
        "{name} is a map: write a JSON object from each name to its value, {{\"NAME\": \"value\", ...}}, not a list \
         of objects (in shorthand: NAME=value,OTHER=value)."
    );
    let Value::Array(items) = value else {
        return format!(
            "{name} is a map: write a JSON object from each name to its value, {{\"NAME\": \"value\", ...}}."
        );
    };
    if sensitive {
        return format!("{general} (The values are not repeated here: the model marks them sensitive.)");
    }
    match list_to_map(items) {
        Some(map) => format!("{general}\nHere: {}", Value::Object(map)),
        None => general,
    }
}

/// `[{"Name": "A", "Value": "1"}]` or `[{"A": "1"}]` as `{"A": "1"}`, when the list has either form.
fn list_to_map(items: &[Value]) -> Option<Map<String, Value>> {
    let mut out = Map::new();
    for item in items {
        let object = item.as_object()?;
        let field = |names: &[&str]| {
            object
                .iter()
                .find(|(k, _)| names.iter().any(|n| k.eq_ignore_ascii_case(n)))
                .map(|(_, v)| v)
        };
        if object.len() == 2
            && let (Some(Value::String(name)), Some(value)) = (field(&["Name", "Key"]), field(&["Value"]))
        {
            out.insert(name.clone(), value.clone());
        } else if object.len() == 1 {
            let (name, value) = object.iter().next()?;
            out.insert(name.clone(), value.clone());
        } else {
            return None;
        }
    }
    Some(out)
}

#[cfg(test)]
mod tests {
    use super::*;
    use apprunner_types::schema::SERVICE;
    use serde_json::json;

    fn problems(input: Value) -> Vec<Problem> {
        let op = SERVICE.operation("create-service").unwrap();
        validate(op.input, &input).err().map(|r| r.problems).unwrap_or_default()
    }

    fn image_source() -> Value {
        json!({"ImageRepository": {
            "ImageIdentifier": "public.ecr.aws/aws-containers/hello-app-runner:latest",
            "ImageRepositoryType": "ECR_PUBLIC"}})
    }

    #[test]
    fn a_valid_input_passes() {
        assert_eq!(
            problems(json!({"ServiceName": "hello-app", "SourceConfiguration": image_source()})),
            vec![]
        );
    }

    #[test]
    fn unknown_member_suggests_the_right_case() {
        let found = problems(json!({
            "ServiceName": "hello-app", "SourceConfiguration": image_source(),
            "InstanceConfiguration": {"CPU": "1 vCPU"}}));
        assert_eq!(found.len(), 1, "{found:?}");
        assert_eq!(
            found[0].message,
            "Unknown parameter in InstanceConfiguration: \"CPU\", must be one of: Cpu, Memory, InstanceRoleArn"
        );
        assert_eq!(
            found[0].hint.as_deref(),
            Some("Did you mean \"Cpu\"? Member names are case-sensitive.")
        );
    }

    #[test]
    fn env_vars_as_a_list() {
        let mut source = image_source();
        source["ImageRepository"]["ImageConfiguration"] = json!({"RuntimeEnvironmentVariables": [{"NAME": "Jane"}]});
        let found = problems(json!({"ServiceName": "hello-app", "SourceConfiguration": source}));
        assert_eq!(found.len(), 1, "{found:?}");
        assert!(found[0].message.starts_with(
            "Invalid type for parameter SourceConfiguration.ImageRepository.ImageConfiguration.RuntimeEnvironmentVariables, value: *** Sensitive Data Redacted ***, type: list, valid types: map"
        ), "{}", found[0].message);
        assert!(found[0].hint.as_deref().unwrap().contains("{\"NAME\": \"value\", ...}"));
    }

    #[test]
    fn everything_at_once() {
        let found = problems(json!({
            "ServiceName": "x",
            "SourceConfiguration": {},
            "HealthCheckConfiguration": {"Protocol": "tcp", "Interval": 0, "Timeout": "5"},
            "Tags": [{"Key": "aws:reserved", "Value": "v"}],
        }));
        let messages: Vec<&str> = found.iter().map(|p| p.message.as_str()).collect();
        let expected = [
            "Invalid value for parameter HealthCheckConfiguration.Protocol, value: \"tcp\", valid values: TCP, HTTP",
            "Invalid range for parameter HealthCheckConfiguration.Interval, value: 0, valid range: 1 to 20",
            "Invalid type for parameter HealthCheckConfiguration.Timeout, value: \"5\", type: string, valid types: integer",
            "Invalid length for parameter ServiceName, value: 1 characters, valid length: 4 to 40 characters",
            "Invalid value for parameter ServiceName, value: \"x\", must match pattern: ^[A-Za-z0-9][A-Za-z0-9-_]{3,39}$",
            "Missing required parameter in SourceConfiguration: one of \"CodeRepository\" or \"ImageRepository\"",
            "Invalid value for parameter Tags[0].Key, value: \"aws:reserved\", must match pattern: ^(?!aws:).+$",
        ];
        for line in expected {
            assert!(messages.contains(&line), "missing {line:?} in {messages:#?}");
        }
        assert_eq!(found.len(), expected.len(), "{messages:#?}");
    }

    #[test]
    fn both_repositories() {
        let mut source = image_source();
        source["CodeRepository"] = json!({"RepositoryUrl": "https://github.com/a/b",
            "SourceCodeVersion": {"Type": "BRANCH", "Value": "main"}});
        let found = problems(json!({"ServiceName": "hello-app", "SourceConfiguration": source}));
        assert_eq!(found.len(), 1, "{found:?}");
        assert!(found[0].message.contains("cannot be given together"));
    }

    #[test]
    fn missing_required_at_the_top_names_the_option() {
        let found = problems(json!({}));
        assert_eq!(found[0].message, "Missing required parameter in input: \"ServiceName\"");
        assert_eq!(found[0].hint.as_deref(), Some("Give it with --service-name."));
    }

    #[test]
    fn closeness() {
        assert_eq!(closest("CPU", ["Cpu", "Memory"]), Some("Cpu"));
        assert_eq!(closest("Memroy", ["Cpu", "Memory"]), Some("Memory"));
        assert_eq!(closest("Zebra", ["Cpu", "Memory"]), None);
    }

    #[test]
    fn list_to_map_forms() {
        let named = list_to_map(&[json!({"Name": "A", "Value": "1"})]).unwrap();
        assert_eq!(Value::Object(named), json!({"A": "1"}));
        let single = list_to_map(&[json!({"A": "1"}), json!({"B": "2"})]).unwrap();
        assert_eq!(Value::Object(single), json!({"A": "1", "B": "2"}));
        assert!(list_to_map(&[json!("x")]).is_none());
    }
}
