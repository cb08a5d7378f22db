//! `minimal-create-service N`: sends the reference page's Example 1 CreateService N
//! times in sequence on one client and prints latency statistics.
//!
//! The endpoint comes from `APPRUNNER_ENDPOINT_URL`; requests are signed with the
//! AWS documentation's example key pair in us-east-1. The input is built inside the
//! timed loop, as a caller would. Output: `n=N median_us=.. p99_us=.. min_us=.. max_us=..`;
//! on any failure the error is printed and the exit code is 2.

#[path = "../example_one.rs"]
mod example_one;
#[path = "../timed_calls.rs"]
mod timed_calls;

use apprunner_client::SdkError;
use apprunner_client::operation::create_service::CreateServiceError;
use apprunner_runtime::credentials::Credentials;
use std::process::ExitCode;

fn main() -> ExitCode {
    timed_calls::main("minimal-create-service", |settings| {
        let config = apprunner_client::Config::builder()
            .region("us-east-1")
            .credentials(Credentials::new(
                "AKIDEXAMPLE",
                "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY",
                None,
                None,
                "example",
            ))
            .endpoint_url(settings.endpoint)
            .load()?;
        let client = apprunner_client::Client::from_conf(config)?;
        let runtime = tokio::runtime::Builder::new_current_thread().enable_all().build()?;
        runtime.block_on(timed_calls::time_calls(settings.count, || create_once(&client)))
    })
}

/// Sends one CreateService on `client`, building its input first, as a caller would.
async fn create_once(client: &apprunner_client::Client) -> Result<(), SdkError<CreateServiceError>> {
    let input = example_one::example_one_input().map_err(SdkError::InvalidInput)?;
    client.send(input).await.map(|_| ())
}
