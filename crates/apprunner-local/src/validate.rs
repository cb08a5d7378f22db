//! Checks a request body against the model before it is turned into a typed input.
//!
//! The generated types correct errors as a client should (a missing required member reads as
//! its zero value), so a server cannot rely on them to reject bad input. This module walks the
//! JSON with `apprunner_types::schema` instead. A member of the wrong JSON type is a
//! `SerializationException`, as on AWS, where the body fails to deserialize before any
//! validation runs. Missing required members, unknown enum values and broken `@length`,
//! `@pattern` and `@range` constraints are all collected and reported together as one
//! `InvalidRequestException` whose message names each member path. Unknown members are
//! ignored, as AWS ignores them.

use apprunner_smithy::schema::{Shape, ShapeKind, Type, TypeKind};
use apprunner_smithy::validation::{
    LengthUnit, ValuePath, Violation, check_length, check_pattern, check_range, index_path, key_path, member_path,
    string_length,
};
use serde_json::Value;

use crate::error::{ApiError, ErrorCode};

/// Checks `value` as the input structure `shape`.
pub(crate) fn check_input(shape: &'static Shape, value: &Value) -> Result<(), ApiError> {
    if !value.is_object() {
        return Err(ApiError::new(
            ErrorCode::Serialization,
            "The request body must be a JSON object.",
        ));
    }
    let mut violations = Vec::new();
    check_shape(shape, value, "", &mut violations)
        .map_err(|message| ApiError::new(ErrorCode::Serialization, message))?;
    if violations.is_empty() {
        return Ok(());
    }
    Err(ApiError::invalid_request(describe(&violations)))
}

/// One message for every violation: `2 validation errors: A: ...; B: ...`.
pub(crate) fn describe(violations: &[Violation]) -> String {
    let list: Vec<String> = violations.iter().map(ToString::to_string).collect();
    match list.len() {
        1 => format!("1 validation error: {}", list[0]),
        n => format!("{n} validation errors: {}", list.join("; ")),
    }
}

/// A JSON type mismatch: the message for a `SerializationException`.
type TypeMismatch = String;

fn mismatch(path: &str, expected: &str, found: &Value) -> TypeMismatch {
    let found = match found {
        Value::Null => "null",
        Value::Bool(_) => "a boolean",
        Value::Number(_) => "a number",
        Value::String(_) => "a string",
        Value::Array(_) => "an array",
        Value::Object(_) => "an object",
    };
    let path = if path.is_empty() { "the request body" } else { path };
    format!("{path} must be {expected}, but the request has {found} there.")
}

fn check_shape(shape: &'static Shape, value: &Value, path: &str, out: &mut Vec<Violation>) -> Result<(), TypeMismatch> {
    match shape.kind {
        ShapeKind::Structure(members) | ShapeKind::Union(members) => {
            let Value::Object(object) = value else {
                return Err(mismatch(path, "an object", value));
            };
            let mut set = 0;
            for member in members {
                let member_path = member_path(&ValuePath::Text(path), member.name).to_string();
                match object.get(member.name) {
                    None | Some(Value::Null) => {
                        if member.required {
                            out.push(Violation {
                                path: member_path,
                                message: "is required but missing".to_owned(),
                            });
                        }
                    }
                    Some(member_value) => {
                        set += 1;
                        check_type(&member.ty, member_value, &member_path, out)?;
                    }
                }
            }
            if matches!(shape.kind, ShapeKind::Union(_)) && set != 1 {
                out.push(Violation {
                    path: if path.is_empty() {
                        shape.name.to_owned()
                    } else {
                        path.to_owned()
                    },
                    message: format!("must have exactly one member set, but has {set}"),
                });
            }
            Ok(())
        }
        ShapeKind::Enum(values) => {
            let Value::String(text) = value else {
                return Err(mismatch(path, "a string", value));
            };
            if !values.contains(&text.as_str()) {
                out.push(Violation {
                    path: path.to_owned(),
                    message: format!("{text:?} is not one of the allowed values: {}", values.join(", ")),
                });
            }
            Ok(())
        }
        ShapeKind::IntEnum(values) => {
            let Some(number) = value.as_i64() else {
                return Err(mismatch(path, "an integer", value));
            };
            if !values.iter().any(|v| i64::from(*v) == number) {
                let allowed: Vec<String> = values.iter().map(ToString::to_string).collect();
                out.push(Violation {
                    path: path.to_owned(),
                    message: format!("{number} is not one of the allowed values: {}", allowed.join(", ")),
                });
            }
            Ok(())
        }
    }
}

fn check_type(ty: &'static Type, value: &Value, path: &str, out: &mut Vec<Violation>) -> Result<(), TypeMismatch> {
    let (min, max) = ty.length.unwrap_or((None, None));
    match &ty.kind {
        TypeKind::String => {
            let Value::String(text) = value else {
                return Err(mismatch(path, "a string", value));
            };
            check_string(ty, text, path, out);
        }
        TypeKind::Boolean => {
            if !value.is_boolean() {
                return Err(mismatch(path, "a boolean", value));
            }
        }
        TypeKind::Byte | TypeKind::Short | TypeKind::Integer | TypeKind::Long => {
            let bits = match ty.kind {
                TypeKind::Byte => 8,
                TypeKind::Short => 16,
                TypeKind::Integer => 32,
                _ => 64,
            };
            let Some(number) = value.as_i64() else {
                return Err(mismatch(path, &format!("a {bits}-bit integer"), value));
            };
            if bits < 64 && (number < -(1i64 << (bits - 1)) || number >= (1i64 << (bits - 1))) {
                return Err(mismatch(path, &format!("a {bits}-bit integer"), value));
            }
            if let Some((min, max)) = ty.range {
                check_range(out, &ValuePath::Text(path), number as f64, min, max);
            }
        }
        TypeKind::Float | TypeKind::Double | TypeKind::BigDecimal | TypeKind::BigInteger => {
            let number = match value {
                Value::Number(number) => number.as_f64(),
                Value::String(text) if matches!(text.as_str(), "NaN" | "Infinity" | "-Infinity") => None,
                _ => return Err(mismatch(path, "a number", value)),
            };
            if let (Some(number), Some((min, max))) = (number, ty.range) {
                check_range(out, &ValuePath::Text(path), number, min, max);
            }
        }
        TypeKind::Timestamp(_) => {
            if !value.is_number() {
                return Err(mismatch(path, "a timestamp in seconds since the epoch", value));
            }
        }
        TypeKind::Blob => {
            let Value::String(text) = value else {
                return Err(mismatch(path, "a base64 string", value));
            };
            let bytes = apprunner_smithy::Blob::from_base64(text).map_err(|_| mismatch(path, "base64 text", value))?;
            check_length(
                out,
                &ValuePath::Text(path),
                bytes.as_bytes().len() as u64,
                min,
                max,
                LengthUnit::Bytes,
            );
        }
        TypeKind::Document => {}
        TypeKind::Unit => {
            if !value.is_object() {
                return Err(mismatch(path, "an empty object", value));
            }
        }
        TypeKind::Shape(shape) => check_shape(shape, value, path, out)?,
        TypeKind::List(item) => {
            let Value::Array(items) = value else {
                return Err(mismatch(path, "an array", value));
            };
            check_length(
                out,
                &ValuePath::Text(path),
                items.len() as u64,
                min,
                max,
                LengthUnit::Items,
            );
            for (index, item_value) in items.iter().enumerate() {
                let item_path = index_path(&ValuePath::Text(path), index).to_string();
                if item_value.is_null() {
                    return Err(mismatch(&item_path, "a value", item_value));
                }
                check_type(item, item_value, &item_path, out)?;
            }
        }
        TypeKind::Map(key, item) => {
            let Value::Object(entries) = value else {
                return Err(mismatch(path, "an object", value));
            };
            check_length(
                out,
                &ValuePath::Text(path),
                entries.len() as u64,
                min,
                max,
                LengthUnit::Entries,
            );
            for (entry_key, entry_value) in entries {
                let entry_path = key_path(&ValuePath::Text(path), entry_key, key.sensitive).to_string();
                check_string(key, entry_key, &entry_path, out);
                if entry_value.is_null() {
                    return Err(mismatch(&entry_path, "a value", entry_value));
                }
                check_type(item, entry_value, &entry_path, out)?;
            }
        }
    }
    Ok(())
}

fn check_string(ty: &'static Type, text: &str, path: &str, out: &mut Vec<Violation>) {
    if let Some((min, max)) = ty.length {
        check_length(
            out,
            &ValuePath::Text(path),
            string_length(text),
            min,
            max,
            LengthUnit::Characters,
        );
    }
    if let Some(pattern) = ty.pattern {
        check_pattern(out, &ValuePath::Text(path), text, pattern, ty.sensitive);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use apprunner_types::schema::SERVICE;
    use serde_json::json;

    fn input(operation: &str) -> &'static Shape {
        SERVICE.operation(operation).unwrap().input
    }

    #[test]
    fn reports_every_missing_member_and_constraint_with_paths() {
        let error = check_input(
            input("CreateService"),
            &json!({
                "ServiceName": "ab",
                "SourceConfiguration": {"CodeRepository": {"RepositoryUrl": "x"}},
                "HealthCheckConfiguration": {"Protocol": "UDP", "Interval": 50},
            }),
        )
        .unwrap_err();
        assert_eq!(error.code, ErrorCode::InvalidRequest);
        let message = &error.message;
        assert!(message.starts_with("5 validation errors: "), "{message}");
        assert!(message.contains("ServiceName: has 2 characters"), "{message}");
        assert!(
            message.contains("SourceConfiguration.CodeRepository.SourceCodeVersion: is required but missing"),
            "{message}"
        );
        assert!(
            message.contains("HealthCheckConfiguration.Protocol: \"UDP\" is not one of"),
            "{message}"
        );
        assert!(
            message.contains("HealthCheckConfiguration.Interval: is 50"),
            "{message}"
        );
    }

    #[test]
    fn wrong_json_types_are_serialization_errors() {
        let error = check_input(input("ListServices"), &json!({"MaxResults": "ten"})).unwrap_err();
        assert_eq!(error.code, ErrorCode::Serialization);
        assert!(
            error.message.contains("MaxResults must be a 32-bit integer"),
            "{}",
            error.message
        );
        let error = check_input(input("ListServices"), &json!([1])).unwrap_err();
        assert_eq!(error.code, ErrorCode::Serialization);
    }

    #[test]
    fn sensitive_values_are_not_echoed() {
        let error = check_input(
            input("CreateService"),
            &json!({
                "ServiceName": "good-name",
                "SourceConfiguration": {"CodeRepository": {
                    "RepositoryUrl": "x",
                    "SourceCodeVersion": {"Type": "BRANCH", "Value": "main"},
                    "CodeConfiguration": {"ConfigurationSource": "API", "CodeConfigurationValues": {
                        "Runtime": "PYTHON_3", "StartCommand": "secret\nvalue"}}
                }},
            }),
        )
        .unwrap_err();
        assert!(!error.message.contains("secret"), "{}", error.message);
        assert!(
            error.message.contains("StartCommand: the value does not match"),
            "{}",
            error.message
        );
    }

    #[test]
    fn valid_input_passes_and_unknown_members_are_ignored() {
        check_input(input("ListServices"), &json!({"MaxResults": 5, "Extra": true})).unwrap();
        check_input(
            input("DescribeService"),
            &json!({"ServiceArn": "arn:aws:apprunner:us-east-1:123456789012:service/a/b"}),
        )
        .unwrap();
    }
}
