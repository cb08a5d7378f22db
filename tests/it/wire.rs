//! Details of the awsJson 1.0 wire form as the generated types read and write it.

use std::collections::BTreeMap;

use apprunner_smithy::{DateTime, TimestampFormat};
use apprunner_types::{
    CreateServiceInput, CreateServiceOutput, ImageRepository, ImageRepositoryType, IngressConfiguration,
    ListOperationsOutput, ListServicesOutput, OperationStatus, OperationType, Runtime, ServiceStatus, ServiceSummary,
    SourceConfiguration,
};
use serde_json::{Value, json};

/// Reads `$wire` as a `$ty`, writes it back, and gives both.
macro_rules! read_write {
    ($ty:ty, $wire:expr) => {{
        let wire: Value = $wire;
        let value: $ty = crate::support::from_wire(&wire.clone()).unwrap_or_else(|error| panic!("{error}\n{wire:#}"));
        let written = crate::support::wire_json(&value);
        (value, written)
    }};
}

fn image_source() -> SourceConfiguration {
    SourceConfiguration::builder()
        .image_repository(
            ImageRepository::builder()
                .image_identifier("public.ecr.aws/aws-containers/hello-app-runner:latest")
                .image_repository_type(ImageRepositoryType::EcrPublic)
                .build()
                .expect("complete"),
        )
        .build()
}

#[test]
fn timestamps_are_epoch_seconds() {
    let summary = ServiceSummary::builder()
        .created_at(DateTime::from_secs(1_700_000_000))
        .updated_at(DateTime::from_parts(1_700_000_000, 500_000_000))
        .build();
    let written = crate::support::wire_json(&summary);
    assert_eq!(
        written,
        json!({"CreatedAt": 1_700_000_000, "UpdatedAt": 1_700_000_000.5})
    );
    assert!(written["CreatedAt"].is_i64(), "whole seconds are written as an integer");
}

#[test]
fn timestamps_accept_fractional_seconds() {
    let (summary, written) = read_write!(
        ServiceSummary,
        json!({"CreatedAt": 1_606_502_400.25, "UpdatedAt": 1_606_502_400})
    );
    let created = summary.created_at.expect("CreatedAt");
    assert_eq!((created.secs(), created.subsec_nanos()), (1_606_502_400, 250_000_000));
    assert_eq!(created.fmt(TimestampFormat::DateTime), "2020-11-27T18:40:00.25Z");
    assert_eq!(summary.updated_at, Some(DateTime::from_secs(1_606_502_400)));
    assert_eq!(
        written,
        json!({"CreatedAt": 1_606_502_400.25, "UpdatedAt": 1_606_502_400})
    );

    // Millisecond precision, as services send it, survives the float.
    let (summary, _) = read_write!(ServiceSummary, json!({"CreatedAt": 1_606_502_400.123}));
    assert_eq!(summary.created_at.expect("CreatedAt").subsec_nanos(), 123_000_000);
}

#[test]
fn timestamps_as_text_are_not_the_wire_form() {
    let error = crate::support::from_wire::<ServiceSummary>(&json!({"CreatedAt": "2020-11-20T19:05:25Z"}))
        .expect_err("epoch seconds expected");
    assert_eq!(error.member(), "CreatedAt");
    assert!(
        error.to_string().contains("expected a number, found a string"),
        "{error}"
    );
}

#[test]
fn structures_are_objects_only() {
    // An array of member values in order is not a structure on the wire, from
    // text or from a parsed document.
    let error = apprunner_smithy::json::from_slice::<ServiceSummary>(br#"["web", "id"]"#)
        .expect_err("an array is not a structure");
    assert!(
        error.to_string().contains("expected an object, found an array"),
        "{error}"
    );
    let error =
        crate::support::from_wire::<ServiceSummary>(&json!(["web", "id"])).expect_err("an array is not a structure");
    assert!(
        error.to_string().contains("expected an object, found an array"),
        "{error}"
    );
}

#[test]
fn unknown_response_members_are_ignored() {
    let wire = json!({
        "NextToken": "t",
        "ServiceSummaryList": [{
            "ServiceName": "web-frontend",
            "Status": "RUNNING",
            "FutureMember": {"Nested": [1, 2, 3]},
            "AnotherOne": null
        }],
        "ResponseMetadata": {"RequestId": "abc"}
    });
    let (output, written) = read_write!(ListServicesOutput, wire);
    assert_eq!(output.service_summary_list.len(), 1);
    assert_eq!(
        output.service_summary_list[0].service_name.as_deref(),
        Some("web-frontend")
    );
    assert_eq!(
        written,
        json!({"NextToken": "t", "ServiceSummaryList": [{"ServiceName": "web-frontend", "Status": "RUNNING"}]})
    );
}

#[test]
fn null_response_members_read_as_absent() {
    let wire = json!({
        "NextToken": null,
        "ServiceSummaryList": [{
            "ServiceName": "web-frontend",
            "ServiceUrl": null,
            "CreatedAt": null,
            "Status": null
        }]
    });
    let (output, written) = read_write!(ListServicesOutput, wire);
    assert_eq!(output.next_token, None);
    let summary = &output.service_summary_list[0];
    assert_eq!(
        (
            summary.service_url.as_ref(),
            summary.created_at,
            summary.status.as_ref()
        ),
        (None, None, None)
    );
    assert_eq!(
        written,
        json!({"ServiceSummaryList": [{"ServiceName": "web-frontend"}]})
    );

    let (operations, written) = read_write!(
        ListOperationsOutput,
        json!({"OperationSummaryList": null, "NextToken": null})
    );
    assert_eq!(operations.operation_summary_list, None);
    assert_eq!(written, json!({}));
}

#[test]
fn members_with_model_defaults_are_filled_in_and_always_written() {
    // `IsPubliclyAccessible` has a model default (`false`): absent reads as the default,
    // and the member is always written.
    let (ingress, written) = read_write!(IngressConfiguration, json!({}));
    assert!(!ingress.is_publicly_accessible);
    assert_eq!(written, json!({"IsPubliclyAccessible": false}));

    // An explicit `null` reads as absent, that is, as the default.
    let (ingress, written) = read_write!(IngressConfiguration, json!({"IsPubliclyAccessible": null}));
    assert!(!ingress.is_publicly_accessible);
    assert_eq!(written, json!({"IsPubliclyAccessible": false}));
}

#[test]
fn absent_members_are_omitted_never_null() {
    let input = CreateServiceInput::builder()
        .service_name("hello-app")
        .source_configuration(image_source())
        .build()
        .expect("complete");
    let written = crate::support::wire_json(&input);
    assert_eq!(
        written,
        json!({
            "ServiceName": "hello-app",
            "SourceConfiguration": {
                "ImageRepository": {
                    "ImageIdentifier": "public.ecr.aws/aws-containers/hello-app-runner:latest",
                    "ImageRepositoryType": "ECR_PUBLIC"
                }
            }
        })
    );
    assert!(!crate::support::wire_text(&input).contains("null"));
}

#[test]
fn maps_are_json_objects() {
    let values = apprunner_types::CodeConfigurationValues::builder()
        .runtime(Runtime::Nodejs18)
        .set_runtime_environment_variables(Some(BTreeMap::from([
            ("LOG_LEVEL".to_owned(), "debug".to_owned()),
            ("EMPTY".to_owned(), String::new()),
        ])))
        .build()
        .expect("complete");
    assert_eq!(
        crate::support::wire_json(&values),
        json!({"Runtime": "NODEJS_18", "RuntimeEnvironmentVariables": {"EMPTY": "", "LOG_LEVEL": "debug"}})
    );
}

#[test]
fn runtime_knows_twelve_values() {
    let expected = [
        "PYTHON_3",
        "NODEJS_12",
        "NODEJS_14",
        "CORRETTO_8",
        "CORRETTO_11",
        "NODEJS_16",
        "GO_1",
        "DOTNET_6",
        "PHP_81",
        "RUBY_31",
        "PYTHON_311",
        "NODEJS_18",
    ];
    assert_eq!(Runtime::values(), expected);
    assert_eq!(Runtime::VALUES.len(), 12);
    for value in Runtime::values() {
        let runtime = Runtime::from(*value);
        assert!(!runtime.is_unknown(), "{value}");
        assert_eq!(runtime.as_str(), *value);
        assert_eq!(runtime.to_string(), *value);
        assert_eq!(crate::support::wire_json(&runtime), json!(value));
        assert_eq!(crate::support::from_wire::<Runtime>(&json!(value)).unwrap(), runtime);
    }
    assert_eq!(Runtime::from("PYTHON_311"), Runtime::Python311);
    assert_eq!(Runtime::Corretto8.as_str(), "CORRETTO_8");
    assert_eq!(format!("{:?}", Runtime::Go1), "GO_1");
}

#[test]
fn unknown_enum_values_are_kept_and_written_back() {
    let runtime: Runtime = crate::support::from_wire(&json!("PYTHON_4")).expect("any string reads");
    assert!(runtime.is_unknown());
    assert_eq!(runtime.as_str(), "PYTHON_4");
    assert!(!Runtime::values().contains(&"PYTHON_4"));
    assert_eq!(format!("{runtime:?}"), "Unknown(\"PYTHON_4\")");
    assert_eq!(crate::support::wire_json(&runtime), json!("PYTHON_4"));
    // Enum values are case-sensitive: a differently cased known value is unknown.
    assert!(Runtime::from("python_3").is_unknown());

    let wire = json!({
        "ServiceSummaryList": [
            {"ServiceName": "old", "Status": "RUNNING"},
            {"ServiceName": "new", "Status": "HIBERNATING"}
        ]
    });
    let (output, written) = read_write!(ListServicesOutput, wire.clone());
    let statuses: Vec<&ServiceStatus> = output
        .service_summary_list
        .iter()
        .filter_map(|s| s.status.as_ref())
        .collect();
    assert_eq!(statuses[0], &ServiceStatus::Running);
    assert!(statuses[1].is_unknown());
    assert_eq!(statuses[1].as_str(), "HIBERNATING");
    assert_eq!(written, wire);
}

#[test]
fn enum_values_and_strings() {
    assert_eq!(
        ServiceStatus::values(),
        [
            "CREATE_FAILED",
            "RUNNING",
            "DELETED",
            "DELETE_FAILED",
            "PAUSED",
            "OPERATION_IN_PROGRESS"
        ]
    );
    assert_eq!(ServiceStatus::OperationInProgress.as_str(), "OPERATION_IN_PROGRESS");
    assert_eq!(
        "DELETE_FAILED".parse::<ServiceStatus>(),
        Ok(ServiceStatus::DeleteFailed)
    );
    assert_eq!(ImageRepositoryType::EcrPublic.as_str(), "ECR_PUBLIC");
    assert!(OperationStatus::values().contains(&"ROLLBACK_SUCCEEDED"));
    assert_eq!(OperationType::from("CREATE_SERVICE").as_str(), "CREATE_SERVICE");
    assert!(!OperationType::from("CREATE_SERVICE").is_unknown());
    for value in OperationStatus::values() {
        assert_eq!(OperationStatus::from(*value).as_str(), *value);
    }
}

#[test]
fn create_service_output_reads_a_realistic_response() {
    let wire = json!({
        "OperationId": "6e8b1c3a-52f4-4d1e-9a7b-2c0d4e6f8a10",
        "Service": {
            "ServiceName": "hello-app",
            "ServiceId": "0f1e2d3c4b5a69788796a5b4c3d2e1f0",
            "ServiceArn": "arn:aws:apprunner:us-east-1:123456789012:service/hello-app/0f1e2d3c4b5a69788796a5b4c3d2e1f0",
            "ServiceUrl": "abcdefghij.us-east-1.awsapprunner.com",
            "CreatedAt": 1_717_171_717.042,
            "UpdatedAt": 1_717_171_717.042,
            "Status": "OPERATION_IN_PROGRESS",
            "SourceConfiguration": {
                "ImageRepository": {
                    "ImageIdentifier": "public.ecr.aws/aws-containers/hello-app-runner:latest",
                    "ImageRepositoryType": "ECR_PUBLIC",
                    "ImageConfiguration": {"Port": "8000"}
                },
                "AutoDeploymentsEnabled": false
            },
            "InstanceConfiguration": {"Cpu": "1024", "Memory": "2048"},
            "HealthCheckConfiguration": {
                "Protocol": "TCP", "Path": "/", "Interval": 5, "Timeout": 2,
                "HealthyThreshold": 1, "UnhealthyThreshold": 5
            },
            "AutoScalingConfigurationSummary": {
                "AutoScalingConfigurationArn": crate::support::DEFAULT_AUTO_SCALING_ARN,
                "AutoScalingConfigurationName": "DefaultConfiguration",
                "AutoScalingConfigurationRevision": 1,
                "Status": "ACTIVE",
                "CreatedAt": 1_600_000_000,
                "HasAssociatedService": true,
                "IsDefault": true
            },
            "NetworkConfiguration": {
                "EgressConfiguration": {"EgressType": "DEFAULT"},
                "IngressConfiguration": {"IsPubliclyAccessible": true},
                "IpAddressType": "IPV4"
            },
            "ObservabilityConfiguration": {"ObservabilityEnabled": false}
        }
    });
    let (output, written) = read_write!(CreateServiceOutput, wire.clone());
    assert_eq!(written, wire);
    assert_eq!(output.service.created_at.subsec_nanos(), 42_000_000);
    assert_eq!(
        output
            .service
            .health_check_configuration
            .as_ref()
            .and_then(|h| h.interval),
        Some(5)
    );
    assert!(
        output
            .service
            .network_configuration
            .ingress_configuration
            .as_ref()
            .unwrap()
            .is_publicly_accessible
    );
}
