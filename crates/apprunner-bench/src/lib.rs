//! Benchmarks of the App Runner client: `cargo bench -p apprunner-bench` runs the
//! micro-benchmarks (`benches/pipeline.rs`); the `minimal-create-service` binary is
//! the program the comparison harness times against the official SDK.
//!
//! [`example_one_input`] builds the reference page's first example, corrected
//! (`Cpu`, environment variables as a map), the way a caller would.

use apprunner_client::SdkError;
use apprunner_client::types::{
    CodeConfiguration, CodeConfigurationValues, CodeRepository, ConfigurationSource, CreateServiceInput,
    InstanceConfiguration, Runtime, SourceCodeVersion, SourceCodeVersionType, SourceConfiguration,
};

/// The reference page's Example 1 (a Python service built from a GitHub repository), corrected.
///
/// # Errors
///
/// Only if the input is incomplete, which would be a bug here.
pub fn example_one_input() -> Result<CreateServiceInput, apprunner_client::types::ValidationError> {
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
            apprunner_client::types::AuthenticationConfiguration::builder()
                .connection_arn(
                    "arn:aws:apprunner:us-east-1:123456789012:connection/my-github-connection/e7656250f67242d7819feade6800f59e",
                )
                .build(),
        )
        .build();
    CreateServiceInput::builder()
        .service_name("python-app")
        .source_configuration(source)
        .instance_configuration(InstanceConfiguration::builder().cpu("1 vCPU").memory("3 GB").build())
        .build()
}

/// Sends one CreateService on `client`.
///
/// # Errors
///
/// Whatever the call returns.
pub async fn create_once(
    client: &apprunner_client::Client,
) -> Result<(), SdkError<apprunner_client::operation::create_service::CreateServiceError>> {
    let input = example_one_input().map_err(SdkError::InvalidInput)?;
    client.send(input).await.map(|_| ())
}
