//! Secrets and bodies never reach the logs, at any level.
//!
//! This binary holds a single test on purpose: tracing caches per call site
//! whether anyone listens, and a test without a subscriber running in parallel
//! could make a capturing subscriber miss events.

mod support;

use std::fmt::{self, Write as _};
use std::sync::{Arc, Mutex};

use support::{Input, Reply, SECRET_ACCESS_KEY, SESSION_TOKEN, TestServer, call, config, credentials, new_runtime};

/// A tracing subscriber that writes every span field, record and event, at
/// every level, to a string.
#[derive(Clone, Default)]
struct Capture {
    out: Arc<Mutex<String>>,
    next_id: Arc<std::sync::atomic::AtomicU64>,
}

struct Fields<'a>(&'a mut String);

impl tracing::field::Visit for Fields<'_> {
    fn record_debug(&mut self, field: &tracing::field::Field, value: &dyn fmt::Debug) {
        let _ = write!(self.0, " {}={:?}", field.name(), value);
    }

    fn record_str(&mut self, field: &tracing::field::Field, value: &str) {
        let _ = write!(self.0, " {}={}", field.name(), value);
    }
}

impl tracing::Subscriber for Capture {
    fn enabled(&self, _metadata: &tracing::Metadata<'_>) -> bool {
        true
    }

    fn max_level_hint(&self) -> Option<tracing::level_filters::LevelFilter> {
        Some(tracing::level_filters::LevelFilter::TRACE)
    }

    fn new_span(&self, span: &tracing::span::Attributes<'_>) -> tracing::span::Id {
        let mut out = self.out.lock().unwrap();
        let _ = write!(out, "\nspan {} {}:", span.metadata().target(), span.metadata().name());
        span.record(&mut Fields(&mut out));
        let id = self.next_id.fetch_add(1, std::sync::atomic::Ordering::Relaxed) + 1;
        tracing::span::Id::from_u64(id)
    }

    fn record(&self, _span: &tracing::span::Id, values: &tracing::span::Record<'_>) {
        let mut out = self.out.lock().unwrap();
        out.push_str("\nrecord:");
        values.record(&mut Fields(&mut out));
    }

    fn record_follows_from(&self, _span: &tracing::span::Id, _follows: &tracing::span::Id) {}

    fn event(&self, event: &tracing::Event<'_>) {
        let mut out = self.out.lock().unwrap();
        let _ = write!(out, "\n{} {}:", event.metadata().level(), event.metadata().target());
        event.record(&mut Fields(&mut out));
    }

    fn enter(&self, _span: &tracing::span::Id) {}

    fn exit(&self, _span: &tracing::span::Id) {}
}

const BODY_MARKER: &str = "BODY-MARKER-7f3a";
const RESPONSE_MARKER: &str = "RESPONSE-MARKER-91c2";

fn assert_no_secrets(text: &str, signatures: &[String]) {
    assert!(!text.contains(SECRET_ACCESS_KEY), "secret key in: {text}");
    assert!(!text.contains(SESSION_TOKEN), "session token in: {text}");
    assert!(!text.contains(BODY_MARKER), "request body in: {text}");
    for signature in signatures {
        assert!(!text.contains(signature.as_str()), "signature in: {text}");
    }
}

#[tokio::test]
async fn secrets_and_bodies_never_reach_the_logs() {
    let capture = Capture::default();
    let _guard = tracing::subscriber::set_default(capture.clone());

    let server = TestServer::start(vec![
        Reply::json(
            500,
            &format!(r#"{{"__type":"InternalError","message":"{RESPONSE_MARKER}"}}"#),
        )
        .header("x-amzn-RequestId", "req-logged"),
        Reply::json(200, &format!(r#"{{"Service":{{"Env":"{RESPONSE_MARKER}"}}}}"#)),
    ])
    .await;
    let runtime = new_runtime(config(&server.url()).credentials(credentials(true)));
    let input = Input(serde_json::json!({"ServiceName": "svc", "Secret": BODY_MARKER}));
    call(&runtime, &input).await.unwrap();

    let signatures: Vec<String> = server
        .requests()
        .iter()
        .map(|request| {
            let authorization = request.header("authorization").unwrap();
            authorization.rsplit("Signature=").next().unwrap().to_owned()
        })
        .collect();
    assert_eq!(signatures.len(), 2);

    let logged = capture.out.lock().unwrap().clone();
    // The capture works: the call and both attempts are there, with their facts.
    assert!(logged.contains("operation=CreateService"), "{logged}");
    assert!(logged.contains("attempt=2"), "{logged}");
    assert!(logged.contains("status=500"), "{logged}");
    assert!(logged.contains("request_id=req-logged"), "{logged}");
    assert!(logged.contains("body_bytes="), "{logged}");
    assert_no_secrets(&logged, &signatures);
    assert!(!logged.contains(RESPONSE_MARKER), "response body in: {logged}");
    assert!(!logged.to_ascii_lowercase().contains("authorization"), "{logged}");

    // Nor in Debug or Display of the runtime and of errors.
    assert_no_secrets(&format!("{runtime:?}"), &signatures);
}
