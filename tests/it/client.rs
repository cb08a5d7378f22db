//! The generated client end to end, against the loopback server of [`crate::support`]:
//! what goes on the wire, how responses and errors come back, input validation before
//! sending, and pagination.

use std::time::{Duration, SystemTime};

use apprunner_client::operation::create_service::CreateServiceError;
use apprunner_client::operation::list_operations::ListOperationsError;
use apprunner_client::operation::list_services::ListServicesError;
use apprunner_client::{Client, SdkError};
use apprunner_smithy::{DateTime, TimestampFormat};
use apprunner_types::{
    CreateServiceInput, ImageConfiguration, ImageRepository, ImageRepositoryType, InstanceConfiguration, ServiceStatus,
    SourceConfiguration, Tag,
};
use serde_json::{Value, json};

use crate::support::{self, Canned, Recorded, Server};

const SERVICE_ID: &str = "0f1e2d3c4b5a69788796a5b4c3d2e1f0";
const SERVICE_ARN: &str = "arn:aws:apprunner:us-east-1:123456789012:service/hello-app/0f1e2d3c4b5a69788796a5b4c3d2e1f0";

fn image_source() -> SourceConfiguration {
    SourceConfiguration::builder()
        .image_repository(
            ImageRepository::builder()
                .image_identifier("public.ecr.aws/aws-containers/hello-app-runner:latest")
                .image_repository_type(ImageRepositoryType::EcrPublic)
                .image_configuration(ImageConfiguration::builder().port("8000").build())
                .build()
                .unwrap(),
        )
        .auto_deployments_enabled(false)
        .build()
}

fn instance() -> InstanceConfiguration {
    InstanceConfiguration::builder().cpu("1 vCPU").memory("2 GB").build()
}

/// A CreateService response for the input of these tests.
fn create_service_response() -> Value {
    json!({
        "OperationId": "6e8b1c3a-52f4-4d1e-9a7b-2c0d4e6f8a10",
        "Service": {
            "ServiceName": "hello-app",
            "ServiceId": "0f1e2d3c4b5a69788796a5b4c3d2e1f0",
            "ServiceArn": SERVICE_ARN,
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
                "AutoScalingConfigurationArn": support::DEFAULT_AUTO_SCALING_ARN,
                "AutoScalingConfigurationName": "DefaultConfiguration",
                "AutoScalingConfigurationRevision": 1
            },
            "NetworkConfiguration": {
                "EgressConfiguration": {"EgressType": "DEFAULT"},
                "IngressConfiguration": {"IsPubliclyAccessible": true},
                "IpAddressType": "IPV4"
            }
        }
    })
}

fn error_response(status: u16, code: &str, message: &str, request_id: &str) -> Canned {
    Canned::json(status, &json!({"__type": code, "Message": message})).header("x-amzn-RequestId", request_id)
}

/// Checks the parts of a request that every call shares, for operation `operation`.
fn check_awsjson_request(request: &Recorded, server: &Server, operation: &str) {
    assert_eq!(request.method, "POST");
    assert_eq!(request.path, "/");
    assert_eq!(
        request.header("x-amz-target"),
        Some(format!("AppRunner.{operation}").as_str())
    );
    assert_eq!(request.header("content-type"), Some("application/x-amz-json-1.0"));
    let host = server.url().trim_start_matches("http://").to_owned();
    assert_eq!(request.header("host"), Some(host.as_str()));
    check_signature(request, server);
}

/// The request carries a SigV4 signature for the test credentials, scoped to the
/// service and Region, covering the headers awsJson needs, and equal to the signature
/// of exactly what the server received (same headers, same body).
fn check_signature(request: &Recorded, server: &Server) {
    let authorization = request.header("authorization").expect("Authorization header");
    let amz_date = request.header("x-amz-date").expect("X-Amz-Date header");
    let day = &amz_date[..8];
    let prefix = format!(
        "AWS4-HMAC-SHA256 Credential={}/{day}/{}/apprunner/aws4_request, SignedHeaders=",
        support::ACCESS_KEY_ID,
        support::REGION
    );
    assert!(authorization.starts_with(&prefix), "{authorization}");
    let (signed, signature) = authorization[prefix.len()..]
        .split_once(", Signature=")
        .expect("Signature part");
    let signed: Vec<&str> = signed.split(';').collect();
    for name in ["content-type", "host", "x-amz-date", "x-amz-target"] {
        assert!(signed.contains(&name), "{name} is not signed: {authorization}");
    }
    assert_eq!(signature.len(), 64, "{authorization}");
    assert!(
        signature
            .bytes()
            .all(|b| b.is_ascii_hexdigit() && !b.is_ascii_uppercase())
    );

    let time = signing_time(amz_date);
    let url = format!("{}/", server.url());
    let covered = [
        ("host", request.header("host").unwrap()),
        ("content-type", request.header("content-type").unwrap()),
        ("x-amz-target", request.header("x-amz-target").unwrap()),
    ];
    let credentials = apprunner_runtime::credentials::Credentials::new(
        support::ACCESS_KEY_ID,
        support::SECRET_ACCESS_KEY,
        None,
        None,
        "test",
    );
    let expected = apprunner_runtime::sign_request_at(
        &url,
        &covered,
        &request.body,
        &credentials,
        "apprunner",
        support::REGION,
        time,
    )
    .expect("signs");
    let expected = expected
        .iter()
        .find(|(name, _)| name.eq_ignore_ascii_case("authorization"))
        .map(|(_, value)| value.as_str());
    assert_eq!(
        Some(authorization),
        expected,
        "the signature covers exactly the request received"
    );
}

/// `20240102T030405Z` as a `SystemTime`.
fn signing_time(amz_date: &str) -> SystemTime {
    let b = amz_date.as_bytes();
    assert_eq!((b.len(), b[8], b[15]), (16, b'T', b'Z'), "{amz_date}");
    let text = format!(
        "{}-{}-{}T{}:{}:{}Z",
        &amz_date[0..4],
        &amz_date[4..6],
        &amz_date[6..8],
        &amz_date[9..11],
        &amz_date[11..13],
        &amz_date[13..15]
    );
    let instant = DateTime::parse(&text, TimestampFormat::DateTime).expect("a date");
    SystemTime::UNIX_EPOCH + Duration::from_secs(u64::try_from(instant.secs()).expect("after 1970"))
}

fn service_summary(name: &str) -> Value {
    json!({
        "ServiceName": name,
        "ServiceId": "0f1e2d3c4b5a69788796a5b4c3d2e1f0",
        "ServiceArn": format!("arn:aws:apprunner:us-east-1:123456789012:service/{name}/{SERVICE_ID}"),
        "ServiceUrl": format!("{name}.us-east-1.awsapprunner.com"),
        "CreatedAt": 1_700_000_000,
        "UpdatedAt": 1_700_000_100.5,
        "Status": "RUNNING"
    })
}

fn services_page(names: &[&str], next_token: Option<&str>) -> Canned {
    let mut page = json!({"ServiceSummaryList": names.iter().map(|name| service_summary(name)).collect::<Vec<_>>()});
    if let Some(token) = next_token {
        page["NextToken"] = json!(token);
    }
    Canned::ok(&page)
}

fn operations_page(ids: &[&str], next_token: Option<&str>) -> Canned {
    let summaries: Vec<Value> = ids
        .iter()
        .map(|id| {
            json!({
                "Id": id, "Type": "CREATE_SERVICE", "Status": "SUCCEEDED", "TargetArn": SERVICE_ARN,
                "StartedAt": 1_700_000_000, "EndedAt": 1_700_000_060, "UpdatedAt": 1_700_000_060
            })
        })
        .collect();
    let mut page = json!({"OperationSummaryList": summaries});
    if let Some(token) = next_token {
        page["NextToken"] = json!(token);
    }
    Canned::ok(&page)
}

fn request_tokens(server: &Server) -> Vec<Option<String>> {
    server
        .requests()
        .iter()
        .map(|request| {
            request
                .json()
                .get("NextToken")
                .and_then(Value::as_str)
                .map(str::to_owned)
        })
        .collect()
}

#[tokio::test]
async fn create_service_sends_a_signed_awsjson_request_and_reads_the_output() {
    let server = Server::start([Canned::ok(&create_service_response()).header("x-amzn-RequestId", "req-1")]).await;
    let client = server.client();
    let output = client
        .create_service()
        .service_name("hello-app")
        .source_configuration(image_source())
        .instance_configuration(instance())
        .tags(Tag::builder().key("team").value("web").build())
        .send()
        .await
        .expect("CreateService succeeds");

    let requests = server.requests();
    assert_eq!(requests.len(), 1);
    let request = &requests[0];
    check_awsjson_request(request, &server, "CreateService");
    let expected_input = CreateServiceInput::builder()
        .service_name("hello-app")
        .source_configuration(image_source())
        .instance_configuration(instance())
        .tags(Tag::builder().key("team").value("web").build())
        .build()
        .unwrap();
    assert_eq!(request.json(), crate::support::wire_json(&expected_input));
    assert_eq!(
        request.json(),
        json!({
            "ServiceName": "hello-app",
            "SourceConfiguration": {
                "ImageRepository": {
                    "ImageIdentifier": "public.ecr.aws/aws-containers/hello-app-runner:latest",
                    "ImageRepositoryType": "ECR_PUBLIC",
                    "ImageConfiguration": {"Port": "8000"}
                },
                "AutoDeploymentsEnabled": false
            },
            "InstanceConfiguration": {"Cpu": "1 vCPU", "Memory": "2 GB"},
            "Tags": [{"Key": "team", "Value": "web"}]
        })
    );

    assert_eq!(output.operation_id, "6e8b1c3a-52f4-4d1e-9a7b-2c0d4e6f8a10");
    assert_eq!(output.service.service_name, "hello-app");
    assert_eq!(output.service.status, ServiceStatus::OperationInProgress);
    assert_eq!(
        output.service.created_at,
        DateTime::from_parts(1_717_171_717, 42_000_000)
    );
    assert_eq!(output.service.instance_configuration.cpu.as_deref(), Some("1024"));
    assert_eq!(crate::support::wire_json(&output), create_service_response());
}

#[tokio::test]
async fn client_send_takes_a_prebuilt_input() {
    let server = Server::start([Canned::ok(&create_service_response())]).await;
    let input = CreateServiceInput::builder()
        .service_name("hello-app")
        .source_configuration(image_source())
        .build()
        .unwrap();
    let output = server.client().send(input.clone()).await.expect("succeeds");
    assert_eq!(output.service.service_arn, SERVICE_ARN);
    let requests = server.requests();
    assert_eq!(requests.len(), 1);
    check_awsjson_request(&requests[0], &server, "CreateService");
    assert_eq!(requests[0].json(), crate::support::wire_json(&input));
}

#[tokio::test]
async fn other_operations_use_their_own_target() {
    let server = Server::start([
        Canned::ok(&json!({"Service": create_service_response()["Service"]})),
        Canned::ok(&create_service_response()),
    ])
    .await;
    let client = server.client();
    let described = client
        .describe_service()
        .service_arn(SERVICE_ARN)
        .send()
        .await
        .expect("describes");
    assert_eq!(described.service.service_name, "hello-app");
    let deleted = client
        .delete_service()
        .service_arn(SERVICE_ARN)
        .send()
        .await
        .expect("deletes");
    assert_eq!(deleted.operation_id, "6e8b1c3a-52f4-4d1e-9a7b-2c0d4e6f8a10");
    let requests = server.requests();
    check_awsjson_request(&requests[0], &server, "DescribeService");
    check_awsjson_request(&requests[1], &server, "DeleteService");
    assert_eq!(requests[0].json(), json!({"ServiceArn": SERVICE_ARN}));
    assert_eq!(requests[1].json(), json!({"ServiceArn": SERVICE_ARN}));
}

#[tokio::test]
async fn modeled_errors_become_their_variant() {
    let server = Server::start([error_response(
        400,
        "com.amazonaws.apprunner#InvalidRequestException",
        "bad",
        "req-400",
    )])
    .await;
    let error = server
        .client()
        .create_service()
        .service_name("hello-app")
        .source_configuration(image_source())
        .send()
        .await
        .expect_err("the server refuses");

    assert_eq!(error.code(), Some("InvalidRequestException"));
    assert_eq!(error.message(), Some("bad"));
    assert_eq!(error.request_id(), Some("req-400"));
    assert_eq!(error.status(), Some(400));
    assert_eq!(error.to_string(), "InvalidRequestException: bad");
    let SdkError::Service(CreateServiceError::InvalidRequestException(modeled)) = &error else {
        panic!("expected InvalidRequestException, got {error:?}");
    };
    assert_eq!(modeled.message(), Some("bad"));
    assert_eq!(modeled.meta.request_id.as_deref(), Some("req-400"));
    let service_error = error.as_service_error().expect("a service error");
    assert!(service_error.is_invalid_request_exception());
    assert_eq!(service_error.code(), Some("InvalidRequestException"));
    assert_eq!(service_error.meta().status, 400);
    assert_eq!(server.requests().len(), 1, "a client error is not retried");
}

#[tokio::test]
async fn unknown_error_codes_become_unhandled() {
    let server = Server::start([error_response(
        409,
        "com.amazonaws.apprunner#SomethingNewException",
        "a newer service says no",
        "req-409",
    )])
    .await;
    let error = server
        .client()
        .create_service()
        .service_name("hello-app")
        .source_configuration(image_source())
        .send()
        .await
        .expect_err("the server refuses");
    let SdkError::Service(CreateServiceError::Unhandled(meta)) = &error else {
        panic!("expected Unhandled, got {error:?}");
    };
    assert_eq!(meta.code.as_deref(), Some("SomethingNewException"));
    assert_eq!(meta.message.as_deref(), Some("a newer service says no"));
    assert_eq!(meta.status, 409);
    assert_eq!(meta.request_id.as_deref(), Some("req-409"));
    assert_eq!(error.status(), Some(409));
    let shown = error.to_string();
    assert!(
        shown.contains("SomethingNewException") && shown.contains("409"),
        "{shown}"
    );
    assert_eq!(server.requests().len(), 1);
}

#[tokio::test]
async fn error_code_from_the_error_type_header_and_a_lowercase_message() {
    let response = Canned::json(402, &json!({"message": "too many services"}))
        .header(
            "x-amzn-ErrorType",
            "ServiceQuotaExceededException:http://internal.amazon.com/coral/",
        )
        .header("x-amzn-RequestId", "req-quota");
    let server = Server::start([response]).await;
    let error = server
        .client()
        .create_service()
        .service_name("hello-app")
        .source_configuration(image_source())
        .send()
        .await
        .expect_err("refused");
    let SdkError::Service(CreateServiceError::ServiceQuotaExceededException(modeled)) = &error else {
        panic!("expected ServiceQuotaExceededException, got {error:?}");
    };
    assert_eq!(modeled.message(), Some("too many services"));
    assert_eq!(error.request_id(), Some("req-quota"));
    assert_eq!(error.to_string(), "ServiceQuotaExceededException: too many services");
}

#[tokio::test]
async fn modeled_errors_of_other_operations() {
    let server = Server::start([error_response(
        400,
        "com.amazonaws.apprunner#ResourceNotFoundException",
        "no such service",
        "req-404",
    )])
    .await;
    let error = server
        .client()
        .list_operations()
        .service_arn(SERVICE_ARN)
        .send()
        .await
        .expect_err("refused");
    assert!(
        matches!(
            &error,
            SdkError::Service(ListOperationsError::ResourceNotFoundException(_))
        ),
        "{error:?}"
    );
    assert_eq!(error.to_string(), "ResourceNotFoundException: no such service");
}

#[tokio::test]
async fn invalid_input_is_refused_before_sending() {
    let server = Server::start([]).await;
    let client = server.client();

    // A constraint violation, caught by the checks the client runs before sending.
    let error = client
        .create_service()
        .service_name("ab")
        .source_configuration(image_source())
        .send()
        .await
        .expect_err("too short");
    let SdkError::InvalidInput(invalid) = &error else {
        panic!("expected InvalidInput, got {error:?}");
    };
    assert!(
        invalid.violations().iter().all(|v| v.path == "ServiceName"),
        "{invalid}"
    );
    assert!(error.to_string().contains("ServiceName: has 2 characters"), "{error}");
    assert_eq!(error.code(), None);

    // A missing required member, caught by the fluent builder.
    let error = client
        .create_service()
        .service_name("hello-app")
        .send()
        .await
        .expect_err("missing");
    let SdkError::InvalidInput(invalid) = &error else {
        panic!("expected InvalidInput, got {error:?}");
    };
    assert_eq!(invalid.violations()[0].path, "SourceConfiguration");

    // A prebuilt input goes through the same checks.
    let input = CreateServiceInput::builder()
        .service_name("hello app")
        .source_configuration(image_source())
        .build()
        .unwrap();
    let error = client.send(input).await.expect_err("bad pattern");
    assert!(matches!(error, SdkError::InvalidInput(_)), "{error:?}");

    // And a paginator.
    let mut pages = client.list_services().max_results(500).into_paginator();
    let first = pages.next_page().await.expect("one item");
    assert!(matches!(first, Err(SdkError::InvalidInput(_))), "{first:?}");
    assert!(pages.next_page().await.is_none());

    assert_eq!(server.requests().len(), 0, "nothing reaches the server");
}

#[tokio::test]
async fn fluent_send_reports_missing_and_invalid_members_together() {
    let server = Server::start([]).await;
    let error = server
        .client()
        .create_service()
        .service_name("ab")
        .send()
        .await
        .expect_err("invalid");
    let SdkError::InvalidInput(invalid) = &error else {
        panic!("expected InvalidInput, got {error:?}");
    };
    let found: Vec<&str> = invalid.violations().iter().map(|v| v.path.as_str()).collect();
    // Missing required members and the set members' constraint violations come together:
    // the too-short name's length and pattern, then the missing source.
    assert_eq!(found, ["ServiceName", "ServiceName", "SourceConfiguration"]);
    assert_eq!(server.requests().len(), 0);
}

#[tokio::test]
async fn list_services_pages_follow_next_token() {
    let server = Server::start([
        services_page(&["alpha", "bravo"], Some("a")),
        services_page(&["charlie"], Some("b")),
        services_page(&["delta", "echo"], None),
    ])
    .await;
    let mut pages = server.client().list_services().max_results(2).into_paginator();
    let mut names = Vec::new();
    let mut tokens = Vec::new();
    while let Some(page) = pages.next_page().await {
        let page = page.expect("page");
        tokens.push(page.next_token.clone());
        names.push(
            page.service_summary_list
                .iter()
                .map(|summary| summary.service_name.clone().unwrap())
                .collect::<Vec<_>>(),
        );
    }
    assert_eq!(names, [vec!["alpha", "bravo"], vec!["charlie"], vec!["delta", "echo"]]);
    assert_eq!(tokens, [Some("a".to_owned()), Some("b".to_owned()), None]);
    assert!(pages.next_page().await.is_none(), "a finished paginator stays finished");

    let requests = server.requests();
    assert_eq!(requests.len(), 3);
    for request in &requests {
        check_awsjson_request(request, &server, "ListServices");
    }
    assert_eq!(requests[0].json(), json!({"MaxResults": 2}));
    assert_eq!(requests[1].json(), json!({"MaxResults": 2, "NextToken": "a"}));
    assert_eq!(requests[2].json(), json!({"MaxResults": 2, "NextToken": "b"}));
}

#[tokio::test]
async fn list_services_items_span_pages() {
    let server = Server::start([
        services_page(&["alpha", "bravo"], Some("a")),
        services_page(&[], Some("b")),
        services_page(&["charlie"], None),
    ])
    .await;
    // The model's `@paginated` traits name no `items` member, so the fluent builders
    // have no `into_items()`; `Paginator::items` takes the extraction explicitly.
    let mut items = server
        .client()
        .list_services()
        .into_paginator()
        .items(|page| page.service_summary_list.clone());
    let mut names = Vec::new();
    while let Some(item) = items.next().await {
        names.push(item.expect("item").service_name.unwrap());
    }
    assert_eq!(names, ["alpha", "bravo", "charlie"]);
    assert_eq!(
        request_tokens(&server),
        [None, Some("a".to_owned()), Some("b".to_owned())]
    );
}

#[tokio::test]
async fn a_repeated_token_ends_pagination() {
    let server = Server::start([
        services_page(&["alpha"], Some("a")),
        services_page(&["bravo"], Some("a")),
        services_page(&["never"], None),
    ])
    .await;
    let items = server
        .client()
        .list_services()
        .into_paginator()
        .items(|page| page.service_summary_list.clone())
        .collect()
        .await
        .expect("items");
    let names: Vec<String> = items.into_iter().filter_map(|summary| summary.service_name).collect();
    assert_eq!(names, ["alpha", "bravo"]);
    assert_eq!(request_tokens(&server), [None, Some("a".to_owned())]);
    assert_eq!(server.unused_responses(), 1);
}

#[tokio::test]
async fn an_empty_token_ends_pagination() {
    let server = Server::start([services_page(&["alpha"], Some("")), services_page(&["never"], None)]).await;
    let mut pages = server.client().list_services().into_paginator();
    assert!(pages.next_page().await.expect("a page").is_ok());
    assert!(pages.next_page().await.is_none());
    assert_eq!(server.requests().len(), 1);
}

#[tokio::test]
async fn a_failing_page_ends_the_item_stream() {
    let server = Server::start([
        services_page(&["alpha"], Some("a")),
        error_response(400, "InvalidRequestException", "token expired", "req-p2"),
    ])
    .await;
    let mut items = server
        .client()
        .list_services()
        .into_paginator()
        .items(|page| page.service_summary_list.clone());
    let first = items.next().await.expect("an item").expect("ok");
    assert_eq!(first.service_name.as_deref(), Some("alpha"));
    let failure = items
        .next()
        .await
        .expect("an error")
        .expect_err("the second page fails");
    assert!(
        matches!(
            &failure,
            SdkError::Service(ListServicesError::InvalidRequestException(_))
        ),
        "{failure:?}"
    );
    assert_eq!(failure.request_id(), Some("req-p2"));
    assert!(items.next().await.is_none());
}

#[tokio::test]
async fn list_operations_paginates() {
    let server = Server::start([
        operations_page(
            &[
                "11111111-1111-4111-8111-111111111111",
                "22222222-2222-4222-8222-222222222222",
            ],
            Some("op-a"),
        ),
        operations_page(&["33333333-3333-4333-8333-333333333333"], None),
    ])
    .await;
    let client: Client = server.client();
    let mut pages = client
        .list_operations()
        .service_arn(SERVICE_ARN)
        .max_results(2)
        .into_paginator();
    let mut ids = Vec::new();
    let mut count = 0;
    while let Some(page) = pages.next_page().await {
        count += 1;
        for summary in page.expect("page").operation_summary_list.unwrap_or_default() {
            assert_eq!(summary.status.as_ref().map(|s| s.as_str()), Some("SUCCEEDED"));
            assert_eq!(summary.ended_at, Some(DateTime::from_secs(1_700_000_060)));
            ids.push(summary.id.unwrap());
        }
    }
    assert_eq!(count, 2);
    assert_eq!(ids.len(), 3);
    let requests = server.requests();
    for request in &requests {
        check_awsjson_request(request, &server, "ListOperations");
    }
    assert_eq!(requests[0].json(), json!({"ServiceArn": SERVICE_ARN, "MaxResults": 2}));
    assert_eq!(
        requests[1].json(),
        json!({"ServiceArn": SERVICE_ARN, "MaxResults": 2, "NextToken": "op-a"})
    );

    // The same through the item stream; a page without the list contributes nothing.
    let server = Server::start([
        Canned::ok(&json!({"NextToken": "x"})),
        operations_page(&["44444444-4444-4444-8444-444444444444"], None),
    ])
    .await;
    let items = server
        .client()
        .list_operations()
        .service_arn(SERVICE_ARN)
        .into_paginator()
        .items(|page| page.operation_summary_list.clone().unwrap_or_default())
        .collect()
        .await
        .expect("items");
    assert_eq!(items.len(), 1);
    assert_eq!(request_tokens(&server), [None, Some("x".to_owned())]);

    // A missing required member surfaces on the first page, before any request.
    let server = Server::start([]).await;
    let mut pages = server.client().list_operations().into_paginator();
    let first = pages.next_page().await.expect("one item");
    match first {
        Err(SdkError::InvalidInput(invalid)) => assert_eq!(invalid.violations()[0].path, "ServiceArn"),
        other => panic!("expected InvalidInput, got {other:?}"),
    }
    assert!(pages.next_page().await.is_none());
    assert_eq!(server.requests().len(), 0);
}
