//! The one place that turns model names into Rust names.
//!
//! Every emitter asks this module; none builds an identifier from a raw model
//! string itself. The rules: `snake_case` for fields, functions and modules,
//! `UpperCamelCase` for types and enum variants; Rust keywords become raw
//! identifiers (`type` → `r#type`), except the four that cannot be raw (`self`,
//! `Self`, `super`, `crate`), which get a trailing underscore; a leading digit
//! gets a leading underscore (fields) or a `V` prefix (variants).

/// Keywords of Rust 2024 (strict and reserved) that need a raw identifier.
const KEYWORDS: &[&str] = &[
    "abstract", "as", "async", "await", "become", "box", "break", "const", "continue", "do", "dyn", "else", "enum",
    "extern", "false", "final", "fn", "for", "gen", "if", "impl", "in", "let", "loop", "macro", "match", "mod", "move",
    "mut", "override", "priv", "pub", "ref", "return", "static", "struct", "trait", "true", "try", "type", "typeof",
    "unsafe", "unsized", "use", "virtual", "where", "while", "yield",
];

/// Keywords that cannot be raw identifiers.
const NOT_RAW: &[&str] = &["self", "Self", "super", "crate", "_"];

/// Splits a model name into lower-case words at case changes, digits-to-letters
/// boundaries, underscores, dashes, dots and spaces.
///
/// `VpcConnectorArn` → `vpc connector arn`; `HTTPHealthCheck` → `http health check`;
/// `PYTHON_3` → `python 3`; `ipv4` → `ipv4`.
pub(crate) fn words(name: &str) -> Vec<String> {
    let chars: Vec<char> = name.chars().collect();
    let mut words = Vec::new();
    let mut current = String::new();
    for (index, &c) in chars.iter().enumerate() {
        if !c.is_alphanumeric() {
            if !current.is_empty() {
                words.push(std::mem::take(&mut current));
            }
            continue;
        }
        if !current.is_empty() {
            let previous = chars[index - 1];
            let next = chars.get(index + 1).copied();
            let lower_to_upper = previous.is_lowercase() && c.is_uppercase();
            // The last capital of an acronym starts a new word: `HTTPServer` → `http server`.
            let acronym_end = previous.is_uppercase() && c.is_uppercase() && next.is_some_and(char::is_lowercase);
            let digit_to_upper = previous.is_ascii_digit() && c.is_uppercase() && next.is_some_and(char::is_lowercase);
            if lower_to_upper || acronym_end || digit_to_upper {
                words.push(std::mem::take(&mut current));
            }
        }
        current.extend(c.to_lowercase());
    }
    if !current.is_empty() {
        words.push(current);
    }
    words
}

fn capitalize(word: &str) -> String {
    let mut chars = word.chars();
    match chars.next() {
        Some(first) => first.to_uppercase().chain(chars).collect(),
        None => String::new(),
    }
}

/// `UpperCamelCase` text of a name, without keyword handling.
pub(crate) fn upper_camel(name: &str) -> String {
    words(name).iter().map(|word| capitalize(word)).collect()
}

/// `snake_case` text of a name, without keyword handling.
pub(crate) fn snake(name: &str) -> String {
    words(name).join("_")
}

/// Makes `text` usable as an identifier: raw for keywords, `_` suffix for the
/// keywords that cannot be raw, `_` prefix for a leading digit, and `_` for empty.
fn escape(text: String) -> String {
    if text.is_empty() {
        return "_empty".to_owned();
    }
    if text.starts_with(|c: char| c.is_ascii_digit()) {
        return format!("_{text}");
    }
    if NOT_RAW.contains(&text.as_str()) {
        return format!("{text}_");
    }
    if KEYWORDS.contains(&text.as_str()) {
        return format!("r#{text}");
    }
    text
}

/// A struct field or local name for a member: `ServiceName` → `service_name`, `Type` → `r#type`.
pub(crate) fn field(member: &str) -> String {
    escape(snake(member))
}

/// A function name: operation methods (`CreateService` → `create_service`) and setters.
pub(crate) fn function(name: &str) -> String {
    escape(snake(name))
}

/// A setter that replaces an optional value: `set_service_name`.
pub(crate) fn setter(member: &str) -> String {
    format!("set_{}", snake(member))
}

/// A module or file name: `CreateServiceInput` → `create_service_input`.
pub(crate) fn module(name: &str) -> String {
    escape(snake(name))
}

/// A type name: `CreateServiceRequest` stays, `self` becomes `Self_`.
pub(crate) fn type_name(name: &str) -> String {
    let camel = upper_camel(name);
    if camel.starts_with(|c: char| c.is_ascii_digit()) {
        return format!("Shape{camel}");
    }
    escape(camel)
}

/// An enum variant for an enum member or value: `PYTHON_3` → `Python3`, `3D` → `V3d`.
/// The name `Unknown` is taken by the forward-compatibility variant, so a model
/// value of that name becomes `UnknownValue`.
pub(crate) fn variant(name: &str) -> String {
    let camel = upper_camel(name);
    let camel = if camel.is_empty() { "Empty".to_owned() } else { camel };
    if camel.starts_with(|c: char| c.is_ascii_digit()) {
        return format!("V{camel}");
    }
    if camel == "Unknown" {
        return "UnknownValue".to_owned();
    }
    escape(camel)
}

/// The crate name stem for a service: the `sdkId` lower-cased and dashed
/// (`AppRunner` → `apprunner`, `Secrets Manager` → `secrets-manager`).
pub(crate) fn crate_stem(sdk_id: &str) -> String {
    sdk_id
        .split_whitespace()
        .map(str::to_lowercase)
        .collect::<Vec<_>>()
        .join("-")
}

/// The AWS CLI's kebab-case form of a name, for commands and options:
/// `CreateService` → `create-service`, `AutoScalingConfigurationArn` → `auto-scaling-configuration-arn`.
pub(crate) fn cli(name: &str) -> String {
    words(name).join("-")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn splits_words_at_case_digit_and_separator_boundaries() {
        assert_eq!(words("VpcConnectorArn"), ["vpc", "connector", "arn"]);
        assert_eq!(words("HTTPHealthCheck"), ["http", "health", "check"]);
        assert_eq!(words("PYTHON_3"), ["python", "3"]);
        assert_eq!(words("ipv4"), ["ipv4"]);
        assert_eq!(words("NODEJS_12"), ["nodejs", "12"]);
        assert_eq!(words("S3Bucket"), ["s3", "bucket"]);
        assert_eq!(words("kebab-case.name here"), ["kebab", "case", "name", "here"]);
    }

    #[test]
    fn fields_and_functions_are_snake_case_and_keyword_safe() {
        assert_eq!(field("ServiceName"), "service_name");
        assert_eq!(field("Type"), "r#type");
        assert_eq!(field("Self"), "self_");
        assert_eq!(field("crate"), "crate_");
        assert_eq!(field("3DModel"), "_3d_model");
        assert_eq!(function("CreateService"), "create_service");
        assert_eq!(function("Match"), "r#match");
        assert_eq!(setter("Type"), "set_type");
        assert_eq!(module("CreateServiceInput"), "create_service_input");
    }

    #[test]
    fn types_and_variants_are_upper_camel_case() {
        assert_eq!(type_name("CreateServiceRequest"), "CreateServiceRequest");
        assert_eq!(type_name("self"), "Self_");
        assert_eq!(type_name("3Things"), "Shape3Things");
        assert_eq!(variant("PYTHON_3"), "Python3");
        assert_eq!(variant("CORRETTO_11"), "Corretto11");
        assert_eq!(variant("OPERATION_IN_PROGRESS"), "OperationInProgress");
        assert_eq!(variant("DEFAULT"), "Default");
        assert_eq!(variant("3D"), "V3d");
        assert_eq!(variant("UNKNOWN"), "UnknownValue");
        assert_eq!(variant(""), "Empty");
    }

    #[test]
    fn crate_stems_and_cli_names() {
        assert_eq!(cli("CreateService"), "create-service");
        assert_eq!(cli("AutoScalingConfigurationArn"), "auto-scaling-configuration-arn");
        assert_eq!(cli("VpcConnectorArn"), "vpc-connector-arn");
        assert_eq!(crate_stem("AppRunner"), "apprunner");
        assert_eq!(crate_stem("Cognito Identity Provider"), "cognito-identity-provider");
    }
}
