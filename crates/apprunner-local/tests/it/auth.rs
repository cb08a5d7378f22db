//! SigV4: each way a signature can be wrong, answered with AWS's code and status.

use std::time::{Duration, SystemTime};

use serde_json::json;

use crate::support::{self, TempDir, call};

#[tokio::test]
async fn signature_failures_have_aws_codes_and_statuses() {
    let dir = TempDir::new("auth");
    let endpoint = support::start(support::simulated(dir.path())).await;
    let addr = endpoint.local_addr();
    let body = b"{}";
    let now = SystemTime::now();
    let key = (support::ACCESS_KEY_ID, support::SECRET_ACCESS_KEY);

    // A good signature passes.
    let good = support::signed_headers(addr, "ListServices", body, key.0, key.1, now);
    let response = support::raw(addr, "POST", "/", &good, body).await;
    assert_eq!(response.status, 200, "{}", response.text());

    // Missing: no Authorization header.
    let unsigned: Vec<(&str, String)> = good.iter().filter(|(n, _)| *n != "authorization").cloned().collect();
    let response = support::raw(addr, "POST", "/", &unsigned, body).await;
    assert_eq!(
        (response.status, response.error_code().as_str()),
        (403, "MissingAuthenticationTokenException")
    );
    assert_eq!(
        response.json()["__type"],
        "com.amazon.coral.service#MissingAuthenticationTokenException"
    );
    assert!(response.json()["message"].is_string());

    // Malformed: parts missing or garbled.
    for broken in [
        "AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20200101/us-east-1/apprunner/aws4_request",
        "AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE, SignedHeaders=host, Signature=00",
        "Bearer token",
    ] {
        let mut headers = unsigned.clone();
        headers.push(("authorization", broken.to_owned()));
        let response = support::raw(addr, "POST", "/", &headers, body).await;
        assert_eq!(
            (response.status, response.error_code().as_str()),
            (400, "IncompleteSignatureException"),
            "{broken}"
        );
    }
    // No date header at all.
    let undated: Vec<(&str, String)> = good.iter().filter(|(n, _)| *n != "x-amz-date").cloned().collect();
    let response = support::raw(addr, "POST", "/", &undated, body).await;
    assert_eq!(
        (response.status, response.error_code().as_str()),
        (400, "IncompleteSignatureException")
    );

    // Wrong: a tampered body, or the wrong secret.
    let response = support::raw(addr, "POST", "/", &good, b"{ }").await;
    assert_eq!(
        (response.status, response.error_code().as_str()),
        (403, "InvalidSignatureException")
    );
    assert!(response.text().contains("Canonical request"), "{}", response.text());
    let wrong = support::signed_headers(addr, "ListServices", body, key.0, "not-the-secret", now);
    let response = support::raw(addr, "POST", "/", &wrong, body).await;
    assert_eq!(
        (response.status, response.error_code().as_str()),
        (403, "InvalidSignatureException")
    );

    // Unknown key.
    let stranger = support::signed_headers(addr, "ListServices", body, "AKIDSTRANGER", key.1, now);
    let response = support::raw(addr, "POST", "/", &stranger, body).await;
    assert_eq!(
        (response.status, response.error_code().as_str()),
        (403, "UnrecognizedClientException")
    );

    // Stale and future: more than 5 minutes off.
    let stale = support::signed_headers(
        addr,
        "ListServices",
        body,
        key.0,
        key.1,
        now - Duration::from_secs(6 * 60),
    );
    let response = support::raw(addr, "POST", "/", &stale, body).await;
    assert_eq!(
        (response.status, response.error_code().as_str()),
        (400, "InvalidSignatureException")
    );
    assert!(
        response.json()["message"]
            .as_str()
            .unwrap()
            .starts_with("Signature expired")
    );
    let future = support::signed_headers(
        addr,
        "ListServices",
        body,
        key.0,
        key.1,
        now + Duration::from_secs(6 * 60),
    );
    let response = support::raw(addr, "POST", "/", &future, body).await;
    assert_eq!(
        (response.status, response.error_code().as_str()),
        (400, "InvalidSignatureException")
    );
    assert!(
        response.json()["message"]
            .as_str()
            .unwrap()
            .starts_with("Signature not yet current")
    );
    // Four minutes off is still fine.
    let skewed = support::signed_headers(
        addr,
        "ListServices",
        body,
        key.0,
        key.1,
        now - Duration::from_secs(4 * 60),
    );
    assert_eq!(support::raw(addr, "POST", "/", &skewed, body).await.status, 200);

    // Through the client: the error surfaces with its code and status.
    let client = support::client_with(&endpoint.url(), key.0, "not-the-secret");
    let error = call(&client, "ListServices", json!({})).await.unwrap_err();
    assert_eq!((error.0.as_str(), error.2), ("InvalidSignatureException", 403));
    let client = support::client_with(&endpoint.url(), "AKIDSTRANGER", key.1);
    let error = call(&client, "ListServices", json!({})).await.unwrap_err();
    assert_eq!((error.0.as_str(), error.2), ("UnrecognizedClientException", 403));
    endpoint.shutdown().await;
}

#[tokio::test]
async fn region_comes_from_the_signature_and_keys_from_a_file() {
    let dir = TempDir::new("keys");
    let keys = dir.path().join("keys");
    std::fs::write(
        &keys,
        "[team]\naws_access_key_id = AKIDTEAM\naws_secret_access_key = team/secret\n",
    )
    .unwrap();
    let mut options = support::simulated(dir.path());
    options.keys.add_file(&keys).unwrap();
    let endpoint = support::start(options).await;
    let client = support::client_in(&endpoint.url(), "eu-west-1", "AKIDTEAM", "team/secret");
    let created = call(&client, "CreateService", support::create_input("team-svc"))
        .await
        .unwrap();
    let arn = created["Service"]["ServiceArn"].as_str().unwrap();
    assert!(
        arn.starts_with("arn:aws:apprunner:eu-west-1:123456789012:service/team-svc/"),
        "{arn}"
    );
    // The example pair still works; us-east-1 has its own services, and cannot see eu-west-1's.
    let home = support::client(&endpoint.url());
    let listed = call(&home, "ListServices", json!({})).await.unwrap();
    assert_eq!(listed["ServiceSummaryList"], json!([]));
    let error = call(&home, "DescribeService", json!({"ServiceArn": arn}))
        .await
        .unwrap_err();
    assert_eq!(error.0, "ResourceNotFoundException");
    // The same name may live in both Regions.
    call(&home, "CreateService", support::create_input("team-svc"))
        .await
        .unwrap();
    endpoint.shutdown().await;
}

#[tokio::test]
async fn no_auth_accepts_unsigned_requests() {
    let dir = TempDir::new("noauth");
    let mut options = support::simulated(dir.path());
    options.require_auth = false;
    let endpoint = support::start(options).await;
    let addr = endpoint.local_addr();
    let headers = [
        ("content-type", "application/x-amz-json-1.0".to_owned()),
        ("x-amz-target", "AppRunner.ListServices".to_owned()),
    ];
    let response = support::raw(addr, "POST", "/", &headers, b"{}").await;
    assert_eq!(response.status, 200, "{}", response.text());
    // A signature with the wrong secret is not checked either.
    let client = support::client_with(&endpoint.url(), "anyone", "anything");
    call(&client, "ListServices", json!({})).await.unwrap();
    endpoint.shutdown().await;
}
