//! Every error the API answers with: modeled errors through the client, protocol errors
//! through raw HTTP.

use std::time::{Duration, SystemTime};

use serde_json::json;

use crate::support::{self, TempDir, call};

#[tokio::test]
async fn modeled_errors_name_the_problem() {
    let dir = TempDir::new("modeled");
    let mut options = support::simulated(dir.path());
    options.simulate_delay = Duration::from_millis(400);
    let endpoint = support::start(options).await;
    let client = support::client(&endpoint.url());
    let addr = endpoint.local_addr();

    // Constraint violations: InvalidRequestException naming each member (sent raw, since the
    // client validates before sending).
    let body = serde_json::to_vec(&json!({
        "ServiceName": "x",
        "SourceConfiguration": {"CodeRepository": {"RepositoryUrl": "u", "SourceCodeVersion": {"Type": "TAG", "Value": "v"}}},
    }))
    .unwrap();
    let headers = support::signed_headers(
        addr,
        "CreateService",
        &body,
        support::ACCESS_KEY_ID,
        support::SECRET_ACCESS_KEY,
        SystemTime::now(),
    );
    let response = support::raw(addr, "POST", "/", &headers, &body).await;
    assert_eq!(response.status, 400);
    assert_eq!(response.error_code(), "InvalidRequestException");
    let message = response.json()["Message"].as_str().unwrap().to_owned();
    assert!(message.contains("ServiceName: has 1 characters"), "{message}");
    assert!(
        message.contains("SourceConfiguration.CodeRepository.SourceCodeVersion.Type: \"TAG\" is not one of"),
        "{message}"
    );
    assert_eq!(
        response.json()["__type"],
        "com.amazonaws.apprunner#InvalidRequestException"
    );
    assert!(response.header("x-amzn-requestid").is_some_and(|id| id.len() == 36));
    assert!(response.header("date").is_some());

    // A missing required member.
    let body = br#"{"SourceConfiguration": {}}"#;
    let headers = support::signed_headers(
        addr,
        "CreateService",
        body,
        support::ACCESS_KEY_ID,
        support::SECRET_ACCESS_KEY,
        SystemTime::now(),
    );
    let response = support::raw(addr, "POST", "/", &headers, body).await;
    assert_eq!(response.error_code(), "InvalidRequestException");
    assert!(
        response.json()["Message"]
            .as_str()
            .unwrap()
            .contains("ServiceName: is required but missing")
    );

    // Rules beyond the model.
    let mut both = support::create_input("both-sources");
    both["SourceConfiguration"]["ImageRepository"] = json!({"ImageIdentifier": "public.ecr.aws/aws-containers/hello-app-runner:latest", "ImageRepositoryType": "ECR_PUBLIC"});
    let error = call(&client, "CreateService", both).await.unwrap_err();
    assert_eq!(error.0, "InvalidRequestException");
    assert!(
        error.1.contains("exactly one of CodeRepository and ImageRepository"),
        "{}",
        error.1
    );
    let mut reserved = support::create_input("reserved-var");
    reserved["SourceConfiguration"]["CodeRepository"]["CodeConfiguration"]["CodeConfigurationValues"]["RuntimeEnvironmentVariables"] =
        json!({"AWSAPPRUNNER_X": "1"});
    let error = call(&client, "CreateService", reserved).await.unwrap_err();
    assert!(error.1.contains("reserved"), "{}", error.1);
    let mut sizes = support::create_input("bad-sizes");
    sizes["InstanceConfiguration"] = json!({"Cpu": "0.25 vCPU", "Memory": "4 GB"});
    let error = call(&client, "CreateService", sizes).await.unwrap_err();
    assert_eq!(error.0, "InvalidRequestException");
    assert!(error.1.contains("InstanceConfiguration"), "{}", error.1);

    // Duplicate names.
    let created = call(&client, "CreateService", support::create_input("dup-name"))
        .await
        .unwrap();
    let error = call(&client, "CreateService", support::create_input("dup-name"))
        .await
        .unwrap_err();
    assert_eq!((error.0.as_str(), error.2), ("InvalidRequestException", 400));
    assert!(error.1.contains("dup-name"), "{}", error.1);

    // Deleting mid-operation: InvalidStateException.
    let arn = created["Service"]["ServiceArn"].as_str().unwrap();
    let error = call(&client, "DeleteService", json!({"ServiceArn": arn}))
        .await
        .unwrap_err();
    assert_eq!((error.0.as_str(), error.2), ("InvalidStateException", 400));

    // Unknown services.
    let missing = "arn:aws:apprunner:us-east-1:123456789012:service/nothing/0123456789abcdef0123456789abcdef";
    for operation in ["DescribeService", "DeleteService", "ListOperations"] {
        let error = call(&client, operation, json!({"ServiceArn": missing}))
            .await
            .unwrap_err();
        assert_eq!(
            (error.0.as_str(), error.2),
            ("ResourceNotFoundException", 400),
            "{operation}"
        );
        assert!(error.1.contains(missing));
    }
    endpoint.shutdown().await;
}

#[tokio::test]
async fn protocol_errors_match_aws() {
    let dir = TempDir::new("protocol");
    let endpoint = support::start(support::simulated(dir.path())).await;
    let addr = endpoint.local_addr();
    let now = SystemTime::now();
    let key = (support::ACCESS_KEY_ID, support::SECRET_ACCESS_KEY);

    // Bad JSON.
    let body = b"{\"MaxResults\": ";
    let headers = support::signed_headers(addr, "ListServices", body, key.0, key.1, now);
    let response = support::raw(addr, "POST", "/", &headers, body).await;
    assert_eq!(
        (response.status, response.error_code().as_str()),
        (400, "SerializationException")
    );
    assert_eq!(
        response.json()["__type"],
        "com.amazon.coral.service#SerializationException"
    );

    // A member of the wrong JSON type.
    let body = br#"{"MaxResults": "five"}"#;
    let headers = support::signed_headers(addr, "ListServices", body, key.0, key.1, now);
    let response = support::raw(addr, "POST", "/", &headers, body).await;
    assert_eq!(
        (response.status, response.error_code().as_str()),
        (400, "SerializationException")
    );
    assert!(response.text().contains("MaxResults"), "{}", response.text());

    // An unknown operation.
    let body = b"{}";
    let headers = support::signed_headers(addr, "PauseService", body, key.0, key.1, now);
    let response = support::raw(addr, "POST", "/", &headers, body).await;
    assert_eq!(
        (response.status, response.error_code().as_str()),
        (400, "UnknownOperationException")
    );

    // No X-Amz-Target at all.
    let response = support::raw(
        addr,
        "POST",
        "/",
        &[("content-type", "application/x-amz-json-1.0".to_owned())],
        b"{}",
    )
    .await;
    assert_eq!(
        (response.status, response.error_code().as_str()),
        (400, "UnknownOperationException")
    );

    // The wrong content type, and a GET.
    let mut headers = support::signed_headers(addr, "ListServices", body, key.0, key.1, now);
    headers[0].1 = "application/json".to_owned();
    let response = support::raw(addr, "POST", "/", &headers, body).await;
    assert_eq!(
        (response.status, response.error_code().as_str()),
        (404, "UnknownOperationException")
    );
    assert!(response.text().contains("application/x-amz-json-1.0"));
    let response = support::raw(addr, "GET", "/", &[], b"").await;
    assert_eq!(
        (response.status, response.error_code().as_str()),
        (404, "UnknownOperationException")
    );

    // An empty body reads as an empty input.
    let headers = support::signed_headers(addr, "ListServices", b"", key.0, key.1, now);
    let response = support::raw(addr, "POST", "/", &headers, b"").await;
    assert_eq!(response.status, 200, "{}", response.text());
    assert_eq!(response.json(), json!({"ServiceSummaryList": []}));
    assert_eq!(response.header("content-type"), Some("application/x-amz-json-1.0"));
    endpoint.shutdown().await;
}
