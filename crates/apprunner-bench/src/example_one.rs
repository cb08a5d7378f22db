//! The reference page's first example, corrected (`Cpu`, environment variables as
//! a map), built the way a caller would: shared by the `minimal-create-service`
//! program and the micro-benchmarks (`benches/pipeline.rs`), which both include
//! this file as a module.
//!
//! The package has no library: the measured program is one crate, as a user's
//! one-call program (and the official SDK's counterpart) is, so its cold build has
//! no extra crate to compile before it.

use apprunner_client::types::{
    CodeConfiguration, CodeConfigurationValues, CodeRepository, ConfigurationSource, CreateServiceInput,
    InstanceConfiguration, Runtime, SourceCodeVersion, SourceCodeVersionType, SourceConfiguration,
};

/// The reference page's Example 1 (a Python service built from a GitHub repository), corrected.
///
/// # Errors
///
/// Only if the input is incomplete, which would be a bug here.
pub(crate) fn example_one_input() -> Result<CreateServiceInput, apprunner_client::types::ValidationError> {
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
