//! Errors of the command line and the exit codes of AWS CLI v2.
//!
//! | code | meaning |
//! | ---- | ------- |
//! | 0    | success |
//! | 130  | interrupted (Ctrl-C) |
//! | 252  | the command line or the parameters are wrong (nothing was sent) |
//! | 253  | the configuration is incomplete: no region, no credentials, a bad profile |
//! | 254  | the service answered with an error |
//! | 255  | anything else (network, timeout, a failed `--wait`) |
//!
//! Every message goes to standard error, in the AWS CLI's words where it has words for the
//! case, followed by our explanation of what to do.

use apprunner_runtime::{SdkError, TimeoutKind};
use apprunner_smithy::ErrorMetadata;
use std::fmt;

/// The usage summary printed above command-line errors, as the AWS CLI prints its own.
pub const USAGE: &str = "usage: apprunner [options] <command> [parameters]\nTo see help text, you can run:\n\n  \
                         apprunner help\n  apprunner <command> help\n";

/// How the program ends.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ExitCode {
    /// 0.
    Success,
    /// 252: a bad command line or bad parameters.
    Usage,
    /// 253: missing or invalid configuration (region, credentials, profile).
    Config,
    /// 254: the service returned an error.
    Service,
    /// 255: any other failure.
    General,
    /// 130: interrupted by Ctrl-C.
    Interrupted,
}

impl ExitCode {
    /// The process exit status.
    pub fn code(self) -> i32 {
        match self {
            ExitCode::Success => 0,
            ExitCode::Usage => 252,
            ExitCode::Config => 253,
            ExitCode::Service => 254,
            ExitCode::General => 255,
            ExitCode::Interrupted => 130,
        }
    }
}

/// A failure, with the exit code it maps to and the text to print.
#[derive(Debug)]
pub struct CliError {
    /// The exit code.
    pub exit: ExitCode,
    /// The message (without the leading blank line the AWS CLI prints).
    pub message: String,
    /// Whether to print the usage summary first (argument-parsing errors, as argparse does).
    pub show_usage: bool,
}

impl CliError {
    /// A command-line error printed as `apprunner: error: <message>` under the usage summary.
    pub fn usage(message: impl Into<String>) -> Self {
        CliError {
            exit: ExitCode::Usage,
            message: format!("apprunner: error: {}", message.into()),
            show_usage: true,
        }
    }

    /// Unknown options, under the usage summary after a blank line and without the
    /// `apprunner: error:` prefix, as the AWS CLI prints them.
    pub fn unknown_options(message: impl Into<String>) -> Self {
        CliError {
            exit: ExitCode::Usage,
            message: format!("\n{}", message.into()),
            show_usage: true,
        }
    }

    /// A parameter error: `Error parsing parameter '--name': <message>`.
    pub fn param(option: &str, message: impl fmt::Display) -> Self {
        CliError {
            exit: ExitCode::Usage,
            message: format!("Error parsing parameter '{option}': {message}"),
            show_usage: false,
        }
    }

    /// Any other exit-252 error, printed as given.
    pub fn invalid(message: impl Into<String>) -> Self {
        CliError {
            exit: ExitCode::Usage,
            message: message.into(),
            show_usage: false,
        }
    }

    /// An error with this exit code, printed as given.
    pub fn new(exit: ExitCode, message: impl Into<String>) -> Self {
        CliError {
            exit,
            message: message.into(),
            show_usage: false,
        }
    }

    /// The error of a call: the exit code and message by the kind of failure.
    pub fn from_sdk(operation: &str, error: SdkError<ErrorMetadata>) -> Self {
        match error {
            SdkError::Service(metadata) => CliError::new(ExitCode::Service, service_message(operation, &metadata)),
            SdkError::Config(error) => CliError::new(ExitCode::Config, config_message(&error)),
            SdkError::Credentials(error) => {
                let message = match &error {
                    apprunner_runtime::credentials::CredentialsError::NotFound { .. } => format!(
                        "Unable to locate credentials. You can configure credentials by running \"aws configure\".\n{error}"
                    ),
                    _ => error.to_string(),
                };
                CliError::new(ExitCode::Config, message)
            }
            SdkError::InvalidInput(error) => {
                let mut message = String::from("Parameter validation failed:");
                for violation in error.violations() {
                    let path = if violation.path.is_empty() {
                        "input"
                    } else {
                        violation.path.as_str()
                    };
                    message.push_str(&format!("\nInvalid value for parameter {path}: {}", violation.message));
                }
                CliError::invalid(message)
            }
            SdkError::Timeout(error) => {
                let option = match error.kind() {
                    TimeoutKind::Connect => "--cli-connect-timeout",
                    _ => "--cli-read-timeout",
                };
                let seconds = error.limit().as_secs_f64();
                CliError::new(
                    ExitCode::General,
                    format!(
                        "Request timed out after {seconds}s. {error}\nAllow more time with {option} SECONDS (0 for no limit)."
                    ),
                )
            }
            other => CliError::new(ExitCode::General, other.to_string()),
        }
    }

    /// Writes the error to standard error as the AWS CLI does: a blank line, then the message
    /// (configuration errors without the blank line, usage errors under the usage summary).
    pub fn print(&self) {
        if self.show_usage {
            eprintln!("{USAGE}{}", self.message);
        } else if self.exit == ExitCode::Config {
            eprintln!("{}", self.message);
        } else {
            eprint!("\n{}\n", self.message);
        }
    }
}

impl fmt::Display for CliError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message)
    }
}

impl std::error::Error for CliError {}

/// `An error occurred (Code) when calling the Operation operation: message`.
pub fn service_message(operation: &str, metadata: &ErrorMetadata) -> String {
    let code = metadata.code.as_deref().unwrap_or("Unknown");
    let message = metadata.message.as_deref().unwrap_or("Unknown");
    let mut text = format!("An error occurred ({code}) when calling the {operation} operation: {message}");
    if code == "Unknown" {
        text.push_str(&format!(" (HTTP status {})", metadata.status));
    }
    text
}

fn config_message(error: &apprunner_runtime::ConfigError) -> String {
    match error {
        apprunner_runtime::ConfigError::NoRegion { .. } => format!(
            "You must specify a region. You can also configure your region by running \"aws configure\".\n\
             Give --region (for example --region us-east-1) or set AWS_REGION.\n{error}"
        ),
        apprunner_runtime::ConfigError::ProfileNotFound {
            name,
            selected_by,
            files,
            available,
        } => {
            // The runtime names the builder method that chose the profile; here that was `--profile`.
            let from_command_line = apprunner_runtime::ConfigError::ProfileNotFound {
                name: name.clone(),
                selected_by: match selected_by.as_str() {
                    "ConfigBuilder::profile" => "--profile".to_owned(),
                    other => other.to_owned(),
                },
                files: files.clone(),
                available: available.clone(),
            };
            format!("The config profile ({name}) could not be found\n{from_command_line}")
        }
        other => other.to_string(),
    }
}

/// Exit code and message for configuration that cannot be loaded (a bad profile file, say).
pub fn from_config_error(error: apprunner_runtime::ConfigError) -> CliError {
    CliError::new(ExitCode::Config, config_message(&error))
}
