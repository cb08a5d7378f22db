//! `Debug` output never contains `@sensitive` values (start and build commands,
//! environment variables and secrets, names and values alike) but does show the
//! other members.

use std::collections::BTreeMap;

use apprunner_smithy::REDACTED;
use apprunner_types::{
    CodeConfiguration, CodeConfigurationValues, CodeRepository, ConfigurationSource, CreateServiceInput,
    CreateServiceOutput, ImageConfiguration, ImageRepository, ImageRepositoryType, InstanceConfiguration, Runtime,
    SourceCodeVersion, SourceCodeVersionType, SourceConfiguration,
};

use crate::support;

const MARKERS: &[&str] = &[
    "MARKER-ENV-NAME",
    "MARKER-ENV-VALUE",
    "MARKER-SECRET-NAME",
    "MARKER-SECRET-ARN",
    "MARKER-START",
    "MARKER-BUILD",
    "MARKER-IMAGE-ENV-NAME",
    "MARKER-IMAGE-ENV-VALUE",
    "MARKER-IMAGE-SECRET-NAME",
    "MARKER-IMAGE-SECRET-ARN",
    "MARKER-IMAGE-START",
];

/// Non-sensitive values that `Debug` must show.
const VISIBLE: &[&str] = &[
    "redaction-check",
    "https://github.com/example/hello",
    "8080",
    "PYTHON_311",
    "public.ecr.aws/aws-containers/hello-app-runner:latest",
    "2 GB",
];

fn secrets(name: &str, value: &str) -> BTreeMap<String, String> {
    BTreeMap::from([(name.to_owned(), value.to_owned())])
}

fn source() -> SourceConfiguration {
    let values = CodeConfigurationValues::builder()
        .runtime(Runtime::Python311)
        .port("8080")
        .start_command("MARKER-START")
        .build_command("MARKER-BUILD")
        .set_runtime_environment_variables(Some(secrets("MARKER-ENV-NAME", "MARKER-ENV-VALUE")))
        .set_runtime_environment_secrets(Some(secrets("MARKER-SECRET-NAME", "MARKER-SECRET-ARN")))
        .build()
        .unwrap();
    let code = CodeRepository::builder()
        .repository_url("https://github.com/example/hello")
        .source_code_version(
            SourceCodeVersion::builder()
                .r#type(SourceCodeVersionType::Branch)
                .value("main")
                .build()
                .unwrap(),
        )
        .code_configuration(
            CodeConfiguration::builder()
                .configuration_source(ConfigurationSource::Api)
                .code_configuration_values(values)
                .build()
                .unwrap(),
        )
        .build()
        .unwrap();
    // Both repositories at once (the service would refuse that) so one value covers
    // every sensitive member.
    let image = ImageRepository::builder()
        .image_identifier("public.ecr.aws/aws-containers/hello-app-runner:latest")
        .image_repository_type(ImageRepositoryType::EcrPublic)
        .image_configuration(
            ImageConfiguration::builder()
                .start_command("MARKER-IMAGE-START")
                .set_runtime_environment_variables(Some(secrets("MARKER-IMAGE-ENV-NAME", "MARKER-IMAGE-ENV-VALUE")))
                .set_runtime_environment_secrets(Some(secrets("MARKER-IMAGE-SECRET-NAME", "MARKER-IMAGE-SECRET-ARN")))
                .build(),
        )
        .build()
        .unwrap();
    SourceConfiguration::builder()
        .code_repository(code)
        .image_repository(image)
        .build()
}

fn builder() -> apprunner_types::builders::CreateServiceInputBuilder {
    CreateServiceInput::builder()
        .service_name("redaction-check")
        .source_configuration(source())
        .instance_configuration(InstanceConfiguration::builder().memory("2 GB").build())
}

/// Checks both `{:?}` and `{:#?}` of `value`.
fn check(what: &str, value: &impl std::fmt::Debug) {
    for shown in [format!("{value:?}"), format!("{value:#?}")] {
        for marker in MARKERS {
            assert!(!shown.contains(marker), "{what} shows {marker}: {shown}");
        }
        for visible in VISIBLE {
            assert!(shown.contains(visible), "{what} hides {visible}: {shown}");
        }
        assert!(shown.contains(REDACTED), "{what}: {shown}");
    }
}

#[test]
fn input_debug_redacts_sensitive_members() {
    let input = builder().build().unwrap();
    check("CreateServiceInput", &input);
    // The wire form, of course, carries the values.
    let wire = crate::support::wire_text(&input);
    for marker in MARKERS {
        assert!(wire.contains(marker), "{marker}");
    }
}

#[test]
fn builder_debug_redacts_sensitive_members() {
    check("CreateServiceInputBuilder", &builder());
    let values = CodeConfigurationValues::builder()
        .runtime(Runtime::Python311)
        .start_command("MARKER-START")
        .build_command("MARKER-BUILD");
    let shown = format!("{values:?}");
    assert!(
        !shown.contains("MARKER-START") && !shown.contains("MARKER-BUILD"),
        "{shown}"
    );
    assert!(shown.contains("PYTHON_311"), "{shown}");
}

#[tokio::test]
async fn fluent_builder_debug_redacts_sensitive_members() {
    let client = support::client_for("http://127.0.0.1:9");
    let fluent = client
        .create_service()
        .service_name("redaction-check")
        .source_configuration(source())
        .instance_configuration(InstanceConfiguration::builder().memory("2 GB").build());
    check("CreateServiceFluentBuilder", &fluent);
    check("CreateServiceFluentBuilder::as_input", fluent.as_input());
    // Nor does the client print the secret access key.
    let shown = format!("{client:?}");
    assert!(!shown.contains(support::SECRET_ACCESS_KEY), "{shown}");
}

#[test]
fn output_debug_redacts_sensitive_members() {
    let input = builder().build().unwrap();
    let wire = serde_json::json!({
        "OperationId": "6e8b1c3a-52f4-4d1e-9a7b-2c0d4e6f8a10",
        "Service": {
            "ServiceName": "redaction-check",
            "ServiceId": "0f1e2d3c4b5a69788796a5b4c3d2e1f0",
            "ServiceArn": "arn:aws:apprunner:us-east-1:123456789012:service/redaction-check/0f1e2d3c4b5a6978",
            "CreatedAt": 1_717_171_717,
            "UpdatedAt": 1_717_171_717,
            "Status": "OPERATION_IN_PROGRESS",
            "SourceConfiguration": crate::support::wire_json(&input.source_configuration),
            "InstanceConfiguration": {"Memory": "2 GB"},
            "AutoScalingConfigurationSummary": {"AutoScalingConfigurationRevision": 1},
            "NetworkConfiguration": {}
        }
    });
    let output: CreateServiceOutput = crate::support::from_wire(&wire).unwrap();
    check("CreateServiceOutput", &output);
}
