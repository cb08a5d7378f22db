//! State survives restarts; operations interrupted by a stop resume; one name, one service.

use std::time::Duration;

use serde_json::json;

use crate::support::{self, TempDir, call};

#[tokio::test]
async fn state_survives_a_restart_and_unfinished_operations_resume() {
    let dir = TempDir::new("restart");
    let mut options = support::simulated(dir.path());
    options.simulate_delay = Duration::from_millis(200);
    let endpoint = support::start(options.clone()).await;
    let client = support::client(&endpoint.url());
    let done = call(&client, "CreateService", support::create_input("kept-svc"))
        .await
        .unwrap();
    let done_arn = done["Service"]["ServiceArn"].as_str().unwrap().to_owned();
    let before = support::wait_settled(&client, &done_arn, Duration::from_secs(10)).await;
    // Stopped while this one is still being created.
    options.simulate_delay = Duration::from_secs(30);
    endpoint.shutdown().await;
    let endpoint = support::start(options.clone()).await;
    let client = support::client(&endpoint.url());
    let pending = call(&client, "CreateService", support::create_input("pending-svc"))
        .await
        .unwrap();
    let pending_arn = pending["Service"]["ServiceArn"].as_str().unwrap().to_owned();
    endpoint.shutdown().await;

    options.simulate_delay = Duration::from_millis(200);
    let endpoint = support::start(options).await;
    let client = support::client(&endpoint.url());
    let after = call(&client, "DescribeService", json!({"ServiceArn": done_arn}))
        .await
        .unwrap();
    let (mut unchanged, mut kept) = (after["Service"].clone(), before.clone());
    let url = unchanged["ServiceUrl"].take();
    let old_url = kept["ServiceUrl"].take();
    assert_eq!(unchanged, kept, "the finished service is unchanged");
    // The service keeps its URL, unless something else took its port in between.
    if url != old_url {
        let taken = std::net::TcpListener::bind(old_url.as_str().unwrap()).is_err();
        assert!(
            taken,
            "the service moved from {old_url} to {url} although its port is free"
        );
    }
    let url = url.as_str().unwrap();
    assert_eq!(
        support::raw(url.parse().unwrap(), "GET", "/", &[], b"").await.status,
        200
    );
    // The interrupted creation resumed and finished.
    let resumed = support::wait_settled(&client, &pending_arn, Duration::from_secs(10)).await;
    assert_eq!(resumed["Status"], "RUNNING");
    let operations = call(&client, "ListOperations", json!({"ServiceArn": pending_arn}))
        .await
        .unwrap();
    assert_eq!(operations["OperationSummaryList"].as_array().unwrap().len(), 1);
    assert_eq!(operations["OperationSummaryList"][0]["Id"], pending["OperationId"]);
    assert_eq!(operations["OperationSummaryList"][0]["Status"], "SUCCEEDED");
    let listed = call(&client, "ListServices", json!({})).await.unwrap();
    assert_eq!(listed["ServiceSummaryList"].as_array().unwrap().len(), 2);
    endpoint.shutdown().await;
}

#[tokio::test]
async fn one_data_directory_one_endpoint() {
    let dir = TempDir::new("lock");
    let endpoint = support::start(support::simulated(dir.path())).await;
    let error = apprunner_local::LocalEndpoint::start(support::simulated(dir.path()))
        .await
        .unwrap_err();
    assert!(error.to_string().contains("in use"), "{error}");
    endpoint.shutdown().await;
    // Free again once stopped.
    support::start(support::simulated(dir.path())).await.shutdown().await;
}

#[tokio::test]
async fn concurrent_creates_with_one_name_make_one_service() {
    let dir = TempDir::new("race");
    let endpoint = support::start(support::simulated(dir.path())).await;
    let url = endpoint.url();
    let mut calls = tokio::task::JoinSet::new();
    for _ in 0..16 {
        let client = support::client(&url);
        calls.spawn(async move { call(&client, "CreateService", support::create_input("only-one")).await });
    }
    let mut created = 0;
    let mut refused = 0;
    while let Some(result) = calls.join_next().await {
        match result.unwrap() {
            Ok(_) => created += 1,
            Err((code, _, _)) => {
                assert_eq!(code, "InvalidRequestException");
                refused += 1;
            }
        }
    }
    assert_eq!((created, refused), (1, 15));
    let client = support::client(&url);
    let listed = call(&client, "ListServices", json!({})).await.unwrap();
    assert_eq!(listed["ServiceSummaryList"].as_array().unwrap().len(), 1);
    endpoint.shutdown().await;
}
