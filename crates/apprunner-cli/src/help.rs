//! `apprunner help` and `apprunner <command> help`, written from the model's documentation.
//!
//! The layout follows the AWS CLI's help pages (NAME, DESCRIPTION, SYNOPSIS, OPTIONS with each
//! member's nested members, the shorthand and JSON syntax of each structure, list and map
//! option, then OUTPUT) as plain text on standard output: there is no pager.

use apprunner_smithy::schema::{Member, OperationSchema, ServiceSchema, Shape, ShapeKind, Type, TypeKind};
use std::fmt::Write as _;

const WIDTH: usize = 79;

/// Descriptions of the global options, for `apprunner help`.
const GLOBAL_HELP: &[(&str, &str, &str)] = &[
    (
        "--debug",
        "boolean",
        "Log the requests and responses on standard error (secrets are never shown).",
    ),
    (
        "--endpoint-url",
        "string",
        "Send requests to this URL instead of the Region's App Runner endpoint.",
    ),
    (
        "--no-verify-ssl",
        "boolean",
        "Do not verify TLS certificates (for test endpoints only).",
    ),
    (
        "--no-paginate",
        "boolean",
        "Make one call of a paginated command instead of fetching every page.",
    ),
    (
        "--output",
        "string",
        "The output format: json, yaml, yaml-stream, text or table. Default: AWS_DEFAULT_OUTPUT, the profile's \
         `output`, else json.",
    ),
    (
        "--query",
        "string",
        "A JMESPath expression applied to the response before it is printed.",
    ),
    (
        "--profile",
        "string",
        "Use this profile of the shared AWS config and credentials files.",
    ),
    (
        "--region",
        "string",
        "The Region to call. Default: AWS_REGION, AWS_DEFAULT_REGION, then the profile's `region`.",
    ),
    ("--version", "string", "Print the version and exit."),
    (
        "--color",
        "string",
        "Accepted for compatibility (on, off, auto); output is never colored.",
    ),
    (
        "--no-cli-pager",
        "boolean",
        "Accepted for compatibility; there is no pager.",
    ),
    (
        "--cli-binary-format",
        "string",
        "base64 (the default) or raw-in-base64-out, for blob parameters.",
    ),
    (
        "--cli-read-timeout",
        "int",
        "Seconds allowed for each attempt to answer; 0 for no limit.",
    ),
    (
        "--cli-connect-timeout",
        "int",
        "Seconds allowed to open a connection; 0 for no limit.",
    ),
];

/// The help page of the whole program.
pub fn top_help(service: &'static ServiceSchema) -> String {
    let mut out = String::new();
    heading(&mut out, "NAME");
    paragraph(&mut out, &format!("{} -", service.cli_name), 7);
    heading(&mut out, "DESCRIPTION");
    paragraph(&mut out, service.docs, 7);
    heading(&mut out, "SYNOPSIS");
    paragraph(&mut out, "apprunner [options] <command> [parameters]", 7);
    paragraph(
        &mut out,
        "Use `apprunner <command> help` for a command's parameters. Options may be placed anywhere on the line.",
        7,
    );
    heading(&mut out, "GLOBAL OPTIONS");
    for (name, kind, text) in GLOBAL_HELP {
        let _ = writeln!(out, "       {name} ({kind})\n");
        paragraph(&mut out, text, 10);
    }
    heading(&mut out, "AVAILABLE COMMANDS");
    for op in service.operations {
        let _ = writeln!(out, "       o {}\n", op.cli_name);
        paragraph(&mut out, &crate::skeleton::first_sentence(op.docs), 10);
    }
    let _ = writeln!(out, "       o help\n");
    heading(&mut out, "EXIT CODES");
    paragraph(
        &mut out,
        "0 success; 252 the command line or parameters are wrong (nothing was sent); 253 no region or credentials; \
         254 the service returned an error; 255 any other failure; 130 interrupted.",
        7,
    );
    out
}

/// The help page of one command.
pub fn command_help(operation: &'static OperationSchema) -> String {
    let mut out = String::new();
    heading(&mut out, "NAME");
    paragraph(&mut out, &format!("{} -", operation.cli_name), 7);
    heading(&mut out, "DESCRIPTION");
    paragraph(&mut out, operation.docs, 7);
    heading(&mut out, "SYNOPSIS");
    let _ = writeln!(out, "            {}", operation.cli_name);
    for member in ordered_members(operation.input) {
        let value = if matches!(member.ty.kind, TypeKind::Boolean) {
            format!("--{} | --no-{}", member.cli_name, member.cli_name)
        } else {
            format!("--{} <value>", member.cli_name)
        };
        if member.required {
            let _ = writeln!(out, "          {value}");
        } else {
            let _ = writeln!(out, "          [{value}]");
        }
    }
    out.push_str("          [--cli-input-json <value> | --cli-input-yaml <value>]\n");
    out.push_str("          [--generate-cli-skeleton <value>]\n");
    if operation.paginated.is_some() {
        out.push_str("          [--starting-token <value>]\n          [--page-size <value>]\n");
        out.push_str("          [--max-items <value>]\n");
    }
    if crate::wait::supports_wait(operation) {
        out.push_str("          [--wait]\n          [--wait-timeout <value>]\n");
    }
    out.push('\n');
    heading(&mut out, "OPTIONS");
    for member in ordered_members(operation.input) {
        option_help(&mut out, member);
    }
    input_options_help(&mut out, operation);
    paragraph(
        &mut out,
        "See 'apprunner help' for descriptions of global parameters.",
        7,
    );
    heading(&mut out, "OUTPUT");
    for member in operation.output.members() {
        nested_member(&mut out, member, 7, &mut Vec::new());
    }
    out
}

/// Required members first, then the others, each group in the schema's order.
fn ordered_members(shape: &'static Shape) -> impl Iterator<Item = &'static Member> {
    let members = shape.members();
    members
        .iter()
        .filter(|m| m.required)
        .chain(members.iter().filter(|m| !m.required))
}

fn option_help(out: &mut String, member: &'static Member) {
    let required = if member.required { " [required]" } else { "" };
    let _ = writeln!(
        out,
        "       --{} ({}){required}\n",
        member.cli_name,
        type_name(&member.ty)
    );
    paragraph(out, member.docs, 10);
    constraints(out, &member.ty, 10);
    let mut stack = Vec::new();
    if let Some(shape) = structure_of(&member.ty) {
        stack.push(shape.name);
        for inner in shape.members() {
            nested_member(out, inner, 10, &mut stack);
        }
    } else if let TypeKind::List(item) = &member.ty.kind
        && let Some(shape) = structure_of(item)
    {
        let _ = writeln!(out, "          ({})\n", type_name(item));
        paragraph(out, shape.docs, 10);
        stack.push(shape.name);
        for inner in shape.members() {
            nested_member(out, inner, 13, &mut stack);
        }
    } else if let TypeKind::Map(key, value) = &member.ty.kind {
        let _ = writeln!(out, "          key -> ({})\n", type_name(key));
        let _ = writeln!(out, "          value -> ({})\n", type_name(value));
    }
    if is_complex(&member.ty) {
        if let Some(shorthand) = shorthand_syntax(&member.ty) {
            out.push_str("       Shorthand Syntax:\n\n");
            for line in shorthand.lines() {
                let _ = writeln!(out, "          {line}");
            }
            out.push('\n');
        }
        out.push_str("       JSON Syntax:\n\n");
        let mut json = String::new();
        json_syntax(&mut json, &member.ty, 0, &mut Vec::new());
        for line in json.lines() {
            let _ = writeln!(out, "          {line}");
        }
        out.push('\n');
    }
}

fn nested_member(out: &mut String, member: &'static Member, indent: usize, stack: &mut Vec<&'static str>) {
    let required = if member.required { " [required]" } else { "" };
    let _ = writeln!(
        out,
        "{}{} -> ({}){required}\n",
        " ".repeat(indent),
        member.name,
        type_name(&member.ty)
    );
    paragraph(out, member.docs, indent + 3);
    constraints(out, &member.ty, indent + 3);
    let inner_shape = structure_of(&member.ty).or_else(|| match &member.ty.kind {
        TypeKind::List(item) => structure_of(item),
        _ => None,
    });
    if let Some(shape) = inner_shape
        && !stack.contains(&shape.name)
    {
        stack.push(shape.name);
        for inner in shape.members() {
            nested_member(out, inner, indent + 3, stack);
        }
        stack.pop();
    }
}

fn constraints(out: &mut String, ty: &Type, indent: usize) {
    let mut parts = Vec::new();
    if let TypeKind::Shape(Shape {
        kind: ShapeKind::Enum(values),
        ..
    }) = &ty.kind
    {
        parts.push(format!("Possible values: {}.", values.join(", ")));
    }
    if let Some((min, max)) = ty.length {
        match (min, max) {
            (Some(min), Some(max)) => parts.push(format!("Length: {min} to {max}.")),
            (Some(min), None) if min > 0 => parts.push(format!("Length: at least {min}.")),
            (None, Some(max)) => parts.push(format!("Length: at most {max}.")),
            _ => {}
        }
    }
    if let Some((min, max)) = ty.range {
        let bound = |b: Option<f64>| b.map_or_else(|| "any".to_owned(), |b| b.to_string());
        parts.push(format!("Range: {} to {}.", bound(min), bound(max)));
    }
    if let Some(pattern) = ty.pattern.map(|p| p.source()).filter(|p| *p != ".*") {
        parts.push(format!("Pattern: {pattern}"));
    }
    if ty.sensitive {
        parts.push("Sensitive: never shown in logs or messages.".to_owned());
    }
    let pad = " ".repeat(indent);
    for part in parts {
        wrap_into(out, &part, &pad, &pad);
    }
    if ty.length.is_some() || ty.range.is_some() || ty.pattern.is_some() || ty.sensitive {
        out.push('\n');
    }
}

fn structure_of(ty: &Type) -> Option<&'static Shape> {
    match ty.kind {
        TypeKind::Shape(shape) if matches!(shape.kind, ShapeKind::Structure(_) | ShapeKind::Union(_)) => Some(shape),
        _ => None,
    }
}

fn is_complex(ty: &Type) -> bool {
    structure_of(ty).is_some() || matches!(ty.kind, TypeKind::List(_) | TypeKind::Map(..))
}

/// The AWS CLI's type names.
pub fn type_name(ty: &Type) -> &'static str {
    match &ty.kind {
        TypeKind::Blob => "blob",
        TypeKind::Boolean => "boolean",
        TypeKind::String => "string",
        TypeKind::Byte | TypeKind::Short | TypeKind::Integer => "integer",
        TypeKind::Long => "long",
        TypeKind::Float => "float",
        TypeKind::Double => "double",
        TypeKind::BigInteger => "long",
        TypeKind::BigDecimal => "double",
        TypeKind::Timestamp(_) => "timestamp",
        TypeKind::Document => "document",
        TypeKind::Unit => "structure",
        TypeKind::Shape(shape) => match shape.kind {
            ShapeKind::Structure(_) => "structure",
            ShapeKind::Union(_) => "tagged union structure",
            ShapeKind::Enum(_) => "string",
            ShapeKind::IntEnum(_) => "integer",
        },
        TypeKind::List(_) => "list",
        TypeKind::Map(..) => "map",
    }
}

/// Too deep or recursive for a one-line shorthand example (the AWS CLI leaves those out).
struct TooComplex;

/// The shorthand example of an option, as the AWS CLI documents it; `None` when the structure
/// is too deep to show on one line (it is still accepted).
pub fn shorthand_syntax(ty: &Type) -> Option<String> {
    let mut stack = Vec::new();
    match &ty.kind {
        TypeKind::List(item) if is_complex(item) => shorthand(item, &mut stack).ok().map(|s| format!("{s} ...")),
        TypeKind::List(item) => Some(format!("{} {} ...", type_name(item), type_name(item))),
        _ => shorthand(ty, &mut stack).ok(),
    }
}

fn shorthand(ty: &Type, stack: &mut Vec<&'static str>) -> Result<String, TooComplex> {
    const MAX_DEPTH: usize = 3;
    if stack.len() > MAX_DEPTH {
        return Err(TooComplex);
    }
    if let Some(shape) = structure_of(ty) {
        if stack.contains(&shape.name) {
            return Err(TooComplex);
        }
        stack.push(shape.name);
        let mut parts = Vec::new();
        for member in shape.members() {
            parts.push(format!("{}={}", member.name, shorthand(&member.ty, stack)?));
        }
        stack.pop();
        let inner = parts.join(",");
        return Ok(if stack.is_empty() {
            inner
        } else {
            format!("{{{inner}}}")
        });
    }
    match &ty.kind {
        TypeKind::List(item) => {
            stack.push("[list]");
            let element = shorthand(item, stack)?;
            stack.pop();
            Ok(format!("[{element},{element}]"))
        }
        TypeKind::Map(_, value) => {
            stack.push("[map]");
            let value = shorthand(value, stack)?;
            stack.pop();
            let inner = format!("KeyName1={value},KeyName2={value}");
            Ok(if stack.is_empty() {
                inner
            } else {
                format!("{{{inner}}}")
            })
        }
        TypeKind::Document => Err(TooComplex),
        _ => Ok(type_name(ty).to_owned()),
    }
}

/// The JSON syntax of a type, as the AWS CLI's help shows it.
fn json_syntax(out: &mut String, ty: &Type, indent: usize, stack: &mut Vec<&'static str>) {
    let pad = " ".repeat(indent);
    if let Some(shape) = structure_of(ty) {
        if stack.contains(&shape.name) {
            out.push_str("{ ... recursive ... }");
            return;
        }
        stack.push(shape.name);
        out.push_str("{\n");
        let members = shape.members();
        for (index, member) in members.iter().enumerate() {
            let _ = write!(out, "{pad}  \"{}\": ", member.name);
            json_syntax(out, &member.ty, indent + 2, stack);
            out.push_str(if index + 1 < members.len() { ",\n" } else { "\n" });
        }
        let _ = write!(out, "{pad}}}");
        stack.pop();
        return;
    }
    match &ty.kind {
        TypeKind::Shape(Shape {
            kind: ShapeKind::Enum(values),
            ..
        }) => {
            let quoted: Vec<String> = values.iter().map(|v| format!("\"{v}\"")).collect();
            out.push_str(&quoted.join("|"));
        }
        TypeKind::List(item) => {
            let _ = write!(out, "[\n{pad}  ");
            json_syntax(out, item, indent + 2, stack);
            let _ = write!(out, "\n{pad}  ...\n{pad}]");
        }
        TypeKind::Map(key, value) => {
            out.push('{');
            json_syntax(out, key, indent + 2, stack);
            out.push_str(": ");
            json_syntax(out, value, indent + 2, stack);
            let _ = write!(out, "\n{pad}  ...}}");
        }
        TypeKind::String => out.push_str("\"string\""),
        TypeKind::Blob => out.push_str("blob"),
        TypeKind::Boolean => out.push_str("true|false"),
        TypeKind::Timestamp(_) => out.push_str("timestamp"),
        TypeKind::Document => out.push_str("{...}"),
        TypeKind::Unit => out.push_str("{}"),
        _ => out.push_str(type_name(ty)),
    }
}

fn input_options_help(out: &mut String, operation: &'static OperationSchema) {
    let entries: Vec<(&str, &str, String)> = {
        let mut entries = vec![
            (
                "--cli-input-json | --cli-input-yaml",
                "string",
                "Read the input from this JSON (or YAML) text, or from a file given as file://path, in the form \
                 that --generate-cli-skeleton prints. Options given on the command line replace the file's members \
                 of the same name. The two cannot be given together."
                    .to_owned(),
            ),
            (
                "--generate-cli-skeleton",
                "string",
                "Print a sample input and send nothing: with no value or `input`, JSON for --cli-input-json; with \
                 `yaml-input`, commented YAML for --cli-input-yaml; with `output`, check the input and print a \
                 sample of the command's output."
                    .to_owned(),
            ),
        ];
        if operation.paginated.is_some() {
            entries.push((
                "--starting-token",
                "string",
                "Continue from the NextToken printed by an earlier call made with --max-items.".to_owned(),
            ));
            entries.push((
                "--page-size",
                "integer",
                "How many items to ask for in each call (all pages are still fetched).".to_owned(),
            ));
            entries.push((
                "--max-items",
                "integer",
                "Print at most this many items, with a NextToken to continue from.".to_owned(),
            ));
        }
        if crate::wait::supports_wait(operation) {
            entries.push((
                "--wait",
                "boolean",
                format!(
                    "After the call, follow the operation until the service is {} or the operation fails (exit \
                     code 255 then). Progress goes to standard error: a spinner on a terminal, status lines \
                     otherwise. APPRUNNER_WAIT_INTERVAL sets the seconds between checks (default 5).",
                    crate::wait::target_status(operation)
                ),
            ));
            entries.push((
                "--wait-timeout",
                "string",
                "Give up waiting after this long: seconds (600) or with a unit (10m, 1h). Default: 30m.".to_owned(),
            ));
        }
        entries
    };
    for (name, kind, text) in entries {
        let _ = writeln!(out, "       {name} ({kind})\n");
        paragraph(out, &text, 10);
    }
}

fn heading(out: &mut String, title: &str) {
    let _ = writeln!(out, "{title}");
}

/// Markdown paragraphs and list items, wrapped to the page width at `indent`.
fn paragraph(out: &mut String, text: &str, indent: usize) {
    let pad = " ".repeat(indent);
    for block in text.split("\n\n") {
        let block = block.trim();
        if block.is_empty() {
            continue;
        }
        let mut items: Vec<String> = Vec::new();
        for line in block.lines() {
            let trimmed = line.trim();
            let starts_item = trimmed.starts_with("- ") || trimmed.starts_with("* ");
            match items.last_mut() {
                Some(last) if !starts_item => {
                    last.push(' ');
                    last.push_str(trimmed);
                }
                _ => items.push(trimmed.to_owned()),
            }
        }
        for item in items {
            let (first_pad, rest_pad) = if let Some(rest) = item.strip_prefix("- ").or_else(|| item.strip_prefix("* "))
            {
                wrap_into(out, rest, &format!("{pad}o "), &format!("{pad}  "));
                continue;
            } else {
                (pad.clone(), pad.clone())
            };
            wrap_into(out, &item, &first_pad, &rest_pad);
        }
        out.push('\n');
    }
}

fn wrap_into(out: &mut String, text: &str, first_pad: &str, rest_pad: &str) {
    let mut line = String::from(first_pad);
    let mut empty = true;
    for word in text.split_whitespace() {
        if !empty && line.chars().count() + 1 + word.chars().count() > WIDTH {
            out.push_str(line.trim_end());
            out.push('\n');
            line = String::from(rest_pad);
            empty = true;
        }
        if !empty {
            line.push(' ');
        }
        line.push_str(word);
        empty = false;
    }
    if !empty {
        out.push_str(&line);
        out.push('\n');
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use apprunner_types::schema::SERVICE;

    fn option_type(op: &str, member: &str) -> &'static Type {
        &SERVICE.operation(op).unwrap().input.member(member).unwrap().ty
    }

    #[test]
    fn shorthand_examples_as_the_reference_page_shows_them() {
        assert_eq!(
            shorthand_syntax(option_type("create-service", "InstanceConfiguration")).as_deref(),
            Some("Cpu=string,Memory=string,InstanceRoleArn=string")
        );
        assert_eq!(
            shorthand_syntax(option_type("create-service", "Tags")).as_deref(),
            Some("Key=string,Value=string ...")
        );
        assert_eq!(
            shorthand_syntax(option_type("create-service", "NetworkConfiguration")).as_deref(),
            Some(
                "EgressConfiguration={EgressType=string,VpcConnectorArn=string},\
                 IngressConfiguration={IsPubliclyAccessible=boolean},IpAddressType=string"
            )
        );
        // Too deep for one line, as on the reference page.
        assert_eq!(
            shorthand_syntax(option_type("create-service", "SourceConfiguration")),
            None
        );
    }

    #[test]
    fn command_page() {
        let page = command_help(SERVICE.operation("create-service").unwrap());
        for expected in [
            "--service-name (string) [required]",
            "[--instance-configuration <value>]",
            "JSON Syntax:",
            "\"ConfigurationSource\": \"REPOSITORY\"|\"API\"",
            "\"AutoDeploymentsEnabled\": true|false",
            "\"RuntimeEnvironmentVariables\": {\"string\": \"string\"",
            "Cpu -> (string)",
            "--wait (boolean)",
            "OUTPUT",
        ] {
            assert!(page.contains(expected), "missing {expected:?}:\n{page}");
        }
        // Prose is wrapped; only code (patterns, syntax examples) may run past the width.
        let prose = page
            .lines()
            .filter(|l| l.trim_start().starts_with(char::is_alphabetic) && !l.contains('='));
        assert!(prose.clone().count() > 50);
        for line in prose {
            assert!(line.chars().count() <= WIDTH || !line.trim().contains(' '), "{line}");
        }
    }

    #[test]
    fn top_page_lists_commands() {
        let page = top_help(&SERVICE);
        for op in SERVICE.operations {
            assert!(page.contains(&format!("o {}", op.cli_name)));
        }
    }
}
