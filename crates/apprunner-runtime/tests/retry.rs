//! Retries and timeouts, against a scripted loopback server.

mod support;

use std::time::{Duration, Instant};

use apprunner_runtime::{DispatchKind, SdkError, TimeoutKind};
use support::{Reply, TestError, TestServer, call, config, create_service_input, new_runtime};

fn ok() -> Reply {
    Reply::json(200, r#"{"Service":{"Status":"RUNNING"}}"#)
}

fn throttled() -> Reply {
    Reply::json(400, r#"{"__type":"ThrottlingException","message":"Rate exceeded"}"#)
}

fn internal_error() -> Reply {
    Reply::json(500, r#"{"__type":"InternalServiceErrorException","message":"oops"}"#)
}

#[tokio::test]
async fn throttling_then_success_takes_two_attempts() {
    let server = TestServer::start(vec![throttled(), ok()]).await;
    let runtime = new_runtime(config(&server.url()));
    let output = call(&runtime, &create_service_input()).await.unwrap();
    assert_eq!(support::to_value(&output)["Service"]["Status"], "RUNNING");
    let requests = server.requests();
    assert_eq!(requests.len(), 2);
    assert_eq!(requests[0].header("amz-sdk-request"), Some("attempt=1; max=3"));
    assert_eq!(requests[1].header("amz-sdk-request"), Some("attempt=2; max=3"));
    assert_eq!(
        requests[0].header("amz-sdk-invocation-id"),
        requests[1].header("amz-sdk-invocation-id"),
        "one invocation id per call"
    );
    assert_eq!(requests[0].body, requests[1].body);
    assert_eq!(server.connections(), 1, "an error response keeps the connection");
}

#[tokio::test]
async fn server_errors_are_retried_up_to_max_attempts() {
    let server = TestServer::start(vec![internal_error()]).await;
    let runtime = new_runtime(config(&server.url()));
    let error = call(&runtime, &create_service_input()).await.unwrap_err();
    assert_eq!(server.request_count(), 3, "exactly max_attempts (3) attempts");
    assert!(
        matches!(error.as_service_error(), Some(TestError::Unhandled(_))),
        "{error:?}"
    );
    assert_eq!(error.code(), Some("InternalServiceErrorException"));
    assert_eq!(error.status(), Some(500));

    for status in [502, 503, 504] {
        let server = TestServer::start(vec![Reply::text(status, "<html>gateway</html>"), ok()]).await;
        let runtime = new_runtime(config(&server.url()));
        call(&runtime, &create_service_input()).await.unwrap();
        assert_eq!(server.request_count(), 2, "HTTP {status} is retried");
    }
    let server = TestServer::start(vec![Reply::text(501, "")]).await;
    let runtime = new_runtime(config(&server.url()));
    call(&runtime, &create_service_input()).await.unwrap_err();
    assert_eq!(server.request_count(), 1, "HTTP 501 is not retried");
}

#[tokio::test]
async fn client_errors_are_not_retried() {
    let server = TestServer::start(vec![Reply::json(
        400,
        r#"{"__type":"InvalidRequestException","message":"bad"}"#,
    )])
    .await;
    let runtime = new_runtime(config(&server.url()));
    let error = call(&runtime, &create_service_input()).await.unwrap_err();
    assert!(matches!(error.as_service_error(), Some(TestError::InvalidRequest(_))));
    assert_eq!(server.request_count(), 1);
}

#[tokio::test]
async fn transient_codes_are_retried_whatever_the_status() {
    for code in [
        "RequestTimeout",
        "RequestTimeoutException",
        "InternalError",
        "IDPCommunicationError",
    ] {
        let body = format!(r#"{{"__type":"{code}"}}"#);
        let server = TestServer::start(vec![Reply::json(400, &body), ok()]).await;
        let runtime = new_runtime(config(&server.url()));
        call(&runtime, &create_service_input()).await.unwrap();
        assert_eq!(server.request_count(), 2, "{code}");
    }
    let server = TestServer::start(vec![
        Reply::text(429, "").header("X-Amzn-Errortype", "TooManyRequestsException"),
        ok(),
    ])
    .await;
    let runtime = new_runtime(config(&server.url()));
    call(&runtime, &create_service_input()).await.unwrap();
    assert_eq!(server.request_count(), 2);
}

#[tokio::test]
async fn max_attempts_one_disables_retries() {
    let server = TestServer::start(vec![throttled(), ok()]).await;
    let runtime = new_runtime(config(&server.url()).max_attempts(1));
    let error = call(&runtime, &create_service_input()).await.unwrap_err();
    assert_eq!(error.code(), Some("ThrottlingException"));
    assert_eq!(server.request_count(), 1);
}

#[tokio::test]
async fn more_attempts_when_configured() {
    let server = TestServer::start(vec![throttled(), throttled(), throttled(), throttled(), ok()]).await;
    let runtime = new_runtime(config(&server.url()).max_attempts(5));
    call(&runtime, &create_service_input()).await.unwrap();
    assert_eq!(server.request_count(), 5);
}

#[tokio::test]
async fn retryable_modeled_errors_are_retried() {
    let busy = Reply::json(400, r#"{"__type":"ServiceBusyException","message":"busy"}"#);
    let server = TestServer::start(vec![busy.clone(), ok()]).await;
    let runtime = new_runtime(config(&server.url()));
    call(&runtime, &create_service_input()).await.unwrap();
    assert_eq!(server.request_count(), 2);

    let server = TestServer::start(vec![busy]).await;
    let runtime = new_runtime(config(&server.url()));
    let error = call(&runtime, &create_service_input()).await.unwrap_err();
    assert!(matches!(error.as_service_error(), Some(TestError::ServiceBusy(_))));
    assert_eq!(server.request_count(), 3);
}

#[tokio::test]
async fn connection_refused_is_retried_then_reported() {
    let port = support::closed_port().await;
    let url = format!("http://127.0.0.1:{port}");
    let runtime = new_runtime(config(&url));
    let started = Instant::now();
    let error = call(&runtime, &create_service_input()).await.unwrap_err();
    let SdkError::Dispatch(dispatch) = &error else {
        panic!("{error:?}")
    };
    assert_eq!(dispatch.kind(), DispatchKind::Connect);
    assert_eq!(dispatch.attempts(), 3);
    assert_eq!(
        error.to_string(),
        format!(
            "CreateService: could not connect to http://127.0.0.1:{port}/: connection refused; \
             check the endpoint URL, proxy settings and your network (after 3 attempts)"
        )
    );
    assert!(
        std::error::Error::source(&error).is_some(),
        "the HTTP error is kept as the source"
    );
    assert!(started.elapsed() < Duration::from_secs(2));
}

#[tokio::test]
async fn connections_closed_without_a_response_are_retried() {
    let server = TestServer::start(vec![Reply::Close, ok()]).await;
    let runtime = new_runtime(config(&server.url()));
    call(&runtime, &create_service_input()).await.unwrap();
    assert_eq!(server.request_count(), 2);
    assert_eq!(server.connections(), 2);
}

#[tokio::test]
async fn an_attempt_timeout_is_retried_then_reported() {
    let server = TestServer::start(vec![Reply::Hang]).await;
    let runtime = new_runtime(
        config(&server.url())
            .attempt_timeout(Duration::from_millis(200))
            .max_attempts(2),
    );
    let started = Instant::now();
    let error = call(&runtime, &create_service_input()).await.unwrap_err();
    let elapsed = started.elapsed();
    let SdkError::Timeout(timeout) = &error else {
        panic!("{error:?}")
    };
    assert_eq!(timeout.kind(), TimeoutKind::Attempt);
    assert_eq!(timeout.limit(), Duration::from_millis(200));
    assert_eq!(timeout.attempts(), 2);
    assert_eq!(server.request_count(), 2);
    assert!(
        elapsed >= Duration::from_millis(400) && elapsed < Duration::from_millis(1500),
        "{elapsed:?}"
    );
    let text = error.to_string();
    assert!(text.contains("within the attempt timeout of 200ms"), "{text}");
    assert!(text.contains("attempt_timeout"), "{text}");
}

#[tokio::test]
async fn a_slow_answer_within_the_attempt_timeout_is_fine() {
    let server = TestServer::start(vec![Reply::Delay(Duration::from_millis(50), Box::new(ok()))]).await;
    let runtime = new_runtime(config(&server.url()).attempt_timeout(Duration::from_millis(500)));
    call(&runtime, &create_service_input()).await.unwrap();
}

#[tokio::test]
async fn the_operation_timeout_covers_every_attempt() {
    let server = TestServer::start(vec![Reply::Hang]).await;
    let runtime = new_runtime(
        config(&server.url())
            .attempt_timeout(Duration::from_millis(100))
            .operation_timeout(Duration::from_millis(250))
            .max_attempts(10),
    );
    let started = Instant::now();
    let error = call(&runtime, &create_service_input()).await.unwrap_err();
    let elapsed = started.elapsed();
    let SdkError::Timeout(timeout) = &error else {
        panic!("{error:?}")
    };
    assert_eq!(timeout.kind(), TimeoutKind::Operation);
    assert_eq!(timeout.limit(), Duration::from_millis(250));
    assert!(timeout.attempts() >= 2, "{timeout:?}");
    assert!(elapsed < Duration::from_millis(1000), "{elapsed:?}");
    let text = error.to_string();
    assert!(text.contains("operation timeout of 250ms"), "{text}");
    assert!(
        text.ends_with("; the last failed attempt: attempt timeout of 100ms"),
        "{text}"
    );
}

#[tokio::test]
async fn the_operation_timeout_ends_a_backoff_wait_early() {
    let server = TestServer::start(vec![internal_error()]).await;
    let hooks = apprunner_runtime::TestHooks {
        initial_backoff: Some(Duration::from_secs(5)),
        ..apprunner_runtime::TestHooks::default()
    };
    let config = config(&server.url())
        .operation_timeout(Duration::from_millis(300))
        .max_attempts(10)
        .load()
        .unwrap();
    let runtime = apprunner_runtime::Runtime::with_test_hooks(support::service(), config, hooks).unwrap();
    let started = Instant::now();
    let error = call(&runtime, &create_service_input()).await.unwrap_err();
    let elapsed = started.elapsed();
    let SdkError::Timeout(timeout) = &error else {
        panic!("{error:?}")
    };
    // Backoff is "full jitter" (uniform up to 5 s here), so a second attempt is
    // possible but rare; either way the call ends at the operation timeout.
    assert_eq!(timeout.kind(), TimeoutKind::Operation);
    assert_eq!(timeout.attempts() as usize, server.request_count());
    assert!(
        elapsed >= Duration::from_millis(250) && elapsed < Duration::from_millis(2000),
        "the call should end at the operation timeout, not after the backoff: {elapsed:?}"
    );
    let text = error.to_string();
    assert!(
        text.ends_with("; the last failed attempt: InternalServiceErrorException (HTTP 500)"),
        "{text}"
    );
}

#[tokio::test]
async fn a_connect_timeout_is_retried_then_reported() {
    let (_listener, url) = support::unresponsive_listener().await;
    let runtime = new_runtime(config(&url).connect_timeout(Duration::from_millis(150)).max_attempts(2));
    let started = Instant::now();
    let error = call(&runtime, &create_service_input()).await.unwrap_err();
    let elapsed = started.elapsed();
    let SdkError::Timeout(timeout) = &error else {
        panic!("{error:?}")
    };
    assert_eq!(timeout.kind(), TimeoutKind::Connect);
    assert_eq!(timeout.limit(), Duration::from_millis(150));
    assert_eq!(timeout.attempts(), 2);
    assert!(elapsed < Duration::from_millis(1000), "{elapsed:?}");
    let text = error.to_string();
    assert!(
        text.starts_with(&format!(
            "CreateService: could not connect to {url}/ within the connect timeout of 150ms"
        )),
        "{text}"
    );
    assert!(text.contains("connect_timeout"), "{text}");
}

#[tokio::test]
async fn a_skewed_clock_is_corrected_from_the_date_header() {
    // The service's clock is an hour ahead: the first request is refused for its
    // date; the retry (and later calls) are signed with the service's time.
    let server_now = apprunner_smithy::DateTime::from(std::time::SystemTime::now() + Duration::from_secs(3600));
    let date = server_now.fmt(apprunner_smithy::TimestampFormat::HttpDate);
    let skewed = Reply::json(
        400,
        r#"{"__type":"InvalidSignatureException","message":"Signature expired"}"#,
    )
    .header("Date", &date);
    let server = TestServer::start(vec![skewed, ok()]).await;
    let runtime = new_runtime(config(&server.url()));
    call(&runtime, &create_service_input()).await.unwrap();
    call(&runtime, &create_service_input()).await.unwrap();

    let requests = server.requests();
    assert_eq!(requests.len(), 3);
    let signed_at = |index: usize| {
        let text = requests[index].header("x-amz-date").unwrap();
        let rfc3339 = format!(
            "{}-{}-{}T{}:{}:{}Z",
            &text[0..4],
            &text[4..6],
            &text[6..8],
            &text[9..11],
            &text[11..13],
            &text[13..15]
        );
        apprunner_smithy::DateTime::parse(&rfc3339, apprunner_smithy::TimestampFormat::DateTime)
            .unwrap()
            .secs()
    };
    let local = apprunner_smithy::DateTime::from(std::time::SystemTime::now()).secs();
    assert!((signed_at(0) - local).abs() < 60, "first attempt: local time");
    for index in [1, 2] {
        let ahead = signed_at(index) - local;
        assert!((3540..3660).contains(&ahead), "request {index} signed {ahead} s ahead");
    }
}

#[tokio::test]
async fn a_bad_signature_without_skew_is_not_retried() {
    let server = TestServer::start(vec![Reply::json(
        403,
        r#"{"__type":"InvalidSignatureException","message":"The request signature we calculated does not match"}"#,
    )])
    .await;
    let runtime = new_runtime(config(&server.url()));
    let error = call(&runtime, &create_service_input()).await.unwrap_err();
    assert_eq!(error.code(), Some("InvalidSignatureException"));
    assert_eq!(server.request_count(), 1);
}
