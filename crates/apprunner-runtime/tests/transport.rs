//! The awsJson transport as a server sees it, and how responses are read.

mod support;

use std::time::Duration;

use apprunner_runtime::{DispatchKind, SdkError};
use support::{Input, Reply, TestError, TestServer, call, config, create_service_input, credentials, new_runtime};

fn output_ok() -> Reply {
    Reply::json(
        200,
        r#"{"Service":{"ServiceName":"my-service","Status":"OPERATION_IN_PROGRESS"}}"#,
    )
    .header("x-amzn-RequestId", "req-ok")
}

#[tokio::test]
async fn sends_the_exact_create_service_request() {
    let server = TestServer::start(vec![output_ok()]).await;
    let runtime = new_runtime(
        config(&server.url())
            .credentials(credentials(true))
            .app_name("inventory"),
    );
    let input = create_service_input();
    let output = call(&runtime, &input).await.expect("call succeeds");
    assert_eq!(support::to_value(&output)["Service"]["Status"], "OPERATION_IN_PROGRESS");

    let requests = server.requests();
    assert_eq!(requests.len(), 1);
    let request = &requests[0];
    assert_eq!(request.method, "POST");
    assert_eq!(request.path, "/");
    assert_eq!(
        request.body,
        serde_json::to_vec(&input.0).unwrap(),
        "body is the serialized input"
    );
    assert_eq!(request.header("content-type"), Some("application/x-amz-json-1.0"));
    assert_eq!(request.header("x-amz-target"), Some("AppRunner.CreateService"));
    assert_eq!(
        request.header("host"),
        Some(format!("127.0.0.1:{}", server.port()).as_str())
    );
    assert_eq!(
        request.header("content-length"),
        Some(request.body.len().to_string().as_str())
    );
    assert_eq!(request.header("x-amz-security-token"), Some(support::SESSION_TOKEN));

    let agent = request.header("user-agent").unwrap();
    assert!(
        agent.starts_with(&format!("apprunner-rs/{} (", env!("CARGO_PKG_VERSION"))),
        "{agent}"
    );
    assert!(agent.ends_with(" app/inventory"), "{agent}");

    let date = request.header("x-amz-date").unwrap();
    assert_eq!(date.len(), 16, "{date}");
    assert!(date.ends_with('Z') && date.as_bytes()[8] == b'T', "{date}");

    let authorization = request.header("authorization").unwrap();
    let prefix = format!(
        "AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/{}/us-east-1/apprunner/aws4_request, \
         SignedHeaders=content-type;host;x-amz-date;x-amz-security-token;x-amz-target, Signature=",
        &date[..8]
    );
    assert!(authorization.starts_with(&prefix), "{authorization}");
    let signature = &authorization[prefix.len()..];
    assert_eq!(signature.len(), 64);
    assert!(
        signature
            .bytes()
            .all(|b| b.is_ascii_hexdigit() && !b.is_ascii_uppercase())
    );
    assert_eq!(request.header("amz-sdk-request"), Some("attempt=1; max=3"));
    assert!(request.header("amz-sdk-invocation-id").is_some());
}

#[tokio::test]
async fn long_term_credentials_send_no_token() {
    let server = TestServer::start(vec![output_ok()]).await;
    let runtime = new_runtime(config(&server.url()));
    call(&runtime, &create_service_input()).await.unwrap();
    let request = &server.requests()[0];
    assert_eq!(request.header("x-amz-security-token"), None);
    let authorization = request.header("authorization").unwrap();
    assert!(
        authorization.contains("SignedHeaders=content-type;host;x-amz-date;x-amz-target,"),
        "{authorization}"
    );
}

#[tokio::test]
async fn empty_input_is_an_empty_object() {
    struct Empty {}
    impl apprunner_smithy::json::WriteJson for Empty {
        fn write_json(&self, out: &mut apprunner_smithy::json::JsonWriter) {
            out.start_object();
            out.end_object();
        }
    }
    impl apprunner_smithy::Validate for Empty {
        fn validate_into(&self, _path: &apprunner_smithy::ValuePath<'_>, _out: &mut Vec<apprunner_smithy::Violation>) {}
    }
    let server = TestServer::start(vec![Reply::json(200, "{}")]).await;
    let runtime = new_runtime(config(&server.url()));
    let _: support::Output = runtime
        .invoke::<_, _, TestError>(&support::CREATE_SERVICE, &Empty {})
        .await
        .unwrap();
    assert_eq!(server.requests()[0].body, b"{}");
}

#[tokio::test]
async fn invalid_input_is_refused_before_anything_is_sent() {
    let server = TestServer::start(vec![output_ok()]).await;
    let runtime = new_runtime(config(&server.url()));
    let error = call(&runtime, &Input(serde_json::json!({"ServiceName": ""})))
        .await
        .unwrap_err();
    let SdkError::InvalidInput(validation) = &error else {
        panic!("{error:?}")
    };
    assert_eq!(validation.violations()[0].path, "ServiceName");
    assert_eq!(
        error.to_string(),
        "invalid input: ServiceName: has 0 characters; it must have between 4 and 40"
    );
    assert_eq!(server.request_count(), 0);
    assert_eq!(server.connections(), 0);
}

#[tokio::test]
async fn sequential_calls_reuse_one_connection() {
    let server = TestServer::start(vec![output_ok()]).await;
    let runtime = new_runtime(config(&server.url()));
    for _ in 0..3 {
        call(&runtime, &create_service_input()).await.unwrap();
    }
    // A clone shares the pool too.
    call(&runtime.clone(), &create_service_input()).await.unwrap();
    assert_eq!(server.request_count(), 4);
    assert_eq!(server.connections(), 1, "keep-alive: one TCP connection");
}

#[tokio::test]
async fn a_missing_region_is_a_config_error() {
    let runtime = apprunner_runtime::Runtime::new(
        support::service(),
        apprunner_runtime::Config::builder()
            .env(apprunner_runtime::Env::from_vars([("HOME", "/nonexistent")]))
            .credentials(credentials(false))
            .load()
            .unwrap(),
    )
    .unwrap();
    let error = call(&runtime, &create_service_input()).await.unwrap_err();
    assert!(matches!(error, SdkError::Config(_)), "{error:?}");
}

async fn error_for(reply: Reply) -> SdkError<TestError> {
    let server = TestServer::start(vec![reply]).await;
    let runtime = new_runtime(config(&server.url()).max_attempts(1));
    call(&runtime, &create_service_input()).await.unwrap_err()
}

#[tokio::test]
async fn error_codes_messages_and_request_ids() {
    // The header wins over the body; a modeled code maps to its variant.
    let error = error_for(
        Reply::json(400, r#"{"__type":"Other","message":"from the body"}"#)
            .header(
                "X-Amzn-Errortype",
                "InvalidRequestException:http://internal.amazon.com/",
            )
            .header("x-amzn-RequestId", "req-1"),
    )
    .await;
    assert!(
        matches!(error.as_service_error(), Some(TestError::InvalidRequest(_))),
        "{error:?}"
    );
    assert_eq!(error.code(), Some("InvalidRequestException"));
    assert_eq!(error.message(), Some("from the body"));
    assert_eq!(error.request_id(), Some("req-1"));
    assert_eq!(error.status(), Some(400));
    assert_eq!(
        error.to_string(),
        "InvalidRequestException: from the body (HTTP status 400, request id req-1)"
    );

    // `__type` with namespace and suffix; `Message` capitalized; x-amz-request-id.
    let error = error_for(
        Reply::json(
            400,
            r#"{"__type":"com.amazonaws.apprunner#InvalidRequestException:http://internal.amazon.com/coral/","Message":"Capital"}"#,
        )
        .header("x-amz-request-id", "req-2"),
    )
    .await;
    assert_eq!(error.code(), Some("InvalidRequestException"));
    assert_eq!(error.message(), Some("Capital"));
    assert_eq!(error.request_id(), Some("req-2"));

    // `code` field; unknown codes are unhandled but keep their metadata.
    let error = error_for(Reply::json(409, r#"{"code":"ResourceInUse","message":"busy"}"#)).await;
    assert!(matches!(error.as_service_error(), Some(TestError::Unhandled(_))));
    assert_eq!(error.code(), Some("ResourceInUse"));
    assert_eq!(error.status(), Some(409));

    // A non-JSON error body still yields the status and a readable message.
    let error = error_for(Reply::text(403, "<html><body>Forbidden by proxy</body></html>")).await;
    assert_eq!(error.code(), None);
    assert_eq!(error.status(), Some(403));
    assert_eq!(
        error.message(),
        Some(
            "Forbidden; the response body is not JSON and starts with \"<html><body>Forbidden by proxy</body></html>\""
        )
    );
    assert!(error.to_string().starts_with("UnknownError: Forbidden"), "{error}");

    // An empty error body, with the code in the header.
    let error = error_for(Reply::text(404, "").header("x-amzn-errortype", "ResourceNotFoundException")).await;
    assert_eq!(error.code(), Some("ResourceNotFoundException"));
    assert_eq!(error.message(), Some("Not Found; the response body is empty"));
    let service_error = error.into_service_error().unwrap();
    assert_eq!(apprunner_runtime::OperationError::metadata(&service_error).status, 404);
}

#[tokio::test]
async fn malformed_success_responses_are_errors_not_panics() {
    // Not JSON: the excerpt helps to see what answered.
    let error = error_for(Reply::text(200, "<html>captive portal</html>").header("x-amzn-RequestId", "r-3")).await;
    let SdkError::MalformedResponse(malformed) = &error else {
        panic!("{error:?}")
    };
    assert_eq!(malformed.status(), 200);
    assert_eq!(malformed.request_id(), Some("r-3"));
    let text = error.to_string();
    assert!(
        text.starts_with("CreateService: the response could not be read (HTTP status 200, request id r-3)"),
        "{text}"
    );
    assert!(text.contains("<html>captive portal</html>"), "{text}");

    // Wrong types: the message names the problem without quoting the value.
    // A map of numbers stands in for a structure whose `Count` is a number.
    type Strict = std::collections::BTreeMap<String, i32>;
    let server = TestServer::start(vec![Reply::json(200, r#"{"Count":"secret-ish"}"#)]).await;
    let runtime = new_runtime(config(&server.url()));
    let error = runtime
        .invoke::<_, Strict, TestError>(&support::CREATE_SERVICE, &create_service_input())
        .await
        .unwrap_err();
    let text = error.to_string();
    assert!(matches!(error, SdkError::MalformedResponse(_)), "{error:?}");
    assert!(
        text.contains("expected a number, found a string at line 1 column 10"),
        "{text}"
    );
    assert!(!text.contains("secret-ish"), "{text}");
    assert_eq!(server.request_count(), 1, "malformed responses are not retried");
}

#[tokio::test]
async fn a_success_body_that_is_not_utf8_says_where() {
    let reply = Reply::Full {
        status: 200,
        headers: vec![("Content-Type".into(), "application/x-amz-json-1.0".into())],
        body: b"{\"Name\": \"ab\xffc\"}".to_vec(),
    };
    let error = error_for(reply).await;
    assert!(matches!(error, SdkError::MalformedResponse(_)), "{error:?}");
    let text = error.to_string();
    assert!(text.contains("the text is not UTF-8 at line 1 column 13"), "{text}");
}

#[tokio::test]
async fn an_empty_success_body_is_an_empty_object() {
    let server = TestServer::start(vec![Reply::text(200, "")]).await;
    let runtime = new_runtime(config(&server.url()));
    let output = call(&runtime, &create_service_input()).await.unwrap();
    assert_eq!(support::to_value(&output), serde_json::json!({}));
}

#[tokio::test]
async fn oversized_success_bodies_are_refused() {
    for declared in [true, false] {
        let server = TestServer::start(vec![Reply::Huge {
            size: 24 * 1024 * 1024,
            declared,
        }])
        .await;
        let runtime = new_runtime(config(&server.url()));
        let error = call(&runtime, &create_service_input()).await.unwrap_err();
        let SdkError::MalformedResponse(_) = &error else {
            panic!("{error:?}")
        };
        assert!(error.to_string().contains("larger than the 20 MiB limit"), "{error}");
        assert_eq!(server.request_count(), 1);
    }
}

#[tokio::test]
async fn a_connection_closed_mid_body_is_a_dispatch_error() {
    let truncated = b"HTTP/1.1 200 OK\r\nContent-Length: 100\r\nx-amzn-RequestId: r-cut\r\n\r\n{\"Service\":".to_vec();
    let server = TestServer::start(vec![Reply::RawThenClose(truncated)]).await;
    let runtime = new_runtime(config(&server.url()).max_attempts(2));
    let error = call(&runtime, &create_service_input()).await.unwrap_err();
    let SdkError::Dispatch(dispatch) = &error else {
        panic!("{error:?}")
    };
    assert_eq!(dispatch.kind(), DispatchKind::ResponseBody);
    assert_eq!(dispatch.attempts(), 2, "retried as transient");
    assert_eq!(error.status(), Some(200));
    assert_eq!(error.request_id(), Some("r-cut"));
    let text = error.to_string();
    assert!(
        text.starts_with("CreateService: the connection to http://127.0.0.1:"),
        "{text}"
    );
    assert!(
        text.contains("failed while the response was being read (HTTP status 200, request id r-cut)"),
        "{text}"
    );
    assert!(std::error::Error::source(&error).is_some());
}

#[tokio::test]
async fn a_connection_closed_before_the_response_is_a_dispatch_error() {
    let server = TestServer::start(vec![Reply::Close]).await;
    let runtime = new_runtime(config(&server.url()).max_attempts(1));
    let error = call(&runtime, &create_service_input()).await.unwrap_err();
    let SdkError::Dispatch(dispatch) = &error else {
        panic!("{error:?}")
    };
    assert_eq!(dispatch.kind(), DispatchKind::Connection);
    assert!(
        error.to_string().contains("failed before a response arrived"),
        "{error}"
    );
}

#[tokio::test]
async fn the_invoke_future_is_send() {
    fn assert_send<T: Send>(value: T) -> T {
        value
    }
    let server = TestServer::start(vec![output_ok()]).await;
    let runtime = new_runtime(config(&server.url()));
    let input = create_service_input();
    let handle = tokio::spawn(async move { assert_send(call(&runtime, &input)).await });
    tokio::time::timeout(Duration::from_secs(5), handle)
        .await
        .unwrap()
        .unwrap()
        .unwrap();
}

#[tokio::test]
async fn expired_credentials_are_dropped_from_the_cache() {
    use apprunner_runtime::credentials::{CredentialsFuture, ProvideCredentials};
    use std::sync::Arc;
    use std::sync::atomic::{AtomicUsize, Ordering};

    #[derive(Debug, Default)]
    struct Counting(Arc<AtomicUsize>);
    impl ProvideCredentials for Counting {
        fn provide_credentials(&self) -> CredentialsFuture<'_> {
            self.0.fetch_add(1, Ordering::SeqCst);
            Box::pin(async { Ok(credentials(true)) })
        }
    }

    let fetched = Arc::new(AtomicUsize::new(0));
    let expired = Reply::json(
        400,
        r#"{"__type":"ExpiredTokenException","message":"The security token included in the request is expired"}"#,
    );
    let server = TestServer::start(vec![output_ok(), expired, output_ok()]).await;
    let runtime = new_runtime(config(&server.url()).credentials_provider(Counting(Arc::clone(&fetched))));
    call(&runtime, &create_service_input()).await.unwrap();
    call(&runtime, &create_service_input()).await.unwrap_err();
    assert_eq!(fetched.load(Ordering::SeqCst), 1, "cached until refused");
    call(&runtime, &create_service_input()).await.unwrap();
    assert_eq!(fetched.load(Ordering::SeqCst), 2, "fetched again after the refusal");
    assert_eq!(server.request_count(), 3, "expired credentials are not retried");
}

#[tokio::test]
async fn https_without_verification_reaches_a_self_signed_server() {
    let server = TestServer::start_tls(vec![output_ok()]).await;
    assert!(server.url().starts_with("https://"));
    let runtime = new_runtime(config(&server.url()).verify_tls(false));
    call(&runtime, &create_service_input()).await.unwrap();
    call(&runtime, &create_service_input()).await.unwrap();
    assert_eq!(server.request_count(), 2);
    assert_eq!(server.connections(), 1, "TLS connections are pooled too");
}

#[tokio::test]
async fn an_untrusted_certificate_is_a_tls_error_and_not_retried() {
    let server = TestServer::start_tls(vec![output_ok()]).await;
    let runtime = new_runtime(config(&server.url()));
    let error = call(&runtime, &create_service_input()).await.unwrap_err();
    let SdkError::Dispatch(dispatch) = &error else {
        panic!("{error:?}")
    };
    assert_eq!(dispatch.kind(), DispatchKind::Tls);
    assert_eq!(dispatch.attempts(), 1);
    let text = error.to_string();
    assert!(
        text.starts_with(&format!(
            "CreateService: the TLS handshake with {}/ failed: invalid peer certificate",
            server.url()
        )),
        "{text}"
    );
    assert_eq!(server.request_count(), 0);
}
