//! `--generate-cli-skeleton`: sample inputs and outputs derived from the model.
//!
//! The placeholders are the AWS CLI's: `""` for strings, `0` for integers, `0.0` for floats,
//! `true` for booleans, `"1970-01-01T00:00:00"` for timestamps, lists of one item and maps with
//! one `"KeyName"` entry; a structure met again inside itself is `{}`. For enums the AWS CLI
//! (v1 and v2 alike) prints one of the valid values picked at random; we print the first, so
//! the output is stable and still a valid input. The help page's JSON syntax, not the
//! skeleton, is where the AWS CLI joins enum values with `|` (`"ECR"|"ECR_PUBLIC"`), which would
//! not be valid JSON in a skeleton.
//!
//! `yaml-input` is AWS CLI v2's commented YAML: each member followed by `# [REQUIRED]` when
//! required, the first sentence of its documentation and, for enums, the valid values.
//!
//! Members come in the order of the model's static data (sorted by name; the generator does
//! not keep the model file's order).

use apprunner_smithy::schema::{Shape, ShapeKind, Type, TypeKind};
use serde_json::{Map, Value};
use std::fmt::Write as _;

/// The JSON input skeleton, formatted as the AWS CLI prints it (4-space indentation).
pub fn input_json(shape: &'static Shape) -> String {
    let value = structure(shape, &mut Vec::new(), Placeholders::Input);
    let mut out = Vec::new();
    let formatter = serde_json::ser::PrettyFormatter::with_indent(b"    ");
    let mut serializer = serde_json::Serializer::with_formatter(&mut out, formatter);
    serde::Serialize::serialize(&value, &mut serializer).expect("a JSON value always serializes");
    let mut text = String::from_utf8(out).expect("serde_json writes UTF-8");
    text.push('\n');
    text
}

/// A sample output in the wire form (timestamps as epoch seconds), with each string set to
/// its member's name, as `--generate-cli-skeleton output` shows it.
pub fn output_value(shape: &'static Shape) -> Value {
    structure(shape, &mut Vec::new(), Placeholders::Output)
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum Placeholders {
    /// Input placeholders (`""`, `0`, the first enum value, ISO timestamps).
    Input,
    /// Output placeholders (member names for strings, epoch 0 for timestamps).
    Output,
}

fn structure(shape: &'static Shape, stack: &mut Vec<&'static str>, mode: Placeholders) -> Value {
    if stack.contains(&shape.name) {
        return Value::Object(Map::new());
    }
    stack.push(shape.name);
    let mut out = Map::new();
    for member in shape.members() {
        out.insert(
            member.name.to_owned(),
            placeholder(&member.ty, member.name, stack, mode),
        );
    }
    stack.pop();
    Value::Object(out)
}

fn placeholder(ty: &Type, name: &str, stack: &mut Vec<&'static str>, mode: Placeholders) -> Value {
    match &ty.kind {
        TypeKind::Shape(shape) => match shape.kind {
            ShapeKind::Structure(_) | ShapeKind::Union(_) => structure(shape, stack, mode),
            ShapeKind::Enum(values) => match mode {
                Placeholders::Input => Value::String(values.first().copied().unwrap_or_default().to_owned()),
                Placeholders::Output => Value::String(name.to_owned()),
            },
            ShapeKind::IntEnum(values) => Value::from(values.first().copied().unwrap_or_default()),
        },
        TypeKind::List(item) => Value::Array(vec![placeholder(item, "", stack, mode)]),
        TypeKind::Map(_, item) => {
            let mut map = Map::new();
            map.insert("KeyName".to_owned(), placeholder(item, "", stack, mode));
            Value::Object(map)
        }
        TypeKind::String => Value::String(match mode {
            Placeholders::Input => String::new(),
            Placeholders::Output => name.to_owned(),
        }),
        TypeKind::Boolean => Value::Bool(true),
        TypeKind::Byte | TypeKind::Short | TypeKind::Integer | TypeKind::Long | TypeKind::BigInteger => Value::from(0),
        TypeKind::Float | TypeKind::Double | TypeKind::BigDecimal => Value::from(0.0),
        TypeKind::Timestamp(_) => match mode {
            Placeholders::Input => Value::String("1970-01-01T00:00:00".to_owned()),
            Placeholders::Output => Value::from(0),
        },
        TypeKind::Unit => Value::Object(Map::new()),
        TypeKind::Blob | TypeKind::Document => Value::Null,
    }
}

/// The commented YAML input skeleton of AWS CLI v2.
pub fn input_yaml(shape: &'static Shape) -> String {
    let mut out = String::new();
    yaml_structure(shape, 0, &mut Vec::new(), &mut out, false);
    if out.is_empty() {
        out.push_str("{}\n");
    }
    out
}

/// Writes the members of `shape` at `indent`; with `first_inline`, the first line continues a
/// `- ` list marker already written.
fn yaml_structure(
    shape: &'static Shape,
    indent: usize,
    stack: &mut Vec<&'static str>,
    out: &mut String,
    first_inline: bool,
) {
    stack.push(shape.name);
    for (index, member) in shape.members().iter().enumerate() {
        if !(first_inline && index == 0) {
            out.push_str(&" ".repeat(indent));
        }
        let mut comment = Vec::new();
        if member.required {
            comment.push("[REQUIRED]".to_owned());
        }
        let overview = first_sentence(member.docs);
        if !overview.is_empty() {
            comment.push(overview);
        }
        if let TypeKind::Shape(Shape {
            kind: ShapeKind::Enum(values),
            ..
        }) = &member.ty.kind
        {
            comment.push(format!("Valid values are: {}.", values.join(", ")));
        }
        let comment = if comment.is_empty() {
            String::new()
        } else {
            format!(" # {}", comment.join(" "))
        };
        yaml_member(member.name, &member.ty, indent, stack, out, &comment);
    }
    stack.pop();
}

fn yaml_member(name: &str, ty: &Type, indent: usize, stack: &mut Vec<&'static str>, out: &mut String, comment: &str) {
    match &ty.kind {
        TypeKind::Shape(
            shape @ Shape {
                kind: ShapeKind::Structure(_) | ShapeKind::Union(_),
                ..
            },
        ) => {
            if stack.contains(&shape.name) || shape.members().is_empty() {
                let _ = writeln!(out, "{name}: {{}}{comment}");
            } else {
                let _ = writeln!(out, "{name}:{comment}");
                yaml_structure(shape, indent + 2, stack, out, false);
            }
        }
        TypeKind::List(item) => {
            let _ = writeln!(out, "{name}:{comment}");
            yaml_list_item(item, indent, stack, out);
        }
        TypeKind::Map(_, item) => {
            let _ = writeln!(out, "{name}:{comment}");
            out.push_str(&" ".repeat(indent + 2));
            yaml_member("KeyName", item, indent + 2, stack, out, "");
        }
        _ => {
            let _ = writeln!(out, "{name}: {}{comment}", yaml_scalar(ty));
        }
    }
}

fn yaml_list_item(item: &Type, indent: usize, stack: &mut Vec<&'static str>, out: &mut String) {
    out.push_str(&" ".repeat(indent));
    out.push_str("- ");
    match &item.kind {
        TypeKind::Shape(
            shape @ Shape {
                kind: ShapeKind::Structure(_) | ShapeKind::Union(_),
                ..
            },
        ) if !stack.contains(&shape.name) && !shape.members().is_empty() => {
            yaml_structure(shape, indent + 2, stack, out, true);
        }
        TypeKind::Shape(Shape {
            kind: ShapeKind::Structure(_) | ShapeKind::Union(_),
            ..
        }) => out.push_str("{}\n"),
        TypeKind::List(inner) => {
            out.push('\n');
            yaml_list_item(inner, indent + 2, stack, out);
        }
        TypeKind::Map(_, value) => {
            yaml_member("KeyName", value, indent + 2, stack, out, "");
        }
        _ => {
            let _ = writeln!(out, "{}", yaml_scalar(item));
        }
    }
}

fn yaml_scalar(ty: &Type) -> String {
    match placeholder(ty, "", &mut Vec::new(), Placeholders::Input) {
        Value::String(text) if text.is_empty() => "''".to_owned(),
        Value::String(text) if is_plain_yaml(&text) => text,
        Value::String(text) => format!("'{}'", text.replace('\'', "''")),
        Value::Null => "''".to_owned(),
        other => other.to_string(),
    }
}

/// Whether `text` can be written unquoted and still read back as the same string.
fn is_plain_yaml(text: &str) -> bool {
    const SPECIAL: &[&str] = &["true", "false", "yes", "no", "on", "off", "null", "y", "n", "~"];
    text.chars().next().is_some_and(|c| c.is_ascii_alphabetic())
        && text
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '_' | '-' | '.'))
        && !SPECIAL.contains(&text.to_ascii_lowercase().as_str())
}

/// The first sentence of Markdown documentation, on one line, without Markdown marks.
pub fn first_sentence(docs: &str) -> String {
    let paragraph = docs.split("\n\n").next().unwrap_or_default();
    let flat: String = paragraph
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
        .replace('`', "")
        .replace("**", "");
    let mut end = flat.len();
    let bytes = flat.as_bytes();
    for (index, &byte) in bytes.iter().enumerate() {
        if byte == b'.' && (index + 1 == bytes.len() || bytes[index + 1] == b' ') {
            end = index + 1;
            break;
        }
    }
    flat[..end].to_owned()
}

#[cfg(test)]
mod tests {
    use super::*;
    use apprunner_types::schema::SERVICE;

    #[test]
    fn json_skeleton_is_a_valid_shape() {
        let op = SERVICE.operation("create-service").unwrap();
        let text = input_json(op.input);
        let value: Value = serde_json::from_str(&text).unwrap();
        assert_eq!(value["ServiceName"], "");
        assert_eq!(value["HealthCheckConfiguration"]["Interval"], 0);
        assert_eq!(value["HealthCheckConfiguration"]["Protocol"], "TCP");
        assert_eq!(value["SourceConfiguration"]["AutoDeploymentsEnabled"], true);
        assert_eq!(value["Tags"][0]["Key"], "");
        assert_eq!(
            value["SourceConfiguration"]["ImageRepository"]["ImageConfiguration"]["RuntimeEnvironmentVariables"]["KeyName"],
            ""
        );
        assert!(text.starts_with("{\n    \""), "{text}");
    }

    #[test]
    fn yaml_skeleton_reads_back_as_the_json_one() {
        let op = SERVICE.operation("create-service").unwrap();
        let yaml = input_yaml(op.input);
        assert!(yaml.contains("ServiceName: '' # [REQUIRED]"), "{yaml}");
        assert!(yaml.contains("Valid values are: TCP, HTTP."), "{yaml}");
        let from_yaml: Value = serde_norway::from_str(&yaml).unwrap();
        let from_json: Value = serde_json::from_str(&input_json(op.input)).unwrap();
        assert_eq!(from_yaml, from_json);
    }

    #[test]
    fn sentences() {
        assert_eq!(first_sentence("Starts `x`. Then more."), "Starts x.");
        assert_eq!(first_sentence("Version 1.2 is\nfine"), "Version 1.2 is fine");
    }
}
