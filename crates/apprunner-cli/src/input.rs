//! The operation's JSON input, from `--cli-input-json`/`--cli-input-yaml` and the options.
//!
//! As in the AWS CLI: the input file's members come first, and each member given as an option
//! replaces the file's member of the same name entirely (no deep merge). Values are read by the
//! member's type in the model:
//!
//! - structures and maps: JSON when the text starts with `{`, the shorthand syntax otherwise;
//! - lists: JSON when the only value starts with `[`; otherwise each value is one item
//!   (JSON `{...}` or shorthand for structures, the scalar itself for scalars);
//! - integers, floats, booleans: the text read as one (an error when it is not);
//! - timestamps: ISO 8601 (`2024-05-01`, `2024-05-01T12:00:00Z`, with an offset) or seconds
//!   since the epoch, sent as epoch seconds;
//! - any value may be `file://path` (the file's text) or `fileb://path` (its bytes: base64 for
//!   blob members, UTF-8 text otherwise).
//!
//! Nothing here checks the model's constraints: that is `validate`, which reports every problem
//! at once.

use crate::args::{OperationArgs, ParamArg, RawValue};
use crate::errors::CliError;
use crate::shorthand;
use apprunner_smithy::schema::{Shape, ShapeKind, Type, TypeKind};
use apprunner_smithy::{DateTime, TimestampFormat};
use serde_json::{Map, Value};

/// Builds the operation's input from the input file (if any) and the options.
///
/// Every option that cannot be read is reported, not only the first.
pub fn build_input(args: &OperationArgs) -> Result<Value, CliError> {
    let mut input = match (&args.cli_input_json, &args.cli_input_yaml) {
        (Some(_), Some(_)) => {
            return Err(CliError::invalid(
                "Cannot specify both --cli-input-json and --cli-input-yaml; give the input in one of them.",
            ));
        }
        (Some(json), None) => read_cli_input("--cli-input-json", json, Format::Json)?,
        (None, Some(yaml)) => read_cli_input("--cli-input-yaml", yaml, Format::Yaml)?,
        (None, None) => Map::new(),
    };
    normalize_timestamps_in_object(&mut input, args.operation.input);

    let mut errors: Vec<String> = Vec::new();
    for param in &args.params {
        match param_value(param) {
            Ok(value) => {
                input.insert(param.member.name.to_owned(), value);
            }
            Err(error) => errors.push(error.message),
        }
    }
    if errors.is_empty() {
        Ok(Value::Object(input))
    } else {
        Err(CliError::invalid(errors.join("\n")))
    }
}

#[derive(Clone, Copy)]
enum Format {
    Json,
    Yaml,
}

fn read_cli_input(option: &str, value: &str, format: Format) -> Result<Map<String, Value>, CliError> {
    let text = match load_param_file(option, value)? {
        Some(Loaded::Text(text)) => text,
        Some(Loaded::Bytes(_)) => {
            return Err(CliError::param(option, "the file is not UTF-8 text"));
        }
        None => value.to_owned(),
    };
    let parsed: Value = match format {
        Format::Json => serde_json::from_str(&text).map_err(|error| {
            CliError::param(
                option,
                format!("Invalid JSON received: {error}\nJSON received: {}", excerpt(&text)),
            )
        })?,
        Format::Yaml => {
            if text.trim().is_empty() {
                Value::Object(Map::new())
            } else {
                serde_norway::from_str(&text).map_err(|error| {
                    CliError::param(
                        option,
                        format!("Invalid YAML received: {error}\nYAML received: {}", excerpt(&text)),
                    )
                })?
            }
        }
    };
    match parsed {
        Value::Object(map) => Ok(map),
        Value::Null => Ok(Map::new()),
        other => Err(CliError::param(
            option,
            format!(
                "the input must be a {} object with the operation's members (see --generate-cli-skeleton), not {}",
                match format {
                    Format::Json => "JSON",
                    Format::Yaml => "YAML mapping, a",
                },
                crate::validate::json_type_name(&other)
            ),
        )),
    }
}

fn excerpt(text: &str) -> String {
    const LIMIT: usize = 400;
    if text.chars().count() <= LIMIT {
        text.to_owned()
    } else {
        format!("{}...", text.chars().take(LIMIT).collect::<String>())
    }
}

/// The contents of a `file://` or `fileb://` value.
enum Loaded {
    Text(String),
    Bytes(Vec<u8>),
}

/// Reads `file://path` (as text) or `fileb://path` (as bytes); `None` for any other value.
fn load_param_file(option: &str, value: &str) -> Result<Option<Loaded>, CliError> {
    let (path, binary) = if let Some(path) = value.strip_prefix("fileb://") {
        (path, true)
    } else if let Some(path) = value.strip_prefix("file://") {
        (path, false)
    } else {
        return Ok(None);
    };
    let expanded = expand_home(path);
    let bytes = std::fs::read(&expanded).map_err(|error| {
        CliError::param(
            option,
            format!("Unable to load paramfile {value}: {}", describe_io(&error, &expanded)),
        )
    })?;
    if binary {
        return Ok(Some(Loaded::Bytes(bytes)));
    }
    match String::from_utf8(bytes) {
        Ok(text) => Ok(Some(Loaded::Text(text))),
        Err(_) => Err(CliError::param(
            option,
            format!("Unable to load paramfile {value}: the file is not UTF-8 text (use fileb:// for binary data)"),
        )),
    }
}

fn describe_io(error: &std::io::Error, path: &str) -> String {
    match error.kind() {
        std::io::ErrorKind::NotFound => format!("No such file or directory: '{path}'"),
        std::io::ErrorKind::PermissionDenied => format!("Permission denied: '{path}'"),
        _ => format!("{error}: '{path}'"),
    }
}

/// `~/x` relative to the home directory, as the AWS CLI expands it.
fn expand_home(path: &str) -> String {
    if let Some(rest) = path.strip_prefix("~/")
        && let Some(home) = std::env::var_os("HOME").or_else(|| std::env::var_os("USERPROFILE"))
    {
        return format!("{}/{rest}", home.to_string_lossy());
    }
    path.to_owned()
}

/// The JSON value of one option.
fn param_value(param: &ParamArg) -> Result<Value, CliError> {
    let ty = &param.member.ty;
    match &param.value {
        RawValue::Flag(set) => Ok(Value::Bool(*set)),
        RawValue::Text(text) => single_value(&param.option, ty, text),
        RawValue::Items(items) => list_value(&param.option, ty, items),
    }
}

fn single_value(option: &str, ty: &Type, raw: &str) -> Result<Value, CliError> {
    let text = match load_param_file(option, raw)? {
        None => raw.to_owned(),
        Some(Loaded::Text(text)) => text,
        Some(Loaded::Bytes(bytes)) => {
            if matches!(ty.kind, TypeKind::Blob) {
                return Ok(Value::String(apprunner_smithy::Blob::new(bytes).to_base64()));
            }
            String::from_utf8(bytes).map_err(|_| CliError::param(option, format!("{raw} is not UTF-8 text")))?
        }
    };
    match &ty.kind {
        TypeKind::Shape(shape) if is_aggregate(shape) => complex_value(option, ty, &text, '{'),
        TypeKind::Map(..) | TypeKind::Unit => complex_value(option, ty, &text, '{'),
        TypeKind::List(_) => list_value(option, ty, &[text]),
        TypeKind::Document => Ok(serde_json::from_str(&text).unwrap_or(Value::String(text))),
        _ => scalar_value(option, ty, &text),
    }
}

fn is_aggregate(shape: &Shape) -> bool {
    matches!(shape.kind, ShapeKind::Structure(_) | ShapeKind::Union(_))
}

/// A structure or map (or a JSON list): JSON when it starts with `open`, shorthand otherwise.
fn complex_value(option: &str, ty: &Type, text: &str, open: char) -> Result<Value, CliError> {
    if text.trim_start().starts_with(open) {
        let mut value: Value = serde_json::from_str(text).map_err(|error| {
            CliError::param(
                option,
                format!("Invalid JSON: {error}\nJSON received: {}", excerpt(text)),
            )
        })?;
        normalize_timestamps(&mut value, ty);
        return Ok(value);
    }
    let node = shorthand::parse(text).map_err(|error| CliError::param(option, error))?;
    Ok(shorthand::to_json(&node, ty))
}

fn list_value(option: &str, ty: &Type, raw_items: &[String]) -> Result<Value, CliError> {
    let TypeKind::List(item_ty) = &ty.kind else {
        unreachable!("list_value is called for list members only")
    };
    let mut items = Vec::with_capacity(raw_items.len());
    for raw in raw_items {
        items.push(match load_param_file(option, raw)? {
            None => raw.clone(),
            Some(Loaded::Text(text)) => text,
            Some(Loaded::Bytes(bytes)) => {
                String::from_utf8(bytes).map_err(|_| CliError::param(option, format!("{raw} is not UTF-8 text")))?
            }
        });
    }
    if let [only] = items.as_slice()
        && only.trim_start().starts_with('[')
    {
        return complex_value(option, ty, only, '[');
    }
    let complex_items = match &item_ty.kind {
        TypeKind::Shape(shape) => is_aggregate(shape),
        TypeKind::Map(..) | TypeKind::List(_) | TypeKind::Document => true,
        _ => false,
    };
    let mut out = Vec::with_capacity(items.len());
    for item in &items {
        out.push(if complex_items {
            complex_value(option, item_ty, item, '{')?
        } else {
            scalar_value(option, item_ty, item)?
        });
    }
    Ok(Value::Array(out))
}

/// A scalar option value, read as its type; errors name what was expected.
fn scalar_value(option: &str, ty: &Type, text: &str) -> Result<Value, CliError> {
    let trimmed = text.trim();
    let bad = |expected: &str| CliError::param(option, format!("invalid value '{text}': expected {expected}"));
    match &ty.kind {
        TypeKind::Byte | TypeKind::Short | TypeKind::Integer | TypeKind::Long | TypeKind::BigInteger => trimmed
            .parse::<i64>()
            .map(Value::from)
            .map_err(|_| bad("a whole number, such as 5")),
        TypeKind::Float | TypeKind::Double | TypeKind::BigDecimal => trimmed
            .parse::<f64>()
            .ok()
            .and_then(serde_json::Number::from_f64)
            .map(Value::Number)
            .ok_or_else(|| bad("a number, such as 1.5")),
        TypeKind::Boolean => match trimmed.to_ascii_lowercase().as_str() {
            "true" => Ok(Value::Bool(true)),
            "false" => Ok(Value::Bool(false)),
            _ => Err(bad("true or false")),
        },
        TypeKind::Timestamp(_) => timestamp_to_epoch(trimmed).ok_or_else(|| {
            bad("a timestamp: ISO 8601 such as 2024-05-01T12:00:00Z (or 2024-05-01), or seconds since the epoch")
        }),
        _ => Ok(Value::String(text.to_owned())),
    }
}

/// An ISO 8601 timestamp or epoch seconds, as epoch seconds (a JSON number); `None` if the
/// text is neither. A date alone is midnight UTC; a time without an offset is UTC.
pub fn timestamp_to_epoch(text: &str) -> Option<Value> {
    let text = text.trim();
    if let Ok(seconds) = text.parse::<i64>() {
        return Some(Value::from(seconds));
    }
    if let Ok(seconds) = text.parse::<f64>() {
        return serde_json::Number::from_f64(seconds).map(Value::Number);
    }
    let mut candidate = text.replacen(' ', "T", 1);
    if candidate.len() == 10 {
        candidate.push_str("T00:00:00Z");
    } else if !has_offset(&candidate) {
        candidate.push('Z');
    }
    let parsed = DateTime::parse(&candidate, TimestampFormat::DateTime).ok()?;
    Some(epoch_value(parsed))
}

fn has_offset(text: &str) -> bool {
    let Some((_, time)) = text.split_once('T') else {
        return false;
    };
    time.ends_with(['Z', 'z']) || time.contains('+') || time.contains('-')
}

fn epoch_value(time: DateTime) -> Value {
    if time.subsec_nanos() == 0 {
        Value::from(time.secs())
    } else {
        serde_json::Number::from_f64(time.as_secs_f64()).map_or(Value::from(time.secs()), Value::Number)
    }
}

/// Turns timestamp strings (ISO 8601 or epoch text) into epoch seconds wherever the schema has
/// a timestamp, as the AWS CLI accepts both forms in JSON input.
pub fn normalize_timestamps(value: &mut Value, ty: &Type) {
    match (&ty.kind, value) {
        (TypeKind::Timestamp(_), value @ Value::String(_)) => {
            if let Some(epoch) = value.as_str().and_then(timestamp_to_epoch) {
                *value = epoch;
            }
        }
        (TypeKind::Shape(shape), Value::Object(map)) => normalize_timestamps_in_object(map, shape),
        (TypeKind::List(item), Value::Array(items)) => {
            for value in items {
                normalize_timestamps(value, item);
            }
        }
        (TypeKind::Map(_, item), Value::Object(map)) => {
            for value in map.values_mut() {
                normalize_timestamps(value, item);
            }
        }
        _ => {}
    }
}

fn normalize_timestamps_in_object(map: &mut Map<String, Value>, shape: &Shape) {
    for (key, value) in map.iter_mut() {
        if let Some(member) = shape.member(key) {
            normalize_timestamps(value, &member.ty);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use apprunner_smithy::schema::Type;
    use serde_json::json;

    fn ty(kind: TypeKind) -> Type {
        Type {
            kind,
            length: None,
            pattern: None,
            range: None,
            sensitive: false,
        }
    }

    #[test]
    fn timestamps() {
        assert_eq!(timestamp_to_epoch("1606502400"), Some(json!(1606502400)));
        assert_eq!(timestamp_to_epoch("2020-11-27T18:40:00Z"), Some(json!(1606502400)));
        assert_eq!(timestamp_to_epoch("2020-11-27 18:40:00"), Some(json!(1606502400)));
        assert_eq!(timestamp_to_epoch("2020-11-27T19:40:00+01:00"), Some(json!(1606502400)));
        assert_eq!(timestamp_to_epoch("2020-11-27"), Some(json!(1606435200)));
        assert_eq!(timestamp_to_epoch("2020-11-27T18:40:00.5Z"), Some(json!(1606502400.5)));
        assert_eq!(timestamp_to_epoch("yesterday"), None);
    }

    #[test]
    fn scalars() {
        assert_eq!(scalar_value("--n", &ty(TypeKind::Integer), " 5 ").unwrap(), json!(5));
        assert!(scalar_value("--n", &ty(TypeKind::Integer), "five").is_err());
        assert_eq!(
            scalar_value("--b", &ty(TypeKind::Boolean), "TRUE").unwrap(),
            json!(true)
        );
        assert_eq!(scalar_value("--s", &ty(TypeKind::String), " x ").unwrap(), json!(" x "));
        let error = scalar_value("--t", &ty(TypeKind::Timestamp(TimestampFormat::EpochSeconds)), "soon").unwrap_err();
        assert!(
            error
                .message
                .starts_with("Error parsing parameter '--t': invalid value 'soon'")
        );
    }

    #[test]
    fn missing_files_are_reported() {
        let error = load_param_file("--x", "file:///no/such/file.json").err().unwrap();
        assert_eq!(
            error.message,
            "Error parsing parameter '--x': Unable to load paramfile file:///no/such/file.json: No such file or \
             directory: '/no/such/file.json'"
        );
    }
}
