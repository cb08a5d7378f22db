//! The command line: global options, the command, and the command's options.
//!
//! The grammar is the AWS CLI's: `apprunner [options] <command> [parameters]`, where the global
//! options may stand anywhere on the line, before or after the command (`aws apprunner ...` habits
//! work too: a leading `apprunner` is skipped). Command options are derived at run time from
//! the model (`apprunner_types::schema::SERVICE`): one `--kebab-name` per input member, boolean
//! members as `--name`/`--no-name`, list members taking one or more values (`--tags Key=a,Value=b
//! Key=c,Value=d`), plus `--cli-input-json`, `--cli-input-yaml`, `--generate-cli-skeleton
//! [input|yaml-input|output]`, the pagination options of paginated commands and `--wait` where
//! it applies.
//!
//! Why hand-written rather than clap: the options are not known at compile time but read from
//! the model's static data, an option may take one value, a variable number of values or an
//! optional value from a fixed set (`--generate-cli-skeleton`), global options interleave with
//! command options, and errors must read like the AWS CLI's (`Unknown options: --foo, bar`,
//! exit 252). clap can be bent to each of these (a runtime-built `Command`, `num_args(0..=1)`,
//! `global(true)`, custom error rendering), but the result is larger than this module and slower
//! to start, for a grammar of three token shapes. The parser is a single pass that classifies
//! tokens; values are checked against the model later (see `input` and `validate`).

use crate::errors::CliError;
use apprunner_smithy::schema::{Member, OperationSchema, ServiceSchema, TypeKind};
use std::time::Duration;

/// The AWS CLI's global options accepted here, and whether each takes a value.
const GLOBAL_OPTIONS: &[(&str, bool)] = &[
    ("--region", true),
    ("--profile", true),
    ("--endpoint-url", true),
    ("--output", true),
    ("--query", true),
    ("--debug", false),
    ("--no-verify-ssl", false),
    ("--cli-read-timeout", true),
    ("--cli-connect-timeout", true),
    ("--no-paginate", false),
    ("--version", false),
    ("--color", true),
    ("--no-cli-pager", false),
    ("--cli-binary-format", true),
    ("--no-cli-auto-prompt", false),
];

/// Options every command accepts besides its members.
const INPUT_OPTIONS: &[&str] = &["--cli-input-json", "--cli-input-yaml", "--generate-cli-skeleton"];

/// Global options, as given on the command line (unset ones are `None`/`false`).
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct GlobalArgs {
    /// `--region`.
    pub region: Option<String>,
    /// `--profile`.
    pub profile: Option<String>,
    /// `--endpoint-url`.
    pub endpoint_url: Option<String>,
    /// `--output`.
    pub output: Option<String>,
    /// `--query`.
    pub query: Option<String>,
    /// `--debug`.
    pub debug: bool,
    /// `--no-verify-ssl`.
    pub no_verify_ssl: bool,
    /// `--cli-read-timeout`, in seconds (0: no limit).
    pub read_timeout: Option<u64>,
    /// `--cli-connect-timeout`, in seconds (0: no limit).
    pub connect_timeout: Option<u64>,
    /// `--no-paginate`.
    pub no_paginate: bool,
    /// `--color on|off|auto` (accepted; output is not colored).
    pub color: Option<String>,
    /// `--cli-binary-format base64|raw-in-base64-out`.
    pub binary_format: Option<String>,
}

/// What `--generate-cli-skeleton` asks for.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum SkeletonKind {
    /// No value or `input`: a JSON input for `--cli-input-json`.
    Input,
    /// `yaml-input`: a commented YAML input for `--cli-input-yaml`.
    YamlInput,
    /// `output`: validate the input, then print a sample output.
    Output,
}

/// The raw value(s) of one command option.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum RawValue {
    /// One value (`--service-name my-app`).
    Text(String),
    /// One or more values, for list members (`--tags Key=a,Value=b Key=c,Value=d`).
    Items(Vec<String>),
    /// A boolean member set by `--name` (true) or `--no-name` (false).
    Flag(bool),
}

/// One input member given on the command line.
#[derive(Clone, Debug)]
pub struct ParamArg {
    /// The member it sets.
    pub member: &'static Member,
    /// The option as written, for messages (`--source-configuration`).
    pub option: String,
    /// The value(s).
    pub value: RawValue,
}

/// A command and its options.
#[derive(Clone, Debug)]
pub struct OperationArgs {
    /// The operation.
    pub operation: &'static OperationSchema,
    /// Members given as options, in command-line order.
    pub params: Vec<ParamArg>,
    /// `--cli-input-json` (inline text or `file://...`).
    pub cli_input_json: Option<String>,
    /// `--cli-input-yaml` (inline text or `file://...`).
    pub cli_input_yaml: Option<String>,
    /// `--generate-cli-skeleton`.
    pub skeleton: Option<SkeletonKind>,
    /// `--wait`.
    pub wait: bool,
    /// `--wait-timeout`.
    pub wait_timeout: Option<Duration>,
    /// `--max-items` (paginated commands).
    pub max_items: Option<u64>,
    /// `--starting-token` (paginated commands).
    pub starting_token: Option<String>,
    /// `--page-size` (paginated commands).
    pub page_size: Option<u64>,
}

impl OperationArgs {
    /// Whether the paging input token (`--next-token`) was given by hand, which turns automatic
    /// pagination off as in the AWS CLI.
    pub fn manual_paging(&self) -> bool {
        self.operation
            .paginated
            .is_some_and(|p| self.params.iter().any(|arg| arg.member.name == p.input_token))
    }
}

/// What the command line asks for.
#[derive(Clone, Debug)]
pub enum Action {
    /// `--version`.
    Version,
    /// `apprunner help` (or `--help`).
    TopHelp,
    /// `apprunner <command> help` (or `--help`).
    CommandHelp(&'static OperationSchema),
    /// Run a command.
    Run(OperationArgs),
}

/// A parsed command line.
#[derive(Clone, Debug)]
pub struct Invocation {
    /// The global options.
    pub globals: GlobalArgs,
    /// What to do.
    pub action: Action,
}

/// How a command option consumes values.
#[derive(Clone, Copy, Debug)]
enum Arity {
    /// Exactly one value.
    One,
    /// One or more values.
    Many,
    /// No value.
    Flag,
}

/// What a command option sets.
#[derive(Clone, Copy, Debug)]
enum Target {
    Member(&'static Member, Arity),
    NegatedFlag(&'static Member),
    CliInputJson,
    CliInputYaml,
    Skeleton,
    Wait,
    WaitTimeout,
    MaxItems,
    StartingToken,
    PageSize,
}

/// The options of `operation`, by name (without values).
fn command_options(operation: &'static OperationSchema) -> Vec<(String, Target)> {
    let mut options = Vec::new();
    for member in operation.input.members() {
        let name = format!("--{}", member.cli_name);
        match member.ty.kind {
            TypeKind::Boolean => {
                options.push((name, Target::Member(member, Arity::Flag)));
                options.push((format!("--no-{}", member.cli_name), Target::NegatedFlag(member)));
            }
            TypeKind::List(_) => options.push((name, Target::Member(member, Arity::Many))),
            _ => options.push((name, Target::Member(member, Arity::One))),
        }
    }
    options.push(("--cli-input-json".to_owned(), Target::CliInputJson));
    options.push(("--cli-input-yaml".to_owned(), Target::CliInputYaml));
    options.push(("--generate-cli-skeleton".to_owned(), Target::Skeleton));
    if operation.paginated.is_some() {
        options.push(("--starting-token".to_owned(), Target::StartingToken));
        options.push(("--max-items".to_owned(), Target::MaxItems));
        options.push(("--page-size".to_owned(), Target::PageSize));
    }
    if crate::wait::supports_wait(operation) {
        options.push(("--wait".to_owned(), Target::Wait));
        options.push(("--wait-timeout".to_owned(), Target::WaitTimeout));
    }
    options
}

/// The names of every option `operation` accepts (members, input options, paging, wait).
pub fn option_names(operation: &'static OperationSchema) -> Vec<String> {
    command_options(operation).into_iter().map(|(name, _)| name).collect()
}

/// Parses the command line (without the program name) against the service's model.
pub fn parse(service: &'static ServiceSchema, argv: &[String]) -> Result<Invocation, CliError> {
    // Pass 1: global options, wherever they are; everything else in order.
    let mut globals = GlobalArgs::default();
    let mut version = false;
    let mut rest: Vec<String> = Vec::new();
    let mut index = 0;
    while index < argv.len() {
        let token = &argv[index];
        index += 1;
        let (name, inline) = split_option(token);
        let Some(&(_, takes_value)) = GLOBAL_OPTIONS.iter().find(|(n, _)| *n == name) else {
            rest.push(token.clone());
            continue;
        };
        let value = if takes_value {
            match inline {
                Some(value) => Some(value.to_owned()),
                None if index < argv.len() && !argv[index].starts_with("--") => {
                    index += 1;
                    Some(argv[index - 1].clone())
                }
                None => return Err(CliError::usage(format!("argument {name}: expected one argument"))),
            }
        } else {
            if inline.is_some() {
                return Err(CliError::usage(format!(
                    "argument {name}: ignored explicit argument '{token}'"
                )));
            }
            None
        };
        set_global(&mut globals, &mut version, name, value)?;
    }
    if version {
        return Ok(Invocation {
            globals,
            action: Action::Version,
        });
    }

    // The command: the first word that is not an option (`help`, or an operation).
    let mut position = rest.iter().position(|t| !t.starts_with('-'));
    if let Some(at) = position
        && rest[at] == service.cli_name
        && rest[at + 1..].iter().any(|t| !t.starts_with('-'))
    {
        rest.remove(at);
        position = rest.iter().position(|t| !t.starts_with('-'));
    }
    let wants_help = |tokens: &[String]| tokens.iter().any(|t| t == "--help" || t == "-h");
    let Some(at) = position else {
        if wants_help(&rest) {
            return Ok(Invocation {
                globals,
                action: Action::TopHelp,
            });
        }
        let unknown = rest.first().map(|first| {
            CliError::unknown_options(format!("Unknown options: {}", rest.join(", "))).with_hint(first, &[])
        });
        return Err(required_error(&["command".to_owned()], unknown));
    };
    let word = rest.remove(at);
    if word == "help" {
        return Ok(Invocation {
            globals,
            action: Action::TopHelp,
        });
    }
    let Some(operation) = service.operation(&word).filter(|op| op.cli_name == word) else {
        return Err(invalid_command(service, &word));
    };
    if wants_help(&rest) || rest.iter().any(|t| t == "help") && rest.iter().all(|t| t == "help" || t.starts_with('-')) {
        return Ok(Invocation {
            globals,
            action: Action::CommandHelp(operation),
        });
    }

    // Pass 2: the command's options.
    let options = command_options(operation);
    let mut args = OperationArgs {
        operation,
        params: Vec::new(),
        cli_input_json: None,
        cli_input_yaml: None,
        skeleton: None,
        wait: false,
        wait_timeout: None,
        max_items: None,
        starting_token: None,
        page_size: None,
    };
    let mut unknown: Vec<String> = Vec::new();
    let mut index = 0;
    while index < rest.len() {
        let token = &rest[index];
        index += 1;
        if !token.starts_with("--") {
            unknown.push(token.clone());
            continue;
        }
        let (name, inline) = split_option(token);
        let Some(&(_, target)) = options.iter().find(|(n, _)| n == name) else {
            unknown.push(token.clone());
            continue;
        };
        let one_value = |index: &mut usize| -> Result<String, CliError> {
            if let Some(value) = inline {
                return Ok(value.to_owned());
            }
            match rest.get(*index) {
                Some(value) if !value.starts_with("--") => {
                    *index += 1;
                    Ok(value.clone())
                }
                _ => Err(CliError::usage(format!("argument {name}: expected one argument"))),
            }
        };
        match target {
            Target::Member(member, Arity::One) => {
                let value = one_value(&mut index)?;
                push_param(&mut args, member, name, RawValue::Text(value));
            }
            Target::Member(member, Arity::Many) => {
                let mut values: Vec<String> = inline.map(str::to_owned).into_iter().collect();
                while let Some(value) = rest.get(index).filter(|v| !v.starts_with("--")) {
                    values.push(value.clone());
                    index += 1;
                }
                if values.is_empty() {
                    return Err(CliError::usage(format!(
                        "argument {name}: expected at least one argument"
                    )));
                }
                push_param(&mut args, member, name, RawValue::Items(values));
            }
            Target::Member(member, Arity::Flag) | Target::NegatedFlag(member) => {
                if inline.is_some() {
                    return Err(CliError::usage(format!(
                        "argument {name}: ignored explicit argument '{token}'"
                    )));
                }
                let set = matches!(target, Target::Member(..));
                push_param(&mut args, member, name, RawValue::Flag(set));
            }
            Target::CliInputJson => args.cli_input_json = Some(one_value(&mut index)?),
            Target::CliInputYaml => args.cli_input_yaml = Some(one_value(&mut index)?),
            Target::Skeleton => {
                let value = match inline {
                    Some(value) => Some(value.to_owned()),
                    None => match rest.get(index) {
                        Some(value) if !value.starts_with("--") => {
                            index += 1;
                            Some(value.clone())
                        }
                        _ => None,
                    },
                };
                args.skeleton = Some(match value.as_deref() {
                    None | Some("input") => SkeletonKind::Input,
                    Some("yaml-input") => SkeletonKind::YamlInput,
                    Some("output") => SkeletonKind::Output,
                    Some(other) => {
                        return Err(CliError::usage(format!(
                            "argument --generate-cli-skeleton: Invalid choice: '{other}' (choose from 'input', 'output', \
                             'yaml-input')"
                        )));
                    }
                });
            }
            Target::Wait => args.wait = true,
            Target::WaitTimeout => {
                let value = one_value(&mut index)?;
                args.wait_timeout = Some(parse_duration(&value).ok_or_else(|| {
                    CliError::usage(format!(
                        "argument --wait-timeout: invalid duration '{value}': give seconds (600) or a number with \
                         s, m or h (10m)"
                    ))
                })?);
            }
            Target::MaxItems => args.max_items = Some(parse_count(name, &one_value(&mut index)?)?),
            Target::PageSize => args.page_size = Some(parse_count(name, &one_value(&mut index)?)?),
            Target::StartingToken => args.starting_token = Some(one_value(&mut index)?),
        }
    }
    let unknown_error = (!unknown.is_empty()).then(|| {
        let names: Vec<String> = options.iter().map(|(n, _)| n.clone()).collect();
        let first_option = unknown.iter().find(|t| t.starts_with("--")).cloned();
        let error = CliError::unknown_options(format!("Unknown options: {}", unknown.join(", ")));
        match first_option {
            Some(option) => error.with_hint(split_option(&option).0, &names),
            None => error,
        }
    });
    // As argparse does in the AWS CLI, every required member's option must be on the command
    // line, and that is reported before unknown options (which we add below it, with their
    // hint, where the AWS CLI leaves them out). Not when the input comes from
    // `--cli-input-json`/`--cli-input-yaml` or only a skeleton is asked for: those members are
    // checked later, in the merged input. Idempotency tokens are never required: the client
    // fills them. (The AWS CLI relaxes the check only for `--cli-input-json FILE`, not for
    // `--cli-input-json=FILE`; both forms relax it here.)
    let input_elsewhere = args.cli_input_json.is_some() || args.cli_input_yaml.is_some() || args.skeleton.is_some();
    let missing: Vec<String> = if input_elsewhere {
        Vec::new()
    } else {
        operation
            .input
            .members()
            .iter()
            .filter(|member| member.required && !member.idempotency_token)
            .filter(|member| !args.params.iter().any(|param| param.member.name == member.name))
            .map(|member| format!("--{}", member.cli_name))
            .collect()
    };
    if !missing.is_empty() {
        return Err(required_error(&missing, unknown_error));
    }
    if let Some(error) = unknown_error {
        return Err(error);
    }
    Ok(Invocation {
        globals,
        action: Action::Run(args),
    })
}

/// argparse's error for arguments that are missing, with the unknown options and their hint, if
/// any, on the lines below it (the AWS CLI reports only the missing ones).
fn required_error(missing: &[String], unknown: Option<CliError>) -> CliError {
    let mut error = CliError::usage(format!("the following arguments are required: {}", missing.join(", ")));
    if let Some(unknown) = unknown {
        error.message.push_str(&unknown.message);
    }
    error
}

fn push_param(args: &mut OperationArgs, member: &'static Member, option: &str, value: RawValue) {
    // As in the AWS CLI, an option given twice keeps its last value.
    args.params.retain(|p| p.member.name != member.name);
    args.params.push(ParamArg {
        member,
        option: option.to_owned(),
        value,
    });
}

/// `--name=value` into (`--name`, `Some("value")`); anything else into (token, None).
fn split_option(token: &str) -> (&str, Option<&str>) {
    match token.split_once('=') {
        Some((name, value)) if token.starts_with("--") => (name, Some(value)),
        _ => (token, None),
    }
}

fn set_global(globals: &mut GlobalArgs, version: &mut bool, name: &str, value: Option<String>) -> Result<(), CliError> {
    let seconds = |value: Option<String>| -> Result<Option<u64>, CliError> {
        let value = value.unwrap_or_default();
        value
            .trim()
            .parse::<u64>()
            .map(Some)
            .map_err(|_| CliError::usage(format!("argument {name}: invalid int value: '{value}'")))
    };
    match name {
        "--region" => globals.region = value,
        "--profile" => globals.profile = value,
        "--endpoint-url" => globals.endpoint_url = value,
        "--output" => globals.output = value,
        "--query" => globals.query = value,
        "--debug" => globals.debug = true,
        "--no-verify-ssl" => globals.no_verify_ssl = true,
        "--cli-read-timeout" => globals.read_timeout = seconds(value)?,
        "--cli-connect-timeout" => globals.connect_timeout = seconds(value)?,
        "--no-paginate" => globals.no_paginate = true,
        "--version" => *version = true,
        "--color" => {
            let value = value.unwrap_or_default();
            if !matches!(value.as_str(), "on" | "off" | "auto") {
                return Err(CliError::usage(format!(
                    "argument --color: Invalid choice, valid choices are:\n\non | off | auto\n\n(received '{value}')"
                )));
            }
            globals.color = Some(value);
        }
        "--cli-binary-format" => {
            let value = value.unwrap_or_default();
            if !matches!(value.as_str(), "base64" | "raw-in-base64-out") {
                return Err(CliError::usage(format!(
                    "argument --cli-binary-format: Invalid choice, valid choices are:\n\nbase64 | raw-in-base64-out\n\n\
                     (received '{value}')"
                )));
            }
            globals.binary_format = Some(value);
        }
        // Accepted for compatibility: there is no pager and no auto-prompt.
        _ => {}
    }
    Ok(())
}

fn invalid_command(service: &'static ServiceSchema, word: &str) -> CliError {
    let names: Vec<&str> = service.operations.iter().map(|op| op.cli_name).collect();
    let mut message = format!(
        "argument command: Invalid choice: '{word}', valid choices are:\n\n{}",
        names.join(" | ")
    );
    let close = crate::validate::closest(word, names.iter().copied());
    if let Some(close) = close {
        message.push_str(&format!("\n\nDid you mean '{close}'?"));
    } else if word.starts_with(|c: char| c.is_ascii_uppercase())
        && let Some(op) = service.operation(word)
    {
        message.push_str(&format!("\n\nCommands use the kebab-case name: '{}'", op.cli_name));
    }
    CliError::usage(message)
}

fn parse_count(name: &str, value: &str) -> Result<u64, CliError> {
    value.trim().parse::<u64>().ok().filter(|n| *n > 0).ok_or_else(|| {
        CliError::usage(format!(
            "argument {name}: invalid int value: '{value}' (expected a whole number of at least 1)"
        ))
    })
}

/// `600`, `600s`, `10m`, `1h`, `1.5m`.
fn parse_duration(text: &str) -> Option<Duration> {
    let text = text.trim();
    let (number, scale) = match text.char_indices().last()? {
        (at, 's') => (&text[..at], 1.0),
        (at, 'm') => (&text[..at], 60.0),
        (at, 'h') => (&text[..at], 3600.0),
        _ => (text, 1.0),
    };
    let seconds = number.trim().parse::<f64>().ok()? * scale;
    (seconds.is_finite() && seconds > 0.0).then(|| Duration::from_secs_f64(seconds))
}

impl CliError {
    /// Adds "did you mean" for an unknown option close to one of `known`, or to a global option.
    fn with_hint(mut self, unknown: &str, known: &[String]) -> Self {
        let globals = GLOBAL_OPTIONS
            .iter()
            .map(|(n, _)| *n)
            .chain(INPUT_OPTIONS.iter().copied());
        let candidates = known.iter().map(String::as_str).chain(globals);
        if let Some(close) = crate::validate::closest(unknown, candidates) {
            self.message.push_str(&format!("\nDid you mean {close}?"));
        }
        self
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use apprunner_types::schema::SERVICE;

    fn parse_line(line: &[&str]) -> Result<Invocation, CliError> {
        let argv: Vec<String> = line.iter().map(|s| (*s).to_owned()).collect();
        parse(&SERVICE, &argv)
    }

    fn run(line: &[&str]) -> (GlobalArgs, OperationArgs) {
        match parse_line(line).unwrap() {
            Invocation {
                globals,
                action: Action::Run(args),
            } => (globals, args),
            other => panic!("not a run: {other:?}"),
        }
    }

    #[test]
    fn globals_anywhere() {
        let (globals, args) = run(&[
            "--region",
            "eu-west-1",
            "create-service",
            "--service-name",
            "app",
            "--source-configuration",
            "{}",
            "--output=yaml",
            "--debug",
            "--endpoint-url",
            "http://127.0.0.1:1",
        ]);
        assert_eq!(globals.region.as_deref(), Some("eu-west-1"));
        assert_eq!(globals.output.as_deref(), Some("yaml"));
        assert_eq!(globals.endpoint_url.as_deref(), Some("http://127.0.0.1:1"));
        assert!(globals.debug);
        assert_eq!(args.operation.name, "CreateService");
        assert_eq!(args.params[0].value, RawValue::Text("app".to_owned()));
    }

    #[test]
    fn aws_style_service_word_is_skipped() {
        let (_, args) = run(&["apprunner", "list-services"]);
        assert_eq!(args.operation.name, "ListServices");
    }

    #[test]
    fn lists_take_several_values() {
        let (_, args) = run(&[
            "create-service",
            "--tags",
            "Key=a,Value=b",
            "Key=c,Value=d",
            "--wait",
            "--service-name=app",
            "--source-configuration={}",
        ]);
        assert_eq!(
            args.params[0].value,
            RawValue::Items(vec!["Key=a,Value=b".to_owned(), "Key=c,Value=d".to_owned()])
        );
        assert!(args.wait);
    }

    #[test]
    fn skeleton_value_is_optional() {
        let (_, args) = run(&["create-service", "--generate-cli-skeleton"]);
        assert_eq!(args.skeleton, Some(SkeletonKind::Input));
        let (_, args) = run(&["create-service", "--generate-cli-skeleton", "yaml-input"]);
        assert_eq!(args.skeleton, Some(SkeletonKind::YamlInput));
        let (_, args) = run(&["--generate-cli-skeleton", "create-service", "--region", "x"]);
        assert_eq!(args.skeleton, Some(SkeletonKind::Input));
        assert!(parse_line(&["create-service", "--generate-cli-skeleton", "json"]).is_err());
    }

    #[test]
    fn help_forms() {
        assert!(matches!(parse_line(&["help"]).unwrap().action, Action::TopHelp));
        assert!(matches!(parse_line(&["--help"]).unwrap().action, Action::TopHelp));
        assert!(matches!(
            parse_line(&["create-service", "help"]).unwrap().action,
            Action::CommandHelp(_)
        ));
        assert!(matches!(
            parse_line(&["create-service", "--help"]).unwrap().action,
            Action::CommandHelp(_)
        ));
        assert!(matches!(
            parse_line(&["--version", "create-service"]).unwrap().action,
            Action::Version
        ));
    }

    #[test]
    fn errors() {
        let error = parse_line(&["create-service", "--servce-name", "x"]).unwrap_err();
        assert_eq!(error.exit.code(), 252);
        assert!(
            error.message.contains("Unknown options: --servce-name, x"),
            "{}",
            error.message
        );
        assert!(
            error.message.contains("Did you mean --service-name?"),
            "{}",
            error.message
        );
        let error = parse_line(&["crate-service"]).unwrap_err();
        assert!(
            error.message.contains("Did you mean 'create-service'?"),
            "{}",
            error.message
        );
        let error = parse_line(&["create-service", "--service-name"]).unwrap_err();
        assert!(error.message.contains("expected one argument"), "{}", error.message);
        assert!(parse_line(&[]).unwrap_err().message.contains("required: command"));
        assert!(parse_line(&["list-services", "--cli-read-timeout", "soon"]).is_err());
        let error = parse_line(&["delete-service", "--service-arn", "x", "--max-items", "3"]).unwrap_err();
        assert!(
            error.message.contains("Unknown options: --max-items, 3"),
            "{}",
            error.message
        );
    }

    #[test]
    fn required_options() {
        let error = parse_line(&["create-service", "--source-configuration", "{}"]).unwrap_err();
        assert_eq!(error.exit.code(), 252);
        assert_eq!(
            error.message,
            "apprunner: error: the following arguments are required: --service-name"
        );
        // Reported before unknown options, which follow with their hint.
        let error = parse_line(&["describe-service", "--servce-arn", "x"]).unwrap_err();
        assert_eq!(
            error.message,
            "apprunner: error: the following arguments are required: --service-arn\nUnknown options: \
             --servce-arn, x\nDid you mean --service-arn?"
        );
        // Input files and skeletons bring or skip the members; they are checked later.
        run(&["create-service", "--cli-input-json", "{}"]);
        run(&["create-service", "--cli-input-yaml={}"]);
        run(&["delete-service", "--generate-cli-skeleton", "output"]);
        run(&["list-services"]);
    }

    #[test]
    fn paging_options_on_paginated_commands() {
        let (globals, args) = run(&[
            "list-services",
            "--max-items",
            "3",
            "--starting-token",
            "t",
            "--no-paginate",
        ]);
        assert_eq!(args.max_items, Some(3));
        assert_eq!(args.starting_token.as_deref(), Some("t"));
        assert!(globals.no_paginate);
        let (_, args) = run(&["list-services", "--next-token", "abc"]);
        assert!(args.manual_paging());
    }

    #[test]
    fn durations() {
        assert_eq!(parse_duration("90"), Some(Duration::from_secs(90)));
        assert_eq!(parse_duration("10m"), Some(Duration::from_secs(600)));
        assert_eq!(parse_duration("1h"), Some(Duration::from_secs(3600)));
        assert_eq!(parse_duration("soon"), None);
        assert_eq!(parse_duration("0"), None);
    }
}
