//! `--wait`: follow a create-service or delete-service operation to its end.
//!
//! After the call has returned (and its response has been printed), the operation it started is
//! looked up with ListOperations and the service with DescribeService, every few seconds, until
//! the operation has succeeded and the service is RUNNING (create) or gone/DELETED (delete), or
//! until either fails. On a terminal, standard error shows a spinner with the statuses and the
//! time elapsed; otherwise one line is printed each time a status changes. A failure or the
//! `--wait-timeout` ends the program with exit code 255, as an AWS CLI waiter does.

use crate::errors::{CliError, ExitCode};
use apprunner_client::Client;
use apprunner_runtime::SdkError;
use apprunner_smithy::ErrorMetadata;
use apprunner_smithy::schema::OperationSchema;
use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};
use serde_json::{Value, json};
use std::io::IsTerminal;
use std::time::{Duration, Instant};

/// How long `--wait` waits without `--wait-timeout`.
pub const DEFAULT_TIMEOUT: Duration = Duration::from_secs(30 * 60);
/// The time between checks without `APPRUNNER_WAIT_INTERVAL`.
pub const DEFAULT_INTERVAL: Duration = Duration::from_secs(5);

/// Whether `--wait` applies to the operation.
pub fn supports_wait(operation: &OperationSchema) -> bool {
    matches!(operation.name, "CreateService" | "DeleteService")
}

/// The service status `--wait` waits for.
pub fn target_status(operation: &OperationSchema) -> &'static str {
    if operation.name == "DeleteService" {
        "DELETED"
    } else {
        "RUNNING"
    }
}

/// The interval between checks: `APPRUNNER_WAIT_INTERVAL` seconds, else the default.
pub fn interval_from_env() -> Duration {
    std::env::var("APPRUNNER_WAIT_INTERVAL")
        .ok()
        .and_then(|v| v.trim().parse::<f64>().ok())
        .filter(|s| s.is_finite() && *s >= 0.0)
        .map_or(DEFAULT_INTERVAL, Duration::from_secs_f64)
}

/// Follows the operation started by `response` (a CreateService or DeleteService output).
pub async fn wait(
    client: &Client,
    operation: &OperationSchema,
    response: &Value,
    timeout: Duration,
    interval: Duration,
) -> Result<(), CliError> {
    let deleting = operation.name == "DeleteService";
    let service = &response["Service"];
    let (Some(arn), Some(operation_id)) = (service["ServiceArn"].as_str(), response["OperationId"].as_str()) else {
        return Err(CliError::new(
            ExitCode::General,
            "Cannot wait: the response has no Service.ServiceArn or OperationId to follow.",
        ));
    };
    let name = service["ServiceName"].as_str().unwrap_or(arn).to_owned();
    let started = Instant::now();
    let mut progress = Progress::new(&name);
    let mut operation_status = "PENDING".to_owned();
    let mut service_status;
    loop {
        match find_operation(client, arn, operation_id).await {
            Ok(Some(status)) => operation_status = status,
            Ok(None) => {}
            Err(error) if deleting && is_not_found(&error) => operation_status = "SUCCEEDED".to_owned(),
            Err(error) => return Err(progress.fail(CliError::from_sdk("ListOperations", error))),
        }
        match crate::call::send_json(client, "DescribeService", &json!({"ServiceArn": arn})).await {
            Ok(described) => {
                service_status = described["Service"]["Status"].as_str().unwrap_or("UNKNOWN").to_owned();
            }
            Err(error) if deleting && is_not_found(&error) => service_status = "DELETED".to_owned(),
            Err(error) => return Err(progress.fail(CliError::from_sdk("DescribeService", error))),
        }
        progress.update(&operation_status, &service_status, started.elapsed());

        let target = target_status(operation);
        let failed_operation = matches!(
            operation_status.as_str(),
            "FAILED" | "ROLLBACK_FAILED" | "ROLLBACK_SUCCEEDED" | "ROLLBACK_IN_PROGRESS"
        );
        let failed_service = matches!(service_status.as_str(), "CREATE_FAILED" | "DELETE_FAILED");
        if failed_operation || failed_service {
            let message = format!(
                "Waiter Service{} failed: operation {operation_id} ended {operation_status}; service {name} is \
                 {service_status}.\nSee why with: apprunner list-operations --service-arn {arn}",
                title(target)
            );
            return Err(progress.fail(CliError::new(ExitCode::General, message)));
        }
        if operation_status == "SUCCEEDED" && service_status == target {
            progress.done(&format!(
                "Service {name} is {service_status} ({})",
                elapsed_text(started.elapsed())
            ));
            return Ok(());
        }
        if started.elapsed() + interval > timeout {
            let message = format!(
                "Waiter Service{} failed: gave up after {}: operation {operation_id} is {operation_status}, service \
                 {name} is {service_status}.\nFollow it with: apprunner list-operations --service-arn {arn}",
                title(target),
                elapsed_text(timeout)
            );
            return Err(progress.fail(CliError::new(ExitCode::General, message)));
        }
        tokio::time::sleep(interval).await;
    }
}

fn title(status: &str) -> String {
    let lower = status.to_ascii_lowercase();
    let mut chars = lower.chars();
    chars
        .next()
        .map(|c| c.to_ascii_uppercase().to_string() + chars.as_str())
        .unwrap_or_default()
}

fn is_not_found(error: &SdkError<ErrorMetadata>) -> bool {
    matches!(error, SdkError::Service(meta) if meta.code.as_deref() == Some("ResourceNotFoundException"))
}

/// The status of operation `id` of the service, looking through up to five pages.
async fn find_operation(client: &Client, arn: &str, id: &str) -> Result<Option<String>, SdkError<ErrorMetadata>> {
    let mut token: Option<String> = None;
    for _ in 0..5 {
        let mut input = json!({"ServiceArn": arn});
        if let Some(token) = &token {
            input["NextToken"] = Value::String(token.clone());
        }
        let page = crate::call::send_json(client, "ListOperations", &input).await?;
        if let Some(found) = page["OperationSummaryList"]
            .as_array()
            .into_iter()
            .flatten()
            .find(|summary| summary["Id"].as_str() == Some(id))
        {
            return Ok(found["Status"].as_str().map(str::to_owned));
        }
        match page["NextToken"].as_str() {
            Some(next) if !next.is_empty() => token = Some(next.to_owned()),
            _ => break,
        }
    }
    Ok(None)
}

/// `1h02m03s`, `2m05s`, `7s`.
pub fn elapsed_text(elapsed: Duration) -> String {
    let total = elapsed.as_secs();
    let (hours, minutes, seconds) = (total / 3600, total / 60 % 60, total % 60);
    if hours > 0 {
        format!("{hours}h{minutes:02}m{seconds:02}s")
    } else if minutes > 0 {
        format!("{minutes}m{seconds:02}s")
    } else {
        format!("{seconds}s")
    }
}

/// The spinner on a terminal, status lines otherwise. Clears the spinner when dropped (Ctrl-C).
struct Progress {
    name: String,
    spinner: Option<ProgressBar>,
    last: Option<(String, String)>,
}

impl Progress {
    fn new(name: &str) -> Self {
        let spinner = std::io::stderr().is_terminal().then(|| {
            let bar = ProgressBar::with_draw_target(None, ProgressDrawTarget::stderr());
            if let Ok(style) = ProgressStyle::with_template("{spinner} {msg} ({elapsed})") {
                bar.set_style(style);
            }
            bar.set_message(format!("Waiting for service {name}"));
            bar.enable_steady_tick(Duration::from_millis(120));
            bar
        });
        Progress {
            name: name.to_owned(),
            spinner,
            last: None,
        }
    }

    fn update(&mut self, operation: &str, service: &str, elapsed: Duration) {
        let status = format!(
            "Waiting for service {}: operation {operation}, service {service}",
            self.name
        );
        match &self.spinner {
            // The spinner's template adds the elapsed time, kept current between checks.
            Some(spinner) => spinner.set_message(status),
            None => {
                let state = (operation.to_owned(), service.to_owned());
                if self.last.as_ref() != Some(&state) {
                    eprintln!("{status} ({})", elapsed_text(elapsed));
                    self.last = Some(state);
                }
            }
        }
    }

    fn done(&mut self, line: &str) {
        if let Some(spinner) = self.spinner.take() {
            spinner.finish_and_clear();
        }
        eprintln!("{line}");
    }

    fn fail(&mut self, error: CliError) -> CliError {
        if let Some(spinner) = self.spinner.take() {
            spinner.finish_and_clear();
        }
        error
    }
}

impl Drop for Progress {
    fn drop(&mut self) {
        if let Some(spinner) = self.spinner.take() {
            spinner.finish_and_clear();
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn elapsed() {
        assert_eq!(elapsed_text(Duration::from_secs(7)), "7s");
        assert_eq!(elapsed_text(Duration::from_secs(125)), "2m05s");
        assert_eq!(elapsed_text(Duration::from_secs(3723)), "1h02m03s");
        assert_eq!(title("RUNNING"), "Running");
    }
}
