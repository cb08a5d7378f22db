//! `apprunner`: the App Runner commands of the AWS CLI, driven by the Smithy model.
//!
//! Each operation of the model is a command with one option per input member; the options,
//! the help pages, the skeletons and the validation all come from `apprunner_types::schema`, so
//! a model change followed by `cargo xtask codegen` changes the command line without edits here.
//!
//! The flow of one run ([`run`]): parse the command line ([`args`]) → build the JSON input
//! ([`input`], [`shorthand`]) → validate it against the model ([`validate`]; exit 252 with
//! every problem) → load the configuration and build the client (only now: help, skeletons and
//! invalid input never touch the network stack) → call the operation (all pages of a paginated
//! one, [`paginate`]) → apply `--query` ([`query`]) → print in the `--output` format
//! ([`output`]) → follow the operation with `--wait` ([`wait`]). Failures map to the AWS CLI's
//! exit codes ([`errors`]).
#![warn(missing_docs)]

pub mod args;
pub mod call;
pub mod errors;
pub mod help;
pub mod input;
pub mod output;
pub mod paginate;
pub mod query;
pub mod shorthand;
pub mod skeleton;
pub mod validate;
pub mod wait;

use apprunner_client::Client;
use apprunner_runtime::{Config, Timeouts};
use apprunner_smithy::schema::{OperationSchema, ShapeKind, Type, TypeKind};
use apprunner_types::schema::SERVICE;
use args::{Action, GlobalArgs, OperationArgs, SkeletonKind};
use errors::{CliError, ExitCode};
use serde_json::Value;
use std::io::Write as _;
use std::time::Duration;

/// The version line printed by `--version`.
pub fn version_line() -> String {
    format!(
        "apprunner-cli/{} apprunner-api/{} {}/{}",
        env!("CARGO_PKG_VERSION"),
        SERVICE.version,
        std::env::consts::OS,
        std::env::consts::ARCH
    )
}

/// Runs the program with `argv` (without the program name) and returns the exit status.
pub fn run(argv: &[String]) -> i32 {
    match run_inner(argv) {
        Ok(()) => ExitCode::Success.code(),
        Err(error) => {
            error.print();
            error.exit.code()
        }
    }
}

fn run_inner(argv: &[String]) -> Result<(), CliError> {
    let invocation = args::parse(&SERVICE, argv)?;
    if invocation.globals.debug {
        install_debug_logging();
        tracing::debug!(target: "apprunner_cli", version = %version_line(), "starting");
    }
    match invocation.action {
        Action::Version => print_stdout(&format!("{}\n", version_line())),
        Action::TopHelp => print_stdout(&help::top_help(&SERVICE)),
        Action::CommandHelp(operation) => print_stdout(&help::command_help(operation)),
        Action::Run(args) => run_operation(&invocation.globals, args)?,
    }
    Ok(())
}

fn run_operation(globals: &GlobalArgs, args: OperationArgs) -> Result<(), CliError> {
    let operation = args.operation;
    match args.skeleton {
        Some(SkeletonKind::Input) => {
            print_stdout(&skeleton::input_json(operation.input));
            return Ok(());
        }
        Some(SkeletonKind::YamlInput) => {
            print_stdout(&skeleton::input_yaml(operation.input));
            return Ok(());
        }
        _ => {}
    }
    let query = match &globals.query {
        Some(expression) => Some(
            query::Query::parse(expression)
                .map_err(|error| CliError::invalid(format!("Bad value for --query {expression}: {error}")))?,
        ),
        None => None,
    };
    let output_flag = match &globals.output {
        Some(text) => Some(parse_output(text, "--output")?),
        None => None,
    };
    let paging = paging_options(globals, &args)?;

    let input = input::build_input(&args)?;
    validate::validate(operation.input, &input).map_err(|report| CliError::invalid(report.to_string()))?;

    let config = load_config(globals)?;
    let format = match output_flag {
        Some(format) => format,
        None => configured_output(&config)?,
    };
    if args.skeleton == Some(SkeletonKind::Output) {
        let sample = skeleton::output_value(operation.output);
        return print_result(&sample, query.as_ref(), &render_options(globals, format), operation);
    }
    config.region().map_err(errors::from_config_error)?;

    tracing::debug!(
        target: "apprunner_cli",
        operation = operation.name,
        input = %redact(&input, &Type { kind: TypeKind::Shape(operation.input), length: None, pattern: None, range: None, sensitive: false }),
        "request parameters"
    );
    let client = Client::from_conf(config).map_err(|error| CliError::new(ExitCode::General, error.to_string()))?;
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .map_err(|error| CliError::new(ExitCode::General, format!("cannot start the async runtime: {error}")))?;
    let options = render_options(globals, format);
    runtime.block_on(async {
        tokio::select! {
            result = call_and_print(&client, operation, input, &paging, &args, query.as_ref(), &options) => result,
            _ = tokio::signal::ctrl_c() => {
                eprintln!();
                Err(CliError::new(ExitCode::Interrupted, "Interrupted."))
            }
        }
    })
}

async fn call_and_print(
    client: &Client,
    operation: &'static OperationSchema,
    input: Value,
    paging: &paginate::PaginationOptions,
    args: &OperationArgs,
    query: Option<&query::Query>,
    options: &output::RenderOptions,
) -> Result<(), CliError> {
    let pages = paginate::fetch_pages(client, operation, input, paging)
        .await
        .map_err(|error| CliError::from_sdk(operation.name, error))?;
    let response = pages.merged();
    tracing::debug!(
        target: "apprunner_cli",
        operation = operation.name,
        output = %redact(&response, &Type { kind: TypeKind::Shape(operation.output), length: None, pattern: None, range: None, sensitive: false }),
        "response"
    );
    print_pages(&pages, query, options, operation)?;
    if args.wait {
        let timeout = args.wait_timeout.unwrap_or(wait::DEFAULT_TIMEOUT);
        wait::wait(client, operation, &response, timeout, wait::interval_from_env()).await?;
    }
    Ok(())
}

fn print_result(
    value: &Value,
    query: Option<&query::Query>,
    options: &output::RenderOptions,
    operation: &'static OperationSchema,
) -> Result<(), CliError> {
    print_pages(&paginate::Pages::single(value.clone()), query, options, operation)
}

/// Prints a response: converted to what the AWS CLI shows, then `--query`, then `--output`.
fn print_pages(
    pages: &paginate::Pages,
    query: Option<&query::Query>,
    options: &output::RenderOptions,
    operation: &'static OperationSchema,
) -> Result<(), CliError> {
    let text = output::render_pages(pages, query, options, operation.output)
        .map_err(|error| CliError::new(ExitCode::General, error.to_string()))?;
    print_stdout(&text);
    Ok(())
}

/// Writes to standard output; a closed pipe (`| head`) is not an error.
fn print_stdout(text: &str) {
    let mut stdout = std::io::stdout().lock();
    let _ = stdout.write_all(text.as_bytes());
    let _ = stdout.flush();
}

/// How to print on standard output; `--color on|off` overrides the terminal check.
fn render_options(globals: &GlobalArgs, format: output::OutputFormat) -> output::RenderOptions {
    let mut options = output::RenderOptions::for_stdout(format);
    match globals.color.as_deref() {
        Some("on") => options.color = true,
        Some("off") => options.color = false,
        _ => {}
    }
    options
}

fn parse_output(text: &str, source: &str) -> Result<output::OutputFormat, CliError> {
    text.trim()
        .parse::<output::OutputFormat>()
        .map_err(|error| CliError::usage(format!("argument {source}: {error}")))
}

/// The output format from `AWS_DEFAULT_OUTPUT`, then the profile's `output`, else JSON.
fn configured_output(config: &Config) -> Result<output::OutputFormat, CliError> {
    let (value, source) = match config.env().get("AWS_DEFAULT_OUTPUT") {
        Some(value) => (Some(value), "AWS_DEFAULT_OUTPUT".to_owned()),
        None => (
            config
                .profiles()
                .profile(config.profile_name())
                .and_then(|p| p.get("output"))
                .map(str::to_owned),
            format!("`output` in profile `{}`", config.profile_name()),
        ),
    };
    match value.filter(|v| !v.trim().is_empty()) {
        Some(value) => value
            .trim()
            .parse::<output::OutputFormat>()
            .map_err(|error| CliError::new(ExitCode::Config, format!("Invalid {source}: {error}"))),
        None => "json"
            .parse::<output::OutputFormat>()
            .map_err(|error| CliError::new(ExitCode::General, error.to_string())),
    }
}

fn paging_options(globals: &GlobalArgs, args: &OperationArgs) -> Result<paginate::PaginationOptions, CliError> {
    if globals.no_paginate {
        let mut given = Vec::new();
        if args.max_items.is_some() {
            given.push("--max-items");
        }
        if args.starting_token.is_some() {
            given.push("--starting-token");
        }
        if args.page_size.is_some() {
            given.push("--page-size");
        }
        if !given.is_empty() {
            return Err(CliError::invalid(format!(
                "Error during pagination: Cannot specify --no-paginate along with pagination arguments: {}",
                given.join(", ")
            )));
        }
    }
    if args.manual_paging() && (args.max_items.is_some() || args.starting_token.is_some() || args.page_size.is_some()) {
        return Err(CliError::invalid(
            "Error during pagination: --next-token turns automatic pagination off; it cannot be combined with \
             --max-items, --starting-token or --page-size",
        ));
    }
    Ok(paginate::PaginationOptions {
        no_paginate: globals.no_paginate || args.manual_paging(),
        max_items: args.max_items,
        starting_token: args.starting_token.clone(),
        page_size: args.page_size,
    })
}

/// The client configuration: the command line over the environment and the profile.
fn load_config(globals: &GlobalArgs) -> Result<Config, CliError> {
    let mut builder = Config::builder();
    if let Some(region) = &globals.region {
        builder = builder.region(region.trim());
    }
    if let Some(profile) = &globals.profile {
        builder = builder.profile(profile.trim());
    }
    if let Some(url) = &globals.endpoint_url {
        builder = builder.endpoint_url(url.trim());
    }
    if globals.no_verify_ssl {
        builder = builder.verify_tls(false);
    }
    if globals.read_timeout.is_some() || globals.connect_timeout.is_some() {
        let defaults = Timeouts::default();
        // The AWS CLI has no whole-operation limit: with explicit timeouts, attempts are bounded
        // by them and by the retry count alone.
        let mut timeouts = Timeouts {
            operation: None,
            ..defaults
        };
        match globals.read_timeout {
            Some(0) => timeouts.attempt = None,
            Some(seconds) => timeouts.attempt = Some(Duration::from_secs(seconds)),
            None => {}
        }
        match globals.connect_timeout {
            // 0 means no limit; a day stands for it (the transport needs a finite duration).
            Some(0) => timeouts.connect = Duration::from_secs(24 * 3600),
            Some(seconds) => timeouts.connect = Duration::from_secs(seconds),
            None => {}
        }
        builder = builder.timeouts(timeouts);
    }
    builder.load().map_err(errors::from_config_error)
}

/// A copy of `value` with `@sensitive` members replaced, for `--debug` logs.
pub fn redact(value: &Value, ty: &Type) -> Value {
    if ty.sensitive {
        return Value::String(apprunner_smithy::REDACTED.to_owned());
    }
    match (&ty.kind, value) {
        (TypeKind::Shape(shape), Value::Object(map)) => {
            if shape.sensitive {
                return Value::String(apprunner_smithy::REDACTED.to_owned());
            }
            if let ShapeKind::Structure(_) | ShapeKind::Union(_) = shape.kind {
                return Value::Object(
                    map.iter()
                        .map(|(key, item)| {
                            let item = match shape.member(key) {
                                Some(member) => redact(item, &member.ty),
                                None => item.clone(),
                            };
                            (key.clone(), item)
                        })
                        .collect(),
                );
            }
            value.clone()
        }
        (TypeKind::Shape(shape), _) if shape.sensitive => Value::String(apprunner_smithy::REDACTED.to_owned()),
        (TypeKind::List(item), Value::Array(items)) => Value::Array(items.iter().map(|v| redact(v, item)).collect()),
        (TypeKind::Map(key, item), Value::Object(map)) => {
            if key.sensitive {
                return Value::String(apprunner_smithy::REDACTED.to_owned());
            }
            Value::Object(map.iter().map(|(k, v)| (k.clone(), redact(v, item))).collect())
        }
        _ => value.clone(),
    }
}

/// `--debug`: the runtime's and this program's debug events on standard error.
fn install_debug_logging() {
    let _ = tracing_subscriber::fmt()
        .with_writer(std::io::stderr)
        .with_max_level(tracing::Level::DEBUG)
        .with_ansi(false)
        .try_init();
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn redaction_follows_the_model() {
        let op = SERVICE.operation("create-service").unwrap();
        let ty = Type {
            kind: TypeKind::Shape(op.input),
            length: None,
            pattern: None,
            range: None,
            sensitive: false,
        };
        let input = json!({"ServiceName": "app", "SourceConfiguration": {"CodeRepository": {
            "CodeConfiguration": {"CodeConfigurationValues": {"BuildCommand": "make secret",
            "RuntimeEnvironmentVariables": {"TOKEN": "hunter2"}}}}}});
        let text = redact(&input, &ty).to_string();
        assert!(
            !text.contains("hunter2") && !text.contains("TOKEN") && !text.contains("make secret"),
            "{text}"
        );
        assert!(text.contains("\"ServiceName\":\"app\""), "{text}");
    }
}
