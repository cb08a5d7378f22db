//! The comparison program: the same work as the project's `minimal-create-service`,
//! written against the official `aws-sdk-apprunner` and `aws-config` the way their
//! documentation shows. `sdk-minimal-create-service N` sends the reference page's
//! Example 1 (corrected) N times in sequence on one client, building the input inside
//! the timed loop, and prints `n=N median_us=.. p99_us=.. min_us=.. max_us=..`.
//! The endpoint comes from `APPRUNNER_ENDPOINT_URL`; any failure exits 2.

#[path = "../../../../crates/apprunner-bench/src/timed_calls.rs"]
mod timed_calls;

use aws_sdk_apprunner::config::{BehaviorVersion, Credentials, Region};
use aws_sdk_apprunner::types::{
    AuthenticationConfiguration, CodeConfiguration, CodeConfigurationValues, CodeRepository, ConfigurationSource,
    InstanceConfiguration, Runtime, SourceCodeVersion, SourceCodeVersionType, SourceConfiguration,
};
use std::process::ExitCode;
use timed_calls::Failure;

fn main() -> ExitCode {
    timed_calls::main("sdk-minimal-create-service", |settings| {
        let runtime = tokio::runtime::Builder::new_current_thread().enable_all().build()?;
        runtime.block_on(async {
            let shared = aws_config::defaults(BehaviorVersion::latest())
                .region(Region::new("us-east-1"))
                .credentials_provider(Credentials::new(
                    "AKIDEXAMPLE",
                    "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY",
                    None,
                    None,
                    "example",
                ))
                .endpoint_url(settings.endpoint)
                .load()
                .await;
            let client = aws_sdk_apprunner::Client::new(&shared);
            timed_calls::time_calls(settings.count, || create_once(&client)).await
        })
    })
}

/// Builds Example 1 (corrected) and sends it once.
async fn create_once(client: &aws_sdk_apprunner::Client) -> Result<(), Failure> {
    let values = CodeConfigurationValues::builder()
        .runtime(Runtime::Python3)
        .build_command("pip install -r requirements.txt")
        .start_command("python server.py")
        .port("8080")
        .runtime_environment_variables("NAME", "Jane")
        .build()?;
    let code_configuration = CodeConfiguration::builder()
        .configuration_source(ConfigurationSource::Api)
        .code_configuration_values(values)
        .build()?;
    let repository = CodeRepository::builder()
        .repository_url("https://github.com/my-account/python-hello")
        .source_code_version(
            SourceCodeVersion::builder()
                .r#type(SourceCodeVersionType::Branch)
                .value("main")
                .build()?,
        )
        .code_configuration(code_configuration)
        .build()?;
    let source = SourceConfiguration::builder()
        .code_repository(repository)
        .authentication_configuration(
            AuthenticationConfiguration::builder()
                .connection_arn(
                    "arn:aws:apprunner:us-east-1:123456789012:connection/my-github-connection/e7656250f67242d7819feade6800f59e",
                )
                .build(),
        )
        .build();
    client
        .create_service()
        .service_name("python-app")
        .source_configuration(source)
        .instance_configuration(InstanceConfiguration::builder().cpu("1 vCPU").memory("3 GB").build())
        .send()
        .await?;
    Ok(())
}
